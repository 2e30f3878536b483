// The Slack side of the tests over nock: interceptSlack() routes Slack's Web API
// (https://slack.com/api/*), response URLs (https://hooks.slack.com/*) and file uploads to a
// FakeSlack, so real WebClient and Bolt code runs unchanged; startSlackApp() drives the real
// runtime (createRuntime) in HTTP mode with signed requests to POST /slack/events on 127.0.0.1,
// and the tests assert on what the FakeSlack recorded.
import type { FeatureGroupMarker } from '../../src/notices/ports.js';
import { createServer } from 'node:net';
import type { RetryOptions } from '@slack/web-api';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import type { LineageAccount } from '../../src/record/index.js';
import { createLogger } from '../../src/logger.js';
import { RequestContext } from '../../src/request-context.js';
import { openStore, type Store } from '../../src/store/index.js';
import { expect, vi } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_ACTION } from '../../blocks/notices/index.js';
import type { NoticeTestOptions } from '../../src/app.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import type { LoggerOptions } from '../../src/logger.js';
import type { NoticeSystem } from '../../src/notices/index.js';
import type { SlackMessage } from '../../src/notices/slack/index.js';
import { FAKE_UPLOAD_HOST, FakeSlack, parseFormBody, type FakeChannel, type FakeMessage, type Params } from './slack-fake.js';
import { AWS_EVENTS_KEY, ChangingSource, CHANNELS, ManualClock, PEOPLE, T0 } from './slack-world.js';
import { httpMock, type Interceptor } from './http-mock.js';
import { buttonClick, formValues, sendSigned, SIGNING_SECRET, slashCommand, viewSubmission, type ModalForm, type SignedRequestOptions } from './slack-requests.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER = 'UBOT';
export const RESPONSE_HOST = 'https://hooks.slack.com';
/** The directory lookups an announcement makes (owners by email or ID, team channels), for onlyPost/onlyResponse's `allow`. */
export const DIRECTORY_LOOKUPS = /^(users\.(info|lookupByEmail)|conversations\.(info|list))$/;
/** The channel startSlackApp's requests come from (unless a test says otherwise). */
export const CHANNEL: FakeChannel = { id: 'C1', name: 'ml-platform' };

function bodyParams(body: unknown): Params {
  if (typeof body === 'string') return parseFormBody(body);
  return (body ?? {}) as Params;
}

/**
 * The file bytes of an upload-URL post: the WebClient sends them as the `body` part of a
 * multipart form; nock records a binary body as hex text.
 */
function uploadedBytes(body: unknown): Buffer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const raw = Buffer.isBuffer(body) ? body : /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'latin1');
  const boundary = raw.subarray(0, raw.indexOf('\r\n')).toString('latin1');
  if (!boundary.startsWith('--')) return raw;
  const start = raw.indexOf('\r\n\r\n', raw.indexOf('name="body"'));
  const end = raw.indexOf(`\r\n${boundary}`, start);
  return start < 0 || end < 0 ? raw : raw.subarray(start + 4, end);
}

/** What a client sees when it gave up waiting: the request fails, it never gets an answer. */
const timedOut = () => Promise.reject(Object.assign(new Error('Request timed out (fake Slack never answered)'), { code: 'ETIMEDOUT' }));

/**
 * Intercepts Slack until `release()` (or the end of the test). The fake stands for a whole
 * workspace rather than for expected calls — tests assert on what it recorded — so its
 * interceptors are optional: a test that made no call passes the harness's unused-mock check.
 * `apiUrl`: the Web API's base URL (SLACK_API_URL), default Slack's. `responseUrls` also
 * intercepts respond() posts.
 */
