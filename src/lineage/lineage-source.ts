// The LineageSource port: what the engine needs from SageMaker, in SageMaker's own vocabulary.
// Two adapters implement it: the snapshot file (and the embedded demo) and the real API.
// Adapters return `undefined` for "no such thing" and throw LineageError subclasses
// (SourceUnavailable, NotAuthorized, Throttled) for everything else.
import type { AccountScope } from './reference.js';
import type { NotAuthorized, SourceUnavailable, Throttled } from './errors.js';

export type { AccountScope } from './reference.js';

/** The four SageMaker lineage entity types (QueryLineage's LineageType). */
export type LineageType = 'Artifact' | 'Context' | 'Action' | 'TrialComponent';

/** SageMaker's AssociationEdgeType. */
export type AssociationType = 'ContributedTo' | 'AssociatedWith' | 'DerivedFrom' | 'Produced' | 'SameAs';

export type Direction = 'Ascendants' | 'Descendants' | 'Both';

/** One lineage entity as DescribeArtifact / DescribeContext / DescribeAction / DescribeTrialComponent return it. */
export interface LineageEntity {
  arn: string;
  /** ArtifactName, ContextName, ActionName or TrialComponentName (artifacts may have none). */
  name?: string;
  lineageType: LineageType;
  /** ArtifactType, ContextType or ActionType; for a trial component, its Source.SourceType. */
  type?: string;
  /** Source.SourceUri (artifacts, contexts, actions) or Source.SourceArn (trial components). */
  sourceUri?: string;
  /** Source.SourceType of a context or action. */
  sourceType?: string;
  properties: Readonly<Record<string, string>>;
  description?: string;
  creationTime?: Date;
}

/** A vertex as QueryLineage returns it: enough to classify coarsely, not to name. */
export interface LineageVertex {
  arn: string;
  lineageType: LineageType;
  /** Vertex.Type: the artifact/context/action type, or a trial component's source type. */
  type?: string;
}

export interface Association {
  sourceArn: string;
  destinationArn: string;
  type: AssociationType;
}

export interface LineageQuery {
  startArn: string;
  direction: Direction;
  /** Hops from the start entity; may exceed SageMaker's own limit of 10 (adapters continue from the frontier). */
  maxDepth: number;
}

export interface LineageQueryResult {
  /** Every vertex within maxDepth hops, the start vertex included, each once. */
  vertices: LineageVertex[];
  /** Every edge between those vertices that the walk crossed, each once. */
  edges: Association[];
  /** True when some vertex lies beyond maxDepth: the answer is cut short by depth. */
  depthExceeded: boolean;
}

/**
 * Told about vertices as a lineage query finds them, page by page, before its result is ready:
 * a hint for starting work early. It may hear of vertices the result leaves out (one hop beyond
 * the depth limit) and of some more than once; a cached or local answer may not call it at all.
 */
export type VertexListener = (vertices: readonly LineageVertex[]) => void;

export type EntityFilter = {
  lineageType: LineageType;
  /** ArtifactType / ContextType / ActionType (not for trial components). */
  type?: string;
  /** SourceUri, or a trial component's SourceArn (the job it records). */
  sourceUri?: string;
  /** Trial components only: those in this trial (a pipeline execution's trial, say). */
  trialName?: string;
};

export interface ListOptions {
  /** Default true. */
  withProperties?: boolean;
}

export interface FeatureDefinition {
  name: string;
  type: 'Integral' | 'Fractional' | 'String';
}

export interface FeatureGroupResource {
  arn: string;
  name: string;
  recordIdentifierFeatureName: string;
  eventTimeFeatureName: string;
  features: FeatureDefinition[];
  status?: string;
  description?: string;
  offlineStore?: {
    s3Uri: string;
    resolvedS3Uri?: string;
    tableName?: string;
    database?: string;
    catalog?: string;
  };
  creationTime?: Date;
}

export interface ModelResource {
  arn: string;
  name: string;
  /** ModelDataUrl of the primary container and of every container. */
  modelDataUrls: string[];
  /** ModelPackageName of a container deployed from a model package, if any. */
  modelPackageNames: string[];
  image?: string;
  creationTime?: Date;
}

