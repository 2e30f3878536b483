import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildError, decodeGraph } from '../../blocks/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import type { ListenerDeps } from '../deps.js';
import { MESSAGES } from '../messages.js';
import { postPicture } from './graph.js';

/**
 * The Graph button under an answer: the picture goes into the thread of the message the button
 * is on. Under a message only the presser saw (the impact answer) there is no thread to post
 * in, so the picture goes into the channel itself.
 */
export function graphAction(deps: ListenerDeps) {
  return async ({ action, body, ack, respond, client, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const request = action.type === 'button' ? decodeGraph(action.value) : undefined;
    const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean } | undefined;
    const channel = body.channel?.id ?? container?.channel_id;
    if (!request || !channel) {
      logger.warn(`Ignoring a Graph button ${request ? 'outside a channel' : `whose value does not parse (${action.type})`}`);
      const message = withSourceNote(buildError(request ? MESSAGES.pictureNeedsChannel : MESSAGES.unknownButton), deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    const threadTs = container?.is_ephemeral ? undefined : (body.message?.thread_ts ?? container?.thread_ts ?? container?.message_ts);
    await postPicture(deps, request, { channel, ...(threadTs ? { threadTs } : {}) }, { client, respond, logger });
  };
}
