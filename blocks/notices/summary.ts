// The announcing channel's live summary (updated in place as owners acknowledge) and the final
// report the announcer gets on the effective date. Both are views of one NoticeStatus.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { NoticeStatus, RecipientStatus } from '../../src/notices/status.js';
import type { Notice } from '../../src/notices/model.js';
import type { Message } from '../common.js';
import { compact, context, header, section } from '../elements.js';
import { code, escape, fitLines, LIMITS, truncate } from '../text.js';
import { table, type CellPart, type TableColumn } from '../table.js';
import { isLate } from '../../src/notices/schedule.js';
import { ManageButton } from './button-value.js';
import { NOTICE_ACTION, NOTICE_BLOCK } from './ids.js';
import {
  announcedBy,
  changeDetails,
  changeSentence,
  channelMention,
  deliveryError,
  noticeDate,
  formatTime,
  KIND_TITLES,
  lineageCutReason,
  mention,
  movedLine,
  noticeSubject,
  resourceCellName,
  resourceNames,
  unreachableLine,
} from './words.js';

interface Tally {
  acknowledged: RecipientStatus[];
  pending: RecipientStatus[];
  failed: RecipientStatus[];
  sending: RecipientStatus[];
}

function tally(status: NoticeStatus): Tally {
  const result: Tally = { acknowledged: [], pending: [], failed: [], sending: [] };
  for (const recipient of status.recipients) {
    if (recipient.ack) result.acknowledged.push(recipient);
    else if (recipient.delivery?.status === 'failed') result.failed.push(recipient);
    else if (recipient.delivery?.status === 'sent') result.pending.push(recipient);
    else result.sending.push(recipient);
  }
  return result;
}

const who = (r: RecipientStatus) => `• ${escape(r.label)} — ${resourceNames(r.resources)}${r.escalatedTo ? ` — escalated to ${channelMention(r.escalatedTo)}` : ''}`;
/** An acknowledgement on or after the date is accepted, and said to be late. */
const acknowledgedLine = (notice: Notice) => (r: RecipientStatus) =>
  r.ack
    ? `• ${escape(r.label)} — ${r.type === 'channel' ? `by ${mention(r.ack.userId)}, ` : ''}${formatTime(r.ack.at)}${isLate(notice, r.ack.at) ? ' (late, after the date)' : ''}`
    : who(r);
const maybeTwice = (status: NoticeStatus) => status.recipients.filter((r) => r.delivery?.maybeDuplicate).map(who);
const failedLine = (r: RecipientStatus) => `• ${escape(r.label)} — ${deliveryError(r.delivery?.error)} (${resourceNames(r.resources)})`;

function list(blockId: string, title: string, lines: readonly string[]): KnownBlock | undefined {
  return lines.length > 0 ? section(fitLines([`*${title}*`, ...lines]), blockId) : undefined;
}

/** Where a table is not allowed (a modal, App Home), the summary and report keep their lists. */
export interface SummaryOptions {
  tables?: boolean;
}

/** A recipient's state, as the table's Status column says it; `report`: on the final report, where the notice is over. */
function statusCell(notice: Notice, r: RecipientStatus, report: boolean): string | CellPart[] {
  if (r.ack) return 'acknowledged';
  if (r.delivery?.status === 'failed') return `not delivered: ${deliveryError(r.delivery.error, true)}`;
  const state =
    report ? 'did not acknowledge'
    : notice.cancelled ? 'had not acknowledged when cancelled'
    : notice.closedAt !== undefined ? 'never acknowledged'
    : r.delivery?.status === 'sent' ? 'waiting'
    : 'being delivered';
  return r.escalatedTo ? [`${state}; escalated to `, { channel: r.escalatedTo }] : state;
}

/** When, and for a team channel by whom; late when on or after the date. */
function acknowledgedCell(notice: Notice, r: RecipientStatus): string | CellPart[] {
  if (!r.ack) return '—';
  const when = `${formatTime(r.ack.at)}${isLate(notice, r.ack.at) ? ' (late, after the date)' : ''}`;
  return r.type === 'channel' ? ['by ', { user: r.ack.userId }, `, ${when}`] : when;
}

const recipientColumns = (notice: Notice, report: boolean): TableColumn<RecipientStatus>[] => [
  { title: 'Owner', cell: (r) => r.label },
  { title: 'Models and endpoints', cell: (r) => r.resources.map(resourceCellName).join(', '), wrap: true },
  { title: 'Status', cell: (r) => statusCell(notice, r, report), wrap: true },
  { title: 'Acknowledged', cell: (r) => acknowledgedCell(notice, r) },
];

