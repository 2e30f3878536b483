// One place that turns a parsed request into a message: runs the question, classifies errors at
// the edge into the user-facing messages, and logs what the user is not shown.
import type { Logger } from '@slack/logger';
import type { CacheControl, LinkFinder, LinkRecording } from '../deps.js';
import { buildProposals } from '../../blocks/proposals.js';
import { answerSubject, buildAnswer, buildHelp, buildInfo } from '../../blocks/index.js';
import { escape } from '../../blocks/text.js';
import type { Kind } from '../../src/lineage/classify.js';
import { EntityNotFound, isLineageError, type LineageError } from '../../src/lineage/errors.js';
import { lineageErrorText } from '../errors.js';
import { errorReply, type Reply } from '../reply.js';
import { ask, questionFor, type QuestionRequest } from '../../src/lineage/questions.js';
import type { LineageService } from '../../src/lineage/service.js';
import { MESSAGES } from '../messages.js';
import { COMMAND, SUBCOMMANDS, type ParsedCommand } from '../subcommands.js';

const HELP_FOOTER = 'Answers follow lineage recorded in SageMaker ML Lineage Tracking; buttons under an answer take the next step.';

/**
 * The short text shown while a slow answer is on its way. It is a message's text, which Slack
 * parses as mrkdwn, and a button's input is data (an S3 URI may hold <!channel>): escaped.
 */
export function lookingText(request: QuestionRequest): string {
  return `Looking up ${request.question === 'search' ? 'matches for' : ''} ${escape(request.input.slice(0, 200))}…`.replace(/\s+/g, ' ');
}

export function helpReply(): Reply {
  return { message: buildHelp(COMMAND, SUBCOMMANDS, HELP_FOOTER), ephemeral: true };
}

export async function replyToCommand(
  parsed: ParsedCommand,
  deps: { service: LineageService; cache: CacheControl; linkFinder?: LinkFinder; linkRecorder?: LinkRecording },
  logger: Logger,
): Promise<Reply> {
  const service = deps.service;
  switch (parsed.kind) {
    case 'help':
      return helpReply();
    case 'stats':
      return { message: buildInfo(MESSAGES.stats(deps.cache.stats(), service.sourceDescription)), ephemeral: true };
    case 'refresh':
      return refreshReply(parsed.input, deps, logger);
    case 'graph':
      return replyAbout(parsed.input, service, logger);
    case 'infer':
      return inferReply(parsed.model, deps, logger);
    case 'notice':
      // impact and deprecate answer through their own listeners; reaching here means no Slack.
      return errorReply(MESSAGES.noticesNeedSlack);
    case 'unknown':
      return parsed.bare ? bareReply(parsed.word, parsed.suggestion, service, logger) : errorReply(MESSAGES.unknownSubcommand(parsed.word, parsed.suggestion), MESSAGES.helpHint);
    case 'missing':
      return errorReply(MESSAGES.missingArgument(parsed.subcommand), MESSAGES.usage(parsed.subcommand));
    case 'tooMany':
      return errorReply(
        MESSAGES.tooManyArguments(parsed.subcommand),
        parsed.spaced ? MESSAGES.quoteSpaces(parsed.subcommand, parsed.spaced) : MESSAGES.usage(parsed.subcommand),
      );
    case 'tooLong':
      return errorReply(MESSAGES.tooLong(parsed.max), MESSAGES.helpHint);
    case 'question':
      return replyToQuestion(parsed.request, service, logger);
  }
}

export async function replyToQuestion(request: QuestionRequest, service: LineageService, logger: Logger, page = 0): Promise<Reply> {
  try {
    const answer = await ask(service, request, page);
    const subject = answerSubject(answer);
    return {
      message: buildAnswer(answer, { page, request }),
      ephemeral: false,
      ...(subject ? { context: { question: request.question, input: subject.sourceUri ?? subject.name, kind: subject.kind, name: subject.name } } : {}),
    };
  } catch (error) {
    if (isLineageError(error)) return domainErrorReply(error, logger);
    logger.error(`Answering ${request.question} failed:`, error);
    return errorReply(MESSAGES.internal);
  }
}

/** Everything a name alone can stand for, with a first question to answer about each. */
const BARE_KINDS: readonly Kind[] = ['FeatureGroup', 'Model', 'ModelPackage', 'Endpoint', 'TrainingJob', 'ProcessingJob', 'FeaturePipeline', 'PipelineExecution', 'DataSource'];

/**
 * `/lineage customers`: a word that is no subcommand may name something; answered with the first
 * question about what it names, as a mention would be. Otherwise it was a mistyped subcommand.
 */
