// The lineage questions. Each resolves its subject, walks the lineage once in the direction it
// needs (bounded by depth and size), and assembles a plain answer for blocks/ to render.
import { FEATURE_STORE_QUERY_PROPERTY, KINDS, type Kind } from './classify.js';
import type {
  BuiltFromAnswer,
  ConsumersAnswer,
  DependenciesAnswer,
  EntityRef,
  FeatureGroupDependency,
  FeaturesAnswer,
  FeatureUsageAnswer,
  OwnedAnswer,
  OwnersAnswer,
  SearchAnswer,
  Truncation,
  TrailAnswer,
  UpstreamAnswer,
} from './answers.js';
import { BadInput, EntityNotFound } from './errors.js';
import { columnsSelectedFrom, decodeFeatureQuery, parseFeatureQuery, type FeatureQuery } from './feature-query.js';
import { Resolver, type Subject } from './resolve.js';
import type { FeatureGroupResource, LineageSource } from './source.js';
import { mapPool } from './pool.js';
import type { QuestionRequest } from './questions.js';
import { recogniseQuestions } from './recognise.js';
import { mergeTruncation, walkLineage, WalkMemo, type Walk, type WalkLimits } from './walk.js';

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
const SEARCH_LIMIT = 10;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export class LineageService {
  private readonly resolver: Resolver;
  /** Graphs and classifications already worked out from cached results, for warm answers. */
  private readonly walkMemo = new WalkMemo();

  constructor(
    private readonly source: LineageSource,
    private readonly limits: ServiceLimits,
    private readonly tagKeys: TagKeys = DEFAULT_TAG_KEYS,
  ) {
    this.resolver = new Resolver(source);
  }

  /** What the service reads from, for logs and stats. */
  get sourceDescription(): string {
    return this.source.description;
  }

  /** The questions a message asks implicitly (ARNs, S3 URIs, console links, known names), at most `limit`. */
  recognise(text: string, limit: number): Promise<QuestionRequest[]> {
    return recogniseQuestions(this.source, text, limit);
  }

  /** Resolves input to a subject without walking: for buttons and thread context. */
  resolve(input: string, accept: readonly Kind[]): Promise<Subject> {
    return this.resolver.resolve(input, accept);
  }

  /** 1. Feature groups (and the features the datasets' queries select) behind a model or endpoint. */
  async dependencies(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any'): Promise<DependenciesAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_KINDS : as === 'Endpoint' ? ['Endpoint'] : [...MODEL_KINDS, 'Endpoint'];
    const subject = await this.resolver.resolve(input, accept);
    const walk = await this.walk(subject, 'Ascendants', ['FeatureGroup', 'Dataset', 'TrainingJob', 'Model', 'ModelPackage']);
    const featureGroups = await this.featureGroupDependencies(walk);
    // An endpoint serves the nearest models upstream, not the models those were fine-tuned from.
    const served = () => {
      const nearest = walk.reachable(subject.starts.map((s) => s.arn), 'Ascendants', MODEL_KINDS);
      return this.refs(walk, walk.ofKind(...MODEL_KINDS).filter((arn) => nearest.has(arn)));
    };
    const models = subject.ref.kind === 'Endpoint' ? served() : [subject.ref];
    return {
      question: 'dependencies',
      subject: subject.ref,
      featureGroups,
      models,
      trainingJobs: this.refs(walk, walk.ofKind('TrainingJob')),
      ...truncated(walk),
    };
  }

  /** 2. Models and endpoints downstream of a feature group. */
  async consumers(input: string): Promise<ConsumersAnswer> {
    const subject = await this.resolver.resolve(input, ['FeatureGroup']);
    const walk = await this.walk(subject, 'Descendants', ['Model', 'ModelPackage', 'Endpoint']);
    const endpoints = new Set(walk.ofKind('Endpoint'));
    const models = this.groupByName(walk, walk.ofKind(...MODEL_KINDS)).map(([model, arns]) => ({
      model,
      endpoints: this.refs(walk, [...walk.reachable(arns, 'Descendants', MODEL_KINDS)].filter((arn) => endpoints.has(arn))),
    }));
    return {
      question: 'consumers',
      subject: subject.ref,
      models,
      endpoints: this.refs(walk, [...endpoints]),
      datasetCount: walk.ofKind('Dataset').length,
      ...truncated(walk),
    };
  }

  /** 3. The raw data, pipelines and code that build a feature group: its true upstream. */
  async upstream(input: string): Promise<UpstreamAnswer> {
    const subject = await this.resolver.resolve(input, ['FeatureGroup']);
    const walk = await this.walk(subject, 'Ascendants', ['DataSource', 'Code', 'ProcessingJob', 'FeaturePipeline', 'FeatureGroup']);
    return {
      question: 'upstream',
      subject: subject.ref,
      dataSources: this.refs(walk, walk.ofKind('DataSource')),
      pipelines: this.refs(walk, walk.ofKind('ProcessingJob', 'FeaturePipeline')),
      code: this.refs(walk, walk.ofKind('Code')),
      featureGroups: this.refs(walk, walk.ofKind('FeatureGroup')).filter((ref) => ref.name !== subject.ref.name),
      ...truncated(walk),
    };
  }

  /** 4. Feature groups built from a data source, with the pipelines in between. */
  async builtFrom(input: string): Promise<BuiltFromAnswer> {
    const subject = await this.resolver.resolve(input, ['DataSource']);
    const walk = await this.walk(subject, 'Descendants', ['FeatureGroup', 'ProcessingJob', 'FeaturePipeline']);
    const pipelines = new Set(walk.ofKind('ProcessingJob', 'FeaturePipeline'));
    const featureGroups = this.groupByName(walk, walk.ofKind('FeatureGroup')).map(([featureGroup, arns]) => ({
      featureGroup,
      pipelines: this.refs(walk, [...walk.reachable(arns, 'Ascendants')].filter((arn) => pipelines.has(arn))),
    }));
    return { question: 'builtFrom', subject: subject.ref, featureGroups, ...truncated(walk) };
  }

  /** 5. The whole trail of a model (or the model behind an endpoint): data sources to endpoints. */
  async trail(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any'): Promise<TrailAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_KINDS : as === 'Endpoint' ? ['Endpoint'] : [...MODEL_KINDS, 'Endpoint'];
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
        const detail =
          kind === 'Dataset'
            ? datasetQuery(up, ref.arn)
            : kind === 'FeatureGroup'
              ? featureList(features.get(ref.name))
              : kind === 'Other'
                ? (up.entity(ref.arn)?.type ?? down.entity(ref.arn)?.type ?? up.graph.vertices.get(ref.arn)?.type)
                : undefined;
        return detail ? { ...ref, detail } : ref;
      });
      return { kind, entities };
    }).filter((stage) => stage.entities.length > 0);
    const truncation = mergeTruncation(up.truncation, down.truncation);
    return { question: 'trail', subject: subject.ref, stages, ...(truncation ? { truncation } : {}) };
  }

  /** 6. Models whose training datasets' queries select one feature. Input: "<feature-group>.<feature>". */
  async featureUsage(input: string): Promise<FeatureUsageAnswer> {
    const text = input.trim();
    const dot = text.indexOf('.');
    if (dot <= 0 || dot === text.length - 1) {
      throw new BadInput(`"${text}" is not a feature.`, 'Name a feature as <feature-group>.<feature>, e.g. customers.age');
    }
    const groupName = text.slice(0, dot);
    const featureName = text.slice(dot + 1);
    const { resource, subject } = await this.resolver.featureGroup(groupName);
    const definition = resource.features.find((f) => f.name.toLowerCase() === featureName.toLowerCase());
    if (!definition) {
      const close = resource.features.map((f) => f.name).filter((name) => name.includes(featureName) || featureName.includes(name));
      throw new EntityNotFound(
        `${resource.name}.${featureName}`,
        (close.length > 0 ? close : resource.features.map((f) => f.name)).slice(0, 8).map((name) => `${resource.name}.${name}`),
        'feature',
      );
    }
    const walk = await this.walk(subject, 'Descendants', ['Dataset', 'Model', 'ModelPackage']);
    const table = resource.offlineStore?.tableName;
    const selecting = table
      ? walk.ofKind('Dataset').filter((arn) => {
          const query = datasetFeatureQuery(walk, arn);
          const columns = query ? columnsSelectedFrom(query, table, resource.features.map((f) => f.name)) : [];
          return columns.includes('*') || columns.some((c) => c.toLowerCase() === definition.name.toLowerCase());
        })
      : [];
    const modelArns = new Set(walk.ofKind(...MODEL_KINDS));
    const byModel = new Map<string, { model: EntityRef; datasets: EntityRef[] }>();
    const unusedDatasets: EntityRef[] = [];
    for (const dataset of selecting) {
      const models = [...walk.reachable([dataset], 'Descendants')].filter((arn) => modelArns.has(arn));
      if (models.length === 0) unusedDatasets.push(walk.ref(dataset));
      for (const arn of models) {
        const model = walk.ref(arn);
        const entry = byModel.get(model.name) ?? { model, datasets: [] };
        entry.datasets.push(walk.ref(dataset));
        byModel.set(model.name, entry);
      }
    }
    return {
      question: 'featureUsage',
      featureGroup: subject.ref,
      feature: { name: definition.name, type: definition.type },
      models: [...byModel.values()]
        .map((entry) => ({ ...entry, datasets: entry.datasets.sort(byName) }))
        .sort((a, b) => byName(a.model, b.model)),
      unusedDatasets: unusedDatasets.sort(byName),
      matchable: table !== undefined,
      ...truncated(walk),
    };
  }

  /** 7. Feature groups, models, endpoints and data sources whose names contain `text`. */
  async search(text: string): Promise<SearchAnswer> {
    const needle = text.trim();
    if (needle.length < 2) throw new BadInput('Search for at least two characters.', 'Example: /lineage search fraud');
    if (needle.length > 200) throw new BadInput('That search text is too long (200 characters at most).');
    const kinds = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'] as const;
    // One more than shown per kind tells whether there are more.
    const hits = await this.source.searchResources(needle, kinds, SEARCH_LIMIT + 1);
    let more = false;
    const shown = kinds.flatMap((kind) => {
      const ofKind = hits.filter((hit) => hit.kind === kind);
      more ||= ofKind.length > SEARCH_LIMIT;
      return ofKind.slice(0, SEARCH_LIMIT);
    });
    return { question: 'search', text: needle, hits: shown, more };
  }

  /** Owners of a model, endpoint or feature group (by tags); for a feature group, also of its consumers. */
  async owners(input: string, as: 'Model' | 'Endpoint' | 'any' = 'any'): Promise<OwnersAnswer> {
    const accept: Kind[] = as === 'Model' ? MODEL_KINDS : as === 'Endpoint' ? ['Endpoint'] : ['FeatureGroup', ...MODEL_KINDS, 'Endpoint'];
    const subject = await this.resolver.resolve(input, accept);
    const entities: EntityRef[] = [subject.ref];
    let truncation: Truncation | undefined;
    if (subject.ref.kind === 'FeatureGroup') {
      const consumers = await this.consumers(subject.ref.sourceUri ?? subject.ref.name);
      entities.push(...consumers.models.map((m) => m.model), ...consumers.endpoints);
      truncation = consumers.truncation;
    }
    const entries = await mapPool(entities, this.limits.describeConcurrency, async (entity) => {
      const arn = await this.resourceArn(entity);
      const tags = arn ? await this.source.listTags(arn) : {};
      const values = (keys: readonly string[]) => keys.flatMap((key) => (tags[key] ? [tags[key]] : []));
      return { entity: { kind: entity.kind, name: entity.name, arn: arn ?? entity.arn }, owners: values(this.tagKeys.owner), channels: values(this.tagKeys.channel) };
    });
    return { question: 'owners', subject: subject.ref, entries, ...(truncation ? { truncation } : {}) };
  }

  /** A feature group's definition: its features and types, identifiers and offline table. */
  async features(input: string): Promise<FeaturesAnswer> {
    const { resource, subject } = await this.resolver.featureGroup(input);
    return {
      question: 'features',
      subject: subject.ref,
      features: resource.features.map((f) => ({ name: f.name, type: f.type })),
      recordIdentifier: resource.recordIdentifierFeatureName,
      eventTime: resource.eventTimeFeatureName,
      ...(resource.offlineStore?.tableName ? { offlineTable: resource.offlineStore.tableName } : {}),
      ...(resource.description ? { description: resource.description } : {}),
    };
  }

  /**
   * Models and endpoints whose owner tag names one of `identities` (a Slack user ID, an email),
   * with the feature groups each depends on. Looks at up to `limit` of each kind.
   */
  async ownedBy(identities: readonly string[], limit = 500): Promise<OwnedAnswer> {
    const wanted = new Set(identities.map((id) => id.toLowerCase()));
    const hits = await this.source.searchResources('', ['Model', 'Endpoint'], limit + 1);
    const byKind = (kind: string) => hits.filter((hit) => hit.kind === kind);
    const capped = byKind('Model').length > limit || byKind('Endpoint').length > limit;
    const scanned = [...byKind('Model').slice(0, limit), ...byKind('Endpoint').slice(0, limit)];
    const tagged = await mapPool(scanned, this.limits.describeConcurrency, async (hit) => ({ hit, tags: await this.source.listTags(hit.arn) }));
    const mine = tagged.filter(({ tags }) => this.tagKeys.owner.some((key) => tags[key] !== undefined && wanted.has(tags[key].toLowerCase())));
    const owned = await mapPool(mine, this.limits.describeConcurrency, async ({ hit }) => {
      const entity = { kind: hit.kind as Kind, name: hit.name, arn: hit.arn };
      try {
        const answer = await this.dependencies(hit.name, hit.kind === 'Endpoint' ? 'Endpoint' : 'Model');
        return { entity, featureGroups: answer.featureGroups.map((d) => d.featureGroup.name) };
      } catch (error) {
        // One model without lineage must not blank the whole home tab.
        return { entity, featureGroups: [], problem: (error as Error).message };
      }
    });
    return { owned, scanned: scanned.length, capped };
  }

  /** The SageMaker resource ARN behind an entity (tags hang on resources, not lineage entities). */
  private async resourceArn(entity: EntityRef): Promise<string | undefined> {
    if (entity.sourceUri && /:(feature-group|model|endpoint)\//.test(entity.sourceUri)) return entity.sourceUri;
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

  private walk(subject: Subject, direction: 'Ascendants' | 'Descendants', kinds: readonly Kind[]): Promise<Walk> {
    return walkLineage(this.source, subject.starts, direction, kinds, this.limits, this.walkMemo);
  }

  /** One ref per distinct name (a feature group may have both an fg- artifact and a context). */
  private refs(walk: Walk, arns: readonly string[]): EntityRef[] {
    return this.groupByName(walk, arns).map(([ref]) => ref);
  }

  private groupByName(walk: Walk, arns: readonly string[]): [EntityRef, string[]][] {
    const groups = new Map<string, [EntityRef, string[]]>();
    for (const arn of arns) {
      const ref = walk.ref(arn);
      const group = groups.get(ref.name);
      if (group) group[1].push(arn);
      else groups.set(ref.name, [ref, [arn]]);
    }
    return [...groups.values()].sort(([a], [b]) => byName(a, b));
  }

  /** Feature groups in an ascendant walk, each with the features its downstream datasets select. */
  private async featureGroupDependencies(walk: Walk): Promise<FeatureGroupDependency[]> {
    const datasets = new Set(walk.ofKind('Dataset'));
    const groups = this.groupByName(walk, walk.ofKind('FeatureGroup'));
    const resources = await Promise.all(groups.map(([ref]) => this.source.describeFeatureGroup(ref.sourceUri ?? ref.name)));
    return groups.map(([featureGroup, arns], index) => {
      const via = [...walk.reachable(arns, 'Descendants')].filter((arn) => datasets.has(arn));
      return {
        featureGroup,
        features: selectedFeatures(walk, via, resources[index]),
        datasets: this.refs(walk, via),
      };
    });
  }
}

function truncated(walk: Walk): { truncation?: NonNullable<Walk['truncation']> } {
  return walk.truncation ? { truncation: walk.truncation } : {};
}

function datasetQuery(walk: Walk, arn: string): string | undefined {
  const encoded = walk.entity(arn)?.properties[FEATURE_STORE_QUERY_PROPERTY];
  return encoded ? decodeFeatureQuery(encoded) : undefined;
}

function datasetFeatureQuery(walk: Walk, arn: string): FeatureQuery | undefined {
  const sql = datasetQuery(walk, arn);
  return sql ? parseFeatureQuery(sql) : undefined;
}

/** Features of one group that the given datasets' queries select; ['*'] for all of them. */
function selectedFeatures(walk: Walk, datasets: readonly string[], resource: FeatureGroupResource | undefined): string[] {
  const table = resource?.offlineStore?.tableName;
  if (!resource || !table) return [];
  const known = resource.features.map((f) => f.name);
  const selected = new Set<string>();
  for (const dataset of datasets) {
    const query = datasetFeatureQuery(walk, dataset);
    if (!query) continue;
    for (const column of columnsSelectedFrom(query, table, known)) selected.add(column);
  }
  if (selected.has('*')) return ['*'];
  // Report features in the group's own order, with its own spelling.
  return known.filter((name) => [...selected].some((s) => s.toLowerCase() === name.toLowerCase()));
}

function featureList(features: string[] | undefined): string | undefined {
  if (!features || features.length === 0) return undefined;
  return features[0] === '*' ? 'all features' : features.join(', ');
}
