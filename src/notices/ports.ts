// What the notices domain needs from the world outside it, as interfaces it owns: storage (src/store
// implements it, one interface per aggregate, and each consumer here asks only for the aggregates
// it uses), Slack (src/notices/slack/ implements it) and a logger. Nothing in this folder but
// slack/ knows Slack: the domain imports no @slack/* package (a lint rule).
import type {
  AcceptedNotice,
  Acknowledgement,
  AuditEntry,
  ClaimOptions,
  Delivery,
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
  UnreachableReason,
} from './model.js';

// Storage ---------------------------------------------------------------------------------------

/** Notices with their recipients, deliveries and acknowledgements, as announced and answered. */
export interface NoticeBook {
  /**
   * Creates a notice, its recipients, one 'notice' delivery per recipient, the summary delivery
   * (when it has a target) and an audit entry, all at once. With a sourceKey already used, changes
   * nothing and returns the existing notice with created = false.
   */
  createNotice(notice: NewNotice, recipients: NewRecipient[], audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<{ notice: Notice; created: boolean }>;
  /**
   * Stores a person's announcement as soon as it is accepted, before its impact is known: the
   * notice (no recipients yet), its preparation claimed by `claim.worker`, and an audit entry.
   * A sourceKey already used returns that notice with created = false.
   *
   * Both this and createNotice refuse a second open notice of the same kind about the same feature
   * group announced by a person — a uniqueness rule of the schema, so two submissions at the same
   * instant cannot both get in — by throwing NoticeAlreadyOpen with the notice that is open.
   */
  acceptNotice(notice: AcceptedNotice, audit: Omit<AuditEntry, 'noticeId'>, claim: { worker: string; leaseMs: number }, now: number): Promise<{ notice: Notice; created: boolean }>;
  getNotice(id: string): Promise<Notice | undefined>;
  listOpenNotices(): Promise<Notice[]>;
  listRecipients(noticeId: string): Promise<Recipient[]>;
  listDeliveries(noticeId: string): Promise<Delivery[]>;
  listAcknowledgements(noticeId: string): Promise<Acknowledgement[]>;
  /** Stores an acknowledgement; the first one per recipient wins and bumps the summary. */
  acknowledge(noticeId: string, recipientKey: string, userId: string, at: number): Promise<{ first: boolean; ack: Acknowledgement }>;
  closeNotice(noticeId: string, at: number): Promise<void>;
  /**
   * Cancels an open notice, all at once: closes it (its kind is free to announce again), records
   * who cancelled it, marks its unsent notices, reminders and write-back cancelled, enqueues a 'cancelled'
   * message to every owner who got the notice, bumps the summary and appends `audit`. Undefined
   * (and nothing changed) when the notice is not open: closed or cancelled meanwhile.
   */
  cancelNotice(noticeId: string, by: string, audit: Omit<AuditEntry, 'noticeId'>, now: number): Promise<Notice | undefined>;
  /**
   * Moves an open notice's date, all at once: the new date and final report time, the next
   * revision (whose reminders start afresh), unsent reminders and write-back of the old date cancelled, a
   * 'moved' message enqueued to every owner who got the notice, the summary bumped, `audit`
   * appended. Undefined (and nothing changed) unless the notice is open and still at
   * `fromRevision`: of two moves at once, one wins.
   */
  moveNotice(
    noticeId: string,
    move: { fromRevision: number; effectiveDate: string; finalReportAt: number; by: string },
    audit: Omit<AuditEntry, 'noticeId'>,
    now: number,
  ): Promise<Notice | undefined>;
}

/** The reads that say where a notice stands (status.ts). */
export type NoticeReads = Pick<NoticeBook, 'getNotice' | 'listRecipients' | 'listDeliveries' | 'listAcknowledgements'>;

/** Accepted announcements whose impact is still to be worked out. */
export interface PreparationQueue {
  /** Claims due preparations not claimed by a live worker, oldest first. */
  claimPreparations(options: ClaimOptions): Promise<Preparation[]>;
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
}

/** The schedule of each notice: which milestones ("reminder:7", "reminder:1", "final") are done. */
export interface Milestones {
  listMilestones(noticeId: string): Promise<string[]>;
  /** Marks a milestone done and enqueues its deliveries at once; false (and nothing enqueued) if it was done already. */
  completeMilestone(noticeId: string, milestone: string, deliveries: NewDelivery[], now: number): Promise<boolean>;
}

/** The outbox: deliveries, each claimed by one worker at a time and recorded as sent only after Slack took it. */
export interface Outbox {
  /** Claims pending deliveries that are due and not claimed by a live worker, oldest first. */
  claimDeliveries(options: ClaimOptions): Promise<Delivery[]>;
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
  /** How many deliveries are in each status, and when the oldest pending one was created (for /metrics). */
  deliveryCounts(): Promise<{ byStatus: Record<DeliveryStatus, number>; oldestPendingCreatedAt?: number }>;
  /**
   * Marks a claimed delivery as possibly received twice: it is being sent again after an
   * interruption, and the channel's history could not be read to check.
   */
  markMaybeDuplicate(id: string, worker: string, now: number): Promise<boolean>;
}

/** Posted summaries whose content moved on since they were rendered. */
export interface Summaries {
  /** Notices whose posted summary is behind its content. */
  summariesToRefresh(limit: number): Promise<{ noticeId: string; version: number; channel: string; ts: string }[]>;
  markSummaryRendered(noticeId: string, version: number): Promise<void>;
}

/** Claims on deliveries and preparations, by holder (a process). */
export interface Claims {
  /** The heartbeat: extends `worker`'s claims that are still its own and still pending until `until`. */
  renewClaims(worker: string, held: HeldClaims, until: number, now: number): Promise<void>;
  /** Holders of claims (deliveries, preparations) that have not expired at `now`, and of leads where leads are leases (SQLite). */
  listClaimHolders(now: number): Promise<string[]>;
  /**
   * Makes every claim and lease of `holder` available at once; only for a holder known to be dead
   * (a previous process on this host that is gone). Returns how many claims were released.
   */
  releaseHolder(holder: string, now: number): Promise<number>;
}

/** The watcher's last look at each feature group's definition. */
export interface Snapshots {
  getSnapshot(featureGroup: string): Promise<FeatureGroupSnapshot | undefined>;
  saveSnapshot(snapshot: FeatureGroupSnapshot): Promise<void>;
  listSnapshotNames(): Promise<string[]>;
  /** Groups whose snapshot says SageMaker still has them, by name. */
  listPresentGroups(): Promise<PresentGroup[]>;
  /** The time (epoch ms) up to which the watcher has checked every change; undefined before its first full check. */
  getWatchMark(name: string): Promise<number | undefined>;
  setWatchMark(name: string, at: number): Promise<void>;
}

/** Who did what to which notice, in order. */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(noticeId?: string): Promise<AuditEntry[]>;
}

