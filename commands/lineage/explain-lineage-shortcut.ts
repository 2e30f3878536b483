import { recogniseQuestions } from '../../src/lineage/recognise.js';
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { replyToQuestion } from './answer.js';
import type { ListenerDeps } from '../deps.js';
import { AnswerDelivery } from '../reply.js';
import { HINTS } from '../messages.js';
import { readSlackText } from '../slack-text.js';

export const EXPLAIN_LINEAGE_CALLBACK = 'explain_lineage';

/** Answers about at most this many things per message, so one paste cannot flood a thread. */
const MAX_ANSWERS = 3;

/**
 * Message shortcut "Explain lineage": finds ARNs, S3 URIs, console links and known names in the
 * message and answers in its thread; nothing recognisable gets a short hint only the user sees.
 */
export function explainLineageShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, respond, client, logger }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>): Promise<void> => {
    await ack();
    const requests = await recogniseQuestions(deps.service.lineageSource, readSlackText(shortcut.message.text ?? ''), MAX_ANSWERS);
    if (requests.length === 0) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: HINTS.nothingRecognised });
      return;
    }
    const threadTs = (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts;
    for (const request of requests) {
      const reply = await replyToQuestion(request, deps.service, logger);
      const delivery = new AnswerDelivery({ client, channel: shortcut.channel.id, threadTs, respond }, deps.memory, logger, deps.sourceNote);
      await delivery.deliver(reply);
    }
  };
}
