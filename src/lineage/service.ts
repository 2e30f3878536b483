// The lineage questions. Each resolves its subject, walks the lineage once in the direction it
// needs (bounded by depth and size), and assembles a plain answer for blocks/ to render.
import { FEATURE_STORE_QUERY_PROPERTY, KINDS, type Kind } from './classify.js';
import {
  ANSWER_PAGE_SIZE,
  type BuiltFromAnswer,
  type ConsumersAnswer,
  type ConsumersPage,
  type DependenciesAnswer,
  type EntityRef,
  type FeatureGroupDependency,
  type FeaturesAnswer,
  type FeaturesUnknown,
  type FeaturesUnknownReason,
  type FeaturesUsed,
  type FeatureSetUsage,
  type FeatureUsageAnswer,
  type FeatureUserUnknown,
  type FeatureUse,
  type OwnedAnswer,
  type OwnersAnswer,
  type SearchAnswer,
  type Truncation,
  type TrailAnswer,
  type UpstreamAnswer,
} from './answers.js';
import { BadInput, EntityNotFound, LineageError, type KindHint } from './errors.js';
import { deprecationFromTags, type Deprecation } from './deprecation.js';
import { decodeFeatureQuery, FEATURE_USES, FeatureQueryReader, isTableOrEarlier, looksCut, usesOfTable, type TableUses } from './feature-query.js';
import { remembersAnswers } from './cache.js';
import { Resolver, type Subject } from './resolve.js';
import type { FeatureGroupResource, LineageSource } from './lineage-source.js';
import { buildNeighbourhood, PICTURE_MAX_NODES, PICTURE_MAX_PER_KIND, type DatasetFeatures, type Neighbourhood, type NeighbourhoodOptions, type OwnerReachEntry } from './neighbourhood.js';
import { mapPool } from './pool.js';
import { ALL_GROUP_LINKS, groupPaths, walkAcrossGroups, type GroupLinks, type GroupPaths } from './group-walk.js';
import { searchable, SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH } from './search-text.js';
import { mergeTruncation, WalkMemo, type Walk, type WalkLimits } from './walk.js';

export type ServiceLimits = WalkLimits;

/** Which resource tags name owners and team channels. */
export interface TagKeys {
  owner: readonly string[];
  channel: readonly string[];
}

export const DEFAULT_TAG_KEYS: TagKeys = { owner: ['owner'], channel: ['slack-channel'] };

/** Kinds in the order data flows through them, for trails (KINDS is declared in that order). */
const FLOW_ORDER: readonly Kind[] = KINDS;

