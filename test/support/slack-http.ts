// Drives the real Bolt app in HTTP mode: signed requests to POST /slack/events on 127.0.0.1,
// with nock answering the Slack Web API and response URLs (see test/setup/http-mock.ts).
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import nock from 'nock';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { FakeSlack } from './slack-fake.js';
import { interceptSlack } from './slack-nock.js';
import { buttonClick, slashCommand } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER = 'UBOT';
export const RESPONSE_HOST = 'https://hooks.slack.com';

export interface SlackHarness {
  url: string;
  runtime: Runtime;
  store: Store;
  logs: string[];
  /** POSTs a body signed like Slack (or with the given signature/timestamp). */
  send(body: string, options?: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> }): Promise<Response>;
  command(text: string, extra?: Record<string, string>): Promise<Response>;
  interaction(payload: Record<string, unknown>): Promise<Response>;
  event(event: Record<string, unknown>, options?: { eventId?: string; retryNum?: number }): Promise<Response>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Slack's Web API as nock answers it: `slack().post('/api/chat.postMessage', …)`. */
export function slack(): nock.Scope {
  return nock('https://slack.com');
}

let commandSequence = 0;

export async function startSlackApp(
  options: { source?: LineageSource; lookingAfterMs?: number; apiUrl?: string; env?: Record<string, string>; wrapStore?: (store: Store) => Store } = {},
): Promise<SlackHarness> {
  const port = await freePort();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: String(port),
    ...(options.apiUrl ? { SLACK_API_URL: options.apiUrl } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });
  const opened = await openStore('sqlite::memory:');
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  // Start-up reaches Slack (auth.test, src/slack-startup.ts), then Bolt checks its token once more and learns the bot's own user id.
  (options.apiUrl ? nock(new URL(options.apiUrl).origin) : slack()).post(`${options.apiUrl ? new URL(options.apiUrl).pathname : '/api/'}auth.test`).times(2).reply(200, { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1', user: 'lineage' });
  const runtime = await createRuntime(config, logger, {
    store,
    clientOptions: { retryConfig: { retries: 0 } },
    lookingAfterMs: options.lookingAfterMs ?? 60_000,
    ...(options.source ? { source: options.source } : {}),
  });
  await runtime.start();
  const url = `http://127.0.0.1:${port}`;

  const send: SlackHarness['send'] = async (body, sendOptions = {}) => {
    const timestamp = sendOptions.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': sendOptions.contentType ?? 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sendOptions.signature ?? sign(body, timestamp),
        ...sendOptions.headers,
      },
      body,
    });
  };

  return {
    url,
    runtime,
    store,
    logs,
    send,
    command: (text, extra = {}) => {
      commandSequence += 1;
      const fields = {
        token: 'legacy',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: 'C1',
        channel_name: 'ml-platform',
        user_id: 'U1',
        user_name: 'ana',
        command: '/lineage',
        text,
        api_app_id: 'A1',
        response_url: `${RESPONSE_HOST}/commands/T1/${commandSequence}/secret`,
        trigger_id: `trigger.${commandSequence}`,
        ...extra,
      };
      return send(new URLSearchParams(fields).toString());
    },
    interaction: (payload) => send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString()),
    event: (event, eventOptions = {}) =>
      send(
        JSON.stringify({
          token: 'legacy',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: eventOptions.eventId ?? `Ev${Math.random().toString(36).slice(2)}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: 'T1', user_id: BOT_USER, is_bot: true }],
          event,
        }),
        {
          contentType: 'application/json',
          ...(eventOptions.retryNum ? { headers: { 'x-slack-retry-num': String(eventOptions.retryNum), 'x-slack-retry-reason': 'http_timeout' } } : {}),
        },
      ),
    close: async () => {
      await runtime.stop(5_000);
      await store.close();
    },
  };
}

/** Resolves once `scope` has no pending interceptors (the app answers after acknowledging). */
export async function settled(scope: nock.Scope | nock.Scope[], runtime: Runtime, timeoutMs = 10_000): Promise<void> {
  const scopes = Array.isArray(scope) ? scope : [scope];
  const start = Date.now();
  while (scopes.some((s) => !s.isDone()) || runtime.inFlight.size > 0) {
    if (Date.now() - start > timeoutMs) throw new Error(`Still pending: ${scopes.flatMap((s) => s.pendingMocks()).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The form body Slack's Web API client sent, decoded (blocks parsed). */
export function webBody(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(String(body)));
  // The Web API client sends structured arguments as JSON text inside the form.
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' && ['blocks', 'unfurls', 'view', 'metadata'].includes(k) ? JSON.parse(v) : v]),
  );
}

/** Expects one call to a Web API method and keeps what was sent. */
export function expectApiCall(method: string, reply: Record<string, unknown>, host = 'https://slack.com'): { scope: nock.Scope; sent: () => Record<string, unknown> } {
  let sent: Record<string, unknown> = {};
  const scope = nock(host)
    .post(`/api/${method}`, (body) => {
      sent = webBody(body);
      return true;
    })
    .reply(200, reply);
  return { scope, sent: () => sent };
}

/** Expects one post to a response URL (path matched by `path`) and keeps what was posted. */
export function expectResponse(path: string | RegExp): { scope: nock.Scope; sent: () => Record<string, unknown> } {
  let sent: Record<string, unknown> = {};
  const scope = nock(RESPONSE_HOST)
    .post(path, (body) => {
      sent = body as Record<string, unknown>;
      return true;
    })
    .reply(200, 'ok');
  return { scope, sent: () => sent };
}

/** The real runtime with a FakeSlack workspace behind the Web API and response URLs. */
export interface SlackWorkspace extends SlackHarness {
  fake: FakeSlack;
  /** `/lineage <text>` as `user` in `channel`; resolves once the app has answered everything. */
  run(text: string, user: string, channel?: string): Promise<{ status: number; responses: Record<string, unknown>[] }>;
  /** A button click as `user` in `channel` on message `messageTs`; resolves once the app has answered everything. */
  press(click: { actionId: string; value: string; user: string; channel: string; messageTs: string }): Promise<{ status: number; responses: Record<string, unknown>[] }>;
}

export async function startSlackWorkspace(fake: FakeSlack, options: Parameters<typeof startSlackApp>[0] = {}): Promise<SlackWorkspace> {
  const app = await startSlackApp(options);
  // After start: Bolt's own auth.test was answered by startSlackApp's interceptor.
  const slack = interceptSlack(fake, { responseUrls: true });
  const responsesTo = (url: string) => fake.responses.filter((r) => r.url === url).map((r) => r.body);
  const answered = async (response: Response, responseUrl: string) => {
    await app.runtime.inFlight.drain(30_000);
    return { status: response.status, responses: responsesTo(responseUrl) };
  };
  return {
    ...app,
    fake,
    run: async (text, user, channel = 'CANNOUNCE') => {
      const request = slashCommand({ text, user, channel });
      return answered(await app.send(request.body), request.responseUrl);
    },
    press: async (click) => {
      const request = buttonClick(click);
      return answered(await app.send(request.body), request.responseUrl);
    },
    close: async () => {
      await app.close();
      slack.release();
    },
  };
}

/** Waits until `condition` holds (the app works on after answering: fan-outs, summaries). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Slack's directory as an empty workspace answers it: nobody by those emails or ids, no channels. */
export function emptyDirectory(): void {
  nock('https://slack.com')
    .persist()
    .post(/\/api\/(users\.lookupByEmail|users\.info|conversations\.info|conversations\.list)/)
    .optionally()
    .reply(200, (uri) =>
      uri.includes('conversations.list') ? { ok: true, channels: [], response_metadata: { next_cursor: '' } } : { ok: false, error: 'users_not_found' },
    );
}
