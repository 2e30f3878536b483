// Slack's side of console mode, at the fetch boundary: Bolt posts answers to a response URL and
// calls the Web API through `fetch`; this fetch hands every message to the terminal instead, and
// writes an uploaded picture (files.uploadV2's three steps) to a file whose path it prints.
// Nothing leaves the machine.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnownBlock } from '@slack/types';

export const CONSOLE_RESPONSE_URL = 'https://console.lineage-bot.invalid/respond/';
const CONSOLE_UPLOAD_URL = 'https://console.lineage-bot.invalid/upload/';

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

/** A fetch that delivers response-URL posts and Web API messages to `deliver`, and writes pictures into `pictureDir`. */
export function createConsoleFetch(deliver: (message: PostedMessage) => void, pictureDir: string): typeof fetch {
  let ts = 0;
  /** Uploads announced (getUploadURLExternal), by file id: the file name, then where it was written. */
  const uploads = new Map<string, { filename: string; path?: string }>();
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(CONSOLE_UPLOAD_URL)) {
      const upload = uploads.get(url.slice(CONSOLE_UPLOAD_URL.length));
      const bytes = init?.body instanceof FormData ? init.body.get('body') : null;
      if (!upload || !(bytes instanceof Blob)) return new Response('no such upload', { status: 404 });
      upload.path = join(pictureDir, upload.filename);
      await mkdir(pictureDir, { recursive: true });
      await writeFile(upload.path, Buffer.from(await bytes.arrayBuffer()));
      return new Response('OK - written', { status: 200 });
    }
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
    if (method === 'files.getUploadURLExternal') {
      const id = `FCONSOLE${uploads.size + 1}`;
      // The Web API client names the file; only its last part is used, so it stays in pictureDir.
      uploads.set(id, { filename: String(payload['filename'] ?? 'picture.png').split(/[/\\]/).pop() || 'picture.png' });
      return json({ ok: true, upload_url: `${CONSOLE_UPLOAD_URL}${id}`, file_id: id });
    }
    if (method === 'files.completeUploadExternal') {
      const files = JSON.parse(String(payload['files'] ?? '[]')) as { id: string }[];
      const paths = files.map((file) => uploads.get(file.id)?.path).filter((path) => path !== undefined);
      const comment = typeof payload['initial_comment'] === 'string' ? `${payload['initial_comment']}\n` : '';
      deliver({ text: `${comment}Picture written to ${paths.join(', ')}`, via: method, ephemeral: false, ...(typeof payload['thread_ts'] === 'string' ? { threadTs: payload['thread_ts'] } : {}) });
      return json({ ok: true, files: files.map((file) => ({ id: file.id })) });
    }
    ts += 1;
    // chat.update keeps the message's ts; a new message gets the next one.
    const at = method === 'chat.update' && typeof payload['ts'] === 'string' ? payload['ts'] : `${Math.floor(Date.now() / 1000)}.${String(ts).padStart(6, '0')}`;
    if (MESSAGE_METHODS.has(method)) deliver(toMessage(method, method === 'chat.postMessage' || method === 'chat.update' ? at : undefined));
    return json({ ok: true, channel: payload['channel'] ?? 'CCONSOLE', ts: at });
  };
}
