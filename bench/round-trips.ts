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
import { LineageGraph } from '../src/lineage/graph.js';
import type { AssociationType, Direction, LineageQuery, LineageSource, LineageType } from '../src/lineage/lineage-source.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import { SAGEMAKER_MAX_DEPTH } from '../src/lineage/sources/sagemaker-walk.js';
import { SnapshotSource } from '../src/lineage/sources/snapshot.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import { createFakeSageMaker, type SageMakerFake } from '../test/support/fake-sagemaker.js';
import { ask, core, type Question } from './questions.js';
import { table } from './stats.js';

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

/**
 * The least sequential round trips a correct cold answer can take (issue 16): one to resolve the
 * subject, the QueryLineage pages the answer needs one after another, and one round of describes
 * to name what it found (none when the answer is empty).
 *
 * The pages come from the fake's own data and paging: the ground-truth service answers the
 * question over the snapshot, and every lineage query it needs (from the subject, and from each
 * feature group a walk goes on to) is paged against the fake as a client would, 50 results a
 * page, deeper than 10 hops level by level, every query of a level in parallel. Queries that can
 * only be asked once an earlier one has answered (a walk across groups, the levels of a deep walk)
 * add up; queries asked side by side count once. So the floor takes nothing from how this client
 * happens to walk except which queries the answer needs.
 */
export interface Floor {
  /** 1 + pages + (1 when the answer names something). */
  rounds: number;
  /** QueryLineage pages that must come one after another. */
  pages: number;
}

const FLOOR_PAGE = 50;

export class FloorCounter {
  private readonly fake: SageMakerFake;

  constructor(private readonly account: Snapshot) {
    this.fake = createFakeSageMaker(account);
  }

  async floor(question: Question, limits: ServiceLimits): Promise<Floor> {
    const queries: { issued: number; ended: number; pages: number }[] = [];
    const clock = new PhaseClock();
    const counted = countingSource(new SnapshotSource(this.account, 'floor'), clock, (query, issued, ended) =>
      queries.push({ issued, ended, pages: this.queryPages(query) }),
    );
    const answer = core(await ask(new LineageService(counted, limits), question));
    // The longest chain of queries each asked after the one before answered, weighted by pages.
    const chain = new Map<number, number>();
    let pages = 0;
    queries.sort((a, b) => a.issued - b.issued);
    queries.forEach((query, i) => {
      const before = queries.slice(0, i).filter((earlier) => earlier.ended <= query.issued);
      const best = query.pages + Math.max(0, ...before.map((earlier) => chain.get(queries.indexOf(earlier)) ?? 0));
      chain.set(i, best);
      pages = Math.max(pages, best);
    });
    const named = answer.models.length + answer.endpoints.length + answer.featureGroups.length > 0;
    return { rounds: 1 + pages + (named ? 1 : 0), pages };
  }

  /** Sequential pages of one query, as deepQueryLineage asks it: levels of ≤ 10 hops, each level's starts in parallel. */
  private queryPages(query: LineageQuery): number {
    const graph = new LineageGraph();
    const hopsNeeded = Math.max(0, query.maxDepth) + 1;
    let fetched = 0;
    let frontier = [query.startArn];
    let pages = 0;
    while (frontier.length > 0 && fetched < hopsNeeded) {
      const depth = Math.min(SAGEMAKER_MAX_DEPTH, hopsNeeded - fetched);
      pages += Math.max(...frontier.map((arn) => this.pagesFrom(arn, query.direction, depth, graph)));
      fetched += depth;
      const distances = graph.distances([query.startArn], query.direction);
      frontier = [...distances].filter(([, distance]) => distance === fetched).map(([arn]) => arn);
    }
    return pages;
  }

