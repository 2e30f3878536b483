// PostgreSQL failing under the real bot (a child process running src/main.ts) in the middle of a
// 184-owner fan-out: its connections terminated from another session (pg_terminate_backend), and
// the network to the server turned into a black hole (a TCP proxy that stops forwarding). The bot
// must not die, must say on /healthz and /readyz that the store is gone, and must finish the
// fan-out by itself once PostgreSQL answers again — every owner once. Runs with TEST_POSTGRES_URL.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL } from '../../blocks/notices/index.js';
import { DAY_MS } from '../../src/notices/clock.js';
import { utcDate } from '../../src/notices/schedule.js';
import { startBot, writeSnapshot, type BotProcess } from '../support/bot-process.js';
import { FakeSlack } from '../support/slack-fake.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { formValues, postSigned, viewSubmission } from '../support/slack-requests.js';
import { startSlackServer, type FakeSlackServer } from '../support/slack-server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
const OWNERS = 184;

let dir: string | undefined;
let bot: BotProcess | undefined;
let server: FakeSlackServer | undefined;
let proxy: TcpProxy | undefined;
let database: string | undefined;
afterEach(async () => {
  await bot?.kill('SIGKILL');
  await server?.close();
  await proxy?.close();
  if (database) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  if (dir) rmSync(dir, { recursive: true, force: true });
  bot = server = proxy = database = dir = undefined;
});

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own, so that terminating "the bot's connections" hits nobody else's. */
async function createDatabase(): Promise<{ name: string; url: (port?: number) => string }> {
  const name = `lb_fault_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  database = name;
  const base = new URL(POSTGRES_URL as string);
  return {
    name,
    url: (port) => {
      const url = new URL(base);
      url.pathname = `/${name}`;
      if (port) url.port = String(port);
      return url.toString();
    },
  };
}

async function eventually(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function check(path: string): Promise<{ status: number; store: unknown }> {
  const response = await fetch(`${bot!.url}${path}`);
  return { status: response.status, store: ((await response.json()) as { store?: unknown }).store };
}

async function setUp(storeUrl: (dbPort?: number) => string, viaProxy: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'lineage-pg-'));
  const account = ownersAccount(OWNERS);
  const fake = new FakeSlack({ users: account.users, channels: account.channels });
  // 20 ms a message: the fan-out lasts long enough to be interrupted.
  server = await startSlackServer(fake, { postLatencyMs: 20 });
  const pgPort = Number(new URL(POSTGRES_URL as string).port || 5432);
  if (viaProxy) proxy = await startTcpProxy({ host: '127.0.0.1', port: pgPort });
  bot = await startBot({ slackApiUrl: server.url, storeUrl: storeUrl(proxy?.port), snapshotPath: writeSnapshot(dir, account.snapshot) });
  const announce = () =>
    postSigned(
      bot!.url,
      viewSubmission({
        user: account.groupOwner,
        viewId: 'VPGFAULT',
        callbackId: DEPRECATE_MODAL.callbackId,
        privateMetadata: JSON.stringify({ fg: SHARED_GROUP, c: 'CANNOUNCE' }),
        values: formValues({ kind: 'deprecation', date: utcDate(Date.now() + 30 * DAY_MS) }),
      }),
    );
  return { fake, announce };
}

function expectEveryOwnerOnce(fake: FakeSlack): void {
  const counts = fake.deliveryCounts();
  expect(counts.size).toBe(OWNERS + 1);
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
}

describe.skipIf(!POSTGRES_URL)('PostgreSQL failing under the running bot (skipped: set TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run)', () => {
  it('survives its connections being terminated mid-fan-out, and finishes the fan-out by itself', async () => {
    const db = await createDatabase();
    const { fake, announce } = await setUp(() => db.url(), false);
    const terminations: Promise<unknown>[] = [];
    let posts = 0;
    // Twice during the fan-out, every connection of the bot is killed from another session.
    fake.afterPost = () => {
      posts++;
      if (posts === 40 || posts === 110) {
        terminations.push(admin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name])));
      }
    };
    expect(await announce()).toEqual({ status: 200, text: '' });
    await eventually(() => fake.deliveryCounts().size >= OWNERS + 1, 'every owner and the summary');
    const terminated = (await Promise.all(terminations)) as pg.QueryResult[];
    expect(terminated.every((result) => (result.rowCount ?? 0) > 0)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500)); // anything still on its way
    expectEveryOwnerOnce(fake);
    expect(bot!.exited()).toBe(false);
    expect(bot!.log()).toContain('A PostgreSQL connection was lost');
    expect(bot!.log()).not.toContain('Unexpected error');
    expect(await check('/readyz')).toEqual({ status: 200, store: { status: 'ok', required: true } });
  }, 120_000);

  it('survives a network black hole mid-fan-out, says so on /healthz and /readyz, and resumes when it lifts', async () => {
    const db = await createDatabase();
    // Shorter timeouts than the defaults (15 s query, 10 s statement), set in STORE_URL as an operator can.
    const { fake, announce } = await setUp((port) => `${db.url(port)}?query_timeout=3000&statement_timeout=2500`, true);
    let posts = 0;
    let blackHoleAt = 0;
    fake.afterPost = () => {
      if (++posts !== 40) return;
      blackHoleAt = Date.now();
      proxy!.pause();
    };
    expect(await announce()).toEqual({ status: 200, text: '' });
    await eventually(() => blackHoleAt > 0, 'the black hole');
    await eventually(async () => (await check('/readyz')).status === 503, '/readyz to say the store is unavailable');
    expect(await check('/healthz')).toEqual({ status: 200, store: 'unavailable' });
    const sentDuring = fake.messages.length;
    // The hole lasts 10 s; meanwhile the bot keeps running and sends nothing it could not record.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, blackHoleAt + 10_000 - Date.now())));
    expect(bot!.exited()).toBe(false);
    expect(fake.messages.length - sentDuring).toBeLessThanOrEqual(4); // at most the sends already under way
    proxy!.resume();
    await eventually(async () => (await check('/readyz')).status === 200, '/readyz to recover');
    await eventually(() => fake.deliveryCounts().size >= OWNERS + 1, 'every owner and the summary');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectEveryOwnerOnce(fake);
    expect(bot!.exited()).toBe(false);
    expect(bot!.log()).not.toContain('Unexpected error');
  }, 120_000);
});
