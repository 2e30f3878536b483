// The store's rules, written once over the SQL layer (sql.ts) for SQLite and PostgreSQL alike: what
// each query reads and changes, what one transaction holds together, and when a claim counts.
// Where the databases differ — row locks, ordering text, the larger of two values, numbering
// deliveries, telling a uniqueness violation, leading a loop — the Database says.
import { randomUUID } from 'node:crypto';
import { NoticeAlreadyOpen } from '../notices/errors.js';
import type {
  AcceptedNotice,
  Acknowledgement,
  AuditEntry,
  ClaimOptions,
  Delivery,
  DeliveryKind,
  DeliveryStatus,
  FeatureGroupSnapshot,
  HeldClaims,
  NewDelivery,
  NewNotice,
  NewRecipient,
  Notice,
  Preparation,
  PreparedImpact,
  PresentGroup,
  Recipient,
} from '../notices/model.js';
import { GONE_STATUS } from '../notices/model.js';
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
  presentGroupFromRow,
  recipientFromRow,
  recipientValues,
  snapshotFromRow,
  threadContextFromRow,
} from './rows.js';
import { join, raw, sql, type Database, type Executor, type Row, type Sql } from './sql.js';
import type { Store, StoreOptions, ThreadContext, ThreadRef } from './types.js';

const DAY_MS = 24 * 3600 * 1000;
/** Pruning old event ids is a scan; once an hour is plenty. */
const PRUNE_EVERY_MS = 3600 * 1000;
/** Rows per multi-row INSERT: far below either database's limit on parameters. */
const INSERT_CHUNK = 1000;
/** The unique index that lets a person have one open notice per kind and feature group. */
const OPEN_KEY_INDEX = { name: 'notices_open_key', columns: 'notices.open_key' };
const PENDING = raw(`status = 'pending'`);

