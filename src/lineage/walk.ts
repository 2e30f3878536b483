// A bounded walk: one lineage query per start entity, merged into a graph, cut to the size
// limit, with only the vertices an answer needs described and classified.
import { classifyEntity, coarseKind, possibleKinds, type ClassifiedEntity, type Kind } from './classify.js';
import type { EntityRef, Truncation } from './answers.js';
import { LineageGraph } from './graph.js';
import { Limiter } from './pool.js';
import type { Association, Direction, LineageEntity, LineageQueryResult, LineageSource, LineageVertex } from './lineage-source.js';

export interface WalkLimits {
  /** Hops from the start entities. */
  maxDepth: number;
  /** Entities a walk may hold; the farthest beyond it are left out and the answer says so. */
  maxVertices: number;
  /** Describe calls in flight at once. */
  describeConcurrency: number;
}

export class Walk {
  constructor(
    readonly graph: LineageGraph,
    /** Vertices kept after the size limit. */
    readonly included: ReadonlySet<string>,
    private readonly described: ReadonlyMap<string, ClassifiedEntity>,
    readonly truncation: Truncation | undefined,
    /**
     * Kinds already worked out: the walk no longer changes, and answers ask for the same kinds
     * often. A walk over the same graph and the same descriptions as an earlier one shares its map.
     */
    private readonly kinds = new Map<string, Kind>(),
  ) {}

  /** The vertex's kind: from its description when it has one, else from its type; refined by context. */
  kindOf(arn: string): Kind {
    let kind = this.kinds.get(arn);
    if (kind === undefined) {
      kind = this.workOutKind(arn);
      this.kinds.set(arn, kind);
    }
    return kind;
  }

  private workOutKind(arn: string): Kind {
    const entity = this.described.get(arn);
    const vertex = this.graph.vertices.get(arn);
    const kind = entity?.kind ?? (vertex ? coarseKind(vertex) : 'Other');
    // A DataSet artifact fed by a feature group is a dataset built from it, not a raw data source,
    // even when nothing recorded its query (SageMaker's own artifact for a training input).
    if (kind === 'DataSource' && this.graph.parents(arn).some((parent) => this.baseKind(parent) === 'FeatureGroup')) {
      return 'Dataset';
    }
    return kind;
  }

  private baseKind(arn: string): Kind {
    const entity = this.described.get(arn);
    const vertex = this.graph.vertices.get(arn);
    return entity?.kind ?? (vertex ? coarseKind(vertex) : 'Other');
  }

  entity(arn: string): ClassifiedEntity | undefined {
    return this.described.get(arn);
  }

  /** Every description the walk holds, for combining walks. */
  descriptions(): IterableIterator<ClassifiedEntity> {
    return this.described.values();
  }

  /** Included vertices of the given kinds. */
  ofKind(...kinds: Kind[]): string[] {
    return [...this.included].filter((arn) => kinds.includes(this.kindOf(arn)));
  }

  /**
   * Included vertices reachable from `from` in `direction` (excluding `from`). Vertices of a
   * `stopAt` kind are reached but not walked through: an endpoint serves the nearest model, not
   * the base model that model was fine-tuned from.
   */
  reachable(from: readonly string[], direction: Direction, stopAt: readonly Kind[] = []): Set<string> {
    if (stopAt.length === 0) return this.graph.reachable(from, direction, this.included);
    const seen = new Set(from);
    const found = new Set<string>();
    const stack = [...from];
    while (stack.length > 0) {
      const arn = stack.pop() as string;
      for (const neighbour of this.graph.neighbours(arn, direction)) {
        if (seen.has(neighbour) || !this.included.has(neighbour)) continue;
        seen.add(neighbour);
        found.add(neighbour);
        if (!stopAt.includes(this.kindOf(neighbour))) stack.push(neighbour);
      }
    }
    return found;
  }

  ref(arn: string): EntityRef {
    const entity = this.described.get(arn);
    const kind = this.kindOf(arn);
    return {
      kind,
      name: entity?.name ?? arn,
      arn,
      ...(entity?.sourceUri !== undefined ? { sourceUri: entity.sourceUri } : {}),
    };
  }
}

/**
 * A DataSet artifact at the depth limit may be fed by a feature group just beyond it; one more hop
 * up tells a dataset from a raw data source. The parents found only inform kinds: they are not
 * part of the answer.
 */
async function probeFrontierParents(source: LineageSource, graph: LineageGraph, distance: ReadonlyMap<string, number>, maxDepth: number): Promise<void> {
  const frontier = [...graph.vertices.values()].filter((v) => distance.get(v.arn) === maxDepth && coarseKind(v) === 'DataSource');
  const results = await Promise.all(frontier.map((v) => source.queryLineage({ startArn: v.arn, direction: 'Ascendants', maxDepth: 1 })));
  for (const result of results) {
    for (const vertex of result.vertices) graph.addVertex(vertex);
    for (const edge of result.edges) graph.addEdge(edge);
  }
}

