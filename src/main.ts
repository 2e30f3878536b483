// The process entry point: configuration, then the console, Slack, or a CLI command.
// The only place that exits.
import { writeFile } from 'node:fs/promises';
import { createRuntime, createService } from './app.js';
import { argsProblem, type ArgsSpec } from './cli/args.js';
import { EXPORT_ARGS, EXPORT_USAGE, runExport } from './cli/export.js';
import { CLI_OWNERS_NOTE, GRAPH_ARGS, GRAPH_USAGE, runGraph } from './cli/graph.js';
import { INFER_ARGS, INFER_USAGE, runInfer } from './cli/infer.js';
import { RECORD_ARGS, RECORD_USAGE, runRecord } from './cli/record.js';
import { ConfigError, loadConfig, readEnvironment, secretValues, type Config } from './config.js';
import { consoleBanner, ConsolePrinter, runConsole } from './console/console.js';
import { cacheStatsLine } from './lineage/cache.js';
import { installLastResort } from './last-resort.js';
import { isLineageError } from './lineage/errors.js';
import { createSageMakerSource } from './lineage/sources/sagemaker.js';
import type { Logger } from '@slack/logger';
import { createLogger, redact } from './logger.js';
import { RequestContext } from './request-context.js';
import { createLineageAccount } from './record/sagemaker-account.js';
import { PictureService } from './picture/pictures.js';
import { PictureRenderer } from './picture/render.js';
import { createSource, requireSageMakerRegion } from './create-source.js';
import { openStore } from './store/index.js';

const USAGE = `Usage:
  lineage-bot                 start the bot (console mode without Slack variables; see README)
  lineage-bot export …        write a snapshot of SageMaker lineage to a file (lineage-bot export --help)
  lineage-bot record …        record a training job's feature-store lineage in SageMaker (lineage-bot record --help)
  lineage-bot infer …         propose (and --apply) missing feature group links (lineage-bot infer --help)
  lineage-bot graph …         draw the lineage around an entity to a PNG, SVG or DOT file (lineage-bot graph --help)
  lineage-bot help            this text
`;

const CLI: Readonly<Record<string, { usage: string; args: ArgsSpec }>> = {
  export: { usage: EXPORT_USAGE, args: EXPORT_ARGS },
  record: { usage: RECORD_USAGE, args: RECORD_ARGS },
  infer: { usage: INFER_USAGE, args: INFER_ARGS },
  graph: { usage: GRAPH_USAGE, args: GRAPH_ARGS },
};

/** How long a shutdown waits for answers in flight before giving up on them. */
const DRAIN_MS = 25_000;

/** How often the cache's counters go to the log. */
const CACHE_STATS_EVERY_MS = 10 * 60 * 1000;


/**
 * Node's process warnings (the AWS SDK's notice about Node versions, deprecations) through the
 * logger instead of Node's own printer, so a LOG_FORMAT=json log stays one JSON object per line.
 */
function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn(`${warning.name}: ${warning.message}`));
}

async function runConsoleMode(config: Config, secrets: readonly string[]): Promise<number> {
  const requests = new RequestContext();
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, format: config.logFormat, secrets, fields: () => requests.logFields() });
  logProcessWarnings(logger);
  const store = await openStore(config.storeUrl);
  try {
    const printer = new ConsolePrinter(process.stdout);
    const runtime = await createRuntime(config, logger, { store, requests, deliver: (message) => printer.print(message) });
    process.stdout.write(consoleBanner(runtime.service.sourceDescription));
    await runConsole(runtime.consoleReceiver as NonNullable<typeof runtime.consoleReceiver>, printer, {
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
    });
    await runtime.inFlight.drain(DRAIN_MS);
    return 0;
  } finally {
    await store.close();
  }
}

