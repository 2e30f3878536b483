// Errors of change notices, each with a stable `code` that listeners turn into one user-facing
// message (commands/notices/messages.ts). Lineage errors (unknown feature group…) pass through as
// the LineageError classes they are.
import type { Notice } from './model.js';
import type { SendFailure } from './ports.js';

export type NoticeErrorCode =
  | 'NotAllowedToAnnounce'
  | 'NotAllowedToAcknowledge'
  | 'NotAllowedToManage'
  | 'NoticeNotOpen'
  | 'InvalidNotice'
  | 'NoticeNotFound'
  | 'DirectoryUnavailable';

export abstract class NoticeError extends Error {
  abstract readonly code: NoticeErrorCode;
}

/** Who may announce a change to a feature group: its owners (by tag) and the lineage admins. */
export class NotAllowedToAnnounce extends NoticeError {
  readonly code = 'NotAllowedToAnnounce';
  constructor(
    readonly featureGroup: string,
    /** The feature group's owner tag values (emails, user IDs). */
    readonly owners: readonly string[],
    /** Slack user IDs in LINEAGE_ADMINS. */
    readonly admins: readonly string[],
  ) {
    super(`Not allowed to announce a change to feature group ${featureGroup}`);
  }
}

/**
 * Why a click on Acknowledge changed nothing: the button names a recipient the notice does not
 * have, or was clicked outside the conversation its message went to (both mean a forged or
 * mismatched payload); someone other than the owner clicked in a DM; or, in a team channel,
 * someone who is not a member of it.
 */
export type AcknowledgeRefusal = 'not_a_recipient' | 'wrong_conversation' | 'not_the_owner' | 'not_in_channel';

export class NotAllowedToAcknowledge extends NoticeError {
  readonly code = 'NotAllowedToAcknowledge';
  constructor(
    readonly reason: AcknowledgeRefusal,
    readonly click: { noticeId: string; recipientKey: string; userId: string; channelId?: string },
    /** The recipient the button names, when the notice has it. */
    readonly recipient?: { type: 'user' | 'channel'; targetId: string },
  ) {
    super(
      `Not allowed to acknowledge notice ${click.noticeId} for ${click.recipientKey}: ${reason} (user ${click.userId}, conversation ${click.channelId ?? 'none'})`,
    );
  }
}

/**
 * Who may cancel a notice or move its date: the person who announced it and the lineage admins.
 * A watcher's notice has no announcer: only the admins.
 */
export class NotAllowedToManage extends NoticeError {
  readonly code = 'NotAllowedToManage';
  constructor(
    readonly noticeId: string,
    readonly userId: string,
    /** The announcer's Slack user ID; undefined for a watcher's notice. */
    readonly announcer: string | undefined,
    readonly admins: readonly string[],
  ) {
    super(`User ${userId} may not cancel or move notice ${noticeId}`);
  }
}

/** A change asked of a notice that is no longer open: cancelled, or closed on its date. */
export class NoticeNotOpen extends NoticeError {
  readonly code = 'NoticeNotOpen';
  constructor(
    readonly noticeId: string,
    readonly state: 'cancelled' | 'closed',
  ) {
    super(`Notice ${noticeId} is ${state}`);
  }
}

export type InvalidNoticeField = 'kind' | 'effectiveDate' | 'replacement' | 'note' | 'features' | 'featureChange';
export type InvalidNoticeProblem =
  | 'kind_unknown'
  | 'already_announced'
  | 'date_invalid'
  | 'date_past'
  | 'date_too_far'
  /** A move to the date the notice already has. */
  | 'date_unchanged'
  | 'replacement_not_found'
  | 'replacement_same'
  | 'note_too_long'
  /** A feature the group does not have (`value`: its name). */
  | 'feature_unknown'
  /** Features picked, but not what happens to them. */
  | 'feature_change_missing'
  | 'feature_change_unknown';

/** A field of an announcement that cannot be accepted; the modal shows it next to the field. */
export class InvalidNotice extends NoticeError {
  readonly code = 'InvalidNotice';
  constructor(
    readonly problems: readonly { field: InvalidNoticeField; problem: InvalidNoticeProblem; value?: string }[],
  ) {
    super(`Invalid notice: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`);
  }
}

export class NoticeNotFound extends NoticeError {
  readonly code = 'NoticeNotFound';
  constructor(readonly noticeId: string) {
    super(`No notice ${noticeId}`);
  }
}

/**
 * A Slack look-up (users, channels, members) that did not give an answer. `transient` when Slack
 * kept failing, rate limiting or timing out after the retries (the same look-up may work in a
 * minute); otherwise Slack refused it, e.g. `missing_scope`, where `needed` names the scope.
 * `slackError` is Slack's code.
 */
export class DirectoryUnavailable extends NoticeError {
  readonly code = 'DirectoryUnavailable';
  readonly transient: boolean;
  readonly needed: string | undefined;

  constructor(
    readonly slackError: string,
    options: { transient: boolean; needed?: string; cause?: unknown },
  ) {
    super(`Slack lookups failed (${slackError})`, { cause: options.cause });
    this.transient = options.transient;
    this.needed = options.needed;
  }
}

export function isNoticeError(error: unknown): error is NoticeError {
  return error instanceof NoticeError;
}

/**
 * What the store throws (see NoticeBook.acceptNotice) when a person announces a change of this
 * kind to this feature group while another such notice is open: one may be open, whichever
 * submission got in first. The service turns it into InvalidNotice already_announced.
 */
export class NoticeAlreadyOpen extends Error {
  readonly code = 'NoticeAlreadyOpen';
  constructor(readonly existing: Notice) {
    super(`A ${existing.kind} notice about feature group ${existing.featureGroup} is already open (${existing.id})`);
  }
}

/** A send (NoticePoster, HistoryChecker) that failed, with what that means for the delivery. */
export class SendFailed extends Error {
  readonly code = 'SendFailed';
  constructor(
    readonly failure: SendFailure,
    options: { cause?: unknown } = {},
  ) {
    super(`Sending failed (${failure.error})`, { cause: options.cause });
  }
}

/** What a failure during a delivery means: a SendFailed says; anything else (the store failing mid-way) may have happened after the post. */
export function sendFailureOf(error: unknown): SendFailure {
  if (error instanceof SendFailed) return error.failure;
  return { type: 'transient', inDoubt: true, error: error instanceof Error ? error.name : 'unknown_error' };
}
