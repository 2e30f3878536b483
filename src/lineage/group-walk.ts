// Walks that go on across feature groups. A feature group's lineage is often recorded in pieces
// that no association joins: the helper library's fg-<name> artifact carries how the group is
// ingested, the feature processor's FeatureGroupPipeline contexts carry the pipelines that read
// it, and a processing job reading its offline store is linked to the S3 files it read, not to
// the group. So a walk that reaches one entity of a group goes on from the group's other
// entities; downstream it also goes on from the artifacts of the group's offline-store files,
// and upstream a file in a group's offline store leads to that group.
import { classifyEntity, type ClassifiedEntity, type Kind } from './classify.js';
import type { EntityRef } from './answers.js';
import { inOfflineStore, offlineStoreUris } from './offline-store.js';
import { nameFromArn, parseArn } from './reference.js';
import type { Direction, FeatureGroupResource, LineageSource, ListOptions } from './lineage-source.js';
import { combineWalks, walkLineage, type Walk, type WalkLimits, type WalkLink, type WalkMemo } from './walk.js';

/** Which links between groups a walk follows. */
export interface GroupLinks {
  /** From one lineage entity of a group to its others (fg- artifact, FeatureGroupPipeline contexts). */
  siblings: boolean;
  /** Through a group's offline store: downstream to what reads its files, upstream from such a file to the group. */
  offlineStore: boolean;
}

export const ALL_GROUP_LINKS: GroupLinks = Object.freeze({ siblings: true, offlineStore: true });

/** Resolution only needs what list summaries say: name, type, source URI. */
const SUMMARIES: ListOptions = { withProperties: false };

/** SageMaker's feature group name rule: what a folder of an offline store may be named after. */
const GROUP_NAME = /^[A-Za-z0-9]([-_]*[A-Za-z0-9]){0,63}$/;

/**
 * Names of the group whose offline store may hold `uri`: SageMaker writes a group's files under
 * `…/offline-store/<group>-<creation epoch>/data/`; the folder is also seen named like the Glue
 * table (`<group with underscores>_<epoch>`).
 */
function groupNamesInUri(uri: string): string[] {
  const folder = /\/offline-store\/([^/]+)/.exec(uri)?.[1];
  if (!folder) return [];
  const bare = folder.replace(/[-_]\d{9,}$/, '');
  return [...new Set([bare, bare.replace(/_/g, '-'), folder])].filter((name) => GROUP_NAME.test(name));
}

/** What one walk looks up about groups, each thing once. */
class GroupLookups {
  private readonly siblingsOf = new Map<string, Promise<ClassifiedEntity[]>>();
  private readonly readersOf = new Map<string, Promise<ClassifiedEntity[]>>();
  private readonly groupOfFile = new Map<string, Promise<FeatureGroupResource | undefined>>();

  constructor(private readonly source: LineageSource) {}

  /** The group's lineage entities, whose SourceUri is its ARN. */
  siblings(groupArn: string): Promise<ClassifiedEntity[]> {
    return once(this.siblingsOf, groupArn, async () => {
      const lists = await Promise.all([
        this.source.listEntities({ lineageType: 'Artifact', sourceUri: groupArn }, SUMMARIES),
        this.source.listEntities({ lineageType: 'Context', sourceUri: groupArn }, SUMMARIES),
      ]);
      return lists.flat().map(classifyEntity).filter((entity) => entity.kind === 'FeatureGroup');
    });
  }

  /** Artifacts of the group's offline-store files: what a processing job reading the group records. */
  readers(groupArn: string): Promise<ClassifiedEntity[]> {
    return once(this.readersOf, groupArn, async () => {
      // By name, as resolution describes it: the same (cached) call.
      const resource = await this.source.describeFeatureGroup(nameFromArn(groupArn) ?? groupArn);
      if (!resource || resource.arn !== groupArn) return [];
      const lists = await Promise.all(offlineStoreUris(resource).map((sourceUri) => this.source.listEntities({ lineageType: 'Artifact', sourceUri }, SUMMARIES)));
      return lists.flat().map(classifyEntity).filter((entity) => entity.kind !== 'FeatureGroup');
    });
  }

  /** The group whose offline store holds `uri`, if any. */
  groupOf(uri: string): Promise<FeatureGroupResource | undefined> {
    return once(this.groupOfFile, uri, async () => {
      for (const name of groupNamesInUri(uri)) {
        const resource = await this.source.describeFeatureGroup(name);
        if (resource && inOfflineStore(resource, uri)) return resource;
      }
      return undefined;
    });
  }