/** The owners as one table, in the order the lists had them; cut at Slack's row cap, and said so. */
function recipientTable(notice: Notice, recipients: readonly RecipientStatus[], report = false): (KnownBlock | undefined)[] {
  if (recipients.length === 0) return [];
  const { block, shown } = table(NOTICE_BLOCK.recipientTable, recipientColumns(notice, report), recipients);
  return [
    block,
    shown < recipients.length ? context(`The table shows the first ${shown} of ${recipients.length} owners: a table holds no more.`, NOTICE_BLOCK.recipientsCut) : undefined,
  ];
}

function tallyText(status: NoticeStatus, t: Tally): string {
  const total = status.recipients.length;
  if (total === 0) {
    return status.notice.lineageCut
      ? 'No owner could be notified: nothing found downstream before the lineage walk stopped has a reachable owner.'
      : 'No owner could be notified: nothing downstream has a reachable owner.';
  }
  const cancelled = status.notice.cancelled;
  const parts = [
    ...(cancelled ? [`:no_entry_sign: *Cancelled* by ${mention(cancelled.by)} on ${formatTime(cancelled.at)}; every owner who got the notice was told.`] : []),
    `*${t.acknowledged.length} of ${total}* ${total === 1 ? 'owner has' : 'owners have'} acknowledged.`,
  ];
  if (t.sending.length > 0 && !cancelled) parts.push(`Delivering: ${total - t.sending.length} of ${total} sent so far.`);
  if (t.failed.length > 0) parts.push(`${t.failed.length} could not be reached.`);
  if (status.notice.closedAt !== undefined && !cancelled) parts.push(`Closed ${formatTime(status.notice.closedAt)}; the final report went to the announcer.`);
  return parts.join(' ');
}

/** Said on the summary and the final report of a notice whose lineage walk was cut short. */
export function cutNote(notice: NoticeStatus['notice']): KnownBlock | undefined {
  const cut = notice.lineageCut;
  return cut
    ? context(`:warning: The lineage walk behind this notice stopped early (${lineageCutReason(cut)}): owners of models and endpoints beyond it were not told.`, NOTICE_BLOCK.truncation)
    : undefined;
}

function headline(status: NoticeStatus): string[] {
  const notice = status.notice;
  return [
    `${changeSentence(notice)} ${announcedBy(notice)}`,
    ...(notice.moved ? [movedLine(notice)] : []),
    ...(notice.replacement ? [`*Replacement:* ${code(notice.replacement)}`] : []),
    ...changeDetails(notice.change),
  ];
}

/** Said wherever a message was sent again without the channel's history to check it against. */
const MAYBE_TWICE_TITLE =
  'May have received it twice (sent again after an interruption; the bot cannot read their channel to check whether the first one arrived)';

/** The title of those who have not acknowledged: still awaited, or — once the notice is over — never did. */
function notAcknowledgedTitle(notice: Notice): string {
  if (notice.cancelled) return 'Had not acknowledged when it was cancelled';
  return notice.closedAt !== undefined ? 'Never acknowledged' : 'Waiting for';
}

/**
 * Move date and Cancel notice, while the notice is open. Anyone in the channel sees them; the
 * listeners let only the announcer and the lineage admins use them.
 */
