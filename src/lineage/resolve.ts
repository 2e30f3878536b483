// Resolution: from what a person types (a name, an ARN, an S3 URI) to the lineage entities that
// stand for it. QueryLineage only starts from lineage entities, so a feature group, model or
// endpoint is first found through the entity whose SourceUri is its ARN or model data.
import { classifyEntity, KIND_LABELS, type ClassifiedEntity, type Kind } from './classify.js';
import type { EntityRef } from './answers.js';
import { AmbiguousName, BadInput, EntityNotFound, NoLineageRecorded, WrongKind } from './errors.js';
import { isLineageArn, parseReference, type ParsedArn } from './reference.js';
import type { FeatureGroupResource, LineageSource, ListOptions, ResourceKind } from './source.js';

/** What a question is about: the entity as people name it and the lineage entities to walk from. */
export interface Subject {
  ref: EntityRef;
  starts: ClassifiedEntity[];
}

/** Resolution only needs what list summaries say: name, type, source URI. */
const SUMMARIES: ListOptions = { withProperties: false };

const ALL_RESOURCE_KINDS: readonly ResourceKind[] = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'];

/** Kinds that a plain name can be looked up as, in the order they are tried. */
type NamedKind = 'FeatureGroup' | 'Model' | 'Endpoint' | 'DataSource';

export class Resolver {
  constructor(private readonly source: LineageSource) {}

  /**
   * Resolves `input` to a subject of one of the `accept` kinds. Plain names are tried as each
   * accepted kind in order; the first that exists wins.
   */
  async resolve(input: string, accept: readonly Kind[]): Promise<Subject> {
    const reference = parseReference(input);
    if (reference.form === 's3') return this.byUri(reference.uri, accept);
    if (reference.form === 'arn') return this.byArn(reference.parsed, accept);
    // A path ("raw/claims.csv") can only be the end of a data source's URI.
    const candidates: NamedKind[] = reference.name.includes('/') ? ['DataSource'] : ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'];
    const named = accept.filter((kind): kind is NamedKind => (candidates as Kind[]).includes(kind));
    for (const kind of named) {
      const subject = await this.byName(reference.name, kind);
      if (subject) return subject;
    }
    const lookedFor = named.map((kind) => KIND_LABELS[kind].one).join(' or ') || 'entity';
    // The exact name of something of another kind: say what it is rather than "not found".
    const elsewhere = await this.source.searchResources(
      reference.name,
      ALL_RESOURCE_KINDS.filter((kind) => !named.includes(kind as NamedKind)),
      5,
    );
    const exact = elsewhere.find((hit) => hit.name === reference.name);
    if (exact) throw new WrongKind(reference.name, KIND_LABELS[exact.kind].one, named.map((kind) => KIND_LABELS[kind].one));
    throw new EntityNotFound(reference.name, await this.suggest(reference.name, named), lookedFor);
  }

