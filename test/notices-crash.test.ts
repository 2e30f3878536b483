// A crash in the middle of a fan-out: the worker process is killed (SIGKILL) while a message is
// on its way, or freezes between two sends; a new worker resumes after the claims expire, and
// every owner still gets exactly one message.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNoticeRenderer } from '../blocks/notices/index.js';
import { createLogger } from '../src/logger.js';
import { DAY_MS, systemClock, type Clock } from '../src/notify/clock.js';
import { DeliveryWorker } from '../src/notify/delivery-worker.js';
import { utcDate } from '../src/notify/schedule.js';
import { openStore, type Store } from '../src/store/index.js';
import { FakeSlack } from './support/slack-fake.js';
import { ownersAccount, SHARED_GROUP } from './support/slack-owners-account.js';
import { startSlackServer, type FakeSlackServer } from './support/slack-server.js';
import { createWorld } from './support/slack-world.js';

const OWNERS = 20;
let dir: string;
let server: FakeSlackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Creates a notice to OWNERS owners in a SQLite file, using a fake Slack server for lookups. */
async function announce(fake: FakeSlack, slackApiUrl: string, dbPath: string): Promise<string> {
  const account = ownersAccount(OWNERS);
  const world = await createWorld({ fake, slackApiUrl, storeUrl: `sqlite:${dbPath}`, snapshot: account.snapshot });
  world.clock.set(Date.now());
  const { notice } = await world.system.notices.announce({
    featureGroup: SHARED_GROUP,
    kind: 'breaking_schema_change',
    effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
    userId: account.groupOwner,
    channelId: 'CANNOUNCE',
    sourceKey: 'test:crash',
  });
  await world.close();
  return notice.id;
}

/** A clock past every claim the dead worker held (its lease is 60 s). */
const afterLeases: Clock = { now: () => Date.now() + 120_000, sleep: systemClock.sleep };

async function resume(store: Store, slackApiUrl: string): Promise<void> {
  const { webApi } = await import('@slack/bolt');
  const logger = createLogger({ level: 'error', write: () => {} });
  const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR });
  const worker = new DeliveryWorker({ store, client, renderer: createNoticeRenderer(), logger, workerId: 'resumer', clock: afterLeases, channelIntervalMs: 0 });
  await worker.drain({ timeoutMs: 30_000 });
}

function expectEachOwnerOnce(fake: FakeSlack): void {
  const counts = fake.deliveryCounts();
  expect(counts.size).toBe(OWNERS + 1); // every owner and the summary
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const perChannel = new Map<string, number>();
  for (const message of fake.messages) perChannel.set(message.channel, (perChannel.get(message.channel) ?? 0) + 1);
  expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
}

describe('a fan-out interrupted by a crash', () => {
  it('resumes after the worker process is killed mid-send, without losing or repeating a message', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-crash-'));
    const dbPath = join(dir, 'bot.db');
    const account = ownersAccount(OWNERS);
    const fake = new FakeSlack({ users: account.users, channels: account.channels });
    server = await startSlackServer(fake);
    const noticeId = await announce(fake, server.url, dbPath);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/slack-crash-worker.ts', dbPath, server.url], { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let posts = 0;
    // Slack accepts the 8th message; the worker is killed before it hears back.
    fake.afterPost = () => {
      posts++;
      if (posts !== 8) return;
      child.kill('SIGKILL');
      return 'drop';
    };
    expect(await exited).toBe('SIGKILL');
    expect(stderr).toBe('');
    expect(fake.messages).toHaveLength(8);
    fake.afterPost = undefined;

    const store = await openStore(`sqlite:${dbPath}`);
    const before = await store.listDeliveries(noticeId);
    expect(before.filter((d) => d.status === 'sent')).toHaveLength(7);
    expect(before.filter((d) => d.attemptStartedAt !== undefined)).toHaveLength(1); // the one in doubt
    await resume(store, server.url);

    expectEachOwnerOnce(fake);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(OWNERS + 1); // the 8th was found, not re-sent
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    expect((await store.listDeliveries(noticeId)).every((d) => d.status === 'sent')).toBe(true);
    await store.close();
  }, 60_000);

  it('resumes after a worker freezes between two sends', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-crash-'));
    const dbPath = join(dir, 'bot.db');
    const account = ownersAccount(OWNERS);
    const fake = new FakeSlack({ users: account.users, channels: account.channels });
    server = await startSlackServer(fake);
    const noticeId = await announce(fake, server.url, dbPath);

    // A worker whose process stops dead right after recording its 5th send: every later store
    // call never returns, as if the process were gone.
    const store = await openStore(`sqlite:${dbPath}`);
    let recorded = 0;
    const frozen = new Promise<never>(() => {});
    let dead = false;
    const dying = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (dead) return frozen;
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (property === 'completeDelivery' && ++recorded === 5) dead = true;
          return result;
        };
      },
    });
    const { webApi } = await import('@slack/bolt');
    const logger = createLogger({ level: 'error', write: () => {} });
    const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR });
    const doomed = new DeliveryWorker({ store: dying, client, renderer: createNoticeRenderer(), logger, workerId: 'doomed', concurrency: 2, channelIntervalMs: 0 });
    void doomed.runOnce();
    while (!dead) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentBeforeFreeze = fake.messages.length;
    expect(sentBeforeFreeze).toBeGreaterThanOrEqual(5);
    expect(sentBeforeFreeze).toBeLessThan(OWNERS + 1);

    await resume(store, server.url);
    expectEachOwnerOnce(fake);
    expect((await store.listDeliveries(noticeId)).every((d) => d.status === 'sent')).toBe(true);
    await store.close();
  }, 60_000);
});
