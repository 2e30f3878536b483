// An in-memory lineage graph: vertices and directed edges (upstream → downstream), merged from
// one or more lineage queries. Repeated vertices and edges are merged; cycles are harmless
// because every walk keeps a visited set.
import type { Association, Direction, LineageVertex } from './source.js';

export class LineageGraph {
  readonly vertices = new Map<string, LineageVertex>();
  private readonly edgeKeys = new Set<string>();
  readonly edges: Association[] = [];
  private readonly out = new Map<string, Set<string>>();
  private readonly in = new Map<string, Set<string>>();

  addVertex(vertex: LineageVertex): void {
    if (!this.vertices.has(vertex.arn)) this.vertices.set(vertex.arn, vertex);
  }

  addEdge(edge: Association): void {
    const key = `${edge.sourceArn}\u0000${edge.destinationArn}\u0000${edge.type}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
    link(this.out, edge.sourceArn, edge.destinationArn);
    link(this.in, edge.destinationArn, edge.sourceArn);
  }

  /** Direct neighbours: parents for Ascendants, children for Descendants, both for Both. */
  neighbours(arn: string, direction: Direction): string[] {
    const up = direction === 'Descendants' ? [] : [...(this.in.get(arn) ?? [])];
    const down = direction === 'Ascendants' ? [] : [...(this.out.get(arn) ?? [])];
    return [...up, ...down];
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

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from);
  if (!set) map.set(from, (set = new Set()));
  set.add(to);
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
