// A FakeSlack served over HTTP on 127.0.0.1, for child processes and the bench (which must not
// depend on nock). Point a WebClient at `url` with `slackApiUrl`; response URLs under
// `responseUrlBase` are recorded as respond() posts.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFormBody, type FakeSlack } from './slack-fake.js';

export interface FakeSlackServer {
  /** Web API base URL, ending in /api/. */
  url: string;
  /** Base of response URLs this server records (fake.responses), ending in /. */
  responseUrlBase: string;
  close(): Promise<void>;
}

export interface FakeSlackServerOptions {
  /** Time chat.postMessage takes to answer, so a fan-out lasts long enough to be interrupted. */
  postLatencyMs?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackServer(fake: FakeSlack, options: FakeSlackServerOptions = {}): Promise<FakeSlackServer> {
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'POST' && req.url?.startsWith('/response/')) {
        fake.respond(`${origin}${req.url}`, JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200).end('ok');
        return;
      }
      const method = /^\/api\/([a-zA-Z.]+)$/.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !method) {
        res.writeHead(404).end();
        return;
      }
      const params = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(body) as Record<string, unknown>) : parseFormBody(body);
      if (method === 'chat.postMessage' && options.postLatencyMs) await new Promise((resolve) => setTimeout(resolve, options.postLatencyMs));
      const reply = fake.handle(method, params);
      if (reply === 'hang' || reply === 'timeout') return; // never answered (the client times out); closed with the server
      if (reply === 'drop') {
        // The request was carried out, but its sender never hears back (as when it is killed meanwhile).
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/api/`,
    responseUrlBase: `${origin}/response/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
