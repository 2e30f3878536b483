// Hand-made lineage graphs in SageMaker's own shapes, so a test reads like the graph it describes:
//
//   const g = new GraphBuilder();
//   const raw = g.dataSource('s3://lake/raw/customers.csv');
//   const fg = g.featureGroup('customers', { features: { customer_id: 'String', age: 'Integral' } });
//   g.chain(raw, g.processingJob('build-customers'), fg);
//   const service = g.service();
//
// Every method records the entities SageMaker (or the helper library, or the feature processor)
// would record, and returns the lineage ARN to wire edges with. `document()` is the snapshot
// document for `parseSnapshot(doc, 'test')`.
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION, type SnapshotInput } from '../../src/lineage/sources/snapshot-file.js';
import type { AssociationType } from '../../src/lineage/lineage-source.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
export const PREFIX = `arn:aws:sagemaker:${REGION}:${ACCOUNT}`;
export const LAKE = 's3://test-lake';

/** SageMaker ARNs by resource type. */
export const arn = {
  artifact: (id: string) => `${PREFIX}:artifact/${id}`,
  context: (name: string) => `${PREFIX}:context/${name}`,
  action: (name: string) => `${PREFIX}:action/${name}`,
  trialComponent: (name: string) => `${PREFIX}:experiment-trial-component/${name}`,
  featureGroup: (name: string) => `${PREFIX}:feature-group/${name}`,
  model: (name: string) => `${PREFIX}:model/${name}`,
  modelPackage: (group: string, version: number) => `${PREFIX}:model-package/${group}/${version}`,
  modelPackageGroup: (name: string) => `${PREFIX}:model-package-group/${name}`,
  pipelineExecution: (pipeline: string, id: string) => `${PREFIX}:pipeline/${pipeline}/execution/${id}`,
  endpoint: (name: string) => `${PREFIX}:endpoint/${name}`,
  endpointConfig: (name: string) => `${PREFIX}:endpoint-config/${name}`,
  trainingJob: (name: string) => `${PREFIX}:training-job/${name}`,
  processingJob: (name: string) => `${PREFIX}:processing-job/${name}`,
  pipeline: (name: string) => `${PREFIX}:pipeline/${name}`,
};

export const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The offline-store table the builder gives a feature group unless told otherwise. */
export const tableOf = (featureGroup: string): string => `${featureGroup.replace(/-/g, '_')}_1700000000`;

/** Where SageMaker writes a group's offline store (DescribeFeatureGroup's ResolvedOutputS3Uri). */
export const offlineStoreOf = (featureGroup: string): string =>
  `${LAKE}/feature-store/${ACCOUNT}/sagemaker/${REGION}/offline-store/${featureGroup}-1700000000/data`;

type FeatureType = 'Integral' | 'Fractional' | 'String';
type Items<K extends keyof SnapshotInput> = NonNullable<SnapshotInput[K]>;

export interface FeatureGroupOptions {
  /** Feature name → type, in the group's order. Defaults to customer_id, event_time. */
  features?: Record<string, FeatureType>;
  /** Offline-store table name; `null` for a group with an offline store but no Glue table. */
  table?: string | null;
  /** How its lineage is recorded: an fg-<name> artifact (helper library), a FeatureGroupPipeline context (feature processor), or nothing. */
  lineage?: 'artifact' | 'context' | 'none';
}

export interface Limits {
  maxDepth?: number;
  maxVertices?: number;
}

export class GraphBuilder {
  private readonly artifacts: Items<'Artifacts'> = [];
  private readonly contexts: Items<'Contexts'> = [];
  private readonly actions: Items<'Actions'> = [];
  private readonly trialComponents: Items<'TrialComponents'> = [];
  private readonly associations: Items<'Associations'> = [];
  private readonly featureGroups: Items<'FeatureGroups'> = [];
  private readonly models: Items<'Models'> = [];
  private readonly endpoints: Items<'Endpoints'> = [];
  private readonly trainingJobs: Items<'TrainingJobs'> = [];
  private readonly processingJobs: Items<'ProcessingJobs'> = [];
  private readonly modelPackageGroups: Items<'ModelPackageGroups'> = [];
  private readonly modelPackages: Items<'ModelPackages'> = [];
  private readonly pipelineExecutions: Items<'PipelineExecutions'> = [];

