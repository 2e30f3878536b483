// The one fake Slack workspace, for tests, the bench and the drill: the Web API methods the bot
// uses, with users, channels, DMs, message history (with metadata), modals, App Home, unfurls,
// files, assistant pane threads and optional rate limits, answering like Slack (HTTP 200 with ok:false for platform errors,
// 429 with Retry-After). It records every call and every response_url post, so tests assert on
// the workspace's state ("the messages in channel C", "the modal as last updated") rather than on
// expected requests. Faults are injected per method with inject() (or the before/afterPost hooks).
// Reached through nock (interceptSlack, slack-http.ts) or a server on 127.0.0.1 (slack-server.ts).

export interface FakeUser {
  id: string;
  email?: string;
  name: string;
  deleted?: boolean;
  isBot?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  archived?: boolean;
  /** False: the bot is not a member (posting fails with not_in_channel, unless the channel is public). Default true. */
  member?: boolean;
  /** User IDs in the channel (conversations.members). Default nobody. */
  members?: string[];
  /**
   * A public channel: a bot that is not a member may still post in it (chat:write.public) but not
   * read its history (conversations.history fails with not_in_channel).
   */
  public?: boolean;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** The thread it was posted in (thread_ts), if any. */
  threadTs?: string;
  /** How many times chat.update changed it. */
  updates: number;
}

/** An ephemeral message (chat.postEphemeral): seen by `user` only, never stored in history. */
export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: Record<string, unknown>[];
  threadTs?: string;
}

/** Link previews the bot gave (chat.unfurl), by the message they unfurl. */
export interface FakeUnfurl {
  channel: string;
  ts: string;
  /** URL → attachment or blocks, as sent. */
  unfurls: Record<string, unknown>;
}

/**
 * A fault inject() answers instead of the fake: Slack's rate limit (429 with Retry-After), a
 * server error (5xx), a platform error (200 ok:false), or no answer in time.
 */
export type Fault =
  | { ratelimited: true; retryAfterSeconds?: number }
  | { status: number; body?: unknown }
  | { error: string; needed?: string; provided?: string }
  | 'timeout';

/** A file uploaded with files.uploadV2: announced, its bytes posted, then completed into a channel. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  /** Where the upload URL points (nock intercepts it: interceptSlack in slack-http.ts). */
  uploadUrl: string;
  /** The bytes posted to the upload URL, once they were. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  title?: string;
}

/** An assistant pane thread, as the assistant.threads.* methods last set it. */
export interface FakeAssistantThread {
  channel: string;
  threadTs: string;
  prompts?: { title: string; message: string }[];
  promptsTitle?: string;
  title?: string;
  /** The status as last set ('' clears it); every status set, in order, in `statuses`. */
  status?: string;
  statuses: string[];
}
/** How a workflow step ended: functions.completeSuccess (its outputs) or functions.completeError (its error). */
export type FakeFunctionResult =
  | { executionId: string; outcome: 'success'; outputs: Record<string, unknown> }
  | { executionId: string; outcome: 'error'; error: string };

/** Where the fake's upload URLs point; the upload step is answered by uploadFile(). */
export const FAKE_UPLOAD_HOST = 'https://files.slack.com';

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface RateLimits {
  /** Minimum gap between two chat.postMessage calls to one channel (Slack: about one per second). */
  perChannelMs?: number;
  /** chat.postMessage / chat.update calls per second across the workspace (token bucket of this size). */
  perSecond?: number;
  retryAfterSeconds?: number;
}

export interface FakeSlackOptions {
  users?: FakeUser[];
  /** Where apps.connections.open points Socket Mode (a WebSocket server of the test). */
  socketUrl?: string;
  channels?: FakeChannel[];
  /** Clock for message timestamps. Default Date.now. */
  now?: () => number;
  /** Clock for rate limits (always real time in the bench). Default Date.now. */
  rateClock?: () => number;
  rateLimits?: RateLimits;
}