/** Merges two truncation notes; undefined when neither walk was cut short. */
export function mergeTruncation(a: Truncation | undefined, b: Truncation | undefined): Truncation | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, depthExceeded: a.depthExceeded || b.depthExceeded, sizeExceeded: a.sizeExceeded || b.sizeExceeded };
}

/**
 * Describes entities at most `concurrency` at a time, starting some early: while a lineage query
 * is still paging, the vertices it has found so far can already be described. At most `cap` are
 * started early (the walk's size limit), so a walk cut short wastes little.
 */
class Describer {
  private readonly started = new Map<string, Promise<{ entity: LineageEntity | undefined } | { error: unknown }>>();
  private readonly limiter: Limiter;
  private early = 0;

  constructor(
    private readonly source: LineageSource,
    concurrency: number,
    private readonly cap: number,
  ) {
    this.limiter = new Limiter(concurrency);
  }

  /** Starts describing `arn` ahead of need, unless it already is or the cap is reached. */
  prefetch(arn: string): void {
    if (this.started.has(arn) || this.early >= this.cap) return;
    this.early++;
    this.start(arn);
  }

  async describe(arn: string): Promise<LineageEntity | undefined> {
    const outcome = await (this.started.get(arn) ?? this.start(arn));
    if ('error' in outcome) throw outcome.error;
    return outcome.entity;
  }

  private start(arn: string) {
    // Settled, not rejected: a prefetch nobody ends up awaiting must not be an unhandled rejection.
    const outcome = this.limiter.run(() => this.source.describeEntity(arn)).then(
      (entity) => ({ entity }),
      (error: unknown) => ({ error }),
    );
    this.started.set(arn, outcome);
    return outcome;
  }
}

/** What a walk derives from its lineage query alone: the same for the same (cached) query result. */
interface WalkBase {
  graph: LineageGraph;
  distance: ReadonlyMap<string, number>;
  included: ReadonlySet<string>;
  /** Included vertices the answer needs described. */
  toDescribe: readonly string[];
  /** The descriptions the last walk over this base had, and the kinds it worked out from them. */
  last?: { described: readonly (ClassifiedEntity | undefined)[]; kinds: Map<string, Kind> };
  depthExceeded: boolean;
  sizeExceeded: boolean;
}

/**
 * Work a service can reuse between walks over unchanged cached results: a warm answer gets the
 * same frozen query result and entities from the cache, so the graph built from them and their
 * classification need not be redone. Keyed weakly by those objects: an evicted entry takes its
 * derived work with it.
 */
export class WalkMemo {
  readonly bases = new WeakMap<LineageQueryResult, Map<string, WalkBase>>();
  private readonly classified = new WeakMap<LineageEntity, ClassifiedEntity>();

  classify(entity: LineageEntity): ClassifiedEntity {
    if (!Object.isFrozen(entity)) return classifyEntity(entity);
    let classified = this.classified.get(entity);
    if (!classified) this.classified.set(entity, (classified = classifyEntity(entity)));
    return classified;
  }
}

function buildBase(
  starts: readonly ClassifiedEntity[],
  results: readonly LineageQueryResult[],
  direction: Direction,
  limits: WalkLimits,
  wanted: (vertex: LineageVertex) => boolean,
): WalkBase {
  const graph = new LineageGraph();
  let depthExceeded = false;
  for (const start of starts) graph.addVertex({ arn: start.arn, lineageType: start.lineageType, type: start.type });
  for (const result of results) {
    depthExceeded ||= result.depthExceeded;
    for (const vertex of result.vertices) graph.addVertex(vertex);
    for (const edge of result.edges) graph.addEdge(edge);
  }
  const distance = graph.distances(
    starts.map((s) => s.arn),
    direction,
  );
  const ordered = [...graph.vertices.keys()].sort((a, b) => (distance.get(a) ?? Infinity) - (distance.get(b) ?? Infinity));
  const included = new Set(ordered.slice(0, limits.maxVertices));
  const toDescribe = [...included].filter((arn) => {
    const vertex = graph.vertices.get(arn);
    return vertex !== undefined && wanted(vertex);
  });
  return { graph, distance, included, toDescribe, depthExceeded, sizeExceeded: ordered.length > limits.maxVertices };
}

/**
 * Walks from `starts` in `direction`, then describes the vertices whose kind is in `describeKinds`
 * (or cannot be told without a description), at most `describeConcurrency` at a time. Those
 * descriptions start as the lineage query's pages arrive, not after its last one.
 */
