// The watcher: compares each feature group's definition with the snapshot it stored last time
// and, on a breaking change, creates a notice by itself (attributed to the watcher). It runs every
// WATCH_INTERVAL_SECONDS on the one replica that leads it, and at once for a group an EventBridge
// event says changed (aws-events-route.ts). Checks are idempotent: the notice is keyed by the
// transition it reports, and the snapshot is only saved after the notice exists, so a crash in
// between re-detects the change and finds the notice already there.
//
// A cycle costs what changed, not the size of the account. Over SageMaker (a FeatureGroupFeed) it
// asks Search for the groups created or modified since the stored mark, checks those, then finds
// deletions by counting: SageMaker's count of groups created before the new mark against the
// snapshots' (one call when they agree; when not, the creation-time range is halved where the
// counts differ, down to one page of groups listed and compared). The mark only moves once every
// check of the cycle succeeded, so a failure or a crash part-way leaves it where it was and the
// next cycle looks at the same changes again. The very first cycle has no mark: it lists the
// account once, as every cycle did before. Without a feed (a snapshot file, the demo) each cycle
// checks every group.
import { randomUUID } from 'node:crypto';
import type { Logger } from './ports.js';
import { mapPool } from '../lineage/pool.js';
import { parseArn } from '../lineage/reference.js';
import type { FeatureGroupFeed, LineageSource } from '../lineage/lineage-source.js';
import type { Leadership, Snapshots } from './ports.js';
import { systemClock, type Clock } from './clock.js';
import { breakingChange, snapshotOf } from './definitions.js';
import type { PresentGroup } from './model.js';
import type { NoticeService } from './service.js';

export type CheckOutcome = 'baseline' | 'unchanged' | 'changed' | 'breaking';

export interface CheckResult {
  featureGroup: string;
  outcome: CheckOutcome;
  noticeId?: string;
  /** False when the notice for this change already existed (another check got there first). */
  created?: boolean;
}

export interface WatcherOptions {
  store: Snapshots & Leadership;
  /** Where definitions are read: preferably the uncached source, so every check sees SageMaker as it is. */
  source: LineageSource;
  notices: Pick<NoticeService, 'announceDetectedChange'>;
  logger: Logger;
  /** Seconds between full checks; 0 leaves the loop off (events still trigger checks). */
  intervalSeconds: number;
  /** Drops cached lineage about a group that changed. */
  invalidate?: (ref: string) => void;
  clock?: Clock;
  holderId?: string;
  /** Groups described at once during a full check. Default 4. */
  concurrency?: number;
  /** Where a cycle finds what changed without listing the account; without it every cycle checks every group. */
  feed?: FeatureGroupFeed;
  /**
   * How far behind this clock the mark is kept (ms), covering a difference between SageMaker's
   * clock and ours and the moment Search takes to see a change. Default 5 minutes.
   */
  lagMs?: number;
}

/** A cycle's checks, and how many could not be made (the mark stays put when any failed). */
interface Checked {
  results: CheckResult[];
  failed: number;
}

/** The watcher's mark in the store. */
export const WATCH_MARK = 'feature-groups';
const DEFAULT_LAG_MS = 5 * 60_000;
/** A creation-time range SageMaker counts at most this many groups in is listed (one Search page), not halved again. */
const LISTED_RANGE = 100;

/** More feature groups than any account holds: ListFeatureGroups pages until it has them all. */
const ALL_GROUPS = 100_000;

export class FeatureGroupWatcher {
  private readonly clock: Clock;
  private readonly holderId: string;
  private running: Promise<void> | undefined;
  private stopping = new AbortController();

  constructor(private readonly options: WatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.holderId = options.holderId ?? `watcher-${randomUUID()}`;
  }

