// The reminder loop: on each tick, the one replica that leads it enqueues what is due — a reminder
// for every owner who has not acknowledged, 7 and 1 days before the date (REMINDER_DAYS), with the
// last one also escalating them (escalation.ts), and the final report to the announcer on the
// date, which also closes the notice; with NOTICE_WRITE_BACK, a deprecation's date also enqueues
// the marking of its group in SageMaker (write-back.ts). Each milestone is recorded with its deliveries in one
// transaction, so it happens once however often ticks run; a moved date has milestones of its own.
import { randomUUID } from 'node:crypto';
import type { Logger } from './ports.js';
import type { NewDelivery, Notice } from './model.js';
import type { AuditLog, Leadership, Milestones, NoticeBook } from './ports.js';
import { systemClock, type Clock } from './clock.js';
import type { EscalationRouter } from './escalation.js';
import { dueMilestones, type DueMilestone } from './schedule.js';

export interface ReminderSchedulerOptions {
  store: NoticeBook & Milestones & AuditLog & Leadership;
  logger: Logger;
  clock?: Clock;
  /** Unique per process; defaults to a random id. */
  holderId?: string;
  /** Time between ticks. Default 1 minute. */
  intervalMs?: number;
  /** Called after deliveries were enqueued, to wake the delivery worker. */
  onEnqueued?: () => void;
  /** Where owners who did not acknowledge by the last reminder are escalated; none: nobody is. */
  escalation?: Pick<EscalationRouter, 'targetFor'>;
  /** NOTICE_WRITE_BACK: a deprecation's date enqueues the marking of its group in SageMaker. */
  writeBack?: boolean;
}

export class ReminderScheduler {
  private readonly store: ReminderSchedulerOptions['store'];
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly holderId: string;
  private readonly intervalMs: number;
  private readonly onEnqueued: () => void;
  private readonly escalation: Pick<EscalationRouter, 'targetFor'> | undefined;
  private readonly writeBack: boolean;
  private running: Promise<void> | undefined;
  private stopping = new AbortController();

  constructor(options: ReminderSchedulerOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.holderId = options.holderId ?? `reminders-${randomUUID()}`;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.onEnqueued = options.onEnqueued ?? (() => {});
    this.escalation = options.escalation;
    this.writeBack = options.writeBack ?? false;
  }

  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = (async () => {
      while (!this.stopping.signal.aborted) {
        try {
          await this.tick();
        } catch (error) {
          this.logger.error('The reminder loop failed this tick; it will try again:', error);
        }
        await this.clock.sleep(this.intervalMs, this.stopping.signal);
      }
      // Best effort: an unreleased lease simply expires, and another replica takes over then.
      await this.store.releaseLead('reminders', this.holderId).catch((error: unknown) => this.logger.warn('Could not release the reminder lead:', error));
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.running = undefined;
  }

  /** Enqueues every due milestone of every open notice, if this replica leads the loop. Returns the milestones done. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    // The lease outlives several ticks, so a leader that keeps ticking keeps the lead.
    if (!(await this.store.tryLead('reminders', this.holderId, Math.max(3 * this.intervalMs, 60_000), now))) return [];
    const done: string[] = [];
    for (const notice of await this.store.listOpenNotices()) {
      // An announcement still being prepared has nobody to remind yet; its milestones wait for it.
      if (notice.preparedAt === undefined) continue;
      const milestones = dueMilestones(notice, new Set(await this.store.listMilestones(notice.id)), now, { writeBack: this.writeBack });
      for (const due of milestones) {
        const deliveries = due.action === 'send' ? await this.deliveriesFor(notice, due) : [];
        if (await this.store.completeMilestone(notice.id, due.milestone.name, deliveries, now)) {
          done.push(`${notice.id}:${due.milestone.name}`);
          if (due.action === 'skip') this.logger.info(`Notice ${notice.id}: ${due.milestone.name} skipped (superseded by a later one)`);
        }
        if (due.milestone.type === 'final') {
          await this.store.closeNotice(notice.id, now);
          await this.store.appendAudit({ at: now, actor: 'scheduler', action: 'notice.closed', noticeId: notice.id, detail: { finalReportTo: notice.reportTo ?? null } });
        }
      }
    }
    if (done.length > 0) this.onEnqueued();
    return done;
  }

  private async deliveriesFor(notice: Notice, due: DueMilestone): Promise<NewDelivery[]> {
    if (due.milestone.type === 'final') {
      return notice.reportTo ? [{ kind: 'final_report', recipientKey: '', days: 0, target: notice.reportTo }] : [];
    }
    if (due.milestone.type === 'write_back') {
      // Recorded with the milestone in one transaction: one write-back per date, whichever replica leads.
      return [{ kind: 'write_back', recipientKey: '', days: 0, revision: notice.revision, target: notice.featureGroupArn ?? notice.featureGroup }];
    }
    const days = due.milestone.days;
    const [recipients, deliveries, acks] = await Promise.all([
      this.store.listRecipients(notice.id),
      this.store.listDeliveries(notice.id),
      this.store.listAcknowledgements(notice.id),
    ]);
    const acknowledged = new Set(acks.map((ack) => ack.recipientKey));
    const sent = new Map(deliveries.filter((d) => d.kind === 'notice' && d.status === 'sent').map((d) => [d.recipientKey, d]));
    // Only owners who got the notice: one whose notice is still on its way, or failed for good, has nothing to be reminded of.
    const reminded = recipients.filter((recipient) => !acknowledged.has(recipient.key) && sent.has(recipient.key));
    const reminders: NewDelivery[] = reminded.map((recipient) => ({
      kind: 'reminder',
      recipientKey: recipient.key,
      days,
      revision: notice.revision,
      target: sent.get(recipient.key)?.channelId ?? recipient.targetId,
    }));
    if (!due.milestone.last || !this.escalation) return reminders;
    // Revision 0 whatever the date: an owner is escalated once per notice, even if its date moves.
    const escalations: NewDelivery[] = [];
    for (const recipient of reminded) {
      const target = await this.escalation.targetFor(recipient);
      if (target) escalations.push({ kind: 'escalation', recipientKey: recipient.key, days: 0, revision: 0, target });
    }
    return [...reminders, ...escalations];
  }
}
