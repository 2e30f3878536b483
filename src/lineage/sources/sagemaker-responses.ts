// SageMaker API calls returning responses in SageMaker's own shapes (validated with the snapshot
// schemas). The LineageSource adapter converts them into port types; `lineage-bot export` writes
// them into a snapshot file as they are.
import {
  DescribeActionCommand,
  DescribeArtifactCommand,
  DescribeContextCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeFeatureGroupCommand,
  DescribeModelCommand,
  DescribeModelPackageGroupCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTrialComponentCommand,
  ListActionsCommand,
  ListArtifactsCommand,
  ListAssociationsCommand,
  ListContextsCommand,
  ListFeatureGroupsCommand,
  ListModelPackagesCommand,
  ListTagsCommand,
  ListTrialComponentsCommand,
  QueryLineageCommand,
  SearchCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { parseArn, pipelineExecution } from '../reference.js';
import type { Direction, FeatureGroupStamp, GroupCount, LineageEntity, LineageType, LineageVertex, VertexListener } from '../lineage-source.js';
import { collectPages, listMember, parseResponse, SageMakerCalls } from './sagemaker-client.js';
import type { LineageFragment } from './sagemaker-walk.js';
import {
  ActionShape,
  actionToEntity,
  ArtifactShape,
  artifactToEntity,
  AssociationEdgeType,
  AssociationShape,
  ContextShape,
  contextToEntity,
  EndpointConfigShape,
  EndpointShape,
  FeatureGroupShape,
  ModelPackageGroupShape,
  ModelPackageSummaryShape,
  ModelShape,
  PipelineExecutionShape,
  ProcessingJobShape,
  TagShape,
  TrainingJobShape,
  TrialComponentShape,
  trialComponentToEntity,
} from './shapes.js';

export type ArtifactResponse = z.output<typeof ArtifactShape>;
export type ContextResponse = z.output<typeof ContextShape>;
export type ActionResponse = z.output<typeof ActionShape>;
export type TrialComponentResponse = z.output<typeof TrialComponentShape>;
export type AssociationResponse = z.output<typeof AssociationShape>;
export type FeatureGroupResponse = z.output<typeof FeatureGroupShape>;
export type ModelResponse = z.output<typeof ModelShape>;
export type EndpointResponse = z.output<typeof EndpointShape>;
export type EndpointConfigResponse = z.output<typeof EndpointConfigShape>;
export type TrainingJobResponse = z.output<typeof TrainingJobShape>;
export type ProcessingJobResponse = z.output<typeof ProcessingJobShape>;
export type TagResponse = z.output<typeof TagShape>;
export type ModelPackageGroupResponse = z.output<typeof ModelPackageGroupShape>;
export type ModelPackageSummaryResponse = z.output<typeof ModelPackageSummaryShape>;
export type PipelineExecutionResponse = z.output<typeof PipelineExecutionShape>;

/** A described lineage entity, tagged with which of the four Describe* calls it came from. */
export type LineageEntityResponse =
  | { lineageType: 'Artifact'; response: ArtifactResponse }
  | { lineageType: 'Context'; response: ContextResponse }
  | { lineageType: 'Action'; response: ActionResponse }
  | { lineageType: 'TrialComponent'; response: TrialComponentResponse };

export function lineageResponseToEntity(described: LineageEntityResponse): LineageEntity {
  switch (described.lineageType) {
    case 'Artifact':
      return artifactToEntity(described.response);
    case 'Context':
      return contextToEntity(described.response);
    case 'Action':
      return actionToEntity(described.response);
    case 'TrialComponent':
      return trialComponentToEntity(described.response);
  }
}

/** What a List* summary tells without describing: enough to filter, not to classify. */
export interface LineageSummary {
  arn: string;
  /** SourceUri, or a trial component's SourceArn. */
  sourceUri?: string;
  /** ArtifactName / ContextName / ActionName / TrialComponentName, as listed. */
  name?: string;
  /** ArtifactType / ContextType / ActionType, or a trial component's source type, as listed. */
  type?: string;
}

export interface NamedResource {
  name: string;
  arn: string;
}

/** A Search record of a feature group, model or endpoint: its name, ARN and the tags Search returns with it. */
export interface SearchedResource extends NamedResource {
  tags: TagResponse[];
  /** An endpoint's EndpointStatus, as the record gives it. */
  status?: string;
}

/**
 * One `Equals` filter of a SearchExpression: a property (`ModelName`, `Tags.owner`) and its value;
 * or a `Contains` one, of which SageMaker takes one per expression.
 */
export interface EqualsFilter {
  name: string;
  value: string;
  operator?: 'Equals' | 'Contains';
}

/** One Search filter of any operator; times are sent as ISO 8601 text. */
export interface SearchFilter {
  name: string;
  operator: 'Equals' | 'GreaterThanOrEqualTo' | 'LessThan';
  value: string;
}

/** SageMaker's FilterList holds at most 20 filters; longer alternatives take several searches. */
export const SEARCH_FILTERS_PER_EXPRESSION = 20;

const VertexShape = z.looseObject({
  Arn: z.string().min(1),
  LineageType: z.enum(['Artifact', 'Context', 'Action', 'TrialComponent']),
  Type: z.string().optional(),
});
const EdgeShape = z.looseObject({
  SourceArn: z.string().min(1),
  DestinationArn: z.string().min(1),
  AssociationType: AssociationEdgeType,
});
const QueryLineagePageShape = z.looseObject({
  Vertices: z.array(VertexShape).default([]),
  Edges: z.array(EdgeShape).default([]),
  NextToken: z.string().optional(),
});

/**
 * Name patterns from the API model. A name that cannot match is not looked up: SageMaker would
 * answer with a ValidationException about the pattern rather than "not found".
 */
const NAME_PATTERNS = {
  model: /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
  endpoint: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  job: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  featureGroup: /^[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}$/,
} as const;

/** The resource name, whether given as a name or as an ARN of `resourceType`; undefined when it cannot be one. */
function resourceName(nameOrArn: string, resourceType: string, pattern: RegExp): string | undefined {
  const parsed = parseArn(nameOrArn);
  const name = parsed ? (parsed.resourceType === resourceType ? parsed.resourceName : undefined) : nameOrArn;
  return name !== undefined && name.length <= 63 && pattern.test(name) ? name : undefined;
}

/** List* and Search take at most 100 results a page. */
const PAGE = 100;

export class SageMakerResponses {
  constructor(
    protected readonly client: SageMakerClient,
    /** Calls in flight at once, across everything this source does. */
    protected readonly concurrency: number,
    /** The bound on calls in flight; shared by the clients of one source (answers and fan-outs). */
    protected readonly calls: SageMakerCalls = new SageMakerCalls(concurrency),
  ) {}

  /** Describe{Artifact,Context,Action,TrialComponent}, chosen by the ARN's resource type. */
  async describeLineageResponse(arn: string): Promise<LineageEntityResponse | undefined> {
    // Context, action and trial-component Describe* inputs accept an ARN in place of the name,
    // which keeps entities shared from another account distinct from same-named local ones.
    switch (parseArn(arn)?.resourceType) {
      case 'artifact': {
        const out = await this.calls.callOrUndefined('DescribeArtifact', () =>
          this.client.send(new DescribeArtifactCommand({ ArtifactArn: arn })),
        );
        return out && { lineageType: 'Artifact', response: parseResponse('DescribeArtifact', ArtifactShape, out) };
      }
      case 'context': {
        const out = await this.calls.callOrUndefined('DescribeContext', () =>
          this.client.send(new DescribeContextCommand({ ContextName: arn })),
        );
        return out && { lineageType: 'Context', response: parseResponse('DescribeContext', ContextShape, out) };
      }
      case 'action': {
        const out = await this.calls.callOrUndefined('DescribeAction', () =>
          this.client.send(new DescribeActionCommand({ ActionName: arn })),
        );
        return out && { lineageType: 'Action', response: parseResponse('DescribeAction', ActionShape, out) };
      }
      case 'experiment-trial-component': {
        const out = await this.calls.callOrUndefined('DescribeTrialComponent', () =>
          this.client.send(new DescribeTrialComponentCommand({ TrialComponentName: arn })),
        );
        return out && { lineageType: 'TrialComponent', response: parseResponse('DescribeTrialComponent', TrialComponentShape, out) };
      }
      default:
        return undefined; // not a lineage entity ARN: no Describe* call can know it
    }
  }

  /**
   * ListArtifacts / ListContexts / ListActions (SourceUri and type filters) or ListTrialComponents
   * (SourceArn filter), every page unless `enough` stops early.
   */
  async listLineageSummaries(
    lineageType: LineageType,
    filter: { type?: string; sourceUri?: string; trialName?: string } = {},
    enough?: (collected: readonly LineageSummary[]) => boolean | Promise<boolean>,
  ): Promise<LineageSummary[]> {
    const { type, sourceUri, trialName } = filter;
    const summary = (arn: string | undefined, uri: string | undefined, name?: string, kind?: string): LineageSummary[] =>
      arn ? [{ arn, ...(uri !== undefined ? { sourceUri: uri } : {}), ...(name ? { name } : {}), ...(kind ? { type: kind } : {}) }] : [];
    switch (lineageType) {
      case 'Artifact':
        return collectPages(async (NextToken) => {
          const out = await this.calls.call('ListArtifacts', () =>
            this.client.send(new ListArtifactsCommand({ SourceUri: sourceUri, ArtifactType: type, MaxResults: PAGE, NextToken })),
          );
          const items = listMember('ListArtifacts', 'ArtifactSummaries', out.ArtifactSummaries).flatMap((a) => summary(a.ArtifactArn, a.Source?.SourceUri, a.ArtifactName, a.ArtifactType));
          return { items, nextToken: out.NextToken };
        }, enough);
      case 'Context':
        return collectPages(async (NextToken) => {
          const out = await this.calls.call('ListContexts', () =>
            this.client.send(new ListContextsCommand({ SourceUri: sourceUri, ContextType: type, MaxResults: PAGE, NextToken })),
          );
          const items = listMember('ListContexts', 'ContextSummaries', out.ContextSummaries).flatMap((c) => summary(c.ContextArn, c.Source?.SourceUri, c.ContextName, c.ContextType));
          return { items, nextToken: out.NextToken };
        }, enough);
      case 'Action':
        return collectPages(async (NextToken) => {
          const out = await this.calls.call('ListActions', () =>
            this.client.send(new ListActionsCommand({ SourceUri: sourceUri, ActionType: type, MaxResults: PAGE, NextToken })),
          );
          const items = listMember('ListActions', 'ActionSummaries', out.ActionSummaries).flatMap((a) => summary(a.ActionArn, a.Source?.SourceUri, a.ActionName, a.ActionType));
          return { items, nextToken: out.NextToken };
        }, enough);
      case 'TrialComponent':
        return collectPages(async (NextToken) => {
          const out = await this.calls.call('ListTrialComponents', () =>
            this.client.send(new ListTrialComponentsCommand({ SourceArn: sourceUri, TrialName: trialName, MaxResults: PAGE, NextToken })),
          );
          // The summary calls the source TrialComponentSource, unlike DescribeTrialComponent's Source.
          const items = listMember('ListTrialComponents', 'TrialComponentSummaries', out.TrialComponentSummaries).flatMap((t) =>
            summary(t.TrialComponentArn, t.TrialComponentSource?.SourceArn, t.TrialComponentName, t.TrialComponentSource?.SourceType),
          );
          return { items, nextToken: out.NextToken };
        }, enough);
    }
  }

  /** ListAssociations, every page; with no filter, every association in the account and region. */
  async listAllAssociations(filter: { sourceArn?: string; destinationArn?: string } = {}): Promise<AssociationResponse[]> {
    const summaries = await collectPages(async (NextToken) => {
      const out = await this.calls.call('ListAssociations', () =>
        this.client.send(
          new ListAssociationsCommand({
            SourceArn: filter.sourceArn,
            DestinationArn: filter.destinationArn,
            MaxResults: PAGE,
            NextToken,
          }),
        ),
      );
      return { items: out.AssociationSummaries ?? [], nextToken: out.NextToken };
    });
    return summaries.map((summary) => {
      const a = parseResponse('ListAssociations', AssociationShape, summary);
      // Keep the association itself; SourceName, CreatedBy and the like describe its creation.
      return {
        SourceArn: a.SourceArn,
        DestinationArn: a.DestinationArn,
        AssociationType: a.AssociationType,
        ...(a.SourceType !== undefined ? { SourceType: a.SourceType } : {}),
        ...(a.DestinationType !== undefined ? { DestinationType: a.DestinationType } : {}),
      };
    });
  }

  /** One QueryLineage query from one start ARN: every page, vertices and edges deduplicated across pages. */
  async queryLineageOnce(startArn: string, direction: Direction, maxDepth: number, onVertices?: VertexListener): Promise<LineageFragment> {
    const vertices = new Map<string, LineageFragment['vertices'][number]>();
    const edges = new Map<string, LineageFragment['edges'][number]>();
    let missing = false;
    await collectPages(async (NextToken) => {
      const out = await this.calls.callOrUndefined('QueryLineage', () =>
        this.client.send(
          new QueryLineageCommand({
            StartArns: [startArn], // QueryLineage takes exactly one
            Direction: direction,
            IncludeEdges: true,
            MaxDepth: maxDepth,
            MaxResults: 50, // its limit
            NextToken,
          }),
        ),
      );
      if (!out) {
        missing = true; // an unknown start ARN: no lineage, not a failure
        return { items: [] };
      }
      const page = parseResponse('QueryLineage', QueryLineagePageShape, out);
      const found: LineageVertex[] = [];
      for (const v of page.Vertices) {
        // Pages may repeat a vertex; the first sighting stands.
        if (vertices.has(v.Arn)) continue;
        const vertex = { arn: v.Arn, lineageType: v.LineageType, ...(v.Type ? { type: v.Type } : {}) };
        vertices.set(v.Arn, vertex);
        found.push(vertex);
      }
      if (found.length > 0) onVertices?.(found);
      for (const e of page.Edges) {
        edges.set(`${e.SourceArn}\u0000${e.DestinationArn}\u0000${e.AssociationType}`, {
          sourceArn: e.SourceArn,
          destinationArn: e.DestinationArn,
          type: e.AssociationType,
        });
      }
      return { items: [], nextToken: page.NextToken };
    });
    return missing ? { vertices: [], edges: [] } : { vertices: [...vertices.values()], edges: [...edges.values()] };
  }

  /** DescribeFeatureGroup, following the NextToken that pages long FeatureDefinitions lists. */
  async describeFeatureGroupResponse(nameOrArn: string): Promise<FeatureGroupResponse | undefined> {
    const parsed = parseArn(nameOrArn);
    if (parsed ? parsed.resourceType !== 'feature-group' : !NAME_PATTERNS.featureGroup.test(nameOrArn)) return undefined;
    let first: object | undefined;
    let gone = false;
    const definitions = await collectPages(async (NextToken) => {
      const out = await this.calls.callOrUndefined('DescribeFeatureGroup', () =>
        this.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: nameOrArn, NextToken })),
      );
      if (!out) {
        gone = true;
        return { items: [] };
      }
      first ??= out;
      return { items: out.FeatureDefinitions ?? [], nextToken: out.NextToken };
    });
    if (gone || !first) return undefined;
    const { NextToken: _token, ...response } = { ...first, FeatureDefinitions: definitions } as Record<string, unknown>;
    return parseResponse('DescribeFeatureGroup', FeatureGroupShape, response);
  }

  /** ListFeatureGroups with NameContains, sorted by name, until `enough`. */
  async listFeatureGroupSummaries(
    nameContains?: string,
    enough?: (collected: readonly NamedResource[]) => boolean,
  ): Promise<NamedResource[]> {
    return collectPages(async (NextToken) => {
      const out = await this.calls.call('ListFeatureGroups', () =>
        this.client.send(
          new ListFeatureGroupsCommand({
            ...(nameContains ? { NameContains: nameContains } : {}),
            SortBy: 'Name',
            SortOrder: 'Ascending',
            MaxResults: PAGE,
            NextToken,
          }),
        ),
      );
      const items = listMember('ListFeatureGroups', 'FeatureGroupSummaries', out.FeatureGroupSummaries).flatMap((f) =>
        f.FeatureGroupName && f.FeatureGroupArn ? [{ name: f.FeatureGroupName, arn: f.FeatureGroupArn }] : [],
      );
      return { items, nextToken: out.NextToken };
    }, enough);
  }

  async describeModelResponse(nameOrArn: string): Promise<ModelResponse | undefined> {
    const ModelName = resourceName(nameOrArn, 'model', NAME_PATTERNS.model);
    if (ModelName === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeModel', () => this.client.send(new DescribeModelCommand({ ModelName })));
    return out && parseResponse('DescribeModel', ModelShape, out);
  }

  async describeEndpointResponse(nameOrArn: string): Promise<EndpointResponse | undefined> {
    const EndpointName = resourceName(nameOrArn, 'endpoint', NAME_PATTERNS.endpoint);
    if (EndpointName === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeEndpoint', () =>
      this.client.send(new DescribeEndpointCommand({ EndpointName })),
    );
    return out && parseResponse('DescribeEndpoint', EndpointShape, out);
  }

  async describeEndpointConfigResponse(nameOrArn: string): Promise<EndpointConfigResponse | undefined> {
    const EndpointConfigName = resourceName(nameOrArn, 'endpoint-config', NAME_PATTERNS.endpoint);
    if (EndpointConfigName === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeEndpointConfig', () =>
      this.client.send(new DescribeEndpointConfigCommand({ EndpointConfigName })),
    );
    return out && parseResponse('DescribeEndpointConfig', EndpointConfigShape, out);
  }

  async describeTrainingJobResponse(nameOrArn: string): Promise<TrainingJobResponse | undefined> {
    const TrainingJobName = resourceName(nameOrArn, 'training-job', NAME_PATTERNS.job);
    if (TrainingJobName === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeTrainingJob', () =>
      this.client.send(new DescribeTrainingJobCommand({ TrainingJobName })),
    );
    return out && parseResponse('DescribeTrainingJob', TrainingJobShape, out);
  }

  async describeProcessingJobResponse(nameOrArn: string): Promise<ProcessingJobResponse | undefined> {
    const ProcessingJobName = resourceName(nameOrArn, 'processing-job', NAME_PATTERNS.job);
    if (ProcessingJobName === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeProcessingJob', () =>
      this.client.send(new DescribeProcessingJobCommand({ ProcessingJobName })),
    );
    return out && parseResponse('DescribeProcessingJob', ProcessingJobShape, out);
  }

  /** DescribeModelPackageGroup, by name or ARN. */
  async describeModelPackageGroupResponse(nameOrArn: string): Promise<ModelPackageGroupResponse | undefined> {
    const parsed = parseArn(nameOrArn);
    const name = resourceName(nameOrArn, 'model-package-group', NAME_PATTERNS.job);
    if (name === undefined) return undefined;
    const out = await this.calls.callOrUndefined('DescribeModelPackageGroup', () =>
      // An ARN is passed as it is: a group shared from another account is that account's, not a same-named one here.
      this.client.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: parsed ? nameOrArn : name })),
    );
    return out && parseResponse('DescribeModelPackageGroup', ModelPackageGroupShape, out);
  }

  /** ListModelPackages of one group, newest first, every page; a group that does not exist has none. */
  async listModelPackageResponses(groupNameOrArn: string): Promise<ModelPackageSummaryResponse[]> {
    const name = resourceName(groupNameOrArn, 'model-package-group', NAME_PATTERNS.job);
    if (name === undefined) return [];
    const group = parseArn(groupNameOrArn) ? groupNameOrArn : name;
    const summaries = await collectPages(async (NextToken) => {
      const out = await this.calls.callOrUndefined('ListModelPackages', () =>
        this.client.send(
          new ListModelPackagesCommand({ ModelPackageGroupName: group, SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: PAGE, NextToken }),
        ),
      );
      return { items: listMember('ListModelPackages', 'ModelPackageSummaryList', out?.ModelPackageSummaryList), nextToken: out?.NextToken };
    });
    return summaries.map((summary) => parseResponse('ListModelPackages', ModelPackageSummaryShape, summary));
  }

  /** DescribePipelineExecution; only a pipeline execution ARN can name one. */
  async describePipelineExecutionResponse(arn: string): Promise<PipelineExecutionResponse | undefined> {
    const parsed = parseArn(arn);
    if (!parsed || !pipelineExecution(parsed)) return undefined;
    const out = await this.calls.callOrUndefined('DescribePipelineExecution', () =>
      this.client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn })),
    );
    return out && parseResponse('DescribePipelineExecution', PipelineExecutionShape, out);
  }

  /**
   * The ARN of something this account owns, to learn the account number from without an extra IAM
   * permission (STS GetCallerIdentity would need the STS endpoint reachable, and a client of its
   * own): the first feature group, context or artifact listed. Undefined for an empty account.
   */
  async firstOwnArn(): Promise<string | undefined> {
    const probes: (() => Promise<string | undefined>)[] = [
      async () => {
        const out = await this.calls.call('ListFeatureGroups', () => this.client.send(new ListFeatureGroupsCommand({ MaxResults: 1 })));
        return listMember('ListFeatureGroups', 'FeatureGroupSummaries', out.FeatureGroupSummaries)[0]?.FeatureGroupArn;
      },
      async () => {
        const out = await this.calls.call('ListContexts', () => this.client.send(new ListContextsCommand({ MaxResults: 1 })));
        return listMember('ListContexts', 'ContextSummaries', out.ContextSummaries)[0]?.ContextArn;
      },
      async () => {
        const out = await this.calls.call('ListArtifacts', () => this.client.send(new ListArtifactsCommand({ MaxResults: 1 })));
        return listMember('ListArtifacts', 'ArtifactSummaries', out.ArtifactSummaries)[0]?.ArtifactArn;
      },
    ];
    for (const probe of probes) {
      const arn = await probe();
      if (arn !== undefined && parseArn(arn)) return arn;
    }
    return undefined;
  }

  /** ListTags, every page; a resource that no longer exists has no tags. */
  async listTagResponses(resourceArn: string): Promise<TagResponse[]> {
    let gone = false;
    const tags = await collectPages(async (NextToken) => {
      const out = await this.calls.callOrUndefined('ListTags', () =>
        this.client.send(new ListTagsCommand({ ResourceArn: resourceArn, MaxResults: PAGE, NextToken })),
      );
      if (!out) gone = true;
      return { items: listMember('ListTags', 'Tags', out?.Tags), nextToken: out?.NextToken };
    });
    return gone ? [] : tags.map((tag) => parseResponse('ListTags', TagShape, tag));
  }

  /**
   * Search over one resource type for records matching any of `filters` (OR-ed), every
   * page. Each record carries its tags, as SageMaker's Search returns them.
   */
  async searchEquals(resource: 'FeatureGroup' | 'Model' | 'Endpoint', filters: readonly EqualsFilter[]): Promise<SearchedResource[]> {
    if (filters.length === 0) return [];
    if (filters.length > SEARCH_FILTERS_PER_EXPRESSION) throw new RangeError(`at most ${SEARCH_FILTERS_PER_EXPRESSION} filters per search`);
    if (filters.filter((f) => f.operator === 'Contains').length > 1) throw new RangeError('at most one Contains filter per search');
    const Filters = filters.map((f) => ({ Name: f.name, Operator: f.operator ?? 'Equals', Value: f.value }));
    return collectPages(async (NextToken) => {
      const out = await this.calls.call('Search', () =>
        this.client.send(new SearchCommand({ Resource: resource, SearchExpression: { Filters, Operator: 'Or' }, MaxResults: PAGE, NextToken })),
      );
      const items = listMember('Search', 'Results', out.Results).flatMap((result): SearchedResource[] => {
        const record =
          resource === 'FeatureGroup'
            ? { name: result.FeatureGroup?.FeatureGroupName, arn: result.FeatureGroup?.FeatureGroupArn, tags: result.FeatureGroup?.Tags }
            : resource === 'Model'
              ? { name: result.Model?.Model?.ModelName, arn: result.Model?.Model?.ModelArn, tags: result.Model?.Model?.Tags }
              : { name: result.Endpoint?.EndpointName, arn: result.Endpoint?.EndpointArn, tags: result.Endpoint?.Tags, status: result.Endpoint?.EndpointStatus };
        if (!record.name || !record.arn) return [];
        const tags = listMember('Search', 'Tags', record.tags).map((tag) => parseResponse('Search', TagShape, tag));
        return [{ name: record.name, arn: record.arn, tags, ...('status' in record && record.status ? { status: record.status } : {}) }];
      });
      return { items, nextToken: out.NextToken };
    });
  }

  /**
   * Search over feature groups matching `filters` (joined by `operator`), every page, each with its
   * CreationTime and LastModifiedTime. The records' definitions are not read: a group found is
   * described by whoever checks it, with DescribeFeatureGroup's paging of long definitions.
   */
  async searchFeatureGroupStamps(filters: readonly SearchFilter[], operator: 'And' | 'Or'): Promise<FeatureGroupStamp[]> {
    const SearchExpression = { Filters: filters.map((f) => ({ Name: f.name, Operator: f.operator, Value: f.value })), Operator: operator };
    return collectPages(async (NextToken) => {
      const out = await this.calls.call('Search', () =>
        this.client.send(new SearchCommand({ Resource: 'FeatureGroup', SearchExpression, MaxResults: PAGE, NextToken })),
      );
      const items = listMember('Search', 'Results', out.Results).flatMap((result): FeatureGroupStamp[] => {
        const group = result.FeatureGroup;
        if (!group?.FeatureGroupName || !group.FeatureGroupArn) return [];
        const createdAt = group.CreationTime?.getTime();
        const modifiedAt = group.LastModifiedTime?.getTime();
        return [{ name: group.FeatureGroupName, arn: group.FeatureGroupArn, ...(createdAt !== undefined ? { createdAt } : {}), ...(modifiedAt !== undefined ? { modifiedAt } : {}) }];
      });
      return { items, nextToken: out.NextToken };
    });
  }

  /** How many feature groups match `filters` (all of them): one Search of one result, read for TotalHits. */
  async countFeatureGroups(filters: readonly SearchFilter[]): Promise<GroupCount> {
    const SearchExpression = { Filters: filters.map((f) => ({ Name: f.name, Operator: f.operator, Value: f.value })), Operator: 'And' as const };
    const out = await this.calls.call('Search', () => this.client.send(new SearchCommand({ Resource: 'FeatureGroup', SearchExpression, MaxResults: 1 })));
    const total = out.TotalHits;
    // Without TotalHits the count is unknown: a lower bound of nothing, so the caller looks closer.
    if (total?.Value === undefined) return { count: 0, exact: false };
    return { count: Number(total.Value), exact: total.Relation !== 'GreaterThanOrEqualTo' };
  }

  /** Search over models or endpoints whose name contains `text`, until `enough`. */
  async searchNames(
    resource: 'Model' | 'Endpoint',
    text: string,
    enough?: (collected: readonly NamedResource[]) => boolean,
  ): Promise<NamedResource[]> {
    const property = resource === 'Model' ? 'ModelName' : 'EndpointName';
    return collectPages(async (NextToken) => {
      const out = await this.calls.call('Search', () =>
        this.client.send(
          new SearchCommand({
            Resource: resource,
            ...(text ? { SearchExpression: { Filters: [{ Name: property, Operator: 'Contains', Value: text }] } } : {}),
            MaxResults: PAGE,
            NextToken,
          }),
        ),
      );
      const items = listMember('Search', 'Results', out.Results).flatMap((result): NamedResource[] => {
        if (resource === 'Model') {
          const model = result.Model?.Model;
          return model?.ModelName && model.ModelArn ? [{ name: model.ModelName, arn: model.ModelArn }] : [];
        }
        const endpoint = result.Endpoint;
        return endpoint?.EndpointName && endpoint.EndpointArn ? [{ name: endpoint.EndpointName, arn: endpoint.EndpointArn }] : [];
      });
      return { items, nextToken: out.NextToken };
    }, enough);
  }
}
