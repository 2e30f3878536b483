// What each lineage question answers: plain data that blocks/ renders and tests compare.
import type { Kind } from './classify.js';
import type { Deprecation } from './deprecation.js';
import type { FeatureUse } from './feature-query.js';

export type { Deprecation, FeatureUse };

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

/** A feature a query uses, and how: selected, join key, filter, grouping, ordering, partition. */
export interface UsedFeature {
  name: string;
  uses: FeatureUse[];
}

/** Why the recorded queries cannot tell which features were used. */
export type FeaturesUnknownReason =
  /** The model reads the group with no training dataset recorded in between. */
  | 'no-dataset'
  /** The dataset records no feature-store query. */
  | 'no-query'
  /** The query is stored cut at ml-lineage-helper's 256 characters. */
  | 'cut-query'
  /** The query could not be parsed (the reason is in the log). */
  | 'unreadable-query'
  /** The query reads no table of the group, under its name today or an earlier epoch one. */
  | 'no-matching-table'
  /** The group has no offline-store table, so no query can be matched to it. */
  | 'no-offline-table'
  /** The group's definition could not be read (it no longer exists). */
  | 'group-not-described'
  /** The datasets read a feature group built from this one. */
  | 'through-feature-group';

export interface FeaturesUnknown {
  reason: FeaturesUnknownReason;
  /** The datasets concerned (none for 'no-dataset'). */
  datasets: EntityRef[];
  /** For 'through-feature-group': the groups in between. */
  through?: EntityRef[];
}

/** What the recorded queries say about the features taken from one feature group. */
export interface FeaturesUsed {
  /** Features the queries use, in the group's order, each with how it is used. */
  used: UsedFeature[];
  /** A query selects every feature of the group (SELECT * or t.*); `used` then lists them all. */
  allSelected: boolean;
  /** What the queries cannot tell, and why; empty when every dataset's query was read. */
  unknown: FeaturesUnknown[];
}