export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  private readonly now: () => number;
  private readonly eventRetentionMs: number;
  private lastPrune = 0;

  constructor(
    private readonly db: Database,
    options: StoreOptions,
  ) {
    this.kind = db.kind;
    this.now = options.now ?? Date.now;
    this.eventRetentionMs = options.eventRetentionMs ?? 7 * DAY_MS;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async ping(): Promise<void> {
    await this.db.get(sql`SELECT 1`);
  }

  // Notices -----------------------------------------------------------------------------------

  async createNotice(notice: NewNotice, recipients: NewRecipient[], audit: Omit<AuditEntry, 'noticeId'>, now: number) {
    return this.refusingSecondOpen(notice, () =>
      this.db.transaction(async (tx): Promise<{ notice: Notice; created: boolean }> => {
        const id = await insertNotice(tx, notice, now, true);
        if (!id) return { notice: await noticeBy(tx, sql`source_key = ${notice.sourceKey}`), created: false };
        await insertRecipients(tx, id, recipients);
        await this.insertDeliveries(tx, id, initialDeliveries(notice, recipients), now);
        await insertAudit(tx, { ...audit, noticeId: id });
        return { notice: await noticeBy(tx, sql`id = ${id}`), created: true };
      }),
    );
  }

  async acceptNotice(notice: AcceptedNotice, audit: Omit<AuditEntry, 'noticeId'>, claim: { worker: string; leaseMs: number }, now: number) {
    return this.refusingSecondOpen(notice, () =>
      this.db.transaction(async (tx): Promise<{ notice: Notice; created: boolean }> => {
        const id = await insertNotice(tx, { ...notice, unreachable: [] }, now, false);
        if (!id) return { notice: await noticeBy(tx, sql`source_key = ${notice.sourceKey}`), created: false };
        await tx.run(sql`
          INSERT INTO preparations (notice_id, attempts, next_attempt_at, claimed_by, claimed_until, created_at, updated_at)
          VALUES (${id}, 0, ${now}, ${claim.worker}, ${now + claim.leaseMs}, ${now}, ${now})`);
        await insertAudit(tx, { ...audit, noticeId: id });
        return { notice: await noticeBy(tx, sql`id = ${id}`), created: true };
      }),
    );
  }

  async getNotice(id: string): Promise<Notice | undefined> {
    const row = await this.db.get(sql`SELECT * FROM notices WHERE id = ${id}`);
    return row ? noticeFromRow(row) : undefined;
  }

  async listOpenNotices(): Promise<Notice[]> {
    return (await this.db.all(sql`SELECT * FROM notices WHERE closed_at IS NULL ORDER BY created_at`)).map(noticeFromRow);
  }

  async listRecipients(noticeId: string): Promise<Recipient[]> {
    return (await this.db.all(sql`SELECT * FROM recipients WHERE notice_id = ${noticeId} ORDER BY key${this.db.byCodePoint}`)).map(recipientFromRow);
  }

  async listDeliveries(noticeId: string): Promise<Delivery[]> {
    return (await this.db.all(sql`SELECT * FROM deliveries WHERE notice_id = ${noticeId} ORDER BY seq`)).map(deliveryFromRow);
  }

  async listAcknowledgements(noticeId: string): Promise<Acknowledgement[]> {
    const rows = await this.db.all(sql`SELECT * FROM acknowledgements WHERE notice_id = ${noticeId} ORDER BY at, recipient_key${this.db.byCodePoint}`);
    return rows.map(ackFromRow);
  }

  async acknowledge(noticeId: string, recipientKey: string, userId: string, at: number) {
    return this.db.transaction(async (tx) => {
      const first =
        (await tx.run(sql`
          INSERT INTO acknowledgements (notice_id, recipient_key, user_id, at) VALUES (${noticeId}, ${recipientKey}, ${userId}, ${at})
          ON CONFLICT DO NOTHING`)) === 1;
      if (first) await bumpSummary(tx, noticeId);
      const row = await tx.get(sql`SELECT * FROM acknowledgements WHERE notice_id = ${noticeId} AND recipient_key = ${recipientKey}`);
      return { first, ack: ackFromRow(found(row, `acknowledgement ${noticeId}/${recipientKey}`)) };
    });
  }

  async closeNotice(noticeId: string, at: number): Promise<void> {
    await this.db.run(sql`
      UPDATE notices SET closed_at = ${at}, open_key = NULL, summary_version = summary_version + 1
      WHERE id = ${noticeId} AND closed_at IS NULL`);
  }

  async cancelNotice(noticeId: string, by: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<Notice | undefined> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(sql`
        UPDATE notices SET closed_at = ${now}, open_key = NULL, cancelled_at = ${now}, cancelled_by = ${by}, summary_version = summary_version + 1
        WHERE id = ${noticeId} AND closed_at IS NULL`);
      if (changed !== 1) return undefined;
      const notice = await noticeBy(tx, sql`id = ${noticeId}`);
      // Read before the pending ones are cancelled: a notice being sent right now may have reached its owner.
      const told = await toldOwners(tx, noticeId, 'cancelled', notice.revision);
      // Nothing it started goes out (or is written to SageMaker) any more; an announcement still being prepared never will be.
      await cancelPending(tx, noticeId, ['notice', 'reminder', 'moved', 'escalation', 'write_back'], now);
      await tx.run(sql`DELETE FROM preparations WHERE notice_id = ${noticeId}`);
      await this.insertDeliveries(tx, noticeId, told, now);
      await insertAudit(tx, { ...audit, noticeId });
      return notice;
    });
  }

  async moveNotice(noticeId: string, move: { fromRevision: number; effectiveDate: string; finalReportAt: number; by: string }, audit: Omit<AuditEntry, 'noticeId'>, now: number) {
    return this.db.transaction(async (tx): Promise<Notice | undefined> => {
      // The right-hand sides read the row as it was: moved_from takes the old date.
      const changed = await tx.run(sql`
        UPDATE notices SET moved_from = effective_date, effective_date = ${move.effectiveDate}, final_report_at = ${move.finalReportAt},
        moved_at = ${now}, moved_by = ${move.by}, revision = revision + 1, summary_version = summary_version + 1
        WHERE id = ${noticeId} AND closed_at IS NULL AND revision = ${move.fromRevision}`);
      if (changed !== 1) return undefined;
      const notice = await noticeBy(tx, sql`id = ${noticeId}`);
      // Reminders of the old date, its write-back not made yet, and a previous move's message still unsent, are superseded.
      await cancelPending(tx, noticeId, ['reminder', 'moved', 'write_back'], now);
      await this.insertDeliveries(tx, noticeId, await toldOwners(tx, noticeId, 'moved', notice.revision), now);
      await insertAudit(tx, { ...audit, noticeId });
      return notice;
    });
  }

  // Preparations ------------------------------------------------------------------------------

  async claimPreparations({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Preparation[]> {
    const rows = await this.db.all(sql`
      UPDATE preparations SET claimed_by = ${worker}, claimed_until = ${now + leaseMs}, updated_at = ${now}
      WHERE notice_id IN (
        SELECT notice_id FROM preparations
        WHERE next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
        ORDER BY next_attempt_at, created_at LIMIT ${limit}${this.db.lockRowsSkippingLocked})
      RETURNING *`);
    return rows.map(preparationFromRow);
  }

  async completePreparation(noticeId: string, worker: string, result: PreparedImpact, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.holdsPreparation(tx, noticeId, worker))) return false;
      const notice = await noticeBy(tx, sql`id = ${noticeId}`);
      if (notice.preparedAt !== undefined || notice.closedAt !== undefined) return false;
      await tx.run(sql`
        UPDATE notices SET unreachable = ${JSON.stringify(result.unreachable)}, prepared_at = ${now},
        lineage_cut = ${result.lineageCut ? JSON.stringify(result.lineageCut) : null} WHERE id = ${noticeId}`);
      await insertRecipients(tx, noticeId, result.recipients);
      await this.insertDeliveries(tx, noticeId, initialDeliveries(notice, result.recipients), now);
      await insertAudit(tx, { ...audit, noticeId });
      await tx.run(sql`DELETE FROM preparations WHERE notice_id = ${noticeId}`);
      return true;
    });
  }

  async retryPreparation(noticeId: string, worker: string, retry: { nextAttemptAt: number; error: string }, now: number): Promise<boolean> {
    const changed = await this.db.run(sql`
      UPDATE preparations SET attempts = attempts + 1, next_attempt_at = ${retry.nextAttemptAt}, error = ${retry.error},
      claimed_by = NULL, claimed_until = NULL, updated_at = ${now}
      WHERE notice_id = ${noticeId} AND claimed_by = ${worker}`);
    return changed === 1;
  }

  async failPreparation(noticeId: string, worker: string, failure: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.holdsPreparation(tx, noticeId, worker))) return false;
      const notice = await noticeBy(tx, sql`id = ${noticeId}`);
      await tx.run(sql`UPDATE notices SET closed_at = ${now}, open_key = NULL, failure = ${failure} WHERE id = ${noticeId}`);
      await tx.run(sql`DELETE FROM preparations WHERE notice_id = ${noticeId}`);
      if (notice.announcer.type === 'user') {
        await this.insertDeliveries(tx, noticeId, [{ kind: 'announce_failed', recipientKey: '', days: 0, target: notice.announcer.userId }], now);
      }
      await insertAudit(tx, { ...audit, noticeId });
      return true;
    });
  }

  // Schedule ----------------------------------------------------------------------------------

  async listMilestones(noticeId: string): Promise<string[]> {
    const rows = await this.db.all(sql`SELECT milestone FROM milestones WHERE notice_id = ${noticeId} ORDER BY done_at, milestone${this.db.byCodePoint}`);
    return rows.map((row) => String(row['milestone']));
  }

  async completeMilestone(noticeId: string, milestone: string, deliveries: NewDelivery[], now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.run(sql`INSERT INTO milestones (notice_id, milestone, done_at) VALUES (${noticeId}, ${milestone}, ${now}) ON CONFLICT DO NOTHING`);
      if (inserted !== 1) return false;
      await this.insertDeliveries(tx, noticeId, deliveries, now);
      return true;
    });
  }

  // Outbox ------------------------------------------------------------------------------------

  async claimDeliveries({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Delivery[]> {
    const rows = await this.db.all(sql`
      UPDATE deliveries SET claimed_by = ${worker}, claimed_until = ${now + leaseMs}, updated_at = ${now}
      WHERE id IN (
        SELECT id FROM deliveries
        WHERE ${PENDING} AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
        ORDER BY next_attempt_at, seq LIMIT ${limit}${this.db.lockRowsSkippingLocked})
      RETURNING *`);
    return rows.map(deliveryFromRow).sort((a, b) => a.seq - b.seq);
  }

  setDeliveryChannel(id: string, worker: string, channelId: string, now: number): Promise<boolean> {
    return claimed(this.db, id, worker, sql`channel_id = ${channelId}, updated_at = ${now}`);
  }

  beginAttempt(id: string, worker: string, now: number): Promise<boolean> {
    return claimed(this.db, id, worker, sql`attempt_started_at = ${now}, attempts = attempts + 1, updated_at = ${now}`);
  }

  async completeDelivery(id: string, worker: string, result: { channelId: string; ts: string }, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const delivery = await tx.get(sql`SELECT notice_id, kind FROM deliveries WHERE id = ${id} AND claimed_by = ${worker} AND ${PENDING}${this.db.lockRows}`);
      if (!delivery) return false;
      await tx.run(sql`
        UPDATE deliveries SET status = 'sent', channel_id = ${result.channelId}, message_ts = ${result.ts}, error = NULL, attempt_started_at = NULL,
        claimed_by = NULL, claimed_until = NULL, updated_at = ${now} WHERE id = ${id}`);
      const noticeId = String(delivery['notice_id']);
      if (delivery['kind'] === 'summary') {
        await tx.run(sql`UPDATE notices SET summary_channel = ${result.channelId}, summary_ts = ${result.ts} WHERE id = ${noticeId}`);
      } else if (delivery['kind'] === 'notice' || delivery['kind'] === 'escalation') {
        // The summary shows who was reached, and who was escalated.
        await bumpSummary(tx, noticeId);
      }
      return true;
    });
  }

  retryDelivery(id: string, worker: string, retry: { nextAttemptAt: number; error: string; inDoubt: boolean; countAttempt?: boolean }, now: number): Promise<boolean> {
    // In doubt, the attempt's start stays: the next try looks for the message before sending again.
    const started = retry.inDoubt ? raw('attempt_started_at') : raw('NULL');
    const attempts = retry.countAttempt ? raw(' attempts = attempts + 1,') : raw('');
    return claimed(
      this.db,
      id,
      worker,
      sql`next_attempt_at = ${retry.nextAttemptAt}, error = ${retry.error}, attempt_started_at = ${started},${attempts}
      claimed_by = NULL, claimed_until = NULL, updated_at = ${now}`,
    );
  }

  async failDelivery(id: string, worker: string, error: string, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const done = await claimed(tx, id, worker, sql`status = 'failed', error = ${error}, attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = ${now}`);
      if (done) {
        const row = found(await tx.get(sql`SELECT notice_id FROM deliveries WHERE id = ${id}`), `delivery ${id}`);
        await bumpSummary(tx, String(row['notice_id']));
      }
      return done;
    });
  }

  retargetDelivery(id: string, worker: string, target: string, reason: string, now: number): Promise<boolean> {
    return claimed(
      this.db,
      id,
      worker,
      sql`fallback_from = target, target = ${target}, channel_id = NULL, error = ${reason}, attempt_started_at = NULL, next_attempt_at = ${now},
      claimed_by = NULL, claimed_until = NULL, updated_at = ${now}`,
    );
  }

  async nextPendingAt(): Promise<number | undefined> {
    const due = (await this.db.get(sql`SELECT MIN(${this.db.greatest(raw('next_attempt_at'), raw('COALESCE(claimed_until, 0)'))}) AS due FROM deliveries WHERE ${PENDING}`))?.['due'];
    return due === null || due === undefined ? undefined : Number(due);
  }

  async deliveryCounts(): Promise<{ byStatus: Record<DeliveryStatus, number>; oldestPendingCreatedAt?: number }> {
    const rows = await this.db.all(sql`SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries GROUP BY status`);
    const byStatus: Record<DeliveryStatus, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
    let oldestPendingCreatedAt: number | undefined;
    for (const row of rows) {
      const status = String(row['status']) as DeliveryStatus;
      if (status in byStatus) byStatus[status] = Number(row['n']);
      if (status === 'pending' && row['oldest'] !== null && row['oldest'] !== undefined) oldestPendingCreatedAt = Number(row['oldest']);
    }
    return { byStatus, ...(oldestPendingCreatedAt !== undefined ? { oldestPendingCreatedAt } : {}) };
  }

  markMaybeDuplicate(id: string, worker: string, now: number): Promise<boolean> {
    return claimed(this.db, id, worker, sql`maybe_duplicate = TRUE, updated_at = ${now}`);
  }

  // Claims ------------------------------------------------------------------------------------

  async renewClaims(worker: string, held: HeldClaims, until: number, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (held.deliveries.length > 0) {
        await tx.run(sql`UPDATE deliveries SET claimed_until = ${until}, updated_at = ${now} WHERE claimed_by = ${worker} AND ${PENDING} AND id IN (${join(held.deliveries)})`);
      }
      if (held.preparations.length > 0) {
        await tx.run(sql`UPDATE preparations SET claimed_until = ${until}, updated_at = ${now} WHERE claimed_by = ${worker} AND notice_id IN (${join(held.preparations)})`);
      }
    });
  }

  async listClaimHolders(now: number): Promise<string[]> {
    const rows = await this.db.all(sql`
      SELECT claimed_by AS holder FROM deliveries WHERE ${PENDING} AND claimed_by IS NOT NULL AND claimed_until > ${now}
      UNION SELECT claimed_by FROM preparations WHERE claimed_by IS NOT NULL AND claimed_until > ${now}`);
    const leading = await this.db.leads.holders(this.db, now);
    return [...new Set([...rows.map((row) => String(row['holder'])), ...leading])].sort();
  }

  async releaseHolder(holder: string, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const deliveries = await tx.run(sql`UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL, updated_at = ${now} WHERE claimed_by = ${holder} AND ${PENDING}`);
      const preparations = await tx.run(sql`UPDATE preparations SET claimed_by = NULL, claimed_until = NULL, updated_at = ${now} WHERE claimed_by = ${holder}`);
      await this.db.leads.dropHolder(tx, holder);
      return deliveries + preparations;
    });
  }

  // Summaries ---------------------------------------------------------------------------------

  async summariesToRefresh(limit: number) {
    const rows = await this.db.all(sql`
      SELECT id, summary_version, summary_channel, summary_ts FROM notices
      WHERE summary_ts IS NOT NULL AND summary_version > summary_rendered ORDER BY created_at LIMIT ${limit}`);
    return rows.map((row) => ({
      noticeId: String(row['id']),
      version: Number(row['summary_version']),
      channel: String(row['summary_channel']),
      ts: String(row['summary_ts']),
    }));
  }

  async markSummaryRendered(noticeId: string, version: number): Promise<void> {
    await this.db.run(sql`UPDATE notices SET summary_rendered = ${this.db.greatest(raw('summary_rendered'), sql`${version}`)} WHERE id = ${noticeId}`);
  }

  // Watcher -----------------------------------------------------------------------------------

  async getSnapshot(featureGroup: string): Promise<FeatureGroupSnapshot | undefined> {
    const row = await this.db.get(sql`SELECT * FROM feature_group_snapshots WHERE feature_group = ${featureGroup}`);
    return row ? snapshotFromRow(row) : undefined;
  }

  async saveSnapshot(snapshot: FeatureGroupSnapshot): Promise<void> {
    await this.db.run(sql`
      INSERT INTO feature_group_snapshots (feature_group, arn, status, deleted, features, hash, taken_at, created_at)
      VALUES (${snapshot.featureGroup}, ${snapshot.arn ?? null}, ${snapshot.status ?? null}, ${snapshot.deleted}, ${JSON.stringify(snapshot.features)}, ${snapshot.hash}, ${snapshot.takenAt}, ${snapshot.createdAt ?? null})
      ON CONFLICT (feature_group) DO UPDATE SET arn = excluded.arn, status = excluded.status, deleted = excluded.deleted,
      features = excluded.features, hash = excluded.hash, taken_at = excluded.taken_at, created_at = excluded.created_at`);
  }

  async listSnapshotNames(): Promise<string[]> {
    return (await this.db.all(sql`SELECT feature_group FROM feature_group_snapshots ORDER BY feature_group${this.db.byCodePoint}`)).map((row) => String(row['feature_group']));
  }

  async listPresentGroups(): Promise<PresentGroup[]> {
    // 'Deleting' groups are still there (SageMaker counts them); 'Deleted' ones are gone.
    const rows = await this.db.all(
      sql`SELECT feature_group, created_at FROM feature_group_snapshots WHERE status IS NULL OR status <> ${GONE_STATUS} ORDER BY feature_group${this.db.byCodePoint}`,
    );
    return rows.map(presentGroupFromRow);
  }

  async getWatchMark(name: string): Promise<number | undefined> {
    const row = await this.db.get(sql`SELECT at FROM watch_marks WHERE name = ${name}`);
    return row ? Number(row['at']) : undefined;
  }

  async setWatchMark(name: string, at: number): Promise<void> {
    await this.db.run(sql`INSERT INTO watch_marks (name, at) VALUES (${name}, ${at}) ON CONFLICT (name) DO UPDATE SET at = excluded.at`);
  }

  // Events ------------------------------------------------------------------------------------

  async markEventProcessed(id: string, source: string): Promise<boolean> {
    const now = this.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.db.run(sql`DELETE FROM processed_events WHERE at < ${now - this.eventRetentionMs}`);
    }
    return (await this.db.run(sql`INSERT INTO processed_events (source, id, at) VALUES (${source}, ${id}, ${now}) ON CONFLICT DO NOTHING`)) === 1;
  }

  async forgetEvent(id: string, source: string): Promise<void> {
    await this.db.run(sql`DELETE FROM processed_events WHERE source = ${source} AND id = ${id}`);
  }

  // Audit -------------------------------------------------------------------------------------

  appendAudit(entry: AuditEntry): Promise<void> {
    return insertAudit(this.db, entry);
  }

  async listAudit(noticeId?: string): Promise<AuditEntry[]> {
    const where = noticeId ? sql` WHERE notice_id = ${noticeId}` : raw('');
    return (await this.db.all(sql`SELECT * FROM audit_log${where} ORDER BY seq`)).map(auditFromRow);
  }

  // Threads -----------------------------------------------------------------------------------

  async saveThreadContext(ref: ThreadRef, context: ThreadContext): Promise<void> {
    await this.db.run(sql`
      INSERT INTO thread_contexts (channel, thread_ts, question, input, kind, name, saved_at)
      VALUES (${ref.channel}, ${ref.threadTs}, ${context.question}, ${context.input}, ${context.kind}, ${context.name}, ${this.now()})
      ON CONFLICT (channel, thread_ts) DO UPDATE SET question = excluded.question, input = excluded.input,
      kind = excluded.kind, name = excluded.name, saved_at = excluded.saved_at`);
  }

  async getThreadContext(ref: ThreadRef): Promise<ThreadContext | undefined> {
    const row = await this.db.get(sql`SELECT * FROM thread_contexts WHERE channel = ${ref.channel} AND thread_ts = ${ref.threadTs}`);
    return row ? threadContextFromRow(row) : undefined;
  }

  async recentThreadContexts(channel: string, limit: number): Promise<ThreadContext[]> {
    // The primary key (channel, thread_ts) narrows to the channel; only its rows are sorted.
    const rows = await this.db.all(sql`SELECT * FROM thread_contexts WHERE channel = ${channel} ORDER BY saved_at DESC, thread_ts DESC LIMIT ${limit}`);
    return rows.map(threadContextFromRow);
  }

  // Leadership --------------------------------------------------------------------------------

  tryLead(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    return this.db.leads.tryLead(name, holder, ttlMs, now);
  }

  releaseLead(name: string, holder: string): Promise<void> {
    return this.db.leads.releaseLead(name, holder);
  }

  // Helpers -----------------------------------------------------------------------------------

  /**
   * A second open notice of one kind from a person breaks the open-key index: a concurrent insert
   * waits for the first transaction and fails once it commits. That becomes NoticeAlreadyOpen,
   * read after the failed transaction was rolled back.
   */
  private async refusingSecondOpen<T>(notice: Pick<NewNotice, 'featureGroup' | 'kind' | 'announcer'>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const key = openKey(notice);
      if (!key || !this.db.violates(error, OPEN_KEY_INDEX)) throw error;
      const open = await this.db.get(sql`SELECT * FROM notices WHERE open_key = ${key}`);
      if (!open) throw error;
      throw new NoticeAlreadyOpen(noticeFromRow(open));
    }
  }

  private async holdsPreparation(tx: Executor, noticeId: string, worker: string): Promise<boolean> {
    return (await tx.get(sql`SELECT 1 AS held FROM preparations WHERE notice_id = ${noticeId} AND claimed_by = ${worker}${this.db.lockRows}`)) !== undefined;
  }

  /** One row per delivery, in the order given (seq is that order: a fan-out goes out as it was planned). */
  private async insertDeliveries(tx: Executor, noticeId: string, deliveries: readonly NewDelivery[], now: number): Promise<void> {
    const row = (d: NewDelivery) => [randomUUID(), noticeId, d.kind, d.recipientKey, d.days, d.revision ?? 0, d.target, 'pending', now, now, now];
    const columns = 'id, notice_id, kind, recipient_key, days, revision, target, status, next_attempt_at, created_at, updated_at';
    if (this.db.countsDeliveries) {
      await insertRows(tx, raw(`deliveries (${columns})`), deliveries.map(row), raw(' ON CONFLICT DO NOTHING'));
      return;
    }
    // Numbered here: the transaction holds the write lock, so nobody else takes these numbers.
    const base = Number((await tx.get(sql`SELECT COALESCE(MAX(seq), 0) AS seq FROM deliveries`))?.['seq'] ?? 0);
    await insertRows(tx, raw(`deliveries (seq, ${columns})`), deliveries.map((d, index) => [base + index + 1, ...row(d)]), raw(' ON CONFLICT DO NOTHING'));
  }
}

