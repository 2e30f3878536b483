// What the first page of a consumers answer costs, for a small and for the biggest feature group
// of the synthetic account, through the real SageMakerClient against the fake SageMaker on
// 127.0.0.1 at 20 ms a call: calls, sequential rounds and wall time, cold (a fresh cache each),
// then the second page (*More*) against the same cache, and beside them the whole answer with
// every consumer described (what the first page cost before pages were described on their own). The goal: the first page costs about the
// same whatever the answer's size. `npx tsx bench/first-page.ts` runs it alone; bench/run.ts
// calls runFirstPageBench.
import { pathToFileURL } from 'node:url';
import { buildAnswer } from '../blocks/index.js';
import { loadConfig } from '../src/config.js';
import { CachedLineageSource } from '../src/lineage/cache.js';
import { ask, type QuestionRequest } from '../src/lineage/questions.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import { startFakeInWorker, type FakeInWorker } from './fake-in-worker.js';
import { timedSageMakerSource } from './latency.js';
import { truthService } from './questions.js';
import { RoundTripRecorder } from './round-trips.js';
import { ms, ratio, table } from './stats.js';
import { syntheticAccount } from './synthetic-account.js';

const DELAY_MS = 20;
/** Consumers (models + endpoints) of the small group asked about: the nearest to this. */
const SMALL = 10;

export interface PageCost {
  calls: number;
  rounds: number;
  ms: number;
  byOperation: Record<string, number>;
}

export interface FirstPageResult {
  group: string;
  consumers: number;
  first: PageCost;
  second?: PageCost;
  /** Every consumer described, as the first page was answered before pages were described on their own (and as impact still asks). */
  whole: PageCost;
}

/** The smallest group with about SMALL consumers, and the group with the most. */
export async function pageSubjects(account: Snapshot, limits: ServiceLimits): Promise<{ group: string; consumers: number }[]> {
  const truth = truthService(account, limits);
  const sizes: { group: string; consumers: number }[] = [];
  for (const group of account.FeatureGroups) {
    const answer = await truth.consumers(group.FeatureGroupName);
    sizes.push({ group: group.FeatureGroupName, consumers: answer.models.length + answer.endpoints.length });
  }
  const biggest = [...sizes].sort((a, b) => b.consumers - a.consumers)[0];
  const small = [...sizes].filter((s) => s.consumers > 0).sort((a, b) => Math.abs(a.consumers - SMALL) - Math.abs(b.consumers - SMALL))[0];
  return [small, biggest].filter((s): s is { group: string; consumers: number } => s !== undefined);
}

export async function measureFirstPages(fake: FakeInWorker, subjects: readonly { group: string; consumers: number }[], limits: ServiceLimits): Promise<FirstPageResult[]> {
  const config = loadConfig({});
  const cache = { ttlMs: config.cache.ttlSeconds * 1000, maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes };
  const recorder = new RoundTripRecorder();
  const sagemaker = timedSageMakerSource(fake, limits, recorder);
  // One answer first, untimed: the client's and the SDK's first-use costs are no group's.
  const [warmUp] = subjects;
  if (warmUp) await ask(new LineageService(new CachedLineageSource(sagemaker, cache), limits), { question: 'consumers', input: warmUp.group });
  const results: FirstPageResult[] = [];
  for (const subject of subjects) {
    const fresh = () => new LineageService(new CachedLineageSource(sagemaker, cache), limits);
    const request: QuestionRequest = { question: 'consumers', input: subject.group };
    const measured = async <T>(run: () => Promise<T>): Promise<{ cost: PageCost; value: T }> => {
      await fake.resetCalls();
      recorder.reset();
      const started = performance.now();
      const value = await run();
      const elapsed = performance.now() - started;
      const byOperation = await fake.callsByOperation();
      const calls = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
      return { cost: { calls, rounds: recorder.summary().rounds, ms: elapsed, byOperation }, value };
    };
    const service = fresh();
    const page = (index: number) => measured(async () => buildAnswer(await ask(service, request, index), { page: index, request }));
    const first = await page(0);
    const second = JSON.stringify(first.value.blocks).includes('"More (') ? (await page(1)).cost : undefined;
    const whole = fresh();
    const everything = await measured(async () => buildAnswer(await whole.consumers(subject.group), { page: 0, request }));
    results.push({ ...subject, first: first.cost, ...(second ? { second } : {}), whole: everything.cost });
  }
  return results;
}

export function reportFirstPages(results: readonly FirstPageResult[], print: (line: string) => void): void {
  const cell = (cost: PageCost | undefined) => (cost ? [`${cost.calls}`, `${cost.rounds}`, ms(cost.ms)] : ['–', '–', '–']);
  print(
    table([
      ['feature group', 'consumers', 'first page calls', 'rounds', 'ms', 'More calls', 'rounds', 'ms', 'every consumer described: calls', 'rounds', 'ms'],
      ...results.map((r) => [r.group, `${r.consumers}`, ...cell(r.first), ...cell(r.second), ...cell(r.whole)]),
    ]),
  );
  for (const r of results) {
    const operations = (cost: PageCost | undefined) =>
      cost ? Object.entries(cost.byOperation).sort(([a], [b]) => a.localeCompare(b)).map(([operation, n]) => `${operation} ${n}`).join(', ') : '–';
    print(`  ${r.group}: first page ${operations(r.first)}; More ${operations(r.second)}`);
  }
  const [small, big] = results;
  if (small && big) {
    print(
      `  first page, biggest / small: ${ratio(big.first.ms / small.first.ms)} wall, ${ratio(big.first.calls / small.first.calls)} calls, ${ratio(big.first.rounds / small.first.rounds)} rounds ` +
        `(every consumer described: ${ratio(big.whole.ms / small.whole.ms)} wall, ${ratio(big.whole.calls / small.whole.calls)} calls); ` +
        `what is left is the lineage query's own pages (${big.first.byOperation['QueryLineage'] ?? 0} against ${small.first.byOperation['QueryLineage'] ?? 0}), one after another`,
    );
  }
}

export async function runFirstPageBench(account: Snapshot, limits: ServiceLimits, print: (line: string) => void): Promise<FirstPageResult[]> {
  const subjects = await pageSubjects(account, limits);
  const fake = await startFakeInWorker(account, { delayMs: DELAY_MS, repeatVertices: true });
  try {
    print(`First page of a consumers answer, cold, at ${DELAY_MS} ms a call (then More on the same cache):`);
    const results = await measureFirstPages(fake, subjects, limits);
    reportFirstPages(results, print);
    return results;
  } finally {
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig({});
  const limits: ServiceLimits = { ...config.limits, describeConcurrency: loadConfig({ LINEAGE_SOURCE: 'sagemaker' }).sagemaker.concurrency };
  await runFirstPageBench(syntheticAccount(), limits, (line) => console.log(line));
}
