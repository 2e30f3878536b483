import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildError, buildInfo, decodeGraph } from '../../blocks/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import type { ListenerDeps } from '../deps.js';
import { MESSAGES } from '../messages.js';
import { slackError } from '../reply.js';
import { postPicture } from './graph.js';

/**
 * The Graph button under an answer: the picture goes into the thread of the message the button
 * is on. Under a message only the presser saw (the impact answer) there is no thread, and the
 * channel did not ask: the picture goes to the presser's direct message with the bot, and they
 * are told so where they pressed.
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
    const tell = async (text: string, build = buildError) => {
      const message = withSourceNote(build(text), deps.sourceNote);
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    };
    if (container?.is_ephemeral) {
      let direct: string | undefined;
      try {
        direct = (await client.conversations.open({ users: body.user.id })).channel?.id;
      } catch (error) {
        logger.error(`Opening a direct message for a private answer's picture failed: ${slackError(error) ?? (error as Error).message}`);
      }
      if (!direct) return tell(MESSAGES.pictureFailed);
      if (await postPicture(deps, request, { channel: direct }, { client, respond, logger })) await tell(MESSAGES.pictureSentDirect, buildInfo);
      return;
    }
    const threadTs = body.message?.thread_ts ?? container?.thread_ts ?? container?.message_ts;
    await postPicture(deps, request, { channel, ...(threadTs ? { threadTs } : {}) }, { client, respond, logger });
  };
}
