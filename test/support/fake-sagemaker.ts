// The one fake SageMaker: an account held as a Snapshot (the format LINEAGE_SOURCE=snapshot reads),
// answered over the real wire protocol (JSON 1.1: POST /, x-amz-target: SageMaker.<Operation>,
// epoch-second timestamps, errors as {__type, message}), so the real SageMakerClient —
// serialisation, signing, retries — talks to it unchanged. It serves every operation the bot and
// `record`/`infer --apply` send: the reads, and the lineage writes (CreateArtifact, UpdateArtifact,
// AddAssociation), which change the snapshot's arrays in place so later reads see them, and
// write-back's AddTags (the snapshot's Tags) and UpdateFeatureMetadata (`featureMetadata`). It
// enforces the limits that shape the adapter (one StartArn, MaxDepth ≤ 10, MaxResults ≤ 50),
// applies QueryLineage's documented Filters (to what is returned, not to where the walk goes), and
// injects faults: an error or a delay for the next calls of an operation (`failNext`), or any
// rule over the operation, its body and how often it was sent (`fault`).
//
// `createFakeSageMaker` is the account and its handler (a request in, a status and a JSON body
// out, nothing served). Two ways to serve it, whichever a test needs:
// - through test/support/http-mock.ts (nock), in-process, at the test client's endpoint:
//   `nockFakeSageMaker`, or `serveThroughNock` for a fake made once per file;
// - `startFakeSageMaker`: an HTTP server on 127.0.0.1, for child processes, the bench and the drill.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundedWalk } from '../../src/lineage/graph.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { toWireJson } from '../../src/lineage/sources/wire-json.js';

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;
type Row = Record<string, unknown>;
type Artifact = Snapshot['Artifacts'][number];
type Association = Snapshot['Associations'][number];

export class FakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A fault: answer with this error, or answer (normally) only after `delayMs` — longer than a client's timeout is silence. */
export type Fault = FakeError | { delayMs: number };

/** One request as a `fault` rule sees it. */
export interface FakeCall {
  operation: string;
  input: Input;
  /** The how-many-th call of this operation since the fake started (or the last resetCalls), from 1. */
  count: number;
  /**
   * The how-many-th sending of this same request (operation and body: the SDK's retries of it),
   * from 1. Counting per request, not across calls, is what makes "every other attempt" a fault the
   * retries absorb even when concurrent requests interleave.
   */
  attempt: number;
  /** Requests being answered right now, this one included: what a concurrency throttle counts. */
  inFlight: number;
}

export interface FakeSageMakerOptions {
  /** Delay before every response, like a round trip to the region. */
  delayMs?: number;
  /** Largest page any paginated answer returns, whatever MaxResults asks (also pages FeatureDefinitions). */
  pageSize?: number;
  /** QueryLineage pages after the first repeat the last vertex of the page before, as SageMaker may. */
  repeatVertices?: boolean;
  /** Faults by rule, checked on every request after the `failNext` ones. */
  fault?: (call: FakeCall) => Fault | undefined;
  /** Sees every request (operation and parsed body) before it is answered. */
  onRequest?: (operation: string, input: Input) => void;
  /** Told as each answer is sent, after the delay: ordering evidence for tests that must not time things. */
  onResponse?: (operation: string) => void;
  /** Where created artifacts' ARNs are (us-east-1 and 111122223333 unless given). */
  region?: string;
  account?: string;
}

/** A request as it arrived over HTTP, whichever way it was served. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, or already parsed (nock parses JSON bodies itself). */
  body: string | object;
}

export interface FakeReply {
  operation: string;
  status: number;
  /** A JSON body: the operation's output, or {__type, message}. */
  body: unknown;
  /** How long to wait before sending it. */
  delayMs: number;
}

/** The account, what was asked of it, and its handler. */
export interface SageMakerFake {
  /** The account, changed in place by the writes. */
  snapshot: Snapshot;
  /** Every request since start (or the last resetCalls), in order, answered or failed: operation and parsed body. */
  requests: { operation: string; body: Input }[];
  /** The writes (CreateArtifact, UpdateArtifact, AddAssociation; write-back's AddTags, UpdateFeatureMetadata) that succeeded, in order. */
  writes: { operation: string; body: Input }[];
  /** What UpdateFeatureMetadata set, by "<group>.<feature>" (AddTags changes `snapshot.Tags`). */
  featureMetadata: FeatureMetadata;
  /** Requests per operation name since start (or the last resetCalls). */
  calls: Map<string, number>;
  totalCalls(): number;
  /** The most requests answered at once since start (or the last resetCalls): what a bound on in-flight calls is checked by. */
  maxInFlight(): number;
  resetCalls(): void;
  /** The next `times` calls of `operation` get `fault`; `then` runs with each one's body. */
  failNext(operation: string, times: number, fault: Fault, then?: (body: Input) => void): void;
  /** The handler: a request in, the reply (status, JSON body, delay) out. Nothing is sent. */
  answer(request: WireRequest): FakeReply;
  /** What each transport sends: the answer, after its delay (then `onResponse` is told). */
  respond(request: WireRequest): Promise<{ status: number; headers: Record<string, string>; text: string }>;
}