export function interceptSlack(fake: FakeSlack, { responseUrls = false, apiUrl = 'https://slack.com/api/' }: { responseUrls?: boolean; apiUrl?: string } = {}): { release(): void } {
  const interceptors: Interceptor[] = [];
  const base = new URL(apiUrl);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const api = httpMock.scope(base.origin).persist().post((path) => path.startsWith(prefix) && /^[a-zA-Z.]+$/.test(path.slice(prefix.length))).optionally();
  interceptors.push(api);
  api.reply((uri, body) => {
    const reply = fake.handle(uri.slice(prefix.length), bodyParams(body));
    if (reply === 'timeout') return timedOut();
    // Through nock a request cannot be left open: 'drop' and 'hang' both read as a failed connection.
    if (reply === 'drop' || reply === 'hang') return [500, { ok: false, error: 'connection_dropped' }];
    return [reply.status, reply.body as Record<string, unknown>, reply.headers ?? {}];
  });
  // The second step of files.uploadV2: the bytes, posted to the URL the fake handed out.
  const uploads = httpMock.scope(FAKE_UPLOAD_HOST).persist().post(/^\/upload\/v1\/F\d+$/).optionally();
  interceptors.push(uploads);
  uploads.reply((uri, body) => {
    const reply = fake.uploadFile(`${FAKE_UPLOAD_HOST}${uri}`, uploadedBytes(body));
    return [reply.status, reply.body as string, reply.headers ?? {}];
  });
  if (responseUrls) {
    const hooks = httpMock.scope(RESPONSE_HOST).persist().post(/^\/(actions|commands)\/.+$/).optionally();
    interceptors.push(hooks);
    hooks.reply((uri, body) => {
      fake.respond(`${RESPONSE_HOST}${uri}`, (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>);
      return [200, 'ok'];
    });
  }
  return { release: () => interceptors.forEach(httpMock.remove) };
}

export interface SlackHarness {
  url: string;
  runtime: Runtime;
  store: Store;
  logs: string[];
  /** The workspace the app talks to: every Web API call and response_url post lands here. */
  fake: FakeSlack;
  /** POSTs a body signed like Slack (or with the given signature/timestamp). */
  send(body: string, options?: SignedRequestOptions): Promise<Response>;
  /** `/lineage <text>` from U1 in C1 (or as `extra` says); its response URL is under `${RESPONSE_HOST}/commands/`. */
  command(text: string, extra?: Record<string, string>): Promise<Response>;
  interaction(payload: Record<string, unknown>): Promise<Response>;
  event(event: Record<string, unknown>, options?: { eventId?: string; retryNum?: number }): Promise<Response>;
  /** Resolves once the app finished everything it acknowledged (it answers after acknowledging). */
  settle(timeoutMs?: number): Promise<void>;
  /** The Web API methods the app called since start-up, in order. */
  apiCalls(): string[];
  /**
   * The one message the app posted since start-up. Fails if it called any other Web API method
   * (other than those `allow` matches, such as directory lookups) or posted to a response URL.
   */
  onlyPost(allow?: RegExp): FakeMessage;
  /**
   * The one post to a response URL: `url` is its path (`/actions/T1/40/secret`) or a pattern of
   * the whole URL. Fails if the app called any Web API method (other than those `allow` matches)
   * or posted to any other response URL.
   */
  onlyResponse(url: string | RegExp, allow?: RegExp): Record<string, unknown>;
  /** Forgets what the fake recorded since start-up (calls, messages, responses), so the next request's answer is the only one. */
  forget(): void;
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

let commandSequence = 0;

export interface SlackAppOptions {
  source?: LineageSource;
  /** The workspace behind the Web API; default one with channel C1 (CHANNEL) and nobody in it. */
  fake?: FakeSlack;
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
  /** The account `infer` reads and "Record this link" writes (a fake SageMaker's). */
  account?: LineageAccount;
  /** Where write-back marks deprecated groups, with NOTICE_WRITE_BACK=true (a fake SageMaker's: testMarker). */
  marker?: FeatureGroupMarker;
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
  const fake = options.fake ?? new FakeSlack({ channels: [{ ...CHANNEL }] });
  const slack = interceptSlack(fake, { responseUrls: true, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) });
  const runtime = await createRuntime(config, logger, {
    store,
    requests,
    clientOptions: { retryConfig: options.retryConfig ?? { retries: 0 } },
    lookingAfterMs: options.lookingAfterMs ?? 60_000,
    ...(options.source ? { source: options.source } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
    ...(options.account ? { account: options.account } : {}),
    ...(options.marker ? { marker: options.marker } : {}),
  });
  await runtime.start();
  // Start-up reaches Slack (auth.test, src/slack-startup.ts), then Bolt checks its token once more
  // and learns the bot's own user id: exactly those two calls, nothing else.
  const startup = fake.methods();
  if (startup.join() !== 'auth.test,auth.test') throw new Error(`Start-up called Slack's ${startup.join(', ') || 'nothing'}, not auth.test twice`);
  const url = `http://127.0.0.1:${port}`;

  const send: SlackHarness['send'] = (body, sendOptions) => sendSigned(url, body, sendOptions);
  let closed = false;

  return {
    url,
    runtime,
    store,
    logs,
    fake,
    send,
    command: (text, extra = {}) => {
      commandSequence += 1;
      const fields = {
        token: 'legacy',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: CHANNEL.id,
        channel_name: CHANNEL.name,
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
    settle: async (timeoutMs = 10_000) => {
      if (!(await runtime.inFlight.drain(timeoutMs))) throw new Error(`Still ${runtime.inFlight.size} answers in flight after ${timeoutMs} ms`);
    },
    apiCalls: () => fake.methods(startup.length),
    onlyPost: (allow) => {
      expect(fake.methods(startup.length).filter((m) => !allow?.test(m)), 'Web API calls').toEqual(['chat.postMessage']);
      expect(fake.responses, 'response_url posts').toEqual([]);
      expect(fake.messages, 'messages posted').toHaveLength(1);
      return fake.messages[0]!;
    },
    onlyResponse: (url, allow) => {
      expect(fake.methods(startup.length).filter((m) => !allow?.test(m)), 'Web API calls').toEqual([]);
      expect(fake.responses.map((r) => r.url), 'response_url posts').toEqual([typeof url === 'string' ? `${RESPONSE_HOST}${url}` : expect.stringMatching(url)]);
      return fake.responses[0]!.body;
    },
    forget: () => {
      fake.calls.splice(startup.length);
      for (const list of [fake.messages, fake.responses, fake.unfurls, fake.ephemerals, fake.deleted, fake.functionResults]) list.length = 0;
      fake.homes.clear();
      fake.assistantThreads.clear();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await runtime.stop(5_000);
      await store.close();
      slack.release();
    },
  };
}

type Answered = { status: number; responses: Record<string, unknown>[] };

/**
 * The real runtime with a FakeSlack workspace behind the Web API and response URLs: by default
 * the demo account's owners and channels (test/support/slack-world.ts), a clock the test moves,
 * a lineage source it can change, and the notice loops left for the test to drive.
 */
export interface SlackWorkspace extends SlackHarness {
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
    fake,
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
  const answered = async (what: string, response: Response, responseUrl: string): Promise<Answered> => {
    if (response.status !== 200) throw new Error(`${what} answered ${response.status}`);
    await app.runtime.inFlight.drain(30_000);
    return { status: response.status, responses: fake.responsesTo(responseUrl) };
  };
  let closed = false;
  const press: SlackWorkspace['press'] = async (click) => {
    const request = buttonClick(click);
    return answered('button click', await app.send(request.body), request.responseUrl);
  };
  return {
    ...app,
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
