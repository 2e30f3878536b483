// Classification of raw SageMaker lineage entities into the kinds people talk about.
// Three conventions meet here: what SageMaker records by itself, what the ml-lineage-helper
// library records by hand, and the Feature Store feature-processor contexts.
import { nameFromArn, parseArn, pipelineExecution } from './reference.js';
import type { LineageEntity, LineageVertex } from './lineage-source.js';

/** The kinds, in the order data flows through them (trails list stages in this order). */
export const KINDS = [
  'DataSource',
  'Code',
  'ProcessingJob',
  'FeaturePipeline',
  'PipelineExecution',
  'FeatureGroup',
  'Dataset',
  'TrainingJob',
  'Model',
  'ModelPackage',
  'Endpoint',
  'Other',
] as const;
export type Kind = (typeof KINDS)[number];

/** Human labels, singular and plural, for answers. */
export const KIND_LABELS: Record<Kind, { one: string; many: string }> = {
  DataSource: { one: 'data source', many: 'data sources' },
  Code: { one: 'code artifact', many: 'code artifacts' },
  ProcessingJob: { one: 'processing job', many: 'processing jobs' },
  FeaturePipeline: { one: 'feature pipeline', many: 'feature pipelines' },
  PipelineExecution: { one: 'pipeline execution', many: 'pipeline executions' },
  FeatureGroup: { one: 'feature group', many: 'feature groups' },
  Dataset: { one: 'dataset', many: 'datasets' },
  TrainingJob: { one: 'training job', many: 'training jobs' },
  Model: { one: 'model', many: 'models' },
  ModelPackage: { one: 'model package', many: 'model packages' },
  Endpoint: { one: 'endpoint', many: 'endpoints' },
  Other: { one: 'other entity', many: 'other entities' },
};

/** The property the helper library stores a dataset's feature-store query in. */
export const FEATURE_STORE_QUERY_PROPERTY = 'Base64FeatureStoreQueryString';

/** A lineage entity with its kind and the name people know it by. */
export interface ClassifiedEntity {
  arn: string;
  kind: Kind;
  /** Display name: the feature group, model or endpoint name, or the S3 URI of data. */
  name: string;
  lineageType: LineageEntity['lineageType'];
  /** The raw SageMaker type (ArtifactType, ContextType…), kept so Other stays informative. */
  type: string;
  sourceUri?: string;
  properties: Readonly<Record<string, string>>;
}

const ARTIFACT_KINDS: Record<string, Kind> = {
  FeatureGroup: 'FeatureGroup',
  DataSet: 'DataSource', // refined below: a DataSet carrying a feature-store query is a Dataset
  DataSource: 'DataSource',
  Code: 'Code',
  TransformationCode: 'Code', // the feature processor's record of a pipeline's code
  ProcessingJob: 'ProcessingJob',
  Model: 'Model',
  ModelPackage: 'ModelPackage',
};

const CONTEXT_KINDS: Record<string, Kind> = {
  Endpoint: 'Endpoint',
  FeatureGroupPipeline: 'FeatureGroup',
  FeatureGroupPipelineVersion: 'FeatureGroup',
  FeatureEngineeringPipeline: 'FeaturePipeline',
  FeatureEngineeringPipelineVersion: 'FeaturePipeline',
  ModelGroup: 'ModelPackage',
  ModelPackageGroup: 'ModelPackage',
};

const TRIAL_COMPONENT_KINDS: Record<string, Kind> = {
  SageMakerTrainingJob: 'TrainingJob',
  SageMakerProcessingJob: 'ProcessingJob',
};

/**
 * The kind a QueryLineage vertex can be told from its type alone. DataSet artifacts come back as
 * DataSource here; only their properties tell a feature-store Dataset apart (see classifyEntity).
 */
export function coarseKind(vertex: Pick<LineageVertex, 'lineageType' | 'type'>): Kind {
  const type = vertex.type ?? '';
  switch (vertex.lineageType) {
    case 'Artifact':
      return ARTIFACT_KINDS[type] ?? 'Other';
    case 'Context':
      return CONTEXT_KINDS[type] ?? 'Other';
    case 'TrialComponent':
      return TRIAL_COMPONENT_KINDS[type] ?? 'Other';
    case 'Action':
      return 'Other';
  }
}

