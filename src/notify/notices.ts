// Change and deprecation notices: who may announce, what is checked, and what a notice is made of
// when it is created. Creating one only writes to the store — the notice, one delivery per owner,
// the summary — and the delivery worker sends from there, so a crash never loses an announcement.
import type { Logger } from '@slack/bolt';
import { EntityNotFound } from '../lineage/errors.js';
import { parseReference } from '../lineage/reference.js';
import type { LineageService } from '../lineage/service.js';
import type { FeatureGroupResource, LineageSource } from '../lineage/source.js';
import type { AckRecord, DetectedChange, NewNotice, NoticeKind, NoticeRecord, RecipientRecord, Store } from '../store/types.js';
import type { AcknowledgeAuthorizer, AcknowledgeClick, AnnounceAuthorizer } from './authorize.js';
import type { Clock } from './clock.js';
import type { NotifyConfig } from './config.js';
import { InvalidNotice, NotAllowedToAcknowledge, NoticeNotFound, type InvalidNoticeField, type InvalidNoticeProblem } from './errors.js';
import type { Impact, ImpactAnalyzer } from './impact.js';
import type { OwnerResolver } from './owners.js';
import { checkEffectiveDate, finalReportAt, utcDate } from './schedule.js';
import { loadNoticeStatus, type NoticeStatus } from './status.js';

/** What a person can announce (the watcher also announces deletions). */
export const ANNOUNCED_KINDS = ['deprecation', 'breaking_schema_change', 'data_change'] as const satisfies readonly NoticeKind[];
export type AnnouncedKind = (typeof ANNOUNCED_KINDS)[number];
export const MAX_NOTE_LENGTH = 1500;

export interface AnnounceInput {
  featureGroup: string;
  kind: AnnouncedKind;
  effectiveDate: string;
  replacement?: string;
  note?: string;
  userId: string;
  /** Where the announcement was made: the summary goes there. */
  channelId: string;
  /** Idempotency key of the submission (the modal's view id): a resubmission creates nothing twice. */
  sourceKey: string;
}

export interface NoticeServiceDeps {
  store: Store;
  service: LineageService;
  source: LineageSource;
  impact: ImpactAnalyzer;
  authorizer: AnnounceAuthorizer;
  acknowledgers: AcknowledgeAuthorizer;
  owners: OwnerResolver;
  config: Pick<NotifyConfig, 'reminderDays' | 'ownerTagKeys' | 'channelTagKeys'>;
  clock: Clock;
  logger: Logger;
  /** Called after deliveries were enqueued or a summary changed, to wake the delivery worker. */
  onEnqueued?: () => void;
}

/** A notice from a walk cut short keeps where it stopped, so that it can say owners beyond were not told. */
function lineageCut(impact: Impact): Pick<NewNotice, 'lineageCut'> {
  const cut = impact.truncation;
  return cut ? { lineageCut: { depthExceeded: cut.depthExceeded, sizeExceeded: cut.sizeExceeded, maxDepth: cut.maxDepth, maxVertices: cut.maxVertices } } : {};
}

export class NoticeService {
  constructor(private readonly deps: NoticeServiceDeps) {}

  /** Who a change to the group would reach, without telling anyone. */
  impact(featureGroup: string): Promise<Impact> {
    return this.deps.impact.analyze(featureGroup);
  }

  /** The feature group, if it exists and `userId` may announce a change to it. */
  async checkAnnouncer(featureGroup: string, userId: string): Promise<FeatureGroupResource> {
    const resource = await this.featureGroup(featureGroup);
    await this.deps.authorizer.authorize(resource, userId);
    return resource;
  }

