// A clock the test moves, for reminders, retries and Slack's Retry-After. sleep() advances the
// clock by the time asked (after letting other work run), so a worker waiting out a 429 or a
// backoff finishes at once while still seeing time pass.
import type { Clock } from '../../src/notices/clock.js';

export class ManualClock implements Clock {
  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (ms > 0) this.time += ms;
  }

  set(time: number | string): void {
    this.time = typeof time === 'string' ? Date.parse(time) : time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
