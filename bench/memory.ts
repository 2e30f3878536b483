// Memory under many distinct questions: the cache must stay within its entry and byte limits,
// and the heap must level off once the cache is full instead of growing with every question.
// Runs over the snapshot in memory, so it measures the cache, not the network.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CachedLineageSource } from '../src/lineage/cache.js';
import { isLineageError } from '../src/lineage/errors.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import { SnapshotSource } from '../src/lineage/sources/snapshot.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import type { Random } from './random.js';

interface MemoryQuestion {
  kind: 'dependencies' | 'trail' | 'consumers' | 'upstream' | 'featureUsage' | 'builtFrom' | 'search';
  input: string;
}

export interface MemoryResult {
  questions: number;
  /** Questions the service answered with a domain error (not found, wrong kind): still work done. */
  domainErrors: number;
  limits: { maxEntries: number; maxBytes: number };
  peakEntries: number;
  peakBytes: number;
  /** Heap after a full GC: before the first question, halfway, and at the end. */
  heapBefore: number;
  heapHalfway: number;
  heapAfter: number;
  /** Highest heapUsed seen at any sample, garbage included. */
  heapPeak: number;
  gcAvailable: boolean;
  stats: ReturnType<CachedLineageSource['stats']>;
  seconds: number;
}

export async function measureMemory(
  account: Snapshot,
  limits: ServiceLimits,
  cacheLimits: { maxEntries: number; maxBytes: number },
  count: number,
  random: Random,
): Promise<MemoryResult> {
  const questions = distinctQuestions(account, count, random);
  const cache = new CachedLineageSource(new SnapshotSource(account, 'synthetic account'), { ttlMs: 600_000, ...cacheLimits });
  const service = new LineageService(cache, limits);
  const gc = fullGc();
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const started = performance.now();
  const heapBefore = heap();
  let heapHalfway = heapBefore;
  let heapPeak = heapBefore;
  let peakEntries = 0;
  let peakBytes = 0;
  let domainErrors = 0;
  for (const [index, question] of questions.entries()) {
    try {
      await answer(service, question);
    } catch (error) {
      if (!isLineageError(error)) throw error;
      domainErrors++;
    }
    const { entries, bytes } = cache.stats();
    peakEntries = Math.max(peakEntries, entries);
    peakBytes = Math.max(peakBytes, bytes);
    if (index % 250 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    if (index === Math.floor(questions.length / 2)) heapHalfway = heap();
  }
  return {
    questions: questions.length,
    domainErrors,
    limits: cacheLimits,
    peakEntries,
    peakBytes,
    heapBefore,
    heapHalfway,
    heapAfter: heap(),
    heapPeak,
    gcAvailable: gc !== undefined,
    stats: cache.stats(),
    seconds: (performance.now() - started) / 1000,
  };
}

function answer(service: LineageService, question: MemoryQuestion): Promise<unknown> {
  switch (question.kind) {
    case 'dependencies':
      return service.dependencies(question.input);
    case 'trail':
      return service.trail(question.input);
    case 'consumers':
      return service.consumers(question.input);
    case 'upstream':
      return service.upstream(question.input);
    case 'featureUsage':
      return service.featureUsage(question.input);
    case 'builtFrom':
      return service.builtFrom(question.input);
    case 'search':
      return service.search(question.input);
  }
}

/** `count` different questions over every kind of subject the account has, in a seeded order. */
function distinctQuestions(account: Snapshot, count: number, random: Random): MemoryQuestion[] {
  const models = account.Models.map((m) => m.ModelName);
  const endpoints = account.Endpoints.map((e) => e.EndpointName);
  const groups = account.FeatureGroups.map((f) => f.FeatureGroupName);
  const rawData = account.Artifacts.filter((a) => a.ArtifactName === 'ProcessingInputData').flatMap((a) => (a.Source ? [a.Source.SourceUri] : []));
  const all: MemoryQuestion[] = [
    ...[...models, ...endpoints].flatMap((input) => [
      { kind: 'dependencies' as const, input },
      { kind: 'trail' as const, input },
    ]),
    ...groups.flatMap((input) => [
      { kind: 'consumers' as const, input },
      { kind: 'upstream' as const, input },
    ]),
    ...account.FeatureGroups.flatMap((f) =>
      f.FeatureDefinitions.map((d) => ({ kind: 'featureUsage' as const, input: `${f.FeatureGroupName}.${d.FeatureName}` })),
    ),
    ...rawData.map((input) => ({ kind: 'builtFrom' as const, input })),
  ];
  // Searches fill any gap: every model-name prefix is a different question.
  for (let i = 0; all.length < count; i++) all.push({ kind: 'search', input: `model-${String(i).padStart(4, '0')}` });
  return random.sample(all, count);
}

/** A full garbage collection for steadier heap readings; undefined if the runtime refuses. */
function fullGc(): (() => void) | undefined {
  try {
    // --expose-gc cannot be passed through `tsx bench/run.ts`; setting the flag at run time and
    // reading `gc` from a fresh context is a long-standing V8 way around that.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
  } catch {
    return undefined; // only the readings get noisier; the limits are still checked exactly
  }
}
