// Latency and API calls per answer against the fake SageMaker: our source cold and warm, and the
// naive client the helper library amounts to. Questions run one at a time so that every call the
// fake counts belongs to the answer being measured.
import { CachedLineageSource } from '../src/lineage/cache.js';
import type { LineageSource } from '../src/lineage/lineage-source.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import { createSageMakerSource } from '../src/lineage/sources/sagemaker.js';
import { createSageMakerClient, type SageMakerSourceOptions } from '../src/lineage/sources/sagemaker-client.js';
import type { FakeInWorker } from './fake-in-worker.js';
import { BENCH_CREDENTIALS, benchSageMakerClient, NaiveLineageClient, type NaiveConsumers, type NaiveDependencies } from './naive-client.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { ask, core, sameCore, type CoreAnswer, type Question } from './questions.js';
import { RoundTripRecorder } from './round-trips.js';
import { ms, summarize, table } from './stats.js';

export interface Measurement {
  calls: number;
  /** The fake's count per operation (QueryLineage, DescribeArtifact, …). */
  byOperation: Record<string, number>;
  ms: number;
  /** CPU the bench process spent meanwhile (all its threads, GC helpers included): steadier than `ms` on a busy machine. */
  cpuMs: number;
  /** Garbage collections that started during the answer, and their pauses in total. */
  gcCount: number;
  gcMs: number;
  /** Of `ms`, how long the fake was busy working (not waiting out its delay). */
  fakeMs: number;
  /** Longest chain of calls made one after another (see round-trips.ts). */
  rounds: number;
  peakInFlight: number;
  /** Of `ms`, time with no call in flight: the client's own work between calls. */
  offNetworkMs: number;
  /** Mean time from sending one call to its response, as the client saw it. */
  meanCallMs: number;
  /** Calls on the chain of waits that makes up the wall time, by operation (see round-trips.ts). */
  criticalPath: Record<string, number>;
  /** Names in the answer (models + endpoints, or feature groups). */
  answerSize: number;
  correct: boolean;
  cutShort: boolean;
}

export interface QuestionResult {
  question: Question;
  cold: Measurement;
  warm: Measurement[];
  naive: Measurement;
  complete: Measurement;
}

export interface LatencyOptions {
  fake: FakeInWorker;
  questions: readonly Question[];
  truth: ReadonlyMap<Question, CoreAnswer>;
  limits: ServiceLimits;
  /** Warm repetitions per question, for a p99 that means something. */
  warmRepeats: number;
  /** Cache settings as shipped (CACHE_* defaults). */
  cache: { ttlMs: number; maxEntries: number; maxBytes: number };
  progress: (line: string) => void;
}

