// `lineage-bot export` through the real entry point: an --out it cannot write is said at once,
// before a single SageMaker call, and without a raw ENOENT.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSnapshot } from '../fixtures/sagemaker/small-snapshot.js';
import { startFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { cleanEnv, runMain } from '../support/main-process.js';

let fake: FakeSageMaker;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeSageMaker(smallSnapshot());
  dir = mkdtempSync(join(tmpdir(), 'lineage-export-cli-'));
  writeFileSync(join(dir, 'a-file'), '');
  env = cleanEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SAGEMAKER: fake.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lineage-bot export --out', () => {
  it.each([
    ['/missing-dir/x.json', 'Cannot write --out /missing-dir/x.json: there is no folder /missing-dir.'],
    ['{dir}/a-file/x.json', 'Cannot write --out {dir}/a-file/x.json: {dir}/a-file is not a folder.'],
  ])('%s fails before walking, naming the folder (exit 2)', async (out, message) => {
    fake.resetCalls();
    const { code, stdout, stderr } = await runMain(env, ['export', '--out', out.replace('{dir}', dir), '--all']);
    expect(stderr).toContain(`${message.replaceAll('{dir}', dir)}\n`);
    expect(stderr).not.toContain('ENOENT');
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(fake.totalCalls()).toBe(0);
  }, 30_000);

  it('a folder that exists gets the snapshot', async () => {
    const out = join(dir, 'snapshot.json');
    const { code, stdout } = await runMain(env, ['export', '--out', out, '--all']);
    expect(stdout).toMatch(new RegExp(`^Wrote ${out}: \\d+ artifacts`));
    expect(code).toBe(0);
  }, 30_000);
});
