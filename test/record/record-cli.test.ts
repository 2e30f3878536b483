// `lineage-bot record` through the real entry point, against a fake SageMaker on loopback: a
// request file plans what the same flags plan.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareDemoSnapshot } from '../fixtures/record/bare-demo.js';
import { startFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { cleanEnv, runMain } from '../support/main-process.js';

const JOB = 'churn-predictor-training-20251103';

let fake: FakeSageMaker;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeSageMaker(bareDemoSnapshot());
  dir = mkdtempSync(join(tmpdir(), 'lineage-record-cli-'));
  env = cleanEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SAGEMAKER: fake.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lineage-bot record --file', () => {
  it.each([
    ['featureGroups: customers', ['--feature-group', 'customers'], 'would create FeatureGroup "fg-customers"'],
    ['featureGroups: customers,claims', ['--feature-group', 'customers,claims'], 'would create FeatureGroup "fg-claims"'],
    [
      'processingJob: fraud-feature-pipeline-20251101\nprocessingInputs: claims',
      ['--processing-job', 'fraud-feature-pipeline-20251101', '--processing-input', 'claims'],
      'would create ProcessingJob',
    ],
  ])('a single string (%j) is a list, as the flag takes it', async (yaml, flags, planned) => {
    const file = join(dir, 'lineage.yml');
    writeFileSync(file, `trainingJob: ${JOB}\ntestChannel: false\n${yaml}\n`);
    const fromFlags = await runMain(env, ['record', '--training-job', JOB, '--no-test-channel', ...flags, '--dry-run']);
    const fromFile = await runMain(env, ['record', '--file', file, '--dry-run']);
    expect(fromFlags.stdout).toContain(planned);
    expect({ code: fromFile.code, stdout: fromFile.stdout }).toEqual({ code: fromFlags.code, stdout: fromFlags.stdout });
  }, 60_000);
});
