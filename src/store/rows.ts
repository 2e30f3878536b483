// Rows to the notices' model and back, for both dialects: the column names are the same, and
// numbers are read with Number() because PostgreSQL returns BIGINT as a string. JSON columns hold what this module wrote
// (the store is the only writer), so they are read back without re-validation.
import type { Acknowledgement, AuditEntry, Delivery, DeliveryKind, DeliveryStatus, NewDelivery, FeatureGroupSnapshot, NewNotice, NewRecipient, Notice, NoticeKind, Preparation, PresentGroup, Recipient } from '../notices/model.js';
import type { Row } from './sql.js';
import type { ThreadContext } from './types.js';

const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
const num = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));
const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;

/** Keeps only defined values, so values compare equal whichever dialect produced them. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, value]) => value !== undefined)) as T;
}

export function noticeFromRow(row: Row): Notice {
  return defined({
    id: String(row['id']),
    sourceKey: String(row['source_key']),
    featureGroup: String(row['feature_group']),
    featureGroupArn: text(row['feature_group_arn']),
    kind: String(row['kind']) as NoticeKind,
    effectiveDate: String(row['effective_date']),
    replacement: text(row['replacement']),
    note: text(row['note']),
    announcer: json<Notice['announcer']>(row['announcer']),
    summaryTarget: text(row['summary_target']),
    reportTo: text(row['report_to']),
    unreachable: json<Notice['unreachable']>(row['unreachable']),
    change: row['change'] === null || row['change'] === undefined ? undefined : json<NonNullable<Notice['change']>>(row['change']),
    lineageCut: row['lineage_cut'] === null || row['lineage_cut'] === undefined ? undefined : json<NonNullable<Notice['lineageCut']>>(row['lineage_cut']),
    features: row['features'] === null || row['features'] === undefined ? undefined : json<NonNullable<Notice['features']>>(row['features']),
    reminderDays: json<number[]>(row['reminder_days']),
    finalReportAt: Number(row['final_report_at']),
    createdAt: Number(row['created_at']),
    preparedAt: num(row['prepared_at']),
    failure: text(row['failure']),
    closedAt: num(row['closed_at']),
    cancelled: row['cancelled_at'] === null || row['cancelled_at'] === undefined ? undefined : { by: String(row['cancelled_by']), at: Number(row['cancelled_at']) },
    revision: Number(row['revision'] ?? 0),
    moved: row['moved_at'] === null || row['moved_at'] === undefined ? undefined : { from: String(row['moved_from']), at: Number(row['moved_at']), by: String(row['moved_by']) },
    summaryChannel: text(row['summary_channel']),
    summaryTs: text(row['summary_ts']),
    summaryVersion: Number(row['summary_version']),
    summaryRendered: Number(row['summary_rendered']),
  });
}

/** Column values of a new notice, in the order of NOTICE_COLUMNS. */
export const NOTICE_COLUMNS = [
  'id',
  'source_key',
  'feature_group',
  'feature_group_arn',
  'kind',
  'effective_date',
  'replacement',
  'note',
  'announcer',
  'summary_target',
  'report_to',
  'unreachable',
  'change',
  'reminder_days',
  'final_report_at',
  'created_at',
  'open_key',
  'prepared_at',
  'lineage_cut',
  'features',
] as const;

/** `prepared`: the impact is known (createNotice); false for an announcement just accepted (acceptNotice). */
export function noticeValues(id: string, notice: NewNotice, now: number, prepared: boolean): unknown[] {
  return [
    id,
    notice.sourceKey,
    notice.featureGroup,
    notice.featureGroupArn ?? null,
    notice.kind,
    notice.effectiveDate,
    notice.replacement ?? null,
    notice.note ?? null,
    JSON.stringify(notice.announcer),
    notice.summaryTarget ?? null,
    notice.reportTo ?? null,
    JSON.stringify(notice.unreachable),
    notice.change ? JSON.stringify(notice.change) : null,
    JSON.stringify(notice.reminderDays),
    notice.finalReportAt,
    now,
    openKey(notice),
    prepared ? now : null,
    notice.lineageCut ? JSON.stringify(notice.lineageCut) : null,
    notice.features ? JSON.stringify(notice.features) : null,
  ];
}