async function bareReply(word: string, suggestion: string | undefined, service: LineageService, logger: Logger): Promise<Reply> {
  let suggestions: readonly string[] = [];
  try {
    const subject = await service.resolve(word, BARE_KINDS);
    const request = questionFor(subject.ref.kind, word);
    if (request) return replyToQuestion(request, service, logger);
  } catch (error) {
    if (!isLineageError(error)) {
      logger.error('Resolving a bare word failed:', error);
      return errorReply(MESSAGES.internal);
    }
    // A name that exists but cannot be answered (no lineage, another account) says so; a word that
    // names nothing was probably a subcommand.
    if (!(error instanceof EntityNotFound) && error.code !== 'BadInput') return domainErrorReply(error, logger);
    if (error instanceof EntityNotFound) suggestions = error.suggestions;
  }
  if (suggestion) return errorReply(MESSAGES.unknownSubcommand(word, suggestion), MESSAGES.helpHint);
  return errorReply(MESSAGES.unknownWord(word), suggestions.length > 0 ? MESSAGES.didYouMean(suggestions) : MESSAGES.helpHint);
}

/** The first question's answer about whatever `input` names (what `graph` posts the picture under). */
export async function replyAbout(input: string, service: LineageService, logger: Logger): Promise<Reply> {
  try {
    const subject = await service.resolve(input, [...BARE_KINDS, 'Dataset']);
    const request = questionFor(subject.ref.kind, input);
    if (request) return await replyToQuestion(request, service, logger);
    return errorReply(MESSAGES.unknownWord(input), MESSAGES.helpHint);
  } catch (error) {
    if (isLineageError(error)) return domainErrorReply(error, logger);
    logger.error('Resolving an entity for a picture failed:', error);
    return errorReply(MESSAGES.internal);
  }
}

/**
 * Drops what the cache holds about an entity: every name it is known by (its name, resource ARN,
 * lineage ARNs). An entity that no longer resolves is still dropped by what was typed.
 */
async function refreshReply(input: string, deps: { service: LineageService; cache: CacheControl }, logger: Logger): Promise<Reply> {
  // What was cached before this command: resolving below reads into the cache, and those fresh
  // reads are dropped too but are not what the count should report.
  const heldBefore = deps.cache.keys();
  const refs = new Set([input]);
  let name = input;
  let missing: EntityNotFound | undefined;
  try {
    const subject = await deps.service.resolve(input, [...BARE_KINDS, 'Dataset']);
    name = subject.ref.name;
    for (const ref of [subject.ref.name, subject.ref.arn, subject.ref.sourceUri, ...subject.starts.map((s) => s.arn)]) if (ref) refs.add(ref);
  } catch (error) {
    if (!isLineageError(error)) throw error;
    logger.debug(`Refreshing "${input}" by its text only: ${error.code}`);
    if (error instanceof EntityNotFound) missing = error;
  }
  // Resolving read the entity into the cache again; drop that too, so the next answer reads afresh.
  const dropped = [...refs].flatMap((ref) => deps.cache.drop(ref)).filter((key) => heldBefore.has(key)).length;
  // Nothing by that name, and nothing cached under it either: say so rather than "refreshed".
  if (missing && dropped === 0) {
    return errorReply(MESSAGES.refreshNothing(input), missing.suggestions.length > 0 ? MESSAGES.didYouMean(missing.suggestions) : undefined);
  }
  return { message: buildInfo(MESSAGES.refreshed(name, dropped)), ephemeral: true };
}

/**
 * The proposals, only to the asker. Where the bot can record (SageMaker and a workspace), each has
 * a "Record this link" button for the feature group's owners and admins; otherwise the CLI records them.
 */
async function inferReply(model: string, deps: { linkFinder?: LinkFinder; linkRecorder?: LinkRecording }, logger: Logger): Promise<Reply> {
  const finder = deps.linkFinder;
  if (!finder) return errorReply(MESSAGES.inferNeedsSageMaker);
  try {
    const set = await finder.propose(model);
    const recordable = deps.linkRecorder !== undefined;
    const hint = recordable && set.proposals.length > 0 ? MESSAGES.inferRecordHint(model) : MESSAGES.inferApply(model, set.proposals.length);
    return { message: buildProposals(set, model, { recordable, hint }), ephemeral: true };
  } catch (error) {
    if (isLineageError(error)) return domainErrorReply(error, logger);
    logger.error('Inferring links failed:', error);
    return errorReply(MESSAGES.internal);
  }
}

function domainErrorReply(error: LineageError, logger: Logger): Reply {
  const text = lineageErrorText(error, logger);
  return errorReply(text.message, text.hint);
}
