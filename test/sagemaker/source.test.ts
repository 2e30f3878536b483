// The SageMaker adapter against the real SageMakerClient: nock answers at the HTTP level with
// bodies in the official shapes, so serialisation, signing, retries and error mapping all run.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpMock } from '../support/http-mock.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotAuthorized, SourceUnavailable, Throttled } from '../../src/lineage/errors.js';
import { boundedWalk } from '../../src/lineage/graph.js';
import type { Association, Direction, LineageQueryResult } from '../../src/lineage/lineage-source.js';
import { loadConfig } from '../../src/config.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { createFanOutClient, createSageMakerClient, SageMakerCalls } from '../../src/lineage/sources/sagemaker-client.js';
import { SAGEMAKER_MAX_DEPTH } from '../../src/lineage/sources/sagemaker-walk.js';
import { parseSnapshot, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { ARNS, CHAIN_LENGTH, chainArn, smallSnapshot } from '../fixtures/sagemaker/small-snapshot.js';
import { createFakeSageMaker, nockFakeSageMaker, serveThroughNock, startFakeSageMaker, type SageMakerFake } from '../support/fake-sagemaker.js';
import { awsError, FAKE_CREDENTIALS, fixture, JSON_11, sagemaker, testSource } from '../support/sagemaker-nock.js';


const ACCOUNT = 'arn:aws:sagemaker:us-east-1:111122223333';
const FG_ARN = `${ACCOUNT}:feature-group/customers`;
const ENDPOINT_ARN = `${ACCOUNT}:endpoint/fraud-detector-prod`;
const link = (index: number) => `${ACCOUNT}:artifact/link-${index}`;

type Body = Record<string, unknown>;

/** Vertices and edges sorted, so results from different walks compare regardless of order. */
function normalised(result: LineageQueryResult) {
  const edgeKey = (e: Association) => `${e.sourceArn} ${e.destinationArn} ${e.type}`;
  return {
    vertices: [...result.vertices].sort((a, b) => a.arn.localeCompare(b.arn)),
    edges: [...result.edges].sort((a, b) => edgeKey(a).localeCompare(edgeKey(b))),
    depthExceeded: result.depthExceeded,
  };
}

/** An account of "Link" artifacts joined by `edges`, for the fake SageMaker. */
function linkAccount(edges: readonly Association[]): Snapshot {
  const arns = [...new Set(edges.flatMap((e) => [e.sourceArn, e.destinationArn]))];
  return parseSnapshot(
    {
      FormatVersion: 1,
      Artifacts: arns.map((arn) => ({ ArtifactArn: arn, ArtifactType: 'Link', Source: { SourceUri: `s3://links/${arn.split('/').pop()}` } })),
      Associations: edges.map((e) => ({ SourceArn: e.sourceArn, DestinationArn: e.destinationArn, AssociationType: e.type })),
    },
    'link account',
  );
}

/** The QueryLineage request bodies `fake` was sent; any other call fails the test, as an unmocked one would. */
function lineageRequests(fake: SageMakerFake): Body[] {
  expect(fake.requests.filter((r) => r.operation !== 'QueryLineage')).toEqual([]);
  return fake.requests.map((r) => r.body);
}

/** link-0 → link-1 → … → link-`hops`. */
function chain(hops: number): Association[] {
  return Array.from({ length: hops }, (_, i) => ({ sourceArn: link(i), destinationArn: link(i + 1), type: 'DerivedFrom' as const }));
}

describe('resolution calls', () => {
  it('describeFeatureGroup follows NextToken through the feature definitions and concatenates them', async () => {
    sagemaker('DescribeFeatureGroup', { FeatureGroupName: 'customers' }).reply(200, fixture('describe-feature-group-page-1.json'), JSON_11);
    sagemaker('DescribeFeatureGroup', { FeatureGroupName: 'customers', NextToken: 'features-page-2' }).reply(
      200,
      fixture('describe-feature-group-page-2.json'),
      JSON_11,
    );
    const group = await testSource().describeFeatureGroup('customers');
    expect(group).toEqual({
      arn: FG_ARN,
      name: 'customers',
      recordIdentifierFeatureName: 'customer_id',
      eventTimeFeatureName: 'event_time',
      features: [
        { name: 'customer_id', type: 'Integral' },
        { name: 'event_time', type: 'Fractional' },
        { name: 'age', type: 'Integral' },
        { name: 'region', type: 'String' },
      ],
      status: 'Created',
      description: 'Customer profile features',
      offlineStore: {
        s3Uri: 's3://demo-ml-lake/offline-store',
        resolvedS3Uri: 's3://demo-ml-lake/offline-store/111122223333/sagemaker/us-east-1/offline-store/customers-1761958800/data',
        tableName: 'customers_1761958800',
        database: 'sagemaker_featurestore',
        catalog: 'AwsDataCatalog',
      },
      creationTime: new Date(1761958800123),
    });
  });

  it('describeFeatureGroup accepts an ARN and reads ResourceNotFound as undefined', async () => {
    sagemaker('DescribeFeatureGroup', { FeatureGroupName: `${ACCOUNT}:feature-group/nope` }).reply(
      400,
      awsError('ResourceNotFound', "Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name nope"),
      JSON_11,
    );
    expect(await testSource().describeFeatureGroup(`${ACCOUNT}:feature-group/nope`)).toBeUndefined();
  });

  it('describeModel reads every container, by name or by ARN', async () => {
    sagemaker('DescribeModel', { ModelName: 'fraud-detector' }).times(2).reply(200, fixture('describe-model.json'), JSON_11);
    const source = testSource();
    const model = await source.describeModel('fraud-detector');
    expect(model).toEqual({
      arn: `${ACCOUNT}:model/fraud-detector`,
      name: 'fraud-detector',
      modelDataUrls: ['s3://demo-ml-lake/models/fraud-detector/output/model.tar.gz'],
      modelPackageNames: [],
      image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      creationTime: new Date(1762045200_000),
    });
    expect(await source.describeModel(`${ACCOUNT}:model/fraud-detector`)).toEqual(model);
  });

  it('describeModel and describeEndpoint read "Could not find" ValidationExceptions as undefined', async () => {
    sagemaker('DescribeModel').reply(400, awsError('ValidationException', `Could not find model "${ACCOUNT}:model/gone".`), JSON_11);
    sagemaker('DescribeEndpoint').reply(400, awsError('ValidationException', 'Could not find endpoint "gone".'), JSON_11);
    const source = testSource();
    expect(await source.describeModel('gone')).toBeUndefined();
    expect(await source.describeEndpoint('gone')).toBeUndefined();
  });

  it('names that SageMaker could never hold are not looked up', async () => {
    const source = testSource();
    expect(await source.describeModel('not a name!')).toBeUndefined();
    expect(await source.describeEndpoint(`${ACCOUNT}:model/fraud-detector`)).toBeUndefined();
    expect(await source.describeFeatureGroup('customers.age')).toBeUndefined();
  });

  it('describeEndpoint', async () => {
    sagemaker('DescribeEndpoint', { EndpointName: 'fraud-detector-prod' }).reply(200, fixture('describe-endpoint.json'), JSON_11);
    expect(await testSource().describeEndpoint('fraud-detector-prod')).toEqual({
      arn: ENDPOINT_ARN,
      name: 'fraud-detector-prod',
      status: 'InService',
      endpointConfigName: 'fraud-detector-prod-config',
      creationTime: new Date(1762819200_000),
      lastModifiedTime: new Date(1762819800_500),
    });
  });

  it('listEntities finds the fg- artifact by SourceUri and describes it for its properties', async () => {
    const summary = fixture('list-artifacts-fg.json');
    sagemaker('ListArtifacts', { SourceUri: FG_ARN, ArtifactType: 'FeatureGroup', MaxResults: 100 }).reply(
      200,
      { ...summary, NextToken: 'next' },
      JSON_11,
    );
    sagemaker('ListArtifacts', { SourceUri: FG_ARN, ArtifactType: 'FeatureGroup', MaxResults: 100, NextToken: 'next' }).reply(
      200,
      { ArtifactSummaries: [] },
      JSON_11,
    );
    const artifact = fixture('describe-artifact-fg.json');
    sagemaker('DescribeArtifact', { ArtifactArn: artifact['ArtifactArn'] }).reply(200, artifact, JSON_11);
    const entities = await testSource().listEntities({ lineageType: 'Artifact', type: 'FeatureGroup', sourceUri: FG_ARN });
    expect(entities).toEqual([
      {
        arn: artifact['ArtifactArn'],
        name: 'fg-customers',
        lineageType: 'Artifact',
        type: 'FeatureGroup',
        sourceUri: FG_ARN,
        properties: { pipeline: 'fraud-feature-pipeline' },
        creationTime: new Date(1761958800_000),
      },
    ]);
  });

  it('listEntities without properties answers from the list summaries alone: no describe call', async () => {
    const summary = fixture('list-artifacts-fg.json');
    sagemaker('ListArtifacts', { SourceUri: FG_ARN, MaxResults: 100 }).reply(200, summary, JSON_11);
    // No DescribeArtifact is mocked: the harness fails the test if one is made.
    const entities = await testSource().listEntities({ lineageType: 'Artifact', sourceUri: FG_ARN }, { withProperties: false });
    expect(entities).toEqual([{ arn: expect.stringContaining(':artifact/'), name: 'fg-customers', lineageType: 'Artifact', type: 'FeatureGroup', sourceUri: FG_ARN, properties: {} }]);
  });

  it('listEntities for FeatureGroupPipeline contexts, Model artifacts and Endpoint contexts sends each filter', async () => {
    sagemaker('ListContexts', { SourceUri: FG_ARN, ContextType: 'FeatureGroupPipeline' }).reply(200, { ContextSummaries: [] }, JSON_11);
    const modelUri = 's3://demo-ml-lake/models/fraud-detector/output/model.tar.gz';
    sagemaker('ListArtifacts', { SourceUri: modelUri, ArtifactType: 'Model' }).reply(200, { ArtifactSummaries: [] }, JSON_11);
    const context = fixture('describe-context-endpoint.json');
    sagemaker('ListContexts', { SourceUri: ENDPOINT_ARN, ContextType: 'Endpoint' }).reply(
      200,
      { ContextSummaries: [{ ContextArn: context['ContextArn'], ContextName: context['ContextName'], ContextType: 'Endpoint' }] },
      JSON_11,
    );
    sagemaker('DescribeContext', { ContextName: context['ContextArn'] }).reply(200, context, JSON_11);
    const source = testSource();
    expect(await source.listEntities({ lineageType: 'Context', type: 'FeatureGroupPipeline', sourceUri: FG_ARN })).toEqual([]);
    expect(await source.listEntities({ lineageType: 'Artifact', type: 'Model', sourceUri: modelUri })).toEqual([]);
    const [endpoint] = await source.listEntities({ lineageType: 'Context', type: 'Endpoint', sourceUri: ENDPOINT_ARN });
    expect(endpoint).toMatchObject({ lineageType: 'Context', type: 'Endpoint', sourceUri: ENDPOINT_ARN, sourceType: 'ARN' });
  });

  it('describeEntity picks the Describe* call from the ARN and passes the ARN as the name', async () => {
    const artifact = fixture('describe-artifact-fg.json');
    const context = fixture('describe-context-endpoint.json');
    const action = fixture('describe-action.json');
    const trial = fixture('describe-trial-component.json');
    sagemaker('DescribeArtifact', { ArtifactArn: artifact['ArtifactArn'] }).reply(200, artifact, JSON_11);
    sagemaker('DescribeContext', { ContextName: context['ContextArn'] }).reply(200, context, JSON_11);
    sagemaker('DescribeAction', { ActionName: action['ActionArn'] }).reply(200, action, JSON_11);
    sagemaker('DescribeTrialComponent', { TrialComponentName: trial['TrialComponentArn'] }).reply(200, trial, JSON_11);
    const source = testSource();
    expect(await source.describeEntity(artifact['ArtifactArn'] as string)).toMatchObject({ lineageType: 'Artifact', type: 'FeatureGroup' });
    expect(await source.describeEntity(context['ContextArn'] as string)).toMatchObject({ lineageType: 'Context', type: 'Endpoint' });
    expect(await source.describeEntity(action['ActionArn'] as string)).toEqual({
      arn: action['ActionArn'],
      name: 'fraud-detector-prod-1762819200-aws-model-deployment',
      lineageType: 'Action',
      type: 'ModelDeployment',
      sourceUri: ENDPOINT_ARN,
      sourceType: 'ARN',
      properties: { EndpointConfigName: 'fraud-detector-prod-config' },
      creationTime: new Date(1762819200_000),
    });
    expect(await source.describeEntity(trial['TrialComponentArn'] as string)).toEqual({
      arn: trial['TrialComponentArn'],
      name: 'fraud-detector-training-aws-training-job',
      lineageType: 'TrialComponent',
      type: 'SageMakerTrainingJob',
      sourceUri: `${ACCOUNT}:training-job/fraud-detector-training`,
      properties: {},
      creationTime: new Date(1762041600_000),
    });
  });

  it('describeEntity: ResourceNotFound and non-lineage ARNs are undefined', async () => {
    sagemaker('DescribeArtifact').reply(400, awsError('ResourceNotFound', 'Artifact does not exist'), JSON_11);
    const source = testSource();
    expect(await source.describeEntity(`${ACCOUNT}:artifact/0000`)).toBeUndefined();
    expect(await source.describeEntity(`${ACCOUNT}:model/fraud-detector`)).toBeUndefined(); // no call
    expect(await source.describeEntity('not-an-arn')).toBeUndefined();
  });

  it('listTags follows every page', async () => {
    sagemaker('ListTags', { ResourceArn: ENDPOINT_ARN }).reply(200, { Tags: [{ Key: 'owner', Value: 'fraud-team' }], NextToken: 't2' }, JSON_11);
    sagemaker('ListTags', { ResourceArn: ENDPOINT_ARN, NextToken: 't2' }).reply(200, { Tags: [{ Key: 'team', Value: 'risk' }] }, JSON_11);
    expect(await testSource().listTags(ENDPOINT_ARN)).toEqual({ owner: 'fraud-team', team: 'risk' });
  });

  it('searchResources: ListFeatureGroups NameContains, Search on ModelName and EndpointName, capped at the limit', async () => {
    sagemaker('ListFeatureGroups', { NameContains: 'fraud', SortBy: 'Name', SortOrder: 'Ascending' }).reply(
      200,
      {
        FeatureGroupSummaries: [{ FeatureGroupName: 'fraud-claims', FeatureGroupArn: `${ACCOUNT}:feature-group/fraud-claims`, CreationTime: 1 }],
      },
      JSON_11,
    );
    const byModelName = { Filters: [{ Name: 'ModelName', Operator: 'Contains', Value: 'fraud' }] };
    sagemaker('Search', { Resource: 'Model', SearchExpression: byModelName }).reply(
      200,
      {
        Results: [
          { Model: { Model: { ModelName: 'fraud-detector', ModelArn: `${ACCOUNT}:model/fraud-detector` } } },
          { Model: { Model: { ModelName: 'fraud-backup', ModelArn: `${ACCOUNT}:model/fraud-backup` } } },
        ],
        NextToken: 'more-that-is-not-needed',
      },
      JSON_11,
    );
    sagemaker('Search', (body) => body['Resource'] === 'Endpoint').reply(
      200,
      { Results: [{ Endpoint: { EndpointName: 'fraud-detector-prod', EndpointArn: ENDPOINT_ARN, EndpointStatus: 'InService' } }] },
      JSON_11,
    );
    const hits = await testSource().searchResources('fraud', ['FeatureGroup', 'Model', 'Endpoint'], 2);
    expect(hits).toEqual([
      { kind: 'FeatureGroup', name: 'fraud-claims', arn: `${ACCOUNT}:feature-group/fraud-claims` },
      { kind: 'Model', name: 'fraud-backup', arn: `${ACCOUNT}:model/fraud-backup` },
      { kind: 'Model', name: 'fraud-detector', arn: `${ACCOUNT}:model/fraud-detector` },
      { kind: 'Endpoint', name: 'fraud-detector-prod', arn: ENDPOINT_ARN },
    ]);
  });
});

describe('queryLineage', () => {
  it('follows every page, deduplicates repeated vertices, asks for one hop more than needed', async () => {
    const [a, b, c] = [link(0), link(1), link(2)];
    const requests: Body[] = [];
    const record = (body: Body) => (requests.push(body), true);
    sagemaker('QueryLineage', (body) => body['NextToken'] === undefined && record(body)).reply(
      200,
      {
        Vertices: [
          { Arn: a, Type: 'DataSet', LineageType: 'Artifact' },
          { Arn: b, Type: 'Link', LineageType: 'Artifact' },
        ],
        Edges: [{ SourceArn: a, DestinationArn: b, AssociationType: 'ContributedTo' }],
        NextToken: 'page-2',
      },
      JSON_11,
    );
    sagemaker('QueryLineage', (body) => body['NextToken'] === 'page-2' && record(body)).reply(
      200,
      {
        Vertices: [
          { Arn: b, Type: 'Link', LineageType: 'Artifact' },
          { Arn: c, Type: 'Link', LineageType: 'Artifact' },
        ],
        Edges: [
          { SourceArn: a, DestinationArn: b, AssociationType: 'ContributedTo' },
          { SourceArn: b, DestinationArn: c, AssociationType: 'DerivedFrom' },
        ],
      },
      JSON_11,
    );
    const result = await testSource().queryLineage({ startArn: a, direction: 'Descendants', maxDepth: 3 });
    expect(requests).toEqual([
      { StartArns: [a], Direction: 'Descendants', IncludeEdges: true, MaxDepth: 4, MaxResults: 50 },
      { StartArns: [a], Direction: 'Descendants', IncludeEdges: true, MaxDepth: 4, MaxResults: 50, NextToken: 'page-2' },
    ]);
    expect(result).toEqual({
      vertices: [
        { arn: a, lineageType: 'Artifact', type: 'DataSet' },
        { arn: b, lineageType: 'Artifact', type: 'Link' },
        { arn: c, lineageType: 'Artifact', type: 'Link' },
      ],
      edges: [
        { sourceArn: a, destinationArn: b, type: 'ContributedTo' },
        { sourceArn: b, destinationArn: c, type: 'DerivedFrom' },
      ],
      depthExceeded: false,
    });
  });

  it.each([
    // maxDepth → QueryLineage calls (each MaxDepth ≤ 10), vertices returned, depthExceeded, over a 25-hop chain
    { maxDepth: 25, calls: [10, 10, 6], vertices: 26, depthExceeded: false },
    { maxDepth: 24, calls: [10, 10, 5], vertices: 25, depthExceeded: true },
    { maxDepth: 30, calls: [10, 10, 10], vertices: 26, depthExceeded: false },
    { maxDepth: 10, calls: [10, 1], vertices: 11, depthExceeded: true },
    { maxDepth: 9, calls: [10], vertices: 10, depthExceeded: true },
    { maxDepth: 0, calls: [1], vertices: 1, depthExceeded: true },
  ])('continues a 25-hop chain from the frontier: maxDepth $maxDepth', async ({ maxDepth, calls, vertices, depthExceeded }) => {
    const fake = await nockFakeSageMaker(linkAccount(chain(25)));
    const result = await testSource().queryLineage({ startArn: link(0), direction: 'Descendants', maxDepth });
    const requests = lineageRequests(fake);
    expect(requests.map((r) => r['MaxDepth'])).toEqual(calls);
    expect(requests.map((r) => r['StartArns'])).toEqual(calls.map((_, i) => [link(i * SAGEMAKER_MAX_DEPTH)]));
    expect(result.vertices.map((v) => v.arn)).toEqual(Array.from({ length: vertices }, (_, i) => link(i)));
    expect(result.edges).toHaveLength(vertices - 1);
    expect(result.depthExceeded).toBe(depthExceeded);
  });

  it('continues from every frontier vertex, concurrently, and matches boundedWalk exactly', async () => {
    // Two branches from link-0 that rejoin at depth 12, and one that goes on to depth 14, walked Both ways.
    const branch = (base: number) =>
      Array.from({ length: 11 }, (_, i) => ({
        sourceArn: i === 0 ? link(0) : link(base + i - 1),
        destinationArn: link(base + i),
        type: 'DerivedFrom' as const,
      }));
    const edges: Association[] = [
      ...branch(100),
      ...branch(200),
      { sourceArn: link(110), destinationArn: link(300), type: 'ContributedTo' },
      { sourceArn: link(210), destinationArn: link(300), type: 'ContributedTo' },
      { sourceArn: link(301), destinationArn: link(300), type: 'Produced' },
      { sourceArn: link(301), destinationArn: link(302), type: 'Produced' },
    ];
    const expected = (maxDepth: number) =>
      normalised(
        (() => {
          const walk = boundedWalk(link(0), maxDepth, (arn) => [
            ...edges.filter((e) => e.destinationArn === arn).map((edge) => ({ neighbour: edge.sourceArn, edge })),
            ...edges.filter((e) => e.sourceArn === arn).map((edge) => ({ neighbour: edge.destinationArn, edge })),
          ]);
          return {
            vertices: [...walk.visited.keys()].map((arn) => ({ arn, lineageType: 'Artifact' as const, type: 'Link' })),
            edges: walk.edges,
            depthExceeded: walk.depthExceeded,
          };
        })(),
      );
    for (const maxDepth of [11, 12, 13, 14, 15]) {
      const fake = await nockFakeSageMaker(linkAccount(edges));
      const result = await testSource().queryLineage({ startArn: link(0), direction: 'Both', maxDepth });
      const requests = lineageRequests(fake);
      expect(normalised(result), `maxDepth ${maxDepth}`).toEqual(expected(maxDepth));
      expect(Math.max(...requests.map((r) => r['MaxDepth'] as number))).toBeLessThanOrEqual(SAGEMAKER_MAX_DEPTH);
      // One call from the start, then one per frontier vertex at depth 10 (link-109 and link-209).
      expect(requests.map((r) => r['StartArns'])).toEqual([[link(0)], [link(109)], [link(209)]]);
      httpMock.reset();
    }
  });

  it('depthExceeded is false when the only edges past the limit lead back into the walk', async () => {
    // a → b → c and a → c: at maxDepth 1, c is reached directly; the b → c edge stays inside the walk.
    const edges: Association[] = [
      { sourceArn: link(0), destinationArn: link(1), type: 'DerivedFrom' },
      { sourceArn: link(1), destinationArn: link(2), type: 'DerivedFrom' },
      { sourceArn: link(0), destinationArn: link(2), type: 'DerivedFrom' },
    ];
    const fake = await nockFakeSageMaker(linkAccount(edges));
    const result = await testSource().queryLineage({ startArn: link(0), direction: 'Descendants', maxDepth: 1 });
    lineageRequests(fake);
    expect(result.depthExceeded).toBe(false);
    expect(result.vertices).toHaveLength(3);
    expect(result.edges).toHaveLength(3);
  });

  it('an unknown start ARN has no lineage', async () => {
    sagemaker('QueryLineage').reply(400, awsError('ResourceNotFound', 'Start arn not found'), JSON_11);
    sagemaker('DescribeArtifact').reply(400, awsError('ResourceNotFound', 'Artifact does not exist'), JSON_11);
    expect(await testSource().queryLineage({ startArn: link(9), direction: 'Both', maxDepth: 3 })).toEqual({
      vertices: [],
      edges: [],
      depthExceeded: false,
    });
  });
});

describe('failures', () => {
  const start = link(0);
  const query = { startArn: start, direction: 'Ascendants' as const, maxDepth: 2 };
  const ok = { Vertices: [{ Arn: start, Type: 'DataSet', LineageType: 'Artifact' }], Edges: [] };

  it('retries a ThrottlingException and succeeds', async () => {
    sagemaker('QueryLineage').reply(400, awsError('ThrottlingException', 'Rate exceeded'), JSON_11);
    sagemaker('QueryLineage').reply(200, ok, JSON_11);
    expect((await testSource().queryLineage(query)).vertices).toEqual([{ arn: start, lineageType: 'Artifact', type: 'DataSet' }]);
  });

  it('throttling on every attempt → Throttled', async () => {
    sagemaker('QueryLineage').times(3).reply(400, awsError('ThrottlingException', 'Rate exceeded'), JSON_11);
    const error = await testSource({ maxAttempts: 3 }).queryLineage(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Throttled);
    expect((error as Throttled).message).toBe('SageMaker throttled QueryLineage after 3 attempts');
  });

  it('5xx on every attempt → SourceUnavailable naming the operation', async () => {
    sagemaker('DescribeModel').times(2).reply(503, awsError('ServiceUnavailable', 'Service unavailable'), JSON_11);
    const error = await testSource({ maxAttempts: 2 }).describeModel('fraud-detector').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('SageMaker failed DescribeModel (HTTP 503 ServiceUnavailable)');
  });

  it('a 500 then a success is retried transparently', async () => {
    sagemaker('DescribeEndpoint').reply(500, awsError('InternalFailure', 'oops'), JSON_11);
    sagemaker('DescribeEndpoint').reply(200, fixture('describe-endpoint.json'), JSON_11);
    expect((await testSource().describeEndpoint('fraud-detector-prod'))?.status).toBe('InService');
  });

  it('no answer within requestTimeoutMs → SourceUnavailable', async () => {
    sagemaker('DescribeFeatureGroup').delay(500).reply(200, fixture('describe-feature-group-page-2.json'), JSON_11);
    const error = await testSource({ maxAttempts: 1, requestTimeoutMs: 50 }).describeFeatureGroup('customers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('SageMaker did not answer DescribeFeatureGroup in time');
  });

  it('the timeout is per attempt: a silent SageMaker is asked maxAttempts times (what the README promises)', async () => {
    let requests = 0;
    const silent = createServer(() => {
      requests += 1; // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = await testSource({ endpoint, maxAttempts: 3, requestTimeoutMs: 100 }).describeModel('fraud-detector').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceUnavailable);
      expect(requests).toBe(3);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a refused connection on every attempt → SourceUnavailable', async () => {
    sagemaker('ListTags').times(2).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await testSource({ maxAttempts: 2 }).listTags(ENDPOINT_ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('Could not reach SageMaker for ListTags (ECONNREFUSED)');
  });

  it('a real refused connection (nothing listening on the port) → SourceUnavailable', async () => {
    const fake = await startFakeSageMaker(smallSnapshot());
    await fake.close();
    const error = await testSource({ endpoint: fake.url, maxAttempts: 2 }).describeEntity(ARNS.raw).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('Could not reach SageMaker for DescribeArtifact (ECONNREFUSED)');
  });

  it('AccessDeniedException → NotAuthorized naming the missing permission, without retrying', async () => {
    sagemaker('QueryLineage').reply(
      400,
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::111122223333:assumed-role/bot/AKIDEXAMPLE is not authorized to perform: sagemaker:QueryLineage',
      ),
      JSON_11,
    );
    const error = await testSource().queryLineage(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorized);
    expect((error as NotAuthorized).permission).toBe('sagemaker:QueryLineage');
    expect((error as Error).message).toBe('The AWS identity is not allowed to call sagemaker:QueryLineage');
  });

  it('a bare 403 → NotAuthorized; rejected credentials say so and never echo them', async () => {
    sagemaker('ListFeatureGroups').reply(403, awsError('Forbidden', 'Forbidden'), JSON_11);
    sagemaker('DescribeContext').reply(
      400,
      awsError(
        'UnrecognizedClientException',
        `The security token included in the request is invalid. Credential=${FAKE_CREDENTIALS.accessKeyId}/x`,
      ),
      JSON_11,
    );
    const source = testSource();
    const forbidden = await source.searchResources('x', ['FeatureGroup'], 5).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(NotAuthorized);
    expect((forbidden as NotAuthorized).permission).toBe('sagemaker:ListFeatureGroups');
    const rejected = await source.describeEntity(`${ACCOUNT}:context/x`).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(NotAuthorized);
    expect((rejected as Error).message).toBe('SageMaker did not accept the AWS credentials for DescribeContext (UnrecognizedClientException)');
    const everything = JSON.stringify({ message: (rejected as Error).message, cause: String((rejected as Error).cause) });
    expect(everything).not.toContain(FAKE_CREDENTIALS.accessKeyId);
    expect(everything).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
  });

  it('a successful response that is not JSON → SourceUnavailable saying so, not "rejected"', async () => {
    sagemaker('DescribeModel').reply(200, '{"ModelName": "fraud-detector", ', JSON_11);
    const error = await testSource().describeModel('fraud-detector').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailable);
    expect((error as Error).message).toBe('SageMaker sent a DescribeModel response the bot cannot read (HTTP 200, SyntaxError)');
  });

  it('a Search or List* response whose list is not a list → SourceUnavailable, not a TypeError', async () => {
    sagemaker('Search').reply(200, { Results: 'nope' }, JSON_11);
    const search = await testSource().searchResources('fraud', ['Model'], 5).catch((e: unknown) => e);
    expect(search).toBeInstanceOf(SourceUnavailable);
    expect((search as Error).message).toBe('SageMaker returned a Search response the bot cannot read: Results: expected a list');
    sagemaker('ListArtifacts').reply(200, { ArtifactSummaries: { ArtifactArn: 'x' } }, JSON_11);
    await expect(testSource().listEntities({ lineageType: 'Artifact', sourceUri: 's3://b/k' })).rejects.toThrow(
      'SageMaker returned a ListArtifacts response the bot cannot read: ArtifactSummaries: expected a list',
    );
  });

  it('an unexpected response shape → SourceUnavailable, not a crash deeper in', async () => {
    sagemaker('DescribeModel').reply(200, { ModelName: 'fraud-detector' }, JSON_11);
    await expect(testSource().describeModel('fraud-detector')).rejects.toThrow(/DescribeModel response the bot cannot read: ModelArn/);
  });
});

describe('against the fake SageMaker, the same answers as the snapshot', () => {
  const snapshot = smallSnapshot();
  const reference = new SnapshotSource(snapshot, 'reference');
  /** Pages of 3 with vertices repeated across pages, and pages as large as SageMaker allows, each at its own endpoint. */
  let paged: SageMakerFake;
  let plain: SageMakerFake;
  const PAGED_URL = 'https://paged.sagemaker.test';
  const PLAIN_URL = 'https://plain.sagemaker.test';
  const depths: number[] = [];

  beforeAll(() => {
    const onRequest = (operation: string, input: Record<string, unknown>) => {
      if (operation === 'QueryLineage') depths.push(input['MaxDepth'] as number);
    };
    paged = createFakeSageMaker(snapshot, { pageSize: 3, repeatVertices: true, onRequest });
    plain = createFakeSageMaker(snapshot, { onRequest });
  });
  beforeEach(async () => {
    await serveThroughNock(paged, { url: PAGED_URL, optional: true });
    await serveThroughNock(plain, { url: PLAIN_URL, optional: true });
  });

  const source = (url = PAGED_URL) => testSource({ endpoint: url, maxAttempts: 1, concurrency: 8 });
  const starts = [ARNS.raw, ARNS.fgArtifact, ARNS.model, ARNS.endpoint, ARNS.cycleB, ARNS.trainJob, chainArn(0), chainArn(CHAIN_LENGTH)];
  const directions: Direction[] = ['Ascendants', 'Descendants', 'Both'];

  /** Runs the queries concurrently, as the bot's questions would, and compares each answer on its own. */
  async function expectSameAnswers(url: string, maxDepths: readonly number[]): Promise<void> {
    const sagemakerSource = source(url);
    const queries = starts.flatMap((startArn) =>
      directions.flatMap((direction) => maxDepths.map((maxDepth) => ({ startArn, direction, maxDepth }))),
    );
    const answers = await Promise.all(
      queries.map(async (query) => ({
        query,
        actual: normalised(await sagemakerSource.queryLineage(query)),
        expected: normalised(await reference.queryLineage(query)),
      })),
    );
    for (const { query, actual, expected } of answers) expect(actual, JSON.stringify(query)).toEqual(expected);
    expect(Math.max(...depths)).toBeLessThanOrEqual(SAGEMAKER_MAX_DEPTH);
  }

  it('queryLineage for every start, direction and depth (including > 10 and a cycle)', async () => {
    await expectSameAnswers(PLAIN_URL, [0, 1, 3, 9, 10, 11, 20, 25, 26, 40]);
  });

  it('queryLineage over small pages that repeat vertices', async () => {
    await expectSameAnswers(PAGED_URL, [2, 11, 26]);
  });

  it('an ARN nothing is recorded for has no lineage', async () => {
    const query = { startArn: `${ACCOUNT}:artifact/unknown`, direction: 'Both' as const, maxDepth: 5 };
    expect(await source().queryLineage(query)).toEqual(await reference.queryLineage(query));
  });

  it('describe, list and search answers', async () => {
    const s = source();
    const entities = await reference.listEntities({ lineageType: 'Artifact' });
    for (const arn of [...entities.map((e) => e.arn), ARNS.fgPipeline, ARNS.endpoint, ARNS.deployment, ARNS.trainJob, ARNS.feJob]) {
      expect(await s.describeEntity(arn), arn).toEqual(await reference.describeEntity(arn));
    }
    for (const filter of [
      { lineageType: 'Artifact' as const, sourceUri: ARNS.featureGroup },
      { lineageType: 'Context' as const, type: 'FeatureGroupPipeline', sourceUri: ARNS.featureGroup },
      { lineageType: 'Artifact' as const, type: 'Model', sourceUri: 's3://models/fraud/model.tar.gz' },
      { lineageType: 'Context' as const, type: 'Endpoint', sourceUri: ARNS.sagemakerEndpoint },
      { lineageType: 'Action' as const, sourceUri: ARNS.sagemakerEndpoint },
      { lineageType: 'Artifact' as const, type: 'ChainLink' },
    ]) {
      expect(await s.listEntities(filter), JSON.stringify(filter)).toEqual(await reference.listEntities(filter));
    }
    for (const name of ['customers', 'customer-churn', ARNS.featureGroup, 'missing']) {
      expect(await s.describeFeatureGroup(name), name).toEqual(await reference.describeFeatureGroup(name));
    }
    expect(await s.describeModel('fraud-model')).toEqual(await reference.describeModel('fraud-model'));
    expect(await s.describeEndpoint('fraud-endpoint')).toEqual(await reference.describeEndpoint('fraud-endpoint'));
    expect(await s.describeEndpointConfig('fraud-config')).toEqual(await reference.describeEndpointConfig('fraud-config'));
    expect(await s.describeTrainingJob('train-job')).toEqual(await reference.describeTrainingJob('train-job'));
    expect(await s.describeProcessingJob('fe-job')).toEqual(await reference.describeProcessingJob('fe-job'));
    for (const missing of ['nope']) {
      expect(await s.describeModel(missing)).toBeUndefined();
      expect(await s.describeEndpoint(missing)).toBeUndefined();
      expect(await s.describeEndpointConfig(missing)).toBeUndefined();
      expect(await s.describeTrainingJob(missing)).toBeUndefined();
      expect(await s.describeProcessingJob(missing)).toBeUndefined();
    }
    for (const arn of [ARNS.sagemakerModel, ARNS.sagemakerEndpoint, ARNS.featureGroup, ARNS.raw]) {
      expect(await s.listTags(arn), arn).toEqual(await reference.listTags(arn));
    }
    const kinds = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'] as const;
    const searches = [['cust', 5], ['CUST', 1], ['fraud', 5], ['raw-bucket', 2], ['s3://', 50], ['query-results', 5], ['zzz', 5]] as const;
    for (const [text, limit] of searches) {
      expect(await s.searchResources(text, kinds, limit), `${text} ${limit}`).toEqual(await reference.searchResources(text, kinds, limit));
    }
  });

  it('keeps calls minimal: a feature group is one DescribeFeatureGroup per page of definitions', async () => {
    paged.resetCalls();
    await source().describeFeatureGroup('customers');
    expect(Object.fromEntries(paged.calls)).toEqual({ DescribeFeatureGroup: 2 }); // 5 definitions, pages of 3
    paged.resetCalls();
    await source().searchResources('s3://raw', ['FeatureGroup', 'Model', 'Endpoint'], 5);
    expect(paged.totalCalls()).toBe(0); // no feature group, model or endpoint name can contain "s3://raw"
  });
});

describe('client and limits', () => {
  it('builds the client from the configuration: region, endpoint, retries', async () => {
    const client = createSageMakerClient({
      region: 'eu-west-1',
      endpoint: 'https://vpce-123.api.sagemaker.eu-west-1.vpce.amazonaws.com',
      maxAttempts: 7,
      retryMode: 'adaptive',
      requestTimeoutMs: 1234,
      concurrency: 2,
      credentials: FAKE_CREDENTIALS,
    });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(7);
    expect((await client.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('vpce-123.api.sagemaker.eu-west-1.vpce.amazonaws.com');
    // The per-request timeout is exercised by the "no answer within requestTimeoutMs" test above.
    client.destroy();
    const source = createSageMakerSource({ region: 'eu-west-1', maxAttempts: 1, retryMode: 'standard', requestTimeoutMs: 100, concurrency: 1 });
    expect(source.description).toBe('sagemaker eu-west-1');
  });

  it('builds the owner fan-out client with adaptive retry, and leaves the answers client in AWS_RETRY_MODE', async () => {
    const settings = loadConfig({ AWS_REGION: 'eu-west-1' }).sagemaker;
    expect(settings.retryMode).toBe('standard');
    const answers = createSageMakerClient({ ...settings, credentials: FAKE_CREDENTIALS });
    const fanOut = createFanOutClient({ ...settings, credentials: FAKE_CREDENTIALS });
    expect((await answers.config.retryStrategy()).constructor.name).toBe('StandardRetryStrategy');
    expect((await fanOut.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
    expect(await fanOut.config.maxAttempts()).toBe(settings.maxAttempts);
    answers.destroy();
    fanOut.destroy();
  });

  it('never has more than `concurrency` calls in flight, however many are asked for at once', async () => {
    const calls = new SageMakerCalls(3);
    let inFlight = 0;
    let peak = 0;
    const slow = async (index: number) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      if (index === 4) throw Object.assign(new Error('boom'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      return index;
    };
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => calls.call('DescribeArtifact', () => slow(i))));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(11);
    expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(SourceUnavailable);
  });
});
