// A fake SageMaker on 127.0.0.1 serving a Snapshot over the real wire protocol (JSON 1.1:
// POST /, x-amz-target: SageMaker.<Operation>, epoch-second timestamps, errors as {__type, message}),
// so the real SageMakerClient — serialisation, signing, retries — talks to it unchanged.
// It enforces the limits that shape the adapter: one StartArn, MaxDepth ≤ 10, MaxResults ≤ 50.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundedWalk } from '../../src/lineage/graph.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { toWireJson } from '../../src/lineage/sources/wire-json.js';

export interface FakeSageMaker {
  url: string;
  /** Requests per operation name since start (or the last resetCalls). */
  calls: Map<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export interface FakeSageMakerOptions {
  /** Delay before every response, like a round trip to the region. */
  delayMs?: number;
  /** Largest page any paginated answer returns, whatever MaxResults asks (also pages FeatureDefinitions). */
  pageSize?: number;
  /** QueryLineage pages after the first repeat the last vertex of the page before, as SageMaker may. */
  repeatVertices?: boolean;
  /** Sees every request (operation and parsed body) before it is answered. */
  onRequest?: (operation: string, input: Record<string, unknown>) => void;
  /** Told as each answer is sent, after the delay: ordering evidence for tests that must not time things. */
  onResponse?: (operation: string) => void;
  /**
   * EXTENSION POINT: operations the fake does not serve itself, answered like its own (a thrown
   * FakeError becomes an AWS error). test/support/fake-sagemaker-writes.ts adds the lineage writes,
   * which change the snapshot's arrays in place.
   */
  extraHandlers?: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;
}

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;
type Row = Record<string, unknown>;

export class FakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const validation = (message: string) => new FakeError('ValidationException', message);
const constraint = (value: unknown, member: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${rule}`);

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

export async function startFakeSageMaker(snapshot: Snapshot, options: FakeSageMakerOptions = {}): Promise<FakeSageMaker> {
  const pageCap = options.pageSize ?? Number.POSITIVE_INFINITY;

  /** One page of `items` per MaxResults (capped at `max`) and the fake's own page size. */
  const paginate = <T>(items: readonly T[], input: Input, defaultSize: number, max: number, min = 1) => {
    const asked = integer(input, 'MaxResults', 'maxResults', min, max) ?? defaultSize;
    const size = Math.max(1, Math.min(asked, pageCap));
    const offset = decodeToken(text(input, 'NextToken'));
    const next = offset + size < items.length ? `fake-page-${offset + size}` : undefined;
    return { items: items.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
  };

  type Association = Snapshot['Associations'][number];
  type Edge = { sourceArn: string; destinationArn: string; type: Association['AssociationType'] };
  type Neighbour = { neighbour: string; edge: Edge };
  type Walk = { found: Row[]; edges: Row[] };

  // Everything below is derived from the snapshot once, not per request. The arrays are still the
  // snapshot's own: a write (a test extension that pushes an entity or an association) changes
  // their length or identity, which `current()` notices on the next request and rebuilds from,
  // dropping every cached walk — so reads after a write see it, as they did when every request
  // scanned the arrays.
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
  const featureGroups = indexBy(snapshot.FeatureGroups, (f) => [f.FeatureGroupArn, f.FeatureGroupName]);
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
    const walk = boundedWalk(start, maxDepth, (arn) => [
      ...(direction !== 'Descendants' ? (state.upstream.get(arn) ?? none) : none),
      ...(direction !== 'Ascendants' ? (state.downstream.get(arn) ?? none) : none),
    ]);
    const result: Walk = {
      found: [...walk.visited.keys()].map((arn) => state.vertices.get(arn) as Row),
      edges: walk.edges.map((e) => ({ SourceArn: e.sourceArn, DestinationArn: e.destinationArn, AssociationType: e.type })),
    };
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
    const found = walk.found;
    const edges = input['IncludeEdges'] === true ? walk.edges : [];
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

  const handlers: Record<string, Handler> = {
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
      const filters = ((input['SearchExpression'] as Input | undefined)?.['Filters'] ?? []) as Input[];
      const matchesFilters = (row: Row) =>
        filters.every((filter) => {
          const value = String(row[String(filter['Name'])] ?? '');
          const wanted = String(filter['Value'] ?? '');
          if (filter['Operator'] === 'Contains') return value.toLowerCase().includes(wanted.toLowerCase());
          if (filter['Operator'] === undefined || filter['Operator'] === 'Equals') return value === wanted;
          throw validation(`The fake does not support operator ${String(filter['Operator'])}`);
        });
      const rows: { row: Row; result: Row }[] =
        resource === 'Model'
          ? snapshot.Models.map((m) => ({ row: m, result: { Model: { Model: m } } }))
          : resource === 'Endpoint'
            ? snapshot.Endpoints.map((e) => ({ row: e, result: { Endpoint: e } }))
            : [];
      if (rows.length === 0 && resource !== 'Model' && resource !== 'Endpoint') {
        throw validation(`The fake does not search ${String(resource)}`);
      }
      const page = paginate(
        rows.filter(({ row }) => matchesFilters(row)),
        input,
        10,
        100,
      );
      return { Results: page.items.map(({ result }) => result), NextToken: page.NextToken };
    },
  };

  const calls = new Map<string, number>();
  let requestCount = 0;
  const server = createServer((request, response) => {
    // A client that gave up (a timeout test) leaves nothing to answer.
    answer(request, response).catch(() => response.destroy());
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    let status = 200;
    let body: unknown;
    try {
      if (request.method !== 'POST' || request.url !== '/') throw new FakeError('UnknownOperationException', 'POST / only', 404);
      if (request.headers['content-type'] !== 'application/x-amz-json-1.1') {
        throw new FakeError('SerializationException', 'content-type must be application/x-amz-json-1.1');
      }
      if (!String(request.headers['authorization'] ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new FakeError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      const handler = handlers[operation] ?? options.extraHandlers?.[operation];
      if (!handler) throw new FakeError('UnknownOperationException', `The fake does not serve ${target}`);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Input;
      options.onRequest?.(operation, input);
      body = toWireJson(handler(input));
    } catch (error) {
      // A bug in the fake answers 500 with its message, which a test then shows.
      const failure = error instanceof FakeError ? error : new FakeError('InternalFailure', String(error), 500);
      status = failure.status;
      body = { __type: failure.type, message: failure.message };
    }
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    options.onResponse?.(operation);
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `fake-${++requestCount}` });
    response.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    totalCalls: () => [...calls.values()].reduce((sum, count) => sum + count, 0),
    resetCalls: () => calls.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
