// Impact of a change to a feature group with 2,000 consumers (each owned by someone else),
// through the real SageMakerClients against the fake SageMaker on 127.0.0.1 at 20 ms a call.
// Owners are looked up in a fake Slack on 127.0.0.1. Interactive answers (the lineage walk) use
// the shipped AWS_RETRY_MODE; the owner fan-out (Search for the consumers' tags) its own client,
// adaptive as shipped, or standard to compare. Each is run unthrottled and with the fake throttling
// (ThrottlingException) like an account's API rate limit: beyond RATE requests in any second,
// whatever the operation. Prints the time, the calls (by operation), the throttles, the most calls
// in flight and how many owners were resolved.
// bench/run.ts calls runImpactBench; measureImpact is one run, for tables that compare sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { createNoticeRenderer } from '../blocks/notices/index.js';
import { explainAnnounceFailure } from '../commands/errors.js';
import { loadConfig } from '../src/config.js';
import { LineageService } from '../src/lineage/service.js';
import { createSageMakerClient, fanOutOptions } from '../src/lineage/sources/sagemaker-client.js';
import { createSageMakerSource, type SageMakerSource } from '../src/lineage/sources/sagemaker.js';
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
/** Requests per second the fake accepts when throttling; beyond, ThrottlingException. */
const RATE = 200;

type RetryMode = 'standard' | 'adaptive';

export interface ImpactRun {
  consumers: number;
  fanOutRetryMode: RetryMode;
  throttled: boolean;
  seconds: number;
  /** CPU this process spent (the bot, the fakes and the SDK's signing): on a loaded machine, what the wall time waits for. */
  cpuSeconds: number;
  calls: number;
  /** SageMaker calls per operation, retries included. */
  byOperation: Record<string, number>;
  throttles: number;
  maxInFlight: number;
  /** Consumers whose owners a notice would reach. */
  resolved: number;
  /** Why the impact failed as a whole, if it did. */
  failed?: string;
}

/** One impact of a `consumers`-consumer group, with the shipped settings but the fan-out's retry mode. */
export async function measureImpact(options: { consumers?: number; fanOutRetryMode: RetryMode; throttle: boolean }): Promise<ImpactRun> {
  const consumers = options.consumers ?? CONSUMERS;
  const account = ownersAccount(consumers);
  const shipped = loadConfig({}).sagemaker;
  let throttles = 0;
  /** When the requests of the last second arrived, throttled ones included (they count against the limit too). */
  const arrivals: number[] = [];
  const sagemaker = await startFakeSageMaker(account.snapshot, {
    delayMs: DELAY_MS,
    ...(options.throttle
      ? {
          fault: () => {
            const now = performance.now();
            while (arrivals.length > 0 && (arrivals[0] as number) <= now - 1000) arrivals.shift();
            arrivals.push(now);
            if (arrivals.length <= RATE) return undefined;
            throttles++;
            return new FakeError('ThrottlingException', 'Rate exceeded');
          },
        }
      : {}),
  });
  const settings = { ...shipped, region: 'us-east-1', endpoint: sagemaker.url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake' } };
  // As src/create-source.ts builds them: the answers' client, and the fan-out's (here in either mode).
  const fanOut = options.fanOutRetryMode === 'adaptive' ? fanOutOptions(settings) : { ...settings, retryMode: 'standard' as const };
  const source = createSageMakerSource(settings, createSageMakerClient(settings), createSageMakerClient(fanOut));
  const run = { consumers, fanOutRetryMode: options.fanOutRetryMode, throttled: options.throttle };
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  try {
    const result = await impactThroughNotices({ source, users: account.users, channels: account.channels, featureGroup: SHARED_GROUP, describeConcurrency: shipped.concurrency });
    return {
      ...run,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuStarted)),
      calls: sagemaker.totalCalls(),
      byOperation: Object.fromEntries(sagemaker.calls),
      throttles,
      maxInFlight: sagemaker.maxInFlight(),
      resolved: result.resolved,
      ...(result.failed ? { failed: result.failed } : {}),
    };
  } finally {
    await sagemaker.close();
  }
}

export interface ImpactThroughNotices {
  source: SageMakerSource;
  /** The Slack workspace the owner tags point into (a fake one on 127.0.0.1 is started for it). */
  users: FakeUser[];
  channels: FakeChannel[];
  featureGroup: string;
  describeConcurrency: number;
}

