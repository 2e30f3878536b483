// The durable state of the bot, as one interface with two implementations: SQLite (one file, the
// embedded default) and PostgreSQL (several replicas). Times are epoch milliseconds, passed in by
// the caller so that schedules can be tested on a controllable clock.

export type NoticeKind = 'deprecation' | 'breaking_schema_change' | 'data_change' | 'deletion';

/** Who announced a notice: a person, or the watcher that detected a breaking change. */
export type Announcer = { type: 'user'; userId: string } | { type: 'watcher' };

/** A model or endpoint affected by a notice, as shown to its owners. */
export interface AffectedResource {
  kind: 'Model' | 'Endpoint';
  name: string;
  /** Endpoint status (InService, …) when known. */
  status?: string;
  /**
   * Set when it is affected only through feature groups built from the notice's group: their
   * names, nearest first ("through claims-enriched").
   */
  through?: string[];
}

/** Where the lineage walk behind a notice stopped: owners of what lies beyond were not told. */
export interface LineageCut {
  depthExceeded: boolean;
  sizeExceeded: boolean;
  maxDepth: number;
  maxVertices: number;
}

/** Why an owner could not be reached. Stable codes; blocks/ turns them into words. */
export type UnreachableReason =
  | 'no_owner_tag'
  | 'not_an_owner_value'
  | 'user_not_found'
  | 'user_deactivated'
  | 'user_is_bot'
  | 'channel_not_found'
  | 'channel_archived'
  /** Slack refused the look-up for want of a permission (`detail`: the scope, when Slack named it). */
  | 'missing_scope'
  /** Slack refused the look-up for another reason (`detail`: Slack's error code). */
  | 'lookup_refused'
  /** Slack kept failing or timing out through the retries: unreachable for now (`detail`: the last error). */
  | 'lookup_failed';

/** An owner (tag value) that could not be resolved to a Slack user or channel, with what it owns. */
export interface UnreachableOwner {
  /** The tag value as written (an email, an ID, a channel), or '' for resources with no owner tag at all. */
  value: string;
  reason: UnreachableReason;
  /** What Slack said, for the look-up reasons: a scope or an error code. */
  detail?: string;
  resources: AffectedResource[];
}

/** What the watcher saw change, for automatic notices. */
export interface DetectedChange {
  removed: string[];
  retyped: { name: string; from: string; to: string }[];
  /** The group is being deleted (status Deleting) or is gone. */
  deleted: boolean;
}

export interface NewNotice {
  /** Idempotency key: a second createNotice with the same key returns the first notice. */
  sourceKey: string;
  featureGroup: string;
  featureGroupArn?: string;
  kind: NoticeKind;
  /** YYYY-MM-DD, a UTC calendar date. */
  effectiveDate: string;
  replacement?: string;
  note?: string;
  announcer: Announcer;
  /** Channel or user ID where the live summary is posted; none when there is nowhere to post it. */
  summaryTarget?: string;
  /** User or channel ID that gets the final report. */
  reportTo?: string;
  unreachable: UnreachableOwner[];
  change?: DetectedChange;
  /** Set when the walk that found the affected models was cut short: the notice says so. */
  lineageCut?: LineageCut;
  /** Days before the effective date on which to remind, largest first. */
  reminderDays: number[];
  finalReportAt: number;
}

/**
 * An announcement a person made, stored the moment it is accepted (before Slack is answered):
 * everything but who it reaches (and whether the walk finding them was cut short), which is
 * worked out afterwards from this record.
 */
export type AcceptedNotice = Omit<NewNotice, 'unreachable' | 'lineageCut'>;

/** What preparing an accepted announcement found: whom it reaches, whom it cannot, and whether the walk finding them was cut short. */
export type PreparedImpact = Pick<NewNotice, 'unreachable' | 'lineageCut'> & { recipients: NewRecipient[] };