  // ── raw SageMaker lineage entities ──────────────────────────────────────────────────────────

  artifact(id: string, type: string | undefined, sourceUri: string, options: { name?: string; properties?: Record<string, string> } = {}): string {
    const artifactArn = arn.artifact(id);
    this.artifacts.push({
      ArtifactArn: artifactArn,
      ...(options.name !== undefined ? { ArtifactName: options.name } : {}),
      ...(type !== undefined ? { ArtifactType: type } : {}),
      Source: { SourceUri: sourceUri },
      Properties: options.properties ?? {},
    });
    return artifactArn;
  }

  context(name: string, type: string, sourceUri: string, properties: Record<string, string> = {}): string {
    const contextArn = arn.context(name);
    this.contexts.push({ ContextArn: contextArn, ContextName: name, ContextType: type, Source: { SourceUri: sourceUri }, Properties: properties });
    return contextArn;
  }

  action(name: string, type: string, sourceUri?: string): string {
    const actionArn = arn.action(name);
    this.actions.push({
      ActionArn: actionArn,
      ActionName: name,
      ActionType: type,
      ...(sourceUri !== undefined ? { Source: { SourceUri: sourceUri } } : {}),
      Status: 'Completed',
    });
    return actionArn;
  }

  trialComponent(name: string, source?: { arn: string; type?: string }): string {
    const componentArn = arn.trialComponent(name);
    this.trialComponents.push({
      TrialComponentArn: componentArn,
      TrialComponentName: name,
      ...(source ? { Source: { SourceArn: source.arn, ...(source.type !== undefined ? { SourceType: source.type } : {}) } } : {}),
    });
    return componentArn;
  }

  edge(from: string, to: string, type: AssociationType = 'ContributedTo'): this {
    this.associations.push({ SourceArn: from, DestinationArn: to, AssociationType: type });
    return this;
  }

  /** a → b → c … */
  chain(...arns: string[]): this {
    for (let i = 1; i < arns.length; i++) this.edge(arns[i - 1] as string, arns[i] as string);
    return this;
  }

  // ── the conventions ────────────────────────────────────────────────────────────────────────

  /** Raw data: SageMaker's DataSet artifact for an S3 URI. */
  dataSource(uri: string, id = slug(uri)): string {
    return this.artifact(id, 'DataSet', uri, { name: uri.split('/').pop() as string });
  }

  /** Helper library: a Code artifact carrying its GitURL. */
  code(file: string, gitUrl = `https://github.com/example/features/blob/main/${file}`): string {
    return this.artifact(`code-${slug(file)}`, 'Code', `${LAKE}/code/${file}`, { name: file, properties: { GitURL: gitUrl } });
  }

  /** SageMaker: a processing job and the trial component it records for it. */
  processingJob(job: string): string {
    this.processingJobs.push({ ProcessingJobName: job, ProcessingJobArn: arn.processingJob(job), ProcessingJobStatus: 'Completed' });
    return this.trialComponent(`${job}-aws-processing-job`, { arn: arn.processingJob(job), type: 'SageMakerProcessingJob' });
  }

  /** Feature processor: a FeatureEngineeringPipeline context. */
  featurePipeline(name: string): string {
    return this.context(`${name}-fep`, 'FeatureEngineeringPipeline', arn.pipeline(name));
  }

