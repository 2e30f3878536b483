import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildWhoElse, decodeNoticeButton } from '../../blocks/notices/index.js';
import { MESSAGES } from '../messages.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { notedRespond, respondError } from '../reply.js';

/** "Who else is affected": every owner the notice went to and where they stand, to the clicker only. */
export function whoElseAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, respond: rawRespond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    const respond = notedRespond(rawRespond, deps.sourceNote);
    await ack();
    const value = action.type === 'button' ? decodeNoticeButton(action.value) : undefined;
    if (!value) {
      await respondError(respond, { message: MESSAGES.unknownButton });
      return;
    }
    try {
      const message = buildWhoElse(await deps.notices.status(value.n));
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    } catch (error) {
      await respondError(respond, noticeErrorText(error, logger));
    }
  };
}
