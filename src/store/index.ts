// The store's entry point: STORE_URL in, a migrated Store out.
//   sqlite:<path>        one file (the directory is created), WAL mode — the embedded default
//   sqlite::memory:      a private in-memory database (tests)
//   postgres://…         PostgreSQL, for several replicas
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store, StoreOptions } from './types.js';

export type * from './types.js';

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('STORE_URL sqlite: needs a path, e.g. sqlite:./data/lineage-bot.db');
    return SqliteStore.open(path, options);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresStore.open(url, options);
  // Never echo the URL: a postgres URL may carry a password.
  throw new Error('STORE_URL must be sqlite:<path> or postgres://…');
}
