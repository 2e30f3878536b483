// The store for several replicas: PostgreSQL through a pg pool. Deliveries are claimed with
// FOR UPDATE SKIP LOCKED so replicas never take the same one; the watcher and reminder loops are
// led by whichever replica holds a session advisory lock (released by PostgreSQL itself when that
// replica's connection dies). Everything lives in one schema, created and migrated on open.
//
// Connections drop (a restarted server, pg_terminate_backend, a network that swallows packets):
// every pooled client has an error listener, so a dropped connection is replaced rather than
// crashing the process; timeouts turn a silent server into errors that the callers retry; a
// failed transaction is rolled back and its connection discarded.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { NoticeAlreadyOpen } from '../notices/errors.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
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
const PRUNE_EVERY_MS = 3600 * 1000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Rows per multi-row INSERT: far below PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 1000;

type Queryable = pg.Pool | pg.PoolClient;

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

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly now: () => number;
  private readonly eventRetentionMs: number;
  private lastPrune = 0;
  /** Loops this replica leads, each with the connection that holds its advisory lock. */
  private readonly leads = new Map<string, { holder: string; client: pg.PoolClient }>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.eventRetentionMs = options.eventRetentionMs ?? 7 * DAY_MS;
  }

  static async open(connectionString: string, options: StoreOptions = {}): Promise<PostgresStore> {
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
    const store = new PostgresStore(pool, schema, options);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async close(): Promise<void> {
    // Unlock explicitly: the server frees a closed session's locks on its own schedule, and a
    // replica taking over right after this one stops should not have to wait for that.
    await Promise.all([...this.leads.entries()].map(([name, { holder }]) => this.releaseLead(name, holder)));
    await this.pool.end();
  }

  // Notices -----------------------------------------------------------------------------------

  async createNotice(notice: NewNotice, recipients: NewRecipient[], audit: Omit<AuditEntry, 'noticeId'>, now: number) {
    return this.refusingSecondOpen(notice, () =>
      this.transaction(async (client): Promise<{ notice: Notice; created: boolean }> => {
        const id = await this.insertNotice(client, notice, now, true);
        if (!id) return { notice: await this.bySourceKey(client, notice.sourceKey), created: false };
        await insertRows(
          client,
          'recipients (notice_id, key, type, target_id, label, owners, resources)',
          recipients.map((recipient) => recipientValues(id, recipient)),
        );
        await this.insertDeliveries(client, id, initialDeliveries(notice, recipients), now);
        await insertAudit(client, { ...audit, noticeId: id });
        return { notice: await noticeById(client, id), created: true };
      }),
    );
  }

  async acceptNotice(notice: AcceptedNotice, audit: Omit<AuditEntry, 'noticeId'>, claim: { worker: string; leaseMs: number }, now: number) {
    return this.refusingSecondOpen(notice, () =>
      this.transaction(async (client): Promise<{ notice: Notice; created: boolean }> => {
        const id = await this.insertNotice(client, { ...notice, unreachable: [] }, now, false);
        if (!id) return { notice: await this.bySourceKey(client, notice.sourceKey), created: false };
        await client.query(
          `INSERT INTO preparations (notice_id, attempts, next_attempt_at, claimed_by, claimed_until, created_at, updated_at)
           VALUES ($1, 0, $2, $3, $4, $2, $2)`,
          [id, now, claim.worker, now + claim.leaseMs],
        );
        await insertAudit(client, { ...audit, noticeId: id });
        return { notice: await noticeById(client, id), created: true };
      }),
    );
  }

  async getNotice(id: string): Promise<Notice | undefined> {
    const result = await this.pool.query('SELECT * FROM notices WHERE id = $1', [id]);
    return result.rows[0] ? noticeFromRow(result.rows[0] as Row) : undefined;
  }

  async listOpenNotices(): Promise<Notice[]> {
    return (await this.pool.query('SELECT * FROM notices WHERE closed_at IS NULL ORDER BY created_at')).rows.map(noticeFromRow);
  }

  async listRecipients(noticeId: string): Promise<Recipient[]> {
    return (await this.pool.query('SELECT * FROM recipients WHERE notice_id = $1 ORDER BY key COLLATE "C"', [noticeId])).rows.map(recipientFromRow);
  }

  async listDeliveries(noticeId: string): Promise<Delivery[]> {
    return (await this.pool.query('SELECT * FROM deliveries WHERE notice_id = $1 ORDER BY seq', [noticeId])).rows.map(deliveryFromRow);
  }

  async listAcknowledgements(noticeId: string): Promise<Acknowledgement[]> {
    return (await this.pool.query('SELECT * FROM acknowledgements WHERE notice_id = $1 ORDER BY at, recipient_key COLLATE "C"', [noticeId])).rows.map(
      ackFromRow,
    );
  }

  async acknowledge(noticeId: string, recipientKey: string, userId: string, at: number) {
    return this.transaction(async (client) => {
      const inserted = await client.query(
        'INSERT INTO acknowledgements (notice_id, recipient_key, user_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING at',
        [noticeId, recipientKey, userId, at],
      );
      const first = inserted.rowCount === 1;
      if (first) await bumpSummary(client, noticeId);
      const row = await client.query('SELECT * FROM acknowledgements WHERE notice_id = $1 AND recipient_key = $2', [noticeId, recipientKey]);
      return { first, ack: ackFromRow(row.rows[0] as Row) };
    });
  }

  async closeNotice(noticeId: string, at: number): Promise<void> {
    await this.pool.query('UPDATE notices SET closed_at = $1, open_key = NULL, summary_version = summary_version + 1 WHERE id = $2 AND closed_at IS NULL', [
      at,
      noticeId,
    ]);
  }

  // Preparations ------------------------------------------------------------------------------

  async claimPreparations({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Preparation[]> {
    const result = await this.pool.query(
      `UPDATE preparations SET claimed_by = $1, claimed_until = $2, updated_at = $3
       WHERE notice_id IN (
         SELECT notice_id FROM preparations
         WHERE next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
         ORDER BY next_attempt_at, created_at LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [worker, now + leaseMs, now, limit],
    );
    return result.rows.map(preparationFromRow);
  }

  async completePreparation(
    noticeId: string,
    worker: string,
    result: PreparedImpact,
    audit: Omit<AuditEntry, 'noticeId'>,
    now: number,
  ): Promise<boolean> {
    return this.transaction(async (client) => {
      if (!(await holdsPreparation(client, noticeId, worker))) return false;
      const notice = await noticeById(client, noticeId);
      if (notice.preparedAt !== undefined || notice.closedAt !== undefined) return false;
      await client.query('UPDATE notices SET unreachable = $1, prepared_at = $2, lineage_cut = $3 WHERE id = $4', [
        JSON.stringify(result.unreachable),
        now,
        result.lineageCut ? JSON.stringify(result.lineageCut) : null,
        noticeId,
      ]);
      await insertRows(
        client,
        'recipients (notice_id, key, type, target_id, label, owners, resources)',
        result.recipients.map((recipient) => recipientValues(noticeId, recipient)),
      );
      await this.insertDeliveries(client, noticeId, initialDeliveries(notice, result.recipients), now);
      await insertAudit(client, { ...audit, noticeId });
      await client.query('DELETE FROM preparations WHERE notice_id = $1', [noticeId]);
      return true;
    });
  }

  async retryPreparation(noticeId: string, worker: string, retry: { nextAttemptAt: number; error: string }, now: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE preparations SET attempts = attempts + 1, next_attempt_at = $1, error = $2, claimed_by = NULL, claimed_until = NULL, updated_at = $3
       WHERE notice_id = $4 AND claimed_by = $5`,
      [retry.nextAttemptAt, retry.error, now, noticeId, worker],
    );
    return result.rowCount === 1;
  }

  async failPreparation(noticeId: string, worker: string, failure: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      if (!(await holdsPreparation(client, noticeId, worker))) return false;
      const notice = await noticeById(client, noticeId);
      await client.query('UPDATE notices SET closed_at = $1, open_key = NULL, failure = $2 WHERE id = $3', [now, failure, noticeId]);
      await client.query('DELETE FROM preparations WHERE notice_id = $1', [noticeId]);
      if (notice.announcer.type === 'user') {
        await this.insertDeliveries(client, noticeId, [{ kind: 'announce_failed', recipientKey: '', days: 0, target: notice.announcer.userId }], now);
      }
      await insertAudit(client, { ...audit, noticeId });
      return true;
    });
  }

  // Schedule ----------------------------------------------------------------------------------

  async listMilestones(noticeId: string): Promise<string[]> {
    const result = await this.pool.query('SELECT milestone FROM milestones WHERE notice_id = $1 ORDER BY done_at, milestone COLLATE "C"', [noticeId]);
    return result.rows.map((row: Row) => String(row['milestone']));
  }

  async completeMilestone(noticeId: string, milestone: string, deliveries: NewDelivery[], now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const inserted = await client.query(
        'INSERT INTO milestones (notice_id, milestone, done_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING milestone',
        [noticeId, milestone, now],
      );
      if (inserted.rowCount !== 1) return false;
      await this.insertDeliveries(client, noticeId, deliveries, now);
      return true;
    });
  }

  // Outbox ------------------------------------------------------------------------------------

  async claimDeliveries({ worker, now, leaseMs, limit }: ClaimOptions): Promise<Delivery[]> {
    const result = await this.pool.query(
      `UPDATE deliveries SET claimed_by = $1, claimed_until = $2, updated_at = $3
       WHERE id IN (
         SELECT id FROM deliveries
         WHERE status = 'pending' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
         ORDER BY next_attempt_at, seq LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [worker, now + leaseMs, now, limit],
    );
    return result.rows.map(deliveryFromRow).sort((a, b) => a.seq - b.seq);
  }

  async setDeliveryChannel(id: string, worker: string, channelId: string, now: number): Promise<boolean> {
    return this.claimed(this.pool, id, worker, 'channel_id = $1, updated_at = $2', channelId, now);
  }

  async beginAttempt(id: string, worker: string, now: number): Promise<boolean> {
    return this.claimed(this.pool, id, worker, 'attempt_started_at = $1, attempts = attempts + 1, updated_at = $2', now, now);
  }

  async completeDelivery(id: string, worker: string, result: { channelId: string; ts: string }, now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const found = await client.query("SELECT notice_id, kind FROM deliveries WHERE id = $1 AND claimed_by = $2 AND status = 'pending' FOR UPDATE", [
        id,
        worker,
      ]);
      const delivery = found.rows[0] as Row | undefined;
      if (!delivery) return false;
      await client.query(
        `UPDATE deliveries SET status = 'sent', channel_id = $1, message_ts = $2, error = NULL, attempt_started_at = NULL,
         claimed_by = NULL, claimed_until = NULL, updated_at = $3 WHERE id = $4`,
        [result.channelId, result.ts, now, id],
      );
      const noticeId = String(delivery['notice_id']);
      if (delivery['kind'] === 'summary') {
        await client.query('UPDATE notices SET summary_channel = $1, summary_ts = $2 WHERE id = $3', [result.channelId, result.ts, noticeId]);
      } else if (delivery['kind'] === 'notice') {
        await bumpSummary(client, noticeId);
      }
      return true;
    });
  }

  async retryDelivery(id: string, worker: string, retry: { nextAttemptAt: number; error: string; inDoubt: boolean; countAttempt?: boolean }, now: number): Promise<boolean> {
    return this.claimed(
      this.pool,
      id,
      worker,
      `next_attempt_at = $1, error = $2, attempt_started_at = ${retry.inDoubt ? 'attempt_started_at' : 'NULL'},${retry.countAttempt ? ' attempts = attempts + 1,' : ''}
       claimed_by = NULL, claimed_until = NULL, updated_at = $3`,
      retry.nextAttemptAt,
      retry.error,
      now,
    );
  }

  async failDelivery(id: string, worker: string, error: string, now: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const done = await this.claimed(
        client,
        id,
        worker,
        "status = 'failed', error = $1, attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = $2",
        error,
        now,
      );
      if (done) {
        const row = await client.query('SELECT notice_id FROM deliveries WHERE id = $1', [id]);
        await bumpSummary(client, String((row.rows[0] as Row)['notice_id']));
      }
      return done;
    });
  }

  async retargetDelivery(id: string, worker: string, target: string, reason: string, now: number): Promise<boolean> {
    return this.claimed(
      this.pool,
      id,
      worker,
      `fallback_from = target, target = $1, channel_id = NULL, error = $2, attempt_started_at = NULL, next_attempt_at = $3,
       claimed_by = NULL, claimed_until = NULL, updated_at = $4`,
      target,
      reason,
      now,
      now,
    );
  }

  async nextPendingAt(): Promise<number | undefined> {
    const result = await this.pool.query(
      "SELECT MIN(GREATEST(next_attempt_at, COALESCE(claimed_until, 0))) AS due FROM deliveries WHERE status = 'pending'",
    );
    const due = (result.rows[0] as Row)['due'];
    return due === null || due === undefined ? undefined : Number(due);
  }

  async markMaybeDuplicate(id: string, worker: string, now: number): Promise<boolean> {
    return this.claimed(this.pool, id, worker, 'maybe_duplicate = TRUE, updated_at = $1', now);
  }

  // Claims ------------------------------------------------------------------------------------

  async renewClaims(worker: string, held: HeldClaims, until: number, now: number): Promise<void> {
    if (held.deliveries.length > 0) {
      await this.pool.query("UPDATE deliveries SET claimed_until = $1, updated_at = $2 WHERE claimed_by = $3 AND status = 'pending' AND id = ANY($4)", [
        until,
        now,
        worker,
        [...held.deliveries],
      ]);
    }
    if (held.preparations.length > 0) {
      await this.pool.query('UPDATE preparations SET claimed_until = $1, updated_at = $2 WHERE claimed_by = $3 AND notice_id = ANY($4)', [
        until,
        now,
        worker,
        [...held.preparations],
      ]);
    }
  }

  async listClaimHolders(now: number): Promise<string[]> {
    const result = await this.pool.query(
      `SELECT claimed_by AS holder FROM deliveries WHERE status = 'pending' AND claimed_by IS NOT NULL AND claimed_until > $1
       UNION SELECT claimed_by FROM preparations WHERE claimed_by IS NOT NULL AND claimed_until > $1`,
      [now],
    );
    return result.rows.map((row: Row) => String(row['holder'])).sort();
  }

  async releaseHolder(holder: string, now: number): Promise<number> {
    return this.transaction(async (client) => {
      const deliveries = await client.query(
        "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL, updated_at = $1 WHERE claimed_by = $2 AND status = 'pending'",
        [now, holder],
      );
      const preparations = await client.query('UPDATE preparations SET claimed_by = NULL, claimed_until = NULL, updated_at = $1 WHERE claimed_by = $2', [now, holder]);
      return (deliveries.rowCount ?? 0) + (preparations.rowCount ?? 0);
    });
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  // Summaries ---------------------------------------------------------------------------------

  async summariesToRefresh(limit: number) {
    const result = await this.pool.query(
      `SELECT id, summary_version, summary_channel, summary_ts FROM notices
       WHERE summary_ts IS NOT NULL AND summary_version > summary_rendered ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return result.rows.map((row: Row) => ({
      noticeId: String(row['id']),
      version: Number(row['summary_version']),
      channel: String(row['summary_channel']),
      ts: String(row['summary_ts']),
    }));
  }

  async markSummaryRendered(noticeId: string, version: number): Promise<void> {
    await this.pool.query('UPDATE notices SET summary_rendered = GREATEST(summary_rendered, $1) WHERE id = $2', [version, noticeId]);
  }

  // Watcher -----------------------------------------------------------------------------------

  async getSnapshot(featureGroup: string): Promise<FeatureGroupSnapshot | undefined> {
    const result = await this.pool.query('SELECT * FROM feature_group_snapshots WHERE feature_group = $1', [featureGroup]);
    return result.rows[0] ? snapshotFromRow(result.rows[0] as Row) : undefined;
  }

  async saveSnapshot(snapshot: FeatureGroupSnapshot): Promise<void> {
    await this.pool.query(
      `INSERT INTO feature_group_snapshots (feature_group, arn, status, deleted, features, hash, taken_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (feature_group) DO UPDATE SET arn = excluded.arn, status = excluded.status, deleted = excluded.deleted,
       features = excluded.features, hash = excluded.hash, taken_at = excluded.taken_at`,
      [
        snapshot.featureGroup,
        snapshot.arn ?? null,
        snapshot.status ?? null,
        snapshot.deleted,
        JSON.stringify(snapshot.features),
        snapshot.hash,
        snapshot.takenAt,
      ],
    );
  }

  async listSnapshotNames(): Promise<string[]> {
    const result = await this.pool.query('SELECT feature_group FROM feature_group_snapshots ORDER BY feature_group COLLATE "C"');
    return result.rows.map((row: Row) => String(row['feature_group']));
  }

  // Events ------------------------------------------------------------------------------------

  async markEventProcessed(id: string, source: string): Promise<boolean> {
    const now = this.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.pool.query('DELETE FROM processed_events WHERE at < $1', [now - this.eventRetentionMs]);
    }
    const result = await this.pool.query('INSERT INTO processed_events (source, id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [
      source,
      id,
      now,
    ]);
    return result.rowCount === 1;
  }

  async forgetEvent(id: string, source: string): Promise<void> {
    await this.pool.query('DELETE FROM processed_events WHERE source = $1 AND id = $2', [source, id]);
  }

  // Audit -------------------------------------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<void> {
    await insertAudit(this.pool, entry);
  }

  async listAudit(noticeId?: string): Promise<AuditEntry[]> {
    const result = noticeId
      ? await this.pool.query('SELECT * FROM audit_log WHERE notice_id = $1 ORDER BY seq', [noticeId])
      : await this.pool.query('SELECT * FROM audit_log ORDER BY seq');
    return result.rows.map(auditFromRow);
  }

  // Threads -----------------------------------------------------------------------------------

  async saveThreadContext(ref: ThreadRef, context: ThreadContext): Promise<void> {
    await this.pool.query(
      `INSERT INTO thread_contexts (channel, thread_ts, question, input, kind, name, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (channel, thread_ts) DO UPDATE SET question = excluded.question, input = excluded.input,
       kind = excluded.kind, name = excluded.name, saved_at = excluded.saved_at`,
      [ref.channel, ref.threadTs, context.question, context.input, context.kind, context.name, this.now()],
    );
  }

  async getThreadContext(ref: ThreadRef): Promise<ThreadContext | undefined> {
    const result = await this.pool.query('SELECT * FROM thread_contexts WHERE channel = $1 AND thread_ts = $2', [ref.channel, ref.threadTs]);
    return result.rows[0] ? threadContextFromRow(result.rows[0] as Row) : undefined;
  }

  // Leadership --------------------------------------------------------------------------------

  async tryLead(name: string, holder: string): Promise<boolean> {
    const held = this.leads.get(name);
    if (held) {
      if (held.holder !== holder) return false;
      try {
        // The lock lives as long as this connection: a live connection means we still lead.
        await held.client.query('SELECT 1');
        return true;
      } catch {
        this.dropLead(name);
      }
    }
    const client = await this.pool.connect();
    try {
      const result = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', ['lineage-bot', `${this.schema}:${name}`]);
      if ((result.rows[0] as Row)['locked'] === true) {
        // A connection error while leading ends the lead; the next tick tries again.
        client.on('error', () => this.dropLead(name));
        this.leads.set(name, { holder, client });
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
    const held = this.leads.get(name);
    if (!held || held.holder !== holder) return;
    this.leads.delete(name);
    try {
      await held.client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', ['lineage-bot', `${this.schema}:${name}`]);
      held.client.release();
    } catch {
      // The connection is gone, and the lock with it.
      held.client.release(true);
    }
  }

  // Helpers -----------------------------------------------------------------------------------

  private dropLead(name: string): void {
    const held = this.leads.get(name);
    if (!held) return;
    this.leads.delete(name);
    held.client.release(true);
  }

  /** The new notice's id, or undefined when its sourceKey was used already (a concurrent insert of the same key waits, then does nothing). */
  private async insertNotice(client: pg.PoolClient, notice: NewNotice, now: number, prepared: boolean): Promise<string | undefined> {
    const id = randomUUID();
    const inserted = await client.query(
      `INSERT INTO notices (${NOTICE_COLUMNS.join(', ')}) VALUES (${NOTICE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      noticeValues(id, notice, now, prepared),
    );
    return inserted.rowCount === 0 ? undefined : id;
  }

  private async bySourceKey(client: pg.PoolClient, sourceKey: string): Promise<Notice> {
    const existing = await client.query('SELECT * FROM notices WHERE source_key = $1', [sourceKey]);
    return noticeFromRow(existing.rows[0] as Row);
  }

  /**
   * A second open notice of one kind from a person breaks notices_open_key: a concurrent insert
   * waits for the first transaction and fails once it commits. That becomes NoticeAlreadyOpen,
   * read after the failed transaction was rolled back.
   */
  private async refusingSecondOpen<T>(notice: Pick<NewNotice, 'featureGroup' | 'kind' | 'announcer'>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const key = openKey(notice);
      const violated = error as { code?: unknown; constraint?: unknown };
      if (!key || violated.code !== '23505' || violated.constraint !== 'notices_open_key') throw error;
      const open = await this.pool.query('SELECT * FROM notices WHERE open_key = $1', [key]);
      if (!open.rows[0]) throw error;
      throw new NoticeAlreadyOpen(noticeFromRow(open.rows[0] as Row));
    }
  }

  private async insertDeliveries(client: pg.PoolClient, noticeId: string, deliveries: readonly NewDelivery[], now: number): Promise<void> {
    await insertRows(
      client,
      'deliveries (id, notice_id, kind, recipient_key, days, target, status, next_attempt_at, created_at, updated_at)',
      deliveries.map((d) => [randomUUID(), noticeId, d.kind, d.recipientKey, d.days, d.target, 'pending', now, now, now]),
      'ON CONFLICT DO NOTHING',
    );
  }

  /** An update that applies only while `worker` holds its claim on a pending delivery. Values are $1…$n; id and worker follow. */
  private async claimed(db: Queryable, id: string, worker: string, assignments: string, ...values: unknown[]): Promise<boolean> {
    const n = values.length;
    const result = await db.query(`UPDATE deliveries SET ${assignments} WHERE id = $${n + 1} AND claimed_by = $${n + 2} AND status = 'pending'`, [
      ...values,
      id,
      worker,
    ]);
    return result.rowCount === 1;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      throw error;
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // Replicas starting together take turns; the second finds everything applied.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['lineage-bot', `${this.schema}:migrate`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const applied = Number(((await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0] as Row)['v']);
      for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
        const version = index + 1;
        if (version <= applied) continue;
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
      }
    });
  }
}

async function insertRows(db: Queryable, into: string, rows: readonly unknown[][], suffix = ''): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const width = chunk[0]?.length ?? 0;
    const placeholders = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await db.query(`INSERT INTO ${into} VALUES ${placeholders} ${suffix}`, chunk.flat());
  }
}

async function insertAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (at, actor, action, notice_id, detail) VALUES ($1, $2, $3, $4, $5)', [
    entry.at,
    entry.actor,
    entry.action,
    entry.noticeId ?? null,
    JSON.stringify(entry.detail),
  ]);
}

async function noticeById(db: Queryable, id: string): Promise<Notice> {
  return noticeFromRow((await db.query('SELECT * FROM notices WHERE id = $1', [id])).rows[0] as Row);
}

async function holdsPreparation(client: pg.PoolClient, noticeId: string, worker: string): Promise<boolean> {
  const held = await client.query('SELECT 1 FROM preparations WHERE notice_id = $1 AND claimed_by = $2 FOR UPDATE', [noticeId, worker]);
  return held.rowCount === 1;
}

async function bumpSummary(db: Queryable, noticeId: string): Promise<void> {
  await db.query('UPDATE notices SET summary_version = summary_version + 1 WHERE id = $1', [noticeId]);
}
