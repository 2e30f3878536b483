import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { buildError } from '../../blocks/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { LIMITS } from '../../blocks/text.js';
import { QUESTIONS, type QuestionRequest } from '../../src/lineage/questions.js';
import { lookingText, replyToQuestion } from '../answer.js';
import type { ListenerDeps } from '../deps.js';
import { AnswerDelivery, withLookingState } from '../deliver.js';
import { MESSAGES } from '../messages.js';

/**
 * The value a next-step button carries (see blocks/elements.ts encodeNextStep). Any input a button
 * could be built with is accepted: the button value's own limit bounds it.
 */
export const NextStepValue = z.object({
  q: z.enum(QUESTIONS),
  i: z.string().min(1).max(LIMITS.buttonValue),
  as: z.enum(['Model', 'Endpoint']).optional(),
  p: z.number().int().min(0).max(10_000).optional(),
});

function parseValue(value: string | undefined): z.infer<typeof NextStepValue> | undefined {
  if (!value) return undefined;
  try {
    const parsed = NextStepValue.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not JSON: a button from another app version; answered as unknown below
  }
}

/**
 * A "next step" button under an answer: the answer goes into the thread of the message the
 * button is on (or, under an ephemeral message, only to the person who pressed it).
 */
export function nextStepAction(deps: ListenerDeps) {
  return async ({ action, body, ack, respond, client, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const step = action.type === 'button' ? parseValue(action.value) : undefined;
    if (!step) {
      logger.warn(`Ignoring a next-step action whose value does not parse (${action.type})`);
      const message = withSourceNote(buildError(MESSAGES.unknownButton), deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    const request: QuestionRequest = { question: step.q, input: step.i, ...(step.as ? { as: step.as } : {}) };
    const work = replyToQuestion(request, deps.service, logger, step.p ?? 0);
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
