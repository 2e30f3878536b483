// Notice fan-out benchmark: one notice affecting 500 owners (400 by Slack user ID, 50 by email,
// 50 team channels), delivered through the real outbox — SQLite store, delivery worker, Slack
// WebClient — to a fake Slack on 127.0.0.1 that enforces one message per second per channel and
// a workspace-wide budget, answering 429 with Retry-After beyond them. Prints the time to deliver
// everything and checks that nothing was lost or sent twice. bench/run.ts calls runNoticesBench.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import pg from 'pg';
import { createNoticeRenderer } from '../blocks/notices/index.js';
import { explainAnnounceFailure } from '../commands/errors.js';
import { loadConfig } from '../src/config.js';
import { LineageService } from '../src/lineage/service.js';
import { SnapshotSource } from '../src/lineage/sources/snapshot.js';
import { createLogger } from '../src/logger.js';
import { DAY_MS } from '../src/notices/clock.js';
import { systemClock } from '../src/notices/clock.js';
import { createNoticeSystem } from '../src/notices/index.js';
import { slackNoticePorts } from '../src/notices/slack/index.js';
import { utcDate } from '../src/notices/schedule.js';
import { openStore, type Store } from '../src/store/index.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { ownersAccount, SHARED_GROUP, type OwnersAccount } from '../test/support/slack-owners-account.js';
import { startSlackServer } from '../test/support/slack-server.js';

const OWNERS = 500;
/** Workspace-wide chat.postMessage / chat.update budget of the fake, per second. */
const PER_SECOND = 20;
const RETRY_AFTER_SECONDS = 1;

