// The lineage around one entity as plain nodes and edges, for a picture: what the bounded walks
// found upstream and downstream of it, one node per entity as people name it, large fan-outs
// folded into one "+ N more" node per kind and side. No drawing here: src/picture draws it.
import { KINDS, type Kind } from './classify.js';
import type { EntityRef, FeaturesUnknownReason, Truncation, UsedFeature } from './answers.js';
import { mergeTruncation, type Walk } from './walk.js';
import type { AssociationType } from './lineage-source.js';

/**
 * Most nodes a neighbourhood keeps before folding fan-outs. A picture is read in a Slack thread,
 * where it is shown about 360–480 px tall and as wide as the pane: around eight entities fit one
 * above the other legibly there, and a lineage has at most seven or eight columns (data sources,
 * pipelines and code, feature groups, datasets, training jobs, models, endpoints), so about 60
 * is as many as can be told apart even opened full size; beyond it a picture is a texture.
 */
export const PICTURE_MAX_NODES = 60;
/**
 * Most entities of one kind on one side of the subject: a column taller than about eight
 * entities no longer fits the 360–480 px Slack gives a picture at a size its names can be read.
 */
export const PICTURE_MAX_PER_KIND = 8;
/**
 * A chain of steps one after another (a multi-stage pipeline: jobs and the data between them)
 * longer than this keeps its first and last and folds the middle: each would otherwise take a
 * column of its own, and a picture wider than about eight columns cannot be read at the width
 * Slack shows it. Feature groups, datasets, training jobs, models and endpoints are never folded
 * into a chain: they are what a picture is read for.
 */
export const PICTURE_MAX_CHAIN = 4;
const CHAIN_KINDS: readonly Kind[] = ['DataSource', 'Code', 'ProcessingJob', 'FeaturePipeline', 'PipelineExecution', 'Other'];

/** Whether the owners of an affected model or endpoint can be told: resolved on the Slack side. */
export const OWNER_REACH = ['reachable', 'unreachable', 'unknown'] as const;
export type OwnerReach = (typeof OWNER_REACH)[number];

/** What the caller knows about one affected resource's owners (as `impact` lists resources). */
export interface OwnerReachEntry {
  kind: 'Model' | 'Endpoint';
  name: string;
  reach: OwnerReach;
}

/** What one dataset's feature-store query uses, per feature group it reads. */
export interface DatasetFeatures {
  groups: { featureGroup: string; used: UsedFeature[]; allSelected: boolean }[];
  /** Why the query cannot tell, for the groups it could not be matched to. */
  unknown: FeaturesUnknownReason[];
}

export interface EntityNode {
  node: 'entity';
  /** The lineage ARN standing for the entity (the first, when several do). */
  id: string;
  kind: Kind;
  name: string;
  arn: string;
  sourceUri?: string;
  subject: boolean;
  /** SageMaker's own type, for entities of kind Other. */
  type?: string;
  /** Datasets: what their queries use, when a query is recorded. */
  features?: DatasetFeatures;
  /** Impact: whether the owners of a model or endpoint can be reached. */
  reach?: OwnerReach;
}

/** Entities of one kind on one side of the subject, left out of the picture and counted. */
export interface FoldedNode {
  node: 'folded';
  id: string;
  kind: Kind;
  count: number;
  side: 'upstream' | 'downstream';
  /** Impact: how many of the folded models or endpoints have each kind of owner reach. */
  reach?: Partial<Record<OwnerReach, number>>;
  /** Set for the middle of a long chain (one entity after another) folded into one step: the kinds it held, in flow order. `kind` is then Other. */
  chain?: Kind[];
}

export type NeighbourhoodNode = EntityNode | FoldedNode;

export interface NeighbourhoodEdge {
  from: string;
  to: string;
  /** The association's type; an edge standing for several hops or edges has one when they all do, else ContributedTo. */
  type: AssociationType;
}

