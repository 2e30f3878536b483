// The client side of the scale section (bench/scale.ts): every surface of the bot asked once, cold,
// against a fake SageMaker it is given the address of. It runs in a child process of its own so
// that its peak RSS is the bot's alone — the fake, in a worker of the parent, holds the whole
// account, and the parent holds it again to choose subjects. The parent sends a ScalePlan over
// the IPC channel and receives a ScaleReport. SageMaker calls are counted per HTTP attempt (a
// retry is a call), as the fake counts them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { HOME_DETAILED } from '../blocks/home.js';
import { createService } from '../src/app.js';
import { runExport } from '../src/cli/export.js';
import { loadConfig } from '../src/config.js';
import { CachedLineageSource } from '../src/lineage/cache.js';
import { ask, type QuestionRequest } from '../src/lineage/questions.js';
import { recogniseQuestions } from '../src/lineage/recognise.js';
import { createSageMakerSource } from '../src/lineage/sources/sagemaker.js';
import { createSageMakerClient, fanOutOptions } from '../src/lineage/sources/sagemaker-client.js';
import { FeatureGroupWatcher } from '../src/notices/watcher.js';
import { proposeLinks } from '../src/record/infer.js';
import { createLineageAccount } from '../src/record/sagemaker-account.js';
import { openStore } from '../src/store/index.js';
import { createLogger } from '../src/logger.js';
import { answerSize } from './answer-size.js';
import { impactThroughNotices } from './impact.js';
import { BENCH_CREDENTIALS } from './naive-client.js';

export interface ScalePlan {
  /** The fake SageMaker's address. */
  url: string;
  questions: { label: string; request: QuestionRequest }[];
  homeUser: string;
  /** A message for the shortcut: a few known names among ordinary words. */
  message: string;
  inferModel: string;
  largestGroup: string;
  /** Slack IDs the owner tags name (the fake Slack's users for the impact). */
  owners: string[];
  /** Print a line per surface as it is measured. */
  progress: boolean;
}

export interface SurfaceResult {
  surface: string;
  ms: number;
  calls: number;
  /** What the answer holds (names in it; owners; changes found), to compare scales by. */
  answer: number;
  /** The surface fails or the answer is not what the truth says: printed beside the row. */
  problem?: string;
  /** Stopped at the time budget, still running: `ms` and `calls` are what it took until then. */
  cutOff?: boolean;
}

export interface ScaleReport {
  rows: SurfaceResult[];
  /** After start-up (modules loaded, client built, nothing asked). */
  startupRss: number;
  /** Peak RSS over every surface but export --all, which holds the whole account by design. */
  peakRss: number;
  /** Peak RSS once export --all has run too. */
  peakRssWithExport: number;
  cache: { maxEntries: number; maxBytes: number };
}

const maxRss = () => process.resourceUsage().maxRSS * 1024;
/**
 * export --all describes every entity and resource: on the 10× account that is some 240,000 calls,
 * most of an hour's bench on a shared machine. It is stopped here and its rate reported.
 */
export const EXPORT_BUDGET_MS = 60_000;

