import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildNoticeMessage } from '../../blocks/notices/index.js';
import { MESSAGES } from '../messages.js';
import type { NoticeListenerDeps } from './deps.js';
import { noticeErrorText } from './errors.js';
import { respondError } from './respond.js';
import { NoticeButtonValue, parseJson } from './values.js';

/**
 * Acknowledge on a notice or a reminder: the first click records it (and the summary catches up);
 * the message turns into its acknowledged form. A second click — a double click, or a teammate in
 * the same channel — changes nothing and shows who acknowledged.
 */
export function acknowledgeAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, body, respond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    await ack();
    const value = action.type === 'button' ? parseJson(NoticeButtonValue, action.value) : undefined;
    if (!value) {
      await respondError(respond, { message: MESSAGES.unknownButton });
      return;
    }
    try {
      const { notice, recipient, ack: acknowledgement } = await deps.notices.acknowledge(value.n, value.r, body.user.id);
      const message = buildNoticeMessage(notice, recipient, acknowledgement);
      await respond({ replace_original: true, text: message.text, blocks: message.blocks });
    } catch (error) {
      await respondError(respond, noticeErrorText(error, logger));
    }
  };
}