export interface Neighbourhood {
  /** `lineage`: everything around the subject; `impact`: what a change to a feature group reaches. */
  view: 'lineage' | 'impact';
  subject: EntityRef;
  /** In flow order (kind), then by name; folded nodes after the entities of their kind. */
  nodes: NeighbourhoodNode[];
  edges: NeighbourhoodEdge[];
  /** Entities found before folding (the subject included). */
  entityCount: number;
  truncation?: Truncation;
  /** Every ARN, name and source URI of the entities it was drawn from, folded ones too: what invalidation matches. */
  identifiers: string[];
}

export interface NeighbourhoodOptions {
  maxNodes?: number;
  maxPerKind?: number;
}

/** What building a neighbourhood needs from the service, which owns the feature-store readers. */
export interface NeighbourhoodInput {
  view: Neighbourhood['view'];
  subject: { ref: EntityRef; starts: readonly { arn: string }[] };
  walks: readonly Walk[];
  /** Kinds drawn; entities of other kinds are passed through (their parents joined to their children). */
  keep: (kind: Kind, lineageType: string | undefined) => boolean;
  maxNodes: number;
  maxPerKind: number;
  datasetFeatures?: (walk: Walk, dataset: string) => Promise<DatasetFeatures | undefined>;
  reach?: readonly OwnerReachEntry[];
}

interface Vertex {
  arn: string;
  walk: Walk;
  ref: EntityRef;
  type: string | undefined;
  lineageType: string | undefined;
}

const KIND_ORDER = new Map<Kind, number>(KINDS.map((kind, index) => [kind, index]));
const REACH_KINDS: readonly Kind[] = ['Model', 'Endpoint'];

/** Builds the neighbourhood: merge by name, pass through what is not drawn, fold, then describe datasets' features. */
export async function buildNeighbourhood(input: NeighbourhoodInput): Promise<Neighbourhood> {
  const { subject } = input;
  const startArns = new Set(subject.starts.map((s) => s.arn));
  const vertices = collectVertices(input.walks);
  const identifiers = new Set<string>([subject.ref.arn, subject.ref.name, ...startArns]);
  if (subject.ref.sourceUri) identifiers.add(subject.ref.sourceUri);
  for (const v of vertices.values()) {
    identifiers.add(v.arn);
    identifiers.add(v.ref.name);
    if (v.ref.sourceUri) identifiers.add(v.ref.sourceUri);
  }

  // One node per entity as people name it: a feature group may have an fg- artifact and a context.
  const nodeOf = new Map<string, string>();
  const nodes = new Map<string, EntityNode>();
  const subjectId = [...startArns].sort()[0] ?? subject.ref.arn;
  const byName = new Map<string, string>();
  for (const arn of [...vertices.keys()].sort()) {
    const v = vertices.get(arn) as Vertex;
    const isSubject = startArns.has(arn);
    if (!isSubject && !input.keep(v.ref.kind, v.lineageType)) continue;
    const key = isSubject ? '\u0000subject' : `${v.ref.kind}\u0000${v.ref.name}`;
    const id = isSubject ? subjectId : (byName.get(key) ?? arn);
    byName.set(key, id);
    nodeOf.set(arn, id);
    if (nodes.has(id)) continue;
    const ref = isSubject ? subject.ref : v.ref;
    nodes.set(id, {
      node: 'entity',
      id,
      kind: ref.kind,
      name: ref.name,
      arn: isSubject ? subject.ref.arn : arn,
      ...(ref.sourceUri !== undefined ? { sourceUri: ref.sourceUri } : {}),
      subject: isSubject,
      ...(ref.kind === 'Other' && v.type ? { type: v.type } : {}),
    });
  }
  const edges = joinEdges(vertices, nodeOf);
  const folded = foldChains(fold([...nodes.values()], edges, subjectId, input.maxNodes, input.maxPerKind), subjectId);

  const reach = new Map((input.reach ?? []).map((entry) => [`${entry.kind}\u0000${entry.name}`, entry.reach]));
  const reachOf = (kind: Kind, name: string): OwnerReach => reach.get(`${kind}\u0000${name}`) ?? 'unknown';
  const drawn: NeighbourhoodNode[] = await Promise.all(
    folded.nodes.map(async (node) => {
      if (input.view === 'impact' && REACH_KINDS.includes(node.kind) && !(node.node === 'entity' && node.subject)) {
        if (node.node === 'entity') return { ...node, reach: reachOf(node.kind, node.name) };
        const counts: Partial<Record<OwnerReach, number>> = {};
        for (const member of folded.members.get(node.id) ?? []) {
          const r = reachOf(member.kind, member.name);
          counts[r] = (counts[r] ?? 0) + 1;
        }
        return { ...node, reach: counts };
      }
      if (node.node !== 'entity' || node.kind !== 'Dataset' || !input.datasetFeatures) return node;
      const vertex = vertices.get(node.id) as Vertex;
      const features = await input.datasetFeatures(vertex.walk, node.id);
      return features ? { ...node, features } : node;
    }),
  );
  const truncation = input.walks.map((w) => w.truncation).reduce<Truncation | undefined>((a, b) => mergeTruncation(a, b), undefined);
  return {
    view: input.view,
    subject: subject.ref,
    nodes: drawn,
    edges: folded.edges,
    entityCount: nodes.size,
    ...(truncation ? { truncation } : {}),
    identifiers: [...identifiers].sort(),
  };
}

