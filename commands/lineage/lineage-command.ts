import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { lookingText, replyToCommand } from './answer.js';
import type { ListenerDeps } from '../deps.js';
import { AnswerDelivery, withLookingState } from '../reply.js';
import { deprecateSubcommand } from '../notices/deprecate-subcommand.js';
import { impactSubcommand } from '../notices/impact-subcommand.js';
import { parseCommandText } from '../subcommands.js';
import { postPicture } from './graph.js';

/**
 * `/lineage <subcommand> …`: acknowledge at once, then answer in the channel (or only to the asker);
 * `graph` then posts the picture in the answer's thread.
 */
export function lineageCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client, logger, ...rest }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = parseCommandText(command.text);
    if (parsed.kind === 'notice' && deps.notices) {
      const run = parsed.action === 'impact' ? impactSubcommand : deprecateSubcommand;
      await run({ command, ack, respond, client, logger, ...rest, deps: deps.notices, input: parsed.input });
      return;
    }
    const delivery = new AnswerDelivery({ client, channel: command.channel_id, respond }, deps.memory, logger, deps.sourceNote);
    const reply = await withLookingState(replyToCommand(parsed, deps, logger), deps.lookingAfterMs, () =>
      parsed.kind === 'question' ? delivery.showLooking(lookingText(parsed.request)) : Promise.resolve(),
    );
    const key = await delivery.deliver(reply);
    // The picture goes under the answer; an answer that was an error (or went by response_url) has no thread.
    if (parsed.kind === 'graph' && key && !reply.ephemeral) await postPicture(deps, { input: parsed.input, view: 'lineage' }, key, { client, respond, logger });
  };
}