  /** A feature group resource and, by default, the helper library's fg-<name> artifact for it. */
  featureGroup(name: string, options: FeatureGroupOptions = {}): string {
    const features = options.features ?? { customer_id: 'String', event_time: 'Fractional' };
    const table = options.table === undefined ? tableOf(name) : options.table;
    const names = Object.keys(features);
    this.featureGroups.push({
      FeatureGroupArn: arn.featureGroup(name),
      FeatureGroupName: name,
      RecordIdentifierFeatureName: names[0] ?? 'id',
      EventTimeFeatureName: names.includes('event_time') ? 'event_time' : (names[names.length - 1] ?? 'event_time'),
      FeatureDefinitions: Object.entries(features).map(([FeatureName, FeatureType]) => ({ FeatureName, FeatureType })),
      FeatureGroupStatus: 'Created',
      OfflineStoreConfig: {
        S3StorageConfig: { S3Uri: `${LAKE}/feature-store`, ResolvedOutputS3Uri: offlineStoreOf(name) },
        ...(table !== null ? { DataCatalogConfig: { TableName: table, Catalog: 'AwsDataCatalog', Database: 'sagemaker_featurestore' } } : {}),
      },
    });
    switch (options.lineage ?? 'artifact') {
      case 'artifact':
        return this.artifact(`fg-${name}`, 'FeatureGroup', arn.featureGroup(name), { name: `fg-${name}` });
      case 'context':
        return this.context(`${name}-fg`, 'FeatureGroupPipeline', arn.featureGroup(name));
      case 'none':
        return arn.featureGroup(name);
    }
  }

  /** SageMaker: the FeatureGroupPipeline context it keeps for a group, which feature-processor pipelines read from and write to. */
  groupContext(name: string): string {
    return this.context(`${name}-1700000000-feature-group-pipeline`, 'FeatureGroupPipeline', arn.featureGroup(name));
  }

  /** Helper library: the ProcessingJob artifact of a job (its inputs and output groups are wired with edges). */
  helperProcessingJob(job: string): string {
    return this.artifact(`processing-${job}`, 'ProcessingJob', arn.processingJob(job), { name: 'ProcessingJob' });
  }

  /** Helper library: a processing job's input that is a group's offline store (`path` below it, if any). */
  offlineStoreInput(featureGroup: string, path = ''): string {
    return this.artifact(`input-${featureGroup}-${slug(path) || 'data'}`, 'DataSet', `${offlineStoreOf(featureGroup)}${path}`, { name: 'ProcessingInputData' });
  }

  /** Helper library: a DataSet artifact with its feature-store query (none: SageMaker's plain training input). */
  dataset(id: string, sql?: string): string {
    return this.artifact(id, 'DataSet', `${LAKE}/datasets/${id}/train.csv`, {
      name: id,
      ...(sql !== undefined ? { properties: { Base64FeatureStoreQueryString: base64(sql) } } : {}),
    });
  }

  /** SageMaker: a training job and the trial component it records for it. */
  trainingJob(job: string): string {
    this.trainingJobs.push({ TrainingJobName: job, TrainingJobArn: arn.trainingJob(job), TrainingJobStatus: 'Completed' });
    return this.trialComponent(`${job}-aws-training-job`, { arn: arn.trainingJob(job), type: 'SageMakerTrainingJob' });
  }

  /**
   * SageMaker: a model package group (and, unless `context: false`, its ModelGroup context) with
   * versions registered from the given Model artifacts, each a ModelPackage artifact.
   */
  modelPackageGroup(name: string, models: readonly string[], options: { context?: boolean } = {}): string {
    this.modelPackageGroups.push({ ModelPackageGroupName: name, ModelPackageGroupArn: arn.modelPackageGroup(name), ModelPackageGroupStatus: 'Completed' });
    const group = options.context === false ? undefined : this.context(`${name}-1700000000`, 'ModelGroup', arn.modelPackageGroup(name));
    models.forEach((model, index) => {
      const version = index + 1;
      this.modelPackages.push({
        ModelPackageName: name,
        ModelPackageGroupName: name,
        ModelPackageVersion: version,
        ModelPackageArn: arn.modelPackage(name, version),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: 'Approved',
      });
      const artifact = this.artifact(`package-${name}-${version}`, 'ModelPackage', arn.modelPackage(name, version), { name: `${name}-${version}` });
      this.edge(model, artifact);
      if (group) this.edge(artifact, group);
    });
    return group ?? arn.modelPackageGroup(name);
  }

