// The loop that prepares accepted announcements nobody is working on: those whose process died
// after accepting them (a crash right after the modal closed), and those waiting to be retried
// (SageMaker or Slack look-ups were down). Every replica may run one; the store hands each
// preparation to one process at a time, and the claim is renewed while that process works on it.
import type { Logger } from './ports.js';
import type { NoticeBook, PreparationQueue } from './ports.js';
import type { Clock } from './clock.js';
import type { ClaimLease } from './lease.js';
import type { NoticeService } from './service.js';

export interface PreparationLoopOptions {
  store: Pick<PreparationQueue, 'claimPreparations'> & Pick<NoticeBook, 'listOpenNotices'>;
  notices: Pick<NoticeService, 'prepare'>;
  lease: ClaimLease;
  clock: Clock;
  logger: Logger;
  /** How often to look for preparations. Default 2 s. */
  pollMs?: number;
}

export class PreparationLoop {
  private readonly pollMs: number;
  private running: Promise<void> | undefined;
  private stopping = new AbortController();

  constructor(private readonly options: PreparationLoopOptions) {
    this.pollMs = options.pollMs ?? 2000;
  }

  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = (async () => {
      while (!this.stopping.signal.aborted) {
        try {
          if ((await this.runOnce()) > 0) continue;
        } catch (error) {
          this.options.logger.error('Could not look for announcements to prepare; trying again shortly:', error);
        }
        await this.options.clock.sleep(this.pollMs, this.stopping.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.running = undefined;
  }

  /** Claims the due preparations and works each out; returns how many it claimed. */
  async runOnce(): Promise<number> {
    const { store, lease, clock } = this.options;
    const now = clock.now();
    const claimed = await store.claimPreparations({ worker: lease.holderId, now, leaseMs: lease.leaseMs, limit: 4 });
    lease.hold(
      'preparations',
      claimed.map((p) => p.noticeId),
      now,
    );
    for (const preparation of claimed) await this.options.notices.prepare(preparation.noticeId, preparation.attempts);
    return claimed.length;
  }

  /** Prepares until no accepted announcement is left unprepared (waiting out retries on the clock). For tests. */
  async drain({ timeoutMs = 60 * 60_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = this.options.clock.now() + timeoutMs;
    for (;;) {
      if ((await this.runOnce()) > 0) continue;
      const waiting = (await this.options.store.listOpenNotices()).filter((notice) => notice.preparedAt === undefined);
      if (waiting.length === 0) return;
      if (this.options.clock.now() > deadline) throw new Error(`${waiting.length} announcements still unprepared after ${timeoutMs} ms`);
      await this.options.clock.sleep(this.pollMs);
    }
  }
}
