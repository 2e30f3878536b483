// Change and deprecation notices, assembled: the composition root (src/app.ts) calls
// createNoticeSystem once with the store, the lineage service and source, the Slack adapters
// (src/notices/slack/) and the renderer from blocks/notices, then start() and, on shutdown,
// stop(). Nothing here is a global.
import type { LineageService } from '../lineage/service.js';
import type { LineageSource } from '../lineage/lineage-source.js';
import { AcknowledgeAuthorizer, AnnounceAuthorizer } from './authorize.js';
import { systemClock, type Clock } from './clock.js';
import type { NoticesConfig } from '../config.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.js';
import { EscalationRouter } from './escalation.js';
import { newHolderId, systemProcessTable, takeOverFromGoneHolders, type ProcessTable } from './holder.js';
import { ImpactAnalyzer } from './impact.js';
import { ClaimLease } from './lease.js';
import { NoticeService, type NoticeServiceDeps } from './service.js';
import { OwnerResolver } from './owners.js';
import { PreparationLoop } from './preparations.js';
import type { Directory, FeatureGroupMarker, HistoryChecker, Logger, NoticePoster, NoticeStore } from './ports.js';
import { ReminderScheduler } from './reminders.js';
import type { NoticeRenderer } from './status.js';
import { FeatureGroupWatcher } from './watcher.js';
import { WriteBackRunner } from './write-back.js';

/** `Message`: what the renderer builds and the poster sends. */
export interface NoticeSystemDeps<Message> {
  config: NoticesConfig;
  store: NoticeStore;
  service: LineageService;
  /** The source the service reads (cached or not): tags, models, endpoints. */
  source: LineageSource;
  /** Where the watcher reads feature group definitions: the uncached source, so it sees changes at once. Default: `source`. */
  definitions?: LineageSource;
  /** Drops cached lineage about a group (name or ARN) that changed; e.g. `(ref) => cachedSource.invalidate(ref)`. */
  invalidate?: (ref: string) => void;
  /** Sends the messages; it must not retry by itself (the outbox retries durably and honours rate limits itself). */
  poster: NoticePoster<Message>;
  /** Checks whether an interrupted message went out before it is sent again. */
  history: HistoryChecker;
  /** Finds owners and channels, and who is in a channel. */
  directory: Directory;
  renderer: NoticeRenderer<Message>;
  /** What the announcer is told when their announcement cannot be sent: the listeners' words for an error. */
  explainFailure: NoticeServiceDeps['explainFailure'];
  logger: Logger;
  clock?: Clock;
  /**
   * Unique per process: names this replica's claims and leads. Default: an id naming this process
   * (host, PID, start time), so that after a crash its successor on the same host can tell it is gone.
   */
  instanceId?: string;
  /** Tests: the process table that tells whether a previous holder is gone. */
  processTable?: ProcessTable;
  worker?: Pick<DeliveryWorkerOptions<Message>, 'concurrency' | 'leaseMs' | 'pollMs' | 'maxAttempts' | 'backoff' | 'channelIntervalMs' | 'historyMarginMs'>;
  /** Retries of accepted announcements whose impact could not be worked out yet. */
  preparation?: NoticeServiceDeps['preparation'];
  /** Time between reminder ticks. Default 1 minute. */
  reminderIntervalMs?: number;
  /**
   * Marks deprecated groups in SageMaker when their date passes (src/notices/sagemaker/). Used
   * only with NOTICE_WRITE_BACK=true (config.writeBack); without one, nothing is written.
   */
  marker?: FeatureGroupMarker;
}

export interface NoticeSystem<Message> {
  service: NoticeService;
  worker: DeliveryWorker<Message>;
  /** Prepares accepted announcements no process is working on (after a crash, or to retry). */
  preparations: PreparationLoop;
  /** The claims of this process and their heartbeat. */
  lease: ClaimLease;
  reminders: ReminderScheduler;
  watcher: FeatureGroupWatcher;
  /**
   * Takes over the claims of a previous process on this host that is gone, then starts the
   * heartbeat, the delivery worker, the preparation and reminder loops and (if
   * WATCH_INTERVAL_SECONDS > 0) the watcher. Resolves once they run.
   */
  start(): Promise<void>;
  /** Stops them all, letting sends in flight finish. */
  stop(): Promise<void>;
}