/** Loops that only one replica may run at a time (the watcher, the reminders, summary updates). */
export interface Leadership {
  /**
   * True while `holder` is the one replica that runs the loop `name`. Call it every tick: it takes
   * the lead when free and keeps it. SQLite uses a lease of `ttlMs`; PostgreSQL a session advisory
   * lock, released when the replica's connection ends.
   */
  tryLead(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLead(name: string, holder: string): Promise<void>;
}

/** Everything the notices keep: the port src/store implements. */
export interface NoticeStore extends NoticeBook, PreparationQueue, Milestones, Outbox, Summaries, Claims, Snapshots, AuditLog, Leadership {}

// Slack -----------------------------------------------------------------------------------------

/** What a failed send means: try again later (and when), give up for good, or try again but first check whether it went out. */
export type SendFailure =
  /** Refused before anything was done (rate limited): nothing was posted. */
  | { type: 'rate_limited'; retryAfterMs: number; error: string }
  /** Worth retrying; `inDoubt` when the request may have been carried out (timeouts, 5xx). */
  | { type: 'transient'; inDoubt: boolean; error: string }
  /** Retrying cannot help: the user or channel is gone, the bot may not post there. */
  | { type: 'permanent'; error: string };

/**
 * Posts a notice's messages (built by a NoticeRenderer of the same `Message`). Failures are thrown
 * as SendFailed, which says what the failure means for the delivery.
 */
export interface NoticePoster<Message> {
  /** Where a delivery's target is posted to: a user's direct messages (opened if need be), or the channel itself. */
  conversationFor(target: string): Promise<string>;
  /** Posts a delivery's message, tagged with the delivery so that HistoryChecker can find it; says where it went. */
  post(channel: string, message: Message, tag: { deliveryId: string; noticeId: string }): Promise<{ channel: string; ts: string }>;
  /** Replaces a posted message (a summary brought up to date). */
  update(channel: string, ts: string, message: Message): Promise<void>;
}

export type Reconciliation = { found: true; ts: string } | { found: false } | { found: 'unknown'; error: string };

/** After a crash or an ambiguous failure mid-send, whether the delivery's message reached its channel after all. */
export interface HistoryChecker {
  /**
   * Looks for the message of `deliveryId` in `channel` since `sinceMs`. `unknown` when the bot may
   * not read that history. Failures that may pass are thrown as SendFailed, for the caller to retry.
   */
  findDelivered(channel: string, deliveryId: string, sinceMs: number): Promise<Reconciliation>;
}

export type UserLookup = { found: true; userId: string; label: string } | { found: false; reason: UnreachableReason; detail?: string };
export type ChannelLookup = { found: true; channelId: string; label: string } | { found: false; reason: UnreachableReason; detail?: string };

/**
 * Who and where owners are. A look-up that gives no answer (the directory kept failing, or
 * refused it) throws DirectoryUnavailable; "no such user or channel" is an answer.
 */
export interface Directory {
  /** A person by email. */
  userByEmail(email: string): Promise<UserLookup>;
  /** A person by user ID, to check they exist and are active, and to name them. */
  userById(userId: string): Promise<UserLookup>;
  /** A channel by "#name", "name" or ID. Archived channels are found but unreachable. */
  channel(ref: string): Promise<ChannelLookup>;
  /** Whether `userId` is a member of the channel, as of now (it decides who may act for a team). */
  isMember(channelId: string, userId: string): Promise<boolean>;
}

// SageMaker -------------------------------------------------------------------------------------

/**
 * Marks a feature group in SageMaker (NOTICE_WRITE_BACK; src/notices/sagemaker/ implements it).
 * Both writes set values by key, so sending them again after an interruption changes nothing.
 * Failures are thrown as LineageErrors: Throttled and SourceUnavailable may pass, NotAuthorized
 * (a missing permission) and EntityNotFound (the group is gone) will not.
 */
export interface FeatureGroupMarker {
  /** AddTags on the feature group's ARN: tags of the same keys are replaced. */
  tagFeatureGroup(featureGroupArn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** UpdateFeatureMetadata: adds (or replaces) the feature's parameters of these keys. */
  setFeatureParameters(featureGroup: string, feature: string, parameters: Readonly<Record<string, string>>): Promise<void>;
}

// Logging ---------------------------------------------------------------------------------------

/** Where the domain logs; the bot's logger (src/logger.ts) is one. */
export interface Logger {
  debug(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
}
