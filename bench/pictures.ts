// Pictures of the biggest synthetic subjects: how long drawing takes (layout + PNG) next to how
// long answering the same question takes cold, against the same fake SageMaker in the same run.
// The goal: drawing never takes longer than answering. Also the first picture's cost (Graphviz's
// WebAssembly compiled on first use) and the memory drawing takes.
import { CachedLineageSource } from '../src/lineage/cache.js';
import type { Neighbourhood } from '../src/lineage/neighbourhood.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import { createSageMakerSource } from '../src/lineage/sources/sagemaker.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import { PictureRenderer, type DrawnPicture } from '../src/picture/render.js';
import type { FakeInWorker } from './fake-in-worker.js';
import { BENCH_CREDENTIALS } from './naive-client.js';
import { truthService } from './questions.js';
import { mb, ms, ratio, summarize, table } from './stats.js';

const RENDERS = 15;

export interface PictureSubject {
  label: string;
  /** The text answer to the same question, cold. */
  answer: (service: LineageService) => Promise<unknown>;
  neighbourhood: (service: LineageService) => Promise<Neighbourhood>;
}

export interface PictureResult {
  subject: PictureSubject;
  coldAnswerMs: number;
  coldNeighbourhoodMs: number;
  nodes: number;
  entities: number;
  render: ReturnType<typeof summarize>;
  pngBytes: number;
  width: number;
  height: number;
}

export interface PicturesBench {
  results: PictureResult[];
  /** A fresh renderer's first PNG: WebAssembly compiled, fonts loaded, then drawn. */
  firstRenderMs: number;
  /** Highest resident memory seen while drawing, above what the process held before. */
  peakRssGrowth: number;
  peakHeapGrowth: number;
}

/** The biggest subjects: the feature groups with the most consumers (both pictures), the models with the largest trails. */
export async function biggestSubjects(account: Snapshot, limits: ServiceLimits): Promise<PictureSubject[]> {
  const truth = truthService(account, limits);
  const groups: [string, number][] = [];
  for (const group of account.FeatureGroups) {
    const consumers = await truth.consumers(group.FeatureGroupName);
    groups.push([group.FeatureGroupName, consumers.models.length + consumers.endpoints.length]);
  }
  groups.sort((a, b) => b[1] - a[1]);
  // Models downstream of derived groups have the deepest trails; take the two with the most entities.
  const deep = new Set<string>();
  for (const [name] of groups.filter(([name]) => name.includes('derived'))) {
    for (const consumer of (await truth.consumers(name)).models) deep.add(consumer.model.name);
  }
  const models: [string, number][] = [];
  for (const model of deep) models.push([model, (await truth.neighbourhood(model)).entityCount]);
  models.sort((a, b) => b[1] - a[1]);
  const subjects: PictureSubject[] = [];
  for (const [group, consumers] of groups.slice(0, 2)) {
    subjects.push(
      { label: `lineage of feature group ${group} (${consumers} consumers)`, answer: (s) => s.consumers(group), neighbourhood: (s) => s.neighbourhood(group) },
      { label: `impact of feature group ${group}`, answer: (s) => s.consumers(group), neighbourhood: (s) => s.blastRadius(group) },
    );
  }
  for (const [model] of models.slice(0, 2)) {
    subjects.push({ label: `lineage of model ${model} (deep)`, answer: (s) => s.trail(model, 'Model'), neighbourhood: (s) => s.neighbourhood(model) });
  }
  return subjects;
}

export async function measurePictures(options: {
  fake: FakeInWorker;
  subjects: readonly PictureSubject[];
  limits: ServiceLimits;
  cache: { ttlMs: number; maxEntries: number; maxBytes: number };
}): Promise<PicturesBench> {
  const sagemaker = createSageMakerSource({
    region: 'us-east-1',
    endpoint: options.fake.url,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 3,
    retryMode: 'standard',
    requestTimeoutMs: 10_000,
    concurrency: options.limits.describeConcurrency,
  });
  const fresh = () => new LineageService(new CachedLineageSource(sagemaker, options.cache), options.limits);
  const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const value = await run();
    return [value, performance.now() - started];
  };

  const neighbourhoods: [PictureSubject, Neighbourhood, number, number][] = [];
  for (const subject of options.subjects) {
    const [, coldAnswerMs] = await timed(() => subject.answer(fresh()));
    const [neighbourhood, coldNeighbourhoodMs] = await timed(() => subject.neighbourhood(fresh()));
    neighbourhoods.push([subject, neighbourhood, coldAnswerMs, coldNeighbourhoodMs]);
  }

  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const renderer = new PictureRenderer();
  const [, firstRenderMs] = await timed(() => renderer.draw(neighbourhoods[0]?.[1] as Neighbourhood, 'png'));
  sample();
  const results: PictureResult[] = [];
  for (const [subject, neighbourhood, coldAnswerMs, coldNeighbourhoodMs] of neighbourhoods) {
    const times: number[] = [];
    let last: DrawnPicture | undefined;
    for (let i = 0; i < RENDERS; i++) {
      const [picture, elapsed] = await timed(() => renderer.draw(neighbourhood, 'png'));
      times.push(elapsed);
      last = picture;
      sample();
    }
    results.push({
      subject,
      coldAnswerMs,
      coldNeighbourhoodMs,
      nodes: neighbourhood.nodes.length,
      entities: neighbourhood.entityCount,
      render: summarize(times),
      pngBytes: last?.bytes.length ?? 0,
      width: last?.width ?? 0,
      height: last?.height ?? 0,
    });
  }
  return { results, firstRenderMs, peakRssGrowth: peakRss - before.rss, peakHeapGrowth: peakHeap - before.heapUsed };
}

/** The printout; returns whether drawing stayed within the cold answer time for every subject. */
export function reportPictures(bench: PicturesBench, print: (line: string) => void): boolean {
  print(
    table([
      ['subject', 'entities → nodes drawn', 'cold answer ms', 'cold walk for picture ms', 'render p50 ms', 'p99', 'render p99 / cold answer', 'PNG px', 'PNG kB'],
      ...bench.results.map((r) => [
        r.subject.label,
        `${r.entities} → ${r.nodes}`,
        ms(r.coldAnswerMs),
        ms(r.coldNeighbourhoodMs),
        ms(r.render.p50),
        ms(r.render.p99),
        ratio(r.render.p99 / r.coldAnswerMs),
        `${r.width}×${r.height}`,
        (r.pngBytes / 1024).toFixed(0),
      ]),
    ]),
  );
  const all = summarize(bench.results.flatMap((r) => [r.render.p50]));
  const worst = Math.max(...bench.results.map((r) => r.render.p99 / r.coldAnswerMs));
  print(
    `Picture: render p50 ${ms(all.p50)} ms, p99 ${ms(Math.max(...bench.results.map((r) => r.render.p99)))} ms over ${RENDERS} renders each; ` +
      `worst render p99 / cold answer ${ratio(worst)}; first render (WebAssembly compile + fonts) ${ms(bench.firstRenderMs)} ms; ` +
      `peak memory while drawing +${mb(bench.peakRssGrowth)} resident, +${mb(bench.peakHeapGrowth)} heap`,
  );
  return worst <= 1;
}
