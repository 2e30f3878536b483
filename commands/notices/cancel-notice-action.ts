import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ManageButton } from '../../blocks/notices/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { MESSAGES, NOTICE_MESSAGES } from '../messages.js';
import { notedRespond, respondError } from '../reply.js';

/**
 * "Cancel notice" on the live summary (after Slack's confirm dialog): the announcer or a lineage
 * admin cancels it — owners are told once through the outbox, the summary says so — and the
 * clicker alone is told it is done. Anyone else is refused, told who can, and nothing changes.
 */
export function cancelNoticeAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, body, respond: rawRespond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    const respond = notedRespond(rawRespond, deps.sourceNote);
    await ack();
    const value = action.type === 'button' ? ManageButton.decode(action.value) : undefined;
    if (!value) {
      await respondError(respond, { message: MESSAGES.unknownButton });
      return;
    }
    try {
      await deps.notices.cancel({ noticeId: value.n, userId: body.user.id });
    } catch (error) {
      await respondError(respond, noticeErrorText(error, logger));
      return;
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: NOTICE_MESSAGES.cancelledDone });
  };
}
