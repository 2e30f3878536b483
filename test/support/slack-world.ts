// The demo account's owners as a Slack workspace, and the notice system built by src/app.ts's own
// createNotices — store, lineage service, Slack adapters, renderer, clock — plus POST /aws/events,
// for the notice tests that drive it below Bolt.
import { webApi, type CustomRoute, type Logger } from '@slack/bolt';
import { createNotices } from '../../src/app.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { LineageService } from '../../src/lineage/service.js';
import type { FeatureGroupResource, LineageSource } from '../../src/lineage/lineage-source.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { createLogger } from '../../src/logger.js';
import { loadConfig } from '../../src/config.js';
import { createAwsEventsRoute } from '../../src/http/aws-events-route.js';
import type { NoticeSystem, NoticeSystemDeps } from '../../src/notices/index.js';
import type { SlackMessage } from '../../src/notices/slack/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { Clock } from '../../src/notices/clock.js';
import type { Notice } from '../../src/notices/model.js';
import { FakeSlack, type FakeChannel, type FakeUser } from './slack-fake.js';

/**
 * A clock the test moves, for reminders, retries and Slack's Retry-After. sleep() advances the
 * clock by the time asked (after letting other work run), so a worker waiting out a 429 or a
 * backoff finishes at once while still seeing time pass.
 */
export class ManualClock implements Clock {
  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (ms > 0) this.time += ms;
  }

  set(time: number | string): void {
    this.time = typeof time === 'string' ? Date.parse(time) : time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** People and channels named by the demo's tags. */
export const PEOPLE = {
  priya: { id: 'UPRIYA', email: 'priya.nair@example.com', name: 'Priya Nair' }, // owns customers and claims
  ana: { id: 'UANA', email: 'ana.silva@example.com', name: 'Ana Silva' }, // fraud-detector (team #fraud-ml)
  chen: { id: 'U04CHURN01', name: 'Chen Wu' }, // churn-predictor, by user ID
  claimsData: { id: 'U04CLAIMS2', name: 'Claims Data' }, // owns claims-v2
  ben: { id: 'UBEN', email: 'ben.okafor@example.com', name: 'Ben Okafor' }, // claims-triage (team #claims-ops)
  admin: { id: 'UADMIN', name: 'Lineage Admin' },
  stranger: { id: 'USTRANGER', name: 'Sam Stranger' },
} as const satisfies Record<string, FakeUser>;

export const CHANNELS = {
  announce: { id: 'CANNOUNCE', name: 'ml-platform' },
  fraud: { id: 'CFRAUD', name: 'fraud-ml', members: ['UANA'] },
  claims: { id: 'CCLAIMS', name: 'claims-ops', members: ['UBEN'] },
} as const satisfies Record<string, FakeChannel>;

export const T0 = Date.parse('2026-01-05T09:00:00Z');

/** The key POST /aws/events takes in these tests. */
/** A notice as the store returns one, for block builders' tests: a deprecation of customers announced by Priya, with `overrides`. */
export function sampleNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    id: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f',
    sourceKey: 'view:V1',
    featureGroup: 'customers',
    kind: 'deprecation',
    effectiveDate: '2026-02-01',
    announcer: { type: 'user', userId: 'UPRIYA' },
    summaryTarget: 'CANNOUNCE',
    reportTo: 'UPRIYA',
    unreachable: [],
    reminderDays: [7, 1],
    finalReportAt: Date.parse('2026-02-01T00:00:00Z'),
    createdAt: Date.parse('2026-01-05T09:00:00Z'),
    summaryVersion: 0,
    summaryRendered: 0,
    revision: 0,
    ...overrides,
  };
}

export const AWS_EVENTS_KEY = 'test-events-key-0123456789';

/** A LineageSource whose snapshot a test can replace, as SageMaker changes under the bot. */
export class ChangingSource implements LineageSource {
  readonly description = 'changing demo';
  constructor(public current: LineageSource) {}
  scope: LineageSource['scope'] = () => this.current.scope();
  describeEntity: LineageSource['describeEntity'] = (arn) => this.current.describeEntity(arn);
  listEntities: LineageSource['listEntities'] = (filter) => this.current.listEntities(filter);
  queryLineage: LineageSource['queryLineage'] = (query) => this.current.queryLineage(query);
  describeFeatureGroup: LineageSource['describeFeatureGroup'] = (name) => this.current.describeFeatureGroup(name);
  describeModel: LineageSource['describeModel'] = (name) => this.current.describeModel(name);
  describeEndpoint: LineageSource['describeEndpoint'] = (name) => this.current.describeEndpoint(name);
  describeEndpointConfig: LineageSource['describeEndpointConfig'] = (name) => this.current.describeEndpointConfig(name);
  describeTrainingJob: LineageSource['describeTrainingJob'] = (name) => this.current.describeTrainingJob(name);
  describeProcessingJob: LineageSource['describeProcessingJob'] = (name) => this.current.describeProcessingJob(name);
  describeModelPackageGroup: LineageSource['describeModelPackageGroup'] = (name) => this.current.describeModelPackageGroup(name);
  listModelPackages: LineageSource['listModelPackages'] = (group) => this.current.listModelPackages(group);
  describePipelineExecution: LineageSource['describePipelineExecution'] = (arn) => this.current.describePipelineExecution(arn);
  listTags: LineageSource['listTags'] = (arn) => this.current.listTags(arn);
  searchResources: LineageSource['searchResources'] = (text, kinds, limit) => this.current.searchResources(text, kinds, limit);
  searchDataSources: LineageSource['searchDataSources'] = (text, limit) => this.current.searchDataSources(text, limit);
  findTagged: LineageSource['findTagged'] = (kinds, keys, values) => this.current.findTagged(kinds, keys, values);
  findNamed: LineageSource['findNamed'] = (names, kinds) => this.current.findNamed(names, kinds);
  tagsOf: LineageSource['tagsOf'] = (subjects) => this.current.tagsOf(subjects);

