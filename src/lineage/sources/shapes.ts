// SageMaker API shapes (the fields the bot reads), as zod schemas, and their conversion into the
// port's types. The snapshot file is validated with these schemas; the SageMaker adapter feeds
// SDK responses, which have the same field names, through the same converters.
import { z } from 'zod';
import type {
  Association,
  EndpointConfigResource,
  EndpointResource,
  FeatureGroupResource,
  LineageEntity,
  ModelPackageGroupResource,
  ModelPackageResource,
  ModelResource,
  PipelineExecutionResource,
  ProcessingJobResource,
  TrainingJobResource,
} from '../lineage-source.js';

/** Timestamps arrive as epoch seconds on the wire, as Date from the SDK, as ISO text in hand-written files. */
export const Timestamp = z.union([
  z.date(),
  z.number().transform((seconds) => new Date(seconds * 1000)),
  z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
]);

const Properties = z.record(z.string(), z.string()).default({});
const Arn = z.string().regex(/^arn:[a-z-]+:sagemaker:/, 'expected a SageMaker ARN');

export const ArtifactShape = z.looseObject({
  ArtifactArn: Arn,
  ArtifactName: z.string().optional(),
  ArtifactType: z.string().optional(),
  Source: z.looseObject({ SourceUri: z.string(), SourceTypes: z.array(z.unknown()).optional() }).optional(),
  Properties,
  CreationTime: Timestamp.optional(),
});

export const ContextShape = z.looseObject({
  ContextArn: Arn,
  ContextName: z.string().optional(),
  ContextType: z.string().optional(),
  Description: z.string().optional(),
  Source: z.looseObject({ SourceUri: z.string(), SourceType: z.string().optional() }).optional(),
  Properties,
  CreationTime: Timestamp.optional(),
});

export const ActionShape = z.looseObject({
  ActionArn: Arn,
  ActionName: z.string().optional(),
  ActionType: z.string().optional(),
  Description: z.string().optional(),
  Status: z.string().optional(),
  Source: z.looseObject({ SourceUri: z.string(), SourceType: z.string().optional() }).optional(),
  Properties,
  CreationTime: Timestamp.optional(),
});

export const TrialComponentShape = z.looseObject({
  TrialComponentArn: Arn,
  TrialComponentName: z.string().optional(),
  DisplayName: z.string().optional(),
  Source: z.looseObject({ SourceArn: z.string(), SourceType: z.string().optional() }).optional(),
  /** The trials it belongs to, as Search (Resource ExperimentTrialComponent) reports them: a snapshot may hold them. */
  Parents: z.array(z.looseObject({ TrialName: z.string().optional(), ExperimentName: z.string().optional() })).optional(),
  CreationTime: Timestamp.optional(),
});

export const AssociationEdgeType = z.enum(['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs']);

export const AssociationShape = z.looseObject({
  SourceArn: Arn,
  DestinationArn: Arn,
  AssociationType: AssociationEdgeType,
  SourceType: z.string().optional(),
  DestinationType: z.string().optional(),
});

export const FeatureGroupShape = z.looseObject({
  FeatureGroupArn: Arn,
  FeatureGroupName: z.string().min(1),
  RecordIdentifierFeatureName: z.string(),
  EventTimeFeatureName: z.string(),
  FeatureDefinitions: z.array(
    z.looseObject({ FeatureName: z.string().min(1), FeatureType: z.enum(['Integral', 'Fractional', 'String']) }),
  ),
  FeatureGroupStatus: z.string().optional(),
  Description: z.string().optional(),
  OfflineStoreConfig: z
    .looseObject({
      S3StorageConfig: z.looseObject({ S3Uri: z.string(), ResolvedOutputS3Uri: z.string().optional() }),
      DataCatalogConfig: z
        .looseObject({ TableName: z.string(), Catalog: z.string(), Database: z.string() })
        .optional(),
    })
    .optional(),
  CreationTime: Timestamp.optional(),
});

const Container = z.looseObject({
  Image: z.string().optional(),
  ModelDataUrl: z.string().optional(),
  ModelPackageName: z.string().optional(),
});

export const ModelShape = z.looseObject({
  ModelName: z.string().min(1),
  ModelArn: Arn,
  PrimaryContainer: Container.optional(),
  Containers: z.array(Container).optional(),
  CreationTime: Timestamp.optional(),
});

export const EndpointShape = z.looseObject({
  EndpointName: z.string().min(1),
  EndpointArn: Arn,
  EndpointConfigName: z.string().optional(),
  EndpointStatus: z.string(),
  CreationTime: Timestamp.optional(),
  LastModifiedTime: Timestamp.optional(),
});

export const EndpointConfigShape = z.looseObject({
  EndpointConfigName: z.string().min(1),
  EndpointConfigArn: Arn,
  ProductionVariants: z.array(z.looseObject({ VariantName: z.string(), ModelName: z.string().optional() })),
});

