import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DEPRECATE_MODAL, decodeModalMetadata } from '../../blocks/notices/index.js';
import { InvalidNotice, NotAllowedToAnnounce, type InvalidNoticeField } from '../../src/notices/errors.js';
import type { AnnouncedKind } from '../../src/notices/service.js';
import type { AcceptedNotice } from '../../src/notices/model.js';
import type { NoticeListenerDeps } from '../deps.js';
import { invalidProblemText, noticeErrorText } from '../errors.js';
import { MESSAGES, NOTICE_MESSAGES } from '../messages.js';
import { CHECK_BUDGET_MS, ChecksTooSlow, within } from './check-budget.js';
import { parseDeprecateForm } from './values.js';

const FIELD_BLOCKS: Record<InvalidNoticeField, string> = {
  kind: DEPRECATE_MODAL.kindBlock,
  effectiveDate: DEPRECATE_MODAL.dateBlock,
  replacement: DEPRECATE_MODAL.replacementBlock,
  note: DEPRECATE_MODAL.noteBlock,
  features: DEPRECATE_MODAL.featuresBlock,
  featureChange: DEPRECATE_MODAL.featureChangeBlock,
};

/** Why the form cannot be accepted, by input block, as views' `response_action: errors` wants it. */
function fieldErrors(error: unknown, deps: NoticeListenerDeps): Record<string, string> {
  if (error instanceof InvalidNotice) {
    const errors: Record<string, string> = {};
    for (const problem of error.problems) {
      errors[FIELD_BLOCKS[problem.field]] ??= invalidProblemText(problem);
    }
    return errors;
  }
  if (error instanceof NotAllowedToAnnounce) return { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.noLongerAllowed };
  if (error instanceof ChecksTooSlow) {
    deps.logger.warn(`Checking a deprecate submission took longer than ${error.message} ms; the announcer was asked to submit again`);
    return { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.checksTooSlow };
  }
  noticeErrorText(error, deps.logger); // logs what the form cannot show
  return { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.checkFailed };
}

/**
 * The deprecate modal submitted. The fields are checked while the modal is still open (errors
 * appear next to the field); the announcement is then stored — before Slack is answered, so a
 * crash once the modal has closed cannot lose it — and the modal closes. Who it reaches is worked
 * out afterwards from the stored record; if it cannot be sent, the announcer is told by DM. A
 * resubmission of the same view creates nothing twice (the view id is the notice's idempotency key).
 */
export function deprecateSubmission(deps: NoticeListenerDeps) {
  return async ({ ack, body, view }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const metadata = decodeModalMetadata(view.private_metadata);
    if (!metadata) {
      deps.logger.warn('Ignoring a deprecate modal whose private_metadata does not parse');
      await ack({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: MESSAGES.unknownButton } });
      return;
    }
    const form = parseDeprecateForm(view.state.values);
    const input = {
      featureGroup: metadata.featureGroup,
      kind: form.kind as AnnouncedKind,
      effectiveDate: form.effectiveDate,
      replacement: form.replacement,
      note: form.note,
      ...(form.features ? { features: { names: form.features, change: form.featureChange ?? '' } } : {}),
      userId: body.user.id,
      channelId: metadata.channelId,
      sourceKey: `view:${view.id}`,
    };
    let accepted;
    try {
      const checked: AcceptedNotice = await within(deps.notices.checkAnnouncement(input), deps.checkBudgetMs ?? CHECK_BUDGET_MS);
      // A failure to store it keeps the modal open with an error: nothing was accepted.
      accepted = await deps.notices.accept(checked);
    } catch (error) {
      await ack({ response_action: 'errors', errors: fieldErrors(error, deps) });
      return;
    }
    await ack();
    // Right away, here; should this process die first, the preparation loop of the next one resumes it.
    if (accepted.created) await deps.notices.prepare(accepted.notice.id);
  };
}