export interface NoticeRecord extends NewNotice {
  id: string;
  createdAt: number;
  /**
   * When its impact was worked out and its deliveries planned. Undefined while an accepted
   * announcement is still being prepared (recipients and deliveries do not exist yet).
   */
  preparedAt?: number;
  /** Why an accepted announcement was never sent, in words for the announcer (its preparation failed for good). */
  failure?: string;
  closedAt?: number;
  summaryChannel?: string;
  summaryTs?: string;
  /** Bumped whenever the summary's content changes; the worker re-renders while it is ahead of `summaryRendered`. */
  summaryVersion: number;
  summaryRendered: number;
}

export interface NewRecipient {
  /** "user:U123" or "channel:C123": one per distinct Slack user or channel. */
  key: string;
  type: 'user' | 'channel';
  /** Slack user ID (a DM is opened at delivery) or channel ID. */
  targetId: string;
  /** Display name: a person's name or #channel. */
  label: string;
  /** The owner tag values that led here (emails, IDs, channels). */
  owners: string[];
  resources: AffectedResource[];
}

export interface RecipientRecord extends NewRecipient {
  noticeId: string;
}

/** `announce_failed`: the announcer is told that an accepted announcement could not be sent. */
export type DeliveryKind = 'notice' | 'reminder' | 'summary' | 'final_report' | 'announce_failed';
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface NewDelivery {
  kind: DeliveryKind;
  /** The recipient's key; '' for summaries and final reports. */
  recipientKey: string;
  /** Days before the effective date, for reminders; 0 otherwise. */
  days: number;
  /** Slack user ID (DM) or channel ID. */
  target: string;
}

export interface DeliveryRecord extends NewDelivery {
  id: string;
  noticeId: string;
  /** Creation order, so a fan-out goes out in the order it was planned. */
  seq: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** The channel the message goes to (a DM's D… once opened). */
  channelId?: string;
  /**
   * Set just before a send and cleared when its outcome is known. Still set when a worker died
   * mid-send or the request failed ambiguously: the message may have been posted, so the next
   * attempt first looks for it in the channel's history.
   */
  attemptStartedAt?: number;
  messageTs?: string;
  error?: string;
  /** A fallback target used after the first one failed for good (a summary the bot cannot post in a channel goes to the announcer). */
  fallbackFrom?: string;
  /**
   * Sent again after an interruption without being able to check the channel first (its history
   * cannot be read): the recipient may have it twice. Shown on the summary.
   */
  maybeDuplicate?: boolean;
  updatedAt: number;
}

/** An accepted announcement whose impact is still to be worked out. */
export interface PreparationRecord {
  noticeId: string;
  /** Failed attempts so far. */
  attempts: number;
  nextAttemptAt: number;
  error?: string;
}

export interface AckRecord {
  noticeId: string;
  recipientKey: string;
  userId: string;
  at: number;
}

export interface FeatureGroupSnapshot {
  featureGroup: string;
  arn?: string;
  status?: string;
  deleted: boolean;
  features: { name: string; type: string }[];
  /** Hash of what is compared, so two checks of the same definition agree. */
  hash: string;
  takenAt: number;
}

export interface AuditEntry {
  at: number;
  /** A Slack user ID, or "watcher". */
  actor: string;
  action: string;
  noticeId?: string;
  detail: Record<string, unknown>;
}

export interface ThreadRef {
  channel: string;
  threadTs: string;
}

export interface ThreadContext {
  question: string;
  input: string;
  kind: string;
  name: string;
}

/** Claims a holder has in progress, by kind: renewed together by its heartbeat. */
export interface HeldClaims {
  deliveries: readonly string[];
  preparations: readonly string[];
}

export interface ClaimOptions {
  worker: string;
  now: number;
  /** How long the claim holds; after it, another worker may take the delivery (its worker died). */
  leaseMs: number;
  limit: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;

  // Notices -----------------------------------------------------------------------------------

