// The real entry point with Slack variables set: it starts HTTP mode on PORT, answers /healthz,
// and exits cleanly on SIGTERM. Slack's Web API is a small server on 127.0.0.1 (SLACK_API_URL).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

let slack: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (slack ? slack.close(resolve) : resolve(undefined)));
  slack = undefined;
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('npm start with Slack variables', () => {
  it('serves HTTP mode on PORT and shuts down on SIGTERM', async () => {
    const calls: string[] = [];
    slack = createServer((req, res) => {
      calls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
    });
    const apiPort = await listen(slack);
    const port = await freePort();
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_') && !key.startsWith('LINEAGE_'))),
      SLACK_BOT_TOKEN: 'xoxb-process-test-token',
      SLACK_SIGNING_SECRET: 'process-test-signing-secret',
      SLACK_API_URL: `http://127.0.0.1:${apiPort}/api/`,
      PORT: String(port),
      STORE_URL: 'sqlite::memory:',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      while (!err.includes('Listening for Slack')) {
        if (child.exitCode !== null) throw new Error(`exited early: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', source: 'embedded demo snapshot (cached)' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(err).toContain(`Listening for Slack on port ${port}`);
    expect(err).toContain('Shutting down');
    // The cache's counters reach the log (every 10 minutes, and at shutdown).
    expect(err).toMatch(/Lineage cache: \d+ hits, \d+ misses/);
    expect(err).not.toContain('xoxb-process-test-token');
    expect(err).not.toContain('process-test-signing-secret');
  }, 60_000);
});
