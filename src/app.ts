// The composition root: builds every object from the configuration and injects it.
// Nothing else in the code base constructs a source, a service, a client or an App.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { createNoticeRenderer } from '../blocks/notices/index.js';
import { DEMO_SOURCE_NOTE } from '../blocks/source-note.js';
import type { LinkFinder } from '../commands/deps.js';
import { registerListeners } from '../commands/index.js';
import { explainAnnounceFailure } from '../commands/errors.js';
import { createAwsEventsRoute } from './http/aws-events-route.js';
import { healthRoutes } from './http/health-routes.js';
import { Metrics, metricsRoute } from './http/metrics.js';
import { Readiness } from './http/readiness.js';
import { SEND_TIMEOUT_MS } from './notices/delivery-worker.js';
import { systemClock, type Clock } from './notices/clock.js';
import { createNoticeSystem, type NoticeSystem, type NoticeSystemDeps } from './notices/index.js';
import { slackNoticePorts, type SlackMessage } from './notices/slack/index.js';
import type { FeatureGroupMarker } from './notices/ports.js';
import { createFeatureGroupMarker } from './notices/sagemaker/feature-group-marker.js';
import type { Store } from './store/index.js';
import { createLineageAccount, proposeLinks, type LineageAccount } from './record/index.js';
import { LinkRecorder } from './record/link-recorder.js';
import type { Config } from './config.js';
import { ConsoleReceiver } from './console/console-receiver.js';
import { createConsoleFetch, type PostedMessage } from './console/console-slack.js';
import { CONSOLE_IDS } from './console/console.js';
import { InFlight } from './in-flight.js';
import { CachedLineageSource } from './lineage/cache.js';
import { EntityNotFound } from './lineage/errors.js';
import { FeatureQueryReader } from './lineage/feature-query.js';
import { QUESTION_NAMES } from './lineage/questions.js';
import { LineageService } from './lineage/service.js';
import { PictureCache } from './picture/cache.js';
import { PictureService, type Picture } from './picture/pictures.js';
import { PictureRenderer } from './picture/render.js';
import type { LineageSource } from './lineage/lineage-source.js';
import { RequestContext } from './request-context.js';
import { createGuardedReceiver } from './slack-receiver.js';
import { startSlackApp } from './slack-startup.js';
import { createSource } from './create-source.js';

/** An answer slower than this first shows "Looking up …" (Slack itself waits 3 s for the ack only). */
export const LOOKING_AFTER_MS = 1500;

/** Logged at start-up when a Slack workspace is answered from the embedded demo. */
export const DEMO_SOURCE_WARNING =
  'LINEAGE_SOURCE is demo (the default): this Slack workspace is answered from the embedded demo account, and impact and deprecate reach its made-up owners. Set LINEAGE_SOURCE=sagemaker (or snapshot) to read your own lineage.';

export interface Runtime {
  app: App;
  service: LineageService;
  source: LineageSource;
  cache: CachedLineageSource;
  /** Pictures of the lineage (PNG, SVG, DOT), cached beside the answers and dropped with them. */
  pictures: PictureService;
  inFlight: InFlight;
  /** The HTTP request being handled, for the last-resort error handler's log (HTTP mode). */
  requests: RequestContext;
  /** Change and deprecation notices: delivery, reminders and watcher loops (not in console mode). */
  notices?: NoticeSystem<SlackMessage>;
  /** Prometheus metrics, served on GET /metrics. */
  metrics: Metrics;
  /** What GET /readyz reports besides the store. */
  readiness: Readiness;
  /** Set in console mode: where console payloads go in. */
  consoleReceiver?: ConsoleReceiver;
  /** Starts Slack, then the notice loops. */
  start(): Promise<void>;
  /** Stops taking requests, finishes answers in flight (at most `drainMs`), stops the loops. */
  stop(drainMs: number): Promise<boolean>;
}