export interface FakeSageMaker extends SageMakerFake {
  url: string;
  close(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';
const WRITES = new Set(['CreateArtifact', 'UpdateArtifact', 'AddAssociation', 'AddTags', 'UpdateFeatureMetadata']);
/** TagKey and TagValue's pattern in the reference shapes; FeatureParameterKey and Value's is the same without @. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const PARAMETER_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+-]*$/u;
const ARTIFACT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$/;
const ASSOCIATION_TYPES = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs'];
/** Created artifacts' CreationTime: fixed, so runs compare, and after every fixture's own. */
const CREATED_AT_SECONDS = 1_770_000_000;

const validation = (message: string) => new FakeError('ValidationException', message);
const constraint = (value: unknown, member: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${rule}`);
const missingMember = (member: string) =>
  validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

function text(input: Input, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

function integer(input: Input, key: string, member: string, min: number, max: number): number | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw constraint(value, member, 'be an integer');
  if (value > max) throw constraint(value, member, `have value less than or equal to ${max}`);
  if (value < min) throw constraint(value, member, `have value greater than or equal to ${min}`);
  return value;
}

function properties(input: Input, key: string, member: string): Record<string, string> | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 30) throw constraint('{…}', member, 'have length less than or equal to 30');
  for (const [name, v] of entries) {
    if (typeof v !== 'string') throw validation(`Property ${name} is not a string`);
    if (v.length > 4096) throw constraint(`${v.slice(0, 20)}…`, `${member}.${name}.member`, 'have length less than or equal to 4096');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^fake-page-(\d+)$/.exec(token);
  if (!match) throw validation('Invalid pagination token');
  return Number(match[1]);
}

/** Maps name and ARN (and anything else `keys` yields) to the record. */
function indexBy<T>(items: readonly T[], keys: (item: T) => (string | undefined)[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) for (const key of keys(item)) if (key !== undefined) map.set(key, item);
  return map;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** QueryLineage walks kept for paging; a test or bench asks far fewer distinct ones between pages. */
const MAX_CACHED_WALKS = 256;

function pick(row: object, keys: readonly string[]): Row {
  return Object.fromEntries(keys.flatMap((key) => (key in row ? [[key, (row as Row)[key]]] : [])));
}

function header(request: WireRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

const LINEAGE_TYPES = ['TrialComponent', 'Artifact', 'Context', 'Action'];

/** Search's comparison operators over times (epoch seconds). */
const TIME_COMPARISONS: Record<string, (at: number, limit: number) => boolean> = {
  GreaterThan: (at, limit) => at > limit,
  GreaterThanOrEqualTo: (at, limit) => at >= limit,
  LessThan: (at, limit) => at < limit,
  LessThanOrEqualTo: (at, limit) => at <= limit,
};

/** Epoch seconds of a timestamp as a snapshot holds it (a Date once parsed; raw in members the schema does not name). */
function seconds(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value) / 1000;
  return undefined;
}

/**
 * QueryLineage's Filters (QueryFilters) as a test on one vertex and its entity, or undefined for
 * none. As documented: Types and LineageTypes match any listed, Properties any listed pair;
 * CreatedBefore/After and ModifiedBefore/After (epoch seconds) compare with the entity's
 * CreationTime and LastModifiedTime (its CreationTime when it was never modified), strictly;
 * every filter given must hold.
 */
function queryFilter(value: unknown): ((vertex: Row, entity: Row) => boolean) | undefined {
  if (value === undefined || value === null) return undefined;
  const filters = value as Input;
  const list = (key: string, member: string, max: number) => {
    const items = filters[key];
    if (items === undefined) return undefined;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) throw constraint(JSON.stringify(items), member, 'be a list of strings');
    if (items.length > max) throw constraint(JSON.stringify(items), member, `have length less than or equal to ${max}`);
    return items.length > 0 ? (items as string[]) : undefined;
  };
  const types = list('Types', 'filters.types', 5);
  const lineageTypes = list('LineageTypes', 'filters.lineageTypes', 4);
  for (const type of lineageTypes ?? []) {
    if (!LINEAGE_TYPES.includes(type)) throw constraint(type, 'filters.lineageTypes.member', `satisfy enum value set: [${LINEAGE_TYPES.join(', ')}]`);
  }
  const properties = filters['Properties'] === undefined ? undefined : Object.entries(filters['Properties'] as Record<string, unknown>);
  if (properties && properties.length > 5) throw constraint('{…}', 'filters.properties', 'have length less than or equal to 5');
  const time = (key: string) => {
    const at = filters[key];
    if (at !== undefined && typeof at !== 'number') throw constraint(at, `filters.${key[0]?.toLowerCase()}${key.slice(1)}`, 'be a timestamp');
    return at as number | undefined;
  };
  const [createdBefore, createdAfter, modifiedBefore, modifiedAfter] = ['CreatedBefore', 'CreatedAfter', 'ModifiedBefore', 'ModifiedAfter'].map(time);
  return (vertex, entity) => {
    if (types && !types.includes(String(vertex['Type']))) return false;
    if (lineageTypes && !lineageTypes.includes(String(vertex['LineageType']))) return false;
    if (properties && properties.length > 0) {
      const held = (entity['Properties'] ?? {}) as Record<string, unknown>;
      if (!properties.some(([key, wanted]) => held[key] === wanted)) return false;
    }
    const created = seconds(entity['CreationTime']);
    const modified = seconds(entity['LastModifiedTime']) ?? created;
    const before = (at: number | undefined, limit: number | undefined) => limit === undefined || (at !== undefined && at < limit);
    const after = (at: number | undefined, limit: number | undefined) => limit === undefined || (at !== undefined && at > limit);
    return before(created, createdBefore) && after(created, createdAfter) && before(modified, modifiedBefore) && after(modified, modifiedAfter);
  };
}

/** Feature metadata set by UpdateFeatureMetadata, by "<group>.<feature>". */
export type FeatureMetadata = Map<string, { description?: string; parameters: Record<string, string> }>;

/** The operation handlers over `snapshot`: reads, and writes that change it (and `featureMetadata`) in place. */
function operations(snapshot: Snapshot, options: FakeSageMakerOptions, featureMetadata: FeatureMetadata): Record<string, Handler> {
  const pageCap = options.pageSize ?? Number.POSITIVE_INFINITY;

  /** One page of `items` per MaxResults (capped at `max`) and the fake's own page size. */
  const paginate = <T>(items: readonly T[], input: Input, defaultSize: number, max: number, min = 1) => {
    const asked = integer(input, 'MaxResults', 'maxResults', min, max) ?? defaultSize;
    const size = Math.max(1, Math.min(asked, pageCap));
    const offset = decodeToken(text(input, 'NextToken'));
    const next = offset + size < items.length ? `fake-page-${offset + size}` : undefined;
    return { items: items.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
  };

  type Edge = { sourceArn: string; destinationArn: string; type: Association['AssociationType'] };
  type Neighbour = { neighbour: string; edge: Edge };
  /**
   * One query's answer before paging: `matches` are the vertices without edges, `onPaths` and
   * `edges` what IncludeEdges returns. Without filters all three are the whole walk.
   */
  type Walk = { matches: Row[]; onPaths: Row[]; edges: Row[] };

  // Everything below is derived from the snapshot once, not per request. The arrays are still the
  // snapshot's own: a write (here, or a test pushing an entity or an association) changes their
  // length or identity, which `current()` notices on the next request and rebuilds from, dropping
  // every cached walk — so reads after a write see it, as they did when every request scanned the
  // arrays.
  const derive = () => {
    const edge = (a: Association): Edge => ({ sourceArn: a.SourceArn, destinationArn: a.DestinationArn, type: a.AssociationType });
    // Per ARN, in snapshot order (the order the full scans listed them in), each association's edge
    // object made once and shared, as the scans' per-call objects were equal.
    const bySource = new Map<string, Association[]>();
    const byDestination = new Map<string, Association[]>();
    const upstream = new Map<string, Neighbour[]>();
    const downstream = new Map<string, Neighbour[]>();
    for (const a of snapshot.Associations) {
      const e = edge(a);
      append(bySource, a.SourceArn, a);
      append(byDestination, a.DestinationArn, a);
      append(upstream, a.DestinationArn, { neighbour: a.SourceArn, edge: e });
      append(downstream, a.SourceArn, { neighbour: a.DestinationArn, edge: e });
    }
    return {
      fingerprint: fingerprint(),
      artifacts: indexBy(snapshot.Artifacts, (a) => [a.ArtifactArn]),
      contexts: indexBy(snapshot.Contexts, (c) => [c.ContextArn, c.ContextName]),
      actions: indexBy(snapshot.Actions, (a) => [a.ActionArn, a.ActionName]),
      trialComponents: indexBy(snapshot.TrialComponents, (t) => [t.TrialComponentArn, t.TrialComponentName]),
      bySource,
      byDestination,
      upstream,
      downstream,
      /** Every lineage vertex as QueryLineage lists it; Type is a trial component's source type. */
      vertices: new Map<string, Row>([
        ...snapshot.Artifacts.map((a) => [a.ArtifactArn, { Arn: a.ArtifactArn, Type: a.ArtifactType, LineageType: 'Artifact' }] as const),
        ...snapshot.Contexts.map((c) => [c.ContextArn, { Arn: c.ContextArn, Type: c.ContextType, LineageType: 'Context' }] as const),
        ...snapshot.Actions.map((a) => [a.ActionArn, { Arn: a.ActionArn, Type: a.ActionType, LineageType: 'Action' }] as const),
        ...snapshot.TrialComponents.map(
          (t) => [t.TrialComponentArn, { Arn: t.TrialComponentArn, Type: t.Source?.SourceType, LineageType: 'TrialComponent' }] as const,
        ),
      ]),
      /** QueryLineage walks by start, direction, depth and filters; NextToken pages read from here. */
      walks: new Map<string, Walk>(),
    };
  };
  /** Which lineage arrays the derived state was built from, and how long they were. */
  const fingerprint = (): unknown[] =>
    [snapshot.Associations, snapshot.Artifacts, snapshot.Contexts, snapshot.Actions, snapshot.TrialComponents].flatMap((list) => [
      list,
      list.length,
    ]);
  let derived = derive();
  const current = () => {
    const now = fingerprint();
    if (now.some((part, i) => part !== derived.fingerprint[i])) derived = derive();
    return derived;
  };
  /** Lookups for the Describe handlers, rebuilt with the rest after a write. */
  const lookup = <T>(pick: (d: ReturnType<typeof derive>) => Map<string, T>): Pick<Map<string, T>, 'get'> => ({
    get: (key) => pick(current()).get(key),
  });
  const artifacts = lookup((d) => d.artifacts);
  const contexts = lookup((d) => d.contexts);
  const actions = lookup((d) => d.actions);
  const trialComponents = lookup((d) => d.trialComponents);
  // Rebuilt when a test replaces or grows the list (a group created or deleted), as the lineage indexes are.
  let groupIndex = { list: snapshot.FeatureGroups, length: -1, map: new Map<string, Snapshot['FeatureGroups'][number]>() };
  const featureGroups: Pick<Map<string, Snapshot['FeatureGroups'][number]>, 'get'> = {
    get: (key) => {
      if (groupIndex.list !== snapshot.FeatureGroups || groupIndex.length !== snapshot.FeatureGroups.length) {
        groupIndex = { list: snapshot.FeatureGroups, length: snapshot.FeatureGroups.length, map: indexBy(snapshot.FeatureGroups, (f) => [f.FeatureGroupArn, f.FeatureGroupName]) };
      }
      return groupIndex.map.get(key);
    },
  };
  const models = indexBy(snapshot.Models, (m) => [m.ModelName]);
  const endpoints = indexBy(snapshot.Endpoints, (e) => [e.EndpointName]);
  const endpointConfigs = indexBy(snapshot.EndpointConfigs, (c) => [c.EndpointConfigName]);
  const trainingJobs = indexBy(snapshot.TrainingJobs, (t) => [t.TrainingJobName]);
  const processingJobs = indexBy(snapshot.ProcessingJobs, (p) => [p.ProcessingJobName]);
  const modelPackageGroups = indexBy(snapshot.ModelPackageGroups, (g) => [g.ModelPackageGroupName, g.ModelPackageGroupArn]);
  const pipelineExecutions = indexBy(snapshot.PipelineExecutions, (e) => [e.PipelineExecutionArn]);

  /** The walk for one query, computed on its first page and kept (a bounded number of them) for the rest. */
  const lineageWalk = (start: string, direction: string, maxDepth: number, filters: unknown): Walk => {
    const state = current();
    const key = JSON.stringify([start, direction, maxDepth, filters ?? null]);
    const cached = state.walks.get(key);
    if (cached) {
      // Most recently used last, so the oldest is the first to go.
      state.walks.delete(key);
      state.walks.set(key, cached);
      return cached;
    }
    const none: Neighbour[] = [];
    const upstream = (arn: string) => state.upstream.get(arn) ?? none;
    const downstream = (arn: string) => state.downstream.get(arn) ?? none;
    const walk = boundedWalk(start, maxDepth, (arn) => [
      ...(direction !== 'Descendants' ? upstream(arn) : none),
      ...(direction !== 'Ascendants' ? downstream(arn) : none),
    ]);
    const vertices = [...walk.visited.keys()].map((arn) => state.vertices.get(arn) as Row);
    const wireEdge = (e: Edge) => ({ SourceArn: e.sourceArn, DestinationArn: e.destinationArn, AssociationType: e.type });
    const matching = queryFilter(filters);
    let result: Walk;
    if (!matching) {
      const edges = walk.edges.map(wireEdge);
      result = { matches: vertices, onPaths: vertices, edges };
    } else {
      // Filters choose what is returned, not where the walk goes: it still passes through the
      // entities they leave out. With IncludeEdges, as documented, each match comes with "the
      // associations and lineage entities on the path": here, the path the walk reached it by
      // (from each vertex, back to one a hop nearer the start, to the start).
      const entity = (arn: string) => state.artifacts.get(arn) ?? state.contexts.get(arn) ?? state.actions.get(arn) ?? state.trialComponents.get(arn);
      const matches = vertices.filter((vertex) => matching(vertex, entity(String(vertex['Arn'])) ?? {}));
      // A vertex's way back: an edge it was reached along, from the opposite side of the walk's direction.
      const back = (arn: string) => [
        ...(direction !== 'Ascendants' ? upstream(arn) : none),
        ...(direction !== 'Descendants' ? downstream(arn) : none),
      ];
      const kept = new Set<string>();
      const pathEdges = new Set<Edge>();
      for (const match of matches) {
        let arn = String(match['Arn']);
        while (!kept.has(arn)) {
          kept.add(arn);
          const depth = walk.visited.get(arn) as number;
          if (depth === 0) break;
          const step = back(arn).find(({ neighbour }) => walk.visited.get(neighbour) === depth - 1) as Neighbour;
          pathEdges.add(step.edge);
          arn = step.neighbour;
        }
      }
      result = {
        matches,
        onPaths: vertices.filter((vertex) => kept.has(String(vertex['Arn']))),
        edges: [...pathEdges].map(wireEdge),
      };
    }
    state.walks.set(key, result);
    if (state.walks.size > MAX_CACHED_WALKS) state.walks.delete(state.walks.keys().next().value as string);
    return result;
  };

  const queryLineage: Handler = (input) => {
    const starts = input['StartArns'];
    if (!Array.isArray(starts) || starts.length !== 1) {
      throw constraint(JSON.stringify(starts), 'startArns', 'have length less than or equal to 1');
    }
    const start = String(starts[0]);
    const maxDepth = integer(input, 'MaxDepth', 'maxDepth', 0, 10) ?? 10;
    const maxResults = integer(input, 'MaxResults', 'maxResults', 1, 50) ?? 10;
    const direction = text(input, 'Direction') ?? 'Both';
    if (!['Both', 'Ascendants', 'Descendants'].includes(direction)) {
      throw constraint(direction, 'direction', 'satisfy enum value set: [Both, Ascendants, Descendants]');
    }
    if (!current().vertices.has(start)) return { Vertices: [], Edges: [] };
    const walk = lineageWalk(start, direction, maxDepth, input['Filters']);
    const includeEdges = input['IncludeEdges'] === true;
    const found = includeEdges ? walk.onPaths : walk.matches;
    const edges = includeEdges ? walk.edges : [];
    const size = Math.max(1, Math.min(maxResults, pageCap));
    const offset = decodeToken(text(input, 'NextToken'));
    const end = offset + size;
    const repeat = options.repeatVertices && offset > 0 ? found.slice(offset - 1, offset) : [];
    return {
      Vertices: [...repeat, ...found.slice(offset, end)],
      Edges: edges.slice(offset, end),
      ...(end < Math.max(found.length, edges.length) ? { NextToken: `fake-page-${end}` } : {}),
    };
  };

  const describe = <T extends object>(index: Pick<Map<string, T>, 'get'>, key: string, missing: (name: string) => FakeError): Handler => (input) => {
    const name = text(input, key) ?? '';
    const found = index.get(name);
    if (!found) throw missing(name);
    return found;
  };
  const notFound = (what: string) => (name: string) => new FakeError('ResourceNotFound', `${what} ${name} does not exist.`);

  const filterEquals = <T extends object>(items: readonly T[], input: Input, pairs: [inputKey: string, value: (item: T) => unknown][]) =>
    items.filter((item) => pairs.every(([key, value]) => input[key] === undefined || value(item) === input[key]));

  // Writes: validation and errors follow SageMaker's (the ArtifactName pattern and property
  // limits, ResourceNotFound for unknown ARNs, a ValidationException for an association that
  // already exists). Created artifacts are numbered: ARNs end in 32 hex digits, as SageMaker's do.
  const prefix = `arn:aws:sagemaker:${options.region ?? 'us-east-1'}:${options.account ?? '111122223333'}`;
  let created = 0;

  const createArtifact: Handler = (input) => {
    const name = text(input, 'ArtifactName');
    const type = text(input, 'ArtifactType');
    const source = input['Source'] as { SourceUri?: unknown } | undefined;
    const sourceUri = typeof source?.SourceUri === 'string' ? source.SourceUri : undefined;
    if (type === undefined) throw missingMember('artifactType');
    if (sourceUri === undefined) throw missingMember('source.sourceUri');
    if (name !== undefined && !ARTIFACT_NAME.test(name)) {
      throw constraint(name, 'artifactName', 'satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}');
    }
    const artifactProperties = properties(input, 'Properties', 'properties') ?? {};
    created++;
    const artifact: Artifact = {
      ArtifactArn: `${prefix}:artifact/${String(created).padStart(32, '0')}`,
      ...(name !== undefined ? { ArtifactName: name } : {}),
      ArtifactType: type,
      Source: { SourceUri: sourceUri },
      Properties: artifactProperties,
      CreationTime: new Date((CREATED_AT_SECONDS + created) * 1000),
    };
    snapshot.Artifacts.push(artifact);
    return { ArtifactArn: artifact.ArtifactArn };
  };

  const updateArtifact: Handler = (input) => {
    const arn = text(input, 'ArtifactArn') ?? '';
    const artifact = artifacts.get(arn);
    if (!artifact) throw new FakeError('ResourceNotFound', `Artifact ${arn} does not exist.`);
    const name = text(input, 'ArtifactName');
    if (name !== undefined) artifact.ArtifactName = name;
    // As documented: the new list of properties overwrites the current one.
    const replacement = properties(input, 'Properties', 'properties');
    const next = { ...(replacement ?? artifact.Properties) };
    for (const key of (input['PropertiesToRemove'] as string[] | undefined) ?? []) delete next[key];
    artifact.Properties = next;
    return { ArtifactArn: arn };
  };

  /**
   * AddTags as the reference shapes have it: ResourceArn and Tags required, at most 50 tags given
   * and held, keys 1–128 and values 0–256 characters of letters, digits, spaces and _ . : / = + - @
   * (no < or >). A tag of a key the resource has is replaced. Only resources the account holds.
   */
  const addTags: Handler = (input) => {
    const arn = text(input, 'ResourceArn');
    if (arn === undefined) throw missingMember('resourceArn');
    const tags = input['Tags'];
    if (!Array.isArray(tags)) throw missingMember('tags');
    if (tags.length > 50) throw constraint('[…]', 'tags', 'have length less than or equal to 50');
    tags.forEach((tag: Input, i) => {
      const key = text(tag, 'Key');
      const value = text(tag, 'Value');
      if (key === undefined || value === undefined) throw missingMember(`tags.${i + 1}.member.${key === undefined ? 'key' : 'value'}`);
      if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) throw constraint(key, `tags.${i + 1}.member.key`, `satisfy regular expression pattern: ${TAG_TEXT.source}`);
      if (value.length > 256 || !TAG_TEXT.test(value)) throw constraint(value, `tags.${i + 1}.member.value`, `satisfy regular expression pattern: ${TAG_TEXT.source}`);
    });
    const known = featureGroups.get(arn) ?? snapshot.Models.find((m) => m.ModelArn === arn) ?? snapshot.Endpoints.find((e) => e.EndpointArn === arn);
    if (!known) throw new FakeError('ResourceNotFound', `Resource ${arn} does not exist.`);
    const held = new Map((snapshot.Tags[arn] ?? []).map((tag) => [tag.Key, tag.Value]));
    for (const tag of tags as { Key: string; Value: string }[]) held.set(tag.Key, tag.Value);
    if (held.size > 50) throw validation(`Resource ${arn} would have more than 50 tags`);
    snapshot.Tags[arn] = [...held].map(([Key, Value]) => ({ Key, Value }));
    return { Tags: tags };
  };

  /**
   * UpdateFeatureMetadata as the reference shapes have it: the group (name or ARN) and the feature
   * must exist; at most 25 ParameterAdditions, keys and values of 1–255 characters of letters,
   * digits, spaces and _ . : / = + - (no @); a Description of at most 255. Held in `featureMetadata`.
   */
  const updateFeatureMetadata: Handler = (input) => {
    const groupName = text(input, 'FeatureGroupName');
    const featureName = text(input, 'FeatureName');
    if (groupName === undefined) throw missingMember('featureGroupName');
    if (featureName === undefined) throw missingMember('featureName');
    const group = featureGroups.get(groupName);
    if (!group) throw new FakeError('ResourceNotFound', `Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name ${groupName}`);
    if (!group.FeatureDefinitions.some((d) => d.FeatureName === featureName)) {
      throw new FakeError('ResourceNotFound', `Resource Not Found: Amazon SageMaker can't find feature ${featureName} in FeatureGroup ${group.FeatureGroupName}`);
    }
    const additions = (input['ParameterAdditions'] ?? []) as Input[];
    const removals = (input['ParameterRemovals'] ?? []) as string[];
    if (additions.length > 25) throw constraint('[…]', 'parameterAdditions', 'have length less than or equal to 25');
    if (removals.length > 25) throw constraint('[…]', 'parameterRemovals', 'have length less than or equal to 25');
    const description = text(input, 'Description');
    if (description !== undefined && description.length > 255) throw constraint(description, 'description', 'have length less than or equal to 255');
    const key = `${group.FeatureGroupName}.${featureName}`;
    const metadata = featureMetadata.get(key) ?? { parameters: {} };
    additions.forEach((parameter, i) => {
      for (const member of ['Key', 'Value'] as const) {
        const value = text(parameter, member) ?? '';
        if (value.length < 1 || value.length > 255 || !PARAMETER_TEXT.test(value)) {
          throw constraint(value, `parameterAdditions.${i + 1}.member.${member.toLowerCase()}`, `satisfy regular expression pattern: ${PARAMETER_TEXT.source}`);
        }
      }
      metadata.parameters[String(parameter['Key'])] = String(parameter['Value']);
    });
    for (const removed of removals) delete metadata.parameters[removed];
    if (description !== undefined) metadata.description = description;
    featureMetadata.set(key, metadata);
    return {};
  };

