// The outbox worker: sends the deliveries the store holds — notices, reminders, summaries, final
// reports — and keeps each summary up to date. Every replica may run one; the store hands each
// delivery to one worker at a time (a claim with a lease), and a delivery is recorded as sent only
// after Slack accepted it. A worker that dies mid-send leaves the delivery "in doubt"; whoever
// takes it next first looks for the message in the channel (HistoryChecker), so a crash neither
// loses nor duplicates a message. Claims are short leases renewed by a heartbeat (lease.ts) while
// the worker lives, so a dead worker's deliveries are taken over within about half a minute.
// Where the channel cannot be read, the message is sent again and marked as possibly received
// twice, which the log and the summary say.
//
// Slack's limits: 429s pause every send for Retry-After; one channel gets at most one message per
// `channelIntervalMs` (Slack allows about one per second per channel); 5xx and network errors are
// retried with exponential backoff; errors that cannot get better (user not found, channel
// archived) are recorded on the delivery and shown on the summary.
import { randomUUID } from 'node:crypto';
import { mapPool } from '../lineage/pool.js';
import type { Delivery, Notice, Recipient } from './model.js';
import { systemClock, type Clock } from './clock.js';
import { sendFailureOf } from './errors.js';
import { ClaimLease, DEFAULT_LEASE_MS } from './lease.js';
import type { Claims, HistoryChecker, Leadership, Logger, NoticePoster, NoticeReads, Outbox, SendFailure, Summaries } from './ports.js';
import { daysUntil } from './schedule.js';
import { loadNoticeStatus, type NoticeRenderer } from './status.js';
import { writeBackFailureOf, type WriteBackRunner } from './write-back.js';

/** What the worker keeps in the store: the outbox, the notices it renders, their summaries, who leads summary updates, and (without a shared lease) its own claims' renewal. */
export type DeliveryStore = Outbox & Summaries & NoticeReads & Leadership & Pick<Claims, 'renewClaims'>;

/** `Message`: what the renderer builds and the poster sends (Slack's blocks, in src/notices/slack/). */
export interface DeliveryWorkerOptions<Message> {
  store: DeliveryStore;
  /**
   * Sends the messages. It must not retry by itself: retries and rate limits are this worker's
   * job, and it keeps them durable in the store rather than in a sleeping request.
   */
  poster: NoticePoster<Message>;
  /** Checks whether an in-doubt delivery's message went out before it is sent again. */
  history: HistoryChecker;
  renderer: NoticeRenderer<Message>;
  logger: Logger;
  clock?: Clock;
  /** Unique per process; defaults to a random id. */
  workerId?: string;
  /** Sends in flight at once. Default 4. */
  concurrency?: number;
  /** How long a claim lasts without renewal; keep it well above the slowest send. Default 30 s. */
  leaseMs?: number;
  /** The claims of this process and their heartbeat, shared with the preparation of announcements. Default: the worker's own. */
  lease?: ClaimLease;
  /** How often an idle worker looks for due work. Default 2 s. */
  pollMs?: number;
  /** Attempts after which a delivery failing with transient errors is given up. Default 12. */
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Minimum gap between two messages to one channel. Default 1 s. */
  channelIntervalMs?: number;
  /** How far before an in-doubt attempt to search the channel's history (clock skew). Default 5 minutes. */
  historyMarginMs?: number;
  /** Carries out 'write_back' entries (NOTICE_WRITE_BACK); without it, any left from before are given up. */
  writeBack?: WriteBackRunner;
}

/**
 * Timeout the poster's calls must keep to (src/app.ts gives it to the notices' Slack client): a
 * send that started with LEASE_SAFETY_MS of its claim left has ended, one way or the other,
 * before the claim can expire.
 */
export const SEND_TIMEOUT_MS = 8000;

/** Claims left with less than this are not started: another worker may take them any moment. */
const LEASE_SAFETY_MS = SEND_TIMEOUT_MS + 2000;

