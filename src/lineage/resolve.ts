// Resolution: from what a person types (a name, an ARN, an S3 URI or link, a console link) to the
// lineage entities that stand for it. QueryLineage only starts from lineage entities, so a feature
// group, model, endpoint, job, model package group or pipeline execution is first found through
// the entities whose SourceUri (a trial component's SourceArn) is its ARN or model data.
import { classifyEntity, KIND_LABELS, type ClassifiedEntity, type Kind } from './classify.js';
import type { EntityRef } from './answers.js';
import { AmbiguousName, BadInput, EntityNotFound, ForeignResource, NoLineageRecorded, WrongKind, type KindHint } from './errors.js';
import type { ConsoleLink } from './links.js';
import {
  isForeign,
  isLineageArn,
  parseArn,
  parseReference,
  pipelineExecution,
  scopeOfArn,
  type AccountScope,
  type ParsedArn,
} from './reference.js';
import { searchable } from './search-text.js';
import type { FeatureGroupResource, LineageSource, ListOptions, ResourceHit, ResourceKind } from './lineage-source.js';

/** What a question is about: the entity as people name it and the lineage entities to walk from. */
export interface Subject {
  ref: EntityRef;
  starts: ClassifiedEntity[];
}

/** Resolution only needs what list summaries say: name, type, source URI. */
const SUMMARIES: ListOptions = { withProperties: false };

const ALL_RESOURCE_KINDS: readonly ResourceKind[] = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'];

/** Kinds that a plain name can be looked up as, in the order they are tried (ModelPackage: a model package group). */
type NamedKind = 'FeatureGroup' | 'Model' | 'Endpoint' | 'ModelPackage' | 'TrainingJob' | 'ProcessingJob' | 'DataSource';
const NAME_ORDER: readonly NamedKind[] = ['FeatureGroup', 'Model', 'Endpoint', 'ModelPackage', 'TrainingJob', 'ProcessingJob', 'DataSource'];

/** What each resource ARN type stands for. */
const ARN_KINDS: Readonly<Record<string, NamedKind>> = {
  'feature-group': 'FeatureGroup',
  model: 'Model',
  endpoint: 'Endpoint',
  'model-package-group': 'ModelPackage',
  'training-job': 'TrainingJob',
  'processing-job': 'ProcessingJob',
};

/**
 * Finds entities tied to a WrongKind input that may be what was meant (a model's endpoints). The
 * service supplies it: it needs a lineage walk.
 */
export type RelatedFinder = (hint: KindHint) => Promise<KindHint['related']>;

const label = (kind: Kind) => KIND_LABELS[kind].one;

/** Kinds a question also takes in place of the first: "not a model" rather than "not a model, model package or training job". */
const VARIANTS: Partial<Record<Kind, readonly Kind[]>> = {
  Model: ['ModelPackage', 'TrainingJob'],
  DataSource: ['ProcessingJob', 'FeaturePipeline', 'PipelineExecution'],
};

/** The labels of what a question asked for, as an answer names them. */
function labels(kinds: readonly Kind[]): string[] {
  const shown = kinds.filter((kind) => !kinds.some((other) => VARIANTS[other]?.includes(kind)));
  return shown.map(label);
}

export class Resolver {
  constructor(
    private readonly source: LineageSource,
    private readonly related?: RelatedFinder,
  ) {}

  /**
   * Resolves `input` to a subject of one of the `accept` kinds. Plain names are tried as each
   * accepted kind in order; the first that exists wins.
   */
  async resolve(input: string, accept: readonly Kind[]): Promise<Subject> {
    try {
      const reference = parseReference(input);
      switch (reference.form) {
        case 's3':
          return await this.byUri(reference.uri, accept);
        case 'arn':
          return await this.byArn(reference.parsed, accept);
        case 'console':
          return await this.byConsoleLink(reference.link, accept);
        case 'name':
          return await this.byPlainName(reference.name, accept);
      }
    } catch (error) {
      throw await this.withRelated(error);
    }
  }

  /** A feature group and its definition, by name or ARN. */
  async featureGroup(nameOrArn: string): Promise<{ resource: FeatureGroupResource; subject: Subject }> {
    const subject = await this.resolve(nameOrArn, ['FeatureGroup']);
    const resource = await this.source.describeFeatureGroup(subject.ref.name);
    if (!resource) throw new EntityNotFound(nameOrArn, [], 'feature group');
    return { resource, subject };
  }

