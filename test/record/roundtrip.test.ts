// Recording into a fake account over the real wire, then asking the bot: the demo account as
// SageMaker alone records it, plus what `record` writes for the fraud and churn pipelines, must
// answer every question exactly like the hand-written demo (entity ARNs aside: the recording
// creates its own artifacts).
import { beforeEach, describe, expect, it } from 'vitest';
import { runRecord } from '../../src/cli/record.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { recordLineage } from '../../src/record/record.js';
import { bareDemoSnapshot, churnRequest, DATASETS, fraudRequest, LAKE, PROCESSING_CODE } from '../fixtures/record/bare-demo.js';
import { DEMO_LIMITS } from '../support/demo.js';
import { createFakeSageMaker, serveThroughNock } from '../support/fake-sagemaker.js';
import { testAccount, testSource } from '../support/sagemaker-nock.js';

// One account for the whole file: what one test records, the next reads. Small pages, as SageMaker may page anything.
const snapshot = bareDemoSnapshot();
const fake = createFakeSageMaker(snapshot, { pageSize: 3, repeatVertices: true });
beforeEach(() => serveThroughNock(fake, { optional: true }));
const recorded = new LineageService(testSource({ maxAttempts: 1, concurrency: 8 }), DEMO_LIMITS);
const demo = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS);

const account = () => testAccount({ maxAttempts: 1 });

/** An answer (or the error it failed with) with every ARN left out, comparable across accounts. */
async function outcome(ask: () => Promise<unknown>): Promise<unknown> {
  const withoutArns = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withoutArns);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'arn').map(([key, v]) => [key, withoutArns(v)]));
    }
    return value;
  };
  try {
    return { answer: withoutArns(await ask()) };
  } catch (error) {
    return { error: { name: (error as Error).constructor.name, message: (error as Error).message } };
  }
}

async function expectDemoAnswer(ask: (service: LineageService) => Promise<unknown>, expecting: 'answer' | 'error' = 'answer') {
  const [actual, expected] = await Promise.all([outcome(() => ask(recorded)), outcome(() => ask(demo))]);
  expect(actual).toEqual(expected);
  expect(Object.keys(expected as object)).toEqual([expecting]);
}

describe('before recording', () => {
  it('the bare account knows nothing of the feature groups behind its models', async () => {
    const answer = await recorded.dependencies('fraud-detector');
    expect(answer.featureGroups).toEqual([]);
    await expect(recorded.consumers('customers')).rejects.toThrow('The feature group "customers" exists but has no lineage recorded');
  });
});

describe('record the fraud and churn pipelines', () => {
  it('the first recording of each writes the missing lineage', async () => {
    const fraud = await recordLineage(account(), fraudRequest());
    // Created: fg-customers, fg-claims, the processing job and its code (SageMaker recorded the raw inputs).
    // Given properties: the two datasets' queries and the model's name. Linked: inputs and code → job → groups → datasets.
    expect(fraud.applied).toEqual({ created: 4, updated: 3, associated: 9, concurrentlyAdded: 0 });
    const churn = await recordLineage(account(), churnRequest());
    // The processing job, its inputs, code and fg-customers exist now: only the churn dataset's query,
    // the model's name and fg-customers → churn dataset are new.
    expect(churn.applied).toEqual({ created: 0, updated: 2, associated: 1, concurrentlyAdded: 0 });
  });

  it('existing artifacts keep their names and types; new ones follow the helper', () => {
    const named = (uri: string) => snapshot.Artifacts.find((a) => a.Source?.SourceUri === uri);
    expect([named(DATASETS.fraudTrain)?.ArtifactName, named(DATASETS.fraudTrain)?.ArtifactType]).toEqual(['fraud-detector-train', 'DataSet']);
    expect([named(`${LAKE}/raw/claims.csv`)?.ArtifactName, named(`${LAKE}/raw/claims.csv`)?.ArtifactType]).toEqual(['claims.csv', 'DataSet']);
    const createdUris = new Set(fake.writes.filter((w) => w.operation === 'CreateArtifact').map((w) => (w.body['Source'] as { SourceUri: string }).SourceUri));
    const created = snapshot.Artifacts.filter((a) => createdUris.has(a.Source?.SourceUri ?? ''));
    expect(created.map((a) => [a.ArtifactName, a.ArtifactType, a.Source?.SourceUri]).sort()).toEqual(
      [
        ['ProcessingCode', 'Code', PROCESSING_CODE],
        ['ProcessingJob', 'ProcessingJob', 'arn:aws:sagemaker:us-east-1:111122223333:processing-job/fraud-feature-pipeline-20251101'],
        ['fg-claims', 'FeatureGroup', 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims'],
        ['fg-customers', 'FeatureGroup', 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers'],
      ].sort(),
    );
  });

  it('a second run of each records nothing and says so', async () => {
    const before = fake.writes.length;
    for (const request of [fraudRequest(), churnRequest()]) {
      const lines: string[] = [];
      const args = ['--training-job', request.trainingJob, '--model', request.model as string, '--feature-group', (request.featureGroups ?? []).join(',')];
      args.push('--query', request.query as string, '--processing-job', request.processingJob as string, '--processing-code-url', request.processingCodeUrl as string);
      if (request.testQuery) args.push('--test-query', request.testQuery);
      if (request.testChannel === false) args.push('--no-test-channel');
      expect(await runRecord(args, { account: account(), out: (line) => lines.push(line) })).toBe(0);
      expect(lines.at(-1)).toMatch(/^Nothing to record: the lineage is complete \(\d+ artifacts and \d+ associations were already recorded\)\.$/);
    }
    expect(fake.writes.length).toBe(before);
  });
});

describe('after recording, every question is answered as in the demo', () => {
  const MODELS = ['fraud-detector', 'churn-predictor', 'claims-triage'];
  const ENDPOINTS = ['fraud-detector-prod', 'churn-predictor-prod'];

  it.each([...MODELS, ...ENDPOINTS])('dependencies and trail of %s', async (input) => {
    await expectDemoAnswer((service) => service.dependencies(input));
    await expectDemoAnswer((service) => service.trail(input));
  });

  it.each(['customers', 'claims', 'claims-v2'])('consumers and upstream of %s', async (input) => {
    await expectDemoAnswer((service) => service.consumers(input));
    await expectDemoAnswer((service) => service.upstream(input));
  });

  it.each([`${LAKE}/raw/customers.csv`, `${LAKE}/raw/claims.csv`])('builtFrom %s', async (input) => {
    await expectDemoAnswer((service) => service.builtFrom(input));
  });

  it.each(['customers.age', 'customers.region', 'claims.fraud', 'claims-v2.triage_label'])('featureUsage %s', async (input) => {
    await expectDemoAnswer((service) => service.featureUsage(input));
  });

  it.each(['fraud', 'customers', 'claims', 'raw', 'CHURN'])('search %s', async (input) => {
    await expectDemoAnswer((service) => service.search(input));
  });

  it('a feature group nobody recorded still has no lineage', async () => {
    await expectDemoAnswer((service) => service.consumers('policies'), 'error');
  });

  it('the answers are not empty: the fraud model depends on both feature groups through both datasets', async () => {
    const answer = await recorded.dependencies('fraud-detector');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, d.datasets.map((ds) => ds.name)])).toEqual([
      ['claims', [DATASETS.fraudTest, DATASETS.fraudTrain]],
      ['customers', [DATASETS.fraudTest, DATASETS.fraudTrain]],
    ]);
  });
});
