// The embedded database: one SQLite file in WAL mode (readers never wait for the writer), created
// and migrated on open. better-sqlite3 is synchronous, so a statement runs whole before anything
// else does; a transaction spans awaits, so while one is open every other statement of this
// process waits for it (otherwise it would run inside it). Transactions begin IMMEDIATE: they
// take the write lock first, waiting up to busy_timeout for another process to finish, rather
// than failing half-way when a read turns into a write. Leads are leases in a table.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATION_TIME } from './migrations.js';
import { applyMigrations, raw, sql, type Database, type Executor, type Leads, type Row, type Sql } from './sql.js';

const question = () => '?';

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; flags are stored as 0 and 1. */
function bind(values: readonly unknown[]): unknown[] {
  return values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
}

/** Statements run straight on the connection: for the transaction that holds it, or when none is open. */
class Statements implements Executor {
  constructor(private readonly db: BetterSqlite3.Database) {}

  async all(query: Sql): Promise<Row[]> {
    return this.db.prepare(query.render(question)).all(...bind(query.values)) as Row[];
  }

  async get(query: Sql): Promise<Row | undefined> {
    return this.db.prepare(query.render(question)).get(...bind(query.values)) as Row | undefined;
  }

  async run(query: Sql): Promise<number> {
    return this.db.prepare(query.render(question)).run(...bind(query.values)).changes;
  }

  async script(text: string): Promise<void> {
    this.db.exec(text);
  }
}

export class SqliteDatabase implements Database {
  readonly kind = 'sqlite';
  readonly lockRows = raw('');
  readonly lockRowsSkippingLocked = raw('');
  /** SQLite compares text byte by byte (BINARY), which for UTF-8 is code-point order. */
  readonly byCodePoint = raw('');
  /** deliveries.seq is a plain column, numbered by the insert within its immediate transaction. */
  readonly countsDeliveries = false;
  readonly leads: Leads = new LeaseLeads(this);
  private readonly statements: Statements;
  /** Settles when the transaction in progress ends. */
  private current: Promise<void> | undefined;

  private constructor(private readonly db: BetterSqlite3.Database) {
    this.statements = new Statements(db);
  }

  /** Opens (creating the directory and file if needed) and migrates. `:memory:` gives a private in-memory database. */
  static async open(path: string, migrations: readonly string[]): Promise<SqliteDatabase> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path);
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a delivery marked sent must survive a power cut, or the fan-out would resend it.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Several processes may share the file (a restart overlapping the old process).
      db.pragma('busy_timeout = 5000');
      const database = new SqliteDatabase(db);
      await database.migrate(migrations);
      return database;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  all(query: Sql): Promise<Row[]> {
    return this.outsideTransactions(() => this.statements.all(query));
  }

  get(query: Sql): Promise<Row | undefined> {
    return this.outsideTransactions(() => this.statements.get(query));
  }

  run(query: Sql): Promise<number> {
    return this.outsideTransactions(() => this.statements.run(query));
  }

  script(text: string): Promise<void> {
    return this.outsideTransactions(() => this.statements.script(text));
  }

  async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    // Checked again after each wait, right before beginning: another transaction may have begun meanwhile.
    while (this.current) await this.current;
    let ended!: () => void;
    this.current = new Promise((resolve) => (ended = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.statements);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        // Some errors (a full disk) have rolled the transaction back already.
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.current = undefined;
      ended();
    }
  }

  greatest(a: Sql, b: Sql): Sql {
    return sql`MAX(${a}, ${b})`;
  }

  violates(error: unknown, index: { name: string; columns: string }): boolean {
    const failure = error as { code?: unknown; message?: unknown };
    return failure.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(failure.message).endsWith(`: ${index.columns}`);
  }

  async migrate(migrations: readonly string[]): Promise<void> {
    await this.transaction((tx) => applyMigrations(tx, migrations, MIGRATION_TIME.sqlite));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs a statement once no transaction is open. The check and the statement run together, with
   * no await between them (better-sqlite3 runs it synchronously), so no transaction can begin in between.
   */
  private async outsideTransactions<T>(statement: () => Promise<T>): Promise<T> {
    while (this.current) await this.current;
    return statement();
  }
}

/** Leads as leases: a row per loop naming its holder until it expires, renewed by each tick of the holder. */
class LeaseLeads implements Leads {
  constructor(private readonly db: Executor) {}

  async tryLead(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    // Take the lease when it is free or expired, renew it when it is ours; otherwise change nothing.
    const changed = await this.db.run(sql`
      INSERT INTO leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${now + ttlMs})
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= ${now}`);
    return changed === 1;
  }

  async releaseLead(name: string, holder: string): Promise<void> {
    await this.db.run(sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`);
  }

  async holders(db: Executor, now: number): Promise<string[]> {
    return (await db.all(sql`SELECT holder FROM leases WHERE expires_at > ${now}`)).map((row) => String(row['holder']));
  }

  async dropHolder(db: Executor, holder: string): Promise<void> {
    await db.run(sql`DELETE FROM leases WHERE holder = ${holder}`);
  }

  async close(): Promise<void> {
    // Leases expire by themselves; a successor on this host takes them over sooner (releaseHolder).
  }
}