  const addAssociation: Handler = (input) => {
    const sourceArn = text(input, 'SourceArn') ?? '';
    const destinationArn = text(input, 'DestinationArn') ?? '';
    const type = text(input, 'AssociationType') ?? 'ContributedTo';
    if (!ASSOCIATION_TYPES.includes(type)) throw constraint(type, 'associationType', `satisfy enum value set: [${ASSOCIATION_TYPES.join(', ')}]`);
    const state = current();
    const source = state.vertices.get(sourceArn);
    const destination = state.vertices.get(destinationArn);
    if (!source) throw new FakeError('ResourceNotFound', `Source ${sourceArn} does not exist.`);
    if (!destination) throw new FakeError('ResourceNotFound', `Destination ${destinationArn} does not exist.`);
    if ((state.bySource.get(sourceArn) ?? []).some((a) => a.DestinationArn === destinationArn)) {
      throw validation(`Association with source ${sourceArn} and destination ${destinationArn} already exists.`);
    }
    const sourceType = source['Type'] as string | undefined;
    const destinationType = destination['Type'] as string | undefined;
    snapshot.Associations.push({
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      AssociationType: type as Association['AssociationType'],
      ...(sourceType !== undefined ? { SourceType: sourceType } : {}),
      ...(destinationType !== undefined ? { DestinationType: destinationType } : {}),
    });
    return { SourceArn: sourceArn, DestinationArn: destinationArn };
  };

