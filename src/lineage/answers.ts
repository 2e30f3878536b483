// What each lineage question answers: plain data that blocks/ renders and tests compare.
import type { Kind } from './classify.js';

/** An entity in an answer. `ref` is what a follow-up question can be asked with (an ARN or a name). */
export interface EntityRef {
  kind: Kind;
  name: string;
  /** The lineage entity's ARN. */
  arn: string;
  /** The S3 URI or resource ARN the lineage entity stands for. */
  sourceUri?: string;
}

/** Why an answer may be incomplete. Absent when the walk saw everything. */
export interface Truncation {
  /** Some entity lay further than `maxDepth` hops away. */
  depthExceeded: boolean;
  /** The walk reached more than `maxVertices` entities; the farthest were left out. */
  sizeExceeded: boolean;
  maxDepth: number;
  maxVertices: number;
}

export interface FeatureGroupDependency {
  featureGroup: EntityRef;
  /** Features selected by the datasets' feature-store queries; `['*']` when a query selects them all; empty when no query shows them. */
  features: string[];
  /** The datasets through which the model depends on this feature group. */
  datasets: EntityRef[];
}

/** 1. The feature groups (and features) a model or an endpoint depends on. */
export interface DependenciesAnswer {
  question: 'dependencies';
  subject: EntityRef;
  featureGroups: FeatureGroupDependency[];
  /** For an endpoint: the models it serves; for a model: itself. */
  models: EntityRef[];
  trainingJobs: EntityRef[];
  truncation?: Truncation;
}

export interface ConsumingModel {
  model: EntityRef;
  endpoints: EntityRef[];
}

/** 2. The models and endpoints consuming a feature group. */
export interface ConsumersAnswer {
  question: 'consumers';
  subject: EntityRef;
  models: ConsumingModel[];
  /** Every endpoint serving one of those models, with its status when known. */
  endpoints: (EntityRef & { status?: string })[];
  /**
   * Training datasets in between. Counted, not named: naming them would cost a describe call
   * each, and the question is about models and endpoints.
   */
  datasetCount: number;
  truncation?: Truncation;
}

/** 3. What builds a feature group: raw data, pipelines, code (and feature groups it derives from). */
export interface UpstreamAnswer {
  question: 'upstream';
  subject: EntityRef;
  dataSources: EntityRef[];
  pipelines: EntityRef[];
  code: EntityRef[];
  featureGroups: EntityRef[];
  truncation?: Truncation;
}

export interface BuiltFeatureGroup {
  featureGroup: EntityRef;
  pipelines: EntityRef[];
}

/** 4. The feature groups built from a data source. */
export interface BuiltFromAnswer {
  question: 'builtFrom';
  subject: EntityRef;
  featureGroups: BuiltFeatureGroup[];
  truncation?: Truncation;
}

export interface TrailStage {
  kind: Kind;
  entities: (EntityRef & { detail?: string })[];
}

/** 5. The whole trail of a model, data source to endpoint, in flow order. */
export interface TrailAnswer {
  question: 'trail';
  subject: EntityRef;
  /** Stages in order: DataSource, Code, pipelines, FeatureGroup, Dataset, TrainingJob, Model, ModelPackage, Endpoint. Empty stages are left out. */
  stages: TrailStage[];
  truncation?: Truncation;
}

export interface FeatureSelection {
  model: EntityRef;
  datasets: EntityRef[];
}

/** 6. Which models selected a feature, from the datasets' feature-store queries. */
export interface FeatureUsageAnswer {
  question: 'featureUsage';
  featureGroup: EntityRef;
  feature: { name: string; type: string };
  models: FeatureSelection[];
  /** Datasets that select the feature but lead to no model (yet). */
  unusedDatasets: EntityRef[];
  /** False when queries cannot be matched to the group (it has no offline-store table): "no models" then means "unknown". */
  matchable: boolean;
  truncation?: Truncation;
}

export interface SearchHit {
  kind: Kind;
  name: string;
  arn: string;
}

/** 7. Entities whose name contains some text. */
export interface SearchAnswer {
  question: 'search';
  text: string;
  hits: SearchHit[];
  /** True when a kind had more hits than were fetched. */
  more: boolean;
}

export interface EntityOwners {
  entity: { kind: Kind; name: string; arn: string };
  /** Values of the owner tags: emails or Slack user IDs, as tagged. */
  owners: string[];
  /** Values of the channel tags ("#fraud-ml" or a channel ID). */
  channels: string[];
}

/** Who owns an entity (by its tags) and, for a feature group, the entities consuming it. */
export interface OwnersAnswer {
  question: 'owners';
  subject: EntityRef;
  entries: EntityOwners[];
  truncation?: Truncation;
}

/** A feature group's definition. */
export interface FeaturesAnswer {
  question: 'features';
  subject: EntityRef;
  features: { name: string; type: string }[];
  recordIdentifier: string;
  eventTime: string;
  offlineTable?: string;
  description?: string;
}

/** What one person owns (by owner tag) and the feature groups those depend on: the App Home. */
export interface OwnedAnswer {
  owned: { entity: { kind: Kind; name: string; arn: string }; featureGroups: string[]; problem?: string }[];
  /** How many models and endpoints were looked at. */
  scanned: number;
  /** True when the account has more models or endpoints than were looked at. */
  capped: boolean;
}

export type Answer =
  | OwnersAnswer
  | FeaturesAnswer
  | DependenciesAnswer
  | ConsumersAnswer
  | UpstreamAnswer
  | BuiltFromAnswer
  | TrailAnswer
  | FeatureUsageAnswer
  | SearchAnswer;