export async function runNoticesBench(print: (line: string) => void): Promise<{ ok: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-notices-bench-'));
  const account = ownersAccount(OWNERS);
  const fake = new FakeSlack({
    users: account.users,
    channels: account.channels,
    rateLimits: { perChannelMs: 1000, perSecond: PER_SECOND, retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
  const server = await startSlackServer(fake);
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  const source = new SnapshotSource(account.snapshot, 'owners account');
  // The shipped defaults everywhere else: the bench measures what a deployment gets.
  const system = createNoticeSystem({
    config: loadConfig({}).notices,
    store,
    service: new LineageService(source, { maxDepth: 30, maxVertices: 5000, describeConcurrency: 8 }),
    source,
    ...slackNoticePorts(new webApi.WebClient('xoxb-bench', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR }), { clock: systemClock }),
    renderer: createNoticeRenderer(),
    explainFailure: explainAnnounceFailure(logger),
    logger,
  });
  try {
    print(
      `Notice fan-out: ${OWNERS} owners (400 by user ID, 50 by email, 50 team channels) of ${OWNERS} models; fake Slack at ${server.url} ` +
        `allows 1 message/s per channel and ${PER_SECOND}/s per workspace (429, Retry-After: ${RETRY_AFTER_SECONDS} s beyond).`,
    );
    let started = performance.now();
    const { notice } = await announceDeprecation(system, account, 'bench:notices');
    const announceSeconds = (performance.now() - started) / 1000;
    const lookups = fake.callsTo('users.info').length + fake.callsTo('users.lookupByEmail').length + fake.callsTo('conversations.list').length;
    print(`  announce (impact, ${lookups} Slack lookups, outbox written): ${announceSeconds.toFixed(2)} s`);

    started = performance.now();
    await system.worker.drain({ timeoutMs: 110_000 });
    const deliverSeconds = (performance.now() - started) / 1000;

    const deliveries = await store.listDeliveries(notice.id);
    const counts = fake.deliveryCounts();
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const lost = deliveries.filter((d) => d.status !== 'sent' || counts.get(d.id) !== 1).length;
    const posts = fake.callsTo('chat.postMessage').length;
    const floor = (OWNERS + 1) / PER_SECOND;
    print(`  delivered ${counts.size} of ${deliveries.length} messages (${OWNERS} owners + the summary) in ${deliverSeconds.toFixed(1)} s`);
    print(`  workspace budget floor ${floor.toFixed(1)} s; achieved ${(counts.size / deliverSeconds).toFixed(1)} messages/s`);
    print(`  chat.postMessage calls ${posts}, 429s answered ${fake.rateLimited}, summary updates ${fake.messagesIn('CANNOUNCE')[0]?.updates ?? 0}`);
    print(`  duplicates ${duplicates}, lost ${lost}${warnings.length > 0 ? `, ${warnings.length} warnings logged` : ''}`);
    const ok = duplicates === 0 && lost === 0 && counts.size === OWNERS + 1;
    print(`  ${ok ? 'OK' : 'FAILED'}: every owner told exactly once`);
    return { ok };
  } finally {
    await system.stop();
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReplicasRun {
  owners: number;
  replicas: number;
  /** Messages delivered exactly once, of the outbox's (the owners' and the summary). */
  delivered: number;
  total: number;
  duplicates: number;
  lost: number;
  /** Owner values the notice could not reach (listed on it, never dropped). */
  unreachable: number;
  /** LINEAGE_MAX_VERTICES of the run, and whether the walk was cut short anyway. */
  maxVertices: number;
  lineageCut: boolean;
  announceSeconds: number;
  deliverSeconds: number;
  /** Deliveries each replica sent. */
  perReplica: number[];
}

/**
 * One notice to `owners` owners (default 5,000) delivered by `replicas` replicas (default 4),
 * each a notice system of its own on one PostgreSQL database (its own schema, dropped after),
 * through the real outbox to a fake Slack on 127.0.0.1 that allows one message a second per
 * channel and, when `perSecond` is given, that many a second in the workspace. The first replica
 * announces; all of them drain the outbox together.
 */
export async function measureNoticeReplicas(options: { postgresUrl: string; owners?: number; replicas?: number; perSecond?: number }): Promise<ReplicasRun> {
  const owners = options.owners ?? 5_000;
  const replicas = options.replicas ?? 4;
  const schema = `bench_notices_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const account = ownersAccount(owners);
  const fake = new FakeSlack({
    users: account.users,
    channels: account.channels,
    rateLimits: { perChannelMs: 1000, ...(options.perSecond !== undefined ? { perSecond: options.perSecond } : {}), retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
  const server = await startSlackServer(fake);
  const logger = createLogger({ level: 'error', write: () => undefined });
  const source = new SnapshotSource(account.snapshot, 'owners account');
  const stores = await Promise.all(Array.from({ length: replicas }, () => openStore(options.postgresUrl, { schema })));
  // The walk holds the group and every consumer: past the shipped LINEAGE_MAX_VERTICES (5,000) at
  // this size, so the bench sets it as a deployment with groups this big would.
  const limits = { ...loadConfig({ LINEAGE_MAX_VERTICES: String(Math.max(5_000, 2 * owners)) }).limits, describeConcurrency: 8 };
  const perReplica = stores.map(() => 0);
  const systems = stores.map((store, i) => {
    const ports = slackNoticePorts(new webApi.WebClient('xoxb-bench', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR }), { clock: systemClock });
    const poster = ports.poster;
    return createNoticeSystem({
      config: loadConfig({}).notices,
      store,
      service: new LineageService(source, limits),
      source,
      ...ports,
      // Counts the messages this replica posted.
      poster: {
        conversationFor: (target) => poster.conversationFor(target),
        post: async (channel, message, tag) => {
          const posted = await poster.post(channel, message, tag);
          perReplica[i] = (perReplica[i] ?? 0) + 1;
          return posted;
        },
        update: (channel, ts, message) => poster.update(channel, ts, message),
      },
      renderer: createNoticeRenderer(),
      explainFailure: explainAnnounceFailure(logger),
      logger,
      instanceId: `bench-replica-${i}`,
    });
  });
  try {
    let started = performance.now();
    const { notice } = await announceDeprecation(systems[0] as (typeof systems)[number], account, 'bench:notice-replicas');
    const announceSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await Promise.all(systems.map((system) => system.worker.drain({ timeoutMs: 600_000 })));
    const deliverSeconds = (performance.now() - started) / 1000;
    const deliveries = await (stores[0] as Store).listDeliveries(notice.id);
    const counts = fake.deliveryCounts();
    return {
      owners,
      replicas,
      delivered: deliveries.filter((d) => d.status === 'sent' && counts.get(d.id) === 1).length,
      total: deliveries.length,
      duplicates: [...counts.values()].filter((n) => n > 1).length,
      lost: deliveries.filter((d) => d.status !== 'sent' || counts.get(d.id) === undefined).length,
      unreachable: notice.unreachable.length,
      maxVertices: limits.maxVertices,
      lineageCut: notice.lineageCut !== undefined,
      announceSeconds,
      deliverSeconds,
      perReplica,
    };
  } finally {
    await Promise.all(systems.map((system) => system.stop()));
    await Promise.all(stores.map((store) => store.close()));
    await server.close();
    const client = new pg.Client({ connectionString: options.postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

/** The group owner deprecates SHARED_GROUP in 30 days, announced in CANNOUNCE. */
function announceDeprecation(system: ReturnType<typeof createNoticeSystem>, account: OwnersAccount, sourceKey: string) {
  return system.service.announce({
    featureGroup: SHARED_GROUP,
    kind: 'deprecation',
    effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
    userId: account.groupOwner,
    channelId: 'CANNOUNCE',
    sourceKey,
  });
}