const MODEL_KINDS: Kind[] = ['Model', 'ModelPackage'];
/** What a model question can start from: a model, a model package (or group), or the training job behind one. */
const MODEL_SUBJECTS: Kind[] = [...MODEL_KINDS, 'TrainingJob'];
/** What builds feature groups: a data source read, or a job, pipeline or pipeline run that writes them. */
const BUILDERS: Kind[] = ['DataSource', 'ProcessingJob', 'FeaturePipeline', 'PipelineExecution'];
const SEARCH_LIMIT = 10;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export class LineageService {
  private readonly resolver: Resolver;
  /** Graphs and classifications already worked out from cached results, for warm answers. */
  private readonly walkMemo = new WalkMemo();
  /** What besides the source's results decides an answer: part of a remembered answer's key. */
  private readonly settings: string;

  constructor(
    private readonly source: LineageSource,
    private readonly limits: ServiceLimits,
    private readonly tagKeys: TagKeys = DEFAULT_TAG_KEYS,
    /** Reads the datasets' feature-store queries, remembering those already read; it logs the unreadable ones. */
    private readonly queries: FeatureQueryReader = new FeatureQueryReader(),
  ) {
    this.resolver = new Resolver(source, (hint) => this.relatedTo(hint));
    this.settings = JSON.stringify([limits, tagKeys]);
  }

  /** SageMaker calls one answer may have in flight at once (SAGEMAKER_CONCURRENCY): what fan-outs over the answer use too. */
  get describeConcurrency(): number {
    return this.limits.describeConcurrency;
  }

  /** What the service reads from, for logs and stats. */
  get sourceDescription(): string {
    return this.source.description;
  }

  /** What the service reads: recognise.ts looks names up in it. */
  get lineageSource(): LineageSource {
    return this.source;
  }

  /** Resolves input to a subject without walking: for buttons and thread context. */
  resolve(input: string, accept: readonly Kind[]): Promise<Subject> {
    return this.resolver.resolve(input, accept);
  }

  /** 1. Feature groups (and the features the datasets' queries select) behind a model or endpoint. */
  dependencies(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any'): Promise<DependenciesAnswer> {
    return this.remembered('dependencies', [input, as], () => this.workOutDependencies(input, as));
  }

  private async workOutDependencies(input: string, as: 'Model' | 'Endpoint' | 'any'): Promise<DependenciesAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_SUBJECTS : as === 'Endpoint' ? ['Endpoint'] : [...MODEL_SUBJECTS, 'Endpoint'];
    const subject = await this.resolver.resolve(input, accept);
    // A group read from another one's offline store depends on that one; the other entities of
    // each group are not looked up (it would cost every answer a round of calls for what
    // associations between the groups already show).
    const walk = await this.walk(subject, 'Ascendants', ['FeatureGroup', 'Dataset', 'TrainingJob', 'Model', 'ModelPackage'], DEPENDENCY_LINKS);
    const featureGroups = await this.featureGroupDependencies(walk);
    // An endpoint serves the nearest models upstream, not the models those were fine-tuned from.
    const served = () => {
      const nearest = walk.reachable(subject.starts.map((s) => s.arn), 'Ascendants', MODEL_KINDS);
      return this.refs(walk, walk.ofKind(...MODEL_KINDS).filter((arn) => nearest.has(arn)));
    };
    // A training job is not a model: it is what the feature groups were read by.
    const models = subject.ref.kind === 'Endpoint' ? served() : subject.ref.kind === 'TrainingJob' ? [] : [subject.ref];
    return {
      question: 'dependencies',
      subject: subject.ref,
      featureGroups,
      models,
      // A training job asked about is the subject, not a job in between.
      trainingJobs: this.refs(walk, walk.ofKind('TrainingJob')).filter((ref) => subject.ref.kind !== 'TrainingJob' || ref.name !== subject.ref.name),
      ...truncated(walk),
    };
  }

  /**
   * 2. Models and endpoints downstream of a feature group, and of the feature groups built from it
   * (at any depth), each of those marked with the groups it is reached through. Every consumer is
   * described unless `page` asks for one page of them (see ConsumersPage): then only that page's
   * models and their endpoints are, so a first page costs the same whatever the answer's size.
   * `deprecation`: also read whether the group is marked deprecated (the question asks it; the
   * impact and owners walks, which only need the consumers, do not pay the ListTags).
   */
  consumers(input: string, page?: number, { deprecation = false }: { deprecation?: boolean } = {}): Promise<ConsumersAnswer> {
    return this.remembered('consumers', [input, page, deprecation], () => this.workOutConsumers(input, page, deprecation));
  }

  private async workOutConsumers(input: string, page: number | undefined, withDeprecation: boolean): Promise<ConsumersAnswer> {
    const subject = await this.resolver.resolve(input, ['FeatureGroup']);
    // A page names only what it shows: the walk describes the feature groups it goes on from, no consumer.
    const [walk, deprecation] = await Promise.all([
      this.walk(subject, 'Descendants', page === undefined ? ['Model', 'ModelPackage', 'Endpoint'] : []),
      withDeprecation ? this.deprecationOf(subject.ref) : undefined,
    ]);
    const paths = groupPaths(walk, subject.starts.map((s) => s.arn), 'Descendants');
    const through = (arns: readonly string[]) => nearestPath(arns.map((arn) => paths.vertices.get(arn)));
    const listed = page === undefined ? this.everyConsumer(walk, through) : await this.consumersPage(walk, paths, page, through);
    return {
      question: 'consumers',
      subject: subject.ref,
      ...listed,
      derivedGroups: [...paths.groups.values()]
        .filter(({ ref }) => ref.name !== subject.ref.name)
        .map(({ ref, through: between }) => ({ featureGroup: ref, through: between }))
        .sort((a, b) => a.through.length - b.through.length || byName(a.featureGroup, b.featureGroup)),
      datasetCount: walk.ofKind('Dataset').length,
      ...(deprecation ? { deprecation } : {}),
      ...truncated(walk),
    };
  }

  /** Every consuming model and endpoint, as the walk described them. */
  private everyConsumer(walk: Walk, through: (arns: readonly string[]) => EntityRef[]): Pick<ConsumersAnswer, 'models' | 'endpoints'> {
    const endpoints = new Set(walk.ofKind('Endpoint'));
    const models = this.groupByName(walk, walk.ofKind(...MODEL_KINDS)).map(([model, arns]) => ({
      model,
      endpoints: this.refs(walk, [...walk.reachable(arns, 'Descendants', MODEL_KINDS)].filter((arn) => endpoints.has(arn))),
      ...withThrough(through(arns)),
    }));
    return { models, endpoints: this.groupByName(walk, [...endpoints]).map(([endpoint, arns]) => ({ ...endpoint, ...withThrough(through(arns)) })) };
  }

  /**
   * One page of the consumers: the walk's model vertices in an order known before any is
   * described (nearest first, then by ARN), counted from their types; the page's models and the
   * endpoints serving them are described now (through the same cache as everything else), and on
   * the first page also endpoints no model in the walk serves, so none is left unlisted.
   */
  private async consumersPage(
    walk: Walk,
    paths: GroupPaths,
    index: number,
    through: (arns: readonly string[]) => EntityRef[],
  ): Promise<Pick<ConsumersAnswer, 'models' | 'endpoints' | 'page'>> {
    const between = (arn: string) => paths.vertices.get(arn)?.length ?? 0;
    const endpoints = walk.ofKind('Endpoint');
    const isEndpoint = new Set(endpoints);
    const models = walk.ofKind(...MODEL_KINDS).sort((a, b) => between(a) - between(b) || a.localeCompare(b));
    const last = Math.max(0, Math.ceil(models.length / ANSWER_PAGE_SIZE) - 1);
    const pageIndex = Math.min(Math.max(0, Math.floor(index)), last);
    const start = pageIndex * ANSWER_PAGE_SIZE;
    const shown = models.slice(start, start + ANSWER_PAGE_SIZE);
    const servedBy = new Map(shown.map((arn) => [arn, [...walk.reachable([arn], 'Descendants', MODEL_KINDS)].filter((e) => isEndpoint.has(e))]));
    const served = walk.reachable(models, 'Descendants', MODEL_KINDS);
    const unserved = pageIndex === 0 ? endpoints.filter((arn) => !served.has(arn)) : [];
    const pageEndpoints = [...new Set([...[...servedBy.values()].flat(), ...unserved])];
    const named = await this.describedRefs(walk, [...shown, ...pageEndpoints]);
    const ref = (arn: string) => named.get(arn) ?? walk.ref(arn);
    return {
      models: this.groupByName(walk, shown, ref).map(([model, arns]) => ({
        model,
        endpoints: this.groupByName(walk, arns.flatMap((arn) => servedBy.get(arn) ?? []), ref).map(([endpoint]) => endpoint),
        ...withThrough(through(arns)),
      })),
      endpoints: this.groupByName(walk, pageEndpoints, ref).map(([endpoint, arns]) => ({ ...endpoint, ...withThrough(through(arns)) })),
      page: {
        index: pageIndex,
        start,
        size: shown.length,
        models: models.length,
        endpoints: endpoints.length,
        modelsThrough: models.filter((arn) => between(arn) > 0).length,
        endpointsThrough: endpoints.filter((arn) => between(arn) > 0).length,
      },
    };
  }

  /** Describes vertices a walk left undescribed, at most describeConcurrency at a time; one gone since keeps its ARN as its name. */
  private async describedRefs(walk: Walk, arns: readonly string[]): Promise<Map<string, EntityRef>> {
    const refs = await mapPool(arns, this.limits.describeConcurrency, async (arn): Promise<EntityRef> => {
      const entity = walk.entity(arn) ?? (await this.source.describeEntity(arn).then((found) => found && this.walkMemo.classify(found)));
      if (!entity) return walk.ref(arn);
      return { kind: entity.kind, name: entity.name, arn, ...(entity.sourceUri !== undefined ? { sourceUri: entity.sourceUri } : {}) };
    });
    return new Map(arns.map((arn, i) => [arn, refs[i] as EntityRef]));
  }

  /** 3. The raw data, pipelines and code that build a feature group: its true upstream. */
  upstream(input: string): Promise<UpstreamAnswer> {
    return this.remembered('upstream', [input], () => this.workOutUpstream(input));
  }

  private async workOutUpstream(input: string): Promise<UpstreamAnswer> {
    const subject = await this.resolver.resolve(input, ['FeatureGroup']);
    const [walk, deprecation] = await Promise.all([
      this.walk(subject, 'Ascendants', ['DataSource', 'Code', 'ProcessingJob', 'FeaturePipeline', 'FeatureGroup']),
      this.deprecationOf(subject.ref),
    ]);
    return {
      question: 'upstream',
      subject: subject.ref,
      dataSources: this.refs(walk, walk.ofKind('DataSource')),
      pipelines: this.refs(walk, walk.ofKind('ProcessingJob', 'FeaturePipeline')),
      code: this.refs(walk, walk.ofKind('Code')),
      featureGroups: this.refs(walk, walk.ofKind('FeatureGroup')).filter((ref) => ref.name !== subject.ref.name),
      ...(deprecation ? { deprecation } : {}),
      ...truncated(walk),
    };
  }

  /** 4. Feature groups built from a data source, with the pipelines in between; and the groups built from those. */
  builtFrom(input: string): Promise<BuiltFromAnswer> {
    return this.remembered('builtFrom', [input], () => this.workOutBuiltFrom(input));
  }

  private async workOutBuiltFrom(input: string): Promise<BuiltFromAnswer> {
    const subject = await this.resolver.resolve(input, BUILDERS);
    const walk = await this.walk(subject, 'Descendants', ['FeatureGroup', 'ProcessingJob', 'FeaturePipeline']);
    const pipelines = new Set(walk.ofKind('ProcessingJob', 'FeaturePipeline'));
    const paths = groupPaths(walk, subject.starts.map((s) => s.arn), 'Descendants');
    const featureGroups = this.groupByName(walk, walk.ofKind('FeatureGroup'))
      .map(([featureGroup, arns]) => ({
        featureGroup,
        // The pipelines since the data source or the group it is built from, not every one before;
        // a job asked about is what builds it, not a pipeline in between.
        pipelines: this.refs(walk, [...walk.reachable(arns, 'Ascendants', ['FeatureGroup'])].filter((arn) => pipelines.has(arn))).filter(
          (ref) => ref.name !== subject.ref.name,
        ),
        ...withThrough(paths.groups.get(featureGroup.name)?.through ?? []),
      }))
      .sort((a, b) => (a.through?.length ?? 0) - (b.through?.length ?? 0) || byName(a.featureGroup, b.featureGroup));
    return { question: 'builtFrom', subject: subject.ref, featureGroups, ...truncated(walk) };
  }

  /** 5. The whole trail of a model (or the model behind an endpoint): data sources to endpoints. */
  trail(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any'): Promise<TrailAnswer> {
    return this.remembered('trail', [input, as], () => this.workOutTrail(input, as));
  }

  private async workOutTrail(input: string, as: 'Model' | 'Endpoint' | 'any'): Promise<TrailAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_SUBJECTS : as === 'Endpoint' ? ['Endpoint'] : [...MODEL_SUBJECTS, 'Endpoint'];
    const subject = await this.resolver.resolve(input, accept);
    // Other entities are described too: unknown types stay visible, by name, in a trail.
    const [up, down] = await Promise.all([
      this.walk(subject, 'Ascendants', FLOW_ORDER),
      this.walk(subject, 'Descendants', FLOW_ORDER),
    ]);
    const features = new Map((await this.featureGroupDependencies(up)).map((d) => [d.featureGroup.name, d.features]));
    const stages = FLOW_ORDER.map((kind) => {
      const fromUp = this.refs(up, up.ofKind(kind));
      const fromDown = this.refs(down, down.ofKind(kind)).filter((ref) => !fromUp.some((u) => u.name === ref.name));
      const entities = [...fromUp, ...fromDown].sort(byName).map((ref) => {
        const builtFrom = kind === 'FeatureGroup' ? this.builtFromGroups(up, ref.name) : [];
        const withBuiltFrom = builtFrom.length > 0 ? { ...ref, builtFrom } : ref;
        const used = kind === 'FeatureGroup' ? features.get(ref.name) : undefined;
        if (used) return { ...withBuiltFrom, features: used };
        const detail =
          kind === 'Dataset'
            ? datasetQuery(up, ref.arn)
            : kind === 'Other'
              ? (up.entity(ref.arn)?.type ?? down.entity(ref.arn)?.type ?? up.graph.vertices.get(ref.arn)?.type)
              : undefined;
        return detail ? { ...withBuiltFrom, detail } : withBuiltFrom;
      });
      return { kind, entities };
    }).filter((stage) => stage.entities.length > 0);
    const truncation = mergeTruncation(up.truncation, down.truncation);
    return { question: 'trail', subject: subject.ref, stages, ...(truncation ? { truncation } : {}) };
  }

  /** 6. Models whose training datasets' queries use one feature, and how. Input: "<feature-group>.<feature>". */
  featureUsage(input: string): Promise<FeatureUsageAnswer> {
    return this.remembered('featureUsage', [input], () => this.workOutFeatureUsage(input));
  }

  private async workOutFeatureUsage(input: string): Promise<FeatureUsageAnswer> {
    const text = input.trim();
    const dot = text.indexOf('.');
    if (dot <= 0 || dot === text.length - 1) {
      throw new BadInput(`"${text}" is not a feature.`, 'Name a feature as <feature-group>.<feature>, e.g. customers.age');
    }
    const { resource, subject } = await this.resolver.featureGroup(text.slice(0, dot));
    const [definition] = definitionsOf(resource, [text.slice(dot + 1)]) as [FeatureGroupResource['features'][number]];
    const usage = await this.usageOf(subject, resource, [definition.name]);
    const feature = definition.name.toLowerCase();
    return {
      question: 'featureUsage',
      featureGroup: subject.ref,
      feature: { name: definition.name, type: definition.type },
      models: usage.models.map(({ model, datasets, uses }) => ({ model, datasets, uses: uses.get(feature) ?? [] })),
      unknownModels: usage.unknownModels,
      unusedDatasets: usage.unusedDatasets.map(({ uses, ...dataset }) => ({ ...dataset, uses: uses.get(feature) ?? [] })),
      matchable: resource.offlineStore?.tableName !== undefined,
      ...truncated(usage.walk),
    };
  }

  /**
   * Which models' training queries use any of some features of one group (a feature-level notice):
   * those that do, with which; those whose queries cannot tell (never counted as not using them);
   * and those whose queries are known and use none of them. Throws EntityNotFound for a feature the group lacks.
   */
  async featuresUsage(group: string, features: readonly string[]): Promise<FeatureSetUsage> {
    const { resource, subject } = await this.resolver.featureGroup(group);
    const definitions = definitionsOf(resource, features);
    const usage = await this.usageOf(subject, resource, definitions.map((d) => d.name));
    const named = new Set([...usage.models, ...usage.unknownModels].map(({ model }) => model.name));
    return {
      featureGroup: subject.ref,
      features: definitions.map((d) => ({ name: d.name, type: d.type })),
      models: usage.models.map(({ model, uses }) => ({ model, features: definitions.filter((d) => uses.has(d.name.toLowerCase())).map((d) => d.name) })),
      unknownModels: usage.unknownModels,
      unaffected: this.refs(usage.walk, usage.walk.ofKind(...MODEL_KINDS)).filter((model) => !named.has(model.name)),
      ...truncated(usage.walk),
    };
  }

  /**
   * The models downstream of a group, each by how its datasets' queries use the named features:
   * per feature (lower case) the uses, for those that use at least one; why it is not known, for
   * those the queries cannot tell about. Models in neither use none of them.
   */
  private async usageOf(subject: Subject, resource: FeatureGroupResource, names: readonly string[]) {
    // Feature groups in the walk are built from this one: their datasets' queries name their own tables.
    const walk = await this.walk(subject, 'Descendants', ['FeatureGroup', 'Dataset', 'Model', 'ModelPackage']);
    const starts = subject.starts.map((s) => s.arn);
    const direct = [...walk.reachable(starts, 'Descendants', ['FeatureGroup'])];
    const datasets = direct.filter((arn) => walk.kindOf(arn) === 'Dataset');
    const derived = direct.filter((arn) => walk.kindOf(arn) === 'FeatureGroup' && !starts.includes(arn));
    const features = names.map((name) => name.toLowerCase());
    const read = new Map<string, Map<string, FeatureUse[]> | FeaturesUnknownReason>(
      datasets.map((arn) => {
        const uses = this.datasetUses(walk, arn, resource);
        if (typeof uses === 'string') return [arn, uses];
        const byFeature = new Map<string, FeatureUse[]>();
        for (const feature of features) {
          const found = orderUses([...uses.every, ...(uses.columns.get(feature) ?? [])]);
          if (found.length > 0) byFeature.set(feature, found);
        }
        return [arn, byFeature];
      }),
    );
    const usesOf = (dataset: string) => {
      const reading = read.get(dataset);
      return reading instanceof Map && reading.size > 0 ? reading : undefined;
    };
    const below = new Map([...datasets, ...derived].map((arn) => [arn, walk.reachable([arn], 'Descendants')]));
    const reaches = (from: string, arns: readonly string[]) => arns.some((arn) => below.get(from)?.has(arn));

    const models: { model: EntityRef; datasets: EntityRef[]; uses: Map<string, FeatureUse[]> }[] = [];
    const unknownModels: FeatureUserUnknown[] = [];
    for (const [model, arns] of this.groupByName(walk, walk.ofKind(...MODEL_KINDS))) {
      const mine = datasets.filter((dataset) => reaches(dataset, arns));
      const using = mine.filter((dataset) => usesOf(dataset) !== undefined);
      if (using.length > 0) {
        models.push({ model, datasets: this.refs(walk, using).sort(byName), uses: mergeUses(using.map((dataset) => usesOf(dataset) as Map<string, FeatureUse[]>)) });
        continue;
      }
      const unknown = unknownOf(walk, mine.map((dataset) => [dataset, read.get(dataset)]));
      const through = derived.filter((group) => reaches(group, arns));
      if (through.length > 0) unknown.push({ reason: 'through-feature-group', datasets: [], through: this.refs(walk, through) });
      if (mine.length === 0 && through.length === 0) unknown.push({ reason: 'no-dataset', datasets: [] });
      if (unknown.length > 0) unknownModels.push({ model, unknown });
    }
    const modelArns = walk.ofKind(...MODEL_KINDS);
    const unusedDatasets = datasets
      .flatMap((dataset) => {
        const uses = usesOf(dataset);
        return uses && !reaches(dataset, modelArns) ? [{ ...walk.ref(dataset), uses }] : [];
      })
      .sort(byName);
    return { walk, models, unknownModels, unusedDatasets };
  }

  /**
   * The lineage around any entity, upstream and downstream, as nodes and edges for a picture;
   * deployment actions are passed through, large fan-outs folded, datasets carry their features.
   */
  async neighbourhood(input: string, options: NeighbourhoodOptions = {}): Promise<Neighbourhood> {
    const subject = await this.resolver.resolve(input, KINDS);
    const walks = await Promise.all([this.walk(subject, 'Ascendants', FLOW_ORDER), this.walk(subject, 'Descendants', FLOW_ORDER)]);
    return buildNeighbourhood({
      view: 'lineage',
      subject,
      walks,
      // An action is a step between two entities (a deployment), not an entity of its own.
      keep: (_kind, lineageType) => lineageType !== 'Action',
      maxNodes: options.maxNodes ?? PICTURE_MAX_NODES,
      maxPerKind: options.maxPerKind ?? PICTURE_MAX_PER_KIND,
      datasetFeatures: (walk, dataset) => this.datasetFeatures(walk, dataset),
    });
  }

  /**
   * The blast radius of a change to a feature group: the groups built from it and the models and
   * endpoints downstream, joined directly (datasets and jobs in between are passed through).
   * `reach` says whose owners can be reached; resources it does not name are "unknown".
   */
  async blastRadius(input: string, reach: readonly OwnerReachEntry[] = [], options: NeighbourhoodOptions = {}): Promise<Neighbourhood> {
    const subject = await this.resolver.resolve(input, ['FeatureGroup']);
    const drawn: readonly Kind[] = ['FeatureGroup', ...MODEL_KINDS, 'Endpoint'];
    const walk = await this.walk(subject, 'Descendants', drawn);
    return buildNeighbourhood({
      view: 'impact',
      subject,
      walks: [walk],
      keep: (kind) => drawn.includes(kind),
      maxNodes: options.maxNodes ?? PICTURE_MAX_NODES,
      maxPerKind: options.maxPerKind ?? PICTURE_MAX_PER_KIND,
      reach,
    });
  }

  /** 7. Feature groups, models, endpoints and data sources whose names contain `text`. */
  async search(text: string): Promise<SearchAnswer> {
    const needle = text.trim();
    if (searchable(needle) === undefined) {
      if (needle.length < SEARCH_MIN_LENGTH) throw new BadInput(`Search for at least ${SEARCH_MIN_LENGTH} characters.`, undefined, { question: 'search', input: 'fraud' });
      throw new BadInput(`That search text is too long (${SEARCH_MAX_LENGTH} characters at most).`);
    }
    const kinds = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'] as const;
    // One more than shown per kind tells whether there are more. Data sources are looked for among
    // a bounded number of data sets (SageMaker has no filter on part of a URI), which the answer says.
    const [named, sources] = await Promise.all([
      this.source.searchResources(needle, ['FeatureGroup', 'Model', 'Endpoint'], SEARCH_LIMIT + 1),
      this.source.searchDataSources(needle, SEARCH_LIMIT + 1),
    ]);
    const hits = [...named, ...sources.hits];
    let more = false;
    const shown = kinds.flatMap((kind) => {
      const ofKind = hits.filter((hit) => hit.kind === kind);
      more ||= ofKind.length > SEARCH_LIMIT;
      return ofKind.slice(0, SEARCH_LIMIT);
    });
    return { question: 'search', text: needle, hits: shown, more, ...(sources.boundedAt !== undefined ? { dataSetsRead: sources.boundedAt } : {}) };
  }

  /**
   * Owners of a model, endpoint or feature group (by tags); for a feature group, also of its
   * consumers: all of them, or with `page` one page of them as consumers() pages them (the group
   * itself on the first), so a first page costs the same whatever the group's size.
   */
  owners(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any', page?: number): Promise<OwnersAnswer> {
    return this.remembered('owners', [input, as, page], () => this.workOutOwners(input, as, page));
  }

  private async workOutOwners(input: string, as: 'Model' | 'Endpoint' | 'any', page?: number): Promise<OwnersAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_SUBJECTS : as === 'Endpoint' ? ['Endpoint'] : ['FeatureGroup', ...MODEL_SUBJECTS, 'Endpoint'];
    const subject = await this.resolver.resolve(input, accept);
    const entities: { ref: EntityRef; through?: EntityRef[] }[] = [];
    let truncation: Truncation | undefined;
    let consumersPage: ConsumersPage | undefined;
    if (subject.ref.kind !== 'FeatureGroup') entities.push({ ref: subject.ref });
    else {
      const consumers = await this.consumers(subject.ref.sourceUri ?? subject.ref.name, page);
      consumersPage = consumers.page;
      if ((consumersPage?.index ?? 0) === 0) entities.push({ ref: subject.ref });
      entities.push(
        ...consumers.models.map((m) => ({ ref: m.model, ...withThrough(m.through ?? []) })),
        ...consumers.endpoints.map(({ through, ...endpoint }) => ({ ref: endpoint, ...withThrough(through ?? []) })),
      );
      truncation = consumers.truncation;
    }
    const entries = await mapPool(entities, this.limits.describeConcurrency, async ({ ref: entity, through }) => {
      const arn = await this.resourceArn(entity);
      const tags = arn ? await this.source.listTags(arn) : {};
      const values = (keys: readonly string[]) => keys.flatMap((key) => (tags[key] ? [tags[key]] : []));
      return {
        entity: { kind: entity.kind, name: entity.name, arn: arn ?? entity.arn },
        ...(through ? { through } : {}),
        owners: values(this.tagKeys.owner),
        channels: values(this.tagKeys.channel),
      };
    });
    return { question: 'owners', subject: subject.ref, entries, ...(consumersPage ? { page: consumersPage } : {}), ...(truncation ? { truncation } : {}) };
  }

  /** A feature group's definition: its features and types, identifiers and offline table. */
  async features(input: string): Promise<FeaturesAnswer> {
    const { resource, subject } = await this.resolver.featureGroup(input);
    const deprecation = await this.deprecationOf({ ...subject.ref, sourceUri: resource.arn });
    return {
      question: 'features',
      subject: subject.ref,
      features: resource.features.map((f) => ({ name: f.name, type: f.type })),
      recordIdentifier: resource.recordIdentifierFeatureName,
      eventTime: resource.eventTimeFeatureName,
      ...(resource.offlineStore?.tableName ? { offlineTable: resource.offlineStore.tableName } : {}),
      ...(resource.description ? { description: resource.description } : {}),
      ...(deprecation ? { deprecation } : {}),
    };
  }

  /**
   * Whether the group is marked deprecated in SageMaker (write-back's tags, src/lineage/deprecation.ts).
   * Read beside the walk; tags that cannot be read leave the mark unsaid rather than failing an
   * answer that is otherwise whole — the owners answer is where unreadable tags are reported.
   */
  private async deprecationOf(group: EntityRef): Promise<Deprecation | undefined> {
    try {
      const arn = await this.resourceArn(group);
      return arn ? deprecationFromTags(await this.source.listTags(arn)) : undefined;
    } catch (error) {
      if (error instanceof LineageError) return undefined;
      throw error;
    }
  }

  /**
   * Models and endpoints whose owner tag names one of `identities` (a Slack user ID, an email),
   * found by SageMaker Search on the owner tags — every one, however big the account — with the
   * feature groups the first `walkFirst` depend on (the rest are listed by name only).
   */
  async ownedBy(identities: readonly string[], walkFirst = Number.POSITIVE_INFINITY): Promise<OwnedAnswer> {
    const wanted = new Set(identities.map((id) => id.toLowerCase()));
    // A tag's value is matched exactly by Search: ask each identity as given and in lower case
    // (emails are often typed so), then keep what matches without regard to case, as before.
    const forms = [...new Set(identities.flatMap((id) => [id, id.toLowerCase()]))];
    const hits = await this.source.findTagged(['Model', 'Endpoint'], this.tagKeys.owner, forms);
    const mine = hits
      .filter(({ tags }) => this.tagKeys.owner.some((key) => tags[key] !== undefined && wanted.has(tags[key].toLowerCase())))
      // Models first, then endpoints, each by name.
      .sort((a, b) => Number(a.kind === 'Endpoint') - Number(b.kind === 'Endpoint') || a.name.localeCompare(b.name))
      .map((hit, index) => ({ hit, index }));
    const owned = await mapPool(mine, this.limits.describeConcurrency, async ({ hit, index }) => {
      const entity = { kind: hit.kind as Kind, name: hit.name, arn: hit.arn };
      if (index >= walkFirst) return { entity, featureGroups: [], notWalked: true as const };
      try {
        const answer = await this.dependencies(hit.name, hit.kind === 'Endpoint' ? 'Endpoint' : 'Model');
        return { entity, featureGroups: answer.featureGroups.map((d) => d.featureGroup.name), ...(answer.truncation ? { partial: true } : {}) };
      } catch (error) {
        // One model without lineage must not blank the whole home tab.
        return { entity, featureGroups: [], problem: (error as Error).message };
      }
    });
    return { owned, walked: Math.min(owned.length, walkFirst) };
  }

  /**
   * A question's answer, kept by a caching source beside the results it was worked out from and
   * given again while they are unchanged (see CachedLineageSource.remember): a warm answer then
   * costs a lookup per result, not the walk and its assembly. A remembered answer is frozen.
   */
  private remembered<T>(question: string, args: readonly unknown[], work: () => Promise<T>): Promise<T> {
    if (!remembersAnswers(this.source)) return work();
    // The service's own settings shape its answers too: services over one cache keep theirs apart.
    return this.source.remember([this.settings, question, ...args], work);
  }

  /** The SageMaker resource ARN behind an entity (tags hang on resources, not lineage entities). */
  private async resourceArn(entity: EntityRef): Promise<string | undefined> {
    if (entity.sourceUri && /:(feature-group|model|endpoint|training-job|model-package-group)\//.test(entity.sourceUri)) return entity.sourceUri;
    switch (entity.kind) {
      case 'FeatureGroup':
        return (await this.source.describeFeatureGroup(entity.name))?.arn;
      case 'Model':
        return (await this.source.describeModel(entity.name))?.arn;
      case 'Endpoint':
        return (await this.source.describeEndpoint(entity.name))?.arn;
      default:
        return undefined;
    }
  }

  /** A walk from the subject that goes on across feature groups as `links` allows (see group-walk.ts). */
  private walk(subject: Subject, direction: 'Ascendants' | 'Descendants', kinds: readonly Kind[], links: GroupLinks = ALL_GROUP_LINKS): Promise<Walk> {
    return walkAcrossGroups(this.source, subject.starts, direction, kinds, this.limits, this.walkMemo, links);
  }

  /** The groups in an upstream walk that the named group is built from: the nearest ones, not those behind them. */
  private builtFromGroups(walk: Walk, name: string): EntityRef[] {
    const arns = walk.ofKind('FeatureGroup').filter((arn) => walk.ref(arn).name === name);
    const nearest = [...walk.reachable(arns, 'Ascendants', ['FeatureGroup'])].filter((arn) => walk.kindOf(arn) === 'FeatureGroup' && walk.ref(arn).name !== name);
    return this.refs(walk, nearest);
  }

  /**
   * For "X is a model, not an endpoint": the endpoints serving the model, or the models an
   * endpoint serves, so the answer can point at what was probably meant.
   */
  private async relatedTo(hint: KindHint): Promise<KindHint['related']> {
    if (hint.kind !== 'Model' && hint.kind !== 'Endpoint') return undefined;
    const subject = await this.resolver.resolve(hint.input, [hint.kind]);
    if (hint.kind === 'Model') {
      const walk = await this.walk(subject, 'Descendants', ['Endpoint'], NO_GROUP_LINKS);
      return { kind: 'Endpoint', names: this.refs(walk, walk.ofKind('Endpoint')).map((ref) => ref.name) };
    }
    const walk = await this.walk(subject, 'Ascendants', MODEL_KINDS, NO_GROUP_LINKS);
    const nearest = walk.reachable(subject.starts.map((s) => s.arn), 'Ascendants', MODEL_KINDS);
    return { kind: 'Model', names: this.refs(walk, walk.ofKind('Model').filter((arn) => nearest.has(arn))).map((ref) => ref.name) };
  }

  /** One ref per distinct name (a feature group may have both an fg- artifact and a context). */
  private refs(walk: Walk, arns: readonly string[]): EntityRef[] {
    return this.groupByName(walk, arns).map(([ref]) => ref);
  }

  private groupByName(walk: Walk, arns: readonly string[], refOf: (arn: string) => EntityRef = (arn) => walk.ref(arn)): [EntityRef, string[]][] {
    const groups = new Map<string, [EntityRef, string[]]>();
    for (const arn of arns) {
      const ref = refOf(arn);
      const group = groups.get(ref.name);
      if (group) group[1].push(arn);
      else groups.set(ref.name, [ref, [arn]]);
    }
    return [...groups.values()].sort(([a], [b]) => byName(a, b));
  }

  /** Feature groups in an ascendant walk, each with the features its downstream datasets' queries use. */
  private async featureGroupDependencies(walk: Walk): Promise<FeatureGroupDependency[]> {
    const datasets = new Set(walk.ofKind('Dataset'));
    const groups = this.groupByName(walk, walk.ofKind('FeatureGroup'));
    const resources = await Promise.all(groups.map(([ref]) => this.source.describeFeatureGroup(ref.sourceUri ?? ref.name)));
    return groups.map(([featureGroup, arns], index) => {
      const via = [...walk.reachable(arns, 'Descendants')].filter((arn) => datasets.has(arn));
      // Datasets read this group's table; past a group built from it, they read that group's.
      const direct = [...walk.reachable(arns, 'Descendants', ['FeatureGroup'])];
      const through = direct.filter((arn) => walk.kindOf(arn) === 'FeatureGroup' && !arns.includes(arn));
      return {
        featureGroup,
        features: this.featuresUsed(walk, direct.filter((arn) => datasets.has(arn)), resources[index], through),
        datasets: this.refs(walk, via),
      };
    });
  }

  /** What the datasets' queries use of one group's features, and what they cannot tell. */
  private featuresUsed(walk: Walk, datasets: readonly string[], resource: FeatureGroupResource | undefined, through: readonly string[]): FeaturesUsed {
    const read = datasets.map((dataset) => [dataset, this.datasetUses(walk, dataset, resource)] as const);
    const uses = new Map<string, FeatureUse[]>();
    let allSelected = false;
    for (const [, reading] of read) {
      if (typeof reading === 'string') continue;
      allSelected ||= reading.every.has('selected');
      for (const feature of resource?.features ?? []) {
        const name = feature.name.toLowerCase();
        const found = [...reading.every, ...(reading.columns.get(name) ?? [])];
        if (found.length > 0) uses.set(name, [...(uses.get(name) ?? []), ...found]);
      }
    }
    const unknown = unknownOf(walk, read);
    if (through.length > 0) unknown.push({ reason: 'through-feature-group', datasets: [], through: this.refs(walk, through) });
    if (datasets.length === 0 && through.length === 0) unknown.push({ reason: 'no-dataset', datasets: [] });
    return {
      // In the group's own order and spelling.
      used: (resource?.features ?? []).flatMap((f) => {
        const found = uses.get(f.name.toLowerCase());
        return found ? [{ name: f.name, uses: orderUses(found) }] : [];
      }),
      allSelected,
      unknown,
    };
  }

  /** What one dataset's query uses of each feature group it reads directly; undefined when it records no query. */
  private async datasetFeatures(walk: Walk, dataset: string): Promise<DatasetFeatures | undefined> {
    if (walk.entity(dataset)?.properties[FEATURE_STORE_QUERY_PROPERTY] === undefined) return undefined;
    const groups = this.groupByName(walk, [...walk.reachable([dataset], 'Ascendants', ['FeatureGroup'])].filter((arn) => walk.kindOf(arn) === 'FeatureGroup'));
    const resources = await Promise.all(groups.map(([ref]) => this.source.describeFeatureGroup(ref.sourceUri ?? ref.name)));
    const found: DatasetFeatures = { groups: [], unknown: [] };
    groups.forEach(([ref], index) => {
      const resource = resources[index];
      const uses = this.datasetUses(walk, dataset, resource);
      if (typeof uses === 'string') {
        if (!found.unknown.includes(uses)) found.unknown.push(uses);
        return;
      }
      const used = (resource?.features ?? []).flatMap((f) => {
        const all = [...uses.every, ...(uses.columns.get(f.name.toLowerCase()) ?? [])];
        return all.length > 0 ? [{ name: f.name, uses: orderUses(all) }] : [];
      });
      found.groups.push({ featureGroup: ref.name, used, allSelected: uses.every.has('selected') });
    });
    return found;
  }

  /**
   * How one dataset's query uses the columns of a group's offline-store table, today's or an
   * earlier epoch one (lineage links the dataset to the group); or why that is not known.
   */
  private datasetUses(walk: Walk, dataset: string, group: FeatureGroupResource | undefined): TableUses | FeaturesUnknownReason {
    const encoded = walk.entity(dataset)?.properties[FEATURE_STORE_QUERY_PROPERTY];
    if (encoded === undefined || encoded.trim() === '') return 'no-query';
    if (!group) return 'group-not-described';
    const table = group.offlineStore?.tableName;
    if (table === undefined) return 'no-offline-table';
    if (looksCut(encoded)) return 'cut-query';
    const reading = this.queries.readEncoded(encoded, dataset);
    if (!reading.readable) return 'unreadable-query';
    const store = { table, ...(group.offlineStore?.database ? { database: group.offlineStore.database } : {}) };
    const matches = usesOfTable(reading.query, (name) => isTableOrEarlier(name, { name: group.name, store }), group.features.map((f) => f.name));
    return matches ?? 'no-matching-table';
  }
}