/** The included vertices of every walk, each with the walk that holds it (the first one that does). */
function collectVertices(walks: readonly Walk[]): Map<string, Vertex> {
  const vertices = new Map<string, Vertex>();
  for (const walk of walks) {
    for (const arn of walk.included) {
      if (vertices.has(arn)) continue;
      const graphVertex = walk.graph.vertices.get(arn);
      const entity = walk.entity(arn);
      vertices.set(arn, { arn, walk, ref: walk.ref(arn), type: entity?.type ?? graphVertex?.type, lineageType: entity?.lineageType ?? graphVertex?.lineageType });
    }
  }
  return vertices;
}

/**
 * The edges between drawn nodes. A vertex not drawn is passed through: each drawn node upstream
 * of it is joined to each drawn node downstream (model → deployment action → endpoint becomes
 * model → endpoint). An edge standing for several keeps their type when they share one.
 */
function joinEdges(vertices: ReadonlyMap<string, Vertex>, nodeOf: ReadonlyMap<string, string>): NeighbourhoodEdge[] {
  const out = new Map<string, { to: string; type: AssociationType }[]>();
  for (const walk of new Set([...vertices.values()].map((v) => v.walk))) {
    for (const edge of walk.graph.edges) {
      if (!vertices.has(edge.sourceArn) || !vertices.has(edge.destinationArn)) continue;
      const list = out.get(edge.sourceArn) ?? [];
      if (!list.some((e) => e.to === edge.destinationArn && e.type === edge.type)) list.push({ to: edge.destinationArn, type: edge.type });
      out.set(edge.sourceArn, list);
    }
  }
  const joined = new Map<string, NeighbourhoodEdge>();
  const add = (from: string, to: string, type: AssociationType) => {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const held = joined.get(key);
    if (!held) joined.set(key, { from, to, type });
    else if (held.type !== type) held.type = 'ContributedTo';
  };
  for (const [from, children] of out) {
    const fromNode = nodeOf.get(from);
    if (fromNode === undefined) continue;
    // Depth-first through vertices not drawn, carrying the type the hops share (undefined once they differ).
    const stack = children.map((c) => ({ arn: c.to, type: c.type as AssociationType | undefined }));
    const seen = new Set<string>();
    while (stack.length > 0) {
      const { arn, type } = stack.pop() as { arn: string; type: AssociationType | undefined };
      const toNode = nodeOf.get(arn);
      if (toNode !== undefined) {
        add(fromNode, toNode, type ?? 'ContributedTo');
        continue;
      }
      if (seen.has(arn)) continue;
      seen.add(arn);
      for (const next of out.get(arn) ?? []) stack.push({ arn: next.to, type: type === next.type ? type : undefined });
    }
  }
  return [...joined.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

interface Folded {
  nodes: NeighbourhoodNode[];
  edges: NeighbourhoodEdge[];
  /** The entities each folded node stands for. */
  members: Map<string, EntityNode[]>;
}

/**
 * Keeps at most `maxNodes` nodes, and at most `maxPerKind` of a kind on a side of the subject.
 * Entities are taken nearest to the subject first, at most `cap` of each kind on each side, and only when something nearer that is kept leads to them — so what
 * is kept stays joined to the subject; the rest of each kind and side becomes one folded node.
 * The largest cap that fits is chosen.
 */
function fold(entities: readonly EntityNode[], edges: readonly NeighbourhoodEdge[], subjectId: string, maxNodes: number, maxPerKind: number): Folded {
  const sorted = [...entities].sort(flowOrder);
  const perKind = new Map<Kind, number>();
  for (const entity of entities) perKind.set(entity.kind, (perKind.get(entity.kind) ?? 0) + 1);
  if (entities.length <= maxNodes && [...perKind.values()].every((count) => count <= maxPerKind)) return { nodes: sorted, edges: [...edges], members: new Map() };
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const edge of edges) {
    children.set(edge.from, [...(children.get(edge.from) ?? []), edge.to]);
    parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
  }
  const byId = new Map(entities.map((e) => [e.id, e]));
  const up = distancesFrom(subjectId, parents, byId);
  const down = distancesFrom(subjectId, children, byId);
  // A vertex on both sides (a cycle through the subject) counts as upstream.
  const side = (id: string): 'upstream' | 'downstream' => (up.has(id) ? 'upstream' : 'downstream');
  const distance = (id: string) => up.get(id) ?? down.get(id) ?? Infinity;
  const order = [...entities].filter((e) => e.id !== subjectId).sort((a, b) => distance(a.id) - distance(b.id) || flowOrder(a, b));
  /** Nearer neighbours on the way back to the subject. */
  const towards = (id: string) => (side(id) === 'upstream' ? (children.get(id) ?? []) : (parents.get(id) ?? [])).filter((n) => distance(n) < distance(id));

  let kept = new Set<string>();
  for (let cap = maxPerKind; cap >= 1; cap--) {
    kept = new Set([subjectId]);
    const perGroup = new Map<string, number>();
    const groups = new Set<string>();
    for (const entity of order) {
      const group = `${side(entity.id)}\u0000${entity.kind}`;
      const taken = perGroup.get(group) ?? 0;
      if (distance(entity.id) !== Infinity && taken < cap && towards(entity.id).some((n) => kept.has(n))) {
        kept.add(entity.id);
        perGroup.set(group, taken + 1);
      } else groups.add(group);
    }
    if (kept.size + groups.size <= maxNodes) break;
  }

  const members = new Map<string, EntityNode[]>();
  const foldOf = new Map<string, string>();
  for (const entity of entities) {
    if (kept.has(entity.id)) continue;
    const id = `folded:${side(entity.id)}:${entity.kind}`;
    foldOf.set(entity.id, id);
    members.set(id, [...(members.get(id) ?? []), entity]);
  }
  const folds: FoldedNode[] = [...members].map(([id, list]) => ({
    node: 'folded',
    id,
    kind: (list[0] as EntityNode).kind,
    count: list.length,
    side: side((list[0] as EntityNode).id),
  }));
  return { nodes: [...sorted.filter((e) => kept.has(e.id)), ...folds].sort(flowOrder), edges: redirect(edges, foldOf), members };
}

/**
 * Folds the middle of every chain longer than PICTURE_MAX_CHAIN: steps (CHAIN_KINDS) that each
 * have one parent and one child, one after another, the subject excepted.
 */
function foldChains(folded: Folded, subjectId: string): Folded {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const edge of folded.edges) {
    children.set(edge.from, [...(children.get(edge.from) ?? []), edge.to]);
    parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
  }
  const byId = new Map(folded.nodes.map((node) => [node.id, node]));
  const linear = (id: string | undefined): id is string => {
    const node = id === undefined ? undefined : byId.get(id);
    return node?.node === 'entity' && !node.subject && CHAIN_KINDS.includes(node.kind) && parents.get(node.id)?.length === 1 && children.get(node.id)?.length === 1;
  };
  const chainOf = new Map<string, string>();
  const chains: FoldedNode[] = [];
  const members = new Map(folded.members);
  const seen = new Set<string>();
  for (const node of folded.nodes) {
    if (seen.has(node.id) || !linear(node.id) || linear(parents.get(node.id)?.[0])) continue;
    const run: string[] = [];
    for (let id: string | undefined = node.id; linear(id) && !seen.has(id); id = children.get(id)?.[0]) {
      seen.add(id);
      run.push(id);
    }
    if (run.length <= PICTURE_MAX_CHAIN) continue;
    const middle = run.slice(1, -1).map((id) => byId.get(id) as EntityNode);
    const id = `folded:chain:${run[0] as string}`;
    for (const entity of middle) chainOf.set(entity.id, id);
    members.set(id, middle);
    const first = byId.get(run[0] as string) as EntityNode;
    chains.push({
      node: 'folded',
      id,
      kind: 'Other',
      count: middle.length,
      side: sideOf(first, subjectId, folded),
      chain: KINDS.filter((kind) => middle.some((entity) => entity.kind === kind)),
    });
  }
  if (chains.length === 0) return folded;
  return { nodes: [...folded.nodes.filter((node) => !chainOf.has(node.id)), ...chains].sort(flowOrder), edges: redirect(folded.edges, chainOf), members };
}