  /** A WrongKind about a model or an endpoint also says which endpoints or models go with it. */
  private async withRelated(error: unknown): Promise<unknown> {
    if (!(error instanceof WrongKind) || !error.hint || error.hint.related || !this.related) return error;
    const related = await this.related(error.hint).catch(() => undefined);
    return related ? new WrongKind(error.input, error.actualKind, error.expected, { ...error.hint, related }) : error;
  }

  private async byPlainName(name: string, accept: readonly Kind[]): Promise<Subject> {
    // A path ("raw/claims.csv") or a name with spaces can only be the end of a data source's URI.
    const candidates: readonly NamedKind[] = name.includes('/') || /\s/.test(name) ? ['DataSource'] : NAME_ORDER;
    const named = candidates.filter((kind) => accept.includes(kind));
    for (const kind of named) {
      const subject = await this.byName(name, kind);
      if (subject) return subject;
    }
    // The same name spelt with other capitals ("Customers"), when only one entity has it.
    const recased = await this.otherCase(name, named);
    if (recased) {
      const subject = await this.byName(recased.name, recased.kind);
      if (subject) return subject;
    }
    const lookedFor = labels(named).join(' or ') || 'entity';
    // The exact name of something of another kind: say what it is rather than "not found".
    const elsewhere = await this.kindElsewhere(name, candidates, named);
    if (elsewhere) throw new WrongKind(name, label(elsewhere.kind), labels(named), { kind: elsewhere.kind, input: elsewhere.name });
    throw new EntityNotFound(name, await this.suggest(name, searchableKinds(named)), lookedFor, searchable(lastSegment(name)));
  }

  /** Hits whose name equals `name` but for case; one is the answer, several are ambiguous. */
  private async otherCase(name: string, kinds: readonly NamedKind[]): Promise<{ kind: NamedKind; name: string } | undefined> {
    const within = searchableKinds(kinds).filter((kind) => kind !== 'DataSource');
    if (within.length === 0) return undefined;
    const hits = await this.sameNameHits(name, within);
    const others = hits.filter((hit) => hit.name !== name);
    if (others.length > 1) throw new AmbiguousName(name, others.map((hit) => ({ kind: hit.kind, name: hit.name, arn: hit.arn })));
    const only = others[0];
    return only && { kind: only.kind as NamedKind, name: only.name };
  }

  /** Search hits named `name` in any case, each once. */
  private async sameNameHits(name: string, kinds: readonly ResourceKind[]): Promise<ResourceHit[]> {
    const texts = [...new Set([name, name.toLowerCase()])];
    const found = new Map<string, ResourceHit>();
    for (const text of texts) {
      for (const hit of await this.source.searchResources(text, kinds, 20)) {
        if (hit.name.toLowerCase() === name.toLowerCase()) found.set(`${hit.kind}\u0000${hit.name}`, hit);
      }
    }
    return [...found.values()];
  }

  /** What else `name` names exactly, among the kinds not asked for; undefined when nothing. */
  private async kindElsewhere(name: string, candidates: readonly NamedKind[], named: readonly NamedKind[]): Promise<{ kind: NamedKind; name: string } | undefined> {
    const others = candidates.filter((kind) => !named.includes(kind));
    const searched = searchableKinds(others);
    if (searched.length > 0) {
      const hits = await this.sameNameHits(name, searched);
      const exact = hits.find((hit) => hit.name === name) ?? (hits.length === 1 ? hits[0] : undefined);
      if (exact) return { kind: exact.kind as NamedKind, name: exact.name };
    }
    // Jobs and model package groups are not searched by name: one describe each says whether it is one.
    const described: [NamedKind, () => Promise<{ name: string } | undefined>][] = [
      ['TrainingJob', () => this.source.describeTrainingJob(name)],
      ['ProcessingJob', () => this.source.describeProcessingJob(name)],
      ['ModelPackage', () => this.source.describeModelPackageGroup(name)],
    ];
    for (const [kind, describe] of described) {
      if (!others.includes(kind)) continue;
      const resource = await describe();
      if (resource) return { kind, name: resource.name };
    }
    return undefined;
  }