export interface RuntimeOptions {
  /** The durable store: thread memory, processed events, notices. */
  store: Store;
  /** Console mode: where messages the bot posts are printed. */
  deliver?: (message: PostedMessage) => void;
  /** Console mode: the folder pictures are written to (default: lineage-bot-pictures in the system's temporary folder). */
  pictureDir?: string;
  /** Tests: a prepared source instead of the configured one. */
  source?: LineageSource;
  /** Tests: Web API client settings (retries) on top of the configured ones. */
  clientOptions?: WebClientOptions;
  lookingAfterMs?: number;
  /** Tests: proposals from a prepared account (by default only with the SageMaker source). */
  linkFinder?: LinkFinder;
  /** Tests: the account `infer` reads and "Record this link" writes (by default the SageMaker source's). */
  account?: LineageAccount;
  /** Tests: where write-back marks deprecated groups (by default SageMaker, with NOTICE_WRITE_BACK=true). */
  marker?: FeatureGroupMarker;
  /** The request (and its user and team) being handled, for the log; one is made when absent. */
  requests?: RequestContext;
  /** Node's process metrics on /metrics (main turns them on; tests leave them off). */
  processMetrics?: boolean;
  /** Tests: the pause between start-up attempts to reach Slack. */
  slackRetryEveryMs?: number;
  /** Extra HTTP routes beside /slack/events and /healthz (HTTP mode only). */
  routes?: CustomRoute[];
  /** Tests: notice settings the configuration does not carry (their own clock, retries, time budgets). */
  notices?: NoticeTestOptions;
}

export interface NoticeTestOptions extends Pick<NoticeSystemDeps<SlackMessage>, 'clock' | 'instanceId' | 'worker' | 'preparation'> {
  /** How long an announcement's check may take before its modal answers without it. */
  checkBudgetMs?: number;
  /** The test drives the loops itself (worker.runOnce, reminders.tick…): start() leaves them stopped. */
  manualLoops?: boolean;
}

export function createService(
  source: LineageSource,
  config: Pick<Config, 'limits' | 'source' | 'sagemaker' | 'notices'>,
  logger?: Pick<Logger, 'warn'>,
): LineageService {
  const describeConcurrency = config.source.kind === 'sagemaker' ? config.sagemaker.concurrency : 8;
  // An unreadable query makes answers say "features not known"; the log says why (never quoting the query).
  const queries = new FeatureQueryReader({
    onUnreadable: (where, reason) => logger?.warn(`Features not known for dataset ${JSON.stringify(where)}: its feature-store query cannot be read: ${reason}.`),
  });
  return new LineageService(
    source,
    { ...config.limits, describeConcurrency },
    { owner: config.notices.ownerTagKeys, channel: config.notices.channelTagKeys },
    queries,
  );
}

/**
 * Builds the Bolt app for the configured transport. Console mode gets a receiver fed from stdin
 * and a fetch that prints instead of calling Slack; HTTP and Socket Mode talk to Slack.
 */
