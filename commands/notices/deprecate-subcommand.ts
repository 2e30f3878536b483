import type { Logger } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { buildDeprecateModal, type DeprecateModalInput } from '../../blocks/notices/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { DAY_MS, systemClock } from '../../src/notices/clock.js';
import { slackErrorCode } from '../../src/notices/slack/index.js';
import { utcDate } from '../../src/notices/schedule.js';
import { featureGroupArgument } from './command-input.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import type { NoticeSubcommandArgs } from './impact-subcommand.js';
import { NOTICE_MESSAGES } from '../messages.js';
import { notedRespond, respondError } from '../reply.js';

/** The date the form suggests: far enough ahead for both reminders. */
const DEFAULT_LEAD_DAYS = 30;

/** What views.update answers when the modal moved on meanwhile: closed (not_found) or changed (hash_conflict). */
const MODAL_GONE = new Set(['not_found', 'view_not_found', 'hash_conflict']);

/**
 * `/lineage deprecate <feature-group>`: opens the modal at once, before anything is looked up —
 * a trigger_id lasts three seconds, and checking who may announce already reads SageMaker —
 * then checks that the user may announce and works the impact out, and fills the modal in:
 * with the impact, or with why they cannot announce (saying who can). Call it after ack().
 */
export async function deprecateSubcommand({ command, client, respond: rawRespond, logger, deps, input }: NoticeSubcommandArgs): Promise<void> {
  const respond = notedRespond(rawRespond, deps.sourceNote);
  const argument = featureGroupArgument('deprecate', input);
  if ('problem' in argument) {
    await respondError(respond, { message: argument.problem });
    return;
  }
  const now = (deps.clock ?? systemClock).now();
  const modal: DeprecateModalInput = { featureGroup: argument.featureGroup, channelId: command.channel_id, initialDate: utcDate(now + DEFAULT_LEAD_DAYS * DAY_MS) };
  let opened;
  try {
    opened = await client.views.open({ trigger_id: command.trigger_id, view: withSourceNote(buildDeprecateModal(modal), deps.sourceNote) });
  } catch (error) {
    logger.warn(`Opening the deprecate modal failed: ${slackErrorCode(error)}`);
    await respondError(respond, { message: NOTICE_MESSAGES.modalExpired });
    return;
  }
  const update = withSourceNote(await filledIn(modal, command.user_id, deps, logger), deps.sourceNote);
  const view = opened.view;
  if (!view?.id) return;
  try {
    // The hash makes Slack refuse the update if the modal moved on (submitted or closed) meanwhile.
    await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: update });
  } catch (error) {
    const code = slackErrorCode(error);
    // Closed or submitted before the impact was known: nothing is left to show it in.
    if (MODAL_GONE.has(code)) logger.debug(`The deprecate modal was not updated (${code}); it was closed or submitted meanwhile`);
    else logger.warn(`Updating the deprecate modal failed: ${code}`);
  }
}

/** The modal as it should be once the check and the impact are known. */
async function filledIn(modal: DeprecateModalInput, userId: string, deps: NoticeListenerDeps, logger: Logger): Promise<ModalView> {
  let featureGroup: string;
  let features: { name: string; type: string }[];
  try {
    const resource = await deps.notices.checkAnnouncer(modal.featureGroup, userId);
    featureGroup = resource.name;
    features = resource.features.map((f) => ({ name: f.name, type: f.type }));
  } catch (error) {
    // Not an owner or admin, no such feature group, or SageMaker or Slack failing: said in the modal.
    return buildDeprecateModal({ ...modal, refusal: noticeErrorText(error, logger) });
  }
  try {
    return buildDeprecateModal({ ...modal, featureGroup, features, impact: await deps.notices.impact(featureGroup) });
  } catch (error) {
    return buildDeprecateModal({ ...modal, featureGroup, features, impactProblem: NOTICE_MESSAGES.impactFailed(noticeErrorText(error, logger).message) });
  }
}
