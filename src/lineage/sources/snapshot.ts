// A LineageSource over a validated snapshot held in memory: the demo and offline inspection.
import { classifyEntity } from '../classify.js';
import { boundedWalk } from '../graph.js';
import { tagsOneByOne } from '../tags-of.js';
import { parseArn, scopeOfArn, type AccountScope } from '../reference.js';
import type {
  Association,
  DataSourceSearch,
  EndpointConfigResource,
  EndpointResource,
  EntityFilter,
  FeatureGroupResource,
  LineageEntity,
  LineageQuery,
  LineageQueryResult,
  LineageSource,
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
} from '../lineage-source.js';
import {
  actionToEntity,
  artifactToEntity,
  associationFromShape,
  contextToEntity,
  endpointConfigFromShape,
  endpointFromShape,
  featureGroupFromShape,
  modelFromShape,
  modelPackageFromShape,
  modelPackageGroupFromShape,
  pipelineExecutionFromShape,
  processingJobFromShape,
  trainingJobFromShape,
  trialComponentToEntity,
} from './shapes.js';
import type { Snapshot } from './snapshot-file.js';

/** Looks a resource up by name, or by ARN when given one of the right type (like DescribeX by ARN). */
function byNameOrArn<T extends { name: string; arn: string }>(items: Map<string, T>, nameOrArn: string, resourceType: string): T | undefined {
  if (!nameOrArn.startsWith('arn:')) return items.get(nameOrArn);
  const parsed = parseArn(nameOrArn);
  return parsed?.resourceType === resourceType ? items.get(parsed.resourceName) : undefined;
}