function createBoltApp(
  config: Config,
  logger: Logger,
  options: RuntimeOptions,
  routes: CustomRoute[],
  requests: RequestContext,
): { app: App; consoleReceiver?: ConsoleReceiver } {
  const clientOptions: WebClientOptions = { ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}), ...options.clientOptions };
  const common = { logger, logLevel: logger.getLevel() as LogLevel };
  const slack = config.slack;
  switch (slack.kind) {
    case 'console': {
      const consoleReceiver = new ConsoleReceiver();
      const app = new App({
        ...common,
        receiver: consoleReceiver,
        authorize: async () => ({ botToken: 'xoxb-console', botId: 'BCONSOLE', botUserId: CONSOLE_IDS.bot, teamId: CONSOLE_IDS.team }),
        clientOptions: { ...clientOptions, fetch: createConsoleFetch(options.deliver ?? (() => {}), options.pictureDir ?? join(tmpdir(), 'lineage-bot-pictures')) },
      });
      return { app, consoleReceiver };
    }
    case 'http':
      return {
        app: new App({
          ...common,
          token: slack.botToken,
          // Bolt's HTTPReceiver, with payloads that would crash it refused first (src/slack-receiver.ts).
          receiver: createGuardedReceiver({ signingSecret: slack.signingSecret, endpoint: '/slack/events', port: slack.port, customRoutes: routes, logger, requests }),
          // The token is checked in start() (startSlackApp), where a refusal can be reported.
          deferInitialization: true,
          clientOptions,
        }),
      };
    case 'socket':
      return {
        // Socket Mode still serves /healthz and /aws/events over HTTP, on PORT.
        app: new App({
          ...common,
          token: slack.botToken,
          appToken: slack.appToken,
          socketMode: true,
          deferInitialization: true,
          customRoutes: routes,
          // Bolt hands installerOptions.port straight to server.listen (its only other use is a
          // debug line), so listen options carry HOST there; Bolt's type says number.
          installerOptions: { port: slack.host !== undefined ? ({ port: slack.port, host: slack.host } as unknown as number) : slack.port },
          clientOptions,
        }),
      };
  }
}

/** A model by name, or else a training job by that name. */
export function accountLinkFinder(account: LineageAccount): LinkFinder {
  return {
    propose: async (name) => {
      try {
        return await proposeLinks(account, { models: [name] });
      } catch (error) {
        if (!(error instanceof EntityNotFound)) throw error;
        return proposeLinks(account, { trainingJobs: [name] });
      }
    },
  };
}

/**
 * Recording a proposed link from Slack: authorised as announcing is (the group's owner tags and
 * LINEAGE_ADMINS), audited in the store, and the answers cached about what it linked dropped.
 */
export function createLinkRecorder(account: LineageAccount, notices: NoticeSystem<SlackMessage>, store: Store, cache: CachedLineageSource, clock: Clock): LinkRecorder {
  return new LinkRecorder({
    account,
    authorize: (featureGroup, userId) => notices.service.checkAnnouncer(featureGroup, userId),
    audit: store,
    invalidate: (ref) => void cache.invalidate(ref),
    now: () => clock.now(),
  });
}

/** The lineage cache in front of the source; its counters go to debug logs and /healthz, never values. */
function createCache(source: LineageSource, config: Config, logger: Logger, metrics: Metrics): CachedLineageSource {
  return new CachedLineageSource(source, {
    ttlMs: config.cache.ttlSeconds * 1000,
    maxEntries: config.cache.maxEntries,
    maxBytes: config.cache.maxBytes,
    onEvent: (event) => {
      if (event.type === 'hit' || event.type === 'miss' || event.type === 'stale' || event.type === 'coalesced') metrics.cache.inc({ result: event.type });
      if (event.type === 'refresh-failed') logger.warn(`Background refresh of ${event.method} failed; serving the stale answer`);
      else if (logger.getLevel() === LogLevel.DEBUG) logger.debug(`cache ${event.type}${'method' in event ? ` ${event.method}` : ''}`);
    },
  });
}

/** Pictures under the lineage cache's TTL, dropped whenever the cache drops what they were drawn from. */
export function createPictures(service: LineageService, cache: CachedLineageSource, config: Pick<Config, 'cache'>): PictureService {
  const pictures = new PictureService({
    service,
    renderer: new PictureRenderer(),
    cache: new PictureCache<Picture>({ ttlMs: config.cache.ttlSeconds * 1000, maxBytes: config.cache.pictureMaxBytes }),
  });
  cache.onDrop((ids) => pictures.invalidate(ids));
  return pictures;
}

/** What the notice system is built over. */
export interface NoticeWiring {
  store: Store;
  service: LineageService;
  /** Where impact walks read (the runtime's lineage cache). */
  source: LineageSource;
  /** Where the watcher reads feature group definitions: uncached, so it sees changes at once. */
  definitions: LineageSource;
  /** Drops what is cached about an entity that changed. */
  invalidate(ref: string): void;
  clientOptions: WebClientOptions;
  sourceNote?: string;
  /** Where write-back marks deprecated groups (NOTICE_WRITE_BACK=true). */
  marker?: FeatureGroupMarker;
  test?: NoticeTestOptions;
}

