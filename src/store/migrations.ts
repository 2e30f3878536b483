// The schema, as numbered migrations written once for both dialects. A store applies the ones it
// has not applied yet at start-up, in order; a released migration is never edited, only followed
// by a new one (test/store/migrations.test.ts holds each dialect's text as it shipped). Both
// dialects keep the same table and column names so that src/store/rows.ts maps either; they
// differ only in the types below, in how a table gains several columns, and in SQLite's lease
// table (PostgreSQL leads with advisory locks instead).

interface Types {
  /** Epoch milliseconds. */
  time: 'INTEGER' | 'BIGINT';
  /** A number the database counts up by itself (PostgreSQL), or one the insert gives (SQLite). */
  serial: 'INTEGER' | 'BIGSERIAL';
  /** What a counted primary key adds after PRIMARY KEY. */
  autoincrement: ' AUTOINCREMENT' | '';
  flag: 'INTEGER' | 'BOOLEAN';
  no: '0' | 'FALSE';
  /** Adds columns to a table: SQLite's ALTER TABLE takes one at a time. */
  addColumns(table: string, columns: readonly string[]): string;
  /** Tables of one dialect only, created with the first schema. */
  onlyHere: string;
  /**
   * v4: deliveries gain `revision`, and their unique key takes it in. PostgreSQL swaps the
   * constraint; SQLite cannot drop a table's inline UNIQUE, so it rebuilds the table.
   */
  deliveriesByRevision: string;
}

const SQLITE: Types = {
  time: 'INTEGER',
  serial: 'INTEGER',
  autoincrement: ' AUTOINCREMENT',
  flag: 'INTEGER',
  no: '0',
  addColumns: (table, columns) => columns.map((column) => `ALTER TABLE ${table} ADD COLUMN ${column};`).join('\n'),
  // The leads of the watcher and reminder loops, as leases (see sqlite.ts).
  onlyHere: `CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`,
  deliveriesByRevision: `CREATE TABLE deliveries_v4 (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  notice_id TEXT NOT NULL REFERENCES notices (id),
  kind TEXT NOT NULL,
  recipient_key TEXT NOT NULL,
  days INTEGER NOT NULL,
  target TEXT NOT NULL,
  channel_id TEXT,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_by TEXT,
  claimed_until INTEGER,
  attempt_started_at INTEGER,
  message_ts TEXT,
  error TEXT,
  fallback_from TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  maybe_duplicate INTEGER NOT NULL DEFAULT 0,
  revision INTEGER NOT NULL DEFAULT 0,
  UNIQUE (notice_id, kind, recipient_key, days, revision)
);
INSERT INTO deliveries_v4 (id, seq, notice_id, kind, recipient_key, days, target, channel_id, status, attempts, next_attempt_at, claimed_by,
  claimed_until, attempt_started_at, message_ts, error, fallback_from, created_at, updated_at, maybe_duplicate)
SELECT id, seq, notice_id, kind, recipient_key, days, target, channel_id, status, attempts, next_attempt_at, claimed_by,
  claimed_until, attempt_started_at, message_ts, error, fallback_from, created_at, updated_at, maybe_duplicate FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v4 RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, seq);
CREATE INDEX deliveries_notice ON deliveries (notice_id);
CREATE INDEX deliveries_claimed_by ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;
`,
};

const POSTGRES: Types = {
  time: 'BIGINT',
  serial: 'BIGSERIAL',
  autoincrement: '',
  flag: 'BOOLEAN',
  no: 'FALSE',
  addColumns: (table, columns) => `ALTER TABLE ${table} ${columns.map((column) => `ADD COLUMN ${column}`).join(', ')};`,
  onlyHere: '',
  deliveriesByRevision: `ALTER TABLE deliveries ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_notice_id_kind_recipient_key_days_key;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_unique_per_revision UNIQUE (notice_id, kind, recipient_key, days, revision);
`,
};

/** v1 — notices, recipients, the outbox, acknowledgements, milestones, snapshots, events, audit, threads. */
const v1 = (t: Types) => `
CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  source_key TEXT NOT NULL UNIQUE,
  feature_group TEXT NOT NULL,
  feature_group_arn TEXT,
  kind TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  replacement TEXT,
  note TEXT,
  announcer TEXT NOT NULL,
  summary_target TEXT,
  report_to TEXT,
  unreachable TEXT NOT NULL,
  change TEXT,
  reminder_days TEXT NOT NULL,
  final_report_at ${t.time} NOT NULL,
  created_at ${t.time} NOT NULL,
  closed_at ${t.time},
  summary_channel TEXT,
  summary_ts TEXT,
  summary_version INTEGER NOT NULL DEFAULT 0,
  summary_rendered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notices_open ON notices (closed_at);
CREATE TABLE recipients (
  notice_id TEXT NOT NULL REFERENCES notices (id),
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  label TEXT NOT NULL,
  owners TEXT NOT NULL,
  resources TEXT NOT NULL,
  PRIMARY KEY (notice_id, key)
);
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  seq ${t.serial} NOT NULL,
  notice_id TEXT NOT NULL REFERENCES notices (id),
  kind TEXT NOT NULL,
  recipient_key TEXT NOT NULL,
  days INTEGER NOT NULL,
  target TEXT NOT NULL,
  channel_id TEXT,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at ${t.time} NOT NULL,
  claimed_by TEXT,
  claimed_until ${t.time},
  attempt_started_at ${t.time},
  message_ts TEXT,
  error TEXT,
  fallback_from TEXT,
  created_at ${t.time} NOT NULL,
  updated_at ${t.time} NOT NULL,
  UNIQUE (notice_id, kind, recipient_key, days)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, seq);
CREATE INDEX deliveries_notice ON deliveries (notice_id);
CREATE TABLE acknowledgements (
  notice_id TEXT NOT NULL REFERENCES notices (id),
  recipient_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  at ${t.time} NOT NULL,
  PRIMARY KEY (notice_id, recipient_key)
);
CREATE TABLE milestones (
  notice_id TEXT NOT NULL REFERENCES notices (id),
  milestone TEXT NOT NULL,
  done_at ${t.time} NOT NULL,
  PRIMARY KEY (notice_id, milestone)
);
CREATE TABLE feature_group_snapshots (
  feature_group TEXT PRIMARY KEY,
  arn TEXT,
  status TEXT,
  deleted ${t.flag} NOT NULL,
  features TEXT NOT NULL,
  hash TEXT NOT NULL,
  taken_at ${t.time} NOT NULL
);
CREATE TABLE processed_events (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  at ${t.time} NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE INDEX processed_events_at ON processed_events (at);
CREATE TABLE audit_log (
  seq ${t.serial} PRIMARY KEY${t.autoincrement},
  at ${t.time} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  notice_id TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_notice ON audit_log (notice_id);
CREATE TABLE thread_contexts (
  channel TEXT NOT NULL,
  thread_ts TEXT NOT NULL,
  question TEXT NOT NULL,
  input TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  saved_at ${t.time} NOT NULL,
  PRIMARY KEY (channel, thread_ts)
);
${t.onlyHere}`;