async function runSlack(config: Config, secrets: readonly string[]): Promise<number> {
  // One request context for the runtime and its logger: every line says which request, user and team.
  const requests = new RequestContext();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, secrets, fields: () => requests.logFields() });
  logProcessWarnings(logger);
  const store = await openStore(config.storeUrl, { onWarning: (message) => logger.warn(message) });
  const runtime = await createRuntime(config, logger, { store, requests, processMetrics: true });
  await runtime.start();
  // From here on an error nothing caught is logged with its request, and the bot keeps serving;
  // before, it stops start-up as any start-up error does (src/last-resort.ts says which errors still stop it).
  const removeLastResort = installLastResort({ logger, requests: runtime.requests, exit: (code) => process.exit(code) });
  const statsTimer = setInterval(() => logger.info(cacheStatsLine(runtime.cache.stats())), CACHE_STATS_EVERY_MS);
  statsTimer.unref();
  logger.info(
    config.slack.kind === 'http'
      ? `Listening for Slack on port ${config.slack.port} (POST /slack/events, GET /healthz); lineage source: ${runtime.service.sourceDescription}`
      : `Connected to Slack in Socket Mode (GET /healthz on port ${config.slack.kind === 'socket' ? config.slack.port : ''}); lineage source: ${runtime.service.sourceDescription}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  // Stop taking requests first, then let the answers already acknowledged finish.
  clearInterval(statsTimer);
  logger.info(`Shutting down: ${runtime.inFlight.size} answers in flight`);
  const drained = await runtime.stop(DRAIN_MS);
  if (!drained) logger.warn(`Gave up on ${runtime.inFlight.size} answers still in flight after ${DRAIN_MS} ms`);
  // Deliveries not sent yet stay in the outbox; the next start resumes them.
  logger.info(cacheStatsLine(runtime.cache.stats()));
  await store.close();
  removeLastResort();
  return 0;
}

async function main(args: readonly string[]): Promise<number> {
  const [command = '', ...rest] = args;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  // A command's --help needs no configuration: it must work before AWS or the .env is set up.
  const cli = Object.hasOwn(CLI, command) ? CLI[command] : undefined;
  if (cli !== undefined && rest.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${cli.usage}\n`);
    return 0;
  }
  // So is an unknown flag: it is named before a configuration problem would hide it.
  const problem = cli !== undefined ? argsProblem(rest, cli.args) : undefined;
  if (cli !== undefined && problem !== undefined) {
    process.stderr.write(`${problem}\n${cli.usage}\n`);
    return 2;
  }
  const env = readEnvironment();
  const config = loadConfig(env);
  const secrets = secretValues(env);
  if (command === 'export' || command === 'record' || command === 'infer') await requireSageMakerRegion(config.sagemaker);
  if (command === 'export') {
    return runExport(rest, {
      source: createSageMakerSource(config.sagemaker),
      write: (path, text) => writeFile(path, text, 'utf8'),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  }
  if (command === 'record' || command === 'infer') {
    const run = command === 'record' ? runRecord : runInfer;
    return run(rest, {
      account: createLineageAccount(config.sagemaker),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  }
  if (command === 'graph') {
    // Any source: the demo offline, a snapshot file, or SageMaker.
    const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, format: config.logFormat, secrets });
    const service = createService(await createSource(config), config, logger);
    return runGraph(rest, {
      pictures: new PictureService({ service, renderer: new PictureRenderer(), ownersNote: CLI_OWNERS_NOTE }),
      write: (path, bytes) => writeFile(path, bytes),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      print: (text) => process.stdout.write(text),
    });
  }
  if (command !== '') {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}`);
    return 2;
  }
  return config.slack.kind === 'console' ? runConsoleMode(config, secrets) : runSlack(config, secrets);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Written without the logger, so scrubbed here: a start-up error may quote what it was given.
    const secrets = (() => {
      try {
        return secretValues(readEnvironment());
      } catch {
        return secretValues(process.env);
      }
    })();
    const message = error instanceof Error ? error.message : String(error);
    // A ConfigError never quotes a value (src/config.ts), and names variables the patterns would cut.
    if (error instanceof ConfigError) console.error(message);
    else if (isLineageError(error)) console.error(redact(message, secrets));
    else console.error(`lineage-bot failed to start: ${redact(message, secrets)}`);
    process.exit(1);
  },
);
