import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DEPRECATE_MODAL } from '../../blocks/notices/index.js';
import { InvalidNotice, NotAllowedToAnnounce, type InvalidNoticeField } from '../../src/notify/errors.js';
import type { AnnouncedKind } from '../../src/notify/notices.js';
import { slackErrorCode } from '../../src/notify/slack-errors.js';
import { MESSAGES } from '../messages.js';
import type { NoticeListenerDeps } from './deps.js';
import { noticeErrorText } from './errors.js';
import { NOTICE_MESSAGES } from './messages.js';
import { DeprecateModalMetadata, parseDeprecateForm, parseJson } from './values.js';

const FIELD_BLOCKS: Record<InvalidNoticeField, string> = {
  kind: DEPRECATE_MODAL.kindBlock,
  effectiveDate: DEPRECATE_MODAL.dateBlock,
  replacement: DEPRECATE_MODAL.replacementBlock,
  note: DEPRECATE_MODAL.noteBlock,
};

/** Why the form cannot be accepted, by input block, as views' `response_action: errors` wants it. */
function fieldErrors(error: unknown, deps: NoticeListenerDeps): Record<string, string> {
  if (error instanceof InvalidNotice) {
    const errors: Record<string, string> = {};
    for (const problem of error.problems) errors[FIELD_BLOCKS[problem.field]] ??= NOTICE_MESSAGES.invalid[problem.problem];
    return errors;
  }
  if (error instanceof NotAllowedToAnnounce) return { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.noLongerAllowed };
  noticeErrorText(error, deps.logger); // logs what the form cannot show
  return { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.checkFailed };
}

/**
 * The deprecate modal submitted: the fields are checked while the modal is still open (errors
 * appear next to the field), then the modal closes and the notice is created. A resubmission of
 * the same view creates nothing twice (the view id is the notice's idempotency key).
 */
export function deprecateSubmission(deps: NoticeListenerDeps) {
  return async ({ ack, body, view, client, logger }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const metadata = parseJson(DeprecateModalMetadata, view.private_metadata);
    if (!metadata) {
      logger.warn('Ignoring a deprecate modal whose private_metadata does not parse');
      await ack({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: MESSAGES.unknownButton } });
      return;
    }
    const form = parseDeprecateForm(view.state.values);
    const userId = body.user.id;
    const sourceKey = `view:${view.id}`;
    const fields = { featureGroup: metadata.fg, kind: form.kind as AnnouncedKind, effectiveDate: form.effectiveDate, replacement: form.replacement, note: form.note };
    try {
      await deps.notices.checkAnnouncer(metadata.fg, userId);
      await deps.notices.validate({ ...fields, sourceKey });
    } catch (error) {
      await ack({ response_action: 'errors', errors: fieldErrors(error, deps) });
      return;
    }
    await ack();
    try {
      await deps.notices.announce({ ...fields, userId, channelId: metadata.c, sourceKey });
    } catch (error) {
      // The modal is closed: the announcer hears about the failure by DM.
      const reason = noticeErrorText(error, logger).message;
      await client.chat
        .postMessage({ channel: userId, text: NOTICE_MESSAGES.announceFailed(metadata.fg, reason) })
        .catch((dmError: unknown) => logger.error(`Could not tell ${userId} their notice failed (${slackErrorCode(dmError)})`));
    }
  };
}
