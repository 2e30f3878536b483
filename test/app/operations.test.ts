// What an operator relies on: start-up that gives up on an unreachable Slack and says why,
// /readyz with a status per dependency, and /metrics behind a token or a loopback address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { Readiness } from '../../src/http/readiness.js';
import { waitForSlack } from '../../src/slack-startup.js';
import { startSlackApp, type SlackHarness } from '../support/slack-http.js';

let app: SlackHarness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function recorder() {
  const lines: string[] = [];
  return { lines, logger: { info: (text: string) => lines.push(`info ${text}`), warn: (text: string) => lines.push(`warn ${text}`) } };
}

describe('reaching Slack at start-up', () => {
  it('retries a closed port, logging the URL and the error, then gives up naming SLACK_API_URL and the network', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    const { lines, logger } = recorder();
    const failure = await waitForSlack({ botToken: 'xoxb-1-2-secret', slackApiUrl: url, timeoutMs: 300, retryEveryMs: 20, logger }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(new RegExp(`Slack could not be reached for 0 s \\(last error: ECONNREFUSED\\): check SLACK_API_URL \\(${url.replace(/[.]/g, '\\.')}\\) and the network`));
    expect(lines[0]).toBe(`info Reaching Slack: auth.test at ${url} (attempt 1)`);
    expect(lines.some((line) => line.startsWith(`warn Slack is not reachable at ${url} (ECONNREFUSED); trying again`))).toBe(true);
    expect(lines.join('\n')).not.toContain('xoxb-1-2-secret');
  });

  it('keeps trying through 5xx answers and returns once auth.test succeeds', async () => {
    let calls = 0;
    server = createServer((_req, res) => {
      calls += 1;
      if (calls < 3) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, user_id: 'UBOT' }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    const { lines, logger } = recorder();
    await waitForSlack({ botToken: 'xoxb-1', slackApiUrl: url, timeoutMs: 30_000, retryEveryMs: 10, logger });
    expect(calls).toBe(3);
    expect(lines.filter((line) => line.startsWith('warn')).map((line) => line.slice(0, line.indexOf(';')))).toEqual([
      `warn Slack is not reachable at ${url} (HTTP 503)`,
      `warn Slack is not reachable at ${url} (HTTP 503)`,
    ]);
  });

  it('does not retry a token Slack refuses: the caller explains it', async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'invalid_auth' })));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    const failure = await waitForSlack({ botToken: 'xoxb-1', slackApiUrl: url, timeoutMs: 30_000, logger: recorder().logger }).catch((error: unknown) => error);
    expect((failure as { data?: { error?: string } }).data?.error).toBe('invalid_auth');
  });
});

describe('readiness', () => {
  it('is down while Slack has not answered, and while the SageMaker source last failed', () => {
    const readiness = new Readiness({ slack: true, sagemaker: true });
    expect(readiness.report('ok')).toEqual({
      ready: false,
      checks: { store: { status: 'ok', required: true }, slack: { status: 'starting', required: true }, sagemaker: { status: 'unknown', required: true } },
    });
    readiness.slackReady();
    expect(readiness.report('ok').ready).toBe(true);
    readiness.sagemakerCall('AccessDeniedException');
    expect(readiness.report('ok')).toMatchObject({ ready: false, checks: { sagemaker: { status: 'failing', error: 'AccessDeniedException' } } });
    readiness.sagemakerCall(undefined);
    expect(readiness.report('ok').ready).toBe(true);
    expect(readiness.report('unavailable').ready).toBe(false);
  });

  it('ignores SageMaker when it is not the lineage source', () => {
    const readiness = new Readiness({ slack: true, sagemaker: false });
    readiness.slackReady();
    readiness.sagemakerCall('ThrottlingException');
    expect(readiness.report('ok').ready).toBe(true);
  });
});

describe('GET /metrics', () => {
  const TOKEN = 'metrics-token-0123456789';

  it('answers only with METRICS_TOKEN as a bearer token', async () => {
    app = await startSlackApp({ env: { METRICS_TOKEN: TOKEN } });
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-WRONG-6789' } })).status).toBe(401);
    const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('is not served without a token on an address that is not loopback', async () => {
    app = await startSlackApp();
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
  });

  it('is served without a token when HOST is loopback, and counts answers, cache lookups and the outbox', async () => {
    app = await startSlackApp({ env: { HOST: '127.0.0.1' } });
    await app.runtime.service.consumers('customers');
    await app.runtime.service.consumers('customers');
    await app.runtime.service.consumers('no-such-thing-anywhere').catch(() => undefined);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/^lineage_bot_answer_seconds_count\{question="consumers",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^lineage_bot_answer_seconds_count\{question="consumers",outcome="EntityNotFound"\} 1$/m);
    expect(text).toMatch(/^lineage_bot_cache_lookups_total\{result="hit"\} [1-9]\d*$/m);
    expect(text).toMatch(/^lineage_bot_cache_lookups_total\{result="miss"\} [1-9]\d*$/m);
    expect(text).toMatch(/^lineage_bot_outbox_deliveries\{status="pending"\} 0$/m);
    expect(text).toMatch(/^lineage_bot_outbox_oldest_pending_seconds 0$/m);
  });

  it('reports /readyz per dependency once Slack answered', async () => {
    app = await startSlackApp();
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      store: { status: 'ok', required: true },
      slack: { status: 'ok', required: true },
      sagemaker: { status: 'unknown', required: false },
    });
  });
});