/**
 * The notice system as the runtime wires it (the notice tests build theirs with it too). Notices
 * talk to Slack with a client of their own: no client retries and rate limits rejected, because
 * the outbox worker owns retries (Retry-After, backoff) and must see every failure.
 */
export function createNotices(config: Config, logger: Logger, deps: NoticeWiring): NoticeSystem<SlackMessage> | undefined {
  if (config.slack.kind === 'console') return undefined; // owners are Slack users: nothing to notify in a terminal
  const client = new WebClient(config.slack.botToken, {
    ...deps.clientOptions,
    logger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // A send must end before its claim can expire and another replica send it too.
    timeout: SEND_TIMEOUT_MS,
  });
  return createNoticeSystem({
    config: config.notices,
    store: deps.store,
    service: deps.service,
    source: deps.source,
    definitions: deps.definitions,
    invalidate: (ref) => deps.invalidate(ref),
    ...(deps.marker ? { marker: deps.marker } : {}),
    ...slackNoticePorts(client, { clock: deps.test?.clock ?? systemClock }),
    renderer: createNoticeRenderer(deps.sourceNote),
    explainFailure: explainAnnounceFailure(logger),
    logger,
    ...(deps.test?.clock ? { clock: deps.test.clock } : {}),
    ...(deps.test?.instanceId ? { instanceId: deps.test.instanceId } : {}),
    ...(deps.test?.worker ? { worker: deps.test.worker } : {}),
    ...(deps.test?.preparation ? { preparation: deps.test.preparation } : {}),
  });
}

/** The listeners' share of the notice test options: the modal's clock and the check's time budget. */
function noticeListenerTestOptions(test: NoticeTestOptions | undefined): { clock?: Clock; checkBudgetMs?: number } {
  return { ...(test?.clock ? { clock: test.clock } : {}), ...(test?.checkBudgetMs ? { checkBudgetMs: test.checkBudgetMs } : {}) };
}

/**
 * The service with every answer timed into `metrics`, by question (the method) and outcome.
 * A wrapper here rather than a hook in every listener: the listeners stay as they are.
 */
