// The database for several replicas: PostgreSQL through a pg pool. Claims select with FOR UPDATE
// SKIP LOCKED so replicas never take the same row; the watcher and reminder loops are led by
// whichever replica holds a session advisory lock (released by PostgreSQL itself when that
// replica's connection dies). Everything lives in one schema, created and migrated on open.
//
// Connections drop (a restarted server, pg_terminate_backend, a network that swallows packets):
// every pooled client has an error listener, so a dropped connection is replaced rather than
// crashing the process; timeouts turn a silent server into errors that the callers retry; a
// failed transaction is rolled back and its connection discarded.
import pg from 'pg';
import { MIGRATION_TIME } from './migrations.js';
import { applyMigrations, raw, sql, type Database, type Executor, type Leads, type Row, type Sql } from './sql.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const dollar = (n: number) => `$${n}`;

/**
 * Pool settings that keep a PostgreSQL outage an error instead of a hang. Parameters in STORE_URL
 * (`?query_timeout=…&statement_timeout=…`) take precedence, as pg reads the URL last.
 */
const POOL_SETTINGS = {
  max: 10,
  /** A connection attempt into a black hole gives up. */
  connectionTimeoutMillis: 5000,
  /** Client side: a query with no answer fails (and its connection is discarded), so loops go on and retry. */
  query_timeout: 15_000,
  /** Server side, below query_timeout, so the server usually reports a slow statement first. */
  statement_timeout: 10_000,
  /** A client that vanished mid-transaction stops holding its row locks. */
  idle_in_transaction_session_timeout: 15_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  idleTimeoutMillis: 30_000,
} as const;

/**
 * Server-side keepalives: the server notices a replica that died or dropped off the network within
 * about 25 s of silence, and frees its advisory locks (the watcher and reminder leads) for others.
 */
const SERVER_KEEPALIVES = '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3';

/** Statements on the pool (each on whichever connection is free) or on the one client a transaction holds. */
class Statements implements Executor {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async all(query: Sql): Promise<Row[]> {
    return (await this.db.query(query.render(dollar), [...query.values])).rows as Row[];
  }

  async get(query: Sql): Promise<Row | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Sql): Promise<number> {
    return (await this.db.query(query.render(dollar), [...query.values])).rowCount ?? 0;
  }

  async script(text: string): Promise<void> {
    await this.db.query(text);
  }
}

export interface PostgresOptions {
  schema?: string;
  applicationName?: string;
  onWarning?: (message: string) => void;
}

/** Statements outside transactions run on the pool; a transaction holds one client. */
export class PostgresDatabase extends Statements implements Database {
  readonly kind = 'postgres';
  readonly lockRows = raw(' FOR UPDATE');
  readonly lockRowsSkippingLocked = raw(' FOR UPDATE SKIP LOCKED');
  readonly byCodePoint = raw(' COLLATE "C"');
  /** deliveries.seq is BIGSERIAL. */
  readonly countsDeliveries = true;
  readonly leads: AdvisoryLockLeads;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {
    super(pool);
    this.leads = new AdvisoryLockLeads(pool, schema);
  }

  static async open(connectionString: string, migrations: readonly string[], options: PostgresOptions = {}): Promise<PostgresDatabase> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error('The PostgreSQL schema name must be lower-case letters, digits and underscores');
    const warn = options.onWarning ?? (() => {});
    // search_path as a start-up option: every pooled connection uses the schema from its first query.
    const pool = new pg.Pool({
      ...POOL_SETTINGS,
      connectionString,
      options: `-c search_path=${schema} ${SERVER_KEEPALIVES}`,
      application_name: options.applicationName ?? 'lineage-bot',
    });
    // A connection that drops emits 'error' on its client, idle or checked out (mid-transaction, or
    // holding a lead). Without a listener that is an uncaught exception: every client gets one, and
    // the query that was running fails on its own, for its caller to retry.
    pool.on('connect', (client) => {
      client.on('error', (error: Error) => warn(`A PostgreSQL connection was lost (${error.message}); it will be replaced`));
    });
    // The pool's own event for idle clients (already logged by the listener above): the pool drops them.
    pool.on('error', () => {});
    const database = new PostgresDatabase(pool, schema);
    try {
      await database.migrate(migrations);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  /** On one pooled connection; a failure rolls back (if the connection still answers) and discards the connection. */
  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new Statements(client));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      throw error;
    }
  }

  greatest(a: Sql, b: Sql): Sql {
    return sql`GREATEST(${a}, ${b})`;
  }

  violates(error: unknown, index: { name: string; columns: string }): boolean {
    const failure = error as { code?: unknown; constraint?: unknown };
    return failure.code === '23505' && failure.constraint === index.name;
  }

  async migrate(migrations: readonly string[]): Promise<void> {
    await this.transaction(async (tx) => {
      // Replicas starting together take turns; the second finds everything applied.
      await tx.run(sql`SELECT pg_advisory_xact_lock(hashtext(${'lineage-bot'}), hashtext(${`${this.schema}:migrate`}))`);
      await tx.script(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await applyMigrations(tx, migrations, MIGRATION_TIME.postgres);
    });
  }

  async close(): Promise<void> {
    await this.leads.close();
    await this.pool.end();
  }
}

/**
 * Leads as session advisory locks: each loop this replica leads holds a connection of its own
 * with the lock, and PostgreSQL frees the lock when that connection ends.
 */
class AdvisoryLockLeads implements Leads {
  /** Loops this replica leads, each with the connection that holds its advisory lock. */
  private readonly held = new Map<string, { holder: string; client: pg.PoolClient }>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async tryLead(name: string, holder: string): Promise<boolean> {
    const held = this.held.get(name);
    if (held) {
      if (held.holder !== holder) return false;
      try {
        // The lock lives as long as this connection: a live connection means we still lead.
        await held.client.query('SELECT 1');
        return true;
      } catch {
        this.drop(name);
      }
    }
    const client = await this.pool.connect();
    try {
      const result = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', ['lineage-bot', `${this.schema}:${name}`]);
      if ((result.rows[0] as Row)['locked'] === true) {
        // A connection error while leading ends the lead; the next tick tries again.
        client.on('error', () => this.drop(name));
        this.held.set(name, { holder, client });
        return true;
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    client.release();
    return false;
  }

  async releaseLead(name: string, holder: string): Promise<void> {
    const held = this.held.get(name);
    if (!held || held.holder !== holder) return;
    this.held.delete(name);
    try {
      await held.client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', ['lineage-bot', `${this.schema}:${name}`]);
      held.client.release();
    } catch {
      // The connection is gone, and the lock with it.
      held.client.release(true);
    }
  }

  /** A lock dies with its connection, so a dead holder has none left to list or drop. */
  async holders(): Promise<string[]> {
    return [];
  }

  async dropHolder(): Promise<void> {}

  /**
   * Unlocks explicitly: the server frees a closed session's locks on its own schedule, and a
   * replica taking over right after this one stops should not have to wait for that.
   */
  async close(): Promise<void> {
    await Promise.all([...this.held.entries()].map(([name, { holder }]) => this.releaseLead(name, holder)));
  }

  private drop(name: string): void {
    const held = this.held.get(name);
    if (!held) return;
    this.held.delete(name);
    held.client.release(true);
  }
}
