// The LineageSource port over the real SageMaker API (@aws-sdk/client-sagemaker). The calls and
// their shapes live in SageMakerResponses; this class turns responses into port types, continues
// QueryLineage past SageMaker's depth limit, and searches names.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { isLineageError } from '../errors.js';
import { mapPool } from '../pool.js';
import { parseArn, partitionOf } from '../reference.js';
import { tagsOneByOne } from '../tags-of.js';
import type {
  AccountScope,
  DataSourceSearch,
  EndpointConfigResource,
  EndpointResource,
  EntityFilter,
  FeatureGroupClues,
  FeatureGroupFeed,
  FeatureGroupResource,
  LineageEntity,
  LineageQuery,
  LineageQueryResult,
  LineageSource,
  ListOptions,
  ModelPackageGroupResource,
  ModelPackageResource,
  ModelResource,
  PipelineExecutionResource,
  ProcessingJobResource,
  ResourceHit,
  ResourceKind,
  SearchableKind,
  SubjectTags,
  TagSubject,
  TaggedHit,
  TrainingJobResource,
  VertexListener,
} from '../lineage-source.js';
import { createFanOutClient, createSageMakerClient, SageMakerCalls, type SageMakerSourceOptions } from './sagemaker-client.js';
import { lineageResponseToEntity, SageMakerResponses, type LineageSummary } from './sagemaker-responses.js';
import { featureGroupFeed, findFeatureGroupsByStore, findNamedSageMaker, findTaggedSageMaker, searchByName, searchDataSourcesSageMaker, searchedKey, searchSageMaker } from './sagemaker-search.js';
import { deepQueryLineage } from './sagemaker-walk.js';
import {
  endpointConfigFromShape,
  endpointFromShape,
  featureGroupFromShape,
  modelFromShape,
  modelPackageFromShape,
  modelPackageGroupFromShape,
  pipelineExecutionFromShape,
  processingJobFromShape,
  trainingJobFromShape,
} from './shapes.js';

export type { SageMakerSourceOptions } from './sagemaker-client.js';

export class SageMakerSource extends SageMakerResponses implements LineageSource {
  /** The account and region read, once known; an account not learned yet is looked for again. */
  private home: Promise<AccountScope> | undefined;

  /** The same account through the fan-out client (adaptive retry), within the same bound on calls in flight. */
  private readonly fanOut: SageMakerSource;

  constructor(
    client: SageMakerClient,
    options: { concurrency: number; fanOutClient?: SageMakerClient; calls?: SageMakerCalls },
    readonly description: string,
  ) {
    const concurrency = Math.max(1, options.concurrency);
    super(client, concurrency, options.calls ?? new SageMakerCalls(concurrency));
    this.fanOut =
      options.fanOutClient && options.fanOutClient !== client ? new SageMakerSource(options.fanOutClient, { concurrency, calls: this.calls }, description) : this;
  }

  /**
   * The region is the client's (AWS_REGION or the profile's); the account is read off the ARN of
   * something the account owns, so no permission beyond the read-only ones is needed.
   */
  async scope(): Promise<AccountScope> {
    this.home ??= this.findScope();
    try {
      const found = await this.home;
      if (found.account === undefined) this.home = undefined;
      return found;
    } catch (error) {
      this.home = undefined;
      throw error;
    }
  }

  private async findScope(): Promise<AccountScope> {
    const region = await this.client.config.region();
    let arn: string | undefined;
    try {
      arn = await this.firstOwnArn();
    } catch (error) {
      // Not knowing the account only weakens the check; the question itself reports the failure.
      if (!isLineageError(error)) throw error;
    }
    const account = arn ? parseArn(arn)?.account : undefined;
    return { partition: partitionOf(region), region, ...(account !== undefined ? { account } : {}) };
  }

  async describeEntity(arn: string): Promise<LineageEntity | undefined> {
    const described = await this.describeLineageResponse(arn);
    return described && lineageResponseToEntity(described);
  }

  /** List* narrows by SourceUri and type; each match is then described, because summaries carry no properties. */
  async listEntities(filter: EntityFilter, options: ListOptions = {}): Promise<LineageEntity[]> {
    const summaries = await this.listLineageSummaries(filter.lineageType, {
      ...(filter.type !== undefined ? { type: filter.type } : {}),
      ...(filter.sourceUri !== undefined ? { sourceUri: filter.sourceUri } : {}),
      ...(filter.trialName !== undefined ? { trialName: filter.trialName } : {}),
    });
    // The summaries already say what each entity is; describing them only adds its properties.
    if (options.withProperties === false) return summaries.map((summary) => summaryToEntity(filter.lineageType, summary));
    const entities = await mapPool(summaries, this.concurrency, (summary) => this.describeEntity(summary.arn));
    return entities.filter((entity): entity is LineageEntity => entity !== undefined);
  }

  async queryLineage(query: LineageQuery, onVertices?: VertexListener): Promise<LineageQueryResult> {
    return deepQueryLineage(query, (arn, direction, depth, listener) => this.queryLineageOnce(arn, direction, depth, listener), {
      concurrency: this.concurrency,
      onVertices,
      describeStart: async () => {
        const start = await this.describeEntity(query.startArn);
        return start && { arn: start.arn, lineageType: start.lineageType, ...(start.type !== undefined ? { type: start.type } : {}) };
      },
    });
  }

  async describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined> {
    const response = await this.describeFeatureGroupResponse(nameOrArn);
    return response && featureGroupFromShape(response);
  }