export const TrainingJobShape = z.looseObject({
  TrainingJobName: z.string().min(1),
  TrainingJobArn: Arn,
  TrainingJobStatus: z.string(),
  InputDataConfig: z
    .array(
      z.looseObject({
        ChannelName: z.string(),
        DataSource: z.looseObject({ S3DataSource: z.looseObject({ S3Uri: z.string() }).optional() }).optional(),
      }),
    )
    .optional(),
  ModelArtifacts: z.looseObject({ S3ModelArtifacts: z.string() }).optional(),
  CreationTime: Timestamp.optional(),
});

export const ProcessingJobShape = z.looseObject({
  ProcessingJobName: z.string().min(1),
  ProcessingJobArn: Arn,
  ProcessingJobStatus: z.string(),
  ProcessingInputs: z
    .array(z.looseObject({ InputName: z.string(), S3Input: z.looseObject({ S3Uri: z.string() }).optional() }))
    .optional(),
  ProcessingOutputConfig: z
    .looseObject({
      Outputs: z.array(
        z.looseObject({
          OutputName: z.string(),
          S3Output: z.looseObject({ S3Uri: z.string() }).optional(),
          FeatureStoreOutput: z.looseObject({ FeatureGroupName: z.string() }).optional(),
        }),
      ),
    })
    .optional(),
  CreationTime: Timestamp.optional(),
});

export const ModelPackageGroupShape = z.looseObject({
  ModelPackageGroupName: z.string().min(1),
  ModelPackageGroupArn: Arn,
  ModelPackageGroupDescription: z.string().optional(),
  ModelPackageGroupStatus: z.string(),
  CreationTime: Timestamp.optional(),
});

/** A ListModelPackages summary. */
export const ModelPackageSummaryShape = z.looseObject({
  ModelPackageName: z.string().min(1),
  ModelPackageArn: Arn,
  ModelPackageGroupName: z.string().optional(),
  ModelPackageVersion: z.number().int().optional(),
  ModelPackageStatus: z.string(),
  ModelApprovalStatus: z.string().optional(),
  CreationTime: Timestamp.optional(),
});

export const PipelineExecutionShape = z.looseObject({
  PipelineExecutionArn: Arn,
  PipelineArn: Arn.optional(),
  PipelineExecutionDisplayName: z.string().optional(),
  PipelineExecutionStatus: z.string().optional(),
  PipelineExperimentConfig: z.looseObject({ ExperimentName: z.string().optional(), TrialName: z.string().optional() }).optional(),
  CreationTime: Timestamp.optional(),
});

export const TagShape = z.looseObject({ Key: z.string(), Value: z.string() });

