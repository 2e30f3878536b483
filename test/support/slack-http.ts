// Drives the real Bolt app in HTTP mode: signed requests to POST /slack/events on 127.0.0.1,
// with nock answering the Slack Web API and response URLs (see test/setup/http-mock.ts).
import { createServer } from 'node:net';
import type { RetryOptions } from '@slack/web-api';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { createLogger } from '../../src/logger.js';
import { RequestContext } from '../../src/request-context.js';
import { openStore, type Store } from '../../src/store/index.js';
import { vi } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_ACTION } from '../../blocks/notices/index.js';
import type { NoticeTestOptions } from '../../src/app.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import type { LoggerOptions } from '../../src/logger.js';
import type { NoticeSystem } from '../../src/notices/index.js';
import type { SlackMessage } from '../../src/notices/slack/index.js';
import { ManualClock } from './slack-clock.js';
import { FakeSlack, type FakeMessage } from './slack-fake.js';
import { AWS_EVENTS_KEY, ChangingSource, CHANNELS, PEOPLE, T0 } from './slack-world.js';
import { httpMock, type Scope } from './http-mock.js';
import { interceptSlack } from './slack-nock.js';
import { buttonClick, formValues, sendSigned, SIGNING_SECRET, slashCommand, viewSubmission, type ModalForm, type SignedRequestOptions } from './slack-requests.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER = 'UBOT';
export const RESPONSE_HOST = 'https://hooks.slack.com';

