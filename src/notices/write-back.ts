// Write-back (NOTICE_WRITE_BACK): when a deprecation's date passes, the feature group is marked in
// SageMaker — tags on the group, and for a notice about some of its features only, parameters on
// each of those features' metadata — so that anyone reading the account, and the bot's own
// answers, see that it is deprecated and what replaces it.
//
// Exactly once: the reminder loop records the date's write-back milestone together with one
// 'write_back' outbox entry (one transaction, one leader), and the delivery worker carries it out
// under the outbox's claim, lease and retries, like a message. A crash before the write leaves the
// entry pending for the next process; a crash during it makes it run again, which changes nothing
// (both writes set values by key). A cancelled notice, or a moved date, cancels the entry; the
// moved date gets one of its own. Throttling and 5xx are retried with the outbox's backoff; a
// refusal that cannot pass (a missing permission, the group gone) is audited once and the
// announcer told once, and the entry is given up.
import type { Delivery, Notice } from './model.js';
import type { AuditLog, FeatureGroupMarker, Logger, Milestones, SendFailure } from './ports.js';
import type { LineageSource } from '../lineage/lineage-source.js';
import { DEPRECATION_TAGS } from '../lineage/deprecation.js';
import { EntityNotFound, LineageError, NotAuthorized, SourceUnavailable, Throttled } from '../lineage/errors.js';

/** Tag values allow letters, digits, spaces and _ . : / = + - @ (no < or >), up to 256 characters. */
const TAG_VALUE_NOT_ALLOWED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]+/gu;
/** Feature parameter values: the same without @, 1 to 255 characters. */
const PARAMETER_VALUE_NOT_ALLOWED = /[^\p{L}\p{Z}\p{N}_.:/=+-]+/gu;

