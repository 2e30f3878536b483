// Slack's side of console mode, at the fetch boundary: Bolt posts answers to a response URL and
// calls the Web API through `fetch`; this fetch hands every message to the terminal instead.
// Nothing leaves the machine.
import type { KnownBlock } from '@slack/types';

export const CONSOLE_RESPONSE_URL = 'https://console.lineage-bot.invalid/respond/';

export interface PostedMessage {
  text?: string;
  blocks?: KnownBlock[];
  /** How it was sent: "respond" or the Web API method (chat.postMessage…). */
  via: string;
  ephemeral: boolean;
  /** Where it landed, as Slack would say: its ts, and the thread it is in. */
  ts?: string;
  threadTs?: string;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.unfurl', 'views.publish']);

function parseBody(body: unknown, contentType: string): Record<string, unknown> {
  if (typeof body !== 'string') return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const params = Object.fromEntries(new URLSearchParams(body));
  // The Web API client sends blocks as JSON text inside a form.
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, key === 'blocks' || key === 'attachments' ? (JSON.parse(value) as unknown) : value]),
  );
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** A fetch that delivers response-URL posts and Web API messages to `deliver`. */
export function createConsoleFetch(deliver: (message: PostedMessage) => void): typeof fetch {
  let ts = 0;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const payload = parseBody(init?.body, headers.get('content-type') ?? '');
    const toMessage = (via: string, at?: string): PostedMessage => ({
      ...(typeof payload['text'] === 'string' ? { text: payload['text'] } : {}),
      ...(Array.isArray(payload['blocks']) ? { blocks: payload['blocks'] as KnownBlock[] } : {}),
      via,
      ephemeral: payload['response_type'] === 'ephemeral' || via === 'chat.postEphemeral',
      ...(at ? { ts: at } : {}),
      ...(typeof payload['thread_ts'] === 'string' ? { threadTs: payload['thread_ts'] } : {}),
    });
    if (url.startsWith(CONSOLE_RESPONSE_URL)) {
      deliver(toMessage('respond'));
      return new Response('ok', { status: 200 });
    }
    const method = /\/api\/([\w.]+)/.exec(url)?.[1] ?? 'unknown';
    ts += 1;
    // chat.update keeps the message's ts; a new message gets the next one.
    const at = method === 'chat.update' && typeof payload['ts'] === 'string' ? payload['ts'] : `${Math.floor(Date.now() / 1000)}.${String(ts).padStart(6, '0')}`;
    if (MESSAGE_METHODS.has(method)) deliver(toMessage(method, method === 'chat.postMessage' || method === 'chat.update' ? at : undefined));
    return json({ ok: true, channel: payload['channel'] ?? 'CCONSOLE', ts: at });
  };
}