function observeAnswers(service: LineageService, metrics: Metrics): LineageService {
  return new Proxy(service, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !ANSWERS.has(property)) return value;
      return (...args: unknown[]) => metrics.timeAnswer(property, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/**
 * The LineageService methods that answer a question (the rest resolve or recognise names): the
 * registry's questions, each run by the method of its name, and the pictures' and App Home's walks.
 */
const ANSWERS = new Set<string>([...QUESTION_NAMES, 'neighbourhood', 'blastRadius', 'ownedBy']);

export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  const notifying = config.slack.kind !== 'console';
  const metrics = new Metrics({ ...(notifying ? { outbox: () => options.store.deliveryCounts() } : {}), ...(options.processMetrics ? { processMetrics: true } : {}) });
  const readiness = new Readiness({ slack: notifying, sagemaker: !options.source && config.source.kind === 'sagemaker' });
  const inner =
    options.source ??
    (await createSource(config, (call) => {
      readiness.sagemakerCall(call.errorCode);
      metrics.sagemakerCalls.inc({ operation: call.operation, error_code: call.errorCode ?? 'none' });
      metrics.sagemakerSeconds.observe({ operation: call.operation }, call.seconds);
    }));
  const cache = createCache(inner, config, logger, metrics);
  const source = cache;
  const service = observeAnswers(createService(source, config, logger), metrics);
  const pictures = createPictures(service, cache, config);
  const inFlight = new InFlight();
  const clientOptions: WebClientOptions = { ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}), ...options.clientOptions };
  // A workspace answered from the demo must never mistake it for its own account. The console
  // says so in its banner; in Slack every message says so, and the log warns at start-up.
  const demo = !options.source && config.source.kind === 'demo' && config.slack.kind !== 'console';
  const sourceNote = demo ? DEMO_SOURCE_NOTE : undefined;
  if (demo) logger.warn(DEMO_SOURCE_WARNING);
  // Write-back writes to SageMaker (iam/write-back.json), only when NOTICE_WRITE_BACK=true asks for it.
  const marker = config.notices.writeBack ? (options.marker ?? createFeatureGroupMarker(config.sagemaker)) : undefined;
  const notices = createNotices(config, logger, {
    store: options.store,
    service,
    source: cache,
    definitions: inner,
    invalidate: (ref) => cache.invalidate(ref),
    clientOptions,
    ...(sourceNote ? { sourceNote } : {}),
    ...(marker ? { marker } : {}),
    ...(options.notices ? { test: options.notices } : {}),
  });
  const awsEvents = notices && config.notices.awsEventsApiKey
    ? createAwsEventsRoute({ apiKey: config.notices.awsEventsApiKey, store: options.store, watcher: notices.watcher, invalidate: (ref) => cache.invalidate(ref), logger })
    : undefined;
  const host = config.slack.kind === 'console' ? undefined : config.slack.host;
  const routes = [
    ...healthRoutes(service, inFlight, cache, options.store, readiness),
    metricsRoute({ metrics, ...(config.metricsToken ? { token: config.metricsToken } : {}), ...(host ? { host } : {}) }),
    ...(awsEvents ? [awsEvents] : []),
    ...(options.routes ?? []),
  ];
  const requests = options.requests ?? new RequestContext();
  const { app, consoleReceiver } = createBoltApp(config, logger, options, routes, requests);
  // Before every listener: the user and team ids into the request's log context.
  app.use(requests.middleware());
  const account = options.account ?? (config.source.kind === 'sagemaker' ? createLineageAccount(config.sagemaker) : undefined);
  const linkFinder = options.linkFinder ?? (account ? accountLinkFinder(account) : undefined);
  // "Record this link" writes to SageMaker (iam/record.json) for the group's owners, whom the notice system resolves.
  const linkRecorder = account && notices ? createLinkRecorder(account, notices, options.store, cache, options.notices?.clock ?? systemClock) : undefined;
  registerListeners(app, {
    service,
    ...(linkFinder ? { linkFinder } : {}),
    ...(linkRecorder ? { linkRecorder } : {}),
    logger,
    memory: options.store,
    cache,
    ...(notices ? { notices: { notices: notices.service, service, logger, ...(sourceNote ? { sourceNote } : {}), ...noticeListenerTestOptions(options.notices) } } : {}),
    pictures,
    lookingAfterMs: options.lookingAfterMs ?? LOOKING_AFTER_MS,
    ...(sourceNote ? { sourceNote } : {}),
    inFlight,
  });
  app.error(async (error) => {
    logger.error('Unhandled error in a listener:', error);
  });
  return {
    app,
    service,
    source,
    cache,
    pictures,
    inFlight,
    requests,
    metrics,
    readiness,
    ...(notices ? { notices } : {}),
    ...(consoleReceiver ? { consoleReceiver } : {}),
    start: async () => {
      if (config.slack.kind === 'console') await app.start();
      else {
        await startSlackApp(app, config.slack, {
          timeoutMs: config.slackStartupTimeoutSeconds * 1000,
          ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
          ...(options.slackRetryEveryMs !== undefined ? { retryEveryMs: options.slackRetryEveryMs } : {}),
        });
        readiness.slackReady();
      }
      if (!options.notices?.manualLoops) await notices?.start();
    },
    stop: async (drainMs) => {
      await app.stop();
      const drained = await inFlight.drain(drainMs);
      await notices?.stop();
      return drained;
    },
  };
}
