// A crash in the middle of a fan-out: the worker process is killed (SIGKILL) while a message is
// on its way, or freezes between two sends; a new worker resumes after the claims expire, and
// every owner still gets exactly one message. And the real bot killed at the worst moments — right
// after the deprecate modal closed, and mid-fan-out — then restarted on the same host: it resumes
// at once, taking over what its dead predecessor held, and every owner hears once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNoticeRenderer } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { DAY_MS, systemClock, type Clock } from '../../src/notices/clock.js';
import { DeliveryWorker } from '../../src/notices/delivery-worker.js';
import { SlackHistory, SlackNoticePoster } from '../../src/notices/slack/index.js';
import { utcDate } from '../../src/notices/schedule.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEPRECATE_MODAL } from '../../blocks/notices/index.js';
import { startBot, writeSnapshot, type BotProcess } from '../support/bot-process.js';
import { FakeSlack } from '../support/slack-fake.js';
import { formValues, postSigned, viewSubmission } from '../support/slack-requests.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { startSlackServer, type FakeSlackServer } from '../support/slack-server.js';
import { createWorld } from '../support/slack-world.js';

const OWNERS = 20;
let dir: string;
let server: FakeSlackServer | undefined;
const bots: BotProcess[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Creates a notice to OWNERS owners in a SQLite file, using a fake Slack server for lookups. */
async function announce(fake: FakeSlack, slackApiUrl: string, dbPath: string): Promise<string> {
  const account = ownersAccount(OWNERS);
  const world = await createWorld({ fake, slackApiUrl, storeUrl: `sqlite:${dbPath}`, snapshot: account.snapshot });
  world.clock.set(Date.now());
  const { notice } = await world.system.service.announce({
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
  const worker = new DeliveryWorker({ store, poster: new SlackNoticePoster(client), history: new SlackHistory(client), renderer: createNoticeRenderer(), logger, workerId: 'resumer', clock: afterLeases, channelIntervalMs: 0 });
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
    const doomed = new DeliveryWorker({ store: dying, poster: new SlackNoticePoster(client), history: new SlackHistory(client), renderer: createNoticeRenderer(), logger, workerId: 'doomed', concurrency: 2, channelIntervalMs: 0 });
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

/** Waits until `done()` holds, polling; fails after `timeoutMs` (far longer than it should take). */
async function eventually(done: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Submits the deprecate modal of `viewId` as the feature group's owner; resolves with Slack's view of the answer. */
function submitAnnouncement(bot: BotProcess, account: ReturnType<typeof ownersAccount>, viewId: string, kind: string) {
  const body = viewSubmission({
    user: account.groupOwner,
    viewId,
    callbackId: DEPRECATE_MODAL.callbackId,
    privateMetadata: JSON.stringify({ fg: SHARED_GROUP, c: 'CANNOUNCE' }),
    values: formValues({ kind, date: utcDate(Date.now() + 30 * DAY_MS) }),
  });
  return postSigned(bot.url, body);
}

describe('the bot killed with SIGKILL, then restarted on the same host', () => {
  it('still sends every announcement acknowledged just before it died, each owner once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-crash-'));
    const account = ownersAccount(OWNERS);
    const fake = new FakeSlack({ users: account.users, channels: account.channels });
    server = await startSlackServer(fake);
    const options = { slackApiUrl: server.url, storeUrl: `sqlite:${join(dir, 'bot.db')}`, snapshotPath: writeSnapshot(dir, account.snapshot) };
    const first = await startBot(options);
    bots.push(first);
    // Once the forms are submitted, Slack stops answering the look-ups of the models' owners: the
    // process is still working out who the announcements reach when it is killed.
    let lookupsStall = false;
    fake.before = (method, params) => {
      const ofGroupOwner = method === 'users.info' && params['user'] === account.groupOwner;
      return lookupsStall && /^(users|conversations)\./.test(method) && !ofGroupOwner ? 'hang' : undefined;
    };
    const kinds = ['deprecation', 'breaking_schema_change', 'data_change'];
    lookupsStall = true;
    const answers = [];
    for (const [i, kind] of kinds.entries()) answers.push(await submitAnnouncement(first, account, `VCRASH${i}`, kind));
    expect(answers).toEqual(kinds.map(() => ({ status: 200, text: '' }))); // each modal closed: accepted
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(fake.messages).toEqual([]); // nothing was sent before the kill

    lookupsStall = false;
    const second = await startBot(options);
    bots.push(second);
    const expected = kinds.length * (OWNERS + 1); // every owner and a summary, per announcement
    await eventually(() => fake.deliveryCounts().size >= expected, `${expected} messages`);
    await second.waitForLog(/Took over \d+ claims of lineage-bot\//);
    expect(fake.deliveryCounts().size).toBe(expected);
    expect([...fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
    expect(second.exited()).toBe(false);
  }, 90_000);

  it('resumes a fan-out it was killed in the middle of at once, without waiting for its claims to expire, sending nothing twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-crash-'));
    const account = ownersAccount(OWNERS);
    const fake = new FakeSlack({ users: account.users, channels: account.channels });
    server = await startSlackServer(fake, { postLatencyMs: 20 });
    const options = { slackApiUrl: server.url, storeUrl: `sqlite:${join(dir, 'bot.db')}`, snapshotPath: writeSnapshot(dir, account.snapshot) };
    const first = await startBot(options);
    bots.push(first);
    let posts = 0;
    // Slack takes the 8th message; the bot is killed before it hears back.
    fake.afterPost = () => {
      if (++posts !== 8) return;
      first.child.kill('SIGKILL');
      return 'drop';
    };
    expect(await submitAnnouncement(first, account, 'VFANOUT', 'deprecation')).toEqual({ status: 200, text: '' });
    await eventually(() => first.exited(), 'the kill in the middle of the fan-out');
    fake.afterPost = undefined;
    const sentBefore = fake.messages.length;
    expect(sentBefore).toBeGreaterThanOrEqual(8);
    expect(sentBefore).toBeLessThan(OWNERS + 1);

    const second = await startBot(options);
    bots.push(second);
    // Its claims were held for 30 s; the restarted process knows their holder is gone and takes them now.
    await second.waitForLog(/Took over [1-9]\d* claims of lineage-bot\//);
    await eventually(() => fake.deliveryCounts().size >= OWNERS + 1, 'every owner and the summary', 20_000);
    expect([...fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
    expect(fake.messages).toHaveLength(OWNERS + 1);
  }, 90_000);
});
