// App Home and the message shortcut on an account far bigger than the old caps (500 models and
// endpoints scanned for App Home, 2,000 names per kind for the shortcut), through the real
// SageMakerClient and the fake SageMaker: both ask Search, so the calls follow the answer.
import { describe, expect, it } from 'vitest';
import { readSlackText } from '../../commands/slack-text.js';
import { buildHomeView, HOME_DETAILED } from '../../blocks/home.js';
import { BLOCK } from '../../blocks/ids.js';
import { buildSearch } from '../../blocks/search.js';
import { recogniseQuestions } from '../../src/lineage/recognise.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { LineageService } from '../../src/lineage/service.js';
import { parseSnapshot, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DEMO_LIMITS } from '../support/demo.js';
import { FakeError, nockFakeSageMaker } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';
import { blockText } from '../support/slack-http.js';
import { expectViewWithinLimits } from '../support/slack-limits.js';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';
const ME = 'U0ME00001';
const MY_EMAIL = 'Me.Myself@Example.com';

/** How many of each kind the big account holds: past every old cap. */
const MODELS = 2_600;
const ENDPOINTS = 2_100;
const FEATURE_GROUPS = 2_050;
/** Models owned by ME (by user ID), beyond the old 500 scanned. */
const MINE_BY_ID = 620;
/** Models owned by ME's email, typed in lower case in the tag. */
const MINE_BY_EMAIL = 3;
const MY_ENDPOINTS = 130;

const pad = (i: number) => String(i).padStart(4, '0');

/**
 * Thousands of models, endpoints and feature groups, no lineage. Models 1000-1619 are ME's by
 * user ID and the last three by email; every third endpoint from 600 on is ME's; everything else
 * belongs to someone else, so a scan of the first 500 would find none of ME's.
 */
function bigAccount(): Snapshot {
  const tags: Record<string, { Key: string; Value: string }[]> = {};
  const models = Array.from({ length: MODELS }, (_, i) => {
    const arn = `${ARN}:model/model-${pad(i)}`;
    const owner = i >= 1000 && i < 1000 + MINE_BY_ID ? ME : i >= MODELS - MINE_BY_EMAIL ? MY_EMAIL.toLowerCase() : `U0OTHER${i % 7}`;
    tags[arn] = [
      { Key: 'owner', Value: owner },
      { Key: 'team', Value: 'ml' },
    ];
    return { ModelName: `model-${pad(i)}`, ModelArn: arn };
  });
  const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => {
    const arn = `${ARN}:endpoint/endpoint-${pad(i)}`;
    const mine = i >= 600 && (i - 600) % 3 === 0 && (i - 600) / 3 < MY_ENDPOINTS;
    tags[arn] = [{ Key: 'owner', Value: mine ? ME : 'U0SOMEONE' }];
    return { EndpointName: `endpoint-${pad(i)}`, EndpointArn: arn, EndpointStatus: 'InService' };
  });
  const featureGroups = Array.from({ length: FEATURE_GROUPS }, (_, i) => ({
    FeatureGroupName: `group_${pad(i)}`,
    FeatureGroupArn: `${ARN}:feature-group/group_${pad(i)}`,
    RecordIdentifierFeatureName: 'id',
    EventTimeFeatureName: 'ts',
    FeatureDefinitions: [
      { FeatureName: 'id', FeatureType: 'String' as const },
      { FeatureName: 'ts', FeatureType: 'String' as const },
    ],
  }));
  return parseSnapshot({ FormatVersion: 1, Models: models, Endpoints: endpoints, FeatureGroups: featureGroups, Tags: tags }, 'big account');
}

const account = bigAccount();
const service = (source: LineageSource = testSource()) => new LineageService(source, DEMO_LIMITS);
const searches = (fake: { requests: { operation: string; body: Record<string, unknown> }[] }) => fake.requests.filter((r) => r.operation === 'Search');

