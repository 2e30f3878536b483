// A watcher cycle over SageMaker costs what changed, not the size of the account: the real
// SageMakerClient against the one fake SageMaker, a small account and one ten times larger, the
// calls of each cycle counted by the fake. Failures (throttling, a 5xx part-way) leave the mark
// where it was, so the next cycle finds the same changes; a new watcher continues from the mark.
import { afterEach, describe, expect, it } from 'vitest';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import type { SageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { FeatureGroupWatcher, WATCH_MARK, type CheckResult } from '../../src/notices/watcher.js';
import { FakeError, nockFakeSageMaker, type FakeCall, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';
import { createWorld, T0, type World } from '../support/slack-world.js';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';
const SMALL = 150;
const LARGE = 1_500;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let world: World | undefined;
let sagemaker: FakeSageMaker | undefined;
afterEach(async () => {
  await world?.close();
  await sagemaker?.close();
  world = undefined;
  sagemaker = undefined;
});

const groupName = (i: number) => `group-${String(i).padStart(5, '0')}`;

function featureGroup(name: string, createdAt: number) {
  return {
    FeatureGroupArn: `${ARN}:feature-group/${name}`,
    FeatureGroupName: name,
    RecordIdentifierFeatureName: 'id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: [
      { FeatureName: 'id', FeatureType: 'String' },
      { FeatureName: 'event_time', FeatureType: 'Fractional' },
      { FeatureName: 'score', FeatureType: 'Fractional' },
    ],
    FeatureGroupStatus: 'Created',
    CreationTime: new Date(createdAt),
  };
}

/** `groups` feature groups, one created a minute, all more than a day before T0. */
function account(groups: number): Snapshot {
  const featureGroups = Array.from({ length: groups }, (_, i) => featureGroup(groupName(i), T0 - DAY - (groups - i) * MINUTE));
  return parseSnapshot({ FormatVersion: SNAPSHOT_FORMAT_VERSION, FeatureGroups: featureGroups }, `${groups} feature groups`);
}

interface Setup {
  world: World;
  sagemaker: FakeSageMaker;
  source: SageMakerSource;
  watcher: FeatureGroupWatcher;
}

async function setUp(groups: number, fault?: (call: FakeCall) => FakeError | undefined): Promise<Setup> {
  const snapshot = account(groups);
  world = await createWorld({ snapshot });
  sagemaker = await nockFakeSageMaker(snapshot, fault ? { fault } : {});
  const source = testSource();
  return { world, sagemaker, source, watcher: watcherOver(world, source) };
}

function watcherOver(w: World, source: SageMakerSource): FeatureGroupWatcher {
  return new FeatureGroupWatcher({
    store: w.store,
    source,
    feed: source.featureGroupFeed(),
    notices: w.system.service,
    logger: w.logger,
    intervalSeconds: 0,
    clock: w.clock,
    holderId: 'scale-test',
  });
}

/** The calls one cycle made, by operation, and what it found. */
async function measured(s: Setup): Promise<{ calls: Record<string, number>; outcomes: [string, string][] }> {
  s.sagemaker.resetCalls();
  const results = await s.watcher.cycle();
  return { calls: Object.fromEntries(s.sagemaker.calls), outcomes: outcomes(results) };
}

const outcomes = (results: CheckResult[]): [string, string][] => results.map((r): [string, string] => [r.featureGroup, r.outcome]).sort((a, b) => a[0].localeCompare(b[0]));

/** One group's score removed (a breaking change, stamped as SageMaker stamps an update), one group created, one deleted. */
function changeAccount(s: Setup, groups: number): void {
  const now = s.world.clock.now();
  const snapshot = s.sagemaker.snapshot;
  const changed = snapshot.FeatureGroups.find((g) => g.FeatureGroupName === groupName(Math.floor(groups / 3)))!;
  changed.FeatureDefinitions = changed.FeatureDefinitions.filter((f) => f.FeatureName !== 'score');
  Object.assign(changed, { LastModifiedTime: new Date(now - MINUTE) });
  snapshot.FeatureGroups = [
    ...snapshot.FeatureGroups.filter((g) => g.FeatureGroupName !== groupName(Math.floor((2 * groups) / 3))),
    featureGroup('brand-new', now - 2 * MINUTE) as Snapshot['FeatureGroups'][number],
  ];
}

/** The same story on an account of `groups`: the cycles' calls and what each found. */
async function story(groups: number) {
  const s = await setUp(groups);
  const first = await measured(s);
  s.world.clock.advance(10 * MINUTE);
  const quiet = await measured(s);
  s.world.clock.advance(10 * MINUTE);
  changeAccount(s, groups);
  const changes = await measured(s);
  s.world.clock.advance(10 * MINUTE);
  const after = await measured(s);
  return { s, first, quiet, changes, after };
}

describe('a watcher cycle on a small and a ten times larger account', () => {
  it('costs the same calls for the same changes, whatever the number of groups; a deletion costs a few counts more per tenfold', async () => {
    const small = await story(SMALL);
    const smallDeletes = small.changes;
    await world?.close();
    await sagemaker?.close();
    const large = await story(LARGE);

    // The first cycle has no mark: it lists and describes the account once, as every cycle did before.
    expect(small.first.calls['DescribeFeatureGroup']).toBe(SMALL);
    expect(large.first.calls['DescribeFeatureGroup']).toBe(LARGE);
    expect(large.first.outcomes.every(([, outcome]) => outcome === 'baseline')).toBe(true);

    // Nothing changed: one Search for changes, one count of the groups. On either account.
    expect(small.quiet).toEqual({ calls: { Search: 2 }, outcomes: [] });
    expect(large.quiet).toEqual({ calls: { Search: 2 }, outcomes: [] });

    // A group changed, one created, one deleted: each is found and only those are described.
    const found = (groups: number) => [
      ['brand-new', 'baseline'],
      [groupName(Math.floor(groups / 3)), 'breaking'],
      [groupName(Math.floor((2 * groups) / 3)), 'breaking'],
    ];
    expect(smallDeletes.outcomes).toEqual(found(SMALL));
    expect(large.changes.outcomes).toEqual(found(LARGE));
    expect(smallDeletes.calls['DescribeFeatureGroup']).toBe(3);
    expect(large.changes.calls['DescribeFeatureGroup']).toBe(3);
    // The deletion is found by halving the creation-time range where the counts differ: one count
    // per level and one more for its twin, so a tenfold account adds a few calls (log2 10 ≈ 3.3 levels), not tenfold.
    const searches = (calls: Record<string, number>) => calls['Search'] ?? 0;
    expect(searches(large.changes.calls) - searches(smallDeletes.calls)).toBeLessThanOrEqual(2 * 4);
    expect(Object.keys(large.changes.calls).sort()).toEqual(['DescribeFeatureGroup', 'Search']);

    // The groups changed in the last cycle are looked at again while they are within the lag, then not.
    expect(large.after.calls['ListFeatureGroups']).toBeUndefined();
    expect(await large.s.world.store.listOpenNotices()).toHaveLength(2);
  }, 120_000);
});

describe('a watcher cycle that fails part-way', () => {
  /** The fault SageMaker answers with now, if any: each test sets it as it goes. */
  let rule: ((call: FakeCall) => FakeError | undefined) | undefined;
  afterEach(() => {
    rule = undefined;
  });
  const setUpFaulty = () => setUp(SMALL, (call) => rule?.(call));

  it('rides out throttling: the SDK retries, and the cycle finds the same change', async () => {
    const s = await setUpFaulty();
    await s.watcher.cycle();
    s.world.clock.advance(10 * MINUTE);
    changeAccount(s, SMALL);
    let throttled = 0;
    rule = (call) => (call.operation === 'Search' && call.attempt === 1 ? (throttled++, new FakeError('ThrottlingException', 'Rate exceeded')) : undefined);
    const { outcomes: found } = await measured(s);
    expect(throttled).toBeGreaterThan(0);
    expect(found.map(([, outcome]) => outcome)).toEqual(['baseline', 'breaking', 'breaking']);
    expect(await s.world.store.getWatchMark(WATCH_MARK)).toBe(s.world.clock.now() - 5 * MINUTE);
  });

  it('leaves the mark where it was when a describe keeps failing with 5xx, and finds the change next cycle', async () => {
    const s = await setUpFaulty();
    await s.watcher.cycle();
    const mark = await s.world.store.getWatchMark(WATCH_MARK);
    s.world.clock.advance(10 * MINUTE);
    const changed = s.sagemaker.snapshot.FeatureGroups.find((g) => g.FeatureGroupName === groupName(50))!;
    changed.FeatureDefinitions = changed.FeatureDefinitions.filter((f) => f.FeatureName !== 'score');
    Object.assign(changed, { LastModifiedTime: new Date(s.world.clock.now() - MINUTE) });
    rule = (call) => (call.operation === 'DescribeFeatureGroup' ? new FakeError('InternalFailure', 'boom', 500) : undefined);
    expect(await s.watcher.cycle()).toEqual([]);
    expect(await s.world.store.getWatchMark(WATCH_MARK)).toBe(mark);
    expect(await s.world.store.listOpenNotices()).toEqual([]);

    // Much later, SageMaker answers again: the change is still found, though it is now far behind the clock.
    s.world.clock.advance(60 * MINUTE);
    rule = undefined;
    expect(outcomes(await s.watcher.cycle())).toEqual([[groupName(50), 'breaking']]);
    expect(await s.world.store.getWatchMark(WATCH_MARK)).toBe(s.world.clock.now() - 5 * MINUTE);
    expect(await s.world.store.listOpenNotices()).toHaveLength(1);
  });

  it('leaves the mark where it was when the count fails with 5xx after the changes were checked; a restarted watcher continues from it', async () => {
    const s = await setUpFaulty();
    await s.watcher.cycle();
    const mark = await s.world.store.getWatchMark(WATCH_MARK);
    s.world.clock.advance(10 * MINUTE);
    changeAccount(s, SMALL);
    // The changes are searched for and checked; the count (MaxResults 1) fails on every attempt.
    rule = (call) => (call.operation === 'Search' && call.input['MaxResults'] === 1 ? new FakeError('InternalFailure', 'boom', 500) : undefined);
    await expect(s.watcher.cycle()).rejects.toThrow();
    expect(await s.world.store.getWatchMark(WATCH_MARK)).toBe(mark);

    // A new watcher (a restart, or another replica taking the lead) continues from the stored mark, without listing the account.
    rule = undefined;
    const restarted = watcherOver(s.world, s.source);
    s.sagemaker.resetCalls();
    const found = outcomes(await restarted.cycle());
    // The change checked before the failure is unchanged now; the deletion, found by the count this time, is announced.
    expect(found).toEqual([
      ['brand-new', 'unchanged'],
      [groupName(Math.floor(SMALL / 3)), 'unchanged'],
      [groupName(Math.floor((2 * SMALL) / 3)), 'breaking'],
    ]);
    expect(s.sagemaker.calls.get('ListFeatureGroups')).toBeUndefined();
    expect(await s.world.store.getWatchMark(WATCH_MARK)).toBe(s.world.clock.now() - 5 * MINUTE);
    expect(await s.world.store.listOpenNotices()).toHaveLength(2);
  });
});