export class DeliveryWorker<Message> {
  readonly workerId: string;
  private readonly store: DeliveryStore;
  private readonly poster: NoticePoster<Message>;
  private readonly history: HistoryChecker;
  private readonly renderer: NoticeRenderer<Message>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly lease: ClaimLease;
  private readonly ownsLease: boolean;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly channelIntervalMs: number;
  private readonly historyMarginMs: number;
  private readonly writeBack: WriteBackRunner | undefined;
  /** Per channel: when the next message may go. */
  private readonly nextSlot = new Map<string, number>();
  /** After a 429, nothing is sent before this. */
  private pausedUntil = 0;
  private running: Promise<void> | undefined;
  private stopping = new AbortController();
  private waking = new AbortController();

  constructor(options: DeliveryWorkerOptions<Message>) {
    this.store = options.store;
    this.poster = options.poster;
    this.history = options.history;
    this.renderer = options.renderer;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.concurrency = options.concurrency ?? 4;
    this.ownsLease = options.lease === undefined;
    this.lease =
      options.lease ??
      new ClaimLease({ store: this.store, holderId: this.workerId, clock: this.clock, logger: this.logger, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS });
    this.pollMs = options.pollMs ?? 2000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.backoff = options.backoff ?? { baseMs: 2000, maxMs: 10 * 60_000 };
    this.channelIntervalMs = options.channelIntervalMs ?? 1000;
    this.historyMarginMs = options.historyMarginMs ?? 5 * 60_000;
    this.writeBack = options.writeBack;
  }

