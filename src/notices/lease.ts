// The claims one process holds (deliveries it is sending, announcements it is preparing) and the
// heartbeat that keeps them. A claim lasts a short lease (30 s) and is renewed every few seconds
// while its holder lives, so work a dead process held is taken over soon, not after minutes —
// and a live process never loses work it is still doing.
//
// The holder also knows until when all its claims certainly hold (`validUntil`): a worker that
// could not renew (the store is down) stops starting sends before its claims can expire and be
// taken by another replica, so two replicas never send the same message at once.
import type { Logger } from './ports.js';
import type { HeldClaims } from './model.js';
import type { Claims } from './ports.js';
import type { Clock } from './clock.js';

export type ClaimKind = keyof HeldClaims;

export interface ClaimLeaseOptions {
  store: Pick<Claims, 'renewClaims'>;
  holderId: string;
  clock: Clock;
  logger: Logger;
  /** How long a claim holds without renewal. Default 30 s. */
  leaseMs?: number;
  /** How often claims are renewed. Default 5 s. */
  renewEveryMs?: number;
}

export const DEFAULT_LEASE_MS = 30_000;

export class ClaimLease {
  readonly holderId: string;
  readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private readonly held: Record<ClaimKind, Set<string>> = { deliveries: new Set(), preparations: new Set() };
  /** The earliest expiry among the claims held (those not renewed since are the oldest). */
  private until = 0;
  private lastRenewal = 0;
  private renewing: Promise<void> | undefined;
  /** Expiry of claims taken while a renewal was in flight (that renewal does not cover them). */
  private takenWhileRenewing = Infinity;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(private readonly options: ClaimLeaseOptions) {
    this.holderId = options.holderId;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(this.leaseMs / 6));
  }

  /** Claims just taken at `claimedAt` (each then holds until claimedAt + leaseMs). */
  hold(kind: ClaimKind, ids: readonly string[], claimedAt: number): void {
    if (ids.length === 0) return;
    if (this.size() === 0) {
      this.until = claimedAt + this.leaseMs;
      this.lastRenewal = claimedAt;
    } else {
      this.until = Math.min(this.until, claimedAt + this.leaseMs);
    }
    if (this.renewing) this.takenWhileRenewing = Math.min(this.takenWhileRenewing, claimedAt + this.leaseMs);
    for (const id of ids) this.held[kind].add(id);
  }

  /** Work on a claim is over (done, retried later, or given up): it is no longer renewed. */
  release(kind: ClaimKind, id: string): void {
    this.held[kind].delete(id);
  }

  /** Until when every claim held is certainly still this holder's. */
  validUntil(): number {
    return this.until;
  }

  size(): number {
    return this.held.deliveries.size + this.held.preparations.size;
  }

  /** Renews when the last renewal is older than the renewal interval; shares a renewal in flight. */
  async renewIfDue(): Promise<void> {
    if (this.size() === 0 || this.options.clock.now() - this.lastRenewal < this.renewEveryMs) return;
    await this.renew();
  }

  /** Extends every claim held. A failure is logged (once per outage) and leaves `validUntil` as it was. */
  renew(): Promise<void> {
    this.renewing ??= (async () => {
      const now = this.options.clock.now();
      this.takenWhileRenewing = Infinity;
      const held = { deliveries: [...this.held.deliveries], preparations: [...this.held.preparations] };
      try {
        await this.options.store.renewClaims(this.holderId, held, now + this.leaseMs, now);
        this.until = Math.min(now + this.leaseMs, this.takenWhileRenewing);
        this.lastRenewal = now;
        if (this.failing) this.options.logger.info('Claims renewed again: the store answers');
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.options.logger.warn(`Could not renew ${held.deliveries.length + held.preparations.length} claims; no new sends start until the store answers:`, error);
        this.failing = true;
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }

  /** Renews on a timer while work is held, so long waits (a 429 pause, a slow look-up) keep their claims. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renewIfDue(), this.renewEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
