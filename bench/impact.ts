// Impact of a change to a feature group with 2,000 consumers (each owned by someone else),
// through the real SageMakerClient against the fake SageMaker on 127.0.0.1 at 20 ms a call, which
// throttles (ThrottlingException) like an account's API rate limit: beyond RATE requests in any
// second, whatever the operation. Owners are looked up in a fake Slack on 127.0.0.1. Run once per
// retry mode with the SDK's own backoff: prints the time, the calls, the throttles, the most calls
// in flight and how many owners were resolved. Unthrottled, the client's bound (8 at 20 ms) would
// send up to 400 a second, so the limit is what paces the run.
// bench/run.ts calls runImpactBench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { webApi } from '@slack/bolt';
import { createNoticeRenderer } from '../blocks/notices/index.js';
import { explainAnnounceFailure } from '../commands/errors.js';
import { loadConfig } from '../src/config.js';
import { LineageService } from '../src/lineage/service.js';
import { createSageMakerSource } from '../src/lineage/sources/sagemaker.js';
import { createLogger } from '../src/logger.js';
import { systemClock } from '../src/notices/clock.js';
import { createNoticeSystem } from '../src/notices/index.js';
import { slackNoticePorts } from '../src/notices/slack/index.js';
import { openStore } from '../src/store/index.js';
import { FakeError, startFakeSageMaker } from '../test/support/fake-sagemaker.js';
import { FakeSlack, type FakeChannel, type FakeUser } from '../test/support/slack-fake.js';
import { ownersAccount, SHARED_GROUP } from '../test/support/slack-owners-account.js';
import { startSlackServer } from '../test/support/slack-server.js';

const CONSUMERS = 2_000;
const DELAY_MS = 20;
/** Requests per second the fake accepts; beyond, ThrottlingException. */
const RATE = 200;

export async function runImpactBench(print: (line: string) => void): Promise<{ ok: boolean }> {
  const account = ownersAccount(CONSUMERS);
  // The shipped defaults (attempts, timeout, SAGEMAKER_CONCURRENCY), over the fake.
  const shipped = loadConfig({}).sagemaker;
  const bound = shipped.concurrency;
  print(
    `Impact of a ${CONSUMERS}-consumer feature group: fake SageMaker at ${DELAY_MS} ms a call, throttling beyond ${RATE} requests in any second; ` +
      `SAGEMAKER_CONCURRENCY ${bound}, AWS_MAX_ATTEMPTS ${shipped.maxAttempts}.`,
  );
  let ok = true;
  for (const retryMode of ['standard', 'adaptive'] as const) {
    const result = await once(account, retryMode, bound, shipped);
    print(
      `  AWS_RETRY_MODE=${retryMode.padEnd(8)}  ${(result.ms / 1000).toFixed(1)} s, ${result.calls} SageMaker calls (${result.throttles} throttled), at most ${result.maxInFlight} in flight; ` +
        (result.failed ? `FAILED: ${result.failed}` : `${result.resolved} of ${CONSUMERS} owners resolved, ${result.unresolved} unresolved`),
    );
    if (retryMode === shipped.retryMode) ok = !result.failed && result.resolved === CONSUMERS && result.maxInFlight <= bound;
  }
  print(`  ${ok ? 'OK' : 'FAILED'}: with the default (${shipped.retryMode}) every owner resolved, never more than ${bound} calls in flight`);
  return { ok };
}

async function once(account: ReturnType<typeof ownersAccount>, retryMode: 'standard' | 'adaptive', bound: number, shipped: ReturnType<typeof loadConfig>['sagemaker']) {
  let throttles = 0;
  /** When the requests of the last second arrived, throttled ones included (they count against the limit too). */
  const arrivals: number[] = [];
  const sagemaker = await startFakeSageMaker(account.snapshot, {
    delayMs: DELAY_MS,
    fault: () => {
      const now = performance.now();
      while (arrivals.length > 0 && (arrivals[0] as number) <= now - 1000) arrivals.shift();
      arrivals.push(now);
      if (arrivals.length <= RATE) return undefined;
      throttles++;
      return new FakeError('ThrottlingException', 'Rate exceeded');
    },
  });
  try {
    const result = await impactThroughNotices({
      endpoint: sagemaker.url,
      users: account.users,
      channels: account.channels,
      featureGroup: SHARED_GROUP,
      sagemaker: { ...shipped, retryMode },
      describeConcurrency: bound,
    });
    const common = { ms: result.ms, calls: sagemaker.totalCalls(), throttles, maxInFlight: sagemaker.maxInFlight() };
    return { ...common, resolved: result.resolved, unresolved: CONSUMERS - result.resolved, failed: result.failed };
  } finally {
    await sagemaker.close();
  }
}

export interface ImpactRun {
  /** The (fake) SageMaker to ask. */
  endpoint: string;
  /** The Slack workspace the owner tags point into (a fake one on 127.0.0.1 is started for it). */
  users: FakeUser[];
  channels: FakeChannel[];
  featureGroup: string;
  sagemaker: ReturnType<typeof loadConfig>['sagemaker'];
  describeConcurrency: number;
  /** A SageMaker client of the caller's (one that counts its calls, say); default the source's own. */
  client?: SageMakerClient;
}

/**
 * The impact of a change to `featureGroup` as a notice computes it: every affected resource and
 * its owners resolved in Slack, through the real notice system on a fresh SQLite store.
 */
export async function impactThroughNotices(run: ImpactRun): Promise<{ ms: number; resources: number; resolved: number; failed?: string }> {
  const slack = new FakeSlack({ users: run.users, channels: run.channels });
  const server = await startSlackServer(slack);
  const dir = mkdtempSync(join(tmpdir(), 'lineage-impact-bench-'));
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  const logger = createLogger({ level: 'error', write: () => undefined });
  const options = { ...run.sagemaker, region: 'us-east-1', endpoint: run.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake' } };
  const source = createSageMakerSource(options, run.client);
  const system = createNoticeSystem({
    config: loadConfig({}).notices,
    store,
    service: new LineageService(source, { maxDepth: 30, maxVertices: 5000, describeConcurrency: run.describeConcurrency }),
    source,
    ...slackNoticePorts(new webApi.WebClient('xoxb-bench', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR }), { clock: systemClock }),
    renderer: createNoticeRenderer(),
    explainFailure: explainAnnounceFailure(logger),
    logger,
  });
  const started = performance.now();
  try {
    const impact = await system.service.impact(run.featureGroup);
    const resolved = impact.resources.filter((r) => r.addressedTo.length > 0).length;
    return { ms: performance.now() - started, resources: impact.resources.length, resolved };
  } catch (error) {
    return { ms: performance.now() - started, resources: 0, resolved: 0, failed: String(error) };
  } finally {
    await system.stop();
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
