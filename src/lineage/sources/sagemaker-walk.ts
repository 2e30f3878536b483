// QueryLineage deeper than SageMaker's own MaxDepth of 10, with exactly the answer boundedWalk
// gives over the whole graph.
//
// One QueryLineage call with MaxDepth d returns every vertex within d hops and every edge the
// traversal crossed, so the neighbours of every vertex closer than d hops are complete. To answer
// `maxDepth` we need complete neighbours out to `maxDepth` hops, i.e. vertices out to maxDepth+1:
// that extra hop is what tells us whether anything lies beyond the limit. When more than 10 hops
// are needed, the walk continues from the frontier — the vertices exactly at the depth reached so
// far, by hop distance over the edges fetched — with one call per frontier vertex. The fetched
// subgraph then has every edge boundedWalk would look at, so running boundedWalk over it gives
// the same vertices, edges and depthExceeded as over SageMaker's whole graph.
import { boundedWalk, LineageGraph } from '../graph.js';
import { mapPool } from '../pool.js';
import { parseArn } from '../reference.js';
import type { Association, Direction, LineageQuery, LineageQueryResult, LineageType, LineageVertex, VertexListener } from '../lineage-source.js';

/** SageMaker's QueryLineage MaxDepth limit. */
export const SAGEMAKER_MAX_DEPTH = 10;

export interface LineageFragment {
  vertices: readonly LineageVertex[];
  edges: readonly Association[];
}

/** One QueryLineage query (all its pages) from one start ARN, telling `onVertices` of each page's new vertices. */
export type QueryOnce = (startArn: string, direction: Direction, maxDepth: number, onVertices?: VertexListener) => Promise<LineageFragment>;

const LINEAGE_TYPE_BY_RESOURCE: Record<string, LineageType> = {
  artifact: 'Artifact',
  context: 'Context',
  action: 'Action',
  'experiment-trial-component': 'TrialComponent',
};

/** For an edge end SageMaker did not list as a vertex: the lineage type is in the ARN, the Type is not. */
function vertexFromArn(arn: string): LineageVertex {
  return { arn, lineageType: LINEAGE_TYPE_BY_RESOURCE[parseArn(arn)?.resourceType ?? ''] ?? 'Artifact' };
}

export async function deepQueryLineage(
  query: LineageQuery,
  queryOnce: QueryOnce,
  options: {
    concurrency: number;
    /** Called when SageMaker's answer does not list the start vertex (unknown ARN, or no edges at all). */
    describeStart: () => Promise<LineageVertex | undefined>;
    onVertices?: VertexListener | undefined;
  },
): Promise<LineageQueryResult> {
  const { startArn, direction } = query;
  const graph = new LineageGraph();
  const hopsNeeded = Math.max(0, query.maxDepth) + 1;
  let hopsFetched = 0;
  let frontier = [startArn];
  while (frontier.length > 0 && hopsFetched < hopsNeeded) {
    const depth = Math.min(SAGEMAKER_MAX_DEPTH, hopsNeeded - hopsFetched);
    const fragments = await mapPool(frontier, options.concurrency, (arn) => queryOnce(arn, direction, depth, options.onVertices));
    for (const fragment of fragments) {
      fragment.vertices.forEach((vertex) => graph.addVertex(vertex));
      fragment.edges.forEach((edge) => graph.addEdge(edge));
    }
    hopsFetched += depth;
    if (hopsFetched >= hopsNeeded) break;
    const distances = graph.distances([startArn], direction);
    frontier = [...distances].filter(([, distance]) => distance === hopsFetched).map(([arn]) => arn);
  }

  if (!graph.vertices.has(startArn)) {
    const start = await options.describeStart();
    if (!start) return { vertices: [], edges: [], depthExceeded: false };
    graph.addVertex(start);
  }

  const outgoing = new Map<string, Association[]>();
  const incoming = new Map<string, Association[]>();
  for (const edge of graph.edges) {
    push(outgoing, edge.sourceArn, edge);
    push(incoming, edge.destinationArn, edge);
  }
  const walk = boundedWalk(startArn, query.maxDepth, (arn) => [
    ...(direction !== 'Descendants' ? (incoming.get(arn) ?? []).map((edge) => ({ neighbour: edge.sourceArn, edge })) : []),
    ...(direction !== 'Ascendants' ? (outgoing.get(arn) ?? []).map((edge) => ({ neighbour: edge.destinationArn, edge })) : []),
  ]);
  return {
    vertices: [...walk.visited.keys()].map((arn) => graph.vertices.get(arn) ?? vertexFromArn(arn)),
    edges: walk.edges,
    depthExceeded: walk.depthExceeded,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