  /**
   * Checks the fields of an announcement, reporting every bad one at once. With `sourceKey`, the
   * notice that submission already created does not count as a second one.
   */
  async validate(input: Pick<AnnounceInput, 'featureGroup' | 'kind' | 'effectiveDate' | 'replacement' | 'note'> & { sourceKey?: string }): Promise<void> {
    const problems: { field: InvalidNoticeField; problem: InvalidNoticeProblem; value?: string }[] = [];
    if (!(ANNOUNCED_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', problem: 'kind_unknown' });
    else {
      // Owners told twice about one change, with two dates, would not know which one holds.
      const name = (await this.existingFeatureGroup(input.featureGroup))?.name ?? input.featureGroup;
      const running = (await this.deps.store.listOpenNotices()).find((n) => n.featureGroup === name && n.kind === input.kind && n.sourceKey !== input.sourceKey);
      if (running) problems.push({ field: 'kind', problem: 'already_announced', value: running.effectiveDate });
    }
    const date = checkEffectiveDate(input.effectiveDate, this.deps.clock.now());
    if (date !== 'ok') problems.push({ field: 'effectiveDate', problem: date, value: input.effectiveDate });
    if (input.replacement !== undefined) {
      const replacement = await this.existingFeatureGroup(input.replacement);
      if (!replacement) problems.push({ field: 'replacement', problem: 'replacement_not_found', value: input.replacement });
      else if (replacement.name === (await this.existingFeatureGroup(input.featureGroup))?.name) {
        problems.push({ field: 'replacement', problem: 'replacement_same', value: input.replacement });
      }
    }
    if (input.note !== undefined && input.note.length > MAX_NOTE_LENGTH) problems.push({ field: 'note', problem: 'note_too_long' });
    if (problems.length > 0) throw new InvalidNotice(problems);
  }

  /** Creates a person's notice: checked again here, since the modal may have been open a while. */
  async announce(input: AnnounceInput): Promise<{ notice: NoticeRecord; created: boolean; impact: Impact }> {
    const resource = await this.checkAnnouncer(input.featureGroup, input.userId);
    await this.validate(input);
    const impact = await this.deps.impact.analyze(resource.name);
    const now = this.deps.clock.now();
    const replacement = input.replacement ? ((await this.existingFeatureGroup(input.replacement))?.name ?? input.replacement) : undefined;
    const notice: NewNotice = {
      sourceKey: input.sourceKey,
      featureGroup: resource.name,
      featureGroupArn: resource.arn,
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      ...(replacement ? { replacement } : {}),
      ...(input.note ? { note: input.note } : {}),
      announcer: { type: 'user', userId: input.userId },
      summaryTarget: input.channelId,
      reportTo: input.userId,
      unreachable: impact.unreachable,
      ...lineageCut(impact),
      reminderDays: [...this.deps.config.reminderDays],
      finalReportAt: finalReportAt(input.effectiveDate, now),
    };
    const result = await this.create(notice, impact, input.userId, now);
    return { ...result, impact };
  }

  /** Creates the watcher's notice of a breaking change it detected; effective today. */
  async announceDetectedChange(featureGroup: { name: string; arn?: string }, change: DetectedChange, sourceKey: string): Promise<{ notice: NoticeRecord; created: boolean }> {
    const impact = await this.deps.impact.analyze(featureGroup.arn ?? featureGroup.name, featureGroup.arn);
    const now = this.deps.clock.now();
    const effectiveDate = utcDate(now);
    const target = await this.watcherTarget(featureGroup.arn);
    const notice: NewNotice = {
      sourceKey,
      featureGroup: featureGroup.name,
      ...(featureGroup.arn ? { featureGroupArn: featureGroup.arn } : {}),
      kind: change.deleted ? 'deletion' : 'breaking_schema_change',
      effectiveDate,
      announcer: { type: 'watcher' },
      ...(target ? { summaryTarget: target, reportTo: target } : {}),
      unreachable: impact.unreachable,
      ...lineageCut(impact),
      change,
      reminderDays: [...this.deps.config.reminderDays],
      finalReportAt: finalReportAt(effectiveDate, now),
    };
    if (!target) this.deps.logger.warn(`Notice for feature group ${featureGroup.name}: it has no reachable owner or channel tag, so no summary is posted`);
    return this.create(notice, impact, 'watcher', now);
  }

  /**
   * Records an owner's acknowledgement; the first click counts, later ones change nothing. A click
   * that may not acknowledge for that recipient (see AcknowledgeAuthorizer) records nothing and
   * throws NotAllowedToAcknowledge; one on a notice that does not exist throws NoticeNotFound.
   */
  async acknowledge(click: AcknowledgeClick): Promise<{ first: boolean; ack: AckRecord; notice: NoticeRecord; recipient: RecipientRecord }> {
    const { noticeId, recipientKey, userId } = click;
    const notice = await this.deps.store.getNotice(noticeId);
    if (!notice) throw new NoticeNotFound(noticeId);
    const recipient = (await this.deps.store.listRecipients(noticeId)).find((r) => r.key === recipientKey);
    if (!recipient) throw new NotAllowedToAcknowledge('not_a_recipient', click);
    const conversations = (await this.deps.store.listDeliveries(noticeId))
      .filter((d) => d.recipientKey === recipientKey && (d.kind === 'notice' || d.kind === 'reminder') && d.channelId !== undefined)
      .map((d) => d.channelId as string);
    await this.deps.acknowledgers.authorize(recipient, click, conversations);
    const now = this.deps.clock.now();
    const { first, ack } = await this.deps.store.acknowledge(noticeId, recipientKey, userId, now);
    if (first) {
      await this.deps.store.appendAudit({ at: now, actor: userId, action: 'notice.acknowledged', noticeId, detail: { recipient: recipientKey } });
      this.deps.onEnqueued?.();
    }
    return { first, ack, notice, recipient };
  }

  async status(noticeId: string): Promise<NoticeStatus> {
    const status = await loadNoticeStatus(this.deps.store, noticeId);
    if (!status) throw new NoticeNotFound(noticeId);
    return status;
  }

  private async create(notice: NewNotice, impact: Impact, actor: string, now: number): Promise<{ notice: NoticeRecord; created: boolean }> {
    const result = await this.deps.store.createNotice(
      notice,
      impact.recipients,
      {
        at: now,
        actor,
        action: 'notice.announced',
        detail: {
          featureGroup: notice.featureGroup,
          kind: notice.kind,
          effectiveDate: notice.effectiveDate,
          ...(notice.replacement ? { replacement: notice.replacement } : {}),
          recipients: impact.recipients.map((r) => r.key),
          unreachable: impact.unreachable.length,
        },
      },
      now,
    );
    if (result.created) this.deps.onEnqueued?.();
    return result;
  }

  /** Where the watcher reports: the group's team channel, else its first reachable owner. */
  private async watcherTarget(arn: string | undefined): Promise<string | undefined> {
    if (!arn) return undefined;
    const tags = await this.deps.source.listTags(arn);
    const resolved = await this.deps.owners.resolve(tags);
    return resolved.addressees[0]?.targetId;
  }

  /** The feature group, or the lineage service's own explanation of why the input is not one. */
  private async featureGroup(input: string): Promise<FeatureGroupResource> {
    const resource = await this.existingFeatureGroup(input);
    if (resource) return resource;
    // Not a feature group SageMaker knows: resolve() throws the precise error (bad input, wrong kind, close names).
    await this.deps.service.resolve(input, ['FeatureGroup']);
    throw new EntityNotFound(input, [], 'feature group');
  }

  private async existingFeatureGroup(input: string): Promise<FeatureGroupResource | undefined> {
    let reference;
    try {
      reference = parseReference(input);
    } catch {
      return undefined; // not even a name: no such group (callers explain via resolve())
    }
    if (reference.form === 'name' || (reference.form === 'arn' && reference.parsed.resourceType === 'feature-group')) {
      return this.deps.source.describeFeatureGroup(reference.form === 'name' ? reference.name : reference.parsed.arn);
    }
    return undefined;
  }
}
