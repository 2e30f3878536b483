// Domain errors turned into what the user reads, in one place for every listener, lineage and
// notices alike: one message (and what to try next) per error code. What the user is not shown
// goes to the log.
import type { Logger } from '@slack/logger';
import { KINDS, type Kind } from '../src/lineage/classify.js';
import {
  AmbiguousName,
  BadInput,
  EntityNotFound,
  ForeignResource,
  InvalidSnapshot,
  NoLineageRecorded,
  NotAuthorized,
  Throttled,
  WrongKind,
  isLineageError,
  type LineageError,
} from '../src/lineage/errors.js';
import { DirectoryUnavailable, InvalidNotice, NotAllowedToAnnounce, NotAllowedToManage, NoticeNotFound, NoticeNotOpen } from '../src/notices/errors.js';
import { MESSAGES, NOTICE_MESSAGES } from './messages.js';
import { commandAsking, commandFor } from './subcommands.js';

export interface ErrorText {
  /** mrkdwn, escaped. */
  message: string;
  hint?: string;
}

/** The domain's own hint, else its example written as the command that asks it, else help. */
function badInputHint(error: BadInput): string {
  const example = error.example && commandAsking(error.example);
  if (error.hint) return MESSAGES.badInput(error.hint);
  return example ? MESSAGES.badInput(`Example: ${example}`) : MESSAGES.helpHint;
}

export function lineageErrorText(error: LineageError, logger: Logger): ErrorText {
  if (error instanceof EntityNotFound) {
    // Search is offered only with text it takes (never an ARN's account number).
    const hint =
      error.suggestions.length > 0 ? MESSAGES.didYouMean(error.suggestions) : error.searchText ? MESSAGES.trySearch(error.searchText) : MESSAGES.helpHint;
    return { message: MESSAGES.notFound(error.input, error.lookedFor), hint };
  }
  if (error instanceof AmbiguousName) return { message: MESSAGES.ambiguous(error.input, error.candidates.map((c) => c.name)) };
  if (error instanceof WrongKind) return { message: MESSAGES.wrongKind(error.input, error.actualKind, error.expected), hint: wrongKindHint(error) };
  if (error instanceof ForeignResource) return { message: MESSAGES.foreign(error.input, error.where, error.home), hint: MESSAGES.foreignHint };
  if (error instanceof NoLineageRecorded) return { message: MESSAGES.noLineage(error.kind, error.resourceName), hint: MESSAGES.noLineageHint };
  if (error instanceof BadInput) return { message: MESSAGES.badInput(error.message), hint: badInputHint(error) };
  if (error instanceof NotAuthorized && error.credentials) {
    // Every question fails until an operator fixes the credentials: an error, not a warning.
    logger.error(`Lineage source refused the bot's AWS identity: ${error.message}`);
    return { message: MESSAGES.credentialsRejected };
  }
  if (error instanceof NotAuthorized) {
    logger.warn(`Lineage source refused: ${error.message}`);
    return { message: MESSAGES.notAuthorized(error.permission), hint: MESSAGES.notAuthorizedHint };
  }
  if (error instanceof Throttled) {
    logger.warn(`Lineage source throttled: ${error.message}`);
    return { message: MESSAGES.throttled };
  }
  if (error instanceof InvalidSnapshot) {
    logger.error(error.message);
    return { message: MESSAGES.invalidSnapshot };
  }
  logger.error(`Lineage source unavailable (${error.code}): ${error.message}`);
  return { message: MESSAGES.sourceUnavailable };
}

function asKind(kind: string): Kind | undefined {
  return (KINDS as readonly string[]).includes(kind) ? (kind as Kind) : undefined;
}

/** What to ask instead: the question for what the input really is, and the endpoints or models that go with it. */
function wrongKindHint(error: WrongKind): string {
  const kind = error.hint && asKind(error.hint.kind);
  const command = kind && error.hint ? commandFor(kind, error.hint.input) : undefined;
  if (!command || !error.hint) return MESSAGES.helpHint;
  const related = error.hint.related;
  const relatedKind = related && asKind(related.kind);
  const first = related?.names[0];
  const relatedCommand = relatedKind && first !== undefined ? commandFor(relatedKind, first) : undefined;
  const tied =
    related && relatedKind === 'Endpoint'
      ? MESSAGES.servedBy(related.names, relatedCommand)
      : related && relatedKind === 'Model'
        ? MESSAGES.serves(related.names, relatedCommand)
        : undefined;
  return tied ? `${MESSAGES.askInstead(command)} ${tied}` : MESSAGES.askInstead(command);
}

/** One field problem of an announcement in words: the open notice's date, or the unknown feature's name, when known. */
export function invalidProblemText(problem: InvalidNotice['problems'][number]): string {
  if (problem.problem === 'already_announced' && problem.value) return NOTICE_MESSAGES.alreadyAnnouncedFor(problem.value);
  if (problem.problem === 'feature_unknown' && problem.value) return NOTICE_MESSAGES.featureUnknown(problem.value);
  return NOTICE_MESSAGES.invalid[problem.problem];
}

export function noticeErrorText(error: unknown, logger: Logger): ErrorText {
  if (error instanceof NotAllowedToAnnounce) {
    return { message: NOTICE_MESSAGES.notAllowed(error.featureGroup, error.owners, error.admins), hint: NOTICE_MESSAGES.notAllowedHint };
  }
  if (error instanceof InvalidNotice) return { message: error.problems.map((p) => (p.problem === 'feature_unknown' ? invalidProblemText(p) : NOTICE_MESSAGES.invalid[p.problem])).join(' ') };
  if (error instanceof NoticeNotFound) return { message: NOTICE_MESSAGES.noticeNotFound };
  if (error instanceof NotAllowedToManage) {
    logger.warn(`Refused to cancel or move notice ${error.noticeId}: user ${error.userId} is neither its announcer nor a lineage admin`);
    return { message: NOTICE_MESSAGES.notAllowedToManage(error.announcer, error.admins) };
  }
  if (error instanceof NoticeNotOpen) return { message: error.state === 'cancelled' ? NOTICE_MESSAGES.noticeCancelled : NOTICE_MESSAGES.noticeClosed };
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