  private async byName(name: string, kind: NamedKind): Promise<Subject | undefined> {
    switch (kind) {
      case 'FeatureGroup': {
        const resource = await this.source.describeFeatureGroup(name);
        return resource && this.featureGroupSubject(resource);
      }
      case 'Model':
        return this.model(name);
      case 'Endpoint':
        return this.endpoint(name);
      case 'ModelPackage':
        return this.modelPackageGroup(name);
      case 'TrainingJob':
        return this.trainingJob(name);
      case 'ProcessingJob':
        return this.processingJob(name);
      case 'DataSource':
        return this.dataSourceByName(name);
    }
  }

  private async featureGroupSubject(resource: FeatureGroupResource): Promise<Subject> {
    // ml-lineage-helper records fg-<name> artifacts; the feature processor records contexts.
    // Their SourceUri (the feature group ARN) and type classify them: no describe needed.
    const [artifacts, contexts] = await Promise.all([
      this.source.listEntities({ lineageType: 'Artifact', sourceUri: resource.arn }, SUMMARIES),
      this.source.listEntities({ lineageType: 'Context', sourceUri: resource.arn }, SUMMARIES),
    ]);
    const starts = [...artifacts, ...contexts].map(classifyEntity).filter((e) => e.kind === 'FeatureGroup');
    if (starts.length === 0) throw new NoLineageRecorded('feature group', resource.name);
    return subjectOf('FeatureGroup', resource.name, resource.arn, starts);
  }

  private async model(name: string): Promise<Subject | undefined> {
    const model = await this.source.describeModel(name);
    if (!model) return undefined;
    // SageMaker's Model artifact has the model data as its SourceUri; a model deployed from a
    // package points at the package instead.
    const uris = [...model.modelDataUrls, ...model.modelPackageNames];
    const list = (options: ListOptions) =>
      Promise.all(uris.map((sourceUri) => this.source.listEntities({ lineageType: 'Artifact', sourceUri }, options))).then((lists) =>
        lists
          .flat()
          .map(classifyEntity)
          .filter((e) => e.kind === 'Model' || e.kind === 'ModelPackage'),
      );
    let found = await list(SUMMARIES);
    let starts: ClassifiedEntity[];
    if (found.length === 1) {
      // The one artifact with this model's data stands for this model; say so in its name.
      const only = found[0] as ClassifiedEntity;
      starts = [{ ...only, name: model.name, properties: { ...only.properties, SageMakerModelName: model.name } }];
    } else {
      // Two models may share model data: their properties tell which artifact names this model.
      found = found.length > 1 ? await list({}) : found;
      const named = found.filter((e) => e.properties['SageMakerModelName'] === model.name);
      starts = named.length > 0 ? named : found;
    }
    if (starts.length === 0) throw new NoLineageRecorded('model', model.name);
    return subjectOf('Model', model.name, model.arn, starts);
  }

  private async endpoint(name: string): Promise<Subject | undefined> {
    const endpoint = await this.source.describeEndpoint(name);
    if (!endpoint) return undefined;
    const starts = (await this.source.listEntities({ lineageType: 'Context', type: 'Endpoint', sourceUri: endpoint.arn }, SUMMARIES)).map(classifyEntity);
    if (starts.length === 0) throw new NoLineageRecorded('endpoint', endpoint.name);
    return subjectOf('Endpoint', endpoint.name, endpoint.arn, starts);
  }

  /** A training job: the trial component SageMaker records for it (`<job>-aws-training-job`). */
  private async trainingJob(name: string): Promise<Subject | undefined> {
    const job = await this.source.describeTrainingJob(name);
    if (!job) return undefined;
    const components = await this.source.listEntities({ lineageType: 'TrialComponent', sourceUri: job.arn }, SUMMARIES);
    const starts = components.map(classifyEntity).filter((e) => e.kind === 'TrainingJob');
    if (starts.length === 0) throw new NoLineageRecorded('training job', job.name);
    return subjectOf('TrainingJob', job.name, job.arn, starts);
  }

  /** A processing job: its trial component, and the ProcessingJob artifact pipelines record for it. */
  private async processingJob(name: string): Promise<Subject | undefined> {
    const job = await this.source.describeProcessingJob(name);
    if (!job) return undefined;
    const [components, artifacts] = await Promise.all([
      this.source.listEntities({ lineageType: 'TrialComponent', sourceUri: job.arn }, SUMMARIES),
      this.source.listEntities({ lineageType: 'Artifact', sourceUri: job.arn }, SUMMARIES),
    ]);
    const starts = [...components, ...artifacts].map(classifyEntity).filter((e) => e.kind === 'ProcessingJob');
    if (starts.length === 0) throw new NoLineageRecorded('processing job', job.name);
    return subjectOf('ProcessingJob', job.name, job.arn, starts);
  }

