// Notice fan-out benchmark: one notice affecting 500 owners (400 by Slack user ID, 50 by email,
// 50 team channels), delivered through the real outbox — SQLite store, delivery worker, Slack
// WebClient — to a fake Slack on 127.0.0.1 that enforces one message per second per channel and
// a workspace-wide budget, answering 429 with Retry-After beyond them. Prints the time to deliver
// everything and checks that nothing was lost or sent twice. bench/run.ts calls runNoticesBench;
// the scale section (bench/scale.ts) calls it with more owners, over several replicas sharing a
// PostgreSQL store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
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
import { openStore } from '../src/store/index.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { ownersAccount, SHARED_GROUP } from '../test/support/slack-owners-account.js';
import { startSlackServer } from '../test/support/slack-server.js';

const OWNERS = 500;
/** Workspace-wide chat.postMessage / chat.update budget of the fake, per second. */
const PER_SECOND = 20;
const RETRY_AFTER_SECONDS = 1;

export interface NoticesBenchOptions {
  /** Owners of the shared group's models (80% by user ID, 10% by email, 10% team channels). Default 500. */
  owners?: number;
  /** Bot replicas sharing the store, each with its own delivery worker; replica 0 announces. Default 1. */
  replicas?: number;
  /** STORE_URL of the shared store; default a fresh SQLite file. */
  storeUrl?: string;
  /** The fake Slack's workspace-wide message budget per second. Default 20. */
  perSecond?: number;
}

export interface NoticesBenchResult {
  ok: boolean;
  announceSeconds: number;
  deliverSeconds: number;
  messages: number;
}

export async function runNoticesBench(print: (line: string) => void, options: NoticesBenchOptions = {}): Promise<NoticesBenchResult> {
  const { owners = OWNERS, replicas = 1, perSecond = PER_SECOND } = options;
  const dir = mkdtempSync(join(tmpdir(), 'lineage-notices-bench-'));
  const account = ownersAccount(owners);
  const fake = new FakeSlack({
    users: account.users,
    channels: account.channels,
    rateLimits: { perChannelMs: 1000, perSecond, retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
  const server = await startSlackServer(fake);
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
  const storeUrl = options.storeUrl ?? `sqlite:${join(dir, 'bench.db')}`;
  const stores = [];
  for (let i = 0; i < replicas; i++) stores.push(await openStore(storeUrl));
  const source = new SnapshotSource(account.snapshot, 'owners account');
  // The shipped defaults everywhere else: the bench measures what a deployment gets.
  const systems = stores.map((store) =>
    createNoticeSystem({
      config: loadConfig({}).notices,
      store,
      service: new LineageService(source, { maxDepth: 30, maxVertices: 5000, describeConcurrency: 8 }),
      source,
      ...slackNoticePorts(new webApi.WebClient('xoxb-bench', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR }), { clock: systemClock }),
      renderer: createNoticeRenderer(),
      explainFailure: explainAnnounceFailure(logger),
      logger,
    }),
  );
  const [system] = systems as [(typeof systems)[number]];
  const [store] = stores as [(typeof stores)[number]];
  try {
    print(
      `Notice fan-out: ${owners} owners (80% by user ID, 10% by email, 10% team channels) of ${owners} models; fake Slack at ${server.url} ` +
        `allows 1 message/s per channel and ${perSecond}/s per workspace (429, Retry-After: ${RETRY_AFTER_SECONDS} s beyond); ` +
        `${replicas} replica${replicas === 1 ? '' : 's'} on ${storeUrl.split(':')[0]}.`,
    );
    let started = performance.now();
    const { notice } = await system.service.announce({
      featureGroup: SHARED_GROUP,
      kind: 'deprecation',
      effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
      userId: account.groupOwner,
      channelId: 'CANNOUNCE',
      sourceKey: 'bench:notices',
    });
    const announceSeconds = (performance.now() - started) / 1000;
    const lookups = fake.callsTo('users.info').length + fake.callsTo('users.lookupByEmail').length + fake.callsTo('conversations.list').length;
    print(`  announce (impact, ${lookups} Slack lookups, outbox written): ${announceSeconds.toFixed(2)} s`);

    started = performance.now();
    await Promise.all(systems.map((replica) => replica.worker.drain({ timeoutMs: 110_000 + (owners / perSecond) * 2000 })));
    const deliverSeconds = (performance.now() - started) / 1000;

    const deliveries = await store.listDeliveries(notice.id);
    const counts = fake.deliveryCounts();
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const lost = deliveries.filter((d) => d.status !== 'sent' || counts.get(d.id) !== 1).length;
    const posts = fake.callsTo('chat.postMessage').length;
    const floor = (owners + 1) / perSecond;
    print(`  delivered ${counts.size} of ${deliveries.length} messages (${deliveries.length - 1} recipients of ${owners} owners + the summary) in ${deliverSeconds.toFixed(1)} s`);
    print(`  workspace budget floor ${floor.toFixed(1)} s; achieved ${(counts.size / deliverSeconds).toFixed(1)} messages/s`);
    print(`  chat.postMessage calls ${posts}, 429s answered ${fake.rateLimited}, summary updates ${fake.messagesIn('CANNOUNCE')[0]?.updates ?? 0}`);
    print(`  duplicates ${duplicates}, lost ${lost}${warnings.length > 0 ? `, ${warnings.length} warnings logged` : ''}`);
    // Owners sharing a team channel are told once there: every delivery the outbox holds, exactly once.
    const ok = duplicates === 0 && lost === 0 && counts.size === deliveries.length && deliveries.length > 1;
    print(`  ${ok ? 'OK' : 'FAILED'}: every owner told exactly once`);
    return { ok, announceSeconds, deliverSeconds, messages: counts.size };
  } finally {
    for (const replica of systems) await replica.stop();
    for (const replicaStore of stores) await replicaStore.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
