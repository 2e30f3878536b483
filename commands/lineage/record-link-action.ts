import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildError, buildInfo, type Message } from '../../blocks/index.js';
import { buildProposals, decodeRecordLink, type RecordLinkRequest } from '../../blocks/proposals.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { escape } from '../../blocks/text.js';
import { NotAuthorized } from '../../src/lineage/errors.js';
import { NotAllowedToAnnounce } from '../../src/notices/errors.js';
import { RecordingIncomplete } from '../../src/record/index.js';
import { describeCounts } from '../../src/record/apply.js';
import type { ListenerDeps } from '../deps.js';
import { lineageErrorText, noticeErrorText } from '../errors.js';
import { MESSAGES, NOTICE_MESSAGES } from '../messages.js';

/**
 * "Record this link" under a proposal of the `infer` answer. The presser must own the feature
 * group (its owner tags) or be a lineage admin; the link is recorded idempotently, and the answer
 * is redrawn with "Recorded by @user" where the proposal was. Everything else the presser is told
 * on its own, leaving the answer as it was.
 */
export function recordLinkAction(deps: ListenerDeps) {
  return async ({ action, body, ack, respond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const tell = async (message: Message) => {
      const { text, blocks } = withSourceNote(message, deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
    };
    const request = action.type === 'button' ? decodeRecordLink(action.value) : undefined;
    if (!request) {
      logger.warn(`Ignoring a Record this link button whose value does not parse (${action.type})`);
      return tell(buildError(MESSAGES.unknownButton));
    }
    const recorder = deps.linkRecorder;
    if (!recorder || !deps.linkFinder) return tell(buildError(MESSAGES.recordLinkUnavailable));
    const user = body.user.id;
    let outcome;
    try {
      outcome = await recorder.record({ trainingJob: request.trainingJob, channel: request.channel, featureGroup: request.featureGroup }, user);
    } catch (error) {
      return tell(refusalOrFailure(error, logger));
    }
    if (outcome.outcome === 'already') return tell(buildInfo(MESSAGES.recordLinkAlready));
    if (outcome.outcome === 'gone') return tell(buildError(MESSAGES.recordLinkGone));
    logger.info(`${user} recorded feature group ${request.featureGroup} → channel ${request.channel} of ${request.trainingJob}: ${describeCounts(outcome.applied)}`);
    await redraw(deps, request, user, respond, logger);
  };
}

/** The answer again, read afresh, with the recorded link marked; if that read fails, the presser is told it was recorded. */
async function redraw(
  deps: ListenerDeps,
  request: RecordLinkRequest,
  user: string,
  respond: SlackActionMiddlewareArgs<BlockAction>['respond'],
  logger: AllMiddlewareArgs['logger'],
): Promise<void> {
  const recorded = { trainingJob: request.trainingJob, channel: request.channel, featureGroup: request.featureGroup, by: user };
  let message: Message;
  try {
    const set = await (deps.linkFinder as NonNullable<ListenerDeps['linkFinder']>).propose(request.subject);
    message = buildProposals(set, request.subject, { recordable: true, recorded, ...(set.proposals.length > 0 ? { hint: MESSAGES.inferRecordHint(request.subject) } : {}) });
  } catch (error) {
    logger.warn(`Redrawing the infer answer of ${request.subject} after recording failed:`, error);
    message = buildInfo(`:white_check_mark: Recorded by <@${escape(user)}>: feature group ${escape(request.featureGroup)} → channel "${escape(request.channel)}" of training job ${escape(request.trainingJob)}.`);
  }
  const { text, blocks } = withSourceNote(message, deps.sourceNote);
  await respond({ response_type: 'ephemeral', replace_original: true, text, blocks });
}

function refusalOrFailure(error: unknown, logger: AllMiddlewareArgs['logger']): Message {
  if (error instanceof NotAllowedToAnnounce) {
    return buildError(NOTICE_MESSAGES.notAllowed(error.featureGroup, error.owners, error.admins, MESSAGES.recordLinkNotAllowed), MESSAGES.recordLinkNotAllowedHint);
  }
  if (error instanceof RecordingIncomplete) {
    const refused = error.cause instanceof NotAuthorized && !error.cause.credentials;
    if (refused) logger.warn(`SageMaker refused a recording from Slack: ${error.cause.message}`);
    const cause = refused
      ? { message: MESSAGES.recordLinkNotAuthorized((error.cause as NotAuthorized).permission), hint: MESSAGES.recordLinkNotAuthorizedHint }
      : lineageErrorText(error.cause, logger);
    return buildError(MESSAGES.recordLinkIncomplete(cause.message, describeCounts(error.applied)), cause.hint);
  }
  // Slack look-ups of the owners, SageMaker's errors, and the rest (logged) as every listener says them.
  const text = noticeErrorText(error, logger);
  return buildError(text.message, text.hint);
}
