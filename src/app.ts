// The composition root: builds every object from the configuration and injects it.
// Nothing else in the code base constructs a source, a service, a client or an App.
import { App, LogLevel, type Logger } from '@slack/bolt';
import { registerListeners } from '../commands/index.js';
import type { Config } from './config.js';
import { ConsoleReceiver } from './console/console-receiver.js';
import { createConsoleFetch, type PostedMessage } from './console/console-slack.js';
import { CONSOLE_IDS } from './console/console.js';
import { LineageService } from './lineage/service.js';
import type { LineageSource } from './lineage/source.js';
import { createSource } from './sources.js';

export interface Runtime {
  app: App;
  service: LineageService;
  /** Set in console mode: where console payloads go in. */
  consoleReceiver?: ConsoleReceiver;
}

export function createService(source: LineageSource, config: Pick<Config, 'limits' | 'source'>): LineageService {
  const describeConcurrency = config.source.kind === 'sagemaker' ? config.source.concurrency : 8;
  return new LineageService(source, { ...config.limits, describeConcurrency });
}

/**
 * Builds the Bolt app for the configured transport. Console mode gets a receiver fed from stdin
 * and a fetch that prints instead of calling Slack (`deliver`); HTTP and Socket Mode talk to Slack.
 */
export function createBoltApp(config: Config, logger: Logger, deliver: (message: PostedMessage) => void = () => {}): { app: App; consoleReceiver?: ConsoleReceiver } {
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {};
  const slack = config.slack;
  switch (slack.kind) {
    case 'console': {
      const consoleReceiver = new ConsoleReceiver();
      const app = new App({
        receiver: consoleReceiver,
        logger,
        logLevel: logger.getLevel() as LogLevel,
        authorize: async () => ({ botToken: 'xoxb-console', botId: 'BCONSOLE', botUserId: 'UCONSOLEBOT', teamId: CONSOLE_IDS.team }),
        clientOptions: { fetch: createConsoleFetch(deliver) },
      });
      return { app, consoleReceiver };
    }
    case 'http':
      return {
        app: new App({
          token: slack.botToken,
          signingSecret: slack.signingSecret,
          port: slack.port,
          endpoints: '/slack/events',
          logger,
          logLevel: logger.getLevel() as LogLevel,
          clientOptions,
        }),
      };
    case 'socket':
      return {
        app: new App({
          token: slack.botToken,
          appToken: slack.appToken,
          socketMode: true,
          logger,
          logLevel: logger.getLevel() as LogLevel,
          clientOptions,
        }),
      };
  }
}

export async function createRuntime(config: Config, logger: Logger, deliver?: (message: PostedMessage) => void): Promise<Runtime> {
  const source = await createSource(config.source);
  const service = createService(source, config);
  const { app, consoleReceiver } = createBoltApp(config, logger, deliver);
  registerListeners(app, { service, logger });
  app.error(async (error) => {
    logger.error('Unhandled error in a listener:', error);
  });
  return { app, service, ...(consoleReceiver ? { consoleReceiver } : {}) };
}
