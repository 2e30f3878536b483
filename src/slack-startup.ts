// Starting Bolt against Slack: the tokens are checked before the bot says it is listening, and a
// token Slack refuses stops start-up with a message naming the variable, not a stack trace.
import type { App, Logger } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { ConfigError } from './config-error.js';
import type { SlackMode } from './config.js';

/** Slack's Web API base when SLACK_API_URL is unset (the Web API client's default). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export interface SlackReachOptions {
  botToken: string;
  slackApiUrl?: string;
  /** SLACK_STARTUP_TIMEOUT_SECONDS, in milliseconds. */
  timeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Pause between attempts (tests make it short). */
  retryEveryMs?: number;
  now?: () => number;
}

/** Why one attempt to reach Slack failed, without the token: a network error or an HTTP status. */
function unreachable(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, original, statusCode } = error as { code?: unknown; original?: { code?: unknown; message?: unknown; cause?: { code?: unknown } }; statusCode?: unknown };
  if (code === ErrorCode.RequestError) {
    // fetch reports "fetch failed" and keeps the socket's error (ECONNREFUSED, ENOTFOUND) as its cause.
    const cause = original?.cause?.code ?? original?.code ?? original?.message;
    return typeof cause === 'string' ? cause : 'request failed';
  }
  if (code === ErrorCode.HTTPError) return `HTTP ${String(statusCode)}`;
  if (code === ErrorCode.RateLimitedError) return 'rate limited';
  return undefined;
}

/**
 * auth.test until Slack answers, at most `timeoutMs`: the Web API client would retry for about
 * thirty minutes and log only "http request failed"; here every attempt says where it went and
 * why it failed, and giving up names SLACK_API_URL and the network, so an orchestrator restarts us.
 * A token Slack refuses is not retried (it throws the platform error for the caller to explain).
 */
export async function waitForSlack(options: SlackReachOptions): Promise<void> {
  const url = options.slackApiUrl ?? DEFAULT_SLACK_API_URL;
  const now = options.now ?? Date.now;
  const retryEveryMs = options.retryEveryMs ?? 2000;
  const deadline = now() + options.timeoutMs;
  const client = new WebClient(options.botToken, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: Math.min(10_000, Math.max(1000, options.timeoutMs)),
  });
  for (let attempt = 1; ; attempt += 1) {
    options.logger.info(`Reaching Slack: auth.test at ${url} (attempt ${attempt})`);
    try {
      await client.auth.test();
      return;
    } catch (error) {
      const reason = unreachable(error);
      if (reason === undefined) throw error;
      const left = deadline - now();
      if (left <= 0) {
        const which = options.slackApiUrl ? `SLACK_API_URL (${url})` : `SLACK_API_URL (unset, so ${url})`;
        throw new ConfigError([
          `Slack could not be reached for ${Math.round(options.timeoutMs / 1000)} s (last error: ${reason}): check ${which} and the network (DNS, proxy, firewall) between the bot and Slack`,
        ]);
      }
      options.logger.warn(`Slack is not reachable at ${url} (${reason}); trying again for ${Math.ceil(left / 1000)} s more`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryEveryMs, left)));
    }
  }
}

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
export async function startSlackApp(
  app: App,
  slack: Exclude<SlackMode, { kind: 'console' }>,
  reach: Omit<SlackReachOptions, 'botToken' | 'logger'>,
): Promise<void> {
  app.logger.info('Checking SLACK_BOT_TOKEN with Slack (auth.test) before listening');
  try {
    await waitForSlack({ ...reach, botToken: slack.botToken, logger: app.logger });
    await app.init(); // auth.test with SLACK_BOT_TOKEN, now that Slack answers
  } catch (error) {
    const refused = platformError(error);
    if (refused === undefined) throw error;
    throw new ConfigError([
      `SLACK_BOT_TOKEN was refused by Slack (auth.test: ${refused}): use the Bot User OAuth Token (xoxb-…) of the app installed in this workspace, and reinstall the app if the token was revoked`,
    ]);
  }
  try {
    // HOST, when set, is the listen address of the HTTP receiver; Bolt passes these to server.listen.
    await (slack.kind === 'http' && slack.host !== undefined ? app.start({ port: slack.port, host: slack.host }) : app.start());
  } catch (error) {
    const refused = platformError(error);
    // In Socket Mode the only Web API call of start() is apps.connections.open, made with the app token.
    if (refused === undefined || slack.kind !== 'socket') throw error;
    throw new ConfigError([
      `SLACK_APP_TOKEN was refused by Slack (apps.connections.open: ${refused}): use an app-level token (xapp-…) with the connections:write scope, and enable Socket Mode for the app`,
    ]);
  }
}