/**
 * The impact of a change to `featureGroup` as a notice computes it — every affected resource and
 * its owners resolved in Slack — through the real notice system on a fresh SQLite store. Also
 * the scale section's (bench/scale-surfaces.ts), over the synthetic accounts.
 */
export async function impactThroughNotices(run: ImpactThroughNotices): Promise<{ resources: number; resolved: number; failed?: string; cut?: string }> {
  const slack = new FakeSlack({ users: run.users, channels: run.channels });
  const server = await startSlackServer(slack);
  const dir = mkdtempSync(join(tmpdir(), 'lineage-impact-bench-'));
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  const logger = createLogger({ level: 'error', write: () => undefined });
  const system = createNoticeSystem({
    config: loadConfig({}).notices,
    store,
    service: new LineageService(run.source, { maxDepth: 30, maxVertices: 5000, describeConcurrency: run.describeConcurrency }),
    source: run.source,
    ...slackNoticePorts(new webApi.WebClient('xoxb-bench', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR }), { clock: systemClock }),
    renderer: createNoticeRenderer(),
    explainFailure: explainAnnounceFailure(logger),
    logger,
  });
  try {
    const impact = await system.service.impact(run.featureGroup);
    // A walk cut short is said, as the notice says "stopped early": a row's count is never read as whole when it is not.
    const cut = impact.truncation && (impact.truncation.sizeExceeded || impact.truncation.depthExceeded)
      ? `lineage cut short (${impact.truncation.sizeExceeded ? `more than ${impact.truncation.maxVertices} vertices` : `deeper than ${impact.truncation.maxDepth} hops`})`
      : undefined;
    return { resources: impact.resources.length, resolved: impact.resources.filter((r) => r.addressedTo.length > 0).length, ...(cut ? { cut } : {}) };
  } catch (error) {
    return { resources: 0, resolved: 0, failed: String(error) };
  } finally {
    await system.stop();
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The calls of a run that are not the lineage walk's: the owner fan-out. */
function fanOutCalls(run: ImpactRun): string {
  const owners = ['Search', 'DescribeModel', 'DescribeEndpoint', 'ListTags'].filter((op) => run.byOperation[op] !== undefined);
  return owners.map((op) => `${op} ${run.byOperation[op]}`).join(', ') || 'none';
}

export async function runImpactBench(print: (line: string) => void, options: { consumers?: number } = {}): Promise<{ ok: boolean; runs: ImpactRun[] }> {
  const consumers = options.consumers ?? CONSUMERS;
  const shipped = loadConfig({}).sagemaker;
  const bound = shipped.concurrency;
  print(
    `Impact of a ${consumers}-consumer feature group: fake SageMaker at ${DELAY_MS} ms a call; SAGEMAKER_CONCURRENCY ${bound}, AWS_MAX_ATTEMPTS ${shipped.maxAttempts}, ` +
      `answers' AWS_RETRY_MODE ${shipped.retryMode}, owner fan-out adaptive (shipped) or standard; unthrottled, then throttling beyond ${RATE} requests in any second.`,
  );
  // On a shared machine the wall time follows its load more than SageMaker's: the floor is what the calls alone cost.
  print(`  floor: the calls in waves of ${bound}, ${DELAY_MS} ms each; this machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}`);
  let ok = true;
  const runs: ImpactRun[] = [];
  for (const throttle of [false, true]) {
    for (const fanOutRetryMode of ['standard', 'adaptive'] as const) {
      const run = await measureImpact({ consumers, fanOutRetryMode, throttle });
      runs.push(run);
      print(
        `  ${throttle ? 'throttled  ' : 'unthrottled'}  fan-out ${fanOutRetryMode.padEnd(8)}  ${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(1)} s, floor ${((run.calls / bound) * DELAY_MS / 1000).toFixed(1)} s), ${run.calls} SageMaker calls (${run.throttles} throttled; owners: ${fanOutCalls(run)}), ` +
          `at most ${run.maxInFlight} in flight; ` +
          (run.failed ? `FAILED: ${run.failed}` : `${run.resolved} of ${consumers} owners resolved`),
      );
      if (fanOutRetryMode === 'adaptive') ok &&= !run.failed && run.resolved === consumers && run.maxInFlight <= bound;
    }
  }
  print(`  ${ok ? 'OK' : 'FAILED'}: with the shipped fan-out (adaptive) every owner resolved, throttled or not, never more than ${bound} calls in flight`);
  return { ok, runs };
}
