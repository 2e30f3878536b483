import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildError } from '../../blocks/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { decodeNextStep } from '../../blocks/elements.js';
import type { QuestionRequest } from '../../src/lineage/questions.js';
import { lookingText, replyToQuestion } from './answer.js';
import type { ListenerDeps } from '../deps.js';
import { AnswerDelivery, withLookingState } from '../reply.js';
import { MESSAGES } from '../messages.js';

/**
 * A "next step" button under an answer: the answer goes into the thread of the message the
 * button is on (or, under an ephemeral message, only to the person who pressed it).
 */
export function nextStepAction(deps: ListenerDeps) {
  return async ({ action, body, ack, respond, client, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const step = action.type === 'button' ? decodeNextStep(action.value) : undefined;
    if (!step) {
      logger.warn(`Ignoring a next-step action whose value does not parse (${action.type})`);
      const message = withSourceNote(buildError(MESSAGES.unknownButton), deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    const request: QuestionRequest = { question: step.question, input: step.input, ...(step.as ? { as: step.as } : {}) };
    const work = replyToQuestion(request, deps.service, logger, step.page ?? 0);
    const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean } | undefined;
    const channel = body.channel?.id ?? container?.channel_id;
    if (!channel || container?.is_ephemeral) {
      const { text, blocks } = withSourceNote((await work).message, deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
      return;
    }
    const threadTs = body.message?.thread_ts ?? container?.thread_ts ?? container?.message_ts;
    const delivery = new AnswerDelivery({ client, channel, ...(threadTs ? { threadTs } : {}), respond }, deps.memory, logger, deps.sourceNote);
    const reply = await withLookingState(work, deps.lookingAfterMs, () => delivery.showLooking(lookingText(request)));
    await delivery.deliver(reply);
  };
}
