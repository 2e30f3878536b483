import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AnnouncedKind } from '../../src/notices/service.js';
import type { NoticeListenerDeps } from '../deps.js';
import { errorSentence, failWith, succeed } from './finish.js';
import { ANNOUNCE_OUTPUT, WORKFLOW_FUNCTION } from './ids.js';
import { AnnounceInputs, parseInputs } from './inputs.js';
import { WORKFLOW_MESSAGES } from './messages.js';

/**
 * "Announce a feature group change": starts a notice exactly as the deprecate modal does, through
 * the same NoticeService calls — who may announce (the group's owners by tag, and the lineage
 * admins), every field checked, one open notice per kind — for the person who ran the workflow
 * (its user context, which Slack sets and a builder cannot). The summary goes to the `channel`
 * input, else to that person's DM; so does the final report. The function execution is the
 * notice's idempotency key: a redelivered event creates nothing twice. With `features`, only
 * those features change (`feature_change` says how), as when some are picked in the modal.
 */
export function announceFunction(deps: NoticeListenerDeps) {
  return async ({ inputs, event, complete, fail, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'function_executed'>): Promise<void> => {
    const end = { complete, fail, logger, step: WORKFLOW_FUNCTION.announce };
    const parsed = parseInputs(AnnounceInputs, inputs);
    if ('problem' in parsed) return failWith(end, parsed.problem);
    const input = parsed.inputs;
    const userId = input.announcer.id;
    let accepted;
    try {
      const checked = await deps.notices.checkAnnouncement({
        featureGroup: input.feature_group,
        // The service refuses a kind it does not know (kind_unknown), as it does the modal's.
        kind: input.kind as AnnouncedKind,
        effectiveDate: input.effective_date,
        ...(input.replacement ? { replacement: input.replacement } : {}),
        ...(input.message ? { note: input.message } : {}),
        ...(input.features && input.features.length > 0 ? { features: { names: input.features, change: input.feature_change ?? '' } } : {}),
        userId,
        channelId: input.channel ?? userId,
        sourceKey: `function:${event.function_execution_id}`,
      });
      accepted = await deps.notices.accept(checked);
    } catch (error) {
      return failWith(end, errorSentence(error, logger));
    }
    const { notice } = accepted;
    const outputs = { [ANNOUNCE_OUTPUT.noticeId]: notice.id, [ANNOUNCE_OUTPUT.featureGroup]: notice.featureGroup, [ANNOUNCE_OUTPUT.effectiveDate]: notice.effectiveDate };
    // A redelivery of the same run: the notice exists and is (being) prepared by whoever accepted it.
    if (!accepted.created) return succeed(end, { ...outputs, [ANNOUNCE_OUTPUT.status]: 'sent' });
    const outcome = await deps.notices.prepare(notice.id);
    if (outcome.status === 'prepared') {
      return succeed(end, { ...outputs, [ANNOUNCE_OUTPUT.status]: 'sent', [ANNOUNCE_OUTPUT.owners]: outcome.impact.recipients.length });
    }
    if (outcome.status === 'failed') return failWith(end, WORKFLOW_MESSAGES.announceFailed(errorSentence(outcome.error, logger)));
    // Retrying (or claimed elsewhere): stored, and sent once who it reaches is known.
    return succeed(end, { ...outputs, [ANNOUNCE_OUTPUT.status]: 'pending' });
  };
}