/**
 * v2 — surviving faults (issue 11):
 * - an announcement is stored when it is accepted, before its impact is known: `prepared_at` is
 *   null until recipients and deliveries exist, and `preparations` is its outbox;
 * - `failure` keeps why an accepted announcement was never sent (the announcer is told);
 * - `open_key` lets a person have one open notice per kind and feature group, as a uniqueness
 *   rule: two submissions at the same instant cannot both get in. Existing open notices take the
 *   key oldest first, so the migration cannot fail on data that was checked the old way;
 * - `maybe_duplicate` marks a delivery sent again without being able to check the channel;
 * - claims are looked up by holder (heartbeat renewal, taking over from a process that died).
 */
const v2 = (t: Types) => `
${t.addColumns('notices', ['open_key TEXT', `prepared_at ${t.time}`, 'failure TEXT'])}
UPDATE notices SET prepared_at = created_at;

UPDATE notices SET open_key = kind || ':' || feature_group
WHERE closed_at IS NULL AND announcer LIKE '{"type":"user"%'
  AND id = (SELECT first.id FROM notices first
            WHERE first.closed_at IS NULL AND first.announcer LIKE '{"type":"user"%'
              AND first.kind = notices.kind AND first.feature_group = notices.feature_group
            ORDER BY first.created_at, first.id LIMIT 1);
CREATE UNIQUE INDEX notices_open_key ON notices (open_key);

CREATE TABLE preparations (
  notice_id TEXT PRIMARY KEY REFERENCES notices (id),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at ${t.time} NOT NULL,
  claimed_by TEXT,
  claimed_until ${t.time},
  error TEXT,
  created_at ${t.time} NOT NULL,
  updated_at ${t.time} NOT NULL
);
CREATE INDEX preparations_due ON preparations (next_attempt_at);
ALTER TABLE deliveries ADD COLUMN maybe_duplicate ${t.flag} NOT NULL DEFAULT ${t.no};
CREATE INDEX deliveries_claimed_by ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;
`;

/** v3 — notices remember when the lineage walk behind them was cut short (JSON, NULL when it was not). */
const v3 = () => `ALTER TABLE notices ADD COLUMN lineage_cut TEXT;`;

/**
 * v4 — a notice's life after it is sent (issue 15):
 * - notices can be cancelled (`cancelled_at`, `cancelled_by`) and their date moved: `revision`
 *   counts the moves, `moved_at`, `moved_from` and `moved_by` say when, from which date and who;
 * - deliveries belong to a revision (reminders of a moved date are new ones), part of their unique key.
 */
const v4 = (t: Types) => `
${t.addColumns('notices', ['revision INTEGER NOT NULL DEFAULT 0', `moved_at ${t.time}`, 'moved_from TEXT', 'moved_by TEXT', `cancelled_at ${t.time}`, 'cancelled_by TEXT'])}
${t.deliveriesByRevision}`;

/**
 * v5 — a watcher cycle that costs what changed (issue 16):
 * - snapshots keep the group's CreationTime, so the groups SageMaker counts in a creation-time
 *   range can be compared with the ones known there (a deletion is found in a few counts);
 * - `watch_marks` holds the time up to which every change has been checked.
 */
const v5 = (t: Types) => `
ALTER TABLE feature_group_snapshots ADD COLUMN created_at ${t.time};
CREATE TABLE watch_marks (
  name TEXT PRIMARY KEY,
  at ${t.time} NOT NULL
);`;

/** v6 — a notice about some features only remembers which, and what happens to them (JSON, NULL for the whole group). */
const v6 = () => `ALTER TABLE notices ADD COLUMN features TEXT;`;

const MIGRATIONS = [v1, v2, v3, v4, v5, v6];

export const SQLITE_MIGRATIONS: readonly string[] = MIGRATIONS.map((migration) => migration(SQLITE));
export const POSTGRES_MIGRATIONS: readonly string[] = MIGRATIONS.map((migration) => migration(POSTGRES));

/** The type of schema_migrations.applied_at, which each store creates before applying migrations. */
export const MIGRATION_TIME = { sqlite: SQLITE.time, postgres: POSTGRES.time } as const;
