// The notices domain's model: what an announcement is made of, who it reaches, what goes out to
// them and what came back. The store keeps these (src/store implements the port in ports.ts);
// blocks/notices renders them. Times are epoch milliseconds, passed in by the caller so that
// schedules can be tested on a controllable clock.

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
  /**
   * Team channel tag values (CHANNEL_TAG_KEYS) of it, as written, that could not be used when the
   * notice went out (archived, not found, the bot not in it): escalation looks them up again.
   */
  teamChannels?: string[];
  /** For a notice about some features: which of them its recorded training queries use. */
  features?: string[];
  /**
   * For a notice about some features: its recorded queries cannot tell whether it uses them (no
   * query, unreadable, read through a derived group…), so it may be affected and is told all the same.
   */
  mayBeAffected?: true;
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
  | 'lookup_failed'
  /** SageMaker would not describe the resource or list its tags, after the retries (`detail`: the error code): its owners are unknown. */
  | 'tags_unreadable';

/** An owner (tag value) that could not be resolved to a Slack user or channel, with what it owns. */
export interface UnreachableOwner {
  /** The tag value as written (an email, an ID, a channel), or '' for resources with no owner tag at all. */
  value: string;
  reason: UnreachableReason;
  /** What Slack said, for the look-up reasons: a scope or an error code. */
  detail?: string;
  resources: AffectedResource[];
}

/** What happens to the features a notice names: what the form's "What happens to them" offers. */
export const FEATURE_CHANGES = ['removal', 'retype', 'deprecation'] as const;
export type FeatureChange = (typeof FEATURE_CHANGES)[number];

/** A notice about some of a group's features only: which, in the group's own order and spelling, and what happens to them. */
export interface NoticeFeatures {
  names: string[];
  change: FeatureChange;
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
  /** Set when the notice is about some features only: only models whose queries use them (or may) are told. */
  features?: NoticeFeatures;
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
 * worked out afterwards from what was stored.
 */
export type AcceptedNotice = Omit<NewNotice, 'unreachable' | 'lineageCut'>;

/** What preparing an accepted announcement found: whom it reaches, whom it cannot, and whether the walk finding them was cut short. */
export type PreparedImpact = Pick<NewNotice, 'unreachable' | 'lineageCut'> & { recipients: NewRecipient[] };

export interface Notice extends NewNotice {
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
  /** Set when the announcer or an admin cancelled it (it is then closed too): who, and when. */
  cancelled?: { by: string; at: number };
  /**
   * Bumped each time the date is moved. Reminder milestones and deliveries belong to a revision,
   * so a move starts the reminders of the new date afresh and leaves the old ones behind.
   */
  revision: number;
  /** Set once the date was moved: the date it was moved from, when, and who moved it (the last move). */
  moved?: { from: string; at: number; by: string };
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

export interface Recipient extends NewRecipient {
  noticeId: string;
}

/**
 * `announce_failed`: the announcer is told that an accepted announcement could not be sent.
 * `cancelled`, `moved`: an owner who got the notice is told it was cancelled or its date moved.
 * `escalation`: a team channel is told an owner did not acknowledge by the last reminder.
 * `write_back`: not a message — the feature group is marked deprecated in SageMaker (write-back.ts);
 * it rides the outbox for its claims, retries and exactly-once record. `target` is the group.
 * `write_back_failed`: the announcer is told the write-back could not be made.
 */
export type DeliveryKind =
  | 'notice'
  | 'reminder'
  | 'summary'
  | 'final_report'
  | 'announce_failed'
  | 'cancelled'
  | 'moved'
  | 'escalation'
  | 'write_back'
  | 'write_back_failed';
/** `cancelled`: never sent, because the notice was cancelled (or, for a reminder, its date moved) first. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface NewDelivery {
  kind: DeliveryKind;
  /** The recipient's key; '' for summaries and final reports. */
  recipientKey: string;
  /** Days before the effective date, for reminders; 0 otherwise. */
  days: number;
  /** Slack user ID (DM) or channel ID. */
  target: string;
  /**
   * The notice's revision it belongs to (reminders, date changes); 0 when it is once per notice
   * (the notice, escalations). Part of the delivery's unique key with kind, recipient and days.
   */
  revision?: number;
}

export interface Delivery extends NewDelivery {
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
export interface Preparation {
  noticeId: string;
  /** Failed attempts so far. */
  attempts: number;
  nextAttemptAt: number;
  error?: string;
}

export interface Acknowledgement {
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
  /** The group's CreationTime (epoch ms), when SageMaker gave it: where the group is counted. */
  createdAt?: number;
}

/** The status of a snapshot whose group SageMaker no longer has. */
export const GONE_STATUS = 'Deleted';

/** A group SageMaker has, as far as the snapshots know (Creating, Created, Deleting…), and when it was created. */
export interface PresentGroup {
  featureGroup: string;
  createdAt?: number;
}

export interface AuditEntry {
  at: number;
  /** A Slack user ID, or "watcher". */
  actor: string;
  action: string;
  noticeId?: string;
  detail: Record<string, unknown>;
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