  /**
   * A model package group: the context SageMaker records for it, which every version's package
   * artifact is associated with; without that context, the versions' artifacts themselves.
   */
  private async modelPackageGroup(nameOrArn: string): Promise<Subject | undefined> {
    const group = await this.source.describeModelPackageGroup(nameOrArn);
    if (!group) return undefined;
    const contexts = (await this.source.listEntities({ lineageType: 'Context', sourceUri: group.arn }, SUMMARIES)).map(classifyEntity);
    let starts = contexts.filter((e) => e.kind === 'ModelPackage');
    if (starts.length === 0) {
      const versions = await this.source.listModelPackages(group.arn);
      const artifacts = await Promise.all(
        versions.map((version) => this.source.listEntities({ lineageType: 'Artifact', sourceUri: version.arn }, SUMMARIES)),
      );
      starts = artifacts.flat().map(classifyEntity).filter((e) => e.kind === 'ModelPackage' || e.kind === 'Model');
    }
    if (starts.length === 0) throw new NoLineageRecorded('model package group', group.name);
    return subjectOf('ModelPackage', group.name, group.arn, starts);
  }

  /**
   * A pipeline execution: the trial components of its jobs (Pipelines records them in the
   * execution's Experiments trial) and any context recorded for the execution itself.
   */
  private async pipelineExecution(parsed: ParsedArn): Promise<Subject | undefined> {
    const execution = await this.source.describePipelineExecution(parsed.arn);
    if (!execution) return undefined;
    const ids = pipelineExecution(parsed);
    const name = execution.displayName ?? (ids ? `${ids.pipeline}/${ids.execution}` : parsed.resourceName);
    const [components, contexts] = await Promise.all([
      execution.trialName ? this.source.listEntities({ lineageType: 'TrialComponent', trialName: execution.trialName }, SUMMARIES) : [],
      this.source.listEntities({ lineageType: 'Context', sourceUri: execution.arn }, SUMMARIES),
    ]);
    const starts = [...components, ...contexts].map(classifyEntity);
    if (starts.length === 0) throw new NoLineageRecorded('pipeline execution', name);
    return subjectOf('PipelineExecution', name, execution.arn, starts);
  }

  /** A pipeline (not one run of it): the feature processor's FeatureEngineeringPipeline context. */
  private async pipeline(parsed: ParsedArn): Promise<Subject | undefined> {
    const starts = (await this.source.listEntities({ lineageType: 'Context', sourceUri: parsed.arn }, SUMMARIES))
      .map(classifyEntity)
      .filter((e) => e.kind === 'FeaturePipeline');
    return starts.length > 0 ? subjectOf('FeaturePipeline', parsed.resourceName, parsed.arn, starts) : undefined;
  }

  /** A data source named by the end of its URI ("customers.csv", "raw/customers.csv"), in any case when only one matches. */
  private async dataSourceByName(name: string): Promise<Subject | undefined> {
    const hits = await this.source.searchResources(name, ['DataSource'], 20);
    let exact = hits.filter((hit) => hit.name.endsWith(`/${name}`));
    if (exact.length === 0) exact = hits.filter((hit) => hit.name.toLowerCase().endsWith(`/${name.toLowerCase()}`));
    if (exact.length > 1) throw new AmbiguousName(name, exact.map((hit) => ({ kind: 'DataSource', name: hit.name, arn: hit.arn })));
    const hit = exact[0];
    if (!hit) return undefined;
    const entity = await this.source.describeEntity(hit.arn);
    if (!entity) return undefined;
    const classified = classifyEntity(entity);
    return { ref: toRef(classified), starts: [classified] };
  }

