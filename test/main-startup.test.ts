// Operator mistakes at start-up, through the real entry point: one message naming what to fix,
// exit code 1, no stack trace, no secret.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createSource } from '../src/sources.js';

/** The environment without anything that configures the bot, AWS or Slack. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const kept = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !/^(SLACK_|LINEAGE_|AWS_)/.test(entry[0]),
  );
  return {
    ...Object.fromEntries(kept),
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    STORE_URL: 'sqlite::memory:',
    ...extra,
  };
}

/** Runs `src/main.ts` with stdin closed; resolves with its exit code and everything it printed. */
async function runMain(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, output };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

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
