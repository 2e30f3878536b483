// The notice an owner gets (a DM, or one post in a team channel) and its reminders: what changes,
// when, the replacement, that owner's affected models and endpoints, and three buttons.
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { Acknowledgement, Notice, Recipient } from '../../src/notices/model.js';
import type { Message } from '../common.js';
import { compact, context, header, section } from '../elements.js';
import { code, escape, fallback, fitLines, LIMITS, plural, truncate } from '../text.js';
import { encodeNoticeButton } from './button-value.js';
import { NOTICE_ACTION, NOTICE_BLOCK } from './ids.js';
import { isLate } from '../../src/notices/schedule.js';
import { announcedBy, changeDetails, changeSentence, channelMention, noticeDate, formatTime, featuresOf, KIND_TITLES, lineageCutReason, mention, movedLine, noticeSubject, resourceLine } from './words.js';

export function buildNoticeMessage(notice: Notice, recipient: Recipient, ack?: Acknowledgement): Message {
  return {
    text: `${KIND_TITLES[notice.kind]} of ${escape(noticeSubject(notice))} on ${noticeDate(notice)}: ${plural(recipient.resources.length, 'of your models/endpoints is', 'of your models/endpoints are')} affected`,
    blocks: compact([
      header(`${KIND_TITLES[notice.kind]}: ${noticeSubject(notice)}`, NOTICE_BLOCK.header),
      ...body(notice, recipient),
      ack ? acknowledgedNote(notice, ack) : undefined,
      actions(notice, recipient, !ack),
    ]),
  };
}

export function buildReminder(notice: Notice, recipient: Recipient, daysLeft: number): Message {
  const when = daysLeft > 1 ? `in ${daysLeft} days` : daysLeft === 1 ? 'tomorrow' : daysLeft === 0 ? 'today' : 'already due';
  return {
    text: `Reminder: ${KIND_TITLES[notice.kind].toLowerCase()} of feature group ${escape(notice.featureGroup)} ${when} (${noticeDate(notice)}); please acknowledge`,
    blocks: compact([
      header(`Reminder: ${KIND_TITLES[notice.kind].toLowerCase()} of ${notice.featureGroup} ${when}`, NOTICE_BLOCK.header),
      context(`:hourglass: Nobody has acknowledged this notice for ${recipient.type === 'channel' ? 'this team' : 'you'} yet.`, NOTICE_BLOCK.footer),
      ...body(notice, recipient),
      actions(notice, recipient, true),
    ]),
  };
}

function body(notice: Notice, recipient: Recipient): (KnownBlock | undefined)[] {
  const details = [
    ...(notice.replacement ? [`*Replacement:* ${code(notice.replacement)}`] : []),
    ...changeDetails(notice.change),
  ];
  const whose = recipient.type === 'channel' ? "This team's affected models and endpoints" : 'Your affected models and endpoints';
  return [
    section(`${changeSentence(notice)} ${announcedBy(notice)}`, NOTICE_BLOCK.change),
    details.length > 0 ? section(fitLines(details), NOTICE_BLOCK.details) : undefined,
    notice.note ? section(`*Note:* ${escape(truncate(notice.note, LIMITS.sectionText - 100))}`, NOTICE_BLOCK.note) : undefined,
    section(fitLines([`*${whose}*`, ...recipient.resources.map(resourceLine)]), NOTICE_BLOCK.affected),
    notice.lineageCut
      ? context(
          `:warning: The lineage walk behind this notice stopped early (${lineageCutReason(notice.lineageCut)}), so more of ${recipient.type === 'channel' ? "this team's" : 'your'} models and endpoints may be affected.`,
          NOTICE_BLOCK.truncation,
        )
      : undefined,
  ];
}

function acknowledgedNote(notice: Notice, ack: Acknowledgement): KnownBlock {
  const late = isLate(notice, ack.at) ? ` — late, after the effective date (${noticeDate(notice)})` : '';
  return context(`:white_check_mark: Acknowledged by ${mention(ack.userId)} on ${formatTime(ack.at)}${late}.`, NOTICE_BLOCK.acknowledged);
}

