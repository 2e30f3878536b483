// The watcher: compares each feature group's definition with the snapshot it stored last time
// and, on a breaking change, creates a notice by itself (attributed to the watcher). It runs every
// WATCH_INTERVAL_SECONDS on the one replica that leads it, and at once for a group an EventBridge
// event says changed (aws-events-route.ts). Checks are idempotent: the notice is keyed by the
// transition it reports, and the snapshot is only saved after the notice exists, so a crash in
// between re-detects the change and finds the notice already there.
import { randomUUID } from 'node:crypto';
import type { Logger } from './ports.js';
import { mapPool } from '../lineage/pool.js';
import { parseArn } from '../lineage/reference.js';
import type { LineageSource } from '../lineage/lineage-source.js';
import type { Leadership, Snapshots } from './ports.js';
import { systemClock, type Clock } from './clock.js';
import { breakingChange, snapshotOf } from './definitions.js';
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
}

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
          if (await this.options.store.tryLead('watcher', this.holderId, 3 * intervalMs, this.clock.now())) await this.checkAll();
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

  /** Checks every group SageMaker lists and every group seen before (a deleted group is no longer listed). */
  async checkAll(): Promise<CheckResult[]> {
    const listed = await this.options.source.searchResources('', ['FeatureGroup'], ALL_GROUPS);
    const names = [...new Set([...listed.map((hit) => hit.name), ...(await this.options.store.listSnapshotNames())])].sort();
    const results = await mapPool(names, this.options.concurrency ?? 4, async (name) => {
      try {
        return await this.check(name);
      } catch (error) {
        this.options.logger.warn(`Could not check feature group ${name}; it is checked again next round:`, error);
        return undefined;
      }
    });
    return results.filter((result): result is CheckResult => result !== undefined);
  }

  /** Compares one group (name or ARN) with its snapshot, creating a notice on a breaking change. */
  async check(nameOrArn: string): Promise<CheckResult> {
    const name = parseArn(nameOrArn)?.resourceName ?? nameOrArn;
    const { store, source, logger } = this.options;
    const previous = await store.getSnapshot(name);
    const current = snapshotOf(name, await source.describeFeatureGroup(name), previous, this.clock.now());
    if (previous && previous.hash === current.hash) return { featureGroup: name, outcome: 'unchanged' };
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