  /** SageMaker Pipelines: an execution whose Experiments trial holds the jobs' trial components. */
  pipelineExecution(pipeline: string, id: string, components: readonly string[], options: { trial?: boolean } = {}): string {
    const trial = options.trial === false ? undefined : `${pipeline}-${id}`;
    this.pipelineExecutions.push({
      PipelineExecutionArn: arn.pipelineExecution(pipeline, id),
      PipelineArn: arn.pipeline(pipeline),
      PipelineExecutionStatus: 'Succeeded',
      ...(trial ? { PipelineExperimentConfig: { ExperimentName: pipeline, TrialName: trial } } : {}),
    });
    for (const component of this.trialComponents) {
      if (trial && components.includes(component.TrialComponentArn)) component.Parents = [...(component.Parents ?? []), { TrialName: trial, ExperimentName: pipeline }];
    }
    return arn.pipelineExecution(pipeline, id);
  }

  /** A model resource and, unless `artifact: false`, SageMaker's Model artifact for its model data. */
  model(name: string, options: { artifact?: boolean } = {}): string {
    const modelData = `${LAKE}/models/${name}/output/model.tar.gz`;
    this.models.push({ ModelName: name, ModelArn: arn.model(name), PrimaryContainer: { Image: 'xgboost:1.7-1', ModelDataUrl: modelData } });
    if (options.artifact === false) return arn.model(name);
    return this.artifact(`model-${name}`, 'Model', modelData, { name: `${name}-model`, properties: { SageMakerModelName: name } });
  }

  /** An endpoint resource and, unless `context: false`, SageMaker's Endpoint context for it. */
  endpoint(name: string, options: { context?: boolean } = {}): string {
    this.endpoints.push({ EndpointName: name, EndpointArn: arn.endpoint(name), EndpointConfigName: `${name}-config`, EndpointStatus: 'InService' });
    if (options.context === false) return arn.endpoint(name);
    return this.context(`${name}-1700000000`, 'Endpoint', arn.endpoint(name));
  }

  /** SageMaker: model → ModelDeployment action → endpoint context. */
  deploy(model: string, endpoint: string): this {
    const name = `${endpoint.split('/').pop() as string}-deployment`;
    const deployment = this.action(name, 'ModelDeployment', arn.endpointConfig(`${name}-config`));
    return this.edge(model, deployment).edge(deployment, endpoint, 'AssociatedWith');
  }

  // ── output ─────────────────────────────────────────────────────────────────────────────────

  document(): SnapshotInput {
    return {
      FormatVersion: SNAPSHOT_FORMAT_VERSION,
      Artifacts: this.artifacts,
      Contexts: this.contexts,
      Actions: this.actions,
      TrialComponents: this.trialComponents,
      Associations: this.associations,
      FeatureGroups: this.featureGroups,
      Models: this.models,
      Endpoints: this.endpoints,
      TrainingJobs: this.trainingJobs,
      ProcessingJobs: this.processingJobs,
      ModelPackageGroups: this.modelPackageGroups,
      ModelPackages: this.modelPackages,
      PipelineExecutions: this.pipelineExecutions,
    };
  }

  source(): SnapshotSource {
    return new SnapshotSource(parseSnapshot(this.document(), 'test'), 'test');
  }

  service(limits: Limits = {}): LineageService {
    return serviceOver(this.document(), limits);
  }
}

/** The service over a snapshot document, with the limits a test chooses. */
export function serviceOver(document: unknown, { maxDepth = 50, maxVertices = 1000 }: Limits = {}): LineageService {
  return new LineageService(new SnapshotSource(parseSnapshot(document, 'test'), 'test'), { maxDepth, maxVertices, describeConcurrency: 4 });
}

function slug(text: string): string {
  return text
    .replace(/^s3:\/\//, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