  /** What continues a walk from a group: its other entities, and downstream what reads its offline store. */
  async continuations(groupArn: string, direction: Direction, links: GroupLinks): Promise<{ entity: ClassifiedEntity; sibling: boolean }[]> {
    const [siblings, readers] = await Promise.all([
      links.siblings ? this.siblings(groupArn) : [],
      links.offlineStore && direction === 'Descendants' ? this.readers(groupArn) : [],
    ]);
    return [...siblings.map((entity) => ({ entity, sibling: true })), ...readers.map((entity) => ({ entity, sibling: false }))];
  }
}

function once<T>(memo: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let promise = memo.get(key);
  if (!promise) memo.set(key, (promise = load()));
  return promise;
}

/** A link found but not yet added: from the nearest of `from` (vertices in the walk) to `entity`. */
interface Found {
  from: readonly string[];
  entity: ClassifiedEntity;
  /** The entity lies upstream of `from` (the edge points at `from`). */
  upstream: boolean;
  type: 'SameAs' | 'ContributedTo';
}

/**
 * Walks from `starts` like walkLineage, then goes on across feature groups as `links` allows, until
 * no new group or file turns up. Hops count from `starts` through every link, so LINEAGE_MAX_DEPTH
 * and LINEAGE_MAX_VERTICES bound the whole walk and its truncation says where they cut. A group
 * already walked is not walked again: cycles end there.
 */
export async function walkAcrossGroups(
  source: LineageSource,
  starts: readonly ClassifiedEntity[],
  direction: Direction,
  describeKinds: readonly Kind[],
  limits: WalkLimits,
  memo: WalkMemo | undefined,
  links: GroupLinks = ALL_GROUP_LINKS,
): Promise<Walk> {
  const lookups = new GroupLookups(source);
  const startArns = starts.map((start) => start.arn);
  const following = links.siblings || links.offlineStore;
  // The groups the walk starts from are known already: look their links up while it walks.
  if (following) {
    for (const start of starts) {
      if (start.kind === 'FeatureGroup' && start.sourceUri) lookups.continuations(start.sourceUri, direction, links).catch(() => undefined);
    }
  }
  const first = await walkLineage(source, starts, direction, describeKinds, limits, memo);
  if (!following) return first;

  const parts: Walk[] = [first];
  const added: WalkLink[] = [];
  const linked = new Set<string>();
  const expanded = new Set<string>();
  const checkedFiles = new Set<string>();
  let depthCut = false;
  let walk = first;
  let distance: Map<string, number> | undefined;
  for (;;) {
    const found = await newLinks(walk, direction, links, lookups, expanded, checkedFiles);
    const fresh = found.filter((f) => !linked.has(`${f.entity.arn}\u0000${f.from.join(',')}`));
    if (fresh.length === 0) return walk;
    distance ??= walk.graph.distances(startArns, direction);
    const continueFrom = new Map<number, ClassifiedEntity[]>();
    for (const link of fresh) {
      linked.add(`${link.entity.arn}\u0000${link.from.join(',')}`);
      const nearest = [...link.from].sort((a, b) => (distance?.get(a) ?? Infinity) - (distance?.get(b) ?? Infinity))[0] as string;
      const inWalk = walk.graph.vertices.has(link.entity.arn);
      const remaining = limits.maxDepth - ((distance.get(nearest) ?? 0) + 1);
      if (!inWalk && remaining < 0) {
        depthCut = true; // the link itself lies beyond the depth limit
        continue;
      }
      added.push({
        edge: link.upstream
          ? { sourceArn: link.entity.arn, destinationArn: nearest, type: link.type }
          : { sourceArn: nearest, destinationArn: link.entity.arn, type: link.type },
        entity: link.entity,
      });
      if (inWalk) continue;
      // At the limit exactly, the entity is in the answer but nothing beyond it is.
      if (remaining === 0) depthCut = true;
      else {
        const list = continueFrom.get(remaining) ?? [];
        if (!list.some((entity) => entity.arn === link.entity.arn)) list.push(link.entity);
        continueFrom.set(remaining, list);
      }
    }
    const more = await Promise.all(
      [...continueFrom].map(([maxDepth, from]) => walkLineage(source, from, direction, describeKinds, { ...limits, maxDepth }, memo)),
    );
    parts.push(...more);
    ({ walk, distance } = combineWalks(startArns, direction, parts, added, limits, depthCut));
    // Beyond the size limit, what another group adds would be left out: stop, and say so (the walk does).
    if (walk.truncation?.sizeExceeded) return walk;
  }
}