/** The group's definitions of the named features (any case), in the order named; EntityNotFound, with close names, for one it lacks. */
function definitionsOf(resource: FeatureGroupResource, names: readonly string[]): FeatureGroupResource['features'] {
  return names.map((featureName) => {
    const definition = resource.features.find((f) => f.name.toLowerCase() === featureName.toLowerCase());
    if (definition) return definition;
    const close = resource.features.map((f) => f.name).filter((name) => name.includes(featureName) || featureName.includes(name));
    throw new EntityNotFound(
      `${resource.name}.${featureName}`,
      (close.length > 0 ? close : resource.features.map((f) => f.name)).slice(0, 8).map((name) => `${resource.name}.${name}`),
      'feature',
    );
  });
}

/** Several datasets' uses of each feature, as one. */
function mergeUses(readings: readonly Map<string, FeatureUse[]>[]): Map<string, FeatureUse[]> {
  const merged = new Map<string, FeatureUse[]>();
  for (const reading of readings) for (const [feature, uses] of reading) merged.set(feature, orderUses([...(merged.get(feature) ?? []), ...uses]));
  return merged;
}

/** Uses once each, in the order answers list them. */
function orderUses(uses: Iterable<FeatureUse>): FeatureUse[] {
  const found = new Set(uses);
  return FEATURE_USES.filter((use) => found.has(use));
}