function manageButtons(notice: Notice): ActionsBlock | undefined {
  if (notice.closedAt !== undefined) return undefined;
  const value = ManageButton.encode({ n: notice.id });
  return {
    type: 'actions',
    block_id: NOTICE_BLOCK.manage,
    elements: [
      { type: 'button', action_id: NOTICE_ACTION.move, text: { type: 'plain_text', text: 'Move date', emoji: false }, value },
      {
        type: 'button',
        action_id: NOTICE_ACTION.cancel,
        style: 'danger',
        text: { type: 'plain_text', text: 'Cancel notice', emoji: false },
        value,
        confirm: {
          title: { type: 'plain_text', text: 'Cancel this notice?' },
          text: { type: 'mrkdwn', text: truncate(`Every owner who got it is told it is cancelled, and no reminders follow. This cannot be undone.`, 300) },
          confirm: { type: 'plain_text', text: 'Cancel notice' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      },
    ],
  };
}

export function buildSummary(status: NoticeStatus, { tables = true }: SummaryOptions = {}): Message {
  const notice = status.notice;
  const t = tally(status);
  const waiting = [...t.pending, ...(notice.cancelled ? [] : t.sending)];
  return {
    text: `${KIND_TITLES[notice.kind]} of ${escape(noticeSubject(notice))} on ${noticeDate(notice)}: ${t.acknowledged.length} of ${status.recipients.length} owners acknowledged`,
    blocks: compact([
      header(`${KIND_TITLES[notice.kind]} of ${noticeSubject(notice)} — ${notice.effectiveDate} UTC`, NOTICE_BLOCK.header),
      section(fitLines(headline(status)), NOTICE_BLOCK.change),
      notice.note ? section(`*Note:* ${escape(truncate(notice.note, LIMITS.sectionText - 100))}`, NOTICE_BLOCK.note) : undefined,
      section(tallyText(status, t), NOTICE_BLOCK.tally),
      ...(tables
        ? recipientTable(notice, [...waiting, ...t.acknowledged, ...t.failed])
        : [
            list(NOTICE_BLOCK.pending, notAcknowledgedTitle(notice), waiting.map(who)),
            list(NOTICE_BLOCK.acknowledgedList, 'Acknowledged', t.acknowledged.map(acknowledgedLine(notice))),
            list(NOTICE_BLOCK.failed, 'Could not be delivered', t.failed.map(failedLine)),
          ]),
      list(NOTICE_BLOCK.unreachable, 'Owners who cannot be reached', notice.unreachable.map(unreachableLine)),
      list(NOTICE_BLOCK.maybeTwice, MAYBE_TWICE_TITLE, maybeTwice(status)),
      cutNote(notice),
      context(`Each owner was told once, with an Acknowledge button. Notice ${code(notice.id)}.`, NOTICE_BLOCK.footer),
      manageButtons(notice),
    ]),
  };
}

export function buildFinalReport(status: NoticeStatus, { tables = true }: SummaryOptions = {}): Message {
  const notice = status.notice;
  const t = tally(status);
  const total = status.recipients.length;
  const verdict =
    total === 0
      ? notice.lineageCut
        ? 'No owner could be notified among what the lineage walk reached.'
        : 'No owner could be notified.'
      : t.acknowledged.length === total
        ? `:white_check_mark: All ${total} owners acknowledged.`
        : `:warning: *${t.acknowledged.length} of ${total}* owners acknowledged; ${total - t.acknowledged.length} did not.`;
  return {
    text: `Final report: ${KIND_TITLES[notice.kind].toLowerCase()} of ${escape(noticeSubject(notice))} (${noticeDate(notice)}): ${t.acknowledged.length} of ${total} owners acknowledged`,
    blocks: compact([
      header(`Final report: ${KIND_TITLES[notice.kind].toLowerCase()} of ${noticeSubject(notice)}`, NOTICE_BLOCK.header),
      section(fitLines(headline(status)), NOTICE_BLOCK.change),
      section(verdict, NOTICE_BLOCK.tally),
      ...(tables
        ? [...recipientTable(notice, [...t.pending, ...t.sending, ...t.failed, ...t.acknowledged], true), list(NOTICE_BLOCK.unreachable, 'Owners who cannot be reached', notice.unreachable.map(unreachableLine))]
        : [
            list(NOTICE_BLOCK.pending, 'Did not acknowledge', [...t.pending, ...t.sending].map(who)),
            list(NOTICE_BLOCK.failed, 'Could not be delivered', t.failed.map(failedLine)),
            list(NOTICE_BLOCK.unreachable, 'Owners who cannot be reached', notice.unreachable.map(unreachableLine)),
            list(NOTICE_BLOCK.acknowledgedList, 'Acknowledged', t.acknowledged.map(acknowledgedLine(notice))),
          ]),
      list(NOTICE_BLOCK.maybeTwice, MAYBE_TWICE_TITLE, maybeTwice(status)),
      cutNote(notice),
      context(`Notice ${code(notice.id)}, effective ${noticeDate(notice)}.`, NOTICE_BLOCK.footer),
    ]),
  };
}

/**
 * To the announcer, when an announcement accepted from them was never sent. `notice.failure` is
 * words the notice listeners chose (commands/notices), already escaped where they hold data.
 */
export function buildAnnounceFailed(notice: Notice): Message {
  const what = `Your ${KIND_TITLES[notice.kind].toLowerCase()} notice about feature group ${code(notice.featureGroup)} (${noticeDate(notice)})`;
  const line = `${what} was not sent: ${notice.failure ?? 'it could not be prepared.'}`;
  return {
    text: truncate(line, LIMITS.fallbackText),
    blocks: compact([
      section(truncate(line, LIMITS.sectionText), NOTICE_BLOCK.failure),
      context(`Nobody was notified. Notice ${code(notice.id)}; announce it again with ${code(`/lineage deprecate ${notice.featureGroup}`)}.`, NOTICE_BLOCK.footer),
    ]),
  };
}