/** True for vertices whose kind may change once described (DataSet artifacts, unnamed trial components). */
export function kindNeedsDescription(vertex: Pick<LineageVertex, 'lineageType' | 'type'>): boolean {
  if (vertex.lineageType === 'Artifact') return vertex.type === 'DataSet' || vertex.type === 'Model' || !vertex.type;
  if (vertex.lineageType === 'TrialComponent') return !vertex.type || !(vertex.type in TRIAL_COMPONENT_KINDS);
  return false;
}

/** The kinds a vertex may turn out to be once described; just its coarse kind when that is certain. */
export function possibleKinds(vertex: Pick<LineageVertex, 'lineageType' | 'type'>): readonly Kind[] {
  if (!kindNeedsDescription(vertex)) return [coarseKind(vertex)];
  if (vertex.lineageType === 'TrialComponent') return ['TrainingJob', 'ProcessingJob', 'Other'];
  if (vertex.type === 'DataSet') return ['DataSource', 'Dataset', 'FeatureGroup'];
  if (vertex.type === 'Model') return ['Model', 'ModelPackage', 'FeatureGroup'];
  return KINDS;
}

function kindOf(entity: LineageEntity): Kind {
  const type = entity.type ?? '';
  const sourceArn = entity.sourceUri ? parseArn(entity.sourceUri) : undefined;
  switch (entity.lineageType) {
    case 'Artifact': {
      // ml-lineage-helper: fg-<name> artifacts whose SourceUri is the feature group ARN.
      if (sourceArn?.resourceType === 'feature-group') return 'FeatureGroup';
      if (type === 'DataSet' && entity.properties[FEATURE_STORE_QUERY_PROPERTY]) return 'Dataset';
      if (type === 'Model' && sourceArn?.resourceType === 'model-package') return 'ModelPackage';
      return ARTIFACT_KINDS[type] ?? 'Other';
    }
    case 'Context':
      // A context recorded for one run of a SageMaker pipeline.
      if (!CONTEXT_KINDS[type] && sourceArn && pipelineExecution(sourceArn)) return 'PipelineExecution';
      return CONTEXT_KINDS[type] ?? 'Other';
    case 'Action':
      return 'Other';
    case 'TrialComponent': {
      const byType = TRIAL_COMPONENT_KINDS[type];
      if (byType) return byType;
      // SageMaker names a job's trial component "<job>-aws-training-job" / "-aws-processing-job".
      if (sourceArn?.resourceType === 'training-job' || entity.name?.endsWith('-aws-training-job')) return 'TrainingJob';
      if (sourceArn?.resourceType === 'processing-job' || entity.name?.endsWith('-aws-processing-job')) return 'ProcessingJob';
      return 'Other';
    }
  }
}

function displayName(entity: LineageEntity, kind: Kind): string {
  const fromSource = entity.sourceUri ? nameFromArn(entity.sourceUri) : undefined;
  const name = entity.name;
  switch (kind) {
    case 'FeatureGroup':
      return fromSource ?? name?.replace(/^fg-/, '') ?? entity.arn;
    case 'Endpoint':
    case 'FeaturePipeline':
    case 'PipelineExecution':
    case 'ModelPackage':
      return fromSource ?? name ?? entity.arn;
    case 'Model':
      return entity.properties['SageMakerModelName'] ?? fromSource ?? name ?? entity.sourceUri ?? entity.arn;
    case 'TrainingJob':
      return fromSource ?? name?.replace(/-aws-training-job$/, '') ?? entity.arn;
    case 'ProcessingJob':
      return fromSource ?? name?.replace(/-aws-processing-job$/, '') ?? entity.arn;
    case 'DataSource':
    case 'Dataset':
      return entity.sourceUri ?? name ?? entity.arn;
    case 'Code':
      return entity.properties['GitURL'] ?? entity.sourceUri ?? name ?? entity.arn;
    case 'Other':
      return name ?? entity.sourceUri ?? entity.arn;
  }
}

export function classifyEntity(entity: LineageEntity): ClassifiedEntity {
  const kind = kindOf(entity);
  return {
    arn: entity.arn,
    kind,
    name: displayName(entity, kind),
    lineageType: entity.lineageType,
    type: entity.type ?? entity.lineageType,
    ...(entity.sourceUri !== undefined ? { sourceUri: entity.sourceUri } : {}),
    properties: entity.properties,
  };
}