describe('App Home on an account past the old 500 cap', () => {
  it('finds every model and endpoint the user owns, by Search on the owner tag: no ListTags, no listing', async () => {
    const fake = await nockFakeSageMaker(account);
    const owned = await service().ownedBy([ME, MY_EMAIL], 0);
    const names = owned.owned.map((o) => o.entity.name);
    expect(owned.owned.filter((o) => o.entity.kind === 'Model')).toHaveLength(MINE_BY_ID + MINE_BY_EMAIL);
    expect(owned.owned.filter((o) => o.entity.kind === 'Endpoint')).toHaveLength(MY_ENDPOINTS);
    expect(names).toContain('model-1619');
    expect(names).toContain(`model-${pad(MODELS - 1)}`);
    expect(names).not.toContain('model-0999');
    // Models first, by name, then endpoints.
    expect(names.slice(0, 2)).toEqual(['model-1000', 'model-1001']);
    expect(names.at(-1)).toBe(`endpoint-${pad(600 + 3 * (MY_ENDPOINTS - 1))}`);
    expect(owned.walked).toBe(0);
    expect(fake.calls.get('ListTags')).toBeUndefined();
    // Pages of 100 results: 623 models take 7, 130 endpoints 2. Nothing else is asked.
    expect(fake.calls.get('Search')).toBe(7 + 2);
    expect(fake.totalCalls()).toBe(9);
    const [first] = searches(fake);
    expect(first?.body['SearchExpression']).toEqual({
      Operator: 'Or',
      Filters: [ME, ME.toLowerCase(), MY_EMAIL, MY_EMAIL.toLowerCase()].map((value) => ({ Name: 'Tags.owner', Operator: 'Equals', Value: value })),
    });
    await fake.close();
  });

  it('follows NextToken across many small pages and keeps each resource once', async () => {
    const fake = await nockFakeSageMaker(account, { pageSize: 25 });
    const owned = await service().ownedBy([ME], 0);
    expect(owned.owned).toHaveLength(MINE_BY_ID + MY_ENDPOINTS);
    expect(new Set(owned.owned.map((o) => o.entity.arn)).size).toBe(owned.owned.length);
    expect(fake.calls.get('Search')).toBe(Math.ceil(MINE_BY_ID / 25) + Math.ceil(MY_ENDPOINTS / 25));
    expect(searches(fake).filter((r) => r.body['NextToken'] !== undefined).length).toBeGreaterThan(20);
    await fake.close();
  });

  it('retries a throttled Search and still lists everything', async () => {
    const fake = await nockFakeSageMaker(account);
    fake.failNext('Search', 2, new FakeError('ThrottlingException', 'Rate exceeded'));
    const owned = await service().ownedBy([ME], 0);
    expect(owned.owned).toHaveLength(MINE_BY_ID + MY_ENDPOINTS);
    expect(fake.calls.get('Search')).toBe(7 + 2 + 2);
    await fake.close();
  });

  it('finds an owner known only by email, whatever its case', async () => {
    const fake = await nockFakeSageMaker(account);
    const owned = await service().ownedBy(['U0NOTTAGGED', MY_EMAIL.toUpperCase()], 0);
    expect(owned.owned.map((o) => o.entity.name)).toEqual([MODELS - 3, MODELS - 2, MODELS - 1].map((i) => `model-${pad(i)}`));
    expect(fake.calls.get('ListTags')).toBeUndefined();
    await fake.close();
  });

  it('walks only what the Home view details, and the view lists the rest within Slack limits', async () => {
    const fake = await nockFakeSageMaker(account);
    const owned = await service().ownedBy([ME], HOME_DETAILED);
    expect(owned.walked).toBe(HOME_DETAILED);
    expect(owned.owned.slice(0, HOME_DETAILED).every((o) => !o.notWalked)).toBe(true);
    expect(owned.owned.slice(HOME_DETAILED).every((o) => o.notWalked)).toBe(true);
    const view = buildHomeView(owned);
    expectViewWithinLimits(view, 'big home');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain(`You own ${MINE_BY_ID + MY_ENDPOINTS} models and endpoints`);
    // The list of the rest cannot hold 738 names: it says how many it leaves out.
    expect(text).toMatch(/…and \d+ more/);
    await fake.close();
  });

  it('answers like the snapshot source over the same account', async () => {
    const fake = await nockFakeSageMaker(account);
    const [viaSageMaker, viaSnapshot] = await Promise.all([
      service().ownedBy([ME, MY_EMAIL], 0),
      service(new SnapshotSource(account, 'big')).ownedBy([ME, MY_EMAIL], 0),
    ]);
    expect(viaSageMaker).toEqual(viaSnapshot);
    await fake.close();
  });
});

