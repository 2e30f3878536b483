import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ManageButton, MOVE_MODAL } from '../../blocks/notices/index.js';
import { InvalidNotice, NotAllowedToManage, NoticeNotFound, NoticeNotOpen } from '../../src/notices/errors.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { MESSAGES, NOTICE_MESSAGES } from '../messages.js';
import { CHECK_BUDGET_MS, ChecksTooSlow, within } from './check-budget.js';
import { parseMoveForm } from './values.js';

/** Why the date cannot be moved, in the words the form shows under its one field (plain text). */
function dateError(error: unknown, deps: NoticeListenerDeps): string {
  if (error instanceof InvalidNotice) return NOTICE_MESSAGES.invalid[error.problems[0]?.problem ?? 'date_invalid'];
  if (error instanceof NotAllowedToManage) {
    noticeErrorText(error, deps.logger); // logs the refusal
    return NOTICE_MESSAGES.noLongerAllowedToManage;
  }
  if (error instanceof NoticeNotOpen) return error.state === 'cancelled' ? NOTICE_MESSAGES.noticeCancelled : NOTICE_MESSAGES.noticeClosed;
  if (error instanceof NoticeNotFound) return NOTICE_MESSAGES.noticeNotFound;
  if (error instanceof ChecksTooSlow) {
    deps.logger.warn(`Moving a notice's date took longer than ${error.message} ms; the mover was asked to submit again`);
    return NOTICE_MESSAGES.checksTooSlow;
  }
  noticeErrorText(error, deps.logger); // logs what the form cannot show
  return NOTICE_MESSAGES.checkFailed;
}

/**
 * The move-date modal submitted: authorised again on the server (the announcer or an admin), the
 * date checked (not past, not too far, not the same), then moved in one transaction — owners told
 * once, reminders rescheduled — before the modal closes. A problem keeps the modal open with it.
 */
export function moveSubmission(deps: NoticeListenerDeps) {
  return async ({ ack, body, view }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const metadata = ManageButton.decode(view.private_metadata);
    if (!metadata) {
      deps.logger.warn('Ignoring a move-date modal whose private_metadata does not parse');
      await ack({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: MESSAGES.unknownButton } });
      return;
    }
    const { effectiveDate } = parseMoveForm(view.state.values);
    try {
      await within(deps.notices.move({ noticeId: metadata.n, userId: body.user.id, effectiveDate }), deps.checkBudgetMs ?? CHECK_BUDGET_MS);
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: dateError(error, deps) } });
      return;
    }
    await ack();
  };
}