function indexByName<T extends { name: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

export class SnapshotSource implements LineageSource {
  private readonly entities = new Map<string, LineageEntity>();
  private readonly outgoing = new Map<string, Association[]>();
  private readonly incoming = new Map<string, Association[]>();
  private readonly featureGroups: Map<string, FeatureGroupResource>;
  private readonly models: Map<string, ModelResource>;
  private readonly endpoints: Map<string, EndpointResource>;
  private readonly endpointConfigs: Map<string, EndpointConfigResource>;
  private readonly trainingJobs: Map<string, TrainingJobResource>;
  private readonly processingJobs: Map<string, ProcessingJobResource>;
  private readonly tags: Map<string, Record<string, string>>;
  private readonly modelPackageGroups: Map<string, ModelPackageGroupResource>;
  private readonly modelPackages: ModelPackageResource[];
  private readonly pipelineExecutions: Map<string, PipelineExecutionResource>;
  /** Trial component ARN → the trials it is in. */
  private readonly trials = new Map<string, readonly string[]>();
  private readonly home: AccountScope | undefined;

  constructor(
    snapshot: Snapshot,
    readonly description: string,
  ) {
    const entities = [
      ...snapshot.Artifacts.map(artifactToEntity),
      ...snapshot.Contexts.map(contextToEntity),
      ...snapshot.Actions.map(actionToEntity),
      ...snapshot.TrialComponents.map(trialComponentToEntity),
    ];
    for (const entity of entities) this.entities.set(entity.arn, entity);
    for (const association of snapshot.Associations.map(associationFromShape)) {
      push(this.outgoing, association.sourceArn, association);
      push(this.incoming, association.destinationArn, association);
    }
    this.featureGroups = indexByName(snapshot.FeatureGroups.map(featureGroupFromShape));
    this.models = indexByName(snapshot.Models.map(modelFromShape));
    this.endpoints = indexByName(snapshot.Endpoints.map(endpointFromShape));
    this.endpointConfigs = indexByName(snapshot.EndpointConfigs.map(endpointConfigFromShape));
    this.trainingJobs = indexByName(snapshot.TrainingJobs.map(trainingJobFromShape));
    this.processingJobs = indexByName(snapshot.ProcessingJobs.map(processingJobFromShape));
    this.tags = new Map(
      Object.entries(snapshot.Tags).map(([arn, list]) => [arn, Object.fromEntries(list.map((t) => [t.Key, t.Value]))]),
    );
    this.modelPackageGroups = indexByName(snapshot.ModelPackageGroups.map(modelPackageGroupFromShape));
    this.modelPackages = snapshot.ModelPackages.map(modelPackageFromShape);
    this.pipelineExecutions = new Map(snapshot.PipelineExecutions.map(pipelineExecutionFromShape).map((e) => [e.arn, e]));
    for (const component of snapshot.TrialComponents) {
      const names = (component.Parents ?? []).flatMap((parent) => (parent.TrialName ? [parent.TrialName] : []));
      if (names.length > 0) this.trials.set(component.TrialComponentArn, names);
    }
    this.home = homeOf([
      ...this.entities.keys(),
      ...[...this.featureGroups.values(), ...this.models.values(), ...this.endpoints.values()].map((r) => r.arn),
    ]);
  }

  /** The account and region most of the snapshot's ARNs name (a few may be shared from elsewhere). */
  async scope(): Promise<AccountScope | undefined> {
    return this.home;
  }

  async describeEntity(arn: string): Promise<LineageEntity | undefined> {
    return this.entities.get(arn);
  }

  async listEntities(filter: EntityFilter): Promise<LineageEntity[]> {
    return [...this.entities.values()].filter(
      (e) =>
        e.lineageType === filter.lineageType &&
        (filter.type === undefined || e.type === filter.type) &&
        (filter.sourceUri === undefined || e.sourceUri === filter.sourceUri) &&
        (filter.trialName === undefined || (this.trials.get(e.arn) ?? []).includes(filter.trialName)),
    );
  }

  async queryLineage(query: LineageQuery): Promise<LineageQueryResult> {
    const start = this.entities.get(query.startArn);
    if (!start) return { vertices: [], edges: [], depthExceeded: false };
    const walk = boundedWalk(query.startArn, query.maxDepth, (arn) => [
      ...(query.direction !== 'Descendants'
        ? (this.incoming.get(arn) ?? []).map((edge) => ({ neighbour: edge.sourceArn, edge }))
        : []),
      ...(query.direction !== 'Ascendants'
        ? (this.outgoing.get(arn) ?? []).map((edge) => ({ neighbour: edge.destinationArn, edge }))
        : []),
    ]);
    const vertices = [...walk.visited.keys()].map((arn) => {
      const entity = this.entities.get(arn) as LineageEntity;
      return { arn, lineageType: entity.lineageType, ...(entity.type !== undefined ? { type: entity.type } : {}) };
    });
    return { vertices, edges: walk.edges, depthExceeded: walk.depthExceeded };
  }

  async describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined> {
    return byNameOrArn(this.featureGroups, nameOrArn, 'feature-group');
  }

  async describeModel(name: string): Promise<ModelResource | undefined> {
    return byNameOrArn(this.models, name, 'model');
  }

  async describeEndpoint(name: string): Promise<EndpointResource | undefined> {
    return byNameOrArn(this.endpoints, name, 'endpoint');
  }

  async describeEndpointConfig(name: string): Promise<EndpointConfigResource | undefined> {
    return byNameOrArn(this.endpointConfigs, name, 'endpoint-config');
  }

  async describeTrainingJob(name: string): Promise<TrainingJobResource | undefined> {
    return byNameOrArn(this.trainingJobs, name, 'training-job');
  }

  async describeProcessingJob(name: string): Promise<ProcessingJobResource | undefined> {
    return byNameOrArn(this.processingJobs, name, 'processing-job');
  }

  async describeModelPackageGroup(nameOrArn: string): Promise<ModelPackageGroupResource | undefined> {
    return byNameOrArn(this.modelPackageGroups, nameOrArn, 'model-package-group');
  }

  async listModelPackages(groupNameOrArn: string): Promise<ModelPackageResource[]> {
    const group = await this.describeModelPackageGroup(groupNameOrArn);
    return group ? this.modelPackages.filter((p) => p.groupName === group.name) : [];
  }

  async describePipelineExecution(arn: string): Promise<PipelineExecutionResource | undefined> {
    return this.pipelineExecutions.get(arn);
  }

  async listTags(resourceArn: string): Promise<Record<string, string>> {
    return { ...(this.tags.get(resourceArn) ?? {}) };
  }

  async searchResources(text: string, kinds: readonly ResourceKind[], limit: number): Promise<ResourceHit[]> {
    const needle = text.toLowerCase();
    const matches = (value: string) => value.toLowerCase().includes(needle);
    const pools: Record<ResourceKind, () => ResourceHit[]> = {
      FeatureGroup: () => [...this.featureGroups.values()].map((f) => ({ kind: 'FeatureGroup', name: f.name, arn: f.arn })),
      Model: () => [...this.models.values()].map((m) => ({ kind: 'Model', name: m.name, arn: m.arn })),
      Endpoint: () => [...this.endpoints.values()].map((e) => ({ kind: 'Endpoint', name: e.name, arn: e.arn })),
      DataSource: () =>
        [...this.entities.values()]
          .map(classifyEntity)
          .filter((e) => e.kind === 'DataSource')
          .map((e) => ({ kind: 'DataSource', name: e.name, arn: e.arn })),
    };
    return kinds.flatMap((kind) =>
      pools[kind]()
        .filter((hit) => matches(hit.name))
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, limit),
    );
  }

  async searchDataSources(text: string, limit: number): Promise<DataSourceSearch> {
    return { hits: await this.searchResources(text, ['DataSource'], limit) };
  }

  async findTagged(kinds: readonly SearchableKind[], keys: readonly string[], values: readonly string[]): Promise<TaggedHit[]> {
    const wanted = new Set(values);
    return kinds.flatMap((kind) =>
      this.searchable(kind).flatMap((hit): TaggedHit[] => {
        const tags = this.tags.get(hit.arn) ?? {};
        return keys.some((key) => tags[key] !== undefined && wanted.has(tags[key])) ? [{ ...hit, kind, tags: { ...tags } }] : [];
      }),
    );
  }

  async findNamed(names: readonly string[], kinds: readonly SearchableKind[]): Promise<ResourceHit[]> {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    return kinds.flatMap((kind) => this.searchable(kind).filter((hit) => wanted.has(hit.name.toLowerCase())));
  }

  async tagsOf(subjects: readonly TagSubject[]): Promise<SubjectTags[]> {
    return tagsOneByOne(this, subjects, subjects.length);
  }

  /** Every resource of a kind that SageMaker Search can find, by name. */
  private searchable(kind: SearchableKind): ResourceHit[] {
    const items = kind === 'FeatureGroup' ? this.featureGroups : kind === 'Model' ? this.models : this.endpoints;
    return [...items.values()].map((item) => ({ kind, name: item.name, arn: item.arn })).sort((a, b) => a.name.localeCompare(b.name));
  }
}

function homeOf(arns: readonly string[]): AccountScope | undefined {
  const counts = new Map<string, { scope: AccountScope; count: number }>();
  for (const arn of arns) {
    const parsed = parseArn(arn);
    if (!parsed) continue;
    const scope = scopeOfArn(parsed);
    const key = `${scope.partition}:${scope.region}:${scope.account}`;
    const entry = counts.get(key) ?? { scope, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0]?.scope;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