describe('the message shortcut on an account past 2,000 names per kind', () => {
  const message = 'Does model-2555 still read group_2049, and who calls endpoint-2099? Also Model-0001.';

  it('finds names beyond the old index by asking for the message words, one Search per kind', async () => {
    const fake = await nockFakeSageMaker(account);
    const requests = await recogniseQuestions(testSource(), readSlackText(message), 5);
    expect(requests.map((r) => r.input)).toEqual(['model-2555', 'group_2049', 'endpoint-2099', 'model-0001']);
    // One page per kind; no ListFeatureGroups, no listing of models or endpoints.
    expect(fake.calls.get('Search')).toBe(3);
    expect(fake.totalCalls()).toBe(3);
    for (const { body } of searches(fake)) {
      const filters = (body['SearchExpression'] as { Filters: { Name: string; Operator: string }[] }).Filters;
      expect(filters.every((f) => f.Operator === 'Equals' && f.Name.endsWith('Name'))).toBe(true);
    }
    expect(await recogniseQuestions(new SnapshotSource(account, 'big'), readSlackText(message), 5)).toEqual(requests);
    await fake.close();
  });

  it('splits a long message into searches of at most 20 filters (SageMaker limit)', async () => {
    const fake = await nockFakeSageMaker(account);
    const words = Array.from({ length: 45 }, (_, i) => `word${i}`);
    const requests = await recogniseQuestions(testSource(), readSlackText(`${words.join(' ')} model-2599`), 5);
    expect(requests.map((r) => r.input)).toEqual(['model-2599']);
    // 46 distinct forms: 3 searches of at most 20 filters for each of the three kinds.
    expect(fake.calls.get('Search')).toBe(9);
    for (const { body } of searches(fake)) {
      expect((body['SearchExpression'] as { Filters: unknown[] }).Filters.length).toBeLessThanOrEqual(20);
    }
    await fake.close();
  });

  it('retries a throttled Search', async () => {
    const fake = await nockFakeSageMaker(account);
    fake.failNext('Search', 1, new FakeError('ThrottlingException', 'Rate exceeded'));
    const requests = await recogniseQuestions(testSource(), readSlackText('what feeds endpoint-2050'), 5);
    expect(requests.map((r) => r.input)).toEqual(['endpoint-2050']);
    expect(fake.calls.get('Search')).toBe(4);
    await fake.close();
  });
});

describe("an impact's owners, by Search on the names", () => {
  it('gives each model and endpoint its own tags and an endpoint its status, from 20-name searches; what Search lacks is read one by one', async () => {
    const fake = await nockFakeSageMaker(account);
    const models = Array.from({ length: 30 }, (_, i) => ({ kind: 'Model' as const, name: `model-${pad(1000 + i)}` }));
    const subjects = [
      ...models,
      { kind: 'Endpoint' as const, name: 'endpoint-0600' },
      { kind: 'Model' as const, name: 'model-gone' },
      { kind: 'Endpoint' as const, name: 'endpoint-gone', arn: `${ARN}:endpoint/endpoint-gone` },
    ];
    const read = await testSource().tagsOf(subjects);
    expect(read.map((r) => r.subject)).toEqual(subjects);
    expect(read[0]).toEqual({ subject: subjects[0], found: true, tags: { owner: ME, team: 'ml' } });
    expect(read[30]).toEqual({ subject: subjects[30], found: true, status: 'InService', tags: { owner: ME } });
    expect(read.slice(31)).toEqual([
      { subject: subjects[31], found: false, tags: {} },
      { subject: subjects[32], found: false, tags: {} },
    ]);
    // Models in two searches (20 + 11 names), endpoints in one; the two Search did not return are
    // described (not found), and the endpoint the lineage knew by ARN has its tags asked for.
    expect(fake.calls.get('Search')).toBe(3);
    expect(fake.calls.get('DescribeModel')).toBe(1);
    expect(fake.calls.get('DescribeEndpoint')).toBe(1);
    expect(fake.calls.get('ListTags')).toBe(1);
    const [first] = searches(fake);
    expect(first?.body['SearchExpression']).toEqual({
      Operator: 'Or',
      Filters: models.slice(0, 20).map((m) => ({ Name: 'ModelName', Operator: 'Equals', Value: m.name })),
    });
    await fake.close();
  });
});

