import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeNoticeButton } from '../../blocks/notices/index.js';
import { MESSAGES } from '../messages.js';
import { replyToQuestion } from '../lineage/answer.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { notedRespond, respondError } from '../reply.js';

/** "Show lineage" on a notice: the models and endpoints downstream of the feature group, to the clicker only. */
export function showLineageAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, respond: rawRespond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    const respond = notedRespond(rawRespond, deps.sourceNote);
    await ack();
    const value = action.type === 'button' ? decodeNoticeButton(action.value) : undefined;
    if (!value) {
      await respondError(respond, { message: MESSAGES.unknownButton });
      return;
    }
    let input: string;
    try {
      const { notice } = await deps.notices.status(value.n);
      input = notice.featureGroupArn ?? notice.featureGroup;
    } catch (error) {
      await respondError(respond, noticeErrorText(error, logger));
      return;
    }
    const reply = await replyToQuestion({ question: 'consumers', input }, deps.service, logger);
    await respond({ response_type: 'ephemeral', replace_original: false, text: reply.message.text, blocks: reply.message.blocks });
  };
}
