// Impact of a change to a feature group with many consumers, through the real SageMakerClient
// (adaptive retry mode, its backoff shortened so tests stay fast) against the fake SageMaker on
// 127.0.0.1, owners looked up in a fake Slack: every owner is resolved under throttling, no more
// calls are in flight than the bound, and one resource whose tags cannot be read leaves its owner
// unresolved instead of failing the whole answer.
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { unreachableLine } from '../../blocks/notices/words.js';
import { createSageMakerClient } from '../../src/lineage/sources/sagemaker-client.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { ownerReach } from '../../src/notices/impact.js';
import { FakeError, startFakeSageMaker, type FakeCall, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testOptions } from '../support/sagemaker-nock.js';
import { interceptSlack } from '../support/slack-http.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { createWorld, type World } from '../support/slack-world.js';

/**
 * Consumers of the throttled group. The same run with 2,000 is bench/impact.ts: on a shared
 * two-core machine the SDK's signing alone makes it a minute, too long for the suite. With the
 * standard strategy and the same 1 ms backoff this run leaves owners unresolved (tried: some
 * calls are throttled on all five attempts); adaptive slows the sending until none are.
 */
const THROTTLED_CONSUMERS = 150;
const BOUND = 8;

let world: World | undefined;
let sagemaker: FakeSageMaker | undefined;
afterEach(async () => {
  await world?.close();
  await sagemaker?.close();
});

const throttled = () => new FakeError('ThrottlingException', 'Rate exceeded');

async function setUp(consumers: number, fault?: (call: FakeCall) => FakeError | undefined) {
  const account = ownersAccount(consumers);
  world = await createWorld({ users: account.users, channels: account.channels, snapshot: account.snapshot, limits: { describeConcurrency: BOUND } });
  // A round trip of a millisecond, so that calls overlap and the in-flight count means something.
  sagemaker = await startFakeSageMaker(account.snapshot, { delayMs: 1, ...(fault ? { fault } : {}) });
  const options = testOptions({ endpoint: sagemaker.url, concurrency: BOUND, maxAttempts: 5, retryMode: 'adaptive' });
  const backoff = { computeNextBackoffDelay: () => 1, setDelayBase: () => undefined };
  const client = createSageMakerClient({ ...options, retryStrategy: new AdaptiveRetryStrategy(options.maxAttempts, { backoff }) });
  world.source.current = createSageMakerSource(options, client);
  interceptSlack(world.fake);
  return { world, sagemaker };
}

describe('impact of a feature group with many consumers', () => {
  it('resolves every owner while SageMaker throttles, never more calls in flight than the bound', async () => {
    // SageMaker throttles any request that arrives with more than half the bound already in
    // flight: the adaptive client slows its sending instead of giving up on the answer.
    let throttles = 0;
    const { world, sagemaker } = await setUp(THROTTLED_CONSUMERS, (call) => (call.inFlight > BOUND / 2 ? (throttles++, throttled()) : undefined));
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(throttles).toBeGreaterThan(0);
    expect(impact.resources).toHaveLength(THROTTLED_CONSUMERS);
    expect(impact.unreachable).toEqual([]);
    expect(impact.resources.every((resource) => resource.addressedTo.length === 1)).toBe(true);
    expect(impact.recipients).toHaveLength(THROTTLED_CONSUMERS);
    expect(sagemaker.maxInFlight()).toBeLessThanOrEqual(BOUND);
  }, 120_000);

  it('marks the owners of a resource SageMaker keeps failing on unresolved, and resolves the rest', async () => {
    const broken = 'model-0003';
    const { world } = await setUp(20, (call) => (call.operation === 'DescribeModel' && call.input['ModelName'] === broken ? new FakeError('InternalFailure', 'boom', 500) : undefined));
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(impact.resources).toHaveLength(20);
    expect(impact.resources.find((r) => r.name === broken)).toEqual({ kind: 'Model', name: broken, owners: [], channels: [], addressedTo: [] });
    expect(impact.unreachable).toEqual([{ value: '', reason: 'tags_unreadable', detail: 'SourceUnavailable', resources: [{ kind: 'Model', name: broken }] }]);
    expect(impact.recipients).toHaveLength(19);
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
    const { world } = await setUp(5, (call) => (call.operation === 'ListTags' && call.input['ResourceArn'] !== `arn:aws:sagemaker:us-east-1:111122223333:feature-group/${SHARED_GROUP}` ? new FakeError('AccessDeniedException', 'no', 400) : undefined));
    await expect(world.system.service.impact(SHARED_GROUP)).rejects.toMatchObject({ code: 'NotAuthorized' });
  });
});
