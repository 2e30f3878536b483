// Errors of notices turned into one user-facing message each, at the edge. Lineage errors use the
// lineage messages (commands/messages.ts); notice errors use NOTICE_MESSAGES. What the user is not
// shown is logged.
import type { Logger } from '@slack/bolt';
import { isLineageError } from '../../src/lineage/errors.js';
import { DirectoryUnavailable, InvalidNotice, NotAllowedToAnnounce, NoticeNotFound } from '../../src/notices/errors.js';
import { lineageErrorText, type ErrorText } from '../error-text.js';
import { MESSAGES } from '../messages.js';
import { NOTICE_MESSAGES } from './messages.js';

export type { ErrorText } from '../error-text.js';

export function noticeErrorText(error: unknown, logger: Logger): ErrorText {
  if (error instanceof NotAllowedToAnnounce) {
    return { message: NOTICE_MESSAGES.notAllowed(error.featureGroup, error.owners, error.admins), hint: NOTICE_MESSAGES.notAllowedHint };
  }
  if (error instanceof InvalidNotice) return { message: error.problems.map((p) => NOTICE_MESSAGES.invalid[p.problem]).join(' ') };
  if (error instanceof NoticeNotFound) return { message: NOTICE_MESSAGES.noticeNotFound };
  if (error instanceof DirectoryUnavailable) {
    logger.warn(`Slack lookups failed: ${error.slackError}${error.needed ? ` (needs ${error.needed})` : ''}`);
    return { message: error.transient ? NOTICE_MESSAGES.slackUnavailable : NOTICE_MESSAGES.slackRefused(error.slackError) };
  }
  if (isLineageError(error)) return lineageErrorText(error, logger);
  logger.error('A notice listener failed:', error);
  return { message: MESSAGES.internal };
}

/**
 * Why an accepted announcement could not be sent, as the announcer is told it (the notice system
 * is given this by the composition root; what the message leaves out is logged).
 */
export function explainAnnounceFailure(logger: Logger): (error: unknown) => string {
  return (error) => noticeErrorText(error, logger).message;
}
