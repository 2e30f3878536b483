import { buildDeprecateModal } from '../../blocks/notices/index.js';
import { DAY_MS, systemClock } from '../../src/notify/clock.js';
import { slackErrorCode } from '../../src/notify/slack-errors.js';
import { utcDate } from '../../src/notify/schedule.js';
import { featureGroupArgument } from './command-input.js';
import { noticeErrorText } from './errors.js';
import type { NoticeSubcommandArgs } from './impact-subcommand.js';
import { NOTICE_MESSAGES } from './messages.js';
import { respondError } from './respond.js';

/** The date the form suggests: far enough ahead for both reminders. */
const DEFAULT_LEAD_DAYS = 30;

/**
 * `/lineage deprecate <feature-group>`: checks that the user may announce (else says who can),
 * opens the modal at once — a trigger_id lasts three seconds — and fills the impact in when it is
 * known. Call it after ack().
 */
export async function deprecateSubcommand({ command, client, respond, logger, deps, input }: NoticeSubcommandArgs): Promise<void> {
  const argument = featureGroupArgument('deprecate', input);
  if ('problem' in argument) {
    await respondError(respond, { message: argument.problem });
    return;
  }
  let featureGroup: string;
  try {
    featureGroup = (await deps.notices.checkAnnouncer(argument.featureGroup, command.user_id)).name;
  } catch (error) {
    await respondError(respond, noticeErrorText(error, logger));
    return;
  }
  const now = (deps.clock ?? systemClock).now();
  const modal = { featureGroup, channelId: command.channel_id, initialDate: utcDate(now + DEFAULT_LEAD_DAYS * DAY_MS) };
  let opened;
  try {
    opened = await client.views.open({ trigger_id: command.trigger_id, view: buildDeprecateModal(modal) });
  } catch (error) {
    logger.warn(`Opening the deprecate modal failed: ${slackErrorCode(error)}`);
    await respondError(respond, { message: NOTICE_MESSAGES.modalExpired });
    return;
  }
  let update;
  try {
    update = buildDeprecateModal({ ...modal, impact: await deps.notices.impact(featureGroup) });
  } catch (error) {
    update = buildDeprecateModal({ ...modal, impactProblem: NOTICE_MESSAGES.impactFailed(noticeErrorText(error, logger).message) });
  }
  const view = opened.view;
  if (!view?.id) return;
  try {
    // The hash makes Slack refuse the update if the modal moved on (submitted or closed) meanwhile.
    await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: update });
  } catch (error) {
    logger.info(`The deprecate modal was not updated with the impact (${slackErrorCode(error)}); it was probably closed or submitted`);
  }
}
