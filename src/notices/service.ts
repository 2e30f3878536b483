// Change and deprecation notices: who may announce, what is checked, and what a notice is made of.
// A person's announcement is stored the moment it is accepted (checkAnnouncement, then accept —
// before Slack is answered); who it reaches is worked out afterwards from that stored notice
// (prepare), in this process right away or, after a crash, by whichever process claims it next
// (preparations.ts). Preparing only writes to the store — one delivery per owner, the summary —
// and the delivery worker sends from there, so a crash at any point never loses an announcement.
import type { Logger } from './ports.js';
import { EntityNotFound, isLineageError, NotAuthorized } from '../lineage/errors.js';
import { parseReference } from '../lineage/reference.js';
import type { LineageService } from '../lineage/service.js';
import type { FeatureGroupResource, LineageSource } from '../lineage/lineage-source.js';
import { FEATURE_CHANGES, type AcceptedNotice, type Acknowledgement, type DetectedChange, type FeatureChange, type NewNotice, type NoticeFeatures, type NoticeKind, type Notice, type Recipient } from './model.js';
import type { AuditLog, NoticeBook, PreparationQueue } from './ports.js';
import type { AcknowledgeAuthorizer, AcknowledgeClick, AnnounceAuthorizer } from './authorize.js';
import type { Clock } from './clock.js';
import type { NoticesConfig } from '../config.js';
import {
  DirectoryUnavailable,
  InvalidNotice,
  isNoticeError,
  NotAllowedToAcknowledge,
  NotAllowedToManage,
  NoticeAlreadyOpen,
  NoticeNotFound,
  NoticeNotOpen,
  type InvalidNoticeField,
  type InvalidNoticeProblem,
} from './errors.js';
import type { Impact, ImpactAnalyzer } from './impact.js';
import type { ClaimLease } from './lease.js';
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
  /**
   * Some features only (names as the user picked them), and what happens to them ('removal',
   * 'retype' or 'deprecation'; checked here). Absent: the whole group.
   */
  features?: { names: readonly string[]; change: string };
  userId: string;
  /** Where the announcement was made: the summary goes there. */
  channelId: string;
  /** Idempotency key of the submission (the modal's view id): a resubmission creates nothing twice. */
  sourceKey: string;
}

export interface NoticeServiceDeps {
  store: NoticeBook & PreparationQueue & AuditLog;
  service: LineageService;
  source: LineageSource;
  impact: ImpactAnalyzer;
  authorizer: AnnounceAuthorizer;
  acknowledgers: AcknowledgeAuthorizer;
  owners: OwnerResolver;
  config: Pick<NoticesConfig, 'reminderDays' | 'ownerTagKeys' | 'channelTagKeys' | 'admins'>;
  clock: Clock;
  logger: Logger;
  /** The claims of this process: an announcement accepted here is prepared here, under its claim. */
  lease: ClaimLease;
  /**
   * The words the announcer is told when their announcement cannot be sent (a lineage or notice
   * error): the listeners' own messages, injected by the composition root.
   */
  explainFailure: (error: unknown) => string;
  /** Preparations failing with transient errors (SageMaker or Slack look-ups down) are tried this often. Default 8 attempts, 5 s doubling to 5 min. */
  preparation?: { maxAttempts?: number; backoff?: { baseMs: number; maxMs: number } };
  /** Called after deliveries were enqueued or a summary changed, to wake the delivery worker. */
  onEnqueued?: () => void;
}

/** How preparing an accepted announcement went. */
export type PrepareOutcome =
  | { status: 'prepared'; notice: Notice; impact: Impact }
  /** Nothing to do: prepared or given up already, or another process holds it now. */
  | { status: 'skipped' }
  /** A transient failure: it is tried again later. */
  | { status: 'retrying'; error: unknown }
  /** Given up: the notice is closed and the announcer is being told. */
  | { status: 'failed'; error: unknown };

/** Who records the preparation of a notice in the audit log. */
const PREPARER = 'lineage-bot';

/** A notice from a walk cut short keeps where it stopped, so that it can say owners beyond were not told. */
function lineageCut(impact: Impact): Pick<NewNotice, 'lineageCut'> {
  const cut = impact.truncation;
  return cut ? { lineageCut: { depthExceeded: cut.depthExceeded, sizeExceeded: cut.sizeExceeded, maxDepth: cut.maxDepth, maxVertices: cut.maxVertices } } : {};
}

export class NoticeService {
  constructor(private readonly deps: NoticeServiceDeps) {}

  /** Who a change to the group (or, with `features`, to those features of it) would reach, without telling anyone. */
  impact(featureGroup: string, features?: readonly string[]): Promise<Impact> {
    return this.deps.impact.analyze(featureGroup, undefined, features);
  }