/**
 * Edges with the ends `into` names moved to the folded node standing for them: edges inside a
 * folded node go, edges that become one keep the type they share, else ContributedTo.
 */
function redirect(edges: readonly NeighbourhoodEdge[], into: ReadonlyMap<string, string>): NeighbourhoodEdge[] {
  const joined = new Map<string, NeighbourhoodEdge>();
  for (const edge of edges) {
    const from = into.get(edge.from) ?? edge.from;
    const to = into.get(edge.to) ?? edge.to;
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    const held = joined.get(key);
    if (!held) joined.set(key, { from, to, type: edge.type });
    else if (held.type !== edge.type) held.type = 'ContributedTo';
  }
  return [...joined.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Whether an entity is upstream of the subject (the subject reachable from it), else downstream. */
function sideOf(entity: EntityNode, subjectId: string, folded: Folded): 'upstream' | 'downstream' {
  const children = new Map<string, string[]>();
  for (const edge of folded.edges) children.set(edge.from, [...(children.get(edge.from) ?? []), edge.to]);
  const seen = new Set([entity.id]);
  const stack = [entity.id];
  while (stack.length > 0) {
    for (const next of children.get(stack.pop() as string) ?? []) {
      if (next === subjectId) return 'upstream';
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return 'downstream';
}

/** Hops from the subject following `next` (parents or children), over the entities drawn. */
function distancesFrom(start: string, next: ReadonlyMap<string, string[]>, drawn: ReadonlyMap<string, EntityNode>): Map<string, number> {
  const distance = new Map([[start, 0]]);
  let frontier = [start];
  for (let depth = 1; frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const neighbour of next.get(id) ?? []) {
        if (distance.has(neighbour) || !drawn.has(neighbour)) continue;
        distance.set(neighbour, depth);
        following.push(neighbour);
      }
    }
    frontier = following;
  }
  return distance;
}

/** Kinds in flow order, entities by name, a kind's folded node after its entities. */
function flowOrder(a: NeighbourhoodNode, b: NeighbourhoodNode): number {
  const kind = (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0);
  if (kind !== 0) return kind;
  if (a.node !== b.node) return a.node === 'entity' ? -1 : 1;
  const name = (n: NeighbourhoodNode) => (n.node === 'entity' ? n.name : n.side);
  return name(a).localeCompare(name(b)) || a.id.localeCompare(b.id);
}