export function recipientValues(noticeId: string, recipient: NewRecipient): unknown[] {
  return [
    noticeId,
    recipient.key,
    recipient.type,
    recipient.targetId,
    recipient.label,
    JSON.stringify(recipient.owners),
    JSON.stringify(recipient.resources),
  ];
}

export function recipientFromRow(row: Row): Recipient {
  return {
    noticeId: String(row['notice_id']),
    key: String(row['key']),
    type: String(row['type']) as Recipient['type'],
    targetId: String(row['target_id']),
    label: String(row['label']),
    owners: json<string[]>(row['owners']),
    resources: json<Recipient['resources']>(row['resources']),
  };
}

export function deliveryFromRow(row: Row): Delivery {
  return defined({
    id: String(row['id']),
    noticeId: String(row['notice_id']),
    seq: Number(row['seq']),
    kind: String(row['kind']) as DeliveryKind,
    recipientKey: String(row['recipient_key']),
    days: Number(row['days']),
    target: String(row['target']),
    revision: Number(row['revision'] ?? 0),
    channelId: text(row['channel_id']),
    status: String(row['status']) as DeliveryStatus,
    attempts: Number(row['attempts']),
    nextAttemptAt: Number(row['next_attempt_at']),
    attemptStartedAt: num(row['attempt_started_at']),
    messageTs: text(row['message_ts']),
    error: text(row['error']),
    fallbackFrom: text(row['fallback_from']),
    maybeDuplicate: row['maybe_duplicate'] === true || Number(row['maybe_duplicate']) === 1 ? true : undefined,
    updatedAt: Number(row['updated_at']),
  });
}

export function preparationFromRow(row: Row): Preparation {
  return defined({
    noticeId: String(row['notice_id']),
    attempts: Number(row['attempts']),
    nextAttemptAt: Number(row['next_attempt_at']),
    error: text(row['error']),
  });
}

export function ackFromRow(row: Row): Acknowledgement {
  return {
    noticeId: String(row['notice_id']),
    recipientKey: String(row['recipient_key']),
    userId: String(row['user_id']),
    at: Number(row['at']),
  };
}

export function snapshotFromRow(row: Row): FeatureGroupSnapshot {
  return defined({
    featureGroup: String(row['feature_group']),
    arn: text(row['arn']),
    status: text(row['status']),
    deleted: Boolean(row['deleted']),
    features: json<FeatureGroupSnapshot['features']>(row['features']),
    hash: String(row['hash']),
    takenAt: Number(row['taken_at']),
    createdAt: num(row['created_at']),
  });
}

export function presentGroupFromRow(row: Row): PresentGroup {
  return defined({ featureGroup: String(row['feature_group']), createdAt: num(row['created_at']) });
}

export function auditFromRow(row: Row): AuditEntry {
  return defined({
    at: Number(row['at']),
    actor: String(row['actor']),
    action: String(row['action']),
    noticeId: text(row['notice_id']),
    detail: json<Record<string, unknown>>(row['detail']),
  });
}

export function threadContextFromRow(row: Row): ThreadContext {
  return { question: String(row['question']), input: String(row['input']), kind: String(row['kind']), name: String(row['name']) };
}

/** The deliveries a new notice starts with: one per recipient, then the summary. */
export function initialDeliveries(notice: NewNotice, recipients: readonly NewRecipient[]): NewDelivery[] {
  return [
    // The summary first: it is the announcer's confirmation, and it shows progress as the fan-out runs.
    ...(notice.summaryTarget ? [{ kind: 'summary' as const, recipientKey: '', days: 0, target: notice.summaryTarget }] : []),
    ...recipients.map((recipient) => ({ kind: 'notice' as const, recipientKey: recipient.key, days: 0, target: recipient.targetId })),
  ];
}

/** The key of the one open notice a person may have per feature group and kind (notices.open_key is unique). */
export function openKey(notice: { featureGroup: string; kind: string; announcer: { type: string } }): string | null {
  return notice.announcer.type === 'user' ? `${notice.kind}:${notice.featureGroup}` : null;
}