  /** Runs until stop(): sends what is due, then sleeps until the next due time, a wake() or the poll interval. */
  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    if (this.ownsLease) this.lease.start();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.waking.abort();
    await this.running;
    this.running = undefined;
    if (this.ownsLease) this.lease.stop();
  }

  /** Something was enqueued or acknowledged: look now rather than at the next poll. */
  wake(): void {
    this.waking.abort();
  }

  /** One pass: claims and sends a batch of due deliveries, then refreshes stale summaries. */
  async runOnce(): Promise<{ processed: number }> {
    const now = this.clock.now();
    const claimed = await this.store.claimDeliveries({ worker: this.workerId, now, leaseMs: this.lease.leaseMs, limit: this.concurrency * 4 });
    this.lease.hold(
      'deliveries',
      claimed.map((d) => d.id),
      now,
    );
    const batch = new BatchReads(this.store);
    await mapPool(claimed, this.concurrency, async (delivery) => {
      try {
        await this.deliver(delivery, batch);
      } catch (error) {
        // A store failure mid-delivery (a dropped connection): retried shortly, in doubt if the send
        // had begun. If even that cannot be recorded, the claim is no longer renewed and expires.
        this.logger.error(`Delivery ${delivery.id} (${delivery.kind}) stopped by an internal error; it will be retried:`, error);
        await this.store
          .retryDelivery(
            delivery.id,
            this.workerId,
            { nextAttemptAt: this.clock.now() + this.backoffDelay(delivery.attempts), error: 'internal_error', inDoubt: true, countAttempt: true },
            this.clock.now(),
          )
          .catch(() => {});
      } finally {
        this.lease.release('deliveries', delivery.id);
      }
    });
    await this.refreshSummaries();
    return { processed: claimed.length };
  }

  /** Sends until nothing is pending (waiting out retries on the clock). For tests, the bench and shutdown. */
  async drain({ timeoutMs = 10 * 60_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const { processed } = await this.runOnce();
      const next = await this.store.nextPendingAt();
      const summaries = await this.store.summariesToRefresh(1);
      if (next === undefined && summaries.length === 0) return;
      if (this.clock.now() > deadline) throw new Error(`Deliveries still pending after ${timeoutMs} ms`);
      if (processed > 0) continue;
      const wait = next === undefined ? this.channelIntervalMs : next - this.clock.now();
      await this.clock.sleep(Math.max(10, Math.min(wait, this.pollMs)));
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let wait = this.pollMs;
      try {
        const { processed } = await this.runOnce();
        if (processed > 0) continue;
        const next = await this.store.nextPendingAt();
        if (next !== undefined) wait = Math.min(this.pollMs, Math.max(0, next - this.clock.now()));
      } catch (error) {
        this.logger.error('The delivery worker could not read the outbox; trying again shortly:', error);
      }
      if (this.waking.signal.aborted) this.waking = new AbortController();
      await this.clock.sleep(Math.max(wait, 50), AbortSignal.any([this.stopping.signal, this.waking.signal]));
    }
  }

  private async deliver(delivery: Delivery, batch: BatchReads): Promise<void> {
    const notice = await batch.notice(delivery.noticeId);
    if (delivery.kind === 'write_back') {
      await this.writeBackOf(delivery, notice);
      return;
    }
    const rendered = notice ? await this.render(notice, delivery, batch) : undefined;
    if (!notice || !rendered) {
      await this.store.failDelivery(delivery.id, this.workerId, 'nothing_to_send', this.clock.now());
      return;
    }
    let channel = delivery.channelId;
    // Whether this pass got as far as beginAttempt (which counts the attempt) before failing.
    let attempted = false;
    try {
      if (!channel) {
        channel = await this.poster.conversationFor(delivery.target);
        if (!(await this.store.setDeliveryChannel(delivery.id, this.workerId, channel, this.clock.now()))) return; // claim lost
      }
      if (delivery.attemptStartedAt !== undefined) {
        // In doubt: the last attempt may have been posted. Look before posting again.
        const found = await this.history.findDelivered(channel, delivery.id, delivery.attemptStartedAt - this.historyMarginMs);
        if (found.found === true) {
          this.logger.info(`Delivery ${delivery.id} was already posted before an interruption; recording it`);
          // The posted summary showed an earlier state: leave it marked stale so it gets refreshed.
          await this.completed(delivery, channel, found.ts, undefined);
          return;
        }
        if (found.found === 'unknown') {
          this.logger.warn(
            `Cannot read the history of ${channel} (${found.error}) to check in-doubt delivery ${delivery.id} (${delivery.kind} to ${delivery.target}); sending it again, so it may arrive twice`,
          );
          if (!(await this.store.markMaybeDuplicate(delivery.id, this.workerId, this.clock.now()))) return; // claim lost
        }
      }
      await this.pace(channel);
      await this.lease.renewIfDue();
      if (this.clock.now() > this.lease.validUntil() - LEASE_SAFETY_MS) {
        // Too close to the end of the claim: leave it for the next pass rather than risk two senders.
        await this.store.retryDelivery(delivery.id, this.workerId, { nextAttemptAt: this.clock.now(), error: delivery.error ?? 'lease_expiring', inDoubt: delivery.attemptStartedAt !== undefined }, this.clock.now());
        return;
      }
      if (!(await this.store.beginAttempt(delivery.id, this.workerId, this.clock.now()))) return; // claim lost
      attempted = true;
      const posted = await this.poster.post(channel, rendered.message, { deliveryId: delivery.id, noticeId: delivery.noticeId });
      await this.completed(delivery, posted.channel, posted.ts, rendered.version);
    } catch (error) {
      await this.failed(delivery, notice, sendFailureOf(error), attempted);
    }
  }

  /**
   * A 'write_back' entry: marks the group in SageMaker (write-back.ts) under this claim, with the
   * outbox's retries. It is not a message: no channel, no pacing, and no history to check after an
   * interruption, because writing the same tags again changes nothing.
   */
  private async writeBackOf(delivery: Delivery, notice: Notice | undefined): Promise<void> {
    const now = this.clock.now();
    const reason = !notice ? 'nothing_to_send' : !this.writeBack ? 'write_back_off' : this.writeBack.superseded(delivery, notice);
    if (!notice || !this.writeBack || reason) {
      await this.store.failDelivery(delivery.id, this.workerId, reason ?? 'nothing_to_send', now);
      return;
    }
    await this.lease.renewIfDue();
    if (this.clock.now() > this.lease.validUntil() - LEASE_SAFETY_MS) {
      await this.store.retryDelivery(delivery.id, this.workerId, { nextAttemptAt: this.clock.now(), error: delivery.error ?? 'lease_expiring', inDoubt: false }, this.clock.now());
      return;
    }
    if (!(await this.store.beginAttempt(delivery.id, this.workerId, this.clock.now()))) return; // claim lost
    let plan;
    try {
      plan = await this.writeBack.write(notice);
    } catch (error) {
      await this.failed(delivery, notice, writeBackFailureOf(error), true);
      return;
    }
    if (await this.store.completeDelivery(delivery.id, this.workerId, { channelId: delivery.target, ts: '' }, this.clock.now())) {
      await this.writeBack.written(notice, plan, this.clock.now());
    }
  }

  private async completed(delivery: Delivery, channel: string, ts: string, summaryVersion: number | undefined): Promise<void> {
    const recorded = await this.store.completeDelivery(delivery.id, this.workerId, { channelId: channel, ts }, this.clock.now());
    if (!recorded) this.logger.warn(`Delivery ${delivery.id} was posted but its claim had expired; the next worker will find it in the channel`);
    if (recorded && summaryVersion !== undefined) await this.store.markSummaryRendered(delivery.noticeId, summaryVersion);
  }

  private async failed(delivery: Delivery, notice: Notice, failure: SendFailure, attempted: boolean): Promise<void> {
    const now = this.clock.now();
    if (failure.type === 'rate_limited') {
      this.pausedUntil = Math.max(this.pausedUntil, now + failure.retryAfterMs);
      await this.store.retryDelivery(delivery.id, this.workerId, { nextAttemptAt: now + failure.retryAfterMs, error: failure.error, inDoubt: false }, now);
      return;
    }
    if (failure.type === 'transient' && delivery.attempts + 1 < this.maxAttempts) {
      const delay = this.backoffDelay(delivery.attempts);
      this.logger.warn(`Delivery ${delivery.id} (${delivery.kind}) failed with ${failure.error}; retrying in ${Math.round(delay / 1000)} s`);
      // inDoubt keeps the attempt time when the send may have happened; otherwise the next try sends straight away.
      // A failure before the post (opening the DM, reading history) is counted here, or it would be retried forever.
      await this.store.retryDelivery(delivery.id, this.workerId, { nextAttemptAt: now + delay, error: failure.error, inDoubt: failure.inDoubt, countAttempt: !attempted }, now);
      return;
    }
    const announcer = notice.announcer.type === 'user' ? notice.announcer.userId : undefined;
    if (delivery.kind === 'summary' && announcer && delivery.target !== announcer && failure.type === 'permanent') {
      // The bot cannot post in the announcing channel: the announcer gets the summary by DM instead.
      this.logger.warn(`Cannot post the summary of notice ${notice.id} in ${delivery.target} (${failure.error}); sending it to the announcer`);
      await this.store.retargetDelivery(delivery.id, this.workerId, announcer, failure.error, now);
      return;
    }
    this.logger.warn(`Delivery ${delivery.id} (${delivery.kind}) to ${delivery.target} failed for good: ${failure.error}`);
    const given = await this.store.failDelivery(delivery.id, this.workerId, failure.error, now);
    if (given && delivery.kind === 'write_back' && this.writeBack && (await this.writeBack.gaveUp(notice, delivery, failure.error, now))) this.wake();
  }

  /**
   * Exponential backoff with jitter, so retries of many deliveries do not arrive together. Whole
   * milliseconds: the time is stored in an integer column (BIGINT on PostgreSQL refuses 1698.77).
   */
  private backoffDelay(attempts: number): number {
    return Math.round(Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** attempts) * (0.8 + 0.4 * Math.random()));
  }

  /** The message for a delivery; for summaries, also the content version it shows. */
  private async render(notice: Notice, delivery: Delivery, batch: BatchReads): Promise<{ message: Message; version?: number } | undefined> {
    switch (delivery.kind) {
      case 'notice':
      case 'reminder': {
        const recipient = (await batch.recipients(notice.id)).get(delivery.recipientKey);
        // Cancelled while it waited (claimed before the cancel marked it): nothing to send.
        if (!recipient || notice.cancelled) return undefined;
        if (delivery.kind === 'notice') return { message: this.renderer.notice(notice, recipient) };
        // Counted when it goes out, not when it was planned: after downtime or retries the 7-day reminder may leave later.
        return { message: this.renderer.reminder(notice, recipient, daysUntil(notice.effectiveDate, this.clock.now())) };
      }
      case 'cancelled':
      case 'moved': {
        const recipient = (await batch.recipients(notice.id)).get(delivery.recipientKey);
        return recipient ? { message: this.renderer.changed(notice, recipient, delivery.kind) } : undefined;
      }
      case 'escalation': {
        const recipient = (await batch.recipients(notice.id)).get(delivery.recipientKey);
        if (!recipient || notice.cancelled) return undefined;
        // Acknowledged since it was enqueued: there is nothing left to escalate.
        const acked = (await this.store.listAcknowledgements(notice.id)).some((ack) => ack.recipientKey === delivery.recipientKey);
        return acked ? undefined : { message: this.renderer.escalation(notice, recipient) };
      }
      case 'announce_failed':
        return notice.failure === undefined ? undefined : { message: this.renderer.announceFailed(notice) };
      case 'write_back':
        return undefined; // not a message: deliver() hands it to writeBackOf
      case 'write_back_failed': {
        const failedWrite = (await this.store.listDeliveries(notice.id)).find(
          (d) => d.kind === 'write_back' && (d.revision ?? 0) === (delivery.revision ?? 0) && d.status === 'failed',
        );
        return failedWrite ? { message: this.renderer.writeBackFailed(notice, failedWrite.error ?? 'unknown') } : undefined;
      }
      case 'summary':
      case 'final_report': {
        const status = await loadNoticeStatus(this.store, notice.id);
        if (!status) return undefined;
        return delivery.kind === 'summary'
          ? { message: this.renderer.summary(status), version: status.notice.summaryVersion }
          : { message: this.renderer.finalReport(status) };
      }
    }
  }

  /** Waits for this channel's next slot and for any rate-limit pause; reserves the slot first so concurrent sends queue. */
  private async pace(channel: string): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot.get(channel) ?? 0);
    this.nextSlot.set(channel, slot + this.channelIntervalMs);
    const wait = Math.max(slot, this.pausedUntil) - now;
    if (wait > 0) await this.clock.sleep(wait);
    if (this.pausedUntil > this.clock.now()) await this.clock.sleep(this.pausedUntil - this.clock.now());
  }

  /** Brings posted summaries up to date, one replica at a time so updates never go back in time. */
  private async refreshSummaries(): Promise<void> {
    const now = this.clock.now();
    if (!(await this.store.tryLead('summaries', this.workerId, this.lease.leaseMs, now))) return;
    for (const stale of await this.store.summariesToRefresh(20)) {
      if ((this.nextSlot.get(stale.channel) ?? 0) > this.clock.now() || this.pausedUntil > this.clock.now()) continue; // next pass
      const status = await loadNoticeStatus(this.store, stale.noticeId);
      if (!status) continue;
      const message = this.renderer.summary(status);
      this.nextSlot.set(stale.channel, this.clock.now() + this.channelIntervalMs);
      try {
        await this.poster.update(stale.channel, stale.ts, message);
        await this.store.markSummaryRendered(stale.noticeId, status.notice.summaryVersion);
      } catch (error) {
        const failure = sendFailureOf(error);
        if (failure.type === 'rate_limited') {
          this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + failure.retryAfterMs);
          return;
        }
        if (failure.type === 'permanent') {
          // Deleted message or archived channel: stop updating it rather than retrying forever.
          this.logger.warn(`Cannot update the summary of notice ${stale.noticeId} (${failure.error}); leaving it as it is`);
          await this.store.markSummaryRendered(stale.noticeId, status.notice.summaryVersion);
        } else {
          this.logger.warn(`Updating the summary of notice ${stale.noticeId} failed (${failure.error}); trying again later`);
        }
      }
    }
  }
}

/** Notices and recipients read once per batch: a fan-out to 500 owners shares one notice. */
class BatchReads {
  private readonly notices = new Map<string, Promise<Notice | undefined>>();
  private readonly recipientsOf = new Map<string, Promise<Map<string, Recipient>>>();

  constructor(private readonly store: NoticeReads) {}

  notice(id: string): Promise<Notice | undefined> {
    if (!this.notices.has(id)) this.notices.set(id, this.store.getNotice(id));
    return this.notices.get(id) as Promise<Notice | undefined>;
  }

  recipients(noticeId: string): Promise<Map<string, Recipient>> {
    if (!this.recipientsOf.has(noticeId)) {
      this.recipientsOf.set(noticeId, this.store.listRecipients(noticeId).then((list) => new Map(list.map((r) => [r.key, r]))));
    }
    return this.recipientsOf.get(noticeId) as Promise<Map<string, Recipient>>;
  }
}