describe('search for data sources on a small and a ten times larger account', () => {
  /** `dataSets` raw data sources, `s3://raw-bucket/table-NNNNN/part.csv`, one of them "customers". */
  function dataSets(count: number): Snapshot {
    const artifacts = Array.from({ length: count }, (_, i) => ({
      ArtifactArn: `${ARN}:artifact/${String(i).padStart(32, '0')}`,
      ArtifactType: 'DataSet',
      Source: { SourceUri: i === 7 ? 's3://raw-bucket/customers/part.csv' : `s3://raw-bucket/table-${String(i).padStart(5, '0')}/part.csv` },
      Properties: {},
    }));
    return parseSnapshot({ FormatVersion: 1, Artifacts: artifacts }, `${count} data sets`);
  }

  async function search(count: number, text: string) {
    const fake = await nockFakeSageMaker(dataSets(count));
    const service = new LineageService(testSource(), DEMO_LIMITS);
    const answer = await service.search(text);
    const calls = Object.fromEntries(fake.calls);
    await fake.close();
    return { answer, calls };
  }

  it('reads at most 1,000 data sets a search, and says so when it stopped there', async () => {
    const small = await search(300, 'customers');
    const large = await search(3_000, 'customers');
    const huge = await search(30_000, 'customers');
    for (const { answer } of [small, large, huge]) expect(answer.hits.map((hit) => hit.name)).toEqual(['s3://raw-bucket/customers/part.csv']);
    // The small account is read to the end: nothing to say. Past 1,000 data sets the cost stops growing.
    expect(small.answer.dataSetsRead).toBeUndefined();
    expect(small.calls['ListArtifacts']).toBe(3);
    expect(large.calls['ListArtifacts']).toBe(10);
    expect(huge.calls).toEqual(large.calls);
    expect(large.answer.dataSetsRead).toBe(1_000);
    expect(blockText(buildSearch(large.answer).blocks as unknown as Record<string, unknown>[], BLOCK.truncation)).toBe(
      'Data sources were looked for among the first 1,000 data sets SageMaker lists only, so others may match too. Ask about a data source by its full S3 URI to reach it directly.',
    );
    // Enough matches end the read early, and then nothing is missing from what is shown.
    const many = await search(30_000, 'table-');
    expect(many.calls['ListArtifacts']).toBe(1);
    expect(many.answer.dataSetsRead).toBeUndefined();
  });

  it('rides out throttled pages and answers a 5xx that does not stop with the error', async () => {
    let throttled = 0;
    const fake = await nockFakeSageMaker(dataSets(300), {
      fault: (call) => (call.operation === 'ListArtifacts' && call.attempt === 1 ? (throttled++, new FakeError('ThrottlingException', 'Rate exceeded')) : undefined),
    });
    const answer = await new LineageService(testSource(), DEMO_LIMITS).search('customers');
    expect(throttled).toBe(3);
    expect(answer.hits.map((hit) => hit.name)).toEqual(['s3://raw-bucket/customers/part.csv']);
    await fake.close();

    const failing = await nockFakeSageMaker(dataSets(300), { fault: (call) => (call.operation === 'ListArtifacts' ? new FakeError('InternalFailure', 'boom', 500) : undefined) });
    await expect(new LineageService(testSource(), DEMO_LIMITS).search('customers')).rejects.toMatchObject({ code: 'SourceUnavailable' });
    await failing.close();
  });
});
