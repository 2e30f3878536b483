// The one SQL layer: queries are written once, as `sql` templates whose values become parameters,
// and each database renders them its own way (SQLite `?`, PostgreSQL `$1`). What the dialects do
// differently is the small Database interface below, implemented by sqlite.ts and postgres.ts.
import type { Leadership } from '../notices/ports.js';

export type Row = Record<string, unknown>;

/** A piece of SQL and its parameter values, in order. Fragments nest: a value that is an Sql is spliced in. */
export class Sql {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with a placeholder for each value: `placeholder(1)` for the first. */
  render(placeholder: (n: number) => string): string {
    return this.parts.reduce((text, part, i) => `${text}${placeholder(i)}${part}`);
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts = [strings[0] as string];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    const next = strings[i + 1] as string;
    if (value instanceof Sql) {
      parts[parts.length - 1] += value.parts[0] as string;
      value.values.forEach((inner, k) => {
        params.push(inner);
        parts.push(value.parts[k + 1] as string);
      });
      parts[parts.length - 1] += next;
    } else {
      params.push(value);
      parts.push(next);
    }
  });
  return new Sql(parts, params);
}

/** Text taken as SQL, not as a value: only for the code's own constants (names, keywords). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/** Fragments or values joined by `separator` ("a, b, c"). */
export function join(items: readonly unknown[], separator = ', '): Sql {
  return items.reduce<Sql>((joined, item, i) => (i === 0 ? sql`${item}` : sql`${joined}${raw(separator)}${item}`), raw(''));
}

/** Runs statements: a database outside any transaction, or the one a transaction holds. */
export interface Executor {
  all(query: Sql): Promise<Row[]>;
  get(query: Sql): Promise<Row | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(query: Sql): Promise<number>;
  /** Runs a script of several statements without parameters (a migration). */
  script(text: string): Promise<void>;
}

/** Leads of loops, as each database keeps them: SQLite as leases in a table, PostgreSQL as advisory locks. */
export interface Leads extends Leadership {
  /** Holders of leads that have not expired at `now`, for Claims.listClaimHolders (none where leads die with their connection). */
  holders(db: Executor, now: number): Promise<string[]>;
  /** Drops every lead of a holder known to be dead (Claims.releaseHolder), in the caller's transaction. */
  dropHolder(db: Executor, holder: string): Promise<void>;
  /** Gives up the leads this process holds, as it stops. */
  close(): Promise<void>;
}

/** A database as the store uses it: statements, transactions, and the few things its dialect says differently. */
export interface Database extends Executor {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
   * `work` must use only the executor it is given.
   */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
  /** Appended to a SELECT in a transaction that goes on to change the rows it read. */
  readonly lockRows: Sql;
  /** Appended to the SELECT that picks rows to claim, so that concurrent claimers take different ones. */
  readonly lockRowsSkippingLocked: Sql;
  /** Appended to ORDER BY on text: code-point order, the same in both databases. */
  readonly byCodePoint: Sql;
  /** The larger of two values. */
  greatest(a: Sql, b: Sql): Sql;
  /** Whether deliveries.seq counts up by itself; if not, the insert numbers the rows. */
  readonly countsDeliveries: boolean;
  /** Whether `error` is a violation of the unique index `index` (a table's column list for SQLite, which names no index). */
  violates(error: unknown, index: { name: string; columns: string }): boolean;
  /** Runs the migrations not applied yet, under whatever lock keeps two processes from running them at once. */
  migrate(migrations: readonly string[]): Promise<void>;
  readonly leads: Leads;
  close(): Promise<void>;
}

/** The store was migrated by a newer release than this one. */
export class SchemaTooNew extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `its schema is at version ${found}, newer than this version of lineage-bot knows (${known}): a newer release migrated it. ` +
        'Run that release or a later one, or restore the backup taken before the upgrade (README, "Upgrading").',
    );
    this.name = 'SchemaTooNew';
  }
}

/** Applies the migrations `schema_migrations` does not list yet, in order, within a transaction already open. */
export async function applyMigrations(tx: Executor, migrations: readonly string[], timeType: string): Promise<void> {
  await tx.script(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at ${timeType} NOT NULL)`);
  const applied = Number((await tx.get(sql`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`))?.['v'] ?? 0);
  // Older code on a newer schema would run queries that no longer fit it (a rollback without the
  // backup, or an old replica left running): it refuses to start instead, and says what to do.
  if (applied > migrations.length) throw new SchemaTooNew(applied, migrations.length);
  for (const [index, script] of migrations.entries()) {
    const version = index + 1;
    if (version <= applied) continue;
    await tx.script(script);
    await tx.run(sql`INSERT INTO schema_migrations (version, applied_at) VALUES (${version}, ${Date.now()})`);
  }
}
