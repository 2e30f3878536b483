// The notice an owner gets (a DM, or one post in a team channel) and its reminders: what changes,
// when, the replacement, that owner's affected models and endpoints, and three buttons.
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { Acknowledgement, Notice, Recipient } from '../../src/notices/model.js';
import type { Message } from '../common.js';
import { compact, context, header, section } from '../elements.js';
import { code, escape, fitLines, LIMITS, plural, truncate } from '../text.js';
import { encodeNoticeButton } from './button-value.js';
import { NOTICE_ACTION, NOTICE_BLOCK } from './ids.js';
import { announcedBy, changeDetails, changeSentence, noticeDate, formatTime, KIND_TITLES, lineageCutReason, mention, resourceLine } from './words.js';

export function buildNoticeMessage(notice: Notice, recipient: Recipient, ack?: Acknowledgement): Message {
  return {
    text: `${KIND_TITLES[notice.kind]} of feature group ${escape(notice.featureGroup)} on ${noticeDate(notice)}: ${plural(recipient.resources.length, 'of your models/endpoints is', 'of your models/endpoints are')} affected`,
    blocks: compact([
      header(`${KIND_TITLES[notice.kind]}: feature group ${notice.featureGroup}`, NOTICE_BLOCK.header),
      ...body(notice, recipient),
      ack ? acknowledgedNote(ack) : undefined,
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

function acknowledgedNote(ack: Acknowledgement): KnownBlock {
  return context(`:white_check_mark: Acknowledged by ${mention(ack.userId)} on ${formatTime(ack.at)}.`, NOTICE_BLOCK.acknowledged);
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
