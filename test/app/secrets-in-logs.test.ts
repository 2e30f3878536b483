// No secret reaches the log. The real entry point runs with every variable of SECRET_VARIABLES
// (src/config.ts) and a STORE_URL password set to recognisable values, in both LOG_FORMATs at
// debug level, through start-up, requests that are answered, and error paths: SageMaker refusing
// every call, a Slack method failing, a forged signature, a wrong events key and metrics token,
// Socket Mode refused by Slack, and a store that cannot be reached.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_VARIABLES } from '../../src/config.js';
import { FEATURE_GROUP_STATE_CHANGE } from '../../src/notices/aws-events.js';
import { freePort, startBot } from '../support/bot-process.js';
import { cleanEnv, runMain } from '../support/main-process.js';
import { sign } from '../support/slack-requests.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-4242-SEEKRITBOTTOKEN',
  SLACK_SIGNING_SECRET: 'SEEKRITSIGNINGSECRET4242',
  SLACK_APP_TOKEN: 'xapp-4242-SEEKRITAPPTOKEN',
  AWS_SECRET_ACCESS_KEY: 'SEEKRITAWSSECRETACCESSKEY4242',
  AWS_SESSION_TOKEN: 'SEEKRITAWSSESSIONTOKEN4242',
  AWS_EVENTS_API_KEY: 'SEEKRITEVENTSAPIKEY4242',
  METRICS_TOKEN: 'SEEKRITMETRICSTOKEN4242',
} as const satisfies Record<(typeof SECRET_VARIABLES)[number], string>;
const STORE_PASSWORD = 'SEEKRITSTOREPASSWORD4242';

/** The log must hold no secret, nor the distinctive core of one (a token cut short or re-encoded). */
function expectNoSecret(log: string): void {
  for (const value of [...Object.values(SECRETS), STORE_PASSWORD]) expect(log).not.toContain(value.replace(/^x\w+-4242-/, ''));
  expect(log).not.toMatch(/SEEKRIT/i);
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Slack's Web API, response URLs and SageMaker on one local server: auth.test passes,
 * chat.postMessage fails (invalid_auth), apps.connections.open is refused, and SageMaker answers
 * every operation AccessDeniedException.
 */
async function startFakes(): Promise<{ url: string; responses: string[] }> {
  const responses: string[] = [];
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.headers['x-amz-target']) {
        json(400, { __type: 'AccessDeniedException', message: 'User is not authorized to perform this action' });
        return;
      }
      if (req.url?.startsWith('/response/')) {
        responses.push(body);
        // The second answer's response URL fails: Slack's side of the error path.
        if (req.url === '/response/2') res.writeHead(500).end('upstream broke');
        else res.writeHead(200).end('ok');
        return;
      }
      if (req.url === '/api/auth.test') json(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'lineage' });
      else if (req.url === '/api/apps.connections.open') json(200, { ok: false, error: 'invalid_auth' });
      else json(200, { ok: false, error: 'invalid_auth' });
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, responses };
}

function aws(url: string): Record<string, string> {
  return {
    LINEAGE_SOURCE: 'sagemaker',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_SAGEMAKER: url,
    AWS_MAX_ATTEMPTS: '1',
    AWS_ACCESS_KEY_ID: 'AKIDLOGTEST',
    AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: SECRETS.AWS_SESSION_TOKEN,
  };
}

async function signedCommand(botUrl: string, text: string, responseUrl: string, secret: string): Promise<Response> {
  const body = new URLSearchParams({ token: 'legacy', team_id: 'T1', channel_id: 'C1', user_id: 'U1', user_name: 'ana', command: '/lineage', text, api_app_id: 'A1', response_url: responseUrl, trigger_id: 'trigger.1' }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp, secret) },
    body,
  });
}

describe.each(['text', 'json'] as const)('secrets in the log (LOG_FORMAT=%s)', (format) => {
  it('HTTP mode: start-up, answered and failing requests, and shutdown log no secret', { timeout: 60_000 }, async () => {
    const fakes = await startFakes();
    const bot = await startBot({
      slackApiUrl: `${fakes.url}/api/`,
      storeUrl: 'sqlite::memory:',
      env: {
        ...aws(fakes.url),
        SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
        AWS_EVENTS_API_KEY: SECRETS.AWS_EVENTS_API_KEY,
        METRICS_TOKEN: SECRETS.METRICS_TOKEN,
        LOG_LEVEL: 'debug',
        LOG_FORMAT: format,
      },
    });
    try {
      // Answered: SageMaker refuses, so the answer is an error, posted to the response URL.
      expect((await signedCommand(bot.url, 'model fraud-detector', `${fakes.url}/response/1`, SECRETS.SLACK_SIGNING_SECRET)).status).toBe(200);
      // A question whose response URL fails.
      expect((await signedCommand(bot.url, 'help', `${fakes.url}/response/2`, SECRETS.SLACK_SIGNING_SECRET)).status).toBe(200);
      // Forged: signed with the wrong secret.
      expect((await signedCommand(bot.url, 'help', `${fakes.url}/response/3`, 'not-the-signing-secret')).status).toBe(401);
      const metrics = (token: string) => fetch(`${bot.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect((await metrics(SECRETS.METRICS_TOKEN)).status).toBe(200);
      expect((await metrics(`${SECRETS.METRICS_TOKEN}x`)).status).toBe(401);
      const event = (key: string) =>
        fetch(`${bot.url}/aws/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ id: `ev-${key.length}`, 'detail-type': FEATURE_GROUP_STATE_CHANGE, detail: { FeatureGroupName: 'customers' } }),
        });
      expect((await event(`${SECRETS.AWS_EVENTS_API_KEY}x`)).status).toBe(401);
      expect((await event(SECRETS.AWS_EVENTS_API_KEY)).status).toBe(500); // the check reads SageMaker, which refuses
      const deadline = Date.now() + 20_000;
      while (fakes.responses.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fakes.responses.length).toBeGreaterThanOrEqual(2);
    } finally {
      await bot.kill('SIGTERM');
    }
    const log = bot.log();
    expect(log).toContain('AccessDeniedException');
    expect(log).toContain('Failed to respond to the response_url: 500');
    if (format === 'json') for (const line of log.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expectNoSecret(log);
  });

  it('Socket Mode refused by Slack, and a PostgreSQL store that cannot be reached, log no secret', { timeout: 60_000 }, async () => {
    const fakes = await startFakes();
    const socket = await runMain(
      cleanEnv({
        ...aws(fakes.url),
        ...SECRETS,
        SLACK_API_URL: `${fakes.url}/api/`,
        PORT: String(await freePort()),
        LOG_LEVEL: 'debug',
        LOG_FORMAT: format,
      }),
    );
    expect(socket.code).not.toBe(0);
    expect(socket.output).toContain('SLACK_APP_TOKEN');
    expectNoSecret(socket.output);

    const store = await runMain(
      cleanEnv({
        ...SECRETS,
        SLACK_APP_TOKEN: '',
        SLACK_API_URL: `${fakes.url}/api/`,
        STORE_URL: `postgres://lineage:${STORE_PASSWORD}@127.0.0.1:1/lineage?connect_timeout=2`,
        LOG_LEVEL: 'debug',
        LOG_FORMAT: format,
      }),
    );
    expect(store.code).toBe(1);
    expect(store.output).toContain('STORE_URL');
    expectNoSecret(store.output);
  });
});