export async function walkLineage(
  source: LineageSource,
  starts: readonly ClassifiedEntity[],
  direction: Direction,
  describeKinds: readonly Kind[],
  limits: WalkLimits,
  memo?: WalkMemo,
): Promise<Walk> {
  const startArns = new Set(starts.map((s) => s.arn));
  // Only what the answer shows: a DataSet is described when datasets or data sources matter, not
  // when the question is about the models downstream of it. Feature group entities always are:
  // which group one stands for tells where a walk continues (see group-walk.ts).
  const wanted = (vertex: LineageVertex) =>
    !startArns.has(vertex.arn) && (coarseKind(vertex) === 'FeatureGroup' || possibleKinds(vertex).some((kind) => describeKinds.includes(kind)));
  const describer = new Describer(source, limits.describeConcurrency, limits.maxVertices);
  let querying = true;
  const onVertices = (vertices: readonly LineageVertex[]) => {
    // A stale cached query answers at once and refreshes behind it: that refresh is not this walk's.
    if (!querying) return;
    for (const vertex of vertices) if (wanted(vertex)) describer.prefetch(vertex.arn);
  };
  const results = await Promise.all(
    starts.map((start) => source.queryLineage({ startArn: start.arn, direction, maxDepth: limits.maxDepth }, onVertices)),
  ).finally(() => {
    querying = false;
  });

  // One frozen (cached) result and nothing that will change the graph: its base can be shared.
  const [only] = results;
  const shareable = memo !== undefined && results.length === 1 && only !== undefined && Object.isFrozen(only);
  const key = [starts[0]?.arn, starts[0]?.type, starts[0]?.kind, direction, limits.maxDepth, limits.maxVertices, describeKinds.join(',')].join('\u0000');
  let base = shareable ? memo.bases.get(only)?.get(key) : undefined;
  let shared = base !== undefined;
  if (!base) {
    base = buildBase(starts, results, direction, limits, wanted);
    // A walk cut short upstream adds the frontier's parents to its graph below: that one is not shared.
    shared = shareable && !(base.depthExceeded && direction === 'Ascendants');
    if (shared && shareable) {
      let byKey = memo.bases.get(only);
      if (!byKey) memo.bases.set(only, (byKey = new Map()));
      byKey.set(key, base);
    }
  }
  const { graph, distance, included, toDescribe, depthExceeded, sizeExceeded } = base;

  if (depthExceeded && direction === 'Ascendants') await probeFrontierParents(source, graph, distance, limits.maxDepth);

  const described = new Map<string, ClassifiedEntity>(starts.map((s) => [s.arn, s]));
  const entities = await Promise.all(toDescribe.map((arn) => describer.describe(arn)));
  const classified = entities.map((entity) => entity && (memo ? memo.classify(entity) : classifyEntity(entity)));
  for (const entity of classified) if (entity) described.set(entity.arn, entity);
  // The same shared graph and the very same (cached, frozen) descriptions: the same kinds.
  let kinds: Map<string, Kind> | undefined;
  if (shared) {
    const last = base.last;
    if (last && last.described.length === classified.length && last.described.every((entity, i) => entity === classified[i])) kinds = last.kinds;
    else base.last = { described: classified, kinds: (kinds = new Map()) };
  }

  const truncation =
    depthExceeded || sizeExceeded
      ? { depthExceeded, sizeExceeded, maxDepth: limits.maxDepth, maxVertices: limits.maxVertices }
      : undefined;
  return new Walk(graph, included, described, truncation, kinds);
}

/** An edge a walk adds between walks, with the entity it leads to (which no lineage query returned). */
export interface WalkLink {
  edge: Association;
  entity: ClassifiedEntity;
}

/**
 * One walk out of several: `parts` walked from `starts` and from entities linked to them by
 * `links`, limited as one walk is — hops counted from `starts`, the farthest left out beyond
 * `maxVertices` — and cut short where any part was or `depthCut` says.
 */
export function combineWalks(
  starts: readonly string[],
  direction: Direction,
  parts: readonly Walk[],
  links: readonly WalkLink[],
  limits: WalkLimits,
  depthCut: boolean,
): { walk: Walk; distance: Map<string, number> } {
  const graph = new LineageGraph();
  const candidates = new Set<string>();
  const described = new Map<string, ClassifiedEntity>();
  for (const { entity } of links) {
    graph.addVertex({ arn: entity.arn, lineageType: entity.lineageType, type: entity.type });
    candidates.add(entity.arn);
    described.set(entity.arn, entity);
  }
  let depthExceeded = depthCut;
  let sizeExceeded = false;
  for (const part of parts) {
    // Everything a part's graph holds informs kinds; only what it included may be answered.
    for (const vertex of part.graph.vertices.values()) graph.addVertex(vertex);
    for (const edge of part.graph.edges) graph.addEdge(edge);
    for (const arn of part.included) candidates.add(arn);
    // A part's full description wins over the summary a link was made from.
    for (const entity of part.descriptions()) described.set(entity.arn, entity);
    depthExceeded ||= part.truncation?.depthExceeded ?? false;
    sizeExceeded ||= part.truncation?.sizeExceeded ?? false;
  }
  for (const { edge } of links) graph.addEdge(edge);
  const distance = graph.distances(starts, direction);
  const ordered = [...candidates].sort((a, b) => (distance.get(a) ?? Infinity) - (distance.get(b) ?? Infinity));
  const included = new Set(ordered.slice(0, limits.maxVertices));
  sizeExceeded ||= ordered.length > limits.maxVertices;
  const truncation =
    depthExceeded || sizeExceeded ? { depthExceeded, sizeExceeded, maxDepth: limits.maxDepth, maxVertices: limits.maxVertices } : undefined;
  return { walk: new Walk(graph, included, described, truncation), distance };
}
