// What every drill scenario shares: the bot processes it starts (each one killed at the end, even
// on failure), a store of the kind being drilled (a SQLite file, or a PostgreSQL database of its
// own created for the scenario and dropped after it), bounded waits, and the row it reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { startBot, type BotOptions, type BotProcess } from '../test/support/bot-process.js';

export type StoreKind = 'sqlite' | 'postgres';

/** One line of the drill's table. */
export interface Row {
  store: StoreKind;
  fault: string;
  expected: string;
  /** Notices sent (distinct messages), or answers given. */
  sent: number;
  duplicates: number;
  lost: number;
  /** Bot processes that ended without the drill killing them. */
  crashes: number;
  /** Time until Slack had its HTTP answer (the form closed, the command acknowledged, the modal opened), ms. */
  ackMs?: number;
  /** Time until the work was done (every notice delivered, the answer posted), ms. */
  doneMs?: number;
  /** What else the scenario checked, when it failed. */
  problem?: string;
}

export const row = (fields: Row): Row => fields;

export const ok = (r: Row): boolean => r.duplicates === 0 && r.lost === 0 && r.crashes === 0 && r.problem === undefined;

/** Waits until `done()` holds; throws after `timeoutMs`. */
export async function eventually(done: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise that rejects after `ms`, for racing anything the drill cannot otherwise bound. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${Math.round(ms / 1000)} s`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every bot process started by the drill, so none outlives it. */
export class Processes {
  private readonly all = new Set<BotProcess>();
  private readonly killed = new WeakSet<BotProcess>();
  private crashedLogs: string[] = [];

  async start(options: BotOptions): Promise<BotProcess> {
    const bot = await within(startBot(options), 60_000, 'starting the bot');
    this.all.add(bot);
    return bot;
  }

  /** kill -9, counted as the drill's doing rather than a crash. */
  kill9(bot: BotProcess): void {
    this.killed.add(bot);
    bot.child.kill('SIGKILL');
  }

  async stop(bot: BotProcess): Promise<void> {
    this.killed.add(bot);
    await within(bot.kill('SIGKILL'), 10_000, 'stopping the bot');
  }

  /** Bots that ended by themselves. */
  crashes(): BotProcess[] {
    return [...this.all].filter((bot) => bot.exited() && !this.killed.has(bot));
  }

  /** The logs of the bots that crashed since the last call. */
  takeCrashLogs(): string[] {
    return this.crashedLogs.splice(0);
  }

  /** Synchronous, for exit handlers too. */
  killAll(): void {
    for (const bot of this.all) {
      this.killed.add(bot);
      if (!bot.exited()) bot.child.kill('SIGKILL');
    }
  }

  async stopAll(): Promise<void> {
    this.crashedLogs.push(...this.crashes().map((bot) => bot.log()));
    await Promise.all([...this.all].map((bot) => this.stop(bot)));
    this.all.clear();
  }
}

/** A store for one scenario: its STORE_URL, and a way to remove it. */
export interface DrillStore {
  url: string;
  /** The PostgreSQL database name (for pg_terminate_backend); undefined on SQLite. */
  database?: string;
  remove(): Promise<void>;
}

let databases = 0;

/** A fresh SQLite file in `dir`, or a fresh PostgreSQL database next to TEST_POSTGRES_URL's. */
export async function createStore(kind: StoreKind, dir: string, postgresUrl: string | undefined): Promise<DrillStore> {
  if (kind === 'sqlite') return { url: `sqlite:${join(dir, `drill-${++databases}.db`)}`, remove: async () => {} };
  if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set');
  // A database of its own: the bot's tables live in its public schema, and parallel test runs
  // (which use schemas of the test database) never see them.
  const database = `lineage_drill_${process.pid}_${++databases}`;
  await admin(postgresUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    database,
    remove: () => admin(postgresUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).then(() => {}),
  };
}

/** Runs `work` on a connection to the database of TEST_POSTGRES_URL. */
export async function admin<T>(postgresUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 10_000, query_timeout: 15_000 });
  // Tests on the same server may terminate this connection too: its query then fails, nothing more.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Ends every connection to `database` (the bot's pool, its transactions, its leader lock). */
export async function terminateBackends(postgresUrl: string, database: string): Promise<number> {
  // MATERIALIZED: SQL does not promise to test the filter before calling pg_terminate_backend,
  // which then ended this very connection (and other databases' ones).
  const result = await admin(postgresUrl, (client) =>
    client.query<{ ended: string }>(
      'WITH targets AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS ended FROM targets',
      [database],
    ),
  );
  return Number(result.rows[0]?.ended ?? 0);
}

/** A temporary directory for one drill run. */
export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'lineage-drill-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Runs one UPDATE on a scenario's store, with the bot stopped: how a scenario puts the store where
 * time would have taken it (a notice announced days ago), since the bot runs on the real clock.
 */
export async function updateStore(storeUrl: string, statement: string, values: readonly unknown[]): Promise<number> {
  if (storeUrl.startsWith('sqlite:')) {
    const db = new BetterSqlite3(storeUrl.slice('sqlite:'.length));
    try {
      // The same statement for both: $1, $2… (in order) become SQLite's ?.
      return db.prepare(statement.replace(/\$\d+/g, '?')).run(...values).changes;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: storeUrl, connectionTimeoutMillis: 10_000, query_timeout: 15_000 });
  await client.connect();
  try {
    return (await client.query(statement, [...values])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