/** Links from what the walk reached that it has not followed yet: groups not expanded, files not checked. */
async function newLinks(
  walk: Walk,
  direction: Direction,
  links: GroupLinks,
  lookups: GroupLookups,
  expanded: Set<string>,
  checkedFiles: Set<string>,
): Promise<Found[]> {
  const groups = new Map<string, string[]>();
  for (const arn of walk.ofKind('FeatureGroup')) {
    const groupArn = walk.entity(arn)?.sourceUri;
    if (!groupArn || parseArn(groupArn)?.resourceType !== 'feature-group' || expanded.has(groupArn)) continue;
    groups.set(groupArn, [...(groups.get(groupArn) ?? []), arn]);
  }
  for (const groupArn of groups.keys()) expanded.add(groupArn);
  const files: { arn: string; uri: string }[] = [];
  if (links.offlineStore && direction === 'Ascendants') {
    for (const arn of walk.included) {
      const entity = walk.entity(arn);
      if (checkedFiles.has(arn) || entity?.lineageType !== 'Artifact' || !entity.sourceUri?.includes('/offline-store/')) continue;
      checkedFiles.add(arn);
      files.push({ arn, uri: entity.sourceUri });
    }
  }
  const [fromGroups, fromFiles] = await Promise.all([
    Promise.all(
      [...groups].map(async ([groupArn, from]) =>
        (await lookups.continuations(groupArn, direction, links)).map(
          ({ entity, sibling }): Found => ({ from, entity, upstream: direction === 'Ascendants', type: sibling ? 'SameAs' : 'ContributedTo' }),
        ),
      ),
    ),
    Promise.all(
      files.map(async ({ arn, uri }) => {
        const resource = await lookups.groupOf(uri);
        if (!resource) return [];
        // The group's entities feed the file: upstream of it, as the group is of a dataset.
        return (await lookups.siblings(resource.arn)).map((entity): Found => ({ from: [arn], entity, upstream: true, type: 'ContributedTo' }));
      }),
    ),
  ]);
  // A group's own entities reached already need no link; a reader or a group's file does (it says what it reads).
  return [...fromGroups.flat(), ...fromFiles.flat()].filter((found) => found.type !== 'SameAs' || !walk.graph.vertices.has(found.entity.arn));
}

/** Where a vertex was reached from: directly, or through a chain of feature groups built from the start. */
export interface GroupPaths {
  /** Non-group vertices → the groups they were reached through ([] when directly). */
  vertices: Map<string, EntityRef[]>;
  /** Groups reached beyond the start's, by name → the groups between the start and it ([] when built from the start directly). */
  groups: Map<string, { ref: EntityRef; through: EntityRef[] }>;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * Through which feature groups each vertex of a walk was reached from `from`: level by level, a
 * group's vertices are reached before the vertices beyond it, so every vertex gets its shortest
 * chain of groups (ties to the group first by name). A group reached again ends the chain there,
 * so cycles end.
 */
export function groupPaths(walk: Walk, from: readonly string[], direction: Direction): GroupPaths {
  const arnsOf = new Map<string, string[]>();
  for (const arn of walk.ofKind('FeatureGroup')) {
    const name = walk.ref(arn).name;
    arnsOf.set(name, [...(arnsOf.get(name) ?? []), arn]);
  }
  const startGroups = new Set(from.filter((arn) => walk.kindOf(arn) === 'FeatureGroup').map((arn) => walk.ref(arn).name));
  const seen = new Set(startGroups);
  const vertices = new Map<string, EntityRef[]>();
  const groups = new Map<string, { ref: EntityRef; through: EntityRef[] }>();
  let level: { arns: string[]; path: EntityRef[] }[] = [{ arns: [...from, ...[...startGroups].flatMap((name) => arnsOf.get(name) ?? [])], path: [] }];
  while (level.length > 0) {
    const next: { ref: EntityRef; arns: string[]; path: EntityRef[] }[] = [];
    for (const { arns, path } of level) {
      for (const arn of walk.reachable(arns, direction, ['FeatureGroup'])) {
        if (walk.kindOf(arn) !== 'FeatureGroup') {
          if (!vertices.has(arn)) vertices.set(arn, path);
          continue;
        }
        const ref = walk.ref(arn);
        if (seen.has(ref.name)) continue;
        seen.add(ref.name);
        groups.set(ref.name, { ref, through: path });
        next.push({ ref, arns: arnsOf.get(ref.name) ?? [arn], path: [...path, ref] });
      }
    }
    level = next.sort((a, b) => byName(a.ref, b.ref));
  }
  return { vertices, groups };
}