export interface EndpointResource {
  arn: string;
  name: string;
  status: string;
  endpointConfigName?: string;
  creationTime?: Date;
  lastModifiedTime?: Date;
}

export interface EndpointConfigResource {
  arn: string;
  name: string;
  variants: { variantName: string; modelName?: string }[];
}

export interface TrainingJobResource {
  arn: string;
  name: string;
  status: string;
  channels: { channelName: string; s3Uri?: string }[];
  modelArtifactsS3Uri?: string;
  creationTime?: Date;
}

export interface ProcessingJobResource {
  arn: string;
  name: string;
  status: string;
  inputs: { inputName: string; s3Uri?: string }[];
  outputs: { outputName: string; s3Uri?: string; featureGroupName?: string }[];
  creationTime?: Date;
}

export interface ModelPackageGroupResource {
  arn: string;
  name: string;
  status: string;
  description?: string;
  creationTime?: Date;
}

/** A model package (version) as ListModelPackages lists it. */
export interface ModelPackageResource {
  arn: string;
  name: string;
  groupName?: string;
  version?: number;
  status: string;
  approvalStatus?: string;
  creationTime?: Date;
}

export interface PipelineExecutionResource {
  arn: string;
  pipelineArn?: string;
  displayName?: string;
  status?: string;
  /** The Experiments trial the execution's jobs are recorded in (PipelineExperimentConfig). */
  experimentName?: string;
  trialName?: string;
  creationTime?: Date;
}

/** What a name search can find (SageMaker Search / ListFeatureGroups NameContains / ListArtifacts). */
export type ResourceKind = 'FeatureGroup' | 'Model' | 'Endpoint' | 'DataSource';

export interface ResourceHit {
  kind: ResourceKind;
  name: string;
  arn: string;
}

/** Data sources whose URI contains a text, and whether every data set of the account was looked at. */
export interface DataSourceSearch {
  hits: ResourceHit[];
  /** Set when the search stopped at this many data sets, the bound on one search's cost: older ones were not read. */
  boundedAt?: number;
}

/** The resource kinds SageMaker Search can find by exact name or by tag. */
export type SearchableKind = 'FeatureGroup' | 'Model' | 'Endpoint';

/** A resource found by its tags, with all of them (Search returns them: no ListTags needed). */
export interface TaggedHit extends ResourceHit {
  kind: SearchableKind;
  tags: Record<string, string>;
}

/** What points at the feature groups a training channel may have read: its S3 location and the tables queries read. */
export interface FeatureGroupClues {
  /** S3 URIs training channels read. */
  uris: readonly string[];
  /** Offline-store table names that feature-store queries read. */
  tables: readonly string[];
}

/** A feature group as a change feed lists it: enough to check it, and the times it is found by. */
export interface FeatureGroupStamp {
  name: string;
  arn: string;
  /** CreationTime, epoch ms. */
  createdAt?: number;
  /** LastModifiedTime, epoch ms (absent for a group never updated). */
  modifiedAt?: number;
}

/** How many groups a range holds; `exact` is false when SageMaker only gives a lower bound. */
export interface GroupCount {
  count: number;
  exact: boolean;
}

/**
 * Feature groups found by time rather than by listing the account (SageMaker Search with
 * CreationTime and LastModifiedTime filters): what lets a watcher cycle cost what changed.
 * Times are epoch ms; ranges include `from` and exclude `to`.
 */
export interface FeatureGroupFeed {
  /** Groups created or modified at or after `since`, every page. */
  changedSince(since: number): Promise<FeatureGroupStamp[]>;
  /** How many groups were created in [from, to), in one call. */
  countCreated(from: number, to: number): Promise<GroupCount>;
  /** The groups created in [from, to), every page. */
  createdBetween(from: number, to: number): Promise<FeatureGroupStamp[]>;
}
/** A model or endpoint whose tags are wanted (whose owners an impact needs), with the ARN the lineage knows it by, if any. */
export interface TagSubject {
  kind: 'Model' | 'Endpoint';
  name: string;
  arn?: string;
}

