import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { buildError } from '../../blocks/index.js';
import { QUESTIONS } from '../../src/lineage/questions.js';
import { replyToQuestion } from '../answer.js';
import type { ListenerDeps } from '../deps.js';
import { MESSAGES } from '../messages.js';

/** The value a next-step button carries (see blocks/elements.ts encodeNextStep). */
export const NextStepValue = z.object({
  q: z.enum(QUESTIONS),
  i: z.string().min(1).max(1500),
  as: z.enum(['Model', 'Endpoint']).optional(),
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

/** A "next step" button under an answer: answers the question it carries as a new message. */
export function nextStepAction(deps: ListenerDeps) {
  return async ({ action, ack, respond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const step = action.type === 'button' ? parseValue(action.value) : undefined;
    if (!step) {
      logger.warn(`Ignoring a next-step action whose value does not parse (${action.type})`);
      const message = buildError(MESSAGES.unknownButton);
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    const reply = await replyToQuestion({ question: step.q, input: step.i, ...(step.as ? { as: step.as } : {}) }, deps.service, logger);
    await respond({
      response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
      replace_original: false,
      text: reply.message.text,
      blocks: reply.message.blocks,
    });
  };
}