/**
 * What an owner who got the notice is told, once, when it is cancelled (no buttons: there is
 * nothing left to acknowledge) or its date moved (the notice again, with the new date and its buttons).
 */
export function buildChangedNotice(notice: Notice, recipient: Recipient, change: 'cancelled' | 'moved'): Message {
  const kind = KIND_TITLES[notice.kind].toLowerCase();
  if (change === 'cancelled') {
    const by = notice.cancelled ? ` by ${mention(notice.cancelled.by)}` : '';
    return {
      text: fallback(`Cancelled: the ${kind} of feature group ${notice.featureGroup} (${noticeDate(notice)}) will not happen`),
      blocks: compact([
        header(`Cancelled: ${kind} of ${notice.featureGroup}`, NOTICE_BLOCK.header),
        section(`:no_entry_sign: The ${kind} of ${featuresOf(notice)}feature group ${code(notice.featureGroup)} announced for *${noticeDate(notice)}* was cancelled${by}. Nothing is asked of ${recipient.type === 'channel' ? 'this team' : 'you'} any more, and no reminders will follow.`, NOTICE_BLOCK.changed),
        section(fitLines([`*${recipient.type === 'channel' ? "This team's" : 'Your'} models and endpoints it named*`, ...recipient.resources.map(resourceLine)]), NOTICE_BLOCK.affected),
      ]),
    };
  }
  return {
    text: fallback(`Date moved: the ${kind} of feature group ${notice.featureGroup} is now on ${noticeDate(notice)}`),
    blocks: compact([
      header(`Date moved: ${kind} of ${notice.featureGroup}`, NOTICE_BLOCK.header),
      section(`:calendar: ${movedLine(notice)}`, NOTICE_BLOCK.changed),
      ...body(notice, recipient),
      actions(notice, recipient, true),
    ]),
  };
}

/**
 * Posted in a team channel (or NOTICE_ESCALATION_CHANNEL) about an owner who had not acknowledged
 * by the last reminder. It names them on purpose — a mention of that one person or channel, never
 * a broadcast — and carries no Acknowledge button: that belongs in the owner's own conversation.
 */
export function buildEscalation(notice: Notice, recipient: Recipient): Message {
  const kind = KIND_TITLES[notice.kind].toLowerCase();
  const who = recipient.type === 'user' ? mention(recipient.targetId) : channelMention(recipient.targetId);
  return {
    text: fallback(`Not acknowledged: ${recipient.label} has not acknowledged the ${kind} of feature group ${notice.featureGroup} (${noticeDate(notice)})`),
    blocks: compact([
      header(`Not acknowledged: ${kind} of ${notice.featureGroup}`, NOTICE_BLOCK.header),
      section(
        `:rotating_light: ${who} (${escape(recipient.label)}) has not acknowledged the ${kind} of ${featuresOf(notice)}feature group ${code(notice.featureGroup)} on *${noticeDate(notice)}*, after the last reminder.`,
        NOTICE_BLOCK.escalation,
      ),
      section(fitLines([`*Their affected models and endpoints*`, ...recipient.resources.map(resourceLine)]), NOTICE_BLOCK.affected),
      context(`${announcedBy(notice)} Escalated once; notice ${code(notice.id)}.`, NOTICE_BLOCK.footer),
    ]),
  };
}

function actions(notice: Notice, recipient: Recipient, canAcknowledge: boolean): ActionsBlock {
  const value = encodeNoticeButton({ n: notice.id, r: recipient.key });
  const button = (actionId: string, text: string, style?: 'primary'): Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: false },
    value,
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: NOTICE_BLOCK.actions,
    elements: [
      ...(canAcknowledge ? [button(NOTICE_ACTION.acknowledge, 'Acknowledge', 'primary')] : []),
      button(NOTICE_ACTION.showLineage, 'Show lineage'),
      button(NOTICE_ACTION.whoElse, 'Who else is affected'),
    ],
  };
}