/** The new notice's id, or undefined when its sourceKey was used already (a concurrent insert of the same key waits, then does nothing). */
async function insertNotice(tx: Executor, notice: NewNotice, now: number, prepared: boolean): Promise<string | undefined> {
  const id = randomUUID();
  const inserted = await tx.run(sql`
    INSERT INTO notices (${raw(NOTICE_COLUMNS.join(', '))}) VALUES (${join(noticeValues(id, notice, now, prepared))})
    ON CONFLICT (source_key) DO NOTHING`);
  return inserted === 0 ? undefined : id;
}

async function noticeBy(tx: Executor, where: Sql): Promise<Notice> {
  return noticeFromRow(found(await tx.get(sql`SELECT * FROM notices WHERE ${where}`), 'notice'));
}

/** A row the transaction has just written or checked; its absence is a bug, not an answer. */
function found(row: Row | undefined, what: string): Row {
  if (!row) throw new Error(`The store lost track of a ${what} it had just read or written`);
  return row;
}

function insertRecipients(tx: Executor, noticeId: string, recipients: readonly NewRecipient[]): Promise<void> {
  return insertRows(
    tx,
    raw('recipients (notice_id, key, type, target_id, label, owners, resources)'),
    recipients.map((recipient) => recipientValues(noticeId, recipient)),
  );
}