export interface SlackHarness {
  url: string;
  runtime: Runtime;
  store: Store;
  logs: string[];
  /** POSTs a body signed like Slack (or with the given signature/timestamp). */
  send(body: string, options?: SignedRequestOptions): Promise<Response>;
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

/** Slack's Web API as nock answers it: `slack().post('/api/chat.postMessage', …)`. */
export function slack(): Scope {
  return httpMock.scope('https://slack.com');
}

let commandSequence = 0;

export interface SlackAppOptions {
  source?: LineageSource;
  /** The Web API client's retries (Bolt's client, as in production); default none, so a failure shows at once. */
  retryConfig?: RetryOptions;
  lookingAfterMs?: number;
  apiUrl?: string;
  env?: Record<string, string>;
  /** The store the app runs on (closed with it); default a fresh in-memory SQLite store. */
  store?: Store;
  wrapStore?: (store: Store) => Store;
  /** Lowest level kept in `logs`; default warn. */
  logLevel?: LoggerOptions['level'];
  /** LOG_FORMAT of `logs`; default text. */
  logFormat?: LoggerOptions['format'];
  notices?: NoticeTestOptions;
}

export async function startSlackApp(options: SlackAppOptions = {}): Promise<SlackHarness> {
  const port = await freePort();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: String(port),
    ...(options.apiUrl ? { SLACK_API_URL: options.apiUrl } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  // As src/main.ts does: the logger reads the runtime's request context on every line.
  const requests = new RequestContext();
  const logger = createLogger({ level: options.logLevel ?? 'warn', ...(options.logFormat ? { format: options.logFormat } : {}), write: (line) => logs.push(line), fields: () => requests.logFields() });
  const opened = options.store ?? (await openStore('sqlite::memory:'));
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  // Start-up reaches Slack (auth.test, src/slack-startup.ts), then Bolt checks its token once more and learns the bot's own user id.
  (options.apiUrl ? httpMock.scope(new URL(options.apiUrl).origin) : slack()).post(`${options.apiUrl ? new URL(options.apiUrl).pathname : '/api/'}auth.test`).times(2).reply(200, { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1', user: 'lineage' });
  const runtime = await createRuntime(config, logger, {
    store,
    requests,
    clientOptions: { retryConfig: options.retryConfig ?? { retries: 0 } },
    lookingAfterMs: options.lookingAfterMs ?? 60_000,
    ...(options.source ? { source: options.source } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
  });
  await runtime.start();
  const url = `http://127.0.0.1:${port}`;

  const send: SlackHarness['send'] = (body, sendOptions) => sendSigned(url, body, sendOptions);

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
export async function settled(scope: Scope | Scope[], runtime: Runtime, timeoutMs = 10_000): Promise<void> {
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
export function expectApiCall(method: string, reply: Record<string, unknown>, host = 'https://slack.com'): { scope: Scope; sent: () => Record<string, unknown> } {
  let sent: Record<string, unknown> = {};
  const scope = httpMock.scope(host)
    .post(`/api/${method}`, (body) => {
      sent = webBody(body);
      return true;
    })
    .reply(200, reply);
  return { scope, sent: () => sent };
}

/** Expects one post to a response URL (path matched by `path`) and keeps what was posted. */
export function expectResponse(path: string | RegExp): { scope: Scope; sent: () => Record<string, unknown> } {
  let sent: Record<string, unknown> = {};
  const scope = httpMock.scope(RESPONSE_HOST)
    .post(path, (body) => {
      sent = body as Record<string, unknown>;
      return true;
    })
    .reply(200, 'ok');
  return { scope, sent: () => sent };
}

type Answered = { status: number; responses: Record<string, unknown>[] };

/**
 * The real runtime with a FakeSlack workspace behind the Web API and response URLs: by default
 * the demo account's owners and channels (test/support/slack-world.ts), a clock the test moves,
 * a lineage source it can change, and the notice loops left for the test to drive.
 */
export interface SlackWorkspace extends SlackHarness {
  fake: FakeSlack;
  /** The clock the test moves; none with `realTime`. */
  clock?: ManualClock;
  /** The lineage account behind the app's cache, which a test may change as SageMaker would. */
  source: ChangingSource;
  /** The runtime's notice system: worker, reminders, watcher and preparations, run by hand. */
  system: NoticeSystem<SlackMessage>;
  /** Groups (names or ARNs) whose cached lineage the app dropped, in order. */
  invalidated: string[];
  /** `/lineage <text>` as `user` in `channel`; resolves once the app has answered everything. Fails unless Slack got 200. */
  run(text: string, user: string, channel?: string): Promise<Answered>;
  /** A button click as `user` in `channel` on message `messageTs`; resolves once the app has answered everything. Fails unless Slack got 200. */
  press(click: { actionId: string; value: string; user: string; channel: string; messageTs: string }): Promise<Answered>;
  /** Clicks a notice button on a posted message; returns what was posted to its response_url. */
  click(message: FakeMessage, action: keyof typeof NOTICE_ACTION, user: string): Promise<Record<string, unknown>[]>;
  /** Submits the deprecate modal last opened (or `viewId`); returns Bolt's HTTP answer (errors, or empty). */
  submit(form: ModalForm, user: string, options?: { viewId?: string; privateMetadata?: string }): Promise<{ status: number; body: string }>;
}

export interface WorkspaceOptions extends Omit<SlackAppOptions, 'store' | 'notices'> {
  fake?: FakeSlack;
  /** The lineage account; default the demo (or `snapshot`). */
  source?: LineageSource;
  /** The system clock, and the notice loops running on it as in production; default a ManualClock and loops the test drives. */
  realTime?: boolean;
  /** The lineage account; default the demo. */
  snapshot?: Snapshot;
  notices?: Omit<NoticeTestOptions, 'clock' | 'manualLoops'>;
}

export async function startSlackWorkspace(options: WorkspaceOptions = {}): Promise<SlackWorkspace> {
  const clock = options.realTime ? undefined : new ManualClock(T0);
  const now = clock ? { now: () => clock.now() } : {};
  const fake = options.fake ?? new FakeSlack({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS).map((c) => ({ ...c })), ...now });
  const source = new ChangingSource(options.source ?? new SnapshotSource(options.snapshot ?? demoSnapshot(), 'demo'));
  const app = await startSlackApp({
    ...options,
    // With the manual clock the test changes the account under the app (source.change, a failing
    // describe) and expects the next read to see it: no lineage cache (questions/cache.test.ts covers it).
    env: { LINEAGE_ADMINS: PEOPLE.admin.id, AWS_EVENTS_API_KEY: AWS_EVENTS_KEY, ...(clock ? { CACHE_TTL_SECONDS: '0' } : {}), ...options.env },
    // The notice tests read debug lines (as the notice system's own tests do); real time keeps startSlackApp's warn.
    logLevel: options.logLevel ?? (clock ? 'debug' : 'warn'),
    source,
    store: await openStore('sqlite::memory:', now),
    notices: clock ? { instanceId: 'test-instance', worker: { pollMs: 1000 }, ...options.notices, clock, manualLoops: true } : { ...options.notices },
  });
  const system = app.runtime.notices;
  if (!system) throw new Error('the runtime has no notice system');
  const invalidate = vi.spyOn(app.runtime.cache, 'invalidate');
  // After start: Bolt's own auth.test was answered by startSlackApp's interceptor.
  const slack = interceptSlack(fake, { responseUrls: true });
  const responsesTo = (url: string) => fake.responses.filter((r) => r.url === url).map((r) => r.body);
  const answered = async (what: string, response: Response, responseUrl: string): Promise<Answered> => {
    if (response.status !== 200) throw new Error(`${what} answered ${response.status}`);
    await app.runtime.inFlight.drain(30_000);
    return { status: response.status, responses: responsesTo(responseUrl) };
  };
  let closed = false;
  const press: SlackWorkspace['press'] = async (click) => {
    const request = buttonClick(click);
    return answered('button click', await app.send(request.body), request.responseUrl);
  };
  return {
    ...app,
    fake,
    ...(clock ? { clock } : {}),
    source,
    system,
    get invalidated() {
      return invalidate.mock.calls.map(([ref]) => ref);
    },
    run: async (text, user, channel = CHANNELS.announce.id) => {
      const request = slashCommand({ text, user, channel });
      return answered('slash command', await app.send(request.body), request.responseUrl);
    },
    press,
    click: async (message, action, user) => {
      const actionId = NOTICE_ACTION[action];
      const button = message.blocks
        .filter((b) => b['type'] === 'actions')
        .flatMap((b) => b['elements'] as { action_id: string; value: string }[])
        .find((e) => e.action_id === actionId);
      if (!button) throw new Error(`no ${actionId} button on the message`);
      return (await press({ actionId, value: button.value, user, channel: message.channel, messageTs: message.ts })).responses;
    },
    submit: async (form, user, submitOptions = {}) => {
      const view = fake.views.at(-1);
      const viewId = submitOptions.viewId ?? view?.id ?? 'VNONE';
      const privateMetadata = submitOptions.privateMetadata ?? String(view?.view['private_metadata'] ?? '');
      const response = await app.send(viewSubmission({ user, viewId, callbackId: DEPRECATE_MODAL.callbackId, privateMetadata, values: formValues(form) }));
      const body = await response.text();
      await app.runtime.inFlight.drain(30_000);
      return { status: response.status, body };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      invalidate.mockRestore();
      slack.release();
    },
  };
}

/** The text of a block by block_id (a section's or a context's first element). */
export function blockText(blocks: readonly Record<string, unknown>[], blockId: string): string | undefined {
  const block = blocks.find((b) => b['block_id'] === blockId);
  if (!block) return undefined;
  const text = block['text'] as { text?: string } | undefined;
  if (text?.text !== undefined) return text.text;
  const elements = block['elements'] as { text?: string }[] | undefined;
  return elements?.[0]?.text;
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
  httpMock
    .scope('https://slack.com')
    .persist()
    .post(/\/api\/(users\.lookupByEmail|users\.info|conversations\.info|conversations\.list)/)
    .optionally()
    .reply(200, (uri) =>
      uri.includes('conversations.list') ? { ok: true, channels: [], response_metadata: { next_cursor: '' } } : { ok: false, error: 'users_not_found' },
    );
}
