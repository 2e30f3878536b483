// Change and deprecation notices, assembled: the composition root (src/app.ts) calls
// createNotifySystem once with the store, the lineage service and source, a Slack client and the
// renderer from blocks/notices, then start() and, on shutdown, stop(). Nothing here is a global.
import type { CustomRoute, Logger, webApi } from '@slack/bolt';
import type { LineageService } from '../lineage/service.js';
import type { LineageSource } from '../lineage/source.js';
import type { Store } from '../store/types.js';
import { AcknowledgeAuthorizer, AnnounceAuthorizer } from './authorize.js';
import { createAwsEventsRoute } from './aws-events-route.js';
import { systemClock, type Clock } from './clock.js';
import type { NotifyConfig } from './config.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.js';
import { ImpactAnalyzer } from './impact.js';
import { NoticeService } from './notices.js';
import { OwnerResolver } from './owners.js';
import { ReminderScheduler } from './reminders.js';
import { SlackDirectory } from './slack-directory.js';
import type { NoticeRenderer } from './status.js';
import { FeatureGroupWatcher } from './watcher.js';

export interface NotifySystemDeps {
  config: NotifyConfig;
  store: Store;
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
  logger: Logger;
  clock?: Clock;
  /** Unique per process (defaults to a random id): names this replica's claims and leads. */
  instanceId?: string;
  worker?: Pick<DeliveryWorkerOptions, 'concurrency' | 'leaseMs' | 'pollMs' | 'maxAttempts' | 'backoff' | 'channelIntervalMs' | 'historyMarginMs'>;
  /** Time between reminder ticks. Default 1 minute. */
  reminderIntervalMs?: number;
}

export interface NotifySystem {
  notices: NoticeService;
  worker: DeliveryWorker;
  reminders: ReminderScheduler;
  watcher: FeatureGroupWatcher;
  /** POST /aws/events for the App's customRoutes; undefined when AWS_EVENTS_API_KEY is unset. */
  awsEventsRoute: CustomRoute | undefined;
  /** Starts the delivery worker, the reminder loop and (if WATCH_INTERVAL_SECONDS > 0) the watcher. */
  start(): void;
  /** Stops all three, letting sends in flight finish. */
  stop(): Promise<void>;
}

export function createNotifySystem(deps: NotifySystemDeps): NotifySystem {
  const clock = deps.clock ?? systemClock;
  const id = deps.instanceId ?? `lineage-bot-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const tagKeys = { ownerTagKeys: deps.config.ownerTagKeys, channelTagKeys: deps.config.channelTagKeys };
  const directory = new SlackDirectory(deps.client, { clock });
  const owners = new OwnerResolver(directory, tagKeys);
  const worker = new DeliveryWorker({ ...deps.worker, store: deps.store, client: deps.client, renderer: deps.renderer, logger: deps.logger, clock, workerId: id });
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
    onEnqueued: () => worker.wake(),
  });
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
  return {
    notices,
    worker,
    reminders,
    watcher,
    awsEventsRoute,
    start: () => {
      worker.start();
      reminders.start();
      watcher.start();
    },
    stop: async () => {
      await Promise.all([watcher.stop(), reminders.stop(), worker.stop()]);
    },
  };
}

export { loadNotifyConfig, NOTIFY_SECRET_VARIABLES, type NotifyConfig } from './config.js';
export { systemClock, type Clock } from './clock.js';
export type { NoticeRenderer, NoticeStatus, RecipientStatus, SlackMessage } from './status.js';
export type { NoticeService, AnnounceInput } from './notices.js';
export type { Impact, ImpactResource } from './impact.js';