  async featureGroup(nameOrArn: string): Promise<{ resource: FeatureGroupResource; subject: Subject }> {
    const resource = await this.source.describeFeatureGroup(nameOrArn);
    if (!resource) throw new EntityNotFound(nameOrArn, await this.suggest(nameOrArn, ['FeatureGroup']), 'feature group');
    return { resource, subject: await this.featureGroupSubject(resource) };
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
    return { ref: { kind: 'FeatureGroup', name: resource.name, arn: (starts[0] as ClassifiedEntity).arn, sourceUri: resource.arn }, starts };
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
      case 'DataSource':
        return this.dataSourceByName(name);
    }
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
    return { ref: { kind: 'Model', name: model.name, arn: (starts[0] as ClassifiedEntity).arn, sourceUri: model.arn }, starts };
  }

  private async endpoint(name: string): Promise<Subject | undefined> {
    const endpoint = await this.source.describeEndpoint(name);
    if (!endpoint) return undefined;
    const starts = (await this.source.listEntities({ lineageType: 'Context', type: 'Endpoint', sourceUri: endpoint.arn }, SUMMARIES)).map(classifyEntity);
    if (starts.length === 0) throw new NoLineageRecorded('endpoint', endpoint.name);
    return { ref: { kind: 'Endpoint', name: endpoint.name, arn: (starts[0] as ClassifiedEntity).arn, sourceUri: endpoint.arn }, starts };
  }

  /** A data source named by the end of its URI ("customers.csv", "raw/customers.csv"). */
  private async dataSourceByName(name: string): Promise<Subject | undefined> {
    const hits = await this.source.searchResources(name, ['DataSource'], 20);
    const exact = hits.filter((hit) => hit.name.endsWith(`/${name}`));
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
      // Say what was looked for ("a data source"), not how SageMaker stores it ("an artifact").
      const lookedFor = accept.length <= 2 ? accept.map((k) => KIND_LABELS[k].one).join(' or ') : 'lineage entity';
      throw new EntityNotFound(uri, await this.suggest(uri.split('/').pop() ?? uri, ['DataSource']), lookedFor);
    }
    const wanted = found.filter((e) => accept.includes(e.kind));
    if (wanted.length === 0) throw new WrongKind(uri, KIND_LABELS[(found[0] as ClassifiedEntity).kind].one, accept.map((k) => KIND_LABELS[k].one));
    return { ref: toRef(wanted[0] as ClassifiedEntity), starts: wanted };
  }

  private async byArn(parsed: ParsedArn, accept: readonly Kind[]): Promise<Subject> {
    if (isLineageArn(parsed)) {
      const entity = await this.source.describeEntity(parsed.arn);
      if (!entity) throw new EntityNotFound(parsed.arn, [], 'lineage entity');
      const classified = classifyEntity(entity);
      if (!accept.includes(classified.kind)) {
        throw new WrongKind(parsed.arn, KIND_LABELS[classified.kind].one, accept.map((k) => KIND_LABELS[k].one));
      }
      return { ref: toRef(classified), starts: [classified] };
    }
    if (parsed.resourceType === 'model-package' || parsed.resourceType === 'model-package-group') return this.modelPackage(parsed.arn, accept);
    const byType: Record<string, NamedKind> = { 'feature-group': 'FeatureGroup', model: 'Model', endpoint: 'Endpoint' };
    const kind = byType[parsed.resourceType];
    if (!kind) {
      throw new BadInput(
        `${parsed.resourceType} ARNs are not something the bot can start from.`,
        'Use a feature group, model or endpoint (name or ARN), an S3 URI, or a lineage artifact/context/action ARN.',
      );
    }
    if (!accept.includes(kind)) {
      throw new WrongKind(parsed.arn, KIND_LABELS[kind].one, accept.map((k) => KIND_LABELS[k].one));
    }
    const subject = await this.byName(parsed.resourceName, kind);
    if (!subject) throw new EntityNotFound(parsed.arn, [], KIND_LABELS[kind].one);
    return subject;
  }

  /** A model package (or its group) by ARN: the lineage entities whose SourceUri is that ARN. */
  private async modelPackage(arn: string, accept: readonly Kind[]): Promise<Subject> {
    if (!accept.includes('ModelPackage')) throw new WrongKind(arn, KIND_LABELS.ModelPackage.one, accept.map((k) => KIND_LABELS[k].one));
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
    const lookup = async (within: readonly ResourceKind[], label: boolean): Promise<string[]> => {
      const found = new Map<string, string>();
      for (const fragment of fragments) {
        for (const hit of await this.source.searchResources(fragment, within, 5)) {
          found.set(hit.name, label ? `${hit.name} (${KIND_LABELS[hit.kind].one})` : hit.name);
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

/** A URI's file name, a plain name itself: suggestions for a file are ranked by file name. */
function lastSegment(text: string): string {
  return text.split('/').pop() ?? text;
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
