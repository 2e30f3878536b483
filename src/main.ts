// The process entry point: configuration, then the console or Slack. The only place that exits.
import { createRuntime } from './app.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { consoleBanner, ConsolePrinter, runConsole } from './console/console.js';
import { isLineageError } from './lineage/errors.js';
import { createLogger } from './logger.js';

async function main(): Promise<number> {
  const config = loadConfig(readEnvironment());
  const secrets = config.slack.kind === 'console' ? [] : [config.slack.botToken, config.slack.kind === 'http' ? config.slack.signingSecret : config.slack.appToken];
  const logger = createLogger({ level: config.logLevel, secrets });

  if (config.slack.kind === 'console') {
    // Console mode keeps stderr for real problems only.
    if (config.logLevel === 'info') logger.setLevel('warn' as never);
    const printer = new ConsolePrinter(process.stdout);
    const runtime = await createRuntime(config, logger, (message) => printer.print(message));
    process.stdout.write(consoleBanner(runtime.service.sourceDescription));
    await runConsole(runtime.consoleReceiver as NonNullable<typeof runtime.consoleReceiver>, printer, {
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
    });
    return 0;
  }

  const runtime = await createRuntime(config, logger);
  await runtime.app.start();
  logger.info(
    config.slack.kind === 'http'
      ? `Listening for Slack on port ${config.slack.port} (POST /slack/events); lineage source: ${runtime.service.sourceDescription}`
      : `Connected to Slack in Socket Mode; lineage source: ${runtime.service.sourceDescription}`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  logger.info('Shutting down: finishing answers in flight');
  await runtime.app.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || isLineageError(error)) console.error(error.message);
    else console.error('lineage-bot failed to start:', error);
    process.exit(1);
  },
);