/** Removes undefined values so optional port fields are absent rather than present-and-undefined. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function artifactToEntity(a: z.output<typeof ArtifactShape>): LineageEntity {
  return defined({
    arn: a.ArtifactArn,
    name: a.ArtifactName,
    lineageType: 'Artifact' as const,
    type: a.ArtifactType,
    sourceUri: a.Source?.SourceUri,
    properties: a.Properties,
    creationTime: a.CreationTime,
  });
}

export function contextToEntity(c: z.output<typeof ContextShape>): LineageEntity {
  return defined({
    arn: c.ContextArn,
    name: c.ContextName,
    lineageType: 'Context' as const,
    type: c.ContextType,
    sourceUri: c.Source?.SourceUri,
    sourceType: c.Source?.SourceType,
    properties: c.Properties,
    description: c.Description,
    creationTime: c.CreationTime,
  });
}

export function actionToEntity(a: z.output<typeof ActionShape>): LineageEntity {
  return defined({
    arn: a.ActionArn,
    name: a.ActionName,
    lineageType: 'Action' as const,
    type: a.ActionType,
    sourceUri: a.Source?.SourceUri,
    sourceType: a.Source?.SourceType,
    properties: a.Properties,
    description: a.Description,
    creationTime: a.CreationTime,
  });
}

export function trialComponentToEntity(t: z.output<typeof TrialComponentShape>): LineageEntity {
  return defined({
    arn: t.TrialComponentArn,
    name: t.TrialComponentName,
    lineageType: 'TrialComponent' as const,
    type: t.Source?.SourceType,
    sourceUri: t.Source?.SourceArn,
    properties: {},
    creationTime: t.CreationTime,
  });
}

export function associationFromShape(a: z.output<typeof AssociationShape>): Association {
  return { sourceArn: a.SourceArn, destinationArn: a.DestinationArn, type: a.AssociationType };
}

export function featureGroupFromShape(f: z.output<typeof FeatureGroupShape>): FeatureGroupResource {
  const offline = f.OfflineStoreConfig;
  return defined({
    arn: f.FeatureGroupArn,
    name: f.FeatureGroupName,
    recordIdentifierFeatureName: f.RecordIdentifierFeatureName,
    eventTimeFeatureName: f.EventTimeFeatureName,
    features: f.FeatureDefinitions.map((d) => ({ name: d.FeatureName, type: d.FeatureType })),
    status: f.FeatureGroupStatus,
    description: f.Description,
    offlineStore: offline
      ? defined({
          s3Uri: offline.S3StorageConfig.S3Uri,
          resolvedS3Uri: offline.S3StorageConfig.ResolvedOutputS3Uri,
          tableName: offline.DataCatalogConfig?.TableName,
          database: offline.DataCatalogConfig?.Database,
          catalog: offline.DataCatalogConfig?.Catalog,
        })
      : undefined,
    creationTime: f.CreationTime,
  });
}

export function modelFromShape(m: z.output<typeof ModelShape>): ModelResource {
  const containers = [...(m.PrimaryContainer ? [m.PrimaryContainer] : []), ...(m.Containers ?? [])];
  return defined({
    arn: m.ModelArn,
    name: m.ModelName,
    modelDataUrls: [...new Set(containers.flatMap((c) => (c.ModelDataUrl ? [c.ModelDataUrl] : [])))],
    modelPackageNames: [...new Set(containers.flatMap((c) => (c.ModelPackageName ? [c.ModelPackageName] : [])))],
    image: containers[0]?.Image,
    creationTime: m.CreationTime,
  });
}

export function endpointFromShape(e: z.output<typeof EndpointShape>): EndpointResource {
  return defined({
    arn: e.EndpointArn,
    name: e.EndpointName,
    status: e.EndpointStatus,
    endpointConfigName: e.EndpointConfigName,
    creationTime: e.CreationTime,
    lastModifiedTime: e.LastModifiedTime,
  });
}

export function endpointConfigFromShape(c: z.output<typeof EndpointConfigShape>): EndpointConfigResource {
  return {
    arn: c.EndpointConfigArn,
    name: c.EndpointConfigName,
    variants: c.ProductionVariants.map((v) => defined({ variantName: v.VariantName, modelName: v.ModelName })),
  };
}

export function trainingJobFromShape(t: z.output<typeof TrainingJobShape>): TrainingJobResource {
  return defined({
    arn: t.TrainingJobArn,
    name: t.TrainingJobName,
    status: t.TrainingJobStatus,
    channels: (t.InputDataConfig ?? []).map((c) =>
      defined({ channelName: c.ChannelName, s3Uri: c.DataSource?.S3DataSource?.S3Uri }),
    ),
    modelArtifactsS3Uri: t.ModelArtifacts?.S3ModelArtifacts,
    creationTime: t.CreationTime,
  });
}

export function processingJobFromShape(p: z.output<typeof ProcessingJobShape>): ProcessingJobResource {
  return defined({
    arn: p.ProcessingJobArn,
    name: p.ProcessingJobName,
    status: p.ProcessingJobStatus,
    inputs: (p.ProcessingInputs ?? []).map((i) => defined({ inputName: i.InputName, s3Uri: i.S3Input?.S3Uri })),
    outputs: (p.ProcessingOutputConfig?.Outputs ?? []).map((o) =>
      defined({
        outputName: o.OutputName,
        s3Uri: o.S3Output?.S3Uri,
        featureGroupName: o.FeatureStoreOutput?.FeatureGroupName,
      }),
    ),
    creationTime: p.CreationTime,
  });
}

export function modelPackageGroupFromShape(g: z.output<typeof ModelPackageGroupShape>): ModelPackageGroupResource {
  return defined({
    arn: g.ModelPackageGroupArn,
    name: g.ModelPackageGroupName,
    status: g.ModelPackageGroupStatus,
    description: g.ModelPackageGroupDescription,
    creationTime: g.CreationTime,
  });
}

export function modelPackageFromShape(p: z.output<typeof ModelPackageSummaryShape>): ModelPackageResource {
  return defined({
    arn: p.ModelPackageArn,
    name: p.ModelPackageName,
    groupName: p.ModelPackageGroupName,
    version: p.ModelPackageVersion,
    status: p.ModelPackageStatus,
    approvalStatus: p.ModelApprovalStatus,
    creationTime: p.CreationTime,
  });
}

export function pipelineExecutionFromShape(e: z.output<typeof PipelineExecutionShape>): PipelineExecutionResource {
  return defined({
    arn: e.PipelineExecutionArn,
    pipelineArn: e.PipelineArn,
    displayName: e.PipelineExecutionDisplayName,
    status: e.PipelineExecutionStatus,
    experimentName: e.PipelineExperimentConfig?.ExperimentName,
    trialName: e.PipelineExperimentConfig?.TrialName,
    creationTime: e.CreationTime,
  });
}