  private async byUri(uri: string, accept: readonly Kind[]): Promise<Subject> {
    const found = (await this.source.listEntities({ lineageType: 'Artifact', sourceUri: uri })).map(classifyEntity);
    if (found.length === 0) {
      // A folder (an S3 console link to one): the one data source under it, or the choice.
      const under = uri.endsWith('/') || !uri.slice('s3://'.length).includes('/') ? await this.dataSourcesUnder(uri) : [];
      if (under.length > 1) throw new AmbiguousName(uri, under.map((hit) => ({ kind: 'DataSource', name: hit.name, arn: hit.arn })));
      if (under.length === 1) return this.byUri((under[0] as ResourceHit).name, accept);
      // Say what was looked for ("a data source"), not how SageMaker stores it ("an artifact").
      const asked = labels(accept);
      const lookedFor = asked.length <= 2 ? asked.join(' or ') : 'lineage entity';
      const file = lastSegment(uri);
      throw new EntityNotFound(uri, file ? await this.suggest(file, ['DataSource']) : [], lookedFor, searchable(file || uri));
    }
    const wanted = found.filter((e) => accept.includes(e.kind));
    if (wanted.length === 0) {
      const actual = (found[0] as ClassifiedEntity).kind;
      throw new WrongKind(uri, label(actual), labels(accept), { kind: actual, input: uri });
    }
    return { ref: toRef(wanted[0] as ClassifiedEntity), starts: wanted };
  }

  private async dataSourcesUnder(prefix: string): Promise<ResourceHit[]> {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    return (await this.source.searchResources(folder, ['DataSource'], 20)).filter((hit) => hit.name.startsWith(folder));
  }

  /** An ARN outside the account, region and partition the source reads is never looked up by its name here. */
  private async checkHome(input: string, where: Partial<AccountScope>): Promise<void> {
    const home = await this.source.scope();
    if (home && isForeign(where, home)) throw new ForeignResource(input, where, home);
  }

  private async byArn(parsed: ParsedArn, accept: readonly Kind[]): Promise<Subject> {
    await this.checkHome(parsed.arn, scopeOfArn(parsed));
    if (isLineageArn(parsed)) {
      const entity = await this.source.describeEntity(parsed.arn);
      if (!entity) throw new EntityNotFound(parsed.arn, [], 'lineage entity');
      const classified = classifyEntity(entity);
      if (!accept.includes(classified.kind)) {
        throw new WrongKind(parsed.arn, label(classified.kind), labels(accept), { kind: classified.kind, input: parsed.arn });
      }
      return { ref: toRef(classified), starts: [classified] };
    }
    if (parsed.resourceType === 'model-package') return this.modelPackage(parsed.arn, accept);
    if (parsed.resourceType === 'pipeline') return this.pipelineArn(parsed, accept);
    const kind = ARN_KINDS[parsed.resourceType];
    if (!kind) {
      throw new BadInput(
        `${parsed.resourceType} ARNs are not something the bot can start from.`,
        'Use a feature group, model, endpoint, training or processing job, model package group or pipeline execution (name or ARN), an S3 URI, or a lineage artifact/context/action ARN.',
      );
    }
    if (!accept.includes(kind)) throw new WrongKind(parsed.arn, label(kind), labels(accept), { kind, input: parsed.arn });
    const subject = await this.byName(parsed.resourceName, kind);
    if (!subject) {
      throw new EntityNotFound(parsed.arn, await this.suggest(parsed.resourceName, searchableKinds([kind])), label(kind), searchable(parsed.resourceName));
    }
    // What the name found here must be what the ARN names: the same account, region and name.
    const found = subject.ref.sourceUri ? parseArn(subject.ref.sourceUri) : undefined;
    if (found && !sameResource(found, parsed)) throw new ForeignResource(parsed.arn, scopeOfArn(parsed), scopeOfArn(found));
    return subject;
  }

  private async pipelineArn(parsed: ParsedArn, accept: readonly Kind[]): Promise<Subject> {
    const execution = pipelineExecution(parsed) !== undefined;
    const kind: Kind = execution ? 'PipelineExecution' : 'FeaturePipeline';
    if (!accept.includes(kind)) throw new WrongKind(parsed.arn, label(kind), labels(accept), { kind, input: parsed.arn });
    const subject = execution ? await this.pipelineExecution(parsed) : await this.pipeline(parsed);
    if (!subject) throw new EntityNotFound(parsed.arn, [], execution ? 'pipeline execution' : 'pipeline with lineage');
    return subject;
  }

