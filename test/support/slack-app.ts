// A real Bolt App on 127.0.0.1 (HTTPReceiver) for end-to-end tests: signed requests in, Web API
// calls out through nock. processBeforeResponse makes each request return once its listeners are
// done, so a test can assert right after it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import { SIGNING_SECRET } from './slack-requests.js';

export interface TestApp {
  app: App;
  url: string;
  stop(): Promise<void>;
}

export async function startTestApp(options: { logger: Logger; register: (app: App) => void; customRoutes?: CustomRoute[] }): Promise<TestApp> {
  const app = new App({
    token: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    // Known bot identity: no auth.test call.
    botId: 'BBOT',
    botUserId: 'UBOT',
    customRoutes: options.customRoutes ?? [],
    processBeforeResponse: true,
    logger: options.logger,
    logLevel: LogLevel.ERROR,
    // These tests are not about the client's own retries.
    clientOptions: { retryConfig: { retries: 0 } },
  });
  options.register(app);
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, stop: () => app.stop() as Promise<void> };
}
