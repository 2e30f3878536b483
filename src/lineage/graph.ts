// An in-memory lineage graph: vertices and directed edges (upstream → downstream), merged from
// one or more lineage queries. Repeated vertices and edges are merged; cycles are harmless
// because every walk keeps a visited set.
import type { Association, AssociationType, Direction, LineageVertex } from './lineage-source.js';

export class LineageGraph {
  readonly vertices = new Map<string, LineageVertex>();
  readonly edges: Association[] = [];
  /** Children of each vertex, with the association types of the edges to each. */
  private readonly out = new Map<string, Map<string, AssociationType[]>>();
  private readonly in = new Map<string, Set<string>>();

  addVertex(vertex: LineageVertex): void {
    if (!this.vertices.has(vertex.arn)) this.vertices.set(vertex.arn, vertex);
  }

  addEdge(edge: Association): void {
    // Nested maps rather than a joined string key: every walk, warm answers included, adds every edge.
    let children = this.out.get(edge.sourceArn);
    if (!children) this.out.set(edge.sourceArn, (children = new Map()));
    const types = children.get(edge.destinationArn);
    if (types?.includes(edge.type)) return;
    if (types) types.push(edge.type);
    else {
      children.set(edge.destinationArn, [edge.type]);
      let parents = this.in.get(edge.destinationArn);
      if (!parents) this.in.set(edge.destinationArn, (parents = new Set()));
      parents.add(edge.sourceArn);
    }
    this.edges.push(edge);
  }

  /** Direct neighbours: parents for Ascendants, children for Descendants, both for Both. */
  neighbours(arn: string, direction: Direction): string[] {
    // Built in one array: this runs for every vertex of every walk, warm answers included.
    const found: string[] = [];
    if (direction !== 'Descendants') for (const parent of this.in.get(arn) ?? []) found.push(parent);
    if (direction !== 'Ascendants') for (const child of this.out.get(arn)?.keys() ?? []) found.push(child);
    return found;
  }

  parents(arn: string): string[] {
    return this.neighbours(arn, 'Ascendants');
  }

  /** Hop distance from the nearest start vertex, walking in `direction`. */
  distances(starts: readonly string[], direction: Direction): Map<string, number> {
    const distance = new Map<string, number>();
    let frontier = starts.filter((arn) => !distance.has(arn) && distance.set(arn, 0));
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const arn of frontier) {
        for (const neighbour of this.neighbours(arn, direction)) {
          if (distance.has(neighbour)) continue;
          distance.set(neighbour, depth);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    return distance;
  }

  /** Vertices reachable from `starts` (excluded) walking in `direction`, restricted to `within` when given. */
  reachable(starts: readonly string[], direction: Direction, within?: ReadonlySet<string>): Set<string> {
    const seen = new Set<string>(starts);
    const stack = [...starts];
    const found = new Set<string>();
    while (stack.length > 0) {
      const arn = stack.pop() as string;
      for (const neighbour of this.neighbours(arn, direction)) {
        if (seen.has(neighbour) || (within && !within.has(neighbour))) continue;
        seen.add(neighbour);
        found.add(neighbour);
        stack.push(neighbour);
      }
    }
    return found;
  }
}

/**
 * Breadth-first walk over an adjacency function, bounded by depth. Shared by adapters that hold
 * the whole graph (snapshot) so that they report depth truncation exactly like QueryLineage would.
 */
export function boundedWalk(
  start: string,
  maxDepth: number,
  next: (arn: string) => { neighbour: string; edge: Association }[],
): { visited: Map<string, number>; edges: Association[]; depthExceeded: boolean } {
  const visited = new Map<string, number>([[start, 0]]);
  const edges = new Map<string, Association>();
  const keep = (edge: Association) => edges.set(`${edge.sourceArn}\u0000${edge.destinationArn}\u0000${edge.type}`, edge);
  let frontier = [start];
  let depthExceeded = false;
  for (let depth = 1; frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const arn of frontier) {
      for (const { neighbour, edge } of next(arn)) {
        if (depth > maxDepth) {
          // Beyond the limit: an edge back into the walk is still part of it; anything new is cut off.
          if (visited.has(neighbour)) keep(edge);
          else depthExceeded = true;
          continue;
        }
        keep(edge);
        if (visited.has(neighbour)) continue;
        visited.set(neighbour, depth);
        following.push(neighbour);
      }
    }
    if (depth > maxDepth) break;
    frontier = following;
  }
  return { visited, edges: [...edges.values()], depthExceeded };
}