/** The datasets whose reading is a reason, grouped by reason. */
function unknownOf(walk: Walk, read: readonly (readonly [string, unknown])[]): FeaturesUnknown[] {
  const byReason = new Map<FeaturesUnknownReason, EntityRef[]>();
  for (const [dataset, reading] of read) {
    if (typeof reading !== 'string') continue;
    const reason = reading as FeaturesUnknownReason;
    byReason.set(reason, [...(byReason.get(reason) ?? []), walk.ref(dataset)]);
  }
  return [...byReason].map(([reason, datasets]) => ({ reason, datasets: datasets.sort(byName) }));
}

/** Dependencies follow a group's offline store to the group it was read from, not a group's other entities. */
const DEPENDENCY_LINKS: GroupLinks = Object.freeze({ siblings: false, offlineStore: true });

/**
 * A model and its endpoints are joined directly (deployment, not data): a walk between them need
 * not cross feature groups, and crossing them upstream of an endpoint would cost lookups of every
 * group behind it for models that are never the nearest.
 */
const NO_GROUP_LINKS: GroupLinks = Object.freeze({ siblings: false, offlineStore: false });

/** The shortest of several chains of groups (a name's entities may be reached several ways); [] wins. */
function nearestPath(paths: readonly (EntityRef[] | undefined)[]): EntityRef[] {
  const known = paths.filter((path): path is EntityRef[] => path !== undefined);
  return known.sort((a, b) => a.length - b.length)[0] ?? [];
}

function withThrough(through: readonly EntityRef[]): { through?: EntityRef[] } {
  return through.length > 0 ? { through: [...through] } : {};
}

function truncated(walk: Walk): { truncation?: NonNullable<Walk['truncation']> } {
  return walk.truncation ? { truncation: walk.truncation } : {};
}

function datasetQuery(walk: Walk, arn: string): string | undefined {
  const encoded = walk.entity(arn)?.properties[FEATURE_STORE_QUERY_PROPERTY];
  return encoded ? decodeFeatureQuery(encoded) : undefined;
}
