// The upgrade story of the README's "Upgrading": a newer release migrates the store; older code
// started on it afterwards (a rollback without restoring the backup, an old replica left running)
// refuses to start with a message saying what to do, and leaves the store as it was. SQLite
// always; PostgreSQL when TEST_POSTGRES_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresDatabase } from '../../src/store/postgres.js';
import { sql } from '../../src/store/sql.js';
import { SqliteDatabase } from '../../src/store/sqlite.js';
import { cleanEnv, runMain } from '../support/main-process.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

/** What a later release might add: one more migration than this code has. */
const FUTURE = 'CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)';
const REFUSAL = new RegExp(
  `^Could not open the (SQLite|PostgreSQL) store in STORE_URL: its schema is at version ${SQLITE_MIGRATIONS.length + 1}, newer than this version of lineage-bot knows \\(${SQLITE_MIGRATIONS.length}\\)`,
);

describe('a store migrated by a newer release', () => {
  it('SQLite: this version refuses to start on it, names what to do, and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    try {
      const path = join(dir, 'bot.db');
      const newer = await SqliteDatabase.open(path, [...SQLITE_MIGRATIONS, FUTURE]);
      await newer.close();
      const error = (await openStore(`sqlite:${path}`).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(REFUSAL);
      expect(error.message).toContain('restore the backup taken before the upgrade');
      // The newer release still opens it: nothing was undone or re-applied.
      const again = await SqliteDatabase.open(path, [...SQLITE_MIGRATIONS, FUTURE]);
      expect(await again.get(sql`SELECT COUNT(*) AS n FROM schema_migrations`)).toEqual({ n: SQLITE_MIGRATIONS.length + 1 });
      await again.close();

      // The real entry point: exit 1 and the reason, as an orchestrator's log shows it.
      const run = await runMain(cleanEnv({ STORE_URL: `sqlite:${path}` }));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/its schema is at version \d+, newer than this version of lineage-bot knows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('SQLite: the same or an older schema is migrated as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    try {
      const path = join(dir, 'bot.db');
      const older = await SqliteDatabase.open(path, SQLITE_MIGRATIONS.slice(0, 1));
      await older.close();
      const store = await openStore(`sqlite:${path}`);
      await store.close();
      const reopened = await openStore(`sqlite:${path}`);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!POSTGRES_URL)('PostgreSQL (skipped: set TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run)', () => {
    const schema = `lb_schema_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    afterAll(async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    it('this version refuses to start on it, and changes nothing', async () => {
      const newer = await PostgresDatabase.open(POSTGRES_URL as string, [...POSTGRES_MIGRATIONS, FUTURE], { schema });
      await newer.close();
      const error = (await openStore(POSTGRES_URL as string, { schema }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(REFUSAL);
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.schema_migrations`);
      await client.end();
      expect(Number(rows[0]?.n)).toBe(POSTGRES_MIGRATIONS.length + 1);
    });
  });
});