export function createNoticeSystem<Message>(deps: NoticeSystemDeps<Message>): NoticeSystem<Message> {
  const clock = deps.clock ?? systemClock;
  const processTable = deps.processTable ?? systemProcessTable;
  const id = deps.instanceId ?? newHolderId(processTable.current());
  const tagKeys = { ownerTagKeys: deps.config.ownerTagKeys, channelTagKeys: deps.config.channelTagKeys };
  const { directory } = deps;
  const owners = new OwnerResolver(directory, tagKeys);
  const lease = new ClaimLease({ store: deps.store, holderId: id, clock, logger: deps.logger, ...(deps.worker?.leaseMs ? { leaseMs: deps.worker.leaseMs } : {}) });
  const writeBack =
    deps.config.writeBack && deps.marker
      ? new WriteBackRunner({
          marker: deps.marker,
          source: deps.definitions ?? deps.source,
          store: deps.store,
          logger: deps.logger,
          ...(deps.invalidate ? { invalidate: deps.invalidate } : {}),
        })
      : undefined;
  const worker = new DeliveryWorker({ ...deps.worker, ...(writeBack ? { writeBack } : {}), store: deps.store, poster: deps.poster, history: deps.history, renderer: deps.renderer, logger: deps.logger, clock, workerId: id, lease });
  const notices = new NoticeService({
    store: deps.store,
    service: deps.service,
    source: deps.source,
    impact: new ImpactAnalyzer({ service: deps.service, source: deps.source, owners }),
    authorizer: new AnnounceAuthorizer({ source: deps.source, owners, admins: deps.config.admins, tagKeys }),
    acknowledgers: new AcknowledgeAuthorizer({ directory }),
    owners,
    config: deps.config,
    clock,
    logger: deps.logger,
    lease,
    explainFailure: deps.explainFailure,
    ...(deps.preparation ? { preparation: deps.preparation } : {}),
    onEnqueued: () => worker.wake(),
  });
  const preparations = new PreparationLoop({ store: deps.store, notices, lease, clock, logger: deps.logger });
  const reminders = new ReminderScheduler({
    store: deps.store,
    logger: deps.logger,
    clock,
    holderId: id,
    escalation: new EscalationRouter({ directory, logger: deps.logger, ...(deps.config.escalationChannel ? { configuredChannel: deps.config.escalationChannel } : {}) }),
    ...(deps.reminderIntervalMs ? { intervalMs: deps.reminderIntervalMs } : {}),
    writeBack: writeBack !== undefined,
    onEnqueued: () => worker.wake(),
  });
  const definitions = deps.definitions ?? deps.source;
  const feed = definitions.featureGroupFeed?.();
  const watcher = new FeatureGroupWatcher({
    store: deps.store,
    source: definitions,
    ...(feed ? { feed } : {}),
    notices,
    logger: deps.logger,
    intervalSeconds: deps.config.watchIntervalSeconds,
    ...(deps.invalidate ? { invalidate: deps.invalidate } : {}),
    clock,
    holderId: id,
  });
  let started: Promise<void> | undefined;
  return {
    service: notices,
    worker,
    preparations,
    lease,
    reminders,
    watcher,
    start: () => {
      started ??= (async () => {
        try {
          await takeOverFromGoneHolders(deps.store, { ownId: id, table: processTable, logger: deps.logger, now: clock.now() });
        } catch (error) {
          // The store is down at start-up: the loops retry, and the gone process's claims expire.
          deps.logger.warn('Could not check for work left by a previous process; it is taken over when its claims expire:', error);
        }
        lease.start();
        worker.start();
        preparations.start();
        reminders.start();
        watcher.start();
      })();
      return started;
    },
    stop: async () => {
      await started;
      await Promise.all([watcher.stop(), reminders.stop(), preparations.stop(), worker.stop()]);
      lease.stop();
    },
  };
}

export { systemClock, type Clock } from './clock.js';
export type { NoticeRenderer, NoticeStatus, RecipientStatus } from './status.js';
export type { NoticeService, AnnounceInput, PrepareOutcome } from './service.js';
export type { Impact, ImpactResource } from './impact.js';