/** Text made fit for a value SageMaker accepts: characters it refuses become spaces, then trimmed and cut. */
function fit(text: string, notAllowed: RegExp, max: number): string {
  return text.replace(notAllowed, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

export interface WriteBackPlan {
  /** Tags on the group: only for a notice about the whole group (a group some of whose features go is not deprecated). */
  tags?: Record<string, string>;
  /** Parameters on each feature's metadata, for a notice about some features only. */
  features: { name: string; parameters: Record<string, string> }[];
}

/**
 * What marks `notice`'s group: tags for the whole group, or — when `features` names some of its
 * features — parameters on each of them. Values SageMaker would refuse are made fit; an empty
 * replacement is left out.
 */
export function planWriteBack(notice: Pick<Notice, 'id' | 'effectiveDate' | 'replacement'>, features: readonly string[] = []): WriteBackPlan {
  const values = (notAllowed: RegExp, max: number) => {
    const replacement = notice.replacement ? fit(notice.replacement, notAllowed, max) : '';
    return {
      [DEPRECATION_TAGS.deprecated]: 'true',
      [DEPRECATION_TAGS.date]: notice.effectiveDate,
      ...(replacement ? { [DEPRECATION_TAGS.replacement]: replacement } : {}),
      [DEPRECATION_TAGS.notice]: fit(notice.id, notAllowed, max),
    };
  };
  if (features.length === 0) return { tags: values(TAG_VALUE_NOT_ALLOWED, 256), features: [] };
  return { features: features.map((name) => ({ name, parameters: values(PARAMETER_VALUE_NOT_ALLOWED, 255) })) };
}

/** The milestone that makes the announcer's "could not mark" message once per date. */
export function writeBackFailedMilestone(revision: number): string {
  return revision > 0 ? `write_back_failed@${revision}` : 'write_back_failed';
}

/** How a failed write counts for the outbox: retried (throttling, 5xx, timeouts) or given up. */
export function writeBackFailureOf(error: unknown): SendFailure {
  if (error instanceof NotAuthorized) return { type: 'permanent', error: error.permission ? `access_denied: ${error.permission}` : 'access_denied: credentials' };
  if (error instanceof EntityNotFound) return { type: 'permanent', error: 'feature_group_not_found' };
  if (error instanceof Throttled || error instanceof SourceUnavailable) return { type: 'transient', inDoubt: false, error: error.message };
  if (error instanceof LineageError) return { type: 'permanent', error: error.message };
  throw error;
}

export interface WriteBackRunnerOptions {
  marker: FeatureGroupMarker;
  /** Where a notice without the group's ARN finds it (DescribeFeatureGroup); uncached. */
  source: Pick<LineageSource, 'describeFeatureGroup'>;
  store: Milestones & AuditLog;
  logger: Logger;
  /** Drops cached lineage about the group, so the next answer reads its new tags. */
  invalidate?: (ref: string) => void;
}

/** Carries out a claimed 'write_back' entry for the delivery worker, which records the outcome. */
export class WriteBackRunner {
  constructor(private readonly options: WriteBackRunnerOptions) {}

  /**
   * Why `delivery` must not be written any more (the notice was cancelled, or its date moved while
   * it was claimed), or undefined when it should be.
   */
  superseded(delivery: Delivery, notice: Notice): string | undefined {
    if (notice.cancelled) return 'notice_cancelled';
    if ((delivery.revision ?? 0) !== notice.revision) return 'date_moved';
    return undefined;
  }

  /** Marks the group. Throws what the marker threw (writeBackFailureOf sorts it). */
  async write(notice: Notice): Promise<WriteBackPlan> {
    // A notice about some features (the form's feature picker) marks those features, not the group.
    const plan = planWriteBack(notice, notice.features?.names ?? []);
    if (plan.tags) {
      const arn = notice.featureGroupArn ?? (await this.options.source.describeFeatureGroup(notice.featureGroup))?.arn;
      if (!arn) throw new EntityNotFound(notice.featureGroup, [], 'feature group');
      await this.options.marker.tagFeatureGroup(arn, plan.tags);
    }
    for (const feature of plan.features) await this.options.marker.setFeatureParameters(notice.featureGroup, feature.name, feature.parameters);
    return plan;
  }

  /** After the outbox recorded the write: audit it, and let answers see it. */
  async written(notice: Notice, plan: WriteBackPlan, now: number): Promise<void> {
    this.options.invalidate?.(notice.featureGroup);
    if (notice.featureGroupArn) this.options.invalidate?.(notice.featureGroupArn);
    this.options.logger.info(`Notice ${notice.id}: marked feature group ${notice.featureGroup} deprecated in SageMaker`);
    await this.options.store.appendAudit({
      at: now,
      actor: 'scheduler',
      action: 'notice.written_back',
      noticeId: notice.id,
      detail: { featureGroup: notice.featureGroup, ...(plan.tags ? { tags: plan.tags } : {}), features: plan.features.map((f) => f.name) },
    });
  }

  /**
   * After the outbox gave the write up (`error`: the failure's code, with no secret in it): one
   * audit entry and one message to the announcer (or whoever gets the final report) per date.
   * Returns whether a message was enqueued.
   */
  async gaveUp(notice: Notice, delivery: Delivery, error: string, now: number): Promise<boolean> {
    const to = notice.reportTo ?? (notice.announcer.type === 'user' ? notice.announcer.userId : undefined);
    const revision = delivery.revision ?? 0;
    const deliveries = to ? [{ kind: 'write_back_failed' as const, recipientKey: '', days: 0, revision, target: to }] : [];
    const first = await this.options.store.completeMilestone(notice.id, writeBackFailedMilestone(revision), deliveries, now);
    if (!first) return false;
    this.options.logger.error(`Notice ${notice.id}: could not mark feature group ${notice.featureGroup} deprecated in SageMaker: ${error}`);
    await this.options.store.appendAudit({ at: now, actor: 'scheduler', action: 'notice.write_back_failed', noticeId: notice.id, detail: { featureGroup: notice.featureGroup, error } });
    return deliveries.length > 0;
  }
}