export async function measureLatency(options: LatencyOptions): Promise<QuestionResult[]> {
  const { fake, limits } = options;
  const recorder = new RoundTripRecorder();
  const sagemaker = timedSageMakerSource(fake, limits, recorder);
  const naive = new NaiveLineageClient(recorder.attach(benchSageMakerClient(fake.url)));
  const complete = new NaiveLineageClient(recorder.attach(benchSageMakerClient(fake.url)), Number.POSITIVE_INFINITY);

  // Pauses are told after the fact; each answer keeps its time span and takes the pauses that started in it.
  const pauses: { start: number; duration: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const spans = new Map<Measurement, number>();

  const results: QuestionResult[] = [];
  for (const [index, question] of options.questions.entries()) {
    const truth = options.truth.get(question) as CoreAnswer;
    // A fresh cache per question: its cold answer shares nothing with earlier questions.
    const service = new LineageService(new CachedLineageSource(sagemaker, options.cache), limits);
    const ours = async (): Promise<Measurement> => {
      const { value, startedAt, ...measured } = await timed(fake, recorder, () => ask(service, question));
      const answer = core(value);
      const measurement = { ...measured, answerSize: size(answer), correct: sameCore(answer, truth), cutShort: false };
      spans.set(measurement, startedAt);
      return measurement;
    };
    const cold = await ours();
    const warm: Measurement[] = [];
    for (let i = 0; i < options.warmRepeats; i++) warm.push(await ours());
    const baseline = async (client: NaiveLineageClient): Promise<Measurement> => {
      const { value, startedAt: _startedAt, ...measured } = await timed<NaiveConsumers | NaiveDependencies>(fake, recorder, () =>
        question.kind === 'consumers' ? client.consumers(question.subject) : client.dependencies(question.subject),
      );
      const answer = naiveCore(value);
      return { ...measured, answerSize: size(answer), correct: sameCore(answer, truth), cutShort: value.cutShort };
    };
    const result = { question, cold, warm, naive: await baseline(naive), complete: await baseline(complete) };
    results.push(result);
    options.progress(
      `  ${String(index + 1).padStart(2)}/${options.questions.length} ${question.kind} ${question.subject}${question.deep ? ' (deep)' : ''}: ` +
        `cold ${cold.calls} calls in ${cold.rounds} rounds ${cold.ms.toFixed(0)} ms (fake busy ${cold.fakeMs.toFixed(0)})${cold.correct ? '' : ' WRONG'}, ` +
        `helper-faithful ${result.naive.calls} calls ${result.naive.ms.toFixed(0)} ms${result.naive.correct ? '' : ' wrong'}${result.naive.cutShort ? ' (cut short)' : ''}, ` +
        `walked to the end ${result.complete.calls} calls ${result.complete.ms.toFixed(0)} ms${result.complete.correct ? '' : ' WRONG'}`,
    );
  }
  // Let the last pauses be told, then give each answer its own.
  await new Promise((resolve) => setTimeout(resolve, 10));
  gcObserver.disconnect();
  for (const [measurement, startedAt] of spans) {
    const during = pauses.filter((p) => p.start >= startedAt && p.start < startedAt + measurement.ms);
    measurement.gcCount = during.length;
    measurement.gcMs = during.reduce((sum, p) => sum + p.duration, 0);
  }
  return results;
}

/**
 * Warm answers by the size of the answer, with the CPU they cost and the collections that
 * paused them: where the p99 comes from (big answers, or pauses landing in small ones).
 */
export function reportWarm(results: readonly QuestionResult[], print: (line: string) => void): void {
  const sizes: [label: string, min: number, max: number][] = [
    ['1-10 names', 0, 10],
    ['11-50', 11, 50],
    ['51-200', 51, 200],
    ['over 200', 201, Number.POSITIVE_INFINITY],
  ];
  const row = (label: string, warm: readonly Measurement[]) => {
    const wall = summarize(warm.map((m) => m.ms));
    const cpu = summarize(warm.map((m) => m.cpuMs));
    const paused = warm.filter((m) => m.gcCount > 0);
    return [
      label,
      `${warm.length}`,
      ms(wall.p50),
      ms(wall.p99),
      ms(cpu.mean),
      ms(cpu.p99),
      `${paused.length}`,
      ms(summarize(warm.map((m) => m.gcMs)).max),
      ms(summarize(warm.filter((m) => m.gcCount === 0).map((m) => m.ms)).p99),
    ];
  };
  const all = results.flatMap((r) => r.warm);
  print('\nWarm answers by answer size (CPU is the whole process: steadier than wall time on a busy machine):');
  print(
    table([
      ['names in answer', 'answers', 'wall p50', 'wall p99', 'CPU ms mean', 'CPU p99', 'with a GC pause', 'longest pause', 'wall p99 without a pause'],
      ...sizes.flatMap(([label, min, max]) => {
        const warm = results.filter((r) => r.cold.answerSize >= min && r.cold.answerSize <= max).flatMap((r) => r.warm);
        return warm.length > 0 ? [row(label, warm)] : [];
      }),
      row('all', all),
    ]),
  );
}

/** Our SageMaker source over the fake: the client the source would build for itself, with the round-trip timer added. */
export function timedSageMakerSource(fake: FakeInWorker, limits: ServiceLimits, recorder: RoundTripRecorder): LineageSource {
  const sourceOptions: SageMakerSourceOptions = {
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 3,
    retryMode: 'standard',
    requestTimeoutMs: 10_000,
    concurrency: limits.describeConcurrency,
  };
  return createSageMakerSource(sourceOptions, recorder.attach(createSageMakerClient(sourceOptions)));
}

async function timed<T>(
  fake: FakeInWorker,
  recorder: RoundTripRecorder,
  run: () => Promise<T>,
): Promise<Omit<Measurement, 'answerSize' | 'correct' | 'cutShort'> & { value: T; startedAt: number }> {
  await fake.resetCalls();
  recorder.reset();
  const busy = fake.busyMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const fakeMs = fake.busyMs() - busy;
  const { rounds, peakInFlight, onNetworkMs, meanCallMs, criticalPath } = recorder.summary();
  const byOperation = await fake.callsByOperation();
  const calls = Object.values(byOperation).reduce((sum, count) => sum + count, 0);
  return {
    value,
    startedAt: started,
    calls,
    byOperation,
    ms,
    cpuMs: (user + system) / 1000,
    gcCount: 0,
    gcMs: 0,
    fakeMs,
    rounds,
    peakInFlight,
    offNetworkMs: ms - onNetworkMs,
    meanCallMs,
    criticalPath,
  };
}

function size(answer: CoreAnswer): number {
  return answer.models.length + answer.endpoints.length + answer.featureGroups.length;
}

function naiveCore(answer: NaiveConsumers | NaiveDependencies): CoreAnswer {
  return 'featureGroups' in answer
    ? { models: [], endpoints: [], featureGroups: answer.featureGroups }
    : { models: answer.models, endpoints: answer.endpoints, featureGroups: [] };
}
