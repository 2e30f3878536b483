// Impact of a change to a feature group with many consumers, through the real SageMakerClients
// (answers with the standard strategy, the owner fan-out with the adaptive one, both backing off
// 1 ms so tests stay fast) against the fake SageMaker on 127.0.0.1, owners looked up in a fake
// Slack. Owners come from SageMaker Search (a record carries its tags), 20 names a search, not
// from a describe and a ListTags per resource; what Search does not give is read one by one, and
// what cannot be read at all is "owners not known" — never somebody else's owner.
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterEach, describe, expect, it } from 'vitest';
import { unreachableLine } from '../../blocks/notices/words.js';
import { createSageMakerClient } from '../../src/lineage/sources/sagemaker-client.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { ownerReach, type Impact } from '../../src/notices/impact.js';
import { FakeError, startFakeSageMaker, type FakeCall, type FakeSageMaker, type FakeSageMakerOptions } from '../support/fake-sagemaker.js';
import { testOptions } from '../support/sagemaker-nock.js';
import { interceptSlack } from '../support/slack-http.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { createWorld, type World } from '../support/slack-world.js';

const BOUND = 8;
/** Consumers of the big group: 15 Searches of 20 names where it used to be 600 describes and ListTags. */
const CONSUMERS = 300;
/**
 * Consumers of the throttled group. The adaptive client slows its sending after each throttle
 * (in real time: its rate limiter is not the backoff a test can shorten), so a few searches keep
 * the test short; bench/impact.ts throttles a 2,000-consumer impact.
 */
const THROTTLED = 100;

let world: World | undefined;
let sagemaker: FakeSageMaker | undefined;
afterEach(async () => {
  await world?.close();
  await sagemaker?.close();
});

const throttled = () => new FakeError('ThrottlingException', 'Rate exceeded');
const boom = () => new FakeError('InternalFailure', 'boom', 500);
const searchNames = (call: FakeCall) =>
  (((call.input['SearchExpression'] as { Filters?: { Value: string }[] } | undefined)?.Filters ?? []).map((f) => f.Value));

/** Which operations a client sent, counted by a middleware of its own. */
function counted(client: SageMakerClient): Map<string, number> {
  const sent = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      sent.set(operation, (sent.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'testCounter' },
  );
  return sent;
}

async function setUp(consumers: number, fake: FakeSageMakerOptions = {}) {
  const account = ownersAccount(consumers);
  world = await createWorld({ users: account.users, channels: account.channels, snapshot: account.snapshot, limits: { describeConcurrency: BOUND } });
  // A round trip of a millisecond, so that calls overlap and the in-flight count means something.
  sagemaker = await startFakeSageMaker(account.snapshot, { delayMs: 1, ...fake });
  const options = testOptions({ endpoint: sagemaker.url, concurrency: BOUND, maxAttempts: 5 });
  const backoff = { computeNextBackoffDelay: () => 1, setDelayBase: () => undefined };
  const answers = createSageMakerClient({ ...options, retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts, 1) });
  const fanOut = createSageMakerClient({ ...options, retryMode: 'adaptive', retryStrategy: new AdaptiveRetryStrategy(options.maxAttempts, { backoff }) });
  const sent = { answers: counted(answers), fanOut: counted(fanOut) };
  world.source.current = createSageMakerSource(options, answers, fanOut);
  interceptSlack(world.fake);
  return { world, sagemaker, sent };
}

/** Every resource addressed to exactly its own owner, as its tag in the owners account names it. */
function expectOwnOwners(impact: Impact, except: readonly string[] = []) {
  for (const resource of impact.resources.filter((r) => !except.includes(r.name))) {
    const i = Number(resource.name.slice('model-'.length));
    const own = i % 10 === 9 ? `channel:CTEAM${resource.name.slice(-4)}` : `user:UOWNER${resource.name.slice(-4)}`;
    expect(resource.addressedTo, resource.name).toEqual([own]);
  }
}