  return {
    QueryLineage: queryLineage,

    ListAssociations: (input) => {
      // Narrowed by the indexes first when an end is given; the filter then checks every field as before.
      const state = current();
      const candidates =
        typeof input['SourceArn'] === 'string'
          ? (state.bySource.get(input['SourceArn']) ?? [])
          : typeof input['DestinationArn'] === 'string'
            ? (state.byDestination.get(input['DestinationArn']) ?? [])
            : snapshot.Associations;
      const matching = filterEquals(candidates, input, [
        ['SourceArn', (a) => a.SourceArn],
        ['DestinationArn', (a) => a.DestinationArn],
        ['AssociationType', (a) => a.AssociationType],
        ['SourceType', (a) => a.SourceType],
        ['DestinationType', (a) => a.DestinationType],
      ]);
      const page = paginate(matching, input, 10, 100);
      return { AssociationSummaries: page.items, NextToken: page.NextToken };
    },

    DescribeArtifact: describe(artifacts, 'ArtifactArn', notFound('Artifact')),
    DescribeContext: describe(contexts, 'ContextName', notFound('Context')),
    DescribeAction: describe(actions, 'ActionName', notFound('Action')),
    DescribeTrialComponent: describe(trialComponents, 'TrialComponentName', notFound('TrialComponent')),

    ListArtifacts: (input) => {
      const matching = filterEquals(snapshot.Artifacts, input, [
        ['SourceUri', (a) => a.Source?.SourceUri],
        ['ArtifactType', (a) => a.ArtifactType],
      ]);
      const page = paginate(matching, input, 10, 100);
      const keys = ['ArtifactArn', 'ArtifactName', 'Source', 'ArtifactType', 'CreationTime', 'LastModifiedTime'];
      return { ArtifactSummaries: page.items.map((a) => pick(a, keys)), NextToken: page.NextToken };
    },
    ListContexts: (input) => {
      const matching = filterEquals(snapshot.Contexts, input, [
        ['SourceUri', (c) => c.Source?.SourceUri],
        ['ContextType', (c) => c.ContextType],
      ]);
      const page = paginate(matching, input, 10, 100);
      const keys = ['ContextArn', 'ContextName', 'Source', 'ContextType', 'CreationTime', 'LastModifiedTime'];
      return { ContextSummaries: page.items.map((c) => pick(c, keys)), NextToken: page.NextToken };
    },
    ListActions: (input) => {
      const matching = filterEquals(snapshot.Actions, input, [
        ['SourceUri', (a) => a.Source?.SourceUri],
        ['ActionType', (a) => a.ActionType],
      ]);
      const page = paginate(matching, input, 10, 100);
      const keys = ['ActionArn', 'ActionName', 'Source', 'ActionType', 'Status', 'CreationTime', 'LastModifiedTime'];
      return { ActionSummaries: page.items.map((a) => pick(a, keys)), NextToken: page.NextToken };
    },
    ListTrialComponents: (input) => {
      const trial = text(input, 'TrialName');
      const matching = filterEquals(snapshot.TrialComponents, input, [['SourceArn', (t) => t.Source?.SourceArn]]).filter(
        (t) => trial === undefined || (t.Parents ?? []).some((parent) => parent.TrialName === trial),
      );
      const page = paginate(matching, input, 10, 100);
      return {
        // The summary calls the source TrialComponentSource, unlike DescribeTrialComponent's Source.
        TrialComponentSummaries: page.items.map((t) => ({
          ...pick(t, ['TrialComponentName', 'TrialComponentArn', 'DisplayName', 'CreationTime', 'LastModifiedTime']),
          ...(t.Source ? { TrialComponentSource: t.Source } : {}),
        })),
        NextToken: page.NextToken,
      };
    },

    DescribeFeatureGroup: (input) => {
      const name = text(input, 'FeatureGroupName') ?? '';
      const group = featureGroups.get(name);
      if (!group) throw new FakeError('ResourceNotFound', `Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name ${name}`);
      const definitions = group.FeatureDefinitions;
      const offset = decodeToken(text(input, 'NextToken'));
      const end = Math.min(definitions.length, offset + pageCap);
      return {
        ...group,
        FeatureDefinitions: definitions.slice(offset, end),
        ...(end < definitions.length ? { NextToken: `fake-page-${end}` } : {}),
      };
    },
    ListFeatureGroups: (input) => {
      const needle = (text(input, 'NameContains') ?? '').toLowerCase();
      const matching = snapshot.FeatureGroups.filter((f) => f.FeatureGroupName.toLowerCase().includes(needle));
      if (text(input, 'SortBy') === 'Name') {
        matching.sort((a, b) => a.FeatureGroupName.localeCompare(b.FeatureGroupName));
        if (text(input, 'SortOrder') === 'Descending') matching.reverse();
      }
      const page = paginate(matching, input, 10, 100);
      const keys = ['FeatureGroupName', 'FeatureGroupArn', 'CreationTime', 'FeatureGroupStatus'];
      return { FeatureGroupSummaries: page.items.map((f) => pick(f, keys)), NextToken: page.NextToken };
    },

    // These report a missing name the way SageMaker does: a ValidationException, not ResourceNotFound.
    DescribeModel: describe(models, 'ModelName', (name) => validation(`Could not find model "${name}".`)),
    DescribeEndpoint: describe(endpoints, 'EndpointName', (name) => validation(`Could not find endpoint "${name}".`)),
    DescribeEndpointConfig: describe(endpointConfigs, 'EndpointConfigName', (name) =>
      validation(`Could not find endpoint configuration "${name}".`),
    ),
    DescribeTrainingJob: describe(trainingJobs, 'TrainingJobName', () => validation('Requested resource not found.')),
    DescribeProcessingJob: describe(processingJobs, 'ProcessingJobName', notFound('Processing job')),

    DescribeModelPackageGroup: describe(modelPackageGroups, 'ModelPackageGroupName', (name) =>
      validation(`ModelPackageGroup ${name} does not exist.`),
    ),
    ListModelPackages: (input) => {
      const group = modelPackageGroups.get(text(input, 'ModelPackageGroupName') ?? '');
      const matching = group ? snapshot.ModelPackages.filter((p) => p.ModelPackageGroupName === group.ModelPackageGroupName) : [];
      const page = paginate(matching, input, 10, 100);
      return { ModelPackageSummaryList: page.items, NextToken: page.NextToken };
    },
    DescribePipelineExecution: describe(pipelineExecutions, 'PipelineExecutionArn', notFound('Pipeline execution')),

    ListTags: (input) => {
      const page = paginate(snapshot.Tags[text(input, 'ResourceArn') ?? ''] ?? [], input, 50, 1000, 50);
      return { Tags: page.items, NextToken: page.NextToken };
    },

    Search: (input) => {
      const resource = text(input, 'Resource');
      const expression = (input['SearchExpression'] as Input | undefined) ?? {};
      const filters = (expression['Filters'] ?? []) as Input[];
      // SageMaker's FilterList holds 1 to 20 filters.
      if (filters.length > 20) throw validation(`Value at 'searchExpression.filters' failed to satisfy constraint: Member must have length less than or equal to 20`);
      // A `Tags.<key>` property is the resource's tag under that key, as SageMaker Search reads it.
      const property = (row: Row, arn: string, name: string): string => {
        if (name.startsWith('Tags.')) return (snapshot.Tags[arn] ?? []).find((tag) => tag.Key === name.slice('Tags.'.length))?.Value ?? '';
        // A nested property (OfflineStoreConfig.S3StorageConfig.ResolvedOutputS3Uri) is read down its path.
        const value = name.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Row)[key] : undefined), row);
        return String(value ?? '');
      };
      const matchesFilter = (row: Row, arn: string) => (filter: Input) => {
        const value = property(row, arn, String(filter['Name']));
        const wanted = String(filter['Value'] ?? '');
        if (filter['Operator'] === 'Contains') return value.toLowerCase().includes(wanted.toLowerCase());
        if (filter['Operator'] === undefined || filter['Operator'] === 'Equals') return value === wanted;
        // Comparisons of times, as Search makes them on CreationTime and LastModifiedTime; a record without the property never matches.
        const compare = TIME_COMPARISONS[String(filter['Operator'])];
        if (compare) {
          const at = seconds(String(filter['Name']).split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Row)[key] : undefined), row));
          const limit = seconds(wanted);
          if (limit === undefined) throw validation(`Value '${wanted}' at 'searchExpression.filters.member.value' is not a timestamp`);
          return at !== undefined && compare(at, limit);
        }
        throw validation(`The fake does not support operator ${String(filter['Operator'])}`);
      };
      const matchesFilters = (row: Row, arn: string) =>
        expression['Operator'] === 'Or' ? filters.length === 0 || filters.some(matchesFilter(row, arn)) : filters.every(matchesFilter(row, arn));
      // Search returns each record's tags with it (ModelDashboardModel.Model.Tags, Endpoint.Tags, FeatureGroup.Tags).
      const withTags = (row: Row, arn: string): Row => (snapshot.Tags[arn] ? { ...row, Tags: snapshot.Tags[arn] } : row);
      const rows: { row: Row; arn: string; result: () => Row }[] =
        resource === 'Model'
          ? snapshot.Models.map((m) => ({ row: m, arn: m.ModelArn, result: () => ({ Model: { Model: withTags(m, m.ModelArn) } }) }))
          : resource === 'Endpoint'
            ? snapshot.Endpoints.map((e) => ({ row: e, arn: e.EndpointArn, result: () => ({ Endpoint: withTags(e, e.EndpointArn) }) }))
            : resource === 'FeatureGroup'
              ? snapshot.FeatureGroups.map((f) => ({ row: f, arn: f.FeatureGroupArn, result: () => ({ FeatureGroup: withTags(f, f.FeatureGroupArn) }) }))
              : [];
      if (rows.length === 0 && resource !== 'Model' && resource !== 'Endpoint' && resource !== 'FeatureGroup') {
        throw validation(`The fake does not search ${String(resource)}`);
      }
      const matching = rows.filter(({ row, arn }) => matchesFilters(row, arn));
      const page = paginate(matching, input, 10, 100);
      return { Results: page.items.map(({ result }) => result()), NextToken: page.NextToken, TotalHits: { Value: matching.length, Relation: 'EqualTo' } };
    },

    CreateArtifact: createArtifact,
    UpdateArtifact: updateArtifact,
    AddAssociation: addAssociation,
    AddTags: addTags,
    UpdateFeatureMetadata: updateFeatureMetadata,
  };
}

