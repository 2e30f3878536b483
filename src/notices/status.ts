// Where a notice stands — each recipient with their delivery and acknowledgement — and the
// renderer port through which the worker turns it into messages (Slack's, for the poster in
// src/notices/slack/). The builders live in blocks/notices/ (blocks may use src/, not the
// reverse); the composition root injects them.
import type { Acknowledgement, Delivery, Notice, Recipient } from './model.js';
import type { NoticeReads } from './ports.js';

export interface RecipientStatus extends Recipient {
  /** The first ('notice') delivery to this recipient. */
  delivery?: Pick<Delivery, 'status' | 'error' | 'attempts' | 'maybeDuplicate'>;
  ack?: Acknowledgement;
  /** Set once they were escalated (escalation.ts): the channel it went to, when it was sent. */
  escalatedTo?: string;
}

export interface NoticeStatus {
  notice: Notice;
  recipients: RecipientStatus[];
}

export interface NoticeRenderer<Message> {
  /** The notice as its owner sees it (DM or team channel); with `ack`, in its acknowledged form. */
  notice(notice: Notice, recipient: Recipient, ack?: Acknowledgement): Message;
  /** `daysLeft`: calendar days (UTC) until the effective date when it is sent; 0 on the day. */
  reminder(notice: Notice, recipient: Recipient, daysLeft: number): Message;
  /** The announcing channel's live summary. */
  summary(status: NoticeStatus): Message;
  /** What the announcer gets on the effective date. */
  finalReport(status: NoticeStatus): Message;
  /** What the announcer gets when an announcement accepted from them could not be sent (`notice.failure` says why). */
  announceFailed(notice: Notice): Message;
  /** What an owner who got the notice is told when it is cancelled, or its date moved (`notice.movedFrom` → `notice.effectiveDate`). */
  changed(notice: Notice, recipient: Recipient, change: 'cancelled' | 'moved'): Message;
  /** What a team channel is told about an owner who did not acknowledge by the last reminder. */
  escalation(notice: Notice, recipient: Recipient): Message;
  /** What the announcer is told when the group could not be marked deprecated in SageMaker (`error`: the failure's code). */
  writeBackFailed(notice: Notice, error: string): Message;
}

export async function loadNoticeStatus(store: NoticeReads, noticeId: string): Promise<NoticeStatus | undefined> {
  const notice = await store.getNotice(noticeId);
  if (!notice) return undefined;
  const [recipients, deliveries, acks] = await Promise.all([store.listRecipients(noticeId), store.listDeliveries(noticeId), store.listAcknowledgements(noticeId)]);
  const deliveryOf = new Map(deliveries.filter((d) => d.kind === 'notice').map((d) => [d.recipientKey, d]));
  const escalationOf = new Map(deliveries.filter((d) => d.kind === 'escalation' && d.status === 'sent').map((d) => [d.recipientKey, d]));
  const ackOf = new Map(acks.map((a) => [a.recipientKey, a]));
  return {
    notice,
    recipients: recipients.map((recipient) => {
      const delivery = deliveryOf.get(recipient.key);
      const ack = ackOf.get(recipient.key);
      const escalation = escalationOf.get(recipient.key);
      return {
        ...recipient,
        ...(delivery
          ? {
              delivery: {
                status: delivery.status,
                attempts: delivery.attempts,
                ...(delivery.error ? { error: delivery.error } : {}),
                ...(delivery.maybeDuplicate ? { maybeDuplicate: true } : {}),
              },
            }
          : {}),
        ...(ack ? { ack } : {}),
        ...(escalation ? { escalatedTo: escalation.channelId ?? escalation.target } : {}),
      };
    }),
  };
}
