// Change and deprecation notices, assembled: the composition root (src/app.ts) calls
// createNoticeSystem once with the store, the lineage service and source, a Slack client and the
// renderer from blocks/notices, then start() and, on shutdown, stop(). Nothing here is a global.
import type { CustomRoute, Logger, webApi } from '@slack/bolt';
import type { LineageService } from '../lineage/service.js';
import type { LineageSource } from '../lineage/source.js';
import type { ProcessedEvents } from '../store/types.js';
import type { NoticeStore } from './ports.js';
import { AcknowledgeAuthorizer, AnnounceAuthorizer } from './authorize.js';
import { createAwsEventsRoute } from './aws-events-route.js';
import { systemClock, type Clock } from './clock.js';
import type { NoticesConfig } from './config.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.js';
import { newHolderId, systemProcessTable, takeOverFromGoneHolders, type ProcessTable } from './holder.js';
import { ImpactAnalyzer } from './impact.js';
import { ClaimLease } from './lease.js';
import { NoticeService, type NoticeServiceDeps } from './service.js';
import { OwnerResolver } from './owners.js';
import { PreparationLoop } from './preparations.js';
import { ReminderScheduler } from './reminders.js';
import { SlackDirectory } from './slack-directory.js';
import type { NoticeRenderer } from './status.js';
import { FeatureGroupWatcher } from './watcher.js';

export interface NoticeSystemDeps {
  config: NoticesConfig;
  store: NoticeStore & ProcessedEvents;
  service: LineageService;
  /** The source the service reads (cached or not): tags, models, endpoints. */
  source: LineageSource;
  /** Where the watcher reads feature group definitions: the uncached source, so it sees changes at once. Default: `source`. */
  definitions?: LineageSource;
  /** Drops cached lineage about a group (name or ARN) that changed; e.g. `(ref) => cachedSource.invalidate(ref)`. */
  invalidate?: (ref: string) => void;
  /**
   * Web API client for lookups and sending. Build it with `retryConfig: { retries: 0 }` and
   * `rejectRateLimitedCalls: true`: the outbox retries durably and honours Retry-After itself.
   */
  client: webApi.WebClient;
  renderer: NoticeRenderer;
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
  worker?: Pick<DeliveryWorkerOptions, 'concurrency' | 'leaseMs' | 'pollMs' | 'maxAttempts' | 'backoff' | 'channelIntervalMs' | 'historyMarginMs'>;
  /** Retries of accepted announcements whose impact could not be worked out yet. */
  preparation?: NoticeServiceDeps['preparation'];
  /** Time between reminder ticks. Default 1 minute. */
  reminderIntervalMs?: number;
}

export interface NoticeSystem {
  service: NoticeService;
  worker: DeliveryWorker;
  /** Prepares accepted announcements no process is working on (after a crash, or to retry). */
  preparations: PreparationLoop;
  /** The claims of this process and their heartbeat. */
  lease: ClaimLease;
  reminders: ReminderScheduler;
  watcher: FeatureGroupWatcher;
  /** POST /aws/events for the App's customRoutes; undefined when AWS_EVENTS_API_KEY is unset. */
  awsEventsRoute: CustomRoute | undefined;
  /**
   * Takes over the claims of a previous process on this host that is gone, then starts the
   * heartbeat, the delivery worker, the preparation and reminder loops and (if
   * WATCH_INTERVAL_SECONDS > 0) the watcher. Resolves once they run.
   */
  start(): Promise<void>;
  /** Stops them all, letting sends in flight finish. */
  stop(): Promise<void>;
}

export function createNoticeSystem(deps: NoticeSystemDeps): NoticeSystem {
  const clock = deps.clock ?? systemClock;
  const processTable = deps.processTable ?? systemProcessTable;
  const id = deps.instanceId ?? newHolderId(processTable.current());
  const tagKeys = { ownerTagKeys: deps.config.ownerTagKeys, channelTagKeys: deps.config.channelTagKeys };
  const directory = new SlackDirectory(deps.client, { clock });
  const owners = new OwnerResolver(directory, tagKeys);
  const lease = new ClaimLease({ store: deps.store, holderId: id, clock, logger: deps.logger, ...(deps.worker?.leaseMs ? { leaseMs: deps.worker.leaseMs } : {}) });
  const worker = new DeliveryWorker({ ...deps.worker, store: deps.store, client: deps.client, renderer: deps.renderer, logger: deps.logger, clock, workerId: id, lease });
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
    ...(deps.reminderIntervalMs ? { intervalMs: deps.reminderIntervalMs } : {}),
    onEnqueued: () => worker.wake(),
  });
  const watcher = new FeatureGroupWatcher({
    store: deps.store,
    source: deps.definitions ?? deps.source,
    notices,
    logger: deps.logger,
    intervalSeconds: deps.config.watchIntervalSeconds,
    ...(deps.invalidate ? { invalidate: deps.invalidate } : {}),
    clock,
    holderId: id,
  });
  const awsEventsRoute = createAwsEventsRoute({
    ...(deps.config.awsEventsApiKey ? { apiKey: deps.config.awsEventsApiKey } : {}),
    store: deps.store,
    watcher,
    ...(deps.invalidate ? { invalidate: deps.invalidate } : {}),
    logger: deps.logger,
  });
  let started: Promise<void> | undefined;
  return {
    service: notices,
    worker,
    preparations,
    lease,
    reminders,
    watcher,
    awsEventsRoute,
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

export { loadNoticesConfig, NOTICES_SECRET_VARIABLES, type NoticesConfig } from './config.js';
export { systemClock, type Clock } from './clock.js';
export type { NoticeRenderer, NoticeStatus, RecipientStatus, SlackMessage } from './status.js';
export type { NoticeService, AnnounceInput, PrepareOutcome } from './service.js';
export type { Impact, ImpactResource } from './impact.js';
