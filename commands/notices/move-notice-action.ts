import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildMoveModal, ManageButton } from '../../blocks/notices/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { slackErrorCode } from '../../src/notices/slack/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { MESSAGES, NOTICE_MESSAGES } from '../messages.js';
import { notedRespond, respondError } from '../reply.js';

/**
 * "Move date" on the live summary: for the announcer or a lineage admin, the move-date modal opens
 * (the check is one store read, well inside the trigger's 3 seconds); anyone else is refused and
 * told who can. The submission is checked again (move-submission.ts).
 */
export function moveNoticeAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, body, client, respond: rawRespond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    const respond = notedRespond(rawRespond, deps.sourceNote);
    await ack();
    const value = action.type === 'button' ? ManageButton.decode(action.value) : undefined;
    if (!value) {
      await respondError(respond, { message: MESSAGES.unknownButton });
      return;
    }
    let notice;
    try {
      notice = await deps.notices.checkManager(value.n, body.user.id);
    } catch (error) {
      await respondError(respond, noticeErrorText(error, logger));
      return;
    }
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: withSourceNote(buildMoveModal(notice), deps.sourceNote) });
    } catch (error) {
      logger.warn(`Opening the move-date modal failed: ${slackErrorCode(error)}`);
      await respondError(respond, { message: NOTICE_MESSAGES.modalExpired });
    }
  };
}