describe('impact of a feature group with many consumers', () => {
  it('reads every owner by Search, 20 names a call, on the fan-out client: no describe or ListTags per resource', async () => {
    const { world, sagemaker, sent } = await setUp(CONSUMERS);
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(impact.resources).toHaveLength(CONSUMERS);
    expect(impact.unreachable).toEqual([]);
    expectOwnOwners(impact);
    expect(sagemaker.calls.get('Search')).toBe(CONSUMERS / 20);
    expect(sagemaker.calls.get('DescribeModel')).toBeUndefined();
    expect(sagemaker.calls.get('ListTags')).toBeUndefined();
    // The owner reads went through the adaptive client, the walk through the answers' client.
    expect([...sent.fanOut.keys()]).toEqual(['Search']);
    expect(sent.answers.get('Search')).toBeUndefined();
    expect(sent.answers.get('QueryLineage')).toBeGreaterThan(0);
    expect(sagemaker.maxInFlight()).toBeLessThanOrEqual(BOUND);
  });

  it('follows every page of a Search', async () => {
    // The fake answers at most 3 records a page: 7 pages for each search of 20 names.
    const { world, sagemaker } = await setUp(40, { pageSize: 3 });
    const impact = await world.system.service.impact(SHARED_GROUP);
    expectOwnOwners(impact);
    expect(impact.unreachable).toEqual([]);
    expect(sagemaker.calls.get('Search')).toBe(2 * 7);
  });

  it('resolves every owner while SageMaker throttles the fan-out, never more calls in flight than the bound', async () => {
    let throttles = 0;
    // Each Search is refused before it is answered, some twice (any sent with half the bound in flight).
    const { world, sagemaker } = await setUp(THROTTLED, {
      fault: (call) => (call.operation === 'Search' && (call.attempt === 1 || call.inFlight > BOUND / 2) ? (throttles++, throttled()) : undefined),
    });
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(throttles).toBeGreaterThanOrEqual(THROTTLED / 20);
    expect(impact.resources).toHaveLength(THROTTLED);
    expect(impact.unreachable).toEqual([]);
    expectOwnOwners(impact);
    expect(impact.recipients).toHaveLength(THROTTLED);
    expect(sagemaker.maxInFlight()).toBeLessThanOrEqual(BOUND);
  });

  it('reads the names of a Search that keeps failing (5xx) one by one, and still gives each resource its own owner', async () => {
    const { world, sagemaker } = await setUp(60, { fault: (call) => (call.operation === 'Search' && searchNames(call).includes('model-0023') ? boom() : undefined) });
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(impact.unreachable).toEqual([]);
    expectOwnOwners(impact);
    // The second search (model-0020 to model-0039) fell back: a describe and a ListTags for each of its 20.
    expect(sagemaker.calls.get('DescribeModel')).toBe(20);
    expect(sagemaker.calls.get('ListTags')).toBe(20);
  });

  it('lists a resource neither Search nor its describe will give as owners not known, and resolves the rest', async () => {
    const broken = 'model-0003';
    const { world } = await setUp(20, {
      fault: (call) =>
        (call.operation === 'Search' && searchNames(call).includes(broken)) || (call.operation === 'DescribeModel' && call.input['ModelName'] === broken) ? boom() : undefined,
    });
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(impact.resources).toHaveLength(20);
    expect(impact.resources.find((r) => r.name === broken)).toEqual({ kind: 'Model', name: broken, owners: [], channels: [], addressedTo: [] });
    expect(impact.unreachable).toEqual([{ value: '', reason: 'tags_unreadable', detail: 'SourceUnavailable', resources: [{ kind: 'Model', name: broken }] }]);
    expect(impact.recipients).toHaveLength(19);
    expectOwnOwners(impact, [broken]);
    // What the impact answer and the notice say of it.
    expect(unreachableLine(impact.unreachable[0]!)).toBe(
      '• _(owners not known)_ — SageMaker did not give its tags (`SourceUnavailable`), so its owners are not known (`model-0003`)',
    );
    // And what the blast-radius picture colours it by: owners unknown, not owners who cannot be reached.
    const reach = ownerReach(impact);
    expect(reach.find((r) => r.name === broken)?.reach).toBe('unknown');
    expect(reach.filter((r) => r.reach === 'reachable')).toHaveLength(19);
  });

  it('fails as the account being down when no resource could be read', async () => {
    const denied = (call: FakeCall) => ['Search', 'DescribeModel'].includes(call.operation) ? new FakeError('AccessDeniedException', 'no', 400) : undefined;
    const { world } = await setUp(5, { fault: denied });
    await expect(world.system.service.impact(SHARED_GROUP)).rejects.toMatchObject({ code: 'NotAuthorized' });
  });
});
