// Operator mistakes at start-up, through the real entry point: one message naming what to fix,
// exit code 1, no stack trace, no secret.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createSource } from '../../src/create-source.js';
import { cleanEnv, runMain } from '../support/main-process.js';

let slack: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (slack ? slack.close(resolve) : resolve(undefined)));
  slack = undefined;
});

/** Slack's Web API on 127.0.0.1: auth.test accepts the bot token unless `refuse` names it; everything else is refused. */
async function fakeSlack(refuse: 'auth.test' | 'apps.connections.open'): Promise<string> {
  slack = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const accepted = req.url?.endsWith('/auth.test') && refuse !== 'auth.test';
    res.end(JSON.stringify(accepted ? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' } : { ok: false, error: 'invalid_auth' }));
  });
  await new Promise<void>((resolve) => slack?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`;
}

async function freePort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return String(port);
}

const BOT_TOKEN = 'xoxb-SECRET123-startup';
const SIGNING_SECRET = 'startup-SECRET456-signing';
const APP_TOKEN = 'xapp-SECRET789-startup';

describe('LINEAGE_SOURCE=sagemaker without a region', () => {
  it('stops start-up naming AWS_REGION instead of answering every question with an outage', async () => {
    const { code, output } = await runMain(cleanEnv({ LINEAGE_SOURCE: 'sagemaker' }));
    expect(code).toBe(1);
    expect(output).toContain('AWS_REGION is required to read SageMaker');
    expect(output).not.toMatch(/^\s+at /m);
  }, 40_000);

  it('lineage-bot export stops the same way', async () => {
    const { code, output } = await runMain(cleanEnv({}), ['export', '--out', join(tmpdir(), 'never-written.json'), '--all']);
    expect(code).toBe(1);
    expect(output).toContain('AWS_REGION is required to read SageMaker');
  }, 40_000);

  it('a region from the shared AWS config is enough', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-aws-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    const source = await createSource(loadConfig({ LINEAGE_SOURCE: 'sagemaker' }));
    expect(source.description).toBe('sagemaker (region from the AWS configuration)');
  });

  it('no region anywhere is a ConfigError', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    // The SDK would otherwise ask the instance metadata service for a region.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    await expect(createSource(loadConfig({ LINEAGE_SOURCE: 'sagemaker' }))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('tokens Slack refuses', () => {
  it('HTTP mode: a refused bot token stops start-up naming SLACK_BOT_TOKEN, before "Listening"', async () => {
    const apiUrl = await fakeSlack('auth.test');
    const { code, output } = await runMain(
      cleanEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: await freePort() }),
    );
    expect(code).toBe(1);
    expect(output).toContain('SLACK_BOT_TOKEN was refused by Slack (auth.test: invalid_auth)');
    expect(output).not.toContain('Listening for Slack');
    // What the process is waiting for, should Slack be slow or unreachable.
    expect(output).toContain('Checking SLACK_BOT_TOKEN with Slack (auth.test) before listening');
    expect(output).not.toMatch(/^\s+at /m);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET]) expect(output).not.toContain(secret);
  }, 40_000);

  it('Socket Mode: a refused app token stops start-up naming SLACK_APP_TOKEN', async () => {
    const apiUrl = await fakeSlack('apps.connections.open');
    const { code, output } = await runMain(cleanEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: apiUrl, PORT: await freePort() }));
    expect(code).toBe(1);
    expect(output).toContain('SLACK_APP_TOKEN was refused by Slack (apps.connections.open: invalid_auth)');
    expect(output).not.toMatch(/^\s+at /m);
    for (const secret of [BOT_TOKEN, APP_TOKEN]) expect(output).not.toContain(secret);
  }, 40_000);
});

describe('the command-line tools', () => {
  it.each(['export', 'record', 'infer'])('%s --help works with no AWS region and a broken configuration', async (command) => {
    const { code, stdout } = await runMain(cleanEnv({ LINEAGE_MAX_DEPTH: 'lots' }), [command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: lineage-bot ${command}`);
  });

  it.each(['export', 'record', 'infer', 'graph'])('%s names an unknown flag before a broken configuration', async (command) => {
    const { code, stdout, stderr } = await runMain(cleanEnv({ LINEAGE_MAX_DEPTH: 'lots' }), [command, '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain(`Usage: lineage-bot ${command}`);
    expect(stderr).not.toContain('LINEAGE_MAX_DEPTH');
    expect(stdout).toBe('');
  });

  it.each([
    [['record', '--file', '/missing.yml'], 'Cannot read /missing.yml: no such file.'],
    [['record', '--training-job', 'churn', '--query-file', '/missing.sql'], 'Cannot read /missing.sql: no such file.'],
    [['infer', 'churn', '--queries', '/missing.yml'], 'Cannot read /missing.yml: no such file.'],
  ])('%j is bad usage: exit 2, naming the file, before SageMaker is asked', async (args, message) => {
    const { code, stdout, stderr } = await runMain(cleanEnv({ AWS_REGION: 'us-east-1' }), args);
    expect(stderr).toContain(`${message}\n`);
    expect(stderr).not.toMatch(/Recording failed|Inference failed|Usage:/);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });

  it('record --file shows a YAML error whole: the line and a caret under the place, not only "column 14:"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-yaml-'));
    const file = join(dir, 'lineage.yml');
    writeFileSync(file, 'trainingJob: x\n  model: y\n');
    const { code, stderr } = await runMain(cleanEnv({ AWS_REGION: 'us-east-1' }), ['record', '--file', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(stderr).toContain(
      `${file} is not valid YAML: Nested mappings are not allowed in compact mappings at line 1, column 14:\n\ntrainingJob: x\n             ^\n`,
    );
    expect(code).toBe(2);
  });

  it('a usage mistake goes to standard error, not standard output', async () => {
    const { code, stdout, stderr } = await runMain(cleanEnv({ AWS_REGION: 'us-east-1' }), ['export', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('Usage: lineage-bot export');
    expect(stdout).toBe('');
  });
});
