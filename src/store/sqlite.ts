// The embedded store: one SQLite file in WAL mode (readers never wait for the writer), created and
// migrated on open. better-sqlite3 is synchronous; the methods are async to share the Store
// interface with PostgreSQL. Every multi-row change runs in one transaction.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NoticeAlreadyOpen } from '../notices/errors.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import {
  ackFromRow,
  auditFromRow,
  deliveryFromRow,
  initialDeliveries,
  NOTICE_COLUMNS,
  noticeFromRow,
  noticeValues,
  openKey,
  preparationFromRow,
  recipientFromRow,
  recipientValues,
  snapshotFromRow,
  threadContextFromRow,
  type Row,
} from './rows.js';
import type { AcceptedNotice, Acknowledgement, AuditEntry, ClaimOptions, Delivery, FeatureGroupSnapshot, HeldClaims, NewDelivery, NewNotice, NewRecipient, Notice, Preparation, PreparedImpact, Recipient } from '../notices/model.js';
import type { Store, StoreOptions, ThreadContext, ThreadRef } from './types.js';

const DAY_MS = 24 * 3600 * 1000;
/** Pruning old event ids is a scan; once an hour is plenty. */
const PRUNE_EVERY_MS = 3600 * 1000;

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly now: () => number;
  private readonly eventRetentionMs: number;
  private lastPrune = 0;

  private constructor(
    private readonly db: Database.Database,
    options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.eventRetentionMs = options.eventRetentionMs ?? 7 * DAY_MS;
  }

  /** Opens (creating the directory and file if needed) and migrates. `:memory:` gives a private in-memory store. */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a delivery marked sent must survive a power cut, or the fan-out would resend it.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Several processes may share the file (a restart overlapping the old process).
      db.pragma('busy_timeout = 5000');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db, options);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // Notices -----------------------------------------------------------------------------------

  async createNotice(notice: NewNotice, recipients: NewRecipient[], audit: Omit<AuditEntry, 'noticeId'>, now: number) {
    return this.db
      .transaction((): { notice: Notice; created: boolean } => {
        const existing = this.existingBySourceKey(notice.sourceKey);
        if (existing) return { notice: existing, created: false };
        const id = this.insertNotice(notice, now, true);
        this.insertRecipients(id, recipients);
        this.insertDeliveries(id, initialDeliveries(notice, recipients), now);
        this.insertAudit({ ...audit, noticeId: id });
        return { notice: this.noticeById(id), created: true };
      })
      .immediate();
  }

  async acceptNotice(notice: AcceptedNotice, audit: Omit<AuditEntry, 'noticeId'>, claim: { worker: string; leaseMs: number }, now: number) {
    return this.db
      .transaction((): { notice: Notice; created: boolean } => {
        const existing = this.existingBySourceKey(notice.sourceKey);
        if (existing) return { notice: existing, created: false };
        const id = this.insertNotice({ ...notice, unreachable: [] }, now, false);
        this.db
          .prepare(
            `INSERT INTO preparations (notice_id, attempts, next_attempt_at, claimed_by, claimed_until, created_at, updated_at)
             VALUES (?, 0, ?, ?, ?, ?, ?)`,
          )
          .run(id, now, claim.worker, now + claim.leaseMs, now, now);
        this.insertAudit({ ...audit, noticeId: id });
        return { notice: this.noticeById(id), created: true };
      })
      .immediate();
  }

  async getNotice(id: string): Promise<Notice | undefined> {
    const row = this.db.prepare('SELECT * FROM notices WHERE id = ?').get(id) as Row | undefined;
    return row ? noticeFromRow(row) : undefined;
  }

  async listOpenNotices(): Promise<Notice[]> {
    return (this.db.prepare('SELECT * FROM notices WHERE closed_at IS NULL ORDER BY created_at').all() as Row[]).map(noticeFromRow);
  }

  async listRecipients(noticeId: string): Promise<Recipient[]> {
    return (this.db.prepare('SELECT * FROM recipients WHERE notice_id = ? ORDER BY key').all(noticeId) as Row[]).map(recipientFromRow);
  }

  async listDeliveries(noticeId: string): Promise<Delivery[]> {
    return (this.db.prepare('SELECT * FROM deliveries WHERE notice_id = ? ORDER BY seq').all(noticeId) as Row[]).map(deliveryFromRow);
  }

  async listAcknowledgements(noticeId: string): Promise<Acknowledgement[]> {
    return (this.db.prepare('SELECT * FROM acknowledgements WHERE notice_id = ? ORDER BY at, recipient_key').all(noticeId) as Row[]).map(ackFromRow);
  }

  async acknowledge(noticeId: string, recipientKey: string, userId: string, at: number) {
    return this.db
      .transaction(() => {
        const inserted = this.db
          .prepare('INSERT INTO acknowledgements (notice_id, recipient_key, user_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(noticeId, recipientKey, userId, at);
        if (inserted.changes === 1) this.bumpSummary(noticeId);
        const row = this.db.prepare('SELECT * FROM acknowledgements WHERE notice_id = ? AND recipient_key = ?').get(noticeId, recipientKey) as Row;
        return { first: inserted.changes === 1, ack: ackFromRow(row) };
      })
      .immediate();
  }

  async closeNotice(noticeId: string, at: number): Promise<void> {
    this.db
      .prepare('UPDATE notices SET closed_at = ?, open_key = NULL, summary_version = summary_version + 1 WHERE id = ? AND closed_at IS NULL')
      .run(at, noticeId);
  }

  // Preparations ------------------------------------------------------------------------------

  async claimPreparations({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Preparation[]> {
    const rows = this.db
      .prepare(
        `UPDATE preparations SET claimed_by = @worker, claimed_until = @until, updated_at = @now
         WHERE notice_id IN (
           SELECT notice_id FROM preparations
           WHERE next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
           ORDER BY next_attempt_at, created_at LIMIT @limit)
         RETURNING *`,
      )
      .all({ worker, until: now + leaseMs, now, limit }) as Row[];
    return rows.map(preparationFromRow);
  }

  async completePreparation(
    noticeId: string,
    worker: string,
    result: PreparedImpact,
    audit: Omit<AuditEntry, 'noticeId'>,
    now: number,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (!this.holdsPreparation(noticeId, worker)) return false;
        const notice = this.noticeById(noticeId);
        if (notice.preparedAt !== undefined || notice.closedAt !== undefined) return false;
        this.db
          .prepare('UPDATE notices SET unreachable = ?, prepared_at = ?, lineage_cut = ? WHERE id = ?')
          .run(JSON.stringify(result.unreachable), now, result.lineageCut ? JSON.stringify(result.lineageCut) : null, noticeId);
        this.insertRecipients(noticeId, result.recipients);
        this.insertDeliveries(noticeId, initialDeliveries(notice, result.recipients), now);
        this.insertAudit({ ...audit, noticeId });
        this.db.prepare('DELETE FROM preparations WHERE notice_id = ?').run(noticeId);
        return true;
      })
      .immediate();
  }

  async retryPreparation(noticeId: string, worker: string, retry: { nextAttemptAt: number; error: string }, now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE preparations SET attempts = attempts + 1, next_attempt_at = ?, error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
         WHERE notice_id = ? AND claimed_by = ?`,
      )
      .run(retry.nextAttemptAt, retry.error, now, noticeId, worker);
    return result.changes === 1;
  }

  async failPreparation(noticeId: string, worker: string, failure: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (!this.holdsPreparation(noticeId, worker)) return false;
        const notice = this.noticeById(noticeId);
        this.db.prepare('UPDATE notices SET closed_at = ?, open_key = NULL, failure = ? WHERE id = ?').run(now, failure, noticeId);
        this.db.prepare('DELETE FROM preparations WHERE notice_id = ?').run(noticeId);
        if (notice.announcer.type === 'user') {
          this.insertDeliveries(noticeId, [{ kind: 'announce_failed', recipientKey: '', days: 0, target: notice.announcer.userId }], now);
        }
        this.insertAudit({ ...audit, noticeId });
        return true;
      })
      .immediate();
  }

  // Schedule ----------------------------------------------------------------------------------

  async listMilestones(noticeId: string): Promise<string[]> {
    return (this.db.prepare('SELECT milestone FROM milestones WHERE notice_id = ? ORDER BY done_at, milestone').all(noticeId) as Row[]).map((row) =>
      String(row['milestone']),
    );
  }

  async completeMilestone(noticeId: string, milestone: string, deliveries: NewDelivery[], now: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const inserted = this.db
          .prepare('INSERT INTO milestones (notice_id, milestone, done_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
          .run(noticeId, milestone, now);
        if (inserted.changes !== 1) return false;
        this.insertDeliveries(noticeId, deliveries, now);
        return true;
      })
      .immediate();
  }

  // Outbox ------------------------------------------------------------------------------------

  async claimDeliveries({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Delivery[]> {
    const rows = this.db
      .prepare(
        `UPDATE deliveries SET claimed_by = @worker, claimed_until = @until, updated_at = @now
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
           ORDER BY next_attempt_at, seq LIMIT @limit)
         RETURNING *`,
      )
      .all({ worker, until: now + leaseMs, now, limit }) as Row[];
    return rows.map(deliveryFromRow).sort((a, b) => a.seq - b.seq);
  }

  async setDeliveryChannel(id: string, worker: string, channelId: string, now: number): Promise<boolean> {
    return this.claimed(id, worker, 'channel_id = ?, updated_at = ?', channelId, now);
  }

  async beginAttempt(id: string, worker: string, now: number): Promise<boolean> {
    return this.claimed(id, worker, 'attempt_started_at = ?, attempts = attempts + 1, updated_at = ?', now, now);
  }

  async completeDelivery(id: string, worker: string, result: { channelId: string; ts: string }, now: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const delivery = this.db.prepare('SELECT * FROM deliveries WHERE id = ? AND claimed_by = ? AND status = ?').get(id, worker, 'pending') as
          | Row
          | undefined;
        if (!delivery) return false;
        this.db
          .prepare(
            `UPDATE deliveries SET status = 'sent', channel_id = ?, message_ts = ?, error = NULL, attempt_started_at = NULL,
             claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ?`,
          )
          .run(result.channelId, result.ts, now, id);
        const noticeId = String(delivery['notice_id']);
        if (delivery['kind'] === 'summary') {
          this.db.prepare('UPDATE notices SET summary_channel = ?, summary_ts = ? WHERE id = ?').run(result.channelId, result.ts, noticeId);
        } else if (delivery['kind'] === 'notice') {
          this.bumpSummary(noticeId);
        }
        return true;
      })
      .immediate();
  }

  async retryDelivery(id: string, worker: string, retry: { nextAttemptAt: number; error: string; inDoubt: boolean; countAttempt?: boolean }, now: number): Promise<boolean> {
    return this.claimed(
      id,
      worker,
      `next_attempt_at = ?, error = ?, attempt_started_at = ${retry.inDoubt ? 'attempt_started_at' : 'NULL'},${retry.countAttempt ? ' attempts = attempts + 1,' : ''}
       claimed_by = NULL, claimed_until = NULL, updated_at = ?`,
      retry.nextAttemptAt,
      retry.error,
      now,
    );
  }

  async failDelivery(id: string, worker: string, error: string, now: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const delivery = this.db.prepare('SELECT notice_id FROM deliveries WHERE id = ?').get(id) as Row | undefined;
        const done = this.claimed(
          id,
          worker,
          "status = 'failed', error = ?, attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = ?",
          error,
          now,
        );
        if (done && delivery) this.bumpSummary(String(delivery['notice_id']));
        return done;
      })
      .immediate();
  }

  async retargetDelivery(id: string, worker: string, target: string, reason: string, now: number): Promise<boolean> {
    return this.claimed(
      id,
      worker,
      `fallback_from = target, target = ?, channel_id = NULL, error = ?, attempt_started_at = NULL, next_attempt_at = ?,
       claimed_by = NULL, claimed_until = NULL, updated_at = ?`,
      target,
      reason,
      now,
      now,
    );
  }

  async nextPendingAt(): Promise<number | undefined> {
    const row = this.db
      .prepare("SELECT MIN(MAX(next_attempt_at, COALESCE(claimed_until, 0))) AS due FROM deliveries WHERE status = 'pending'")
      .get() as Row;
    return row['due'] === null ? undefined : Number(row['due']);
  }

  async markMaybeDuplicate(id: string, worker: string, now: number): Promise<boolean> {
    return this.claimed(id, worker, 'maybe_duplicate = 1, updated_at = ?', now);
  }

  // Claims ------------------------------------------------------------------------------------

  async renewClaims(worker: string, held: HeldClaims, until: number, now: number): Promise<void> {
    this.db
      .transaction(() => {
        for (const [table, key, ids, pending] of [
          ['deliveries', 'id', held.deliveries, " AND status = 'pending'"],
          ['preparations', 'notice_id', held.preparations, ''],
        ] as const) {
          if (ids.length === 0) continue;
          this.db
            .prepare(`UPDATE ${table} SET claimed_until = ?, updated_at = ? WHERE claimed_by = ?${pending} AND ${key} IN (${ids.map(() => '?').join(', ')})`)
            .run(until, now, worker, ...ids);
        }
      })
      .immediate();
  }

  async listClaimHolders(now: number): Promise<string[]> {
    const rows = this.db
      .prepare(
        `SELECT claimed_by AS holder FROM deliveries WHERE status = 'pending' AND claimed_by IS NOT NULL AND claimed_until > @now
         UNION SELECT claimed_by FROM preparations WHERE claimed_by IS NOT NULL AND claimed_until > @now
         UNION SELECT holder FROM leases WHERE expires_at > @now`,
      )
      .all({ now }) as Row[];
    return rows.map((row) => String(row['holder'])).sort();
  }

  async releaseHolder(holder: string, now: number): Promise<number> {
    return this.db
      .transaction(() => {
        const deliveries = this.db
          .prepare("UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE claimed_by = ? AND status = 'pending'")
          .run(now, holder).changes;
        const preparations = this.db.prepare('UPDATE preparations SET claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE claimed_by = ?').run(now, holder).changes;
        this.db.prepare('DELETE FROM leases WHERE holder = ?').run(holder);
        return deliveries + preparations;
      })
      .immediate();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  // Summaries ---------------------------------------------------------------------------------

  async summariesToRefresh(limit: number) {
    const rows = this.db
      .prepare(
        `SELECT id, summary_version, summary_channel, summary_ts FROM notices
         WHERE summary_ts IS NOT NULL AND summary_version > summary_rendered ORDER BY created_at LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map((row) => ({
      noticeId: String(row['id']),
      version: Number(row['summary_version']),
      channel: String(row['summary_channel']),
      ts: String(row['summary_ts']),
    }));
  }

  async markSummaryRendered(noticeId: string, version: number): Promise<void> {
    this.db.prepare('UPDATE notices SET summary_rendered = MAX(summary_rendered, ?) WHERE id = ?').run(version, noticeId);
  }

  // Watcher -----------------------------------------------------------------------------------

  async getSnapshot(featureGroup: string): Promise<FeatureGroupSnapshot | undefined> {
    const row = this.db.prepare('SELECT * FROM feature_group_snapshots WHERE feature_group = ?').get(featureGroup) as Row | undefined;
    return row ? snapshotFromRow(row) : undefined;
  }

  async saveSnapshot(snapshot: FeatureGroupSnapshot): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feature_group_snapshots (feature_group, arn, status, deleted, features, hash, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feature_group) DO UPDATE SET arn = excluded.arn, status = excluded.status, deleted = excluded.deleted,
         features = excluded.features, hash = excluded.hash, taken_at = excluded.taken_at`,
      )
      .run(
        snapshot.featureGroup,
        snapshot.arn ?? null,
        snapshot.status ?? null,
        snapshot.deleted ? 1 : 0,
        JSON.stringify(snapshot.features),
        snapshot.hash,
        snapshot.takenAt,
      );
  }

  async listSnapshotNames(): Promise<string[]> {
    return (this.db.prepare('SELECT feature_group FROM feature_group_snapshots ORDER BY feature_group').all() as Row[]).map((row) =>
      String(row['feature_group']),
    );
  }

  // Events ------------------------------------------------------------------------------------

  async markEventProcessed(id: string, source: string): Promise<boolean> {
    const now = this.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.db.prepare('DELETE FROM processed_events WHERE at < ?').run(now - this.eventRetentionMs);
    }
    return this.db.prepare('INSERT INTO processed_events (source, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(source, id, now).changes === 1;
  }

  async forgetEvent(id: string, source: string): Promise<void> {
    this.db.prepare('DELETE FROM processed_events WHERE source = ? AND id = ?').run(source, id);
  }

  // Audit -------------------------------------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.insertAudit(entry);
  }

  async listAudit(noticeId?: string): Promise<AuditEntry[]> {
    const rows = noticeId
      ? (this.db.prepare('SELECT * FROM audit_log WHERE notice_id = ? ORDER BY seq').all(noticeId) as Row[])
      : (this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[]);
    return rows.map(auditFromRow);
  }

  // Threads -----------------------------------------------------------------------------------

  async saveThreadContext(ref: ThreadRef, context: ThreadContext): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO thread_contexts (channel, thread_ts, question, input, kind, name, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, thread_ts) DO UPDATE SET question = excluded.question, input = excluded.input,
         kind = excluded.kind, name = excluded.name, saved_at = excluded.saved_at`,
      )
      .run(ref.channel, ref.threadTs, context.question, context.input, context.kind, context.name, this.now());
  }

  async getThreadContext(ref: ThreadRef): Promise<ThreadContext | undefined> {
    const row = this.db.prepare('SELECT * FROM thread_contexts WHERE channel = ? AND thread_ts = ?').get(ref.channel, ref.threadTs) as Row | undefined;
    return row ? threadContextFromRow(row) : undefined;
  }

  // Leadership --------------------------------------------------------------------------------

  async tryLead(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    // Take the lease when it is free or expired, renew it when it is ours; otherwise change nothing.
    const result = this.db
      .prepare(
        `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @until)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
      )
      .run({ name, holder, until: now + ttlMs, now });
    return result.changes === 1;
  }

  async releaseLead(name: string, holder: string): Promise<void> {
    this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  // Helpers -----------------------------------------------------------------------------------

  private existingBySourceKey(sourceKey: string): Notice | undefined {
    const row = this.db.prepare('SELECT * FROM notices WHERE source_key = ?').get(sourceKey) as Row | undefined;
    return row ? noticeFromRow(row) : undefined;
  }

  private noticeById(id: string): Notice {
    return noticeFromRow(this.db.prepare('SELECT * FROM notices WHERE id = ?').get(id) as Row);
  }

  /** Inserts a notice row; a second open notice of the same kind from a person breaks notices_open_key. */
  private insertNotice(notice: NewNotice, now: number, prepared: boolean): string {
    const id = randomUUID();
    try {
      this.db.prepare(`INSERT INTO notices (${NOTICE_COLUMNS.join(', ')}) VALUES (${NOTICE_COLUMNS.map(() => '?').join(', ')})`).run(...noticeValues(id, notice, now, prepared));
    } catch (error) {
      const key = openKey(notice);
      const open = key && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' ? (this.db.prepare('SELECT * FROM notices WHERE open_key = ?').get(key) as Row | undefined) : undefined;
      if (open) throw new NoticeAlreadyOpen(noticeFromRow(open));
      throw error;
    }
    return id;
  }

  private insertRecipients(noticeId: string, recipients: readonly NewRecipient[]): void {
    const insert = this.db.prepare('INSERT INTO recipients (notice_id, key, type, target_id, label, owners, resources) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const recipient of recipients) insert.run(...recipientValues(noticeId, recipient));
  }

  private holdsPreparation(noticeId: string, worker: string): boolean {
    return this.db.prepare('SELECT 1 FROM preparations WHERE notice_id = ? AND claimed_by = ?').get(noticeId, worker) !== undefined;
  }

  private insertDeliveries(noticeId: string, deliveries: readonly NewDelivery[], now: number): void {
    const base = Number((this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM deliveries').get() as Row)['seq']);
    const insert = this.db.prepare(
      `INSERT INTO deliveries (id, seq, notice_id, kind, recipient_key, days, target, status, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    deliveries.forEach((d, index) => insert.run(randomUUID(), base + index + 1, noticeId, d.kind, d.recipientKey, d.days, d.target, now, now, now));
  }

  private insertAudit(entry: AuditEntry): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, notice_id, detail) VALUES (?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor, entry.action, entry.noticeId ?? null, JSON.stringify(entry.detail));
  }

  private bumpSummary(noticeId: string): void {
    this.db.prepare('UPDATE notices SET summary_version = summary_version + 1 WHERE id = ?').run(noticeId);
  }

  /** An update that applies only while `worker` holds its claim on a pending delivery. */
  private claimed(id: string, worker: string, assignments: string, ...values: unknown[]): boolean {
    const result = this.db
      .prepare(`UPDATE deliveries SET ${assignments} WHERE id = ? AND claimed_by = ? AND status = 'pending'`)
      .run(...values, id, worker);
    return result.changes === 1;
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  db.transaction(() => {
    const applied = Number((db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row)['v']);
    SQLITE_MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (version <= applied) return;
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    });
  }).immediate();
}