export interface FeatureGroupDependency {
  featureGroup: EntityRef;
  features: FeaturesUsed;
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

/**
 * The feature groups built from the subject through which something is reached, nearest first:
 * `[claims-enriched]` for a model reading claims-enriched, which is built from the subject.
 * Empty when it is reached directly.
 */
export type Through = EntityRef[];

export interface ConsumingModel {
  model: EntityRef;
  endpoints: EntityRef[];
  /** Set when the model reads only feature groups built from the subject, not the subject itself. */
  through?: Through;
}

/** A feature group built from another one (by a feature-processor pipeline or a job reading its offline store). */
export interface DerivedGroup {
  featureGroup: EntityRef;
  /** The groups in between, when it is built from a group that is itself built from the subject. */
  through: Through;
}

/** 2. The models and endpoints consuming a feature group, directly or through groups built from it. */
export interface ConsumersAnswer {
  question: 'consumers';
  subject: EntityRef;
  models: ConsumingModel[];
  /** Every endpoint serving one of those models (or, on a page, those serving the page's models and any serving none), with its status when known. */
  endpoints: (EntityRef & { status?: string; through?: Through })[];
  /** Feature groups built from the subject, at any depth: their consumers are the subject's too. */
  derivedGroups: DerivedGroup[];
  /**
   * Training datasets in between. Counted, not named: naming them would cost a describe call
   * each, and the question is about models and endpoints.
   */
  datasetCount: number;
  /** Set when the group is marked deprecated in SageMaker (its lineage-bot:deprecated tags). */
  deprecation?: Deprecation;
  /** Set when `models` is one page of them (see ConsumersPage); absent when every consumer is listed. */
  page?: ConsumersPage;
  truncation?: Truncation;
}

/** Models a page of an answer lists at most: what a first page describes, whatever the answer's size. */
export const ANSWER_PAGE_SIZE = 30;

/**
 * One page of a consumers answer. Only the page's models, and the endpoints serving them, are
 * described (named); the totals are counted from the lineage query's vertex types, so they cover
 * every consumer, named or not. Models are paged nearest first (those reading the subject
 * directly, then through groups built from it), then by lineage ARN: an order known before
 * anything is described, the same on every page.
 */
export interface ConsumersPage {
  /** This page's number, from 0. */
  index: number;
  /** Where the page's models start among all of them. */
  start: number;
  /** Models on this page (before models sharing a name are shown as one). */
  size: number;
  /** Every consuming model and every endpoint serving one, counted by lineage entity. */
  models: number;
  endpoints: number;
  /** Of those, reached only through feature groups built from the subject. */
  modelsThrough: number;
  endpointsThrough: number;
}

/** 3. What builds a feature group: raw data, pipelines, code (and feature groups it derives from). */
export interface UpstreamAnswer {
  question: 'upstream';
  subject: EntityRef;
  dataSources: EntityRef[];
  pipelines: EntityRef[];
  code: EntityRef[];
  featureGroups: EntityRef[];
  /** Set when the group is marked deprecated in SageMaker. */
  deprecation?: Deprecation;
  truncation?: Truncation;
}

export interface BuiltFeatureGroup {
  featureGroup: EntityRef;
  /** The pipelines that build it, from the data source or from the group it is built from. */
  pipelines: EntityRef[];
  /** Set for a group built from another group built from the data source: the groups in between. */
  through?: Through;
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
  /** For a feature group: `features`, what the trail's queries use of it; `builtFrom`, the groups in the trail it is built from. */
  entities: (EntityRef & { detail?: string; features?: FeaturesUsed; builtFrom?: EntityRef[] })[];
}

/** 5. The whole trail of a model, data source to endpoint, in flow order. */
export interface TrailAnswer {
  question: 'trail';
  subject: EntityRef;
  /** Stages in order: DataSource, Code, pipelines, FeatureGroup, Dataset, TrainingJob, Model, ModelPackage, Endpoint. Empty stages are left out. */
  stages: TrailStage[];
  truncation?: Truncation;
}

export interface FeatureUser {
  model: EntityRef;
  /** The datasets whose queries use the feature. */
  datasets: EntityRef[];
  /** How those queries use it. */
  uses: FeatureUse[];
}

/** A model that reads the feature group, but whose recorded queries cannot tell whether it uses the feature. */
export interface FeatureUserUnknown {
  model: EntityRef;
  unknown: FeaturesUnknown[];
}

/** 6. Which models use a feature, and how, from the datasets' feature-store queries. */
export interface FeatureUsageAnswer {
  question: 'featureUsage';
  featureGroup: EntityRef;
  feature: { name: string; type: string };
  models: FeatureUser[];
  /** Models reading the group whose use of the feature is not known: never counted as not using it. */
  unknownModels: FeatureUserUnknown[];
  /** Datasets that use the feature but lead to no model (yet). */
  unusedDatasets: (EntityRef & { uses: FeatureUse[] })[];
  /** False when queries cannot be matched to the group (it has no offline-store table). */
  matchable: boolean;
  truncation?: Truncation;
}

/** Which models use any of some features of one group: what a feature-level notice reaches. */
export interface FeatureSetUsage {
  featureGroup: EntityRef;
  /** The features asked about, in the order asked, as the group spells them. */
  features: { name: string; type: string }[];
  /** Models whose queries use at least one of them: which, in the order asked. */
  models: { model: EntityRef; features: string[] }[];
  /** Models reading the group whose queries cannot tell: they may be affected. */
  unknownModels: FeatureUserUnknown[];
  /** Models whose recorded queries read the group and use none of the features. */
  unaffected: EntityRef[];
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
  /** Set when data sources were looked for among only this many data sets (the first SageMaker lists): others may match too. */
  dataSetsRead?: number;
}

export interface EntityOwners {
  entity: { kind: Kind; name: string; arn: string };
  /** For a feature group's consumer reached through groups built from it: those groups. */
  through?: Through;
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
  /** For a feature group asked a page at a time: `entries` are the group (on the first page) and that page of its consumers. */
  page?: ConsumersPage;
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
  /** Set when the group is marked deprecated in SageMaker. */
  deprecation?: Deprecation;
}

/** What one person owns (by owner tag) and the feature groups those depend on: the App Home. */
export interface OwnedAnswer {
  owned: {
    entity: { kind: Kind; name: string; arn: string };
    featureGroups: string[];
    /** The walk behind `featureGroups` was cut short: there may be more. */
    partial?: boolean;
    problem?: string;
    /** Beyond the first `walked`: listed by name, its feature groups not looked up. */
    notWalked?: true;
  }[];
  /** How many of `owned`, from the first, had the feature groups they depend on looked up. */
  walked: number;
}
