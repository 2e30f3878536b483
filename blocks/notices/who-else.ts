// "Who else is affected": every owner a notice went to, with where they stand, and who could not
// be reached. Shown only to the person who asked.
import type { NoticeStatus, RecipientStatus } from '../../src/notices/status.js';
import type { Message } from '../common.js';
import { compact, context, header, section } from '../elements.js';
import { code, escape, fitLines } from '../text.js';
import { NOTICE_BLOCK } from './ids.js';
import { cutNote } from './summary.js';
import { deliveryError, noticeDate, KIND_TITLES, resourceNames, unreachableLine } from './words.js';

function state(recipient: RecipientStatus): string {
  if (recipient.ack) return ':white_check_mark: acknowledged';
  if (recipient.delivery?.status === 'failed') return `:warning: ${deliveryError(recipient.delivery.error)}`;
  if (recipient.delivery?.status === 'sent') return ':hourglass: not acknowledged yet';
  if (recipient.delivery?.status === 'cancelled') return ':no_entry_sign: not sent: the notice was cancelled first';
  return ':outbox_tray: being delivered';
}

export function buildWhoElse(status: NoticeStatus): Message {
  const notice = status.notice;
  const lines = status.recipients.map((r) => `• ${escape(r.label)} — ${resourceNames(r.resources)} — ${state(r)}`);
  return {
    text: `Who is affected by the ${KIND_TITLES[notice.kind].toLowerCase()} of ${escape(notice.featureGroup)}: ${status.recipients.length} owners`,
    blocks: compact([
      header(`Who is affected: ${notice.featureGroup}`, NOTICE_BLOCK.header),
      section(
        lines.length > 0
          ? fitLines([`*${status.recipients.length} ${status.recipients.length === 1 ? 'owner was' : 'owners were'} told about this change to ${code(notice.featureGroup)}*`, ...lines])
          : `Nobody else was told about this change to ${code(notice.featureGroup)}.`,
        NOTICE_BLOCK.recipients,
      ),
      notice.unreachable.length > 0 ? section(fitLines(['*Owners who cannot be reached*', ...notice.unreachable.map(unreachableLine)]), NOTICE_BLOCK.unreachable) : undefined,
      cutNote(notice),
      context(`Effective ${noticeDate(notice)}.`, NOTICE_BLOCK.footer),
    ]),
  };
}