  /** The features of a group SageMaker describes (what the form's feature picker offers); the lineage service's error otherwise. */
  async features(featureGroup: string): Promise<{ name: string; type: string }[]> {
    return (await this.featureGroup(featureGroup)).features.map((f) => ({ name: f.name, type: f.type }));
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
  async validate(input: Pick<AnnounceInput, 'featureGroup' | 'kind' | 'effectiveDate' | 'replacement' | 'note' | 'features'> & { sourceKey?: string }): Promise<void> {
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
    if (input.features && input.features.names.length > 0) {
      const { names, change } = input.features;
      if (change === '') problems.push({ field: 'featureChange', problem: 'feature_change_missing' });
      else if (!(FEATURE_CHANGES as readonly string[]).includes(change)) problems.push({ field: 'featureChange', problem: 'feature_change_unknown', value: change });
      const group = await this.existingFeatureGroup(input.featureGroup);
      const missing = group ? names.find((name) => featureNamed(group, name) === undefined) : undefined;
      if (missing !== undefined) problems.push({ field: 'features', problem: 'feature_unknown', value: missing });
    }
    if (problems.length > 0) throw new InvalidNotice(problems);
  }

  /**
   * Checks a person's announcement — may they announce, is every field acceptable, is the same
   * kind not already open — and returns it ready to be accepted. Reads only; bounded by the caller.
   */
  async checkAnnouncement(input: AnnounceInput): Promise<AcceptedNotice> {
    const resource = await this.checkAnnouncer(input.featureGroup, input.userId);
    await this.validate(input);
    const now = this.deps.clock.now();
    const replacement = input.replacement ? ((await this.existingFeatureGroup(input.replacement))?.name ?? input.replacement) : undefined;
    const features = noticeFeatures(resource, input.features);
    return {
      sourceKey: input.sourceKey,
      featureGroup: resource.name,
      featureGroupArn: resource.arn,
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      ...(replacement ? { replacement } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(features ? { features } : {}),
      announcer: { type: 'user', userId: input.userId },
      summaryTarget: input.channelId,
      reportTo: input.userId,
      reminderDays: [...this.deps.config.reminderDays],
      finalReportAt: finalReportAt(input.effectiveDate, now),
    };
  }

  /**
   * Stores a checked announcement durably, claimed by this process for preparing. A second open
   * notice of the same kind (another submission that got in first) is refused as InvalidNotice
   * already_announced, naming its date.
   */
  async accept(notice: AcceptedNotice): Promise<{ notice: Notice; created: boolean }> {
    const now = this.deps.clock.now();
    const audit = announcedAudit(notice, notice.announcer.type === 'user' ? notice.announcer.userId : 'watcher', now);
    const { lease } = this.deps;
    try {
      const result = await this.deps.store.acceptNotice(notice, audit, { worker: lease.holderId, leaseMs: lease.leaseMs }, now);
      if (result.created) lease.hold('preparations', [result.notice.id], now);
      return result;
    } catch (error) {
      if (error instanceof NoticeAlreadyOpen) throw new InvalidNotice([{ field: 'kind', problem: 'already_announced', value: error.existing.effectiveDate }]);
      throw error;
    }
  }

  /**
   * Works out who an accepted announcement reaches, from the stored notice, and plans its
   * deliveries. Call it while this process holds its preparation (after accept, or claimed by the
   * preparation loop). Transient failures are retried later; the others, and transient ones that
   * keep failing, close the notice and tell the announcer.
   */
  async prepare(noticeId: string, attempts = 0): Promise<PrepareOutcome> {
    const { store, clock, lease } = this.deps;
    try {
      const notice = await store.getNotice(noticeId);
      if (!notice || notice.preparedAt !== undefined || notice.closedAt !== undefined) return { status: 'skipped' };
      const impact = await this.deps.impact.analyze(notice.featureGroup, undefined, notice.features?.names);
      const result = { recipients: impact.recipients, unreachable: impact.unreachable, ...lineageCut(impact) };
      const audit = { at: clock.now(), actor: PREPARER, action: 'notice.prepared', detail: { recipients: impact.recipients.map((r) => r.key), unreachable: impact.unreachable.length } };
      if (!(await store.completePreparation(noticeId, lease.holderId, result, audit, clock.now()))) return { status: 'skipped' };
      this.deps.onEnqueued?.();
      return { status: 'prepared', notice: (await store.getNotice(noticeId)) as Notice, impact };
    } catch (error) {
      return await this.preparationFailed(noticeId, attempts, error);
    } finally {
      lease.release('preparations', noticeId);
    }
  }

  /** Accepts and prepares at once (the bench and tests; the listener acknowledges Slack in between). */
  async announce(input: AnnounceInput): Promise<{ notice: Notice; created: boolean; impact: Impact }> {
    const { notice, created } = await this.accept(await this.checkAnnouncement(input));
    if (!created) return { notice, created, impact: await this.impact(notice.featureGroup, notice.features?.names) };
    const outcome = await this.prepare(notice.id);
    if (outcome.status === 'retrying' || outcome.status === 'failed') throw outcome.error;
    if (outcome.status === 'skipped') throw new Error(`Notice ${notice.id} was prepared elsewhere`);
    return { notice: outcome.notice, created, impact: outcome.impact };
  }

  private async preparationFailed(noticeId: string, attempts: number, error: unknown): Promise<PrepareOutcome> {
    const { store, clock, logger, lease } = this.deps;
    const maxAttempts = this.deps.preparation?.maxAttempts ?? 8;
    const backoff = this.deps.preparation?.backoff ?? { baseMs: 5000, maxMs: 5 * 60_000 };
    const code = errorCode(error);
    const now = clock.now();
    if (isTransient(error) && attempts + 1 < maxAttempts) {
      const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempts);
      logger.warn(`Working out who notice ${noticeId} reaches failed (${code}); trying again in ${Math.round(delay / 1000)} s`);
      // If even this cannot be recorded (the store is down), the claim is no longer renewed and expires.
      await store.retryPreparation(noticeId, lease.holderId, { nextAttemptAt: now + delay, error: code }, now).catch(() => {});
      return { status: 'retrying', error };
    }
    logger.warn(`Notice ${noticeId} cannot be sent (${code}); telling the announcer`);
    const failure = this.deps.explainFailure(error);
    const audit = { at: now, actor: PREPARER, action: 'notice.failed', detail: { error: code, attempts: attempts + 1 } };
    try {
      await store.failPreparation(noticeId, lease.holderId, failure, audit, now);
    } catch (storeError) {
      logger.error(`Could not record that notice ${noticeId} failed; it will be tried again:`, storeError);
      return { status: 'retrying', error };
    }
    this.deps.onEnqueued?.();
    return { status: 'failed', error };
  }

  /** Creates the watcher's notice of a breaking change it detected; effective today. */
  async announceDetectedChange(featureGroup: { name: string; arn?: string }, change: DetectedChange, sourceKey: string): Promise<{ notice: Notice; created: boolean }> {
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
   * throws NotAllowedToAcknowledge; one on a notice that does not exist throws NoticeNotFound, on
   * a cancelled one NoticeNotOpen. After the date it is accepted (the notice shows it as late).
   */
  async acknowledge(click: AcknowledgeClick): Promise<{ first: boolean; ack: Acknowledgement; notice: Notice; recipient: Recipient }> {
    const { noticeId, recipientKey, userId } = click;
    const notice = await this.deps.store.getNotice(noticeId);
    if (!notice) throw new NoticeNotFound(noticeId);
    // A notice closed on its date still takes acknowledgements (shown as late); a cancelled one has nothing to acknowledge.
    if (notice.cancelled) throw new NoticeNotOpen(noticeId, 'cancelled');
    const recipient = (await this.deps.store.listRecipients(noticeId)).find((r) => r.key === recipientKey);
    if (!recipient) throw new NotAllowedToAcknowledge('not_a_recipient', click);
    const conversations = (await this.deps.store.listDeliveries(noticeId))
      .filter((d) => d.recipientKey === recipientKey && (d.kind === 'notice' || d.kind === 'reminder' || d.kind === 'moved') && d.channelId !== undefined)
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

  /**
   * The notice, if `userId` may cancel it or move its date — its announcer, or a lineage admin —
   * and it is still open. Throws NoticeNotFound, NotAllowedToManage or NoticeNotOpen otherwise.
   */
  async checkManager(noticeId: string, userId: string): Promise<Notice> {
    const notice = await this.deps.store.getNotice(noticeId);
    if (!notice) throw new NoticeNotFound(noticeId);
    const announcer = notice.announcer.type === 'user' ? notice.announcer.userId : undefined;
    const { admins } = this.deps.config;
    if (userId !== announcer && !admins.includes(userId)) throw new NotAllowedToManage(noticeId, userId, announcer, admins);
    if (notice.closedAt !== undefined) throw new NoticeNotOpen(noticeId, notice.cancelled ? 'cancelled' : 'closed');
    return notice;
  }

  /**
   * Cancels an open notice: nothing of it goes out any more (no reminders, no final report), and
   * every owner who got it is told once, through the outbox. Checked as checkManager checks.
   */
  async cancel(request: { noticeId: string; userId: string }): Promise<Notice> {
    const { noticeId, userId } = request;
    const notice = await this.checkManager(noticeId, userId);
    const now = this.deps.clock.now();
    const audit = { at: now, actor: userId, action: 'notice.cancelled', detail: { effectiveDate: notice.effectiveDate } };
    const cancelled = await this.deps.store.cancelNotice(noticeId, userId, audit, now);
    if (!cancelled) throw await this.noLongerOpen(noticeId);
    this.deps.onEnqueued?.();
    return cancelled;
  }

  /**
   * Moves an open notice's date: every owner who got it is told once, reminders of the old date
   * that are still to come are dropped and the new date gets its own, and the final report moves
   * with it. The date is checked as an announcement's is, and must differ from the current one.
   */
  async move(request: { noticeId: string; userId: string; effectiveDate: string }): Promise<Notice> {
    const { noticeId, userId, effectiveDate } = request;
    // Two moves at once: the store takes one, and the other is checked again against its result.
    for (let attempt = 0; attempt < 3; attempt++) {
      const notice = await this.checkManager(noticeId, userId);
      const now = this.deps.clock.now();
      const date = checkEffectiveDate(effectiveDate, now);
      if (date !== 'ok') throw new InvalidNotice([{ field: 'effectiveDate', problem: date, value: effectiveDate }]);
      if (effectiveDate === notice.effectiveDate) throw new InvalidNotice([{ field: 'effectiveDate', problem: 'date_unchanged', value: effectiveDate }]);
      const audit = { at: now, actor: userId, action: 'notice.moved', detail: { from: notice.effectiveDate, to: effectiveDate } };
      const move = { fromRevision: notice.revision, effectiveDate, finalReportAt: finalReportAt(effectiveDate, now), by: userId };
      const moved = await this.deps.store.moveNotice(noticeId, move, audit, now);
      if (moved) {
        this.deps.onEnqueued?.();
        return moved;
      }
    }
    throw await this.noLongerOpen(noticeId);
  }

  /** Why a change to a notice found it changed meanwhile. */
  private async noLongerOpen(noticeId: string): Promise<NoticeNotOpen> {
    const current = await this.deps.store.getNotice(noticeId);
    return new NoticeNotOpen(noticeId, current?.cancelled ? 'cancelled' : 'closed');
  }

  async status(noticeId: string): Promise<NoticeStatus> {
    const status = await loadNoticeStatus(this.deps.store, noticeId);
    if (!status) throw new NoticeNotFound(noticeId);
    return status;
  }

  private async create(notice: NewNotice, impact: Impact, actor: string, now: number): Promise<{ notice: Notice; created: boolean }> {
    const audit = announcedAudit(notice, actor, now, { recipients: impact.recipients.map((r) => r.key), unreachable: impact.unreachable.length });
    const result = await this.deps.store.createNotice(notice, impact.recipients, audit, now);
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

/** The group's feature of that name, in any case. */
function featureNamed(group: FeatureGroupResource, name: string): { name: string; type: string } | undefined {
  return group.features.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** The checked features of an announcement, as the group spells them and in its order; undefined for the whole group. */
function noticeFeatures(group: FeatureGroupResource, features: AnnounceInput['features']): NoticeFeatures | undefined {
  if (!features || features.names.length === 0) return undefined;
  const picked = new Set(features.names.map((name) => name.toLowerCase()));
  return { names: group.features.filter((f) => picked.has(f.name.toLowerCase())).map((f) => f.name), change: features.change as FeatureChange };
}

/**
 * Errors that can clear by themselves (SageMaker or Slack not answering, the store failing): the
 * preparation is retried. A refusal or a group that does not exist will not change: given up at once.
 */
function isTransient(error: unknown): boolean {
  if (error instanceof DirectoryUnavailable) return true;
  if (isNoticeError(error)) return false;
  // Credentials that expired or were not yet provisioned are put right by the operator, not by the announcer.
  if (error instanceof NotAuthorized) return error.credentials;
  if (isLineageError(error)) return error.code === 'SourceUnavailable' || error.code === 'Throttled';
  return true;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown_error';
}

/** The audit entry of an announcement: what was announced, and (when known) whom it reaches. */
function announcedAudit(notice: AcceptedNotice, actor: string, now: number, reach: Record<string, unknown> = {}) {
  return {
    at: now,
    actor,
    action: 'notice.announced',
    detail: {
      featureGroup: notice.featureGroup,
      kind: notice.kind,
      effectiveDate: notice.effectiveDate,
      ...(notice.replacement ? { replacement: notice.replacement } : {}),
      ...(notice.features ? { features: notice.features.names, featureChange: notice.features.change } : {}),
      ...reach,
    },
  };
}