  async describeModel(name: string): Promise<ModelResource | undefined> {
    const response = await this.describeModelResponse(name);
    return response && modelFromShape(response);
  }

  async describeEndpoint(name: string): Promise<EndpointResource | undefined> {
    const response = await this.describeEndpointResponse(name);
    return response && endpointFromShape(response);
  }

  async describeEndpointConfig(name: string): Promise<EndpointConfigResource | undefined> {
    const response = await this.describeEndpointConfigResponse(name);
    return response && endpointConfigFromShape(response);
  }

  async describeTrainingJob(name: string): Promise<TrainingJobResource | undefined> {
    const response = await this.describeTrainingJobResponse(name);
    return response && trainingJobFromShape(response);
  }

  async describeProcessingJob(name: string): Promise<ProcessingJobResource | undefined> {
    const response = await this.describeProcessingJobResponse(name);
    return response && processingJobFromShape(response);
  }

  async describeModelPackageGroup(nameOrArn: string): Promise<ModelPackageGroupResource | undefined> {
    const response = await this.describeModelPackageGroupResponse(nameOrArn);
    return response && modelPackageGroupFromShape(response);
  }

  async listModelPackages(groupNameOrArn: string): Promise<ModelPackageResource[]> {
    return (await this.listModelPackageResponses(groupNameOrArn)).map(modelPackageFromShape);
  }

  async describePipelineExecution(arn: string): Promise<PipelineExecutionResource | undefined> {
    const response = await this.describePipelineExecutionResponse(arn);
    return response && pipelineExecutionFromShape(response);
  }

  async listTags(resourceArn: string): Promise<Record<string, string>> {
    const tags = await this.listTagResponses(resourceArn);
    return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
  }

  async searchResources(text: string, kinds: readonly ResourceKind[], limit: number): Promise<ResourceHit[]> {
    return searchSageMaker(this, this.concurrency, text, kinds, limit);
  }

  async searchDataSources(text: string, limit: number): Promise<DataSourceSearch> {
    return searchDataSourcesSageMaker(this, this.concurrency, text, limit);
  }

  async findTagged(kinds: readonly SearchableKind[], keys: readonly string[], values: readonly string[]): Promise<TaggedHit[]> {
    return findTaggedSageMaker(this, this.concurrency, kinds, keys, values);
  }

  async findNamed(names: readonly string[], kinds: readonly SearchableKind[]): Promise<ResourceHit[]> {
    return findNamedSageMaker(this, this.concurrency, names, kinds);
  }

  /** Feature groups whose offline store the clues point at (a superset: `infer` weighs the evidence). */
  async findFeatureGroupsByStore(clues: FeatureGroupClues): Promise<FeatureGroupResource[]> {
    const found = await findFeatureGroupsByStore(this, this.concurrency, clues);
    const described = await mapPool(found, this.concurrency, (group) => this.describeFeatureGroup(group.arn));
    return described.filter((group): group is FeatureGroupResource => group !== undefined);
  }

  /** Feature groups by creation and modification time, for the watcher. */
  featureGroupFeed(): FeatureGroupFeed {
    return featureGroupFeed(this);
  }

  /**
   * Owners' tags for an impact, on the fan-out client: Search by name returns each model's and
   * endpoint's tags with it (20 names a call instead of a describe and a ListTags each); what
   * Search did not return (not indexed yet, deleted, a Search that failed) is read one by one.
   */
  async tagsOf(subjects: readonly TagSubject[]): Promise<SubjectTags[]> {
    const found = await searchByName(this.fanOut, this.concurrency, subjects);
    const rest = subjects.filter((s) => !found.has(searchedKey(s.kind, s.name)));
    const read = new Map((await tagsOneByOne(this.fanOut, rest, this.concurrency)).map((r) => [r.subject, r]));
    return subjects.map((subject): SubjectTags => {
      const record = found.get(searchedKey(subject.kind, subject.name));
      if (!record) return read.get(subject) as SubjectTags;
      const tags = Object.fromEntries(record.tags.map((tag) => [tag.Key, tag.Value]));
      return { subject, found: true, tags, ...(record.status !== undefined ? { status: record.status } : {}) };
    });
  }
}

/**
 * The source for LINEAGE_SOURCE=sagemaker. `client` replaces the one built from `options` (tests,
 * observed clients), and is then the fan-out client too unless `fanOutClient` is given.
 */
export function createSageMakerSource(options: SageMakerSourceOptions, client?: SageMakerClient, fanOutClient?: SageMakerClient): SageMakerSource {
  const where = options.endpoint !== undefined ? ` via ${options.endpoint}` : '';
  const description = `sagemaker ${options.region ?? '(region from the AWS configuration)'}${where}`;
  const answers = client ?? createSageMakerClient(options);
  const fanOut = fanOutClient ?? (client ? client : createFanOutClient(options));
  return new SageMakerSource(answers, { concurrency: options.concurrency, fanOutClient: fanOut }, description);
}

function summaryToEntity(lineageType: EntityFilter['lineageType'], summary: LineageSummary): LineageEntity {
  return {
    arn: summary.arn,
    lineageType,
    properties: {},
    ...(summary.name !== undefined ? { name: summary.name } : {}),
    ...(summary.type !== undefined ? { type: summary.type } : {}),
    ...(summary.sourceUri !== undefined ? { sourceUri: summary.sourceUri } : {}),
  };
}
