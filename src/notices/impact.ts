// Impact of a change to a feature group: the models and endpoints downstream of it (from the
// lineage), their status, their owners (from tags), who a notice would reach and who it cannot.
// Nothing here sends anything: `/lineage impact` shows this, and a notice is created from it.
import type { Truncation } from '../lineage/answers.js';
import { classifyEntity } from '../lineage/classify.js';
import { NoLineageRecorded, NotAuthorized, SourceUnavailable, Throttled } from '../lineage/errors.js';
import { mapPool } from '../lineage/pool.js';
import { parseArn } from '../lineage/reference.js';
import type { LineageService } from '../lineage/service.js';
import type { FeatureGroupResource, LineageSource, SubjectTags } from '../lineage/lineage-source.js';
import type { OwnerReachEntry } from '../lineage/neighbourhood.js';
import type { AffectedResource, NewRecipient, UnreachableOwner } from './model.js';
import type { OwnerResolver, ResourceOwners } from './owners.js';

/** A model or endpoint downstream of the feature group, with who owns it. */
export interface ImpactResource extends AffectedResource {
  /** Owner and channel tag values as written. */
  owners: string[];
  channels: string[];
  /** Keys of the recipients it is announced to; empty when nobody can be reached. */
  addressedTo: string[];
  /** SageMaker no longer has it; only the lineage remembers it. */
  missing?: boolean;
}

export interface Impact {
  featureGroup: { name: string; arn?: string; status?: string; exists: boolean };
  /** False when the group exists but nothing recorded its lineage: no consumers can be known. */
  lineageRecorded: boolean;
  resources: ImpactResource[];
  recipients: NewRecipient[];
  unreachable: UnreachableOwner[];
  truncation?: Truncation;
  /**
   * Set for a change to some features only: which (as the group spells them), and the models and
   * endpoints downstream left out because their recorded queries use none of them.
   */
  features?: { names: string[]; spared: AffectedResource[] };
}

/** What a feature-level change marks on a consumer: the features it uses, or that it may use them. */
type FeatureMarks = Pick<AffectedResource, 'features' | 'mayBeAffected'>;

interface Consumers {
  /** `through`: the groups built from the feature group that the model reads it through; `endpoints`: the names of those serving it. */
  models: ({ name: string; through?: string[]; endpoints?: string[] } & FeatureMarks)[];
  endpoints: ({ name: string; arn?: string; through?: string[] } & FeatureMarks)[];
  truncation?: Truncation;
}

/** What one resource's owners come from: its tags, or why SageMaker would not give them. */
interface Found {
  resource: AffectedResource & { missing?: boolean };
  tags: Record<string, string>;
  unreadable?: SourceUnavailable | NotAuthorized | Throttled;
}

/**
 * Whether each affected model and endpoint has an owner a notice would reach: what the
 * blast-radius picture is coloured by, so the picture and the impact answer agree.
 */
export function ownerReach(impact: Impact): OwnerReachEntry[] {
  // A resource whose tags SageMaker would not give has owners nobody knows, not owners who cannot be reached.
  const unknown = new Set(impact.unreachable.filter((u) => u.reason === 'tags_unreadable').flatMap((u) => u.resources.map((r) => `${r.kind}:${r.name}`)));
  return impact.resources.map((resource) => ({
    kind: resource.kind,
    name: resource.name,
    reach: resource.addressedTo.length > 0 ? 'reachable' : unknown.has(`${resource.kind}:${resource.name}`) ? 'unknown' : 'unreachable',
  }));
}

export class ImpactAnalyzer {
  constructor(
    private readonly deps: { service: LineageService; source: LineageSource; owners: OwnerResolver },
  ) {}

