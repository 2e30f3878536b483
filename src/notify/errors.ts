// Errors of change notices, each with a stable `code` that listeners turn into one user-facing
// message (commands/notices/messages.ts). Lineage errors (unknown feature group…) pass through as
// the LineageError classes they are.

export type NoticeErrorCode = 'NotAllowedToAnnounce' | 'InvalidNotice' | 'NoticeNotFound' | 'DirectoryUnavailable';

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

export type InvalidNoticeField = 'kind' | 'effectiveDate' | 'replacement' | 'note';
export type InvalidNoticeProblem =
  | 'kind_unknown'
  | 'already_announced'
  | 'date_invalid'
  | 'date_past'
  | 'date_too_far'
  | 'replacement_not_found'
  | 'replacement_same'
  | 'note_too_long';

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

/** Slack could not answer a lookup (users, channels) even after retries. `slackError` is Slack's code. */
export class DirectoryUnavailable extends NoticeError {
  readonly code = 'DirectoryUnavailable';
  constructor(
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack lookups failed (${slackError})`, options);
  }
}

export function isNoticeError(error: unknown): error is NoticeError {
  return error instanceof NoticeError;
}