  private async byConsoleLink(link: ConsoleLink, accept: readonly Kind[]): Promise<Subject> {
    const where = { partition: link.partition, ...(link.region ? { region: link.region } : {}), ...(link.account ? { account: link.account } : {}) };
    await this.checkHome(link.url, where);
    if (!accept.includes(link.kind)) throw new WrongKind(link.name, label(link.kind), labels(accept), { kind: link.kind, input: link.url });
    const subject = await this.byName(link.name, link.kind);
    if (!subject) throw new EntityNotFound(link.name, await this.suggest(link.name, [link.kind]), label(link.kind), searchable(link.name));
    return subject;
  }

  /** A model package (version) by ARN: the lineage entities whose SourceUri is that ARN. */
  private async modelPackage(arn: string, accept: readonly Kind[]): Promise<Subject> {
    if (!accept.includes('ModelPackage')) throw new WrongKind(arn, label('ModelPackage'), labels(accept), { kind: 'ModelPackage', input: arn });
    const [artifacts, contexts] = await Promise.all([
      this.source.listEntities({ lineageType: 'Artifact', sourceUri: arn }, SUMMARIES),
      this.source.listEntities({ lineageType: 'Context', sourceUri: arn }, SUMMARIES),
    ]);
    const starts = [...artifacts, ...contexts].map(classifyEntity).filter((e) => e.kind === 'ModelPackage' || e.kind === 'Model');
    if (starts.length === 0) throw new EntityNotFound(arn, [], 'model package with lineage');
    return { ref: { ...toRef(starts[0] as ClassifiedEntity), kind: 'ModelPackage' }, starts };
  }

  /**
   * Close matches for a name that does not exist: the whole name first, then its parts; among
   * the kinds asked for, else among every kind (labelled, "customers (feature group)").
   */
  async suggest(name: string, kinds: readonly ResourceKind[]): Promise<string[]> {
    // The whole name, its parts, and its first letters (which catch most typos: "custmers").
    const parts = name.split(/[-_.\s/]+/).filter((part) => part.length >= 3 && part !== name);
    const fragments = [...new Set([name, ...parts, ...(name.length > 4 ? [name.slice(0, 4)] : [])])].slice(0, 5);
    const lookup = async (within: readonly ResourceKind[], withLabel: boolean): Promise<string[]> => {
      const found = new Map<string, string>();
      for (const fragment of fragments) {
        for (const hit of await this.source.searchResources(fragment, within, 5)) {
          found.set(hit.name, withLabel ? `${hit.name} (${KIND_LABELS[hit.kind].one})` : hit.name);
        }
        if (found.size >= 5) break;
      }
      return [...found.entries()]
        .sort(([a], [b]) => distance(lastSegment(a), lastSegment(name)) - distance(lastSegment(b), lastSegment(name)))
        .slice(0, 5)
        .map(([, text]) => text);
    };
    const sameKind = kinds.length > 0 ? await lookup(kinds, false) : [];
    if (sameKind.length > 0) return sameKind;
    const others = ALL_RESOURCE_KINDS.filter((kind) => !kinds.includes(kind));
    return others.length > 0 ? lookup(others, true) : [];
  }
}

export function toRef(entity: ClassifiedEntity): EntityRef {
  return {
    kind: entity.kind,
    name: entity.name,
    arn: entity.arn,
    ...(entity.sourceUri !== undefined ? { sourceUri: entity.sourceUri } : {}),
  };
}

/** A subject standing for a SageMaker resource: named as the resource, walked from its lineage entities. */
function subjectOf(kind: Kind, name: string, resourceArn: string, starts: ClassifiedEntity[]): Subject {
  return { ref: { kind, name, arn: (starts[0] as ClassifiedEntity).arn, sourceUri: resourceArn }, starts };
}

/** The kinds among these that a name search can find. */
function searchableKinds(kinds: readonly Kind[]): ResourceKind[] {
  return ALL_RESOURCE_KINDS.filter((kind) => kinds.includes(kind));
}

/** Two ARNs of one resource: same partition, region, account and type; names compared as SageMaker does, ignoring case. */
function sameResource(a: ParsedArn, b: ParsedArn): boolean {
  return (
    a.partition === b.partition &&
    a.region === b.region &&
    a.account === b.account &&
    a.resourceType === b.resourceType &&
    a.resourceName.toLowerCase() === b.resourceName.toLowerCase()
  );
}

/** A URI's file name, a plain name itself: suggestions for a file are ranked by file name. */
function lastSegment(text: string): string {
  return text.split('/').filter((part) => part !== '').pop() ?? '';
}

/** Levenshtein distance, for ranking suggestions. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}