  /** Pages the fake returns for one QueryLineage query, its vertices and edges added to `graph`. */
  private pagesFrom(startArn: string, direction: Direction, depth: number, graph: LineageGraph): number {
    let pages = 0;
    let nextToken: string | undefined;
    do {
      const body = { StartArns: [startArn], Direction: direction, IncludeEdges: true, MaxDepth: depth, MaxResults: FLOOR_PAGE, NextToken: nextToken };
      const reply = this.fake.answer({ method: 'POST', path: '/', headers: FAKE_HEADERS, body });
      const page = reply.body as { Vertices: WireVertex[]; Edges: WireEdge[]; NextToken?: string };
      for (const v of page.Vertices) graph.addVertex({ arn: v.Arn, lineageType: v.LineageType, ...(v.Type ? { type: v.Type } : {}) });
      for (const e of page.Edges) graph.addEdge({ sourceArn: e.SourceArn, destinationArn: e.DestinationArn, type: e.AssociationType });
      pages++;
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return pages;
  }
}

type WireVertex = { Arn: string; LineageType: LineageType; Type?: string };
type WireEdge = { SourceArn: string; DestinationArn: string; AssociationType: AssociationType };
const FAKE_HEADERS = { 'x-amz-target': 'SageMaker.QueryLineage', 'content-type': 'application/x-amz-json-1.1', authorization: 'AWS4-HMAC-SHA256 floor' };

/**
 * Logical time for calls to an in-memory source: every call answers at the next tick of the event
 * loop (setImmediate), so calls asked side by side share a tick and a call that needs an earlier
 * one's answer comes a tick later.
 */
class PhaseClock {
  now = 0;
  private waiting: (() => void)[] = [];

  next(): Promise<void> {
    if (this.waiting.length === 0) {
      setImmediate(() => {
        this.now++;
        const ready = this.waiting;
        this.waiting = [];
        for (const resolve of ready) resolve();
      });
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** `source` with every call answered on the clock's next tick, and each lineage query told to `onQuery`. */
function countingSource(source: LineageSource, clock: PhaseClock, onQuery: (query: LineageQuery, issued: number, ended: number) => void): LineageSource {
  return new Proxy(source, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const issued = clock.now;
        await clock.next();
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        if (property === 'queryLineage') onQuery(args[0] as LineageQuery, issued, clock.now);
        return result;
      };
    },
  });
}

/** The goal: at most this many times the floor on average, and no question above the second. */
export const FLOOR_GOAL = { mean: 1.5, max: 2 };

export interface FloorRow {
  question: Question;
  rounds: number;
  floor: Floor;
}

/** What kind of question, as the table groups them: consumers or dependencies, plain, deep or through derived groups. */
function questionType(question: Question): string {
  const detail = question.derived ? 'through derived groups' : question.deep ? 'deep (beyond 10 hops)' : 'plain';
  return `${question.kind}, ${detail}`;
}

/** Prints rounds / floor per question type, and returns whether the goal is met, with a one-line verdict detail. */
export function reportFloor(rows: readonly FloorRow[], print: (line: string) => void): { met: boolean; detail: string } {
  const ratioOf = (row: FloorRow) => row.rounds / row.floor.rounds;
  const types = [...new Set(rows.map((row) => questionType(row.question)))].sort();
  const line = (label: string, selected: readonly FloorRow[]) => {
    const mean = (value: (row: FloorRow) => number) => selected.reduce((sum, row) => sum + value(row), 0) / selected.length;
    const worst = selected.reduce((a, b) => (ratioOf(b) > ratioOf(a) ? b : a));
    return [
      label,
      `${selected.length}`,
      mean((row) => row.floor.pages).toFixed(1),
      mean((row) => row.floor.rounds).toFixed(1),
      mean((row) => row.rounds).toFixed(1),
      `${mean(ratioOf).toFixed(2)}×`,
      `${ratioOf(worst).toFixed(2)}× (${worst.question.subject}: ${worst.rounds} / ${worst.floor.rounds})`,
      `${selected.filter((row) => ratioOf(row) > FLOOR_GOAL.max).length}`,
    ];
  };
  print(
    '\nSequential round trips against the floor (1 to resolve + the QueryLineage pages the answer needs one after another + 1 round of describes):',
  );
  print(
    table([
      ['question type', 'questions', 'pages needed', 'floor', 'rounds (cold)', 'rounds / floor, mean', 'max', `above ${FLOOR_GOAL.max}×`],
      ...types.map((type) => line(type, rows.filter((row) => questionType(row.question) === type))),
      line('all', rows),
    ]),
  );
  const mean = rows.reduce((sum, row) => sum + ratioOf(row), 0) / rows.length;
  const max = Math.max(...rows.map(ratioOf));
  return {
    met: mean <= FLOOR_GOAL.mean && max <= FLOOR_GOAL.max,
    detail: `mean ${mean.toFixed(2)}×, max ${max.toFixed(2)}×, ${rows.filter((row) => ratioOf(row) > FLOOR_GOAL.max).length} of ${rows.length} above ${FLOOR_GOAL.max}×`,
  };
}
