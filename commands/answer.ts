// One place that turns a parsed request into a message: runs the question, classifies errors at
// the edge into the user-facing messages, and logs what the user is not shown.
import type { Logger } from '@slack/logger';
import { buildAnswer, buildError, buildHelp, type Message } from '../blocks/index.js';
import { code } from '../blocks/text.js';
import {
  AmbiguousName,
  BadInput,
  EntityNotFound,
  InvalidSnapshot,
  isLineageError,
  NoLineageRecorded,
  NotAuthorized,
  Throttled,
  WrongKind,
  type LineageError,
} from '../src/lineage/errors.js';
import { ask, type QuestionRequest } from '../src/lineage/questions.js';
import type { LineageService } from '../src/lineage/service.js';
import { MESSAGES } from './messages.js';
import { COMMAND, SUBCOMMANDS, type ParsedCommand } from './subcommands.js';

/** A reply and whether only the asker should see it. */
export interface Reply {
  message: Message;
  ephemeral: boolean;
}

const HELP_FOOTER = 'Answers follow lineage recorded in SageMaker ML Lineage Tracking; buttons under an answer take the next step.';

export function helpReply(): Reply {
  return { message: buildHelp(COMMAND, SUBCOMMANDS, HELP_FOOTER), ephemeral: true };
}

export async function replyToCommand(parsed: ParsedCommand, service: LineageService, logger: Logger): Promise<Reply> {
  switch (parsed.kind) {
    case 'help':
      return helpReply();
    case 'unknown':
      return errorReply(MESSAGES.unknownSubcommand(parsed.word, parsed.suggestion), MESSAGES.helpHint);
    case 'missing':
      return errorReply(MESSAGES.missingArgument(parsed.subcommand), MESSAGES.usage(parsed.subcommand));
    case 'tooMany':
      return errorReply(MESSAGES.tooManyArguments(parsed.subcommand), MESSAGES.usage(parsed.subcommand));
    case 'question':
      return replyToQuestion(parsed.request, service, logger);
  }
}

export async function replyToQuestion(request: QuestionRequest, service: LineageService, logger: Logger): Promise<Reply> {
  try {
    return { message: buildAnswer(await ask(service, request)), ephemeral: false };
  } catch (error) {
    if (isLineageError(error)) return domainErrorReply(error, logger);
    logger.error(`Answering ${request.question} failed:`, error);
    return errorReply(MESSAGES.internal);
  }
}

function errorReply(message: string, hint?: string): Reply {
  return { message: buildError(message, hint), ephemeral: true };
}

function domainErrorReply(error: LineageError, logger: Logger): Reply {
  if (error instanceof EntityNotFound) {
    return errorReply(
      MESSAGES.notFound(error.input, error.lookedFor),
      error.suggestions.length > 0 ? MESSAGES.didYouMean(error.suggestions) : `Try ${code(`${COMMAND} search ${error.input.slice(0, 40)}`)}.`,
    );
  }
  if (error instanceof AmbiguousName) return errorReply(MESSAGES.ambiguous(error.input, error.candidates.map((c) => c.name)));
  if (error instanceof WrongKind) return errorReply(MESSAGES.wrongKind(error.input, error.actualKind, error.expected), MESSAGES.helpHint);
  if (error instanceof NoLineageRecorded) return errorReply(MESSAGES.noLineage(error.kind, error.resourceName), MESSAGES.noLineageHint);
  if (error instanceof BadInput) return errorReply(MESSAGES.badInput(error.message), error.hint ? MESSAGES.badInput(error.hint) : MESSAGES.helpHint);
  if (error instanceof NotAuthorized) {
    logger.warn(`Lineage source refused: ${error.message}`);
    return errorReply(MESSAGES.notAuthorized(error.permission), MESSAGES.notAuthorizedHint);
  }
  if (error instanceof Throttled) {
    logger.warn(`Lineage source throttled: ${error.message}`);
    return errorReply(MESSAGES.throttled);
  }
  if (error instanceof InvalidSnapshot) {
    logger.error(error.message);
    return errorReply(MESSAGES.invalidSnapshot);
  }
  logger.error(`Lineage source unavailable (${error.code}): ${error.message}`);
  return errorReply(MESSAGES.sourceUnavailable);
}
