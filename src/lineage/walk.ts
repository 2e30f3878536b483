// A bounded walk: one lineage query per start entity, merged into a graph, cut to the size
// limit, with only the vertices an answer needs described and classified.
import { classifyEntity, coarseKind, possibleKinds, type ClassifiedEntity, type Kind } from './classify.js';
import type { EntityRef, Truncation } from './answers.js';
import { LineageGraph } from './graph.js';
import { mapPool } from './pool.js';
import type { Direction, LineageSource } from './source.js';

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
  ) {}

  /** The vertex's kind: from its description when it has one, else from its type; refined by context. */
  kindOf(arn: string): Kind {
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
async function probeFrontierParents(source: LineageSource, graph: LineageGraph, distance: Map<string, number>, maxDepth: number): Promise<void> {
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
 * Walks from `starts` in `direction`, then describes the vertices whose kind is in `describeKinds`
 * (or cannot be told without a description), at most `describeConcurrency` at a time.
 */
export async function walkLineage(
  source: LineageSource,
  starts: readonly ClassifiedEntity[],
  direction: Direction,
  describeKinds: readonly Kind[],
  limits: WalkLimits,
): Promise<Walk> {
  const graph = new LineageGraph();
  let depthExceeded = false;
  const results = await Promise.all(
    starts.map((start) => source.queryLineage({ startArn: start.arn, direction, maxDepth: limits.maxDepth })),
  );
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
  const sizeExceeded = ordered.length > limits.maxVertices;
  const included = new Set(ordered.slice(0, limits.maxVertices));

  if (depthExceeded && direction === 'Ascendants') await probeFrontierParents(source, graph, distance, limits.maxDepth);

  const described = new Map<string, ClassifiedEntity>(starts.map((s) => [s.arn, s]));
  const toDescribe = [...included].filter((arn) => {
    if (described.has(arn)) return false;
    const vertex = graph.vertices.get(arn);
    // Only what the answer shows: a DataSet is described when datasets or data sources matter, not
    // when the question is about the models downstream of it.
    return vertex !== undefined && possibleKinds(vertex).some((kind) => describeKinds.includes(kind));
  });
  const entities = await mapPool(toDescribe, limits.describeConcurrency, (arn) => source.describeEntity(arn));
  for (const entity of entities) if (entity) described.set(entity.arn, classifyEntity(entity));

  const truncation =
    depthExceeded || sizeExceeded
      ? { depthExceeded, sizeExceeded, maxDepth: limits.maxDepth, maxVertices: limits.maxVertices }
      : undefined;
  return new Walk(graph, included, described, truncation);
}