  /**
   * The impact of changing `featureGroup` (a name or ARN). `knownArn` lets the watcher follow a
   * group SageMaker no longer describes (deleted) through the lineage it left behind.
   */
  async analyze(featureGroup: string, knownArn?: string, features?: readonly string[]): Promise<Impact> {
    const resource = await this.deps.source.describeFeatureGroup(featureGroup);
    const name = resource?.name ?? parseArn(featureGroup)?.resourceName ?? featureGroup;
    const all = resource ? await this.consumersOf(resource) : knownArn ? await this.consumersOfDeleted(knownArn) : await this.consumersOfUnknown(featureGroup);
    // No lineage recorded: nothing is known downstream, so there is nothing to narrow.
    const narrowed = resource && features && features.length > 0 && all !== NO_LINEAGE ? await this.narrow(resource, all, features) : undefined;
    const consumers = narrowed?.consumers ?? all;
    // Every owner is needed, so the tags of every consumer are read: in batches (SageMaker Search
    // returns each record's tags) on the source's fan-out client, which retries adaptively. One
    // resource SageMaker will not give the tags of leaves its owners unknown, not the whole answer
    // failed; when none could be read the account is down, and that is the answer.
    const items = [...consumers.models.map((model) => ({ kind: 'Model' as const, ...model })), ...consumers.endpoints.map((e) => ({ kind: 'Endpoint' as const, ...e }))];
    const concurrency = this.deps.service.describeConcurrency;
    const read = await this.deps.source.tagsOf(items.map((item) => ({ kind: item.kind, name: item.name, ...('arn' in item && item.arn ? { arn: item.arn } : {}) })));
    const resources = items.map((item, index) => found(item, read[index] as SubjectTags));
    const unreadable = resources.flatMap((f) => (f.unreadable ? [f.unreadable] : []));
    if (unreadable.length > 0 && unreadable.length === resources.length) throw unreadable[0];
    const owned = await mapPool(resources, concurrency, async ({ resource: affected, tags, unreadable: why }) => ({
      affected,
      owners: why ? ownersUnknown(why) : await this.deps.owners.resolve(tags),
    }));

    const recipients = new Map<string, NewRecipient>();
    const unreachable = new Map<string, UnreachableOwner>();
    const impactResources: ImpactResource[] = owned.map(({ affected, owners }) => {
      // Team channels that could not be used now (archived, not found): escalation tries them again later.
      const unused = owners.channels.filter((channel) => owners.unreachable.some((u) => u.value === channel));
      const shown = publicResource(affected);
      const told = unused.length > 0 ? { ...shown, teamChannels: unused } : shown;
      for (const addressee of owners.addressees) {
        const recipient = recipients.get(addressee.key) ?? { key: addressee.key, type: addressee.type, targetId: addressee.targetId, label: addressee.label, owners: [], resources: [] };
        if (!recipient.owners.includes(addressee.via)) recipient.owners.push(addressee.via);
        recipient.resources.push(told);
        recipients.set(addressee.key, recipient);
      }
      for (const { value, reason, detail } of owners.unreachable) {
        const key = `${reason}\u0000${value}`;
        const entry = unreachable.get(key) ?? { value, reason, ...(detail ? { detail } : {}), resources: [] };
        entry.resources.push(shown);
        unreachable.set(key, entry);
      }
      return {
        ...affected,
        owners: owners.owners,
        channels: owners.channels,
        addressedTo: owners.addressees.map((a) => a.key),
      };
    });
    return {
      featureGroup: {
        name,
        exists: resource !== undefined,
        ...((resource?.arn ?? knownArn) ? { arn: resource?.arn ?? knownArn } : {}),
        ...(resource?.status ? { status: resource.status } : {}),
      },
      lineageRecorded: all !== NO_LINEAGE,
      resources: impactResources,
      recipients: [...recipients.values()].sort((a, b) => a.label.localeCompare(b.label)),
      unreachable: [...unreachable.values()],
      ...(consumers.truncation ? { truncation: consumers.truncation } : {}),
      ...(narrowed ? { features: narrowed.features } : {}),
    };
  }

  /**
   * A change to some features only: the consumers whose recorded queries use them (marked with
   * which), those whose queries cannot tell (marked "may be affected", never left out), and the
   * ones left out because their queries are known and use none of them. An endpoint goes with
   * the models it serves; one no model is known to serve may be affected.
   */
  private async narrow(resource: FeatureGroupResource, consumers: Consumers, features: readonly string[]): Promise<{ consumers: Consumers; features: NonNullable<Impact['features']> }> {
    const usage = await this.deps.service.featuresUsage(resource.arn, features);
    const using = new Map(usage.models.map(({ model, features: used }) => [model.name, used]));
    const unaffected = new Set(usage.unaffected.map((model) => model.name));
    const mark = (name: string): FeatureMarks => (using.has(name) ? { features: using.get(name) as string[] } : { mayBeAffected: true });
    const models = consumers.models.filter((model) => !unaffected.has(model.name)).map((model) => ({ ...model, ...mark(model.name) }));
    const names = usage.features.map((f) => f.name);
    const spared: AffectedResource[] = consumers.models.filter((model) => unaffected.has(model.name)).map((model) => ({ kind: 'Model', name: model.name }));
    const endpoints = consumers.endpoints.flatMap((endpoint) => {
      const serving = consumers.models.filter((model) => model.endpoints?.includes(endpoint.name));
      const kept = models.filter((model) => model.endpoints?.includes(endpoint.name));
      if (serving.length > 0 && kept.length === 0) {
        spared.push({ kind: 'Endpoint', name: endpoint.name });
        return [];
      }
      const used = new Set(kept.flatMap((model) => model.features ?? []));
      return [{ ...endpoint, ...(used.size > 0 ? { features: names.filter((n) => used.has(n)) } : { mayBeAffected: true as const }) }];
    });
    return { consumers: { ...consumers, models, endpoints }, features: { names, spared } };
  }

