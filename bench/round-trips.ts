// Where a wall time goes, seen from the client: every HTTP attempt's start and end (a middleware
// next to the SDK's request handler, so signing and parsing are outside it), and from those
//   - sequential round trips: the most calls that ran strictly one after another — the depth of
//     the call chain, which at 20 ms per call sets a floor of rounds × 20 ms on the wall time;
//   - peak calls in flight at once;
//   - time off the network: wall time with no call in flight, i.e. the client's own CPU work
//     between calls (the service, the SDK, response validation);
//   - the critical path by operation: from the call that ended last, back through the call that
//     ended last before it started, and so on — the chain of waits the wall time is made of.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface RoundTrips {
  /** Longest chain of calls each starting after the previous one ended. */
  rounds: number;
  peakInFlight: number;
  /** Wall time with at least one call in flight. */
  onNetworkMs: number;
  /** Mean time from sending a call to its response. */
  meanCallMs: number;
  /** Calls on the critical path, by operation. */
  criticalPath: Record<string, number>;
}

export class RoundTripRecorder {
  private intervals: { operation: string; start: number; end: number }[] = [];

  /** Adds the timing middleware to a client; every client of one bench shares the recorder. */
  attach<C extends SageMakerClient>(client: C): C {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const interval = { operation, start: performance.now(), end: Number.NaN };
        this.intervals.push(interval);
        try {
          return await next(args);
        } finally {
          interval.end = performance.now();
        }
      },
      // The last deserialize middleware wraps the HTTP handler alone: one interval per attempt.
      { step: 'deserialize', priority: 'low', name: 'benchRoundTrips' },
    );
    return client;
  }

  reset(): void {
    this.intervals = [];
  }

  summary(): RoundTrips {
    const done = this.intervals.filter((i) => Number.isFinite(i.end));
    // Greedy by earliest end gives the largest set of pairwise non-overlapping calls.
    let rounds = 0;
    let lastEnd = Number.NEGATIVE_INFINITY;
    for (const i of [...done].sort((a, b) => a.end - b.end)) {
      if (i.start >= lastEnd) {
        rounds++;
        lastEnd = i.end;
      }
    }
    const events = done.flatMap((i) => [
      { at: i.start, delta: 1 },
      { at: i.end, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let inFlight = 0;
    let peakInFlight = 0;
    let onNetworkMs = 0;
    let since = 0;
    for (const { at, delta } of events) {
      if (inFlight === 0 && delta > 0) since = at;
      inFlight += delta;
      if (inFlight === 0) onNetworkMs += at - since;
      peakInFlight = Math.max(peakInFlight, inFlight);
    }
    const meanCallMs = done.length === 0 ? 0 : done.reduce((sum, i) => sum + (i.end - i.start), 0) / done.length;
    const criticalPath: Record<string, number> = {};
    const byEnd = [...done].sort((a, b) => a.end - b.end);
    for (let at = byEnd[byEnd.length - 1]; at !== undefined; ) {
      criticalPath[at.operation] = (criticalPath[at.operation] ?? 0) + 1;
      const started = at.start;
      at = byEnd.filter((i) => i.end <= started).pop();
    }
    return { rounds, peakInFlight, onNetworkMs, meanCallMs, criticalPath };
  }
}