  /**
   * Creates a notice, its recipients, one 'notice' delivery per recipient, the summary delivery
   * (when it has a target) and an audit entry, all at once. With a sourceKey already used, changes
   * nothing and returns the existing notice with created = false.
   */
  createNotice(notice: NewNotice, recipients: NewRecipient[], audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<{ notice: NoticeRecord; created: boolean }>;
  /**
   * Stores a person's announcement as soon as it is accepted, before its impact is known: the
   * notice (no recipients yet), its preparation claimed by `claim.worker`, and an audit entry.
   * A sourceKey already used returns that notice with created = false.
   *
   * Both this and createNotice refuse a second open notice of the same kind about the same feature
   * group announced by a person — a uniqueness rule of the schema, so two submissions at the same
   * instant cannot both get in — by throwing NoticeAlreadyOpen with the notice that is open.
   */
  acceptNotice(notice: AcceptedNotice, audit: Omit<AuditEntry, 'noticeId'>, claim: { worker: string; leaseMs: number }, now: number): Promise<{ notice: NoticeRecord; created: boolean }>;
  getNotice(id: string): Promise<NoticeRecord | undefined>;
  listOpenNotices(): Promise<NoticeRecord[]>;
  listRecipients(noticeId: string): Promise<RecipientRecord[]>;
  listDeliveries(noticeId: string): Promise<DeliveryRecord[]>;
  listAcknowledgements(noticeId: string): Promise<AckRecord[]>;
  /** Records an acknowledgement; the first one per recipient wins and bumps the summary. */
  acknowledge(noticeId: string, recipientKey: string, userId: string, at: number): Promise<{ first: boolean; ack: AckRecord }>;
  closeNotice(noticeId: string, at: number): Promise<void>;

  // Preparations (accepted announcements whose impact is still to be worked out) -------------

  /** Claims due preparations not claimed by a live worker, oldest first. */
  claimPreparations(options: ClaimOptions): Promise<PreparationRecord[]>;
  /**
   * Fills in a prepared notice at once: who it cannot reach, its recipients, one 'notice' delivery
   * each, the summary, an audit entry. False (nothing changed) unless `worker` holds the preparation.
   */
  completePreparation(noticeId: string, worker: string, result: PreparedImpact, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean>;
  /** Releases a claimed preparation to be tried again at `nextAttemptAt`, counting the attempt. */
  retryPreparation(noticeId: string, worker: string, retry: { nextAttemptAt: number; error: string }, now: number): Promise<boolean>;
  /**
   * Gives up on a preparation: closes the notice with `failure` (words for the announcer), frees
   * its kind for a new announcement, and enqueues the 'announce_failed' message to the announcer.
   */
  failPreparation(noticeId: string, worker: string, failure: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<boolean>;

  // Schedule ----------------------------------------------------------------------------------

  /** Milestones done for a notice ("reminder:7", "reminder:1", "final"). */
  listMilestones(noticeId: string): Promise<string[]>;
  /** Marks a milestone done and enqueues its deliveries at once; false (and nothing enqueued) if it was done already. */
  completeMilestone(noticeId: string, milestone: string, deliveries: NewDelivery[], now: number): Promise<boolean>;

  // Outbox ------------------------------------------------------------------------------------

  /** Claims pending deliveries that are due and not claimed by a live worker, oldest first. */
  claimDeliveries(options: ClaimOptions): Promise<DeliveryRecord[]>;
  /** Extends or drops nothing: each call below succeeds only while `worker` holds the claim. */
  setDeliveryChannel(id: string, worker: string, channelId: string, now: number): Promise<boolean>;
  beginAttempt(id: string, worker: string, now: number): Promise<boolean>;
  completeDelivery(id: string, worker: string, result: { channelId: string; ts: string }, now: number): Promise<boolean>;
  /**
   * Makes a claimed delivery pending again. `countAttempt` counts a failure that happened before
   * beginAttempt (opening the DM, checking history), so such failures too run out of attempts.
   */
  retryDelivery(id: string, worker: string, retry: { nextAttemptAt: number; error: string; inDoubt: boolean; countAttempt?: boolean }, now: number): Promise<boolean>;
  failDelivery(id: string, worker: string, error: string, now: number): Promise<boolean>;
  /** Points a delivery at another target and makes it pending again (a summary falling back to a DM). */
  retargetDelivery(id: string, worker: string, target: string, reason: string, now: number): Promise<boolean>;
  /** Earliest next attempt among pending deliveries (claimed or not), or undefined when none is pending. */
  nextPendingAt(): Promise<number | undefined>;
  /**
   * Marks a claimed delivery as possibly received twice: it is being sent again after an
   * interruption, and the channel's history could not be read to check.
   */
  markMaybeDuplicate(id: string, worker: string, now: number): Promise<boolean>;

  // Claims ------------------------------------------------------------------------------------

  /** The heartbeat: extends `worker`'s claims that are still its own and still pending until `until`. */
  renewClaims(worker: string, held: HeldClaims, until: number, now: number): Promise<void>;
  /** Holders of claims (deliveries, preparations) that have not expired at `now`. */
  listClaimHolders(now: number): Promise<string[]>;
  /**
   * Makes every claim and lease of `holder` available at once; only for a holder known to be dead
   * (a previous process on this host that is gone). Returns how many claims were released.
   */
  releaseHolder(holder: string, now: number): Promise<number>;

  // Health ------------------------------------------------------------------------------------

  /** Resolves when the store answers a trivial query; rejects when it cannot be reached. */
  ping(): Promise<void>;

  // Summaries ---------------------------------------------------------------------------------

  /** Notices whose posted summary is behind its content. */
  summariesToRefresh(limit: number): Promise<{ noticeId: string; version: number; channel: string; ts: string }[]>;
  markSummaryRendered(noticeId: string, version: number): Promise<void>;

  // Watcher -----------------------------------------------------------------------------------

  getSnapshot(featureGroup: string): Promise<FeatureGroupSnapshot | undefined>;
  saveSnapshot(snapshot: FeatureGroupSnapshot): Promise<void>;
  listSnapshotNames(): Promise<string[]>;

  // Events ------------------------------------------------------------------------------------

  /** True only the first time an id is seen from a source (Slack retries, EventBridge duplicates). Old ids are pruned. */
  markEventProcessed(id: string, source: string): Promise<boolean>;
  /** Forgets an id so a retry is processed again (its first processing failed). */
  forgetEvent(id: string, source: string): Promise<void>;

  // Audit -------------------------------------------------------------------------------------

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(noticeId?: string): Promise<AuditEntry[]>;

  // Threads -----------------------------------------------------------------------------------

  saveThreadContext(ref: ThreadRef, context: ThreadContext): Promise<void>;
  getThreadContext(ref: ThreadRef): Promise<ThreadContext | undefined>;

  // Leadership --------------------------------------------------------------------------------

  /**
   * True while `holder` is the one replica that runs the loop `name` (watcher, reminders). Call
   * it every tick: it takes the lead when free and keeps it. SQLite uses a lease of `ttlMs`;
   * PostgreSQL a session advisory lock, released when the replica's connection ends.
   */
  tryLead(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLead(name: string, holder: string): Promise<void>;
}

export interface StoreOptions {
  /** Clock for event retention and thread contexts (the rest takes times as arguments). */
  now?: () => number;
  /** How long processed event ids are kept. Default 7 days (EventBridge retries for up to 24 h). */
  eventRetentionMs?: number;
  /** PostgreSQL schema to use (created if missing); default "public". Tests use one per run. */
  schema?: string;
  /** PostgreSQL application_name of the bot's connections (shown in pg_stat_activity); default "lineage-bot". */
  applicationName?: string;
  /** Where the store reports trouble it recovers from by itself (a PostgreSQL connection dropped). */
  onWarning?: (message: string) => void;
}