async function insertRows(tx: Executor, into: Sql, rows: readonly unknown[][], suffix: Sql = raw('')): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const values = rows.slice(start, start + INSERT_CHUNK).map((row) => sql`(${join(row)})`);
    await tx.run(sql`INSERT INTO ${into} VALUES ${join(values)}${suffix}`);
  }
}

async function insertAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.run(sql`
    INSERT INTO audit_log (at, actor, action, notice_id, detail)
    VALUES (${entry.at}, ${entry.actor}, ${entry.action}, ${entry.noticeId ?? null}, ${JSON.stringify(entry.detail)})`);
}

async function bumpSummary(db: Executor, noticeId: string): Promise<void> {
  await db.run(sql`UPDATE notices SET summary_version = summary_version + 1 WHERE id = ${noticeId}`);
}

/** Pending deliveries of these kinds will never be sent: a claim in flight finds them no longer pending. */
async function cancelPending(tx: Executor, noticeId: string, kinds: readonly DeliveryKind[], now: number): Promise<void> {
  await tx.run(sql`
    UPDATE deliveries SET status = 'cancelled', claimed_by = NULL, claimed_until = NULL, attempt_started_at = NULL, updated_at = ${now}
    WHERE notice_id = ${noticeId} AND ${PENDING} AND kind IN (${join(kinds)})`);
}

/**
 * One `kind` message to each owner the notice reached, in the conversation it reached them in —
 * and to each whose notice is being sent at this moment (or was cut off mid-send): Slack may
 * have it already though the store does not say so yet, and an owner told of a change to a
 * notice they never got loses less than one who got the notice and never hears of the change.
 */
async function toldOwners(tx: Executor, noticeId: string, kind: 'cancelled' | 'moved', revision: number): Promise<NewDelivery[]> {
  const rows = await tx.all(sql`
    SELECT recipient_key, target, channel_id FROM deliveries
    WHERE notice_id = ${noticeId} AND kind = 'notice' AND (status = 'sent' OR (${PENDING} AND attempt_started_at IS NOT NULL)) ORDER BY seq`);
  return rows.map((row) => ({ kind, recipientKey: String(row['recipient_key']), days: 0, revision, target: String(row['channel_id'] ?? row['target']) }));
}

/** An update that applies only while `worker` holds its claim on a pending delivery. */
async function claimed(db: Executor, id: string, worker: string, assignments: Sql): Promise<boolean> {
  return (await db.run(sql`UPDATE deliveries SET ${assignments} WHERE id = ${id} AND claimed_by = ${worker} AND ${PENDING}`)) === 1;
}