/** The account in `snapshot` (changed in place by writes) and its handler; serve it with one of the two below. */
export function createFakeSageMaker(snapshot: Snapshot, options: FakeSageMakerOptions = {}): SageMakerFake {
  const featureMetadata: FeatureMetadata = new Map();
  const handlers = operations(snapshot, options, featureMetadata);
  const calls = new Map<string, number>();
  const requests: SageMakerFake['requests'] = [];
  const writes: SageMakerFake['writes'] = [];
  const pending = new Map<string, { left: number; fault: Fault; then?: (body: Input) => void }>();
  /** Sendings so far per request (operation and body), kept only when a rule needs them. */
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  const faultFor = (operation: string, input: Input, count: number): Fault | undefined => {
    const next = pending.get(operation);
    if (next && next.left > 0) {
      next.left--;
      next.then?.(input);
      return next.fault;
    }
    if (!options.fault) return undefined;
    const request = `${operation} ${JSON.stringify(input)}`;
    const attempt = (attempts.get(request) ?? 0) + 1;
    attempts.set(request, attempt);
    return options.fault({ operation, input, count, attempt, inFlight });
  };

  const answer = (request: WireRequest): FakeReply => {
    const target = header(request, 'x-amz-target');
    const operation = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
    const count = (calls.get(operation) ?? 0) + 1;
    calls.set(operation, count);
    let status = 200;
    let body: unknown;
    let delayMs = options.delayMs ?? 0;
    try {
      if (request.method !== 'POST' || request.path !== '/') throw new FakeError('UnknownOperationException', 'POST / only', 404);
      if (header(request, 'content-type') !== JSON_11) throw new FakeError('SerializationException', `content-type must be ${JSON_11}`);
      if (!header(request, 'authorization').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new FakeError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      const handler = handlers[operation];
      if (!handler) throw new FakeError('UnknownOperationException', `The fake does not serve ${target}`);
      const input = (typeof request.body === 'string' ? JSON.parse(request.body || '{}') : request.body) as Input;
      requests.push({ operation, body: input });
      options.onRequest?.(operation, input);
      const fault = faultFor(operation, input, count);
      if (fault instanceof FakeError) throw fault;
      if (fault) delayMs += fault.delayMs;
      body = toWireJson(handler(input));
      if (WRITES.has(operation)) writes.push({ operation, body: input });
    } catch (error) {
      // A bug in the fake answers 500 with its message, which a test then shows.
      const failure = error instanceof FakeError ? error : new FakeError('InternalFailure', String(error), 500);
      status = failure.status;
      body = { __type: failure.type, message: failure.message };
    }
    return { operation, status, body, delayMs };
  };

  let replies = 0;
  const respond = async (request: WireRequest) => {
    // In flight from arrival until the answer is sent; a call answered without `respond` (answer alone) is not counted.
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    let reply: FakeReply;
    try {
      reply = answer(request);
      if (reply.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    } finally {
      inFlight--;
    }
    options.onResponse?.(reply.operation);
    return { status: reply.status, headers: { 'content-type': JSON_11, 'x-amzn-requestid': `fake-${++replies}` }, text: JSON.stringify(reply.body) };
  };

  return {
    snapshot,
    featureMetadata,
    requests,
    writes,
    calls,
    totalCalls: () => [...calls.values()].reduce((sum, n) => sum + n, 0),
    maxInFlight: () => maxInFlight,
    resetCalls: () => {
      calls.clear();
      requests.length = 0;
      maxInFlight = inFlight;
    },
    failNext: (operation, times, fault, then) => void pending.set(operation, { left: times, fault, ...(then ? { then } : {}) }),
    answer,
    respond,
  };
}

/**
 * Serves `fake` in this process through test/support/http-mock.ts, at the endpoint the test
 * client uses (`testOptions()` in sagemaker-nock.ts) unless `url` says otherwise, until the end
 * of the test (the harness drops every interceptor after each test: a fake made in `beforeAll`
 * is served again in `beforeEach`). `optional`: a test that never calls it does not fail for
 * that. For tests only: the mock harness is loaded here, on first use, so the bench and the
 * drill never load nock.
 */
export async function serveThroughNock(fake: SageMakerFake, where: { url?: string; optional?: boolean } = {}): Promise<{ url: string; stop(): void }> {
  const [{ httpMock }, { SAGEMAKER_URL }] = await Promise.all([import('./http-mock.js'), import('./sagemaker-nock.js')]);
  const url = where.url ?? SAGEMAKER_URL;
  const interceptor = httpMock
    .scope(url)
    .persist()
    .post(() => true);
  interceptor.optionally(where.optional ?? false).reply(async function (path, body) {
    const sent = await fake.respond({ method: 'POST', path, headers: this.req.headers, body: body as string | object });
    return [sent.status, sent.text, sent.headers];
  });
  return { url, stop: () => httpMock.remove(interceptor) };
}

/** A fake over `snapshot`, served through nock (see serveThroughNock); `close` stops serving it. */
export async function nockFakeSageMaker(snapshot: Snapshot, options: FakeSageMakerOptions & { url?: string } = {}): Promise<FakeSageMaker> {
  const fake = createFakeSageMaker(snapshot, options);
  const served = await serveThroughNock(fake, options.url === undefined ? {} : { url: options.url });
  return { ...fake, url: served.url, close: async () => served.stop() };
}

/** Serves a fake over `snapshot` on 127.0.0.1 (an ephemeral port): for child processes, the bench and the drill. */
export async function startFakeSageMaker(snapshot: Snapshot, options: FakeSageMakerOptions = {}): Promise<FakeSageMaker> {
  const fake = createFakeSageMaker(snapshot, options);
  const server = createServer((request, response) => {
    // A client that gave up (a timeout test) leaves nothing to answer.
    answer(request, response).catch(() => response.destroy());
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const wire = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
    const sent = await fake.respond(wire);
    response.writeHead(sent.status, sent.headers);
    response.end(sent.text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
