// Starting Bolt against Slack: the tokens are checked before the bot says it is listening, and a
// token Slack refuses stops start-up with a message naming the variable, not a stack trace.
import type { App } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import { ConfigError } from './config-error.js';
import type { SlackMode } from './config.js';

/** The `error` of a Web API call Slack answered with ok: false, e.g. invalid_auth. */
function platformError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== ErrorCode.PlatformError) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : 'unknown error';
}

/**
 * `app` must be built with deferInitialization: otherwise Bolt calls auth.test from its
 * constructor and a refused token becomes an unhandled rejection that kills the process later.
 */
export async function startSlackApp(app: App, slack: Exclude<SlackMode, { kind: 'console' }>): Promise<void> {
  // While Slack cannot be reached the client retries for minutes, logging only "http request failed".
  app.logger.info('Checking SLACK_BOT_TOKEN with Slack (auth.test) before listening');
  try {
    await app.init(); // auth.test with SLACK_BOT_TOKEN
  } catch (error) {
    const refused = platformError(error);
    if (refused === undefined) throw error;
    throw new ConfigError([
      `SLACK_BOT_TOKEN was refused by Slack (auth.test: ${refused}): use the Bot User OAuth Token (xoxb-…) of the app installed in this workspace, and reinstall the app if the token was revoked`,
    ]);
  }
  try {
    await app.start();
  } catch (error) {
    const refused = platformError(error);
    // In Socket Mode the only Web API call of start() is apps.connections.open, made with the app token.
    if (refused === undefined || slack.kind !== 'socket') throw error;
    throw new ConfigError([
      `SLACK_APP_TOKEN was refused by Slack (apps.connections.open: ${refused}): use an app-level token (xapp-…) with the connections:write scope, and enable Socket Mode for the app`,
    ]);
  }
}