  start(): void {
    if (this.running || this.options.intervalSeconds <= 0) return;
    this.stopping = new AbortController();
    const intervalMs = this.options.intervalSeconds * 1000;
    this.running = (async () => {
      while (!this.stopping.signal.aborted) {
        try {
          if (await this.options.store.tryLead('watcher', this.holderId, 3 * intervalMs, this.clock.now())) await this.cycle();
        } catch (error) {
          this.options.logger.error('The feature group watcher failed this round; it will try again:', error);
        }
        await this.clock.sleep(intervalMs, this.stopping.signal);
      }
      // Best effort: an unreleased lease simply expires, and another replica takes over then.
      await this.options.store.releaseLead('watcher', this.holderId).catch((error: unknown) => this.options.logger.warn('Could not release the watcher lead:', error));
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.running = undefined;
  }

  /**
   * One round of the loop: the changes since the mark (with a feed), or every group (without one,
   * or before the first mark). The mark moves to this cycle's start, less the lag, once every
   * check succeeded.
   */
  async cycle(): Promise<CheckResult[]> {
    const { feed, store } = this.options;
    if (!feed) return this.checkAll();
    const mark = await store.getWatchMark(WATCH_MARK);
    const next = this.clock.now() - (this.options.lagMs ?? DEFAULT_LAG_MS);
    const checked = mark === undefined ? await this.checkEverything() : await this.checkChanges(feed, mark, next);
    if (checked.failed === 0) await store.setWatchMark(WATCH_MARK, Math.max(next, mark ?? next));
    else this.options.logger.warn(`${checked.failed} feature group check(s) failed; the watcher looks at the same changes again next round`);
    return checked.results;
  }

  /** Checks every group SageMaker lists and every group seen before (a deleted group is no longer listed). */
  async checkAll(): Promise<CheckResult[]> {
    return (await this.checkEverything()).results;
  }

  private async checkEverything(): Promise<Checked> {
    const listed = await this.options.source.searchResources('', ['FeatureGroup'], ALL_GROUPS);
    return this.checkNames([...listed.map((hit) => hit.name), ...(await this.options.store.listSnapshotNames())]);
  }

  /** The groups created or modified since `mark`, then deletions among those created before `bound`. */
  private async checkChanges(feed: FeatureGroupFeed, mark: number, bound: number): Promise<Checked> {
    const { store } = this.options;
    const changed = await this.checkNames((await feed.changedSince(mark)).map((hit) => hit.name));
    // Snapshots saved before creation times were kept are checked once, which records theirs.
    const seen = new Set(changed.results.map((result) => result.featureGroup));
    const undated = (await store.listPresentGroups()).filter((group) => group.createdAt === undefined && !seen.has(group.featureGroup));
    const dated = undated.length > 0 ? await this.checkNames(undated.map((group) => group.featureGroup)) : { results: [], failed: 0 };
    const known = (await store.listPresentGroups())
      .filter((group): group is Required<PresentGroup> => group.createdAt !== undefined && group.createdAt < bound)
      .sort((a, b) => a.createdAt - b.createdAt);
    const gone = await this.reconcile(feed, 0, bound, known);
    return { results: [...changed.results, ...dated.results, ...gone.results], failed: changed.failed + dated.failed + gone.failed };
  }

  /**
   * Finds the groups created in [from, to) that SageMaker and the snapshots disagree about (deleted,
   * or never seen) and checks them: one count when they agree; otherwise the range is halved at
   * the middle known group, until a range is small enough to list.
   */
  private async reconcile(feed: FeatureGroupFeed, from: number, to: number, known: readonly Required<PresentGroup>[]): Promise<Checked> {
    const { count, exact } = await feed.countCreated(from, to);
    if (exact && count === known.length) return { results: [], failed: 0 };
    if ((exact && count <= LISTED_RANGE) || to - from <= 1) {
      const listed = new Set((await feed.createdBetween(from, to)).map((hit) => hit.name));
      const knownNames = new Set(known.map((group) => group.featureGroup));
      return this.checkNames([...[...listed].filter((name) => !knownNames.has(name)), ...[...knownNames].filter((name) => !listed.has(name))]);
    }
    const median = known[Math.floor(known.length / 2)]?.createdAt;
    const middle = median !== undefined && median > from && median < to ? median : from + Math.floor((to - from) / 2);
    const before = await this.reconcile(feed, from, middle, known.filter((group) => group.createdAt < middle));
    const after = await this.reconcile(feed, middle, to, known.filter((group) => group.createdAt >= middle));
    return { results: [...before.results, ...after.results], failed: before.failed + after.failed };
  }

  /** Checks each named group once, a few at a time; a group that cannot be checked is counted, not fatal. */
  private async checkNames(names: readonly string[]): Promise<Checked> {
    let failed = 0;
    const results = await mapPool([...new Set(names)].sort(), this.options.concurrency ?? 4, async (name) => {
      try {
        return await this.check(name);
      } catch (error) {
        failed++;
        this.options.logger.warn(`Could not check feature group ${name}; it is checked again next round:`, error);
        return undefined;
      }
    });
    return { results: results.filter((result): result is CheckResult => result !== undefined), failed };
  }

  /** Compares one group (name or ARN) with its snapshot, creating a notice on a breaking change. */
  async check(nameOrArn: string): Promise<CheckResult> {
    const name = parseArn(nameOrArn)?.resourceName ?? nameOrArn;
    const { store, source, logger } = this.options;
    const previous = await store.getSnapshot(name);
    const current = snapshotOf(name, await source.describeFeatureGroup(name), previous, this.clock.now());
    if (previous && previous.hash === current.hash) {
      // Nothing to tell, but a status (Deleting → gone) or a creation time not known before is kept:
      // the counts that find deletions read them.
      if (previous.status !== current.status || (previous.createdAt === undefined && current.createdAt !== undefined)) {
        await store.saveSnapshot({ ...current, takenAt: previous.takenAt });
      }
      return { featureGroup: name, outcome: 'unchanged' };
    }
    if (previous) this.invalidate(name, current.arn ?? previous.arn);
    const change = breakingChange(previous, current);
    if (!change || !previous) {
      await store.saveSnapshot(current);
      return { featureGroup: name, outcome: previous ? 'changed' : 'baseline' };
    }
    // Keyed by the transition: concurrent checks (the loop and an event) agree on it and create one notice.
    const sourceKey = `watch:${name}:${previous.hash}@${previous.takenAt}:${current.hash}`;
    const { notice, created } = await this.options.notices.announceDetectedChange({ name, ...(current.arn ? { arn: current.arn } : {}) }, change, sourceKey);
    await store.saveSnapshot(current);
    if (created) logger.info(`Breaking change to feature group ${name} detected; notice ${notice.id} created`);
    return { featureGroup: name, outcome: 'breaking', noticeId: notice.id, created };
  }

  private invalidate(name: string, arn: string | undefined): void {
    this.options.invalidate?.(name);
    if (arn) this.options.invalidate?.(arn);
  }
}
