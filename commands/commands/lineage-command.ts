import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { replyToCommand } from '../answer.js';
import type { ListenerDeps } from '../deps.js';
import { parseCommandText } from '../subcommands.js';

/** `/lineage <subcommand> …`: acknowledge at once, then answer through the response URL. */
export function lineageCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, logger }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    await ack();
    const reply = await replyToCommand(parseCommandText(command.text), deps.service, logger);
    await respond({
      response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
      text: reply.message.text,
      blocks: reply.message.blocks,
    });
  };
}