  /** Replaces the snapshot with an edited copy of the demo. */
  change(edit: (snapshot: Snapshot) => void): void {
    const snapshot = structuredClone(demoSnapshot());
    edit(snapshot);
    this.current = new SnapshotSource(snapshot, 'changed demo');
  }
}

/** Edits a feature group's definitions in a snapshot. */
export function editFeatureGroup(snapshot: Snapshot, name: string, edit: (features: { FeatureName: string; FeatureType: FeatureGroupResource['features'][number]['type'] }[]) => void, status?: string): void {
  const group = snapshot.FeatureGroups.find((g) => g.FeatureGroupName === name);
  if (!group) throw new Error(`no feature group ${name}`);
  edit(group.FeatureDefinitions);
  if (status) group.FeatureGroupStatus = status;
}

export interface World {
  fake: FakeSlack;
  clock: ManualClock;
  store: Store;
  source: ChangingSource;
  service: LineageService;
  system: NoticeSystem<SlackMessage>;
  /** POST /aws/events over the world's watcher, as src/app.ts mounts it (with AWS_EVENTS_API_KEY set). */
  awsEventsRoute: CustomRoute | undefined;
  client: webApi.WebClient;
  logger: Logger;
  logs: string[];
  invalidated: string[];
  close(): Promise<void>;
}

export interface WorldOptions {
  env?: Record<string, string>;
  users?: FakeUser[];
  channels?: FakeChannel[];
  storeUrl?: string;
  slackApiUrl?: string;
  worker?: NoticeSystemDeps<SlackMessage>['worker'];
  fake?: FakeSlack;
  clock?: ManualClock;
  /** The lineage account; default the demo. */
  snapshot?: Snapshot;
  /** PostgreSQL schema, with a postgres storeUrl. */
  schema?: string;
  /** Limits of the lineage service (walk size, calls in flight); the shipped defaults otherwise. */
  limits?: { maxDepth?: number; maxVertices?: number; describeConcurrency?: number };
  preparation?: NoticeSystemDeps<SlackMessage>['preparation'];
  /** Where write-back marks deprecated groups, with NOTICE_WRITE_BACK=true in `env` (a fake SageMaker's: testMarker). */
  marker?: NoticeSystemDeps<SlackMessage>['marker'];
  /** Names this replica's claims and leads; default 'test-instance'. */
  instanceId?: string;
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const clock = options.clock ?? new ManualClock(T0);
  const fake = options.fake ?? new FakeSlack({ users: options.users ?? Object.values(PEOPLE), channels: options.channels ?? Object.values(CHANNELS), now: () => clock.now() });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const store = await openStore(options.storeUrl ?? 'sqlite::memory:', { now: () => clock.now(), ...(options.schema ? { schema: options.schema } : {}) });
  const source = new ChangingSource(new SnapshotSource(options.snapshot ?? demoSnapshot(), 'demo'));
  const service = new LineageService(source, { maxDepth: 30, maxVertices: 5000, describeConcurrency: 4, ...options.limits });
  const client = new webApi.WebClient('xoxb-test-token', {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger,
    logLevel: webApi.LogLevel.ERROR,
  });
  const invalidated: string[] = [];
  const appConfig = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-signing-secret', LINEAGE_ADMINS: PEOPLE.admin.id, AWS_EVENTS_API_KEY: AWS_EVENTS_KEY, ...options.env });
  const config = appConfig.notices;
  const invalidate = (ref: string) => void invalidated.push(ref);
  // Wired as the runtime wires it (src/app.ts createNotices), over an uncached source whose
  // invalidations the tests read.
  const system = createNotices(appConfig, logger, {
    store,
    service,
    source,
    definitions: source,
    invalidate,
    ...(options.marker ? { marker: options.marker } : {}),
    clientOptions: { ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}), logLevel: webApi.LogLevel.ERROR },
    test: { clock, instanceId: options.instanceId ?? 'test-instance', worker: { pollMs: 1000, ...options.worker }, ...(options.preparation ? { preparation: options.preparation } : {}) },
  });
  if (!system) throw new Error('the notice system is built in Slack mode only');
  const awsEventsRoute = config.awsEventsApiKey ? createAwsEventsRoute({ apiKey: config.awsEventsApiKey, store, watcher: system.watcher, invalidate, logger }) : undefined;
  return {
    fake,
    clock,
    store,
    awsEventsRoute,
    source,
    service,
    system,
    client,
    logger,
    logs,
    invalidated,
    close: async () => {
      await system.stop();
      await store.close();
    },
  };
}
