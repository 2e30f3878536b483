// The fake SageMaker itself: served either way (nock in-process, a server on loopback) it answers
// the real SageMakerClient like the snapshot it holds, its writes are read back, and its faults
// reach the client as SageMaker's would (throttling retried, 5xx, silence past the timeout).
import { afterEach, describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { BadInput, EntityNotFound, SourceUnavailable, Throttled } from '../../src/lineage/errors.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { ARNS, smallSnapshot } from '../fixtures/sagemaker/small-snapshot.js';
import {
  createFakeSageMaker,
  FakeError,
  nockFakeSageMaker,
  startFakeSageMaker,
  type FakeSageMaker,
  type FakeSageMakerOptions,
  type WireRequest,
} from '../support/fake-sagemaker.js';
import { testAccount, testMarker, testSource } from '../support/sagemaker-nock.js';

/** A signed-looking JSON 1.1 request, for the handler alone. */
const request = (operation: string, body: object, headers: Record<string, string> = {}): WireRequest => ({
  method: 'POST',
  path: '/',
  headers: {
    'x-amz-target': `SageMaker.${operation}`,
    'content-type': 'application/x-amz-json-1.1',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sagemaker/aws4_request',
    ...headers,
  },
  body: JSON.stringify(body),
});

const reference = new SnapshotSource(smallSnapshot(), 'reference');
const throttled = () => new FakeError('ThrottlingException', 'Rate exceeded');

let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe.each([
  ['through nock', nockFakeSageMaker],
  ['on loopback', startFakeSageMaker],
] as const)('the fake SageMaker %s', (_, serve) => {
  const started = async (options: FakeSageMakerOptions = {}) => {
    fake = await serve(smallSnapshot(), options);
    return fake;
  };

  it('answers the real client as the snapshot does', async () => {
    const { url } = await started({ pageSize: 2, repeatVertices: true });
    const source = testSource({ endpoint: url, maxAttempts: 1 });
    const query = { startArn: ARNS.fgArtifact, direction: 'Both' as const, maxDepth: 4 };
    const sortedArns = (result: { vertices: { arn: string }[] }) => result.vertices.map((v) => v.arn).sort();
    expect(sortedArns(await source.queryLineage(query))).toEqual(sortedArns(await reference.queryLineage(query)));
    expect(await source.describeFeatureGroup('customers')).toEqual(await reference.describeFeatureGroup('customers'));
    expect(await source.describeEntity(ARNS.endpoint)).toEqual(await reference.describeEntity(ARNS.endpoint));
    expect(await source.describeModel('nope')).toBeUndefined();
  });

  it('failNext throttles the next calls of one operation, which the SDK retries', async () => {
    const served = await started();
    served.failNext('DescribeModel', 2, throttled());
    expect(await testSource({ endpoint: served.url, maxAttempts: 3 }).describeModel('fraud-model')).toEqual(await reference.describeModel('fraud-model'));
    expect(served.calls.get('DescribeModel')).toBe(3);
    expect(served.requests.map((r) => r.operation)).toEqual(['DescribeModel', 'DescribeModel', 'DescribeModel']);
  });

  it('throttling past the retries is Throttled; a 5xx on every attempt is SourceUnavailable', async () => {
    const served = await started();
    served.failNext('DescribeModel', 2, throttled());
    const throttling = await testSource({ endpoint: served.url, maxAttempts: 2 }).describeModel('fraud-model').catch((e: unknown) => e);
    expect(throttling).toBeInstanceOf(Throttled);
    expect((throttling as Error).message).toBe('SageMaker throttled DescribeModel after 2 attempts');
    served.failNext('DescribeEndpoint', 2, new FakeError('ServiceUnavailable', 'Service unavailable', 503));
    const down = await testSource({ endpoint: served.url, maxAttempts: 2 }).describeEndpoint('fraud-endpoint').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(SourceUnavailable);
    expect((down as Error).message).toBe('SageMaker failed DescribeEndpoint (HTTP 503 ServiceUnavailable)');
    // The faults are used up: the next calls are answered.
    expect((await testSource({ endpoint: served.url, maxAttempts: 1 }).describeEndpoint('fraud-endpoint'))?.name).toBe('fraud-endpoint');
  });

  it('a delay past the client timeout is silence', async () => {
    const served = await started();
    served.failNext('DescribeFeatureGroup', 1, { delayMs: 400 });
    const error = await testSource({ endpoint: served.url, maxAttempts: 1, requestTimeoutMs: 50 }).describeFeatureGroup('customers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('SageMaker did not answer DescribeFeatureGroup in time');
  });

  it('a rule over attempts: every first sending throttled, concurrent requests each answered on their retry', async () => {
    const served = await started({ fault: ({ attempt }) => (attempt === 1 ? throttled() : undefined) });
    const source = testSource({ endpoint: served.url, maxAttempts: 2 });
    const [model, endpoint, group] = await Promise.all([source.describeModel('fraud-model'), source.describeEndpoint('fraud-endpoint'), source.describeFeatureGroup('customers')]);
    expect(model).toEqual(await reference.describeModel('fraud-model'));
    expect(endpoint).toEqual(await reference.describeEndpoint('fraud-endpoint'));
    expect(group).toEqual(await reference.describeFeatureGroup('customers'));
    expect(Object.fromEntries(served.calls)).toEqual({ DescribeModel: 2, DescribeEndpoint: 2, DescribeFeatureGroup: 2 });
  });

  it('writes change what later reads see; only accepted writes are logged', async () => {
    const served = await started();
    const account = testAccount({ endpoint: served.url, maxAttempts: 1 });
    const arn = await account.createArtifact({ name: 'fg-orders', type: 'FeatureGroup', sourceUri: `${ARNS.featureGroup}-orders`, properties: { Owner: 'team' } });
    expect(arn).toBe('arn:aws:sagemaker:us-east-1:111122223333:artifact/00000000000000000000000000000001');
    await account.addAssociation(arn, ARNS.trainingSet, 'ContributedTo');
    await expect(account.addAssociation(arn, ARNS.trainingSet, 'ContributedTo')).rejects.toThrow(/already exists/);
    await account.setArtifactProperties(arn, { Owner: 'other-team' });
    expect(await account.describeEntity(arn)).toMatchObject({ arn, name: 'fg-orders', type: 'FeatureGroup', properties: { Owner: 'other-team' } });
    expect((await account.associationsInto(ARNS.trainingSet)).map((a) => a.sourceArn)).toContain(arn);
    expect(served.writes.map((w) => w.operation)).toEqual(['CreateArtifact', 'AddAssociation', 'UpdateArtifact']);
  });
});

describe('the handler alone', () => {
  const error = (reply: { status: number; body: unknown }) => [reply.status, (reply.body as { __type: string }).__type];

  it('refuses what SageMaker refuses before reading the body', () => {
    const fake = createFakeSageMaker(smallSnapshot());
    expect(error(fake.answer(request('DescribeModel', { ModelName: 'fraud-model' }, { authorization: '' })))).toEqual([403, 'MissingAuthenticationTokenException']);
    expect(error(fake.answer(request('DescribeModel', {}, { 'content-type': 'application/json' })))).toEqual([400, 'SerializationException']);
    expect(error(fake.answer({ ...request('DescribeModel', {}), path: '/models' }))).toEqual([404, 'UnknownOperationException']);
    expect(error(fake.answer(request('DeleteArtifact', {})))).toEqual([400, 'UnknownOperationException']);
    expect(fake.requests).toEqual([]); // none got as far as being read
  });

  it('enforces the QueryLineage limits that shape the adapter', () => {
    const fake = createFakeSageMaker(smallSnapshot());
    const query = (body: object) => fake.answer(request('QueryLineage', { StartArns: [ARNS.raw], ...body }));
    expect(error(query({ StartArns: [ARNS.raw, ARNS.model] }))).toEqual([400, 'ValidationException']);
    expect(error(query({ MaxDepth: 11 }))).toEqual([400, 'ValidationException']);
    expect(error(query({ MaxResults: 51 }))).toEqual([400, 'ValidationException']);
    expect(query({ MaxDepth: 10, MaxResults: 50 }).status).toBe(200);
    expect(query({ StartArns: [`${ARNS.raw}-unknown`] }).body).toEqual({ Vertices: [], Edges: [] });
  });

  it('validates writes as SageMaker does, and logs none of the refused ones', () => {
    const fake = createFakeSageMaker(smallSnapshot());
    const create = (body: object) => fake.answer(request('CreateArtifact', { ArtifactType: 'DataSet', Source: { SourceUri: 's3://b/k' }, ...body }));
    expect(error(create({ ArtifactName: 'no_underscores' }))).toEqual([400, 'ValidationException']);
    expect(error(create({ Properties: { big: 'x'.repeat(4097) } }))).toEqual([400, 'ValidationException']);
    expect(error(fake.answer(request('AddAssociation', { SourceArn: ARNS.raw, DestinationArn: `${ARNS.raw}-gone` })))).toEqual([400, 'ResourceNotFound']);
    expect(error(fake.answer(request('AddAssociation', { SourceArn: ARNS.raw, DestinationArn: ARNS.feJob })))).toEqual([400, 'ValidationException']);
    expect(error(fake.answer(request('UpdateArtifact', { ArtifactArn: `${ARNS.raw}-gone` })))).toEqual([400, 'ResourceNotFound']);
    expect(fake.writes).toEqual([]);
    expect(fake.snapshot.Artifacts).toHaveLength(smallSnapshot().Artifacts.length);
  });
});

describe('QueryLineage filters choose the results, not the walk', () => {
  const snapshot = demoSnapshot();
  const fake = createFakeSageMaker(snapshot);
  type Vertex = { Arn: string; Type?: string; LineageType: string };
  type Edge = { SourceArn: string; DestinationArn: string; AssociationType: string };
  const entities = new Map<string, Record<string, unknown>>([
    ...snapshot.Artifacts.map((a) => [a.ArtifactArn, a] as const),
    ...snapshot.Contexts.map((c) => [c.ContextArn, c] as const),
    ...snapshot.Actions.map((a) => [a.ActionArn, a] as const),
    ...snapshot.TrialComponents.map((t) => [t.TrialComponentArn, t] as const),
  ]);
  const seconds = (at: unknown) => (at instanceof Date ? at.getTime() / 1000 : undefined);
  const times = [...entities.values()].map((e) => seconds(e['CreationTime']) as number).sort((a, b) => a - b);
  const middle = times[Math.floor(times.length / 2)] as number;
  const [property, value] = Object.entries(snapshot.Artifacts.find((a) => Object.keys(a.Properties).length > 0)?.Properties ?? {})[0] as [string, string];

  /** What the API reference says each filter keeps, written out on its own. */
  const FILTERS: { filters: Record<string, unknown>; keeps: (vertex: Vertex, entity: Record<string, unknown>) => boolean }[] = [
    { filters: { Types: ['Endpoint', 'FeatureGroup'] }, keeps: (v) => v.Type === 'Endpoint' || v.Type === 'FeatureGroup' },
    { filters: { LineageTypes: ['Context', 'TrialComponent'] }, keeps: (v) => v.LineageType === 'Context' || v.LineageType === 'TrialComponent' },
    // Any of the pairs: an entity holding the first pair matches though nothing holds the second.
    { filters: { Properties: { [property]: value, Nobody: 'has this' } }, keeps: (_, e) => (e['Properties'] as Record<string, string> | undefined)?.[property] === value },
    { filters: { CreatedAfter: middle }, keeps: (_, e) => (seconds(e['CreationTime']) ?? -Infinity) > middle },
    // Never modified: the creation time is the last modification.
    { filters: { ModifiedBefore: middle }, keeps: (_, e) => (seconds(e['CreationTime']) ?? Infinity) < middle },
    { filters: { LineageTypes: ['Artifact'], Types: ['DataSet'], CreatedBefore: middle + 1 }, keeps: (v, e) => v.LineageType === 'Artifact' && v.Type === 'DataSet' && (seconds(e['CreationTime']) ?? Infinity) < middle + 1 },
  ];

  /** Every page of one query, straight from the handler. */
  function query(body: Record<string, unknown>): { vertices: Vertex[]; edges: Edge[] } {
    const vertices: Vertex[] = [];
    const edges: Edge[] = [];
    let token: string | undefined;
    do {
      const reply = fake.answer(request('QueryLineage', { MaxResults: 50, ...body, ...(token ? { NextToken: token } : {}) }));
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const page = reply.body as { Vertices: Vertex[]; Edges: Edge[]; NextToken?: string };
      vertices.push(...page.Vertices);
      edges.push(...page.Edges);
      token = page.NextToken;
    } while (token);
    return { vertices, edges };
  }

  const queries = [...entities.keys()].flatMap((start) =>
    (['Ascendants', 'Descendants', 'Both'] as const).flatMap((direction) => [1, 4, 10].map((depth) => ({ StartArns: [start], Direction: direction, MaxDepth: depth }))),
  );

  it.each(FILTERS)('$filters: the unfiltered results, filtered', ({ filters, keeps }) => {
    let beyondLeftOut = 0;
    for (const body of queries) {
      const all = query(body).vertices;
      const filtered = query({ ...body, Filters: filters });
      expect(filtered.vertices, JSON.stringify(body)).toEqual(all.filter((v) => keeps(v, entities.get(v.Arn) ?? {})));
      expect(filtered.edges).toEqual([]);
      if (filtered.vertices.length > 0 && all.some((v) => !keeps(v, entities.get(v.Arn) ?? {}) && v.Arn !== body.StartArns[0])) beyondLeftOut++;
    }
    // The walk went through entities the filter leaves out, and found matches past them.
    expect(beyondLeftOut).toBeGreaterThan(0);
  });

  it.each(FILTERS)('$filters with IncludeEdges: every match, with the entities and associations on its path from the start', ({ filters, keeps }) => {
    for (const body of queries) {
      const all = query({ ...body, IncludeEdges: true });
      const filtered = query({ ...body, IncludeEdges: true, Filters: filters });
      const returned = new Set(filtered.vertices.map((v) => v.Arn));
      const edgeKey = (e: Edge) => `${e.SourceArn} ${e.DestinationArn} ${e.AssociationType}`;
      const walked = new Set(all.edges.map(edgeKey));
      for (const match of all.vertices.filter((v) => keeps(v, entities.get(v.Arn) ?? {}))) expect(returned.has(match.Arn)).toBe(true);
      expect(filtered.vertices.every((v) => all.vertices.some((w) => w.Arn === v.Arn))).toBe(true);
      expect(filtered.edges.every((e) => walked.has(edgeKey(e)))).toBe(true);
      // From the start, the returned associations (in the walk's direction) reach every returned entity.
      const reached = new Set(filtered.vertices.length > 0 ? [body.StartArns[0]] : []);
      for (let grew = true; grew; ) {
        grew = false;
        for (const e of filtered.edges) {
          const steps: [string, string][] = [];
          if (body.Direction !== 'Ascendants') steps.push([e.SourceArn, e.DestinationArn]);
          if (body.Direction !== 'Descendants') steps.push([e.DestinationArn, e.SourceArn]);
          for (const [from, to] of steps) {
            if (reached.has(from) && !reached.has(to)) {
              reached.add(to);
              grew = true;
            }
          }
        }
      }
      expect([...reached].sort(), JSON.stringify(body)).toEqual([...returned].sort());
    }
  });

  it('refuses filters SageMaker refuses', () => {
    const status = (filters: object) => fake.answer(request('QueryLineage', { StartArns: [snapshot.Artifacts[0]?.ArtifactArn], Filters: filters })).status;
    expect(status({ Types: ['a', 'b', 'c', 'd', 'e', 'f'] })).toBe(400);
    expect(status({ LineageTypes: ['Endpoint'] })).toBe(400);
    expect(status({ Properties: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } })).toBe(400);
    expect(status({ CreatedAfter: 'yesterday' })).toBe(400);
    expect(status({ Types: [] })).toBe(200);
  });
});

describe('Search by tag and name, as App Home and the shortcut ask it', () => {
  const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';
  const search = (fake: ReturnType<typeof createFakeSageMaker>, body: object) => fake.answer(request('Search', body));
  const equals = (Name: string, Value: string) => ({ Name, Operator: 'Equals', Value });

  it('filters on Tags.<key> by the resource ARN, ORs filters when asked, and returns each record with its tags', () => {
    const fake = createFakeSageMaker(demoSnapshot());
    const reply = search(fake, {
      Resource: 'Model',
      SearchExpression: { Operator: 'Or', Filters: [equals('Tags.owner', 'U04CHURN01'), equals('Tags.owner', 'ana.silva@example.com')] },
    });
    const results = (reply.body as { Results: { Model: { Model: { ModelName: string; Tags?: unknown } } }[] }).Results;
    expect(results.map((r) => r.Model.Model.ModelName).sort()).toEqual(['churn-predictor', 'fraud-detector']);
    expect(results.find((r) => r.Model.Model.ModelName === 'churn-predictor')?.Model.Model.Tags).toEqual([
      { Key: 'owner', Value: 'U04CHURN01' },
      { Key: 'team', Value: 'retention' },
    ]);
    // Without Operator Or, filters are ANDed: no model has both owners.
    const both = search(fake, { Resource: 'Model', SearchExpression: { Filters: [equals('Tags.owner', 'U04CHURN01'), equals('Tags.owner', 'ana.silva@example.com')] } });
    expect((both.body as { Results: unknown[] }).Results).toEqual([]);
    // Equals on a tag is exact, as in SageMaker.
    const cased = search(fake, { Resource: 'Endpoint', SearchExpression: { Filters: [equals('Tags.owner', 'Ana.Silva@example.com')] } });
    expect((cased.body as { Results: unknown[] }).Results).toEqual([]);
  });

  it('searches feature groups by exact name, with their tags', () => {
    const fake = createFakeSageMaker(demoSnapshot());
    const reply = search(fake, { Resource: 'FeatureGroup', SearchExpression: { Operator: 'Or', Filters: [equals('FeatureGroupName', 'claims-v2')] } });
    expect(reply.body).toMatchObject({
      Results: [{ FeatureGroup: { FeatureGroupName: 'claims-v2', FeatureGroupArn: `${ARN}:feature-group/claims-v2`, Tags: expect.arrayContaining([{ Key: 'owner', Value: 'U04CLAIMS2' }]) } }],
    });
  });

  it('refuses more than 20 filters, as SageMaker does', () => {
    const fake = createFakeSageMaker(demoSnapshot());
    const filters = Array.from({ length: 21 }, (_, i) => equals('ModelName', `m${i}`));
    const reply = search(fake, { Resource: 'Model', SearchExpression: { Operator: 'Or', Filters: filters } });
    expect([reply.status, (reply.body as { __type: string }).__type]).toEqual([400, 'ValidationException']);
  });
});

describe("write-back's writes, through the real client", () => {
  it('AddTags replaces tags of the same keys and keeps the others; UpdateFeatureMetadata holds the parameters', async () => {
    fake = await nockFakeSageMaker(smallSnapshot());
    const marker = testMarker({ maxAttempts: 1 });
    await marker.tagFeatureGroup(ARNS.featureGroup, { 'lineage-bot:deprecated': 'false', team: 'platform' });
    await marker.tagFeatureGroup(ARNS.featureGroup, { 'lineage-bot:deprecated': 'true', 'lineage-bot:replacement': 'customers-v2' });
    expect(await testSource({ maxAttempts: 1 }).listTags(ARNS.featureGroup)).toMatchObject({ 'lineage-bot:deprecated': 'true', 'lineage-bot:replacement': 'customers-v2', team: 'platform' });
    await marker.setFeatureParameters('customers', 'customer_id', { 'lineage-bot:deprecated': 'true' });
    expect(fake.featureMetadata.get('customers.customer_id')).toEqual({ parameters: { 'lineage-bot:deprecated': 'true' } });
    expect(fake.writes.map((w) => w.operation)).toEqual(['AddTags', 'AddTags', 'UpdateFeatureMetadata']);
  });

  it('refusals that cannot pass come back as errors the outbox gives up on; throttling as one it retries', async () => {
    fake = await nockFakeSageMaker(smallSnapshot());
    const marker = testMarker({ maxAttempts: 1 });
    // A value with < (which AWS tags refuse): a ValidationException, so BadInput.
    await expect(marker.tagFeatureGroup(ARNS.featureGroup, { note: '<b>' })).rejects.toBeInstanceOf(BadInput);
    await expect(marker.tagFeatureGroup(`${ARNS.featureGroup}-gone`, { a: 'b' })).rejects.toBeInstanceOf(EntityNotFound);
    await expect(marker.setFeatureParameters('customers', 'no_such_feature', { a: 'b' })).rejects.toBeInstanceOf(EntityNotFound);
    // Feature parameter values refuse @, which tag values allow.
    await expect(marker.setFeatureParameters('customers', 'customer_id', { owner: 'a@example.com' })).rejects.toBeInstanceOf(BadInput);
    fake.failNext('AddTags', 1, new FakeError('AccessDeniedException', 'not authorized to perform: sagemaker:AddTags', 400));
    await expect(marker.tagFeatureGroup(ARNS.featureGroup, { a: 'b' })).rejects.toMatchObject({ code: 'NotAuthorized', permission: 'sagemaker:AddTags' });
    fake.failNext('AddTags', 1, throttled());
    await expect(marker.tagFeatureGroup(ARNS.featureGroup, { a: 'b' })).rejects.toBeInstanceOf(Throttled);
    fake.failNext('UpdateFeatureMetadata', 1, new FakeError('InternalFailure', 'We encountered an internal error', 500));
    await expect(marker.setFeatureParameters('customers', 'customer_id', { a: 'b' })).rejects.toBeInstanceOf(SourceUnavailable);
    expect(fake.writes).toEqual([]);
  });
});
