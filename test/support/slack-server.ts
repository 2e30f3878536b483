// A FakeSlack served over HTTP on 127.0.0.1, for child processes and the bench (which must not
// depend on nock). Point a WebClient at `url` with `slackApiUrl`.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFormBody, type FakeSlack } from './slack-fake.js';

export interface FakeSlackServer {
  /** Web API base URL, ending in /api/. */
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackServer(fake: FakeSlack): Promise<FakeSlackServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = /^\/api\/([a-zA-Z.]+)$/.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !method) {
        res.writeHead(404).end();
        return;
      }
      const params = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(body) as Record<string, unknown>) : parseFormBody(body);
      const reply = fake.handle(method, params);
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
  return {
    url: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