export async function measureSurfaces(plan: ScalePlan): Promise<ScaleReport> {
  const config = loadConfig({ LINEAGE_SOURCE: 'sagemaker', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SAGEMAKER: plan.url });
  const settings = { ...config.sagemaker, credentials: BENCH_CREDENTIALS };
  // As src/create-source.ts builds them (answers' client, fan-out's client), both counted.
  const counter = callCounter();
  const source = createSageMakerSource(settings, counter.count(createSageMakerClient(settings)), counter.count(createSageMakerClient(fanOutOptions(settings))));
  const accountClient = counter.count(createSageMakerClient(settings));
  const cacheOptions = { ttlMs: config.cache.ttlSeconds * 1000, maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes };
  const logger = createLogger({ level: 'error', write: () => undefined });
  /** A service as src/app.ts builds it, over a cache of its own: each surface is measured cold. */
  const coldService = () => createService(new CachedLineageSource(source, cacheOptions), config, logger);
  const dir = mkdtempSync(join(tmpdir(), 'lineage-scale-bench-'));
  const rows: SurfaceResult[] = [];
  const measure = async (surface: string, run: () => Promise<{ answer: number; problem?: string; cutOff?: boolean }>) => {
    counter.reset();
    const started = performance.now();
    let row: SurfaceResult;
    try {
      const { answer, problem, cutOff } = await run();
      row = { surface, ms: performance.now() - started, calls: counter.calls, answer, ...(problem ? { problem } : {}), ...(cutOff ? { cutOff } : {}) };
    } catch (error) {
      row = { surface, ms: performance.now() - started, calls: counter.calls, answer: 0, problem: String(error) };
    }
    rows.push(row);
    if (plan.progress) console.log(`    ${surface}: ${row.ms.toFixed(0)} ms, ${row.calls} calls, answer ${row.answer}${row.cutOff ? ' (cut off)' : ''}${row.problem ? `: ${row.problem}` : ''}`);
  };
  const startupRss = process.memoryUsage().rss;

  for (const { label, request } of plan.questions) {
    const service = coldService();
    await measure(label, async () => ({ answer: answerSize(await ask(service, request)) }));
  }
  await measure('App Home (a user owning 8 resources)', async () => {
    const owned = await coldService().ownedBy([plan.homeUser], HOME_DETAILED);
    return { answer: owned.owned.length };
  });
  await measure('message shortcut: known names in a message', async () => {
    const cached = new CachedLineageSource(source, cacheOptions);
    const requests = await recogniseQuestions(cached, { plain: plan.message, links: [] }, 10);
    return { answer: requests.length };
  });
  await measure(`infer --model (one model)`, async () => {
    const set = await proposeLinks(createLineageAccount(settings, accountClient), { models: [plan.inferModel] });
    return { answer: set.proposals.length + set.alreadyLinked.length };
  });
  const store = await openStore(`sqlite:${join(dir, 'watcher.db')}`);
  try {
    // As src/notices/index.ts builds it: with the source's change feed, so a round is what the bot runs.
    const feed = source.featureGroupFeed?.();
    const watcher = new FeatureGroupWatcher({
      store,
      source,
      ...(feed ? { feed } : {}),
      notices: {
        announceDetectedChange: () => Promise.reject(new Error('the bench account does not change between cycles')),
      },
      logger,
      intervalSeconds: 0,
    });
    await watcher.cycle(); // the first cycle lists every group once: the baselines and the mark
    await measure('watcher cycle (no group changed)', async () => {
      const results = await watcher.cycle();
      return { answer: results.filter((r) => r.outcome !== 'unchanged').length };
    });
  } finally {
    await store.close();
  }
  await measure('impact of the largest feature group (notice)', async () => {
    const result = await impactThroughNotices({
      source,
      users: plan.owners.map((id) => ({ id, name: id })),
      channels: [],
      featureGroup: plan.largestGroup,
      describeConcurrency: config.sagemaker.concurrency,
    });
    const problem = result.failed ?? result.cut;
    return { answer: result.resources, ...(problem ? { problem } : {}) };
  });
  const peakRss = maxRss();
  await measure('export --all (follows the account by design)', async () => {
    const exported = runExport(['--out', join(dir, 'export.json'), '--all'], {
      source,
      write: async () => undefined,
      out: () => undefined,
      err: () => undefined,
    });
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'cut off'>((resolve) => (timer = setTimeout(() => resolve('cut off'), EXPORT_BUDGET_MS)));
    const outcome = await Promise.race([exported, budget]);
    clearTimeout(timer);
    // Cut off, it is left running: the process exits once the report is sent.
    if (outcome === 'cut off') return { answer: 1, cutOff: true };
    return { answer: 1, ...(outcome !== 0 ? { problem: `exit status ${outcome}` } : {}) };
  });
  rmSync(dir, { recursive: true, force: true });
  return { rows, startupRss, peakRss, peakRssWithExport: maxRss(), cache: { maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes } };
}

/** Counts every HTTP attempt (retries included) of the clients it is given. */
function callCounter() {
  let calls = 0;
  return {
    count<C extends SageMakerClient>(client: C): C {
      client.middlewareStack.add(
        (next) => async (args) => {
          calls++;
          return next(args);
        },
        // The last deserialize middleware wraps the HTTP handler alone: once per attempt.
        { step: 'deserialize', priority: 'low', name: 'benchCallCounter' },
      );
      return client;
    },
    get calls() {
      return calls;
    },
    reset: () => {
      calls = 0;
    },
  };
}

// Started by bench/scale.ts with an IPC channel: one plan in, one report out.
if (process.send !== undefined && process.env['LINEAGE_SCALE_CHILD'] === '1') {
  process.once('message', (plan: ScalePlan) => {
    measureSurfaces(plan).then(
      (report) => process.send?.({ report }, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: String(error instanceof Error ? error.stack : error) }, () => process.exit(1)),
    );
  });
}