/**
 * What the source said of one subject: it exists, with its tags (and an endpoint's status); it no
 * longer exists (with the tags its known ARN still has, usually none); or why its tags could not
 * be read, after the retries.
 */
export type SubjectTags =
  | { subject: TagSubject; found: true; tags: Record<string, string>; status?: string }
  | { subject: TagSubject; found: false; tags: Record<string, string> }
  | { subject: TagSubject; unreadable: SourceUnavailable | NotAuthorized | Throttled };

export interface LineageSource {
  /** Short description for logs and the stats answer ("demo snapshot", "sagemaker us-east-1"). */
  readonly description: string;

  /**
   * The partition, region and account this source reads, so an ARN or link from elsewhere is
   * answered as such and never with a same-named entity here; undefined when it cannot be told.
   */
  scope(): Promise<AccountScope | undefined>;

  describeEntity(arn: string): Promise<LineageEntity | undefined>;
  /**
   * ListArtifacts / ListContexts / ListActions with their SourceUri and type filters. With
   * `withProperties: false` the entities may come from the list summaries alone (name, type,
   * source URI; properties empty): the caller does not need them, and each would cost a describe.
   */
  listEntities(filter: EntityFilter, options?: ListOptions): Promise<LineageEntity[]>;
  queryLineage(query: LineageQuery, onVertices?: VertexListener): Promise<LineageQueryResult>;

  describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined>;
  describeModel(name: string): Promise<ModelResource | undefined>;
  describeEndpoint(name: string): Promise<EndpointResource | undefined>;
  describeEndpointConfig(name: string): Promise<EndpointConfigResource | undefined>;
  describeTrainingJob(name: string): Promise<TrainingJobResource | undefined>;
  describeProcessingJob(name: string): Promise<ProcessingJobResource | undefined>;
  describeModelPackageGroup(nameOrArn: string): Promise<ModelPackageGroupResource | undefined>;
  /** ListModelPackages of one group, every page; empty when the group has none (or does not exist). */
  listModelPackages(groupNameOrArn: string): Promise<ModelPackageResource[]>;
  describePipelineExecution(arn: string): Promise<PipelineExecutionResource | undefined>;
  /** ListTags of a SageMaker resource ARN; an empty object when it has none. */
  listTags(resourceArn: string): Promise<Record<string, string>>;

  /** Case-insensitive substring search over names (and data-source URIs), at most `limit` hits per kind. */
  searchResources(text: string, kinds: readonly ResourceKind[], limit: number): Promise<ResourceHit[]>;

  /**
   * Data sources whose URI contains `text` (case-insensitive), at most `limit`. SageMaker cannot
   * filter artifacts by part of a URI, so this reads the data sets it lists, up to a bound, and
   * says when it stopped at the bound. (`searchResources` reads every data set it needs to: the
   * resolver must not say a data source does not exist because it stopped early.)
   */
  searchDataSources(text: string, limit: number): Promise<DataSourceSearch>;

  /**
   * Resources whose tag under one of `keys` equals one of `values` exactly (SageMaker Search on
   * `Tags.<key>`), every page, no cap: what App Home asks, at a cost that follows the answer.
   */
  findTagged(kinds: readonly SearchableKind[], keys: readonly string[], values: readonly string[]): Promise<TaggedHit[]>;

  /**
   * Resources named one of `names`, compared without case (SageMaker Search with name filters,
   * asking each name as written and in lower case): how a message's words are recognised
   * without listing the account.
   */
  findNamed(names: readonly string[], kinds: readonly SearchableKind[]): Promise<ResourceHit[]>;

  /**
   * Feature groups by creation and modification time, where the source can find them so (SageMaker
   * Search); a source without it is watched by checking every group each cycle.
   */
  featureGroupFeed?(): FeatureGroupFeed;

  /**
   * The tags of many models and endpoints at once, in the order asked: every owner of an impact.
   * One subject that cannot be read is that subject's answer, not a failure of the whole call.
   */
  tagsOf(subjects: readonly TagSubject[]): Promise<SubjectTags[]>;
}
