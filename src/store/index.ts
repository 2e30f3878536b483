// The store's entry point: STORE_URL in, a migrated Store out.
//   sqlite:<path>        one file (the directory is created), WAL mode — the embedded default
//   sqlite::memory:      a private in-memory database (tests)
//   postgres://…         PostgreSQL, for several replicas
// Both run the same queries (sql-store.ts); sqlite.ts and postgres.ts hold what differs.
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations.js';
import { PostgresDatabase } from './postgres.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './sql-store.js';
import type { Store, StoreOptions } from './types.js';

export type * from './types.js';

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('STORE_URL sqlite: needs a path, e.g. sqlite:./data/lineage-bot.db');
    return opening('SQLite', url, async () => new SqlStore(await SqliteDatabase.open(path, SQLITE_MIGRATIONS), options));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return opening('PostgreSQL', url, async () => new SqlStore(await PostgresDatabase.open(url, POSTGRES_MIGRATIONS, options), options));
  }
  // Never echo the URL: a postgres URL may carry a password.
  throw new Error('STORE_URL must be sqlite:<path> or postgres://…');
}

/**
 * A store that cannot be opened says so: the driver's own message ("connect ECONNREFUSED
 * 127.0.0.1:5432") does not tell an operator that STORE_URL is the setting to look at.
 */
async function opening(kind: string, url: string, open: () => Promise<Store>): Promise<Store> {
  try {
    return await open();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open the ${kind} store in STORE_URL: ${withoutPassword(reason, url)}`, { cause: error });
  }
}

/** Drivers are not expected to echo the password, but the message must not carry it if one does. */
function withoutPassword(text: string, url: string): string {
  const password = /^[a-z]+:\/\/[^:/@]*:([^@/]+)@/i.exec(url)?.[1];
  return password ? text.split(password).join('[redacted]').split(decodeURIComponent(password)).join('[redacted]') : text;
}
export { NoticeAlreadyOpen } from '../notices/errors.js';
