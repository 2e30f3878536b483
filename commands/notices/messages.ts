// User-facing messages of notices, one per situation, exported so tests assert on them.
// Text from users and data is escaped here.
import { code } from '../../blocks/text.js';
import type { InvalidNoticeProblem } from '../../src/notices/errors.js';
import { MAX_DAYS_AHEAD } from '../../src/notices/schedule.js';
import { COMMAND } from '../subcommands.js';

const mention = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : code(id));
const channelMention = (id: string) => (/^[CG][A-Z0-9]{2,}$/.test(id) ? `<#${id}>` : code(id));

export const NOTICE_MESSAGES = {
  missingFeatureGroup: (subcommand: string) => `${code(`${COMMAND} ${subcommand}`)} needs a feature group, e.g. ${code(`${COMMAND} ${subcommand} customers`)}.`,
  featureGroupTooLong: (max: number) => `That is too long to be a feature group name or ARN (${max} characters at most).`,
  oneFeatureGroup: (subcommand: string) => `${code(`${COMMAND} ${subcommand}`)} takes one feature group (a name or an ARN).`,
  notAllowed: (featureGroup: string, owners: readonly string[], admins: readonly string[]) => {
    const who = [
      ...(owners.length > 0 ? [`the owners of ${code(featureGroup)} (${owners.map((o) => (/^[UW][A-Z0-9]{2,}$/.test(o) ? mention(o) : code(o))).join(', ')})`] : []),
      ...(admins.length > 0 ? [`the lineage admins (${admins.map(mention).join(', ')})`] : []),
    ];
    return who.length > 0
      ? `Only ${who.join(' and ')} can announce a change to feature group ${code(featureGroup)}.`
      : `Nobody can announce a change to feature group ${code(featureGroup)}: it has no owner tag and no lineage admins are configured (LINEAGE_ADMINS).`;
  },
  notAllowedHint: 'Ask one of them to announce it, or have the owner tag of the feature group updated.',
  invalid: {
    kind_unknown: 'Choose the kind of change.',
    already_announced: 'A notice of this kind about this feature group is still open: its owners were told and are being reminded. Choose another kind, or wait until its date has passed.',
    date_invalid: 'Choose a date (YYYY-MM-DD).',
    date_past: 'The effective date cannot be in the past.',
    date_too_far: `The effective date must be within ${Math.floor(MAX_DAYS_AHEAD / 365)} years.`,
    replacement_not_found: 'There is no feature group by that name.',
    replacement_same: 'The replacement must be a different feature group.',
    note_too_long: 'The note is too long.',
  } satisfies Record<InvalidNoticeProblem, string>,
  /** The notice already open, named by its date (the form's errors are plain text). */
  alreadyAnnouncedFor: (effectiveDate: string) =>
    `A notice of this kind about this feature group, effective ${effectiveDate}, is already open: its owners were told and are being reminded. Choose another kind, or wait until its date has passed.`,
  checksTooSlow: 'SageMaker or Slack is answering slowly, so this could not be checked in time. Submit again in a moment; nothing was sent.',
  noLongerAllowed: 'You are no longer allowed to announce a change to this feature group.',
  checkFailed: 'This could not be checked right now. Try again in a minute.',
  slackUnavailable: 'Slack did not answer while looking owners up. Try again in a minute.',
  slackRefused: (slackError: string) => `Slack refused to look the owners up (${code(slackError)}); an administrator has to fix the bot's installation (details are in the log).`,
  noticeNotFound: 'That notice no longer exists.',
  /** A click on Acknowledge that changed nothing, by why (each says so: nothing was recorded). */
  acknowledgeRefused: {
    not_the_owner: (ownerId: string) => `Only ${mention(ownerId)} can acknowledge this notice: it was sent to them. Nothing was recorded.`,
    not_in_channel: (channelId: string) => `Only members of ${channelMention(channelId)} can acknowledge this notice for the team. Nothing was recorded.`,
    not_a_recipient: 'This button does not belong to a recipient of that notice, so nothing was recorded.',
    wrong_conversation: 'This button does not belong to a notice sent to this conversation, so nothing was recorded.',
  },
  acknowledgeNotUnderstood: 'That button is no longer understood, so nothing was recorded.',
  acknowledgeCheckFailed: 'Slack did not answer while checking that you are in the team channel, so nothing was recorded. Try again in a minute.',
  modalExpired: 'Slack gave up waiting for the form to open. Run the command again.',
  impactFailed: (reason: string) => `The impact could not be worked out (${reason}); the notice can still be announced and will be worked out again.`,
} as const;
