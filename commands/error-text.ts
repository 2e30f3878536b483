// Domain errors turned into what the user reads, in one place for every listener: one message
// (and what to try next) per error code. What the user is not shown goes to the log.
import type { Logger } from '@slack/logger';
import { code } from '../blocks/text.js';
import {
  AmbiguousName,
  BadInput,
  EntityNotFound,
  InvalidSnapshot,
  NoLineageRecorded,
  NotAuthorized,
  Throttled,
  WrongKind,
  type LineageError,
} from '../src/lineage/errors.js';
import { MESSAGES } from './messages.js';
import { COMMAND } from './subcommands.js';

export interface ErrorText {
  /** mrkdwn, escaped. */
  message: string;
  hint?: string;
}

export function lineageErrorText(error: LineageError, logger: Logger): ErrorText {
  if (error instanceof EntityNotFound) {
    return {
      message: MESSAGES.notFound(error.input, error.lookedFor),
      hint: error.suggestions.length > 0 ? MESSAGES.didYouMean(error.suggestions) : `Try ${code(`${COMMAND} search ${error.input.slice(0, 40)}`)}.`,
    };
  }
  if (error instanceof AmbiguousName) return { message: MESSAGES.ambiguous(error.input, error.candidates.map((c) => c.name)) };
  if (error instanceof WrongKind) return { message: MESSAGES.wrongKind(error.input, error.actualKind, error.expected), hint: MESSAGES.helpHint };
  if (error instanceof NoLineageRecorded) return { message: MESSAGES.noLineage(error.kind, error.resourceName), hint: MESSAGES.noLineageHint };
  if (error instanceof BadInput) return { message: MESSAGES.badInput(error.message), hint: error.hint ? MESSAGES.badInput(error.hint) : MESSAGES.helpHint };
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