export type Params = Record<string, unknown>;

/** Form fields Slack's client sends as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'metadata', 'view', 'attachments', 'files', 'unfurls', 'prompts', 'loading_messages', 'outputs']);

export function parseFormBody(body: string): Params {
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  }
  return params;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // Slack would answer invalid_arguments; the test then sees the raw text
  }
}

const ok = (body: Record<string, unknown> = {}): FakeReply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): FakeReply => ({ status: 200, body: { ok: false, error } });

export class FakeSlack {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly calls: { method: string; params: Params }[] = [];
  /** Bodies posted to response_urls (respond()). */
  readonly responses: { url: string; body: Record<string, unknown> }[] = [];
  /** Modals opened with views.open, each as last updated. */
  readonly views: { id: string; view: Record<string, unknown>; updates: number }[] = [];
  /** App Home as last published (views.publish), per user ID. */
  readonly homes = new Map<string, Record<string, unknown>>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly unfurls: FakeUnfurl[] = [];
  /** Assistant pane threads touched by assistant.threads.*, keyed "channel/thread_ts". */
  readonly assistantThreads = new Map<string, FakeAssistantThread>();
  /** Messages removed with chat.delete. */
  readonly deleted: FakeMessage[] = [];
  /** Workflow steps ended with functions.completeSuccess / completeError, in order. */
  readonly functionResults: FakeFunctionResult[] = [];
  /** Files announced with files.getUploadURLExternal, in order. */
  readonly files: FakeFile[] = [];
  /** Answer an upload-URL post before the fake does (inject 5xx, 429). */
  beforeUpload?: (file: FakeFile) => FakeReply | undefined;
  /** 429s answered. */
  rateLimited = 0;
  /**
   * Answer a call before the fake does (inject errors). Returning undefined lets the fake answer;
   * 'hang' never answers (over HTTP the request stays open, as with a Slack that stopped
   * responding); 'timeout' is the client giving up on such a request (over nock, at once).
   */
  before?: (method: string, params: Params) => FakeReply | 'hang' | 'timeout' | undefined;
  /** Called after a message was stored; return 'drop' to not answer at all (the sender never learns). */
  afterPost?: (message: FakeMessage) => 'drop' | void;

  private readonly now: () => number;
  private readonly rateClock: () => number;
  private readonly rateLimits: RateLimits | undefined;
  private seq = 0;
  private readonly lastPost = new Map<string, number>();
  private tokens: number;
  private tokensAt: number;
  private readonly socketUrl: string | undefined;
  private readonly faults: { method: string | RegExp; fault: Fault; left: number; when: ((params: Params) => boolean) | undefined }[] = [];

  constructor(options: FakeSlackOptions = {}) {
    this.socketUrl = options.socketUrl;
    for (const user of options.users ?? []) this.users.set(user.id, user);
    for (const channel of options.channels ?? []) this.channels.set(channel.id, channel);
    this.now = options.now ?? Date.now;
    this.rateClock = options.rateClock ?? Date.now;
    this.rateLimits = options.rateLimits;
    this.tokens = options.rateLimits?.perSecond ?? 0;
    this.tokensAt = this.rateClock();
  }

  /** Messages in a channel (a DM channel is "D" + the user ID). */
  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** Messages that carry a delivery id, counted per delivery id (more than 1 is a duplicate). */
  deliveryCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of this.messages) {
      const id = message.metadata?.event_payload['delivery_id'];
      if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  callsTo(method: string): Params[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  /** The Web API methods called, in order (`from`: skip the first calls, such as start-up's). */
  methods(from = 0): string[] {
    return this.calls.slice(from).map((c) => c.method);
  }

  /** What was posted to one response URL, or to every response URL whose address matches. */
  responsesTo(url: string | RegExp): Record<string, unknown>[] {
    return this.responses.filter((r) => (typeof url === 'string' ? r.url === url : url.test(r.url))).map((r) => r.body);
  }

  /**
   * Answers `method` (a name, or a pattern such as /^users\./) with `fault` instead of the fake,
   * `times` times (default every time), for calls whose params `when` accepts. Faults come before
   * the `before` hook and the fake's own answers; the first matching one is used. `stop()` ends it.
   */
  inject(method: string | RegExp, fault: Fault, options: { times?: number; when?: (params: Params) => boolean } = {}): { stop(): void } {
    const entry = { method, fault, left: options.times ?? Infinity, when: options.when };
    this.faults.push(entry);
    return { stop: () => void (entry.left = 0) };
  }

  private injected(method: string, params: Params): FakeReply | 'timeout' | undefined {
    const match = this.faults.find((f) => f.left > 0 && (typeof f.method === 'string' ? f.method === method : f.method.test(method)) && (f.when?.(params) ?? true));
    if (!match) return undefined;
    match.left--;
    const fault = match.fault;
    if (fault === 'timeout') return 'timeout';
    if ('ratelimited' in fault) {
      this.rateLimited++;
      return { status: 429, headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) }, body: { ok: false, error: 'ratelimited' } };
    }
    if ('error' in fault) return { status: 200, body: { ok: false, ...fault } };
    return { status: fault.status, body: fault.body ?? (fault.status >= 500 ? 'unavailable' : { ok: false, error: 'fatal_error' }) };
  }

  handle(method: string, params: Params): FakeReply | 'drop' | 'hang' | 'timeout' {
    this.calls.push({ method, params });
    const injected = this.injected(method, params) ?? this.before?.(method, params);
    if (injected) return injected;
    switch (method) {
      case 'chat.postMessage':
        return this.postMessage(params);
      case 'chat.update':
        return this.update(params);
      case 'chat.delete':
        return this.delete(params);
      case 'chat.postEphemeral':
        return this.postEphemeral(params);
      case 'chat.unfurl':
        return this.unfurl(params);
      case 'conversations.open':
        return this.open(params);
      case 'conversations.history':
        return this.history(params);
      case 'conversations.list':
        return ok({ channels: [...this.channels.values()].map((c) => ({ id: c.id, name: c.name, is_archived: Boolean(c.archived) })), response_metadata: { next_cursor: '' } });
      case 'conversations.info': {
        const channel = this.channels.get(String(params['channel']));
        return channel ? ok({ channel: { id: channel.id, name: channel.name, is_archived: Boolean(channel.archived) } }) : fail('channel_not_found');
      }
      case 'conversations.members': {
        const channel = this.channels.get(String(params['channel']));
        if (!channel) return fail('channel_not_found');
        // Paged like Slack: `limit` members a page, the cursor is the offset of the next one.
        const members = channel.members ?? [];
        const limit = Number(params['limit'] ?? 100);
        const offset = Number(params['cursor'] ?? 0);
        const next = offset + limit < members.length ? String(offset + limit) : '';
        return ok({ members: members.slice(offset, offset + limit), response_metadata: { next_cursor: next } });
      }
      case 'users.lookupByEmail': {
        const email = String(params['email']).toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        return user ? ok({ user: this.userJson(user) }) : fail('users_not_found');
      }
      case 'users.info': {
        const user = this.users.get(String(params['user']));
        return user ? ok({ user: this.userJson(user) }) : fail('user_not_found');
      }
      case 'views.open': {
        const id = `V${String(this.views.length + 1).padStart(6, '0')}`;
        this.views.push({ id, view: params['view'] as Record<string, unknown>, updates: 0 });
        return ok({ view: { id, hash: `hash-${id}-0` } });
      }
      case 'views.publish': {
        if (!this.users.has(String(params['user_id']))) return fail('user_not_found');
        const view = params['view'] as Record<string, unknown>;
        this.homes.set(String(params['user_id']), view);
        return ok({ view: { id: `VHOME${String(params['user_id'])}`, type: view['type'] } });
      }
      case 'views.update': {
        const view = this.views.find((v) => v.id === params['view_id']);
        if (!view) return fail('not_found');
        if (params['hash'] !== undefined && params['hash'] !== `hash-${view.id}-${view.updates}`) return fail('hash_conflict');
        view.view = params['view'] as Record<string, unknown>;
        view.updates++;
        return ok({ view: { id: view.id, hash: `hash-${view.id}-${view.updates}` } });
      }
      case 'files.getUploadURLExternal':
        return this.uploadUrl(params);
      case 'files.completeUploadExternal':
        return this.completeUpload(params);
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setTitle':
        return this.assistantThread(method, params);
      case 'functions.completeSuccess':
      case 'functions.completeError':
        return this.completeFunction(method, params);
      case 'auth.test':
        return ok({ user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'lineage' });
      case 'apps.connections.open':
        return this.socketUrl ? ok({ url: this.socketUrl }) : fail('invalid_auth');
      default:
        return fail('unknown_method');
    }
  }

  /** An assistant thread of a DM with the bot: at most 4 prompts, each with a title and a message; a title; a status. */
  private assistantThread(method: string, params: Params): FakeReply {
    const target = this.resolveChannel(String(params['channel_id']));
    if ('error' in target) return fail(target.error);
    if (!target.id.startsWith('D')) return fail('channel_not_found');
    const threadTs = params['thread_ts'];
    if (typeof threadTs !== 'string' || threadTs === '') return fail('invalid_thread_ts');
    const key = `${target.id}/${threadTs}`;
    const thread = this.assistantThreads.get(key) ?? { channel: target.id, threadTs, statuses: [] };
    if (method === 'assistant.threads.setSuggestedPrompts') {
      const prompts = params['prompts'];
      const valid = (p: unknown) => typeof p === 'object' && p !== null && typeof (p as Params)['title'] === 'string' && typeof (p as Params)['message'] === 'string';
      if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 4 || !prompts.every(valid)) return fail('invalid_arguments');
      thread.prompts = prompts as FakeAssistantThread['prompts'];
      if (typeof params['title'] === 'string') thread.promptsTitle = params['title'];
    } else if (method === 'assistant.threads.setTitle') {
      if (typeof params['title'] !== 'string' || params['title'] === '') return fail('invalid_arguments');
      thread.title = params['title'];
    } else {
      if (typeof params['status'] !== 'string') return fail('invalid_arguments');
      thread.status = params['status'];
      thread.statuses.push(params['status']);
    }
    this.assistantThreads.set(key, thread);
    return ok();
  }

  /** A workflow step ends once: Slack refuses a second completion (execution_not_in_running_state). */
  private completeFunction(method: string, params: Params): FakeReply {
    const executionId = String(params['function_execution_id'] ?? '');
    if (!executionId) return fail('invalid_arguments');
    if (this.functionResults.some((r) => r.executionId === executionId)) return fail('execution_not_in_running_state');
    if (method === 'functions.completeSuccess') {
      const outputs = params['outputs'];
      if (typeof outputs !== 'object' || outputs === null) return fail('invalid_arguments');
      this.functionResults.push({ executionId, outcome: 'success', outputs: outputs as Record<string, unknown> });
    } else {
      const error = params['error'];
      if (typeof error !== 'string' || error === '') return fail('invalid_arguments');
      this.functionResults.push({ executionId, outcome: 'error', error });
    }
    return ok();
  }

  /** The bytes posted to an upload URL (the second step of files.uploadV2). */
  uploadFile(url: string, bytes: Buffer): FakeReply {
    const file = this.files.find((f) => f.uploadUrl === url);
    if (!file) return { status: 404, body: 'no such upload' };
    const injected = this.beforeUpload?.(file);
    if (injected) return injected;
    file.bytes = bytes;
    return { status: 200, body: `OK - ${bytes.length}` };
  }

  /** A response_url post (Bolt's respond()). */
  respond(url: string, body: Record<string, unknown>): void {
    this.responses.push({ url, body });
  }

  private userJson(user: FakeUser) {
    const profile = { display_name: user.name, real_name: user.name, ...(user.email ? { email: user.email } : {}) };
    return { id: user.id, name: user.name, real_name: user.name, deleted: Boolean(user.deleted), is_bot: Boolean(user.isBot), profile };
  }

  /** A channel the bot can post in, by ID or (like Slack) a user ID for the DM with that user. */
  private resolveChannel(ref: string, purpose: 'post' | 'read' = 'post'): { id: string } | { error: string } {
    const dmUser = /^D(.+)$/.exec(ref)?.[1] ?? (/^[UW]/.test(ref) ? ref : undefined);
    if (dmUser) {
      const user = this.users.get(dmUser);
      if (!user) return { error: 'channel_not_found' };
      if (user.deleted) return { error: 'user_disabled' };
      return { id: `D${dmUser}` };
    }
    const channel = this.channels.get(ref);
    if (!channel) return { error: 'channel_not_found' };
    if (channel.archived) return { error: 'is_archived' };
    if (channel.member === false && !(channel.public && purpose === 'post')) return { error: 'not_in_channel' };
    return { id: channel.id };
  }

  private limited(channel: string | undefined): FakeReply | undefined {
    const limits = this.rateLimits;
    if (!limits) return undefined;
    const now = this.rateClock();
    const retryAfter = String(limits.retryAfterSeconds ?? 1);
    if (limits.perSecond) {
      this.tokens = Math.min(limits.perSecond, this.tokens + ((now - this.tokensAt) / 1000) * limits.perSecond);
      this.tokensAt = now;
      if (this.tokens < 1) {
        this.rateLimited++;
        return { status: 429, headers: { 'retry-after': retryAfter }, body: { ok: false, error: 'ratelimited' } };
      }
    }
    if (channel && limits.perChannelMs) {
      const last = this.lastPost.get(channel);
      if (last !== undefined && now - last < limits.perChannelMs) {
        this.rateLimited++;
        return { status: 429, headers: { 'retry-after': retryAfter }, body: { ok: false, error: 'ratelimited' } };
      }
      this.lastPost.set(channel, now);
    }
    if (limits.perSecond) this.tokens -= 1;
    return undefined;
  }

  private nextTs(): string {
    this.seq++;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private postMessage(params: Params): FakeReply | 'drop' {
    const target = this.resolveChannel(String(params['channel']));
    if ('error' in target) return fail(target.error);
    const limited = this.limited(target.id);
    if (limited) return limited;
    const message: FakeMessage = {
      channel: target.id,
      ts: this.nextTs(),
      text: String(params['text'] ?? ''),
      blocks: (params['blocks'] as Record<string, unknown>[] | undefined) ?? [],
      ...(params['metadata'] ? { metadata: params['metadata'] as FakeMessage['metadata'] } : {}),
      ...(params['thread_ts'] !== undefined ? { threadTs: String(params['thread_ts']) } : {}),
      updates: 0,
    };
    this.messages.push(message);
    if (this.afterPost?.(message) === 'drop') return 'drop';
    return ok({ channel: message.channel, ts: message.ts, message: { text: message.text } });
  }

  private update(params: Params): FakeReply {
    const message = this.messages.find((m) => m.channel === params['channel'] && m.ts === params['ts']);
    if (!message) return fail('message_not_found');
    const limited = this.limited(undefined);
    if (limited) return limited;
    message.text = String(params['text'] ?? '');
    message.blocks = (params['blocks'] as Record<string, unknown>[] | undefined) ?? [];
    message.updates++;
    return ok({ channel: message.channel, ts: message.ts });
  }

  private delete(params: Params): FakeReply {
    const index = this.messages.findIndex((m) => m.channel === params['channel'] && m.ts === params['ts']);
    if (index < 0) return fail('message_not_found');
    this.deleted.push(...this.messages.splice(index, 1));
    return ok({ channel: params['channel'], ts: params['ts'] });
  }

  private postEphemeral(params: Params): FakeReply {
    const target = this.resolveChannel(String(params['channel']));
    if ('error' in target) return fail(target.error);
    const user = String(params['user']);
    if (!this.users.has(user)) return fail('user_not_in_channel');
    this.ephemerals.push({
      channel: target.id,
      user,
      text: String(params['text'] ?? ''),
      blocks: (params['blocks'] as Record<string, unknown>[] | undefined) ?? [],
      ...(params['thread_ts'] !== undefined ? { threadTs: String(params['thread_ts']) } : {}),
    });
    return ok({ message_ts: this.nextTs() });
  }

  private unfurl(params: Params): FakeReply {
    const unfurls = params['unfurls'];
    if (typeof unfurls !== 'object' || unfurls === null) return fail('invalid_unfurls');
    const target = this.resolveChannel(String(params['channel']));
    if ('error' in target) return fail(target.error);
    this.unfurls.push({ channel: target.id, ts: String(params['ts']), unfurls: unfurls as Record<string, unknown> });
    return ok();
  }

  private uploadUrl(params: Params): FakeReply {
    const length = Number(params['length']);
    if (!params['filename'] || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const id = `F${String(this.files.length + 1).padStart(6, '0')}`;
    const file: FakeFile = { id, filename: String(params['filename']), length, uploadUrl: `${FAKE_UPLOAD_HOST}/upload/v1/${id}` };
    if (params['alt_text'] !== undefined) file.altText = String(params['alt_text']);
    this.files.push(file);
    return ok({ upload_url: file.uploadUrl, file_id: id });
  }

  private completeUpload(params: Params): FakeReply {
    const listed = params['files'];
    if (!Array.isArray(listed) || listed.length === 0) return fail('invalid_arguments');
    const files = (listed as { id?: string; title?: string }[]).map((entry) => ({ entry, file: this.files.find((f) => f.id === entry.id) }));
    // Slack refuses to complete a file whose bytes never arrived.
    if (files.some(({ file }) => !file?.bytes)) return fail('file_not_found');
    const channel = params['channel_id'] === undefined ? undefined : this.resolveChannel(String(params['channel_id']));
    if (channel && 'error' in channel) return fail(channel.error);
    for (const { entry, file } of files) {
      if (!file) continue;
      if (channel) file.channel = channel.id;
      if (params['thread_ts'] !== undefined) file.threadTs = String(params['thread_ts']);
      if (params['initial_comment'] !== undefined) file.initialComment = String(params['initial_comment']);
      if (entry.title !== undefined) file.title = entry.title;
    }
    return ok({ files: files.map(({ file }) => ({ id: file?.id, name: file?.filename })) });
  }

  private open(params: Params): FakeReply {
    const userId = String(params['users']);
    const user = this.users.get(userId);
    if (!user) return fail('user_not_found');
    if (user.deleted) return fail('user_disabled');
    return ok({ channel: { id: `D${userId}` } });
  }

  private history(params: Params): FakeReply {
    const channel = String(params['channel']);
    const target = this.resolveChannel(channel, 'read');
    if ('error' in target) return fail(target.error);
    const oldest = Number(params['oldest'] ?? 0);
    const withMetadata = params['include_all_metadata'] === 'true' || params['include_all_metadata'] === true;
    const messages = this.messagesIn(target.id)
      .filter((m) => Number(m.ts) >= oldest)
      .reverse()
      .map((m) => ({ ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
    return ok({ messages, has_more: false, response_metadata: { next_cursor: '' } });
  }
}