  private async consumersOf(resource: FeatureGroupResource): Promise<Consumers> {
    try {
      const answer = await this.deps.service.consumers(resource.arn);
      return fromAnswer(answer);
    } catch (error) {
      if (error instanceof NoLineageRecorded) return NO_LINEAGE;
      throw error;
    }
  }

  /** A deleted group: walk from the lineage entities that still point at its ARN. */
  private async consumersOfDeleted(arn: string): Promise<Consumers> {
    const [artifacts, contexts] = await Promise.all([
      this.deps.source.listEntities({ lineageType: 'Artifact', sourceUri: arn }),
      this.deps.source.listEntities({ lineageType: 'Context', sourceUri: arn }),
    ]);
    const starts = [...artifacts, ...contexts].map(classifyEntity).filter((entity) => entity.kind === 'FeatureGroup');
    if (starts.length === 0) return NO_LINEAGE;
    const answers = await Promise.all(starts.map((start) => this.deps.service.consumers(start.arn)));
    // Reached directly from one entity and through a derived group from another: directly.
    const nearest = <T extends { name: string; through?: string[] }>(items: T[]) => {
      const byName = new Map<string, T>();
      for (const item of items) {
        const known = byName.get(item.name);
        if (!known || (known.through?.length ?? 0) > (item.through?.length ?? 0)) byName.set(item.name, item);
      }
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    };
    const models = nearest(answers.flatMap((answer) => fromAnswer(answer).models));
    const endpoints = nearest(answers.flatMap((answer) => fromAnswer(answer).endpoints));
    const truncation = answers.find((answer) => answer.truncation)?.truncation;
    return { models, endpoints, ...(truncation ? { truncation } : {}) };
  }

  /** Input that is not a feature group SageMaker knows: let the lineage service say why (not found, wrong kind, bad input). */
  private async consumersOfUnknown(input: string): Promise<Consumers> {
    return fromAnswer(await this.deps.service.consumers(input));
  }
}

/** One consumer as the impact shows it, from what the source read of its tags. */
function found(item: { kind: 'Model' | 'Endpoint'; name: string; through?: string[] } & FeatureMarks, read: SubjectTags): Found {
  const resource: Found['resource'] = {
    kind: item.kind,
    name: item.name,
    ...(item.through ? { through: item.through } : {}),
    ...(item.features ? { features: item.features } : {}),
    ...(item.mayBeAffected ? { mayBeAffected: true } : {}),
  };
  if ('unreadable' in read) return { resource, tags: {}, unreadable: read.unreadable };
  if (!read.found) return { resource: { ...resource, missing: true }, tags: read.tags };
  return { resource: { ...resource, ...(read.status !== undefined ? { status: read.status } : {}) }, tags: read.tags };
}

function ownersUnknown(error: SourceUnavailable | NotAuthorized | Throttled): ResourceOwners {
  return { owners: [], channels: [], addressees: [], unreachable: [{ value: '', reason: 'tags_unreadable', detail: error.code }] };
}

const NO_LINEAGE: Consumers = Object.freeze({ models: [], endpoints: [] }) as Consumers;

function fromAnswer(answer: Awaited<ReturnType<LineageService['consumers']>>): Consumers {
  return {
    models: answer.models.map(({ model, through, endpoints }) => ({ name: model.name, endpoints: endpoints.map((e) => e.name), ...throughNames(through) })),
    endpoints: answer.endpoints.map((endpoint) => ({
      name: endpoint.name,
      ...(parseArn(endpoint.sourceUri ?? '')?.resourceType === 'endpoint' ? { arn: endpoint.sourceUri as string } : {}),
      ...throughNames(endpoint.through),
    })),
    ...(answer.truncation ? { truncation: answer.truncation } : {}),
  };
}

function throughNames(through: readonly { name: string }[] | undefined): { through?: string[] } {
  return through && through.length > 0 ? { through: through.map((group) => group.name) } : {};
}

/** What owners are shown of a resource: kind, name, status, the groups it is affected through, and nothing internal. */
function publicResource(resource: AffectedResource & { missing?: boolean }): AffectedResource {
  return {
    kind: resource.kind,
    name: resource.name,
    ...(resource.status ? { status: resource.status } : {}),
    ...(resource.through ? { through: resource.through } : {}),
    ...(resource.features ? { features: resource.features } : {}),
    ...(resource.mayBeAffected ? { mayBeAffected: true } : {}),
  };
}
