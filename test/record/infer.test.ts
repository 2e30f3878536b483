// Inferring missing feature group → dataset links, against the fake SageMaker over the real wire:
// the evidence each kind of clue gives, that applying records the links in the helper convention
// (so the bot then answers), and that links already recorded — by anyone — are not proposed again.
import { afterEach, describe, expect, it } from 'vitest';
import { INFER_USAGE, runInfer } from '../../src/cli/infer.js';
import { LineageService } from '../../src/lineage/service.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { proposeLinks } from '../../src/record/infer.js';
import { channelReadsOfflineStore, s3Within } from '../../src/record/infer-match.js';
import { ACCOUNT_ARN, bareDemoSnapshot, DATASETS, demoQueries, LAKE } from '../fixtures/record/bare-demo.js';
import { DEMO_LIMITS } from '../support/demo.js';
import { FakeError, nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testAccount, testSource } from '../support/sagemaker-nock.js';

const FRAUD_JOB = 'fraud-detector-training-20251102';
const DIRECT_JOB = 'churn-from-offline-store-20251120';
const CUSTOMERS_STORE = `${LAKE}/feature-store/111122223333/sagemaker/us-east-1/offline-store/customers_1761958800/data`;
const FG = (name: string) => `${ACCOUNT_ARN}:feature-group/${name}`;

let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The bare demo plus a training job that reads the customers offline store directly, as SageMaker records it. */
function account(): Snapshot {
  const snapshot = bareDemoSnapshot();
  const channelUri = `${CUSTOMERS_STORE}/year=2025/`;
  const component = `${ACCOUNT_ARN}:experiment-trial-component/${DIRECT_JOB}-aws-training-job`;
  const input = `${ACCOUNT_ARN}:artifact/d1ec7000000000000000000000000001`;
  const at = new Date(1_763_600_000_000);
  snapshot.TrainingJobs.push({
    TrainingJobName: DIRECT_JOB,
    TrainingJobArn: `${ACCOUNT_ARN}:training-job/${DIRECT_JOB}`,
    TrainingJobStatus: 'Completed',
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: channelUri } } }],
    ModelArtifacts: { S3ModelArtifacts: `${LAKE}/models/${DIRECT_JOB}/output/model.tar.gz` },
    CreationTime: at,
  });
  snapshot.TrialComponents.push({
    TrialComponentArn: component,
    TrialComponentName: `${DIRECT_JOB}-aws-training-job`,
    Source: { SourceArn: `${ACCOUNT_ARN}:training-job/${DIRECT_JOB}`, SourceType: 'SageMakerTrainingJob' },
    CreationTime: at,
  });
  snapshot.Artifacts.push({ ArtifactArn: input, ArtifactType: 'DataSet', Source: { SourceUri: channelUri }, Properties: {}, CreationTime: at });
  snapshot.Associations.push({ SourceArn: input, DestinationArn: component, AssociationType: 'ContributedTo' });
  return snapshot;
}

async function serve(snapshot: Snapshot) {
  fake = await nockFakeSageMaker(snapshot, { pageSize: 4 });
  return { account: testAccount({ endpoint: fake.url, maxAttempts: 1 }), writes: fake.writes, url: fake.url };
}

async function infer(args: string[], served: Awaited<ReturnType<typeof serve>>, files: Record<string, string> = {}) {
  const lines: string[] = [];
  const read = async (path: string) => {
    const found = Object.entries(files).find(([name]) => path.endsWith(name));
    if (!found) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return found[1];
  };
  const code = await runInfer(args, { account: served.account, out: (line) => lines.push(line), read, cwd: '/work' });
  return { code, lines };
}

describe('evidence', () => {
  it('a channel inside a feature group offline store', async () => {
    const served = await serve(account());
    const set = await proposeLinks(served.account, { trainingJobs: [DIRECT_JOB] });
    expect(set.proposals).toEqual([
      {
        trainingJob: DIRECT_JOB,
        trialComponentArn: `${ACCOUNT_ARN}:experiment-trial-component/${DIRECT_JOB}-aws-training-job`,
        channel: 'train',
        datasetUri: `${CUSTOMERS_STORE}/year=2025/`,
        datasetArtifactArn: `${ACCOUNT_ARN}:artifact/d1ec7000000000000000000000000001`,
        featureGroup: { name: 'customers', arn: FG('customers') },
        evidence: [
          {
            kind: 'offline-store',
            detail: `channel "train" reads ${CUSTOMERS_STORE}/year=2025/, inside the offline store of feature group customers (${CUSTOMERS_STORE})`,
          },
        ],
      },
    ]);
  });

  it('a channel that reads where a known feature-store query wrote its results', async () => {
    const served = await serve(account());
    const queries = demoQueries();
    const set = await proposeLinks(served.account, {
      trainingJobs: [FRAUD_JOB],
      queries: [{ outputS3Uri: `${LAKE}/datasets/fraud-detector/train/`, sql: queries.fraudTrain }],
    });
    expect(set.proposals.map((p) => [p.channel, p.featureGroup.name, p.evidence.map((e) => e.kind)])).toEqual([
      ['train', 'claims', ['known-query']],
      ['train', 'customers', ['known-query']],
    ]);
    expect(set.proposals[0]?.evidence[0]?.detail).toBe(
      `channel "train" reads ${DATASETS.fraudTrain}, where the query "SELECT c.age, c.tenure_months, c.num_claims_12m, cl.claim_a…" ` +
        `wrote its results (${LAKE}/datasets/fraud-detector/train/); it reads sagemaker_featurestore.claims_1761958800, the offline-store table of feature group claims`,
    );
  });

  it('a query recorded on the dataset without the feature groups (ml-lineage-helper without feature_group_names)', async () => {
    const snapshot = account();
    const train = snapshot.Artifacts.find((a) => a.Source?.SourceUri === DATASETS.churnTrain);
    (train as Snapshot['Artifacts'][number]).Properties['Base64FeatureStoreQueryString'] = Buffer.from(demoQueries().churnTrain).toString('base64');
    const served = await serve(snapshot);
    const set = await proposeLinks(served.account, { trainingJobs: ['churn-predictor-training-20251103'] });
    expect(set.proposals.map((p) => [p.featureGroup.name, p.evidence.map((e) => e.kind)])).toEqual([['customers', ['recorded-query']]]);
  });

  it('no evidence, no proposal; a link the feature processor recorded is not proposed again', async () => {
    const served = await serve(account());
    const set = await proposeLinks(served.account, { trainingJobs: [FRAUD_JOB, 'claims-triage-training-20251110'] });
    expect(set.proposals).toEqual([]);
    // The triage dataset's recorded query reads claims-v2, whose feature-processor context already feeds it.
    expect(set.alreadyLinked).toEqual([{ trainingJob: 'claims-triage-training-20251110', channel: 'train', featureGroup: 'claims-v2' }]);
  });

  it('a model stands for the training job that produced it', async () => {
    const served = await serve(account());
    const set = await proposeLinks(served.account, { models: ['fraud-detector'], queries: [{ outputS3Uri: DATASETS.fraudTest, sql: demoQueries().fraudTest }] });
    expect(set.proposals.map((p) => [p.trainingJob, p.channel, p.featureGroup.name])).toEqual([
      [FRAUD_JOB, 'test', 'claims'],
      [FRAUD_JOB, 'test', 'customers'],
    ]);
  });

  it('older feature groups without a resolved location: the table name finds the folder', () => {
    const group = {
      arn: FG('customers'),
      name: 'customers',
      recordIdentifierFeatureName: 'customer_id',
      eventTimeFeatureName: 'event_time',
      features: [],
      offlineStore: { s3Uri: `${LAKE}/feature-store/`, tableName: 'customers_1761958800' },
    };
    const under = `${LAKE}/feature-store/111122223333/sagemaker/us-east-1/offline-store/customers-1761958800/data/x.parquet`;
    expect(channelReadsOfflineStore(under, group)).toBe(
      `inside ${LAKE}/feature-store/111122223333/sagemaker/us-east-1/offline-store/customers-1761958800, the offline store of feature group customers (table customers_1761958800)`,
    );
    expect(channelReadsOfflineStore(`${LAKE}/feature-store/111122223333/sagemaker/us-east-1/offline-store/claims-1761958800/data`, group)).toBeUndefined();
    expect(s3Within('s3://b/data', 's3://b/data-2/x')).toBe(false);
  });
});

describe('lineage-bot infer', () => {
  it('prints the proposals with their evidence and writes nothing without --apply', async () => {
    const served = await serve(account());
    const { code, lines } = await infer([DIRECT_JOB], served);
    expect(code).toBe(0);
    expect(lines).toEqual([
      `Proposed links for training job ${DIRECT_JOB} in sagemaker us-east-1 via ${served.url}:`,
      `1. feature group customers → channel "train" of training job ${DIRECT_JOB} (${CUSTOMERS_STORE}/year=2025/)`,
      `   - channel "train" reads ${CUSTOMERS_STORE}/year=2025/, inside the offline store of feature group customers (${CUSTOMERS_STORE})`,
      '1 link proposed; run again with --apply to record it.',
    ]);
    expect(served.writes).toEqual([]);
  });

  it('--apply records them in the helper convention; the bot then answers, and a second run finds them recorded', async () => {
    const served = await serve(account());
    const files = { 'queries.yml': `- output: ${LAKE}/datasets/fraud-detector/train/\n  queryFile: fraud-train.sql\n`, 'fraud-train.sql': demoQueries().fraudTrain };
    const applied = await infer([FRAUD_JOB, DIRECT_JOB, '--queries', 'queries.yml', '--apply'], served, files);
    expect(applied.code).toBe(0);
    expect(applied.lines.at(-1)).toBe(
      'Recorded: 2 artifacts created, 3 associations added (2 artifacts and 2 associations were already recorded).',
    );
    expect(served.writes.filter((w) => w.operation === 'CreateArtifact').map((w) => w.body['ArtifactName'])).toEqual(['fg-claims', 'fg-customers']);

    const service = new LineageService(testSource({ endpoint: served.url, maxAttempts: 1 }), DEMO_LIMITS);
    const fraud = await service.dependencies('fraud-detector');
    expect(fraud.featureGroups.map((d) => [d.featureGroup.name, d.datasets.map((ds) => ds.name)])).toEqual([
      ['claims', [DATASETS.fraudTrain]],
      ['customers', [DATASETS.fraudTrain]],
    ]);

    const again = await infer([FRAUD_JOB, DIRECT_JOB, '--queries', 'queries.yml'], served, files);
    expect(again.lines).toEqual([
      `No missing feature group links found for training job ${FRAUD_JOB}, training job ${DIRECT_JOB} in sagemaker us-east-1 via ${served.url}.`,
      `Already recorded: feature group claims → channel "train" of training job ${FRAUD_JOB}.`,
      `Already recorded: feature group customers → channel "train" of training job ${FRAUD_JOB}.`,
      `Already recorded: feature group customers → channel "train" of training job ${DIRECT_JOB}.`,
    ]);
  });

  it('--apply --dry-run says what it would record', async () => {
    const served = await serve(account());
    const { code, lines } = await infer([DIRECT_JOB, '--apply', '--dry-run'], served);
    expect(code).toBe(0);
    expect(lines.slice(-3)).toEqual([
      `  would link feature group customers → channel "train" of ${DIRECT_JOB} (ContributedTo)`,
      `  exists channel "train" of ${DIRECT_JOB} → training job ${DIRECT_JOB} (ContributedTo)`,
      'Dry run: would create 1 artifact and add 1 association (1 artifact and 1 association were already recorded); nothing was written.',
    ]);
    expect(served.writes).toEqual([]);
  });

  it.each([
    [['no-such-job'], 1, ['Inference failed: No training job found for "no-such-job"']],
    [[FRAUD_JOB, '--feature-group', 'customers,nope'], 1, ['Inference failed: No feature group found for "nope"']],
    [[FRAUD_JOB, '--queries', 'missing.yml'], 2, ['Cannot read /work/missing.yml: no such file.']],
    [[], 2, ['Name at least one training job, or a model with --model.', INFER_USAGE]],
    [[FRAUD_JOB, '--dry-run'], 2, ['--dry-run goes with --apply (without --apply nothing is written anyway).', INFER_USAGE]],
  ])('%j → exit %i', async (args, exit, expected) => {
    const served = await serve(account());
    const { code, lines } = await infer(args, served);
    expect(lines).toEqual(expected);
    expect(code).toBe(exit);
  });

  it('a queries file that is not a list of { output, query } names the problem', async () => {
    const served = await serve(account());
    const { code, lines } = await infer([FRAUD_JOB, '--queries', 'q.json'], served, { 'q.json': '[{"output": "bucket/x", "sql": "SELECT 1"}]' });
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/^\/work\/q\.json is not a valid file:\n {2}- 0: /);
  });
});

describe('on a small and a ten times larger account', () => {
  /** The account with `extra` feature groups no channel reads, each with an offline store of its own. */
  function withGroups(extra: number): Snapshot {
    const snapshot = account();
    for (let i = 0; i < extra; i++) {
      const name = `unrelated-${String(i).padStart(5, '0')}`;
      const table = `${name.replace(/-/g, '_')}_1761958800`;
      snapshot.FeatureGroups.push({
        FeatureGroupArn: FG(name),
        FeatureGroupName: name,
        RecordIdentifierFeatureName: 'id',
        EventTimeFeatureName: 'event_time',
        FeatureDefinitions: [
          { FeatureName: 'id', FeatureType: 'String' },
          { FeatureName: 'event_time', FeatureType: 'Fractional' },
        ],
        FeatureGroupStatus: 'Created',
        OfflineStoreConfig: {
          S3StorageConfig: { S3Uri: 's3://other-lake/feature-store', ResolvedOutputS3Uri: `s3://other-lake/feature-store/111122223333/sagemaker/us-east-1/offline-store/${table}/data` },
          DataCatalogConfig: { TableName: table, Catalog: 'AwsDataCatalog', Database: 'sagemaker_featurestore' },
        },
      });
    }
    return snapshot;
  }

  /** The proposals for both kinds of evidence, and the calls they took by operation. */
  async function run(extra: number) {
    const served = await serve(withGroups(extra));
    const queries = demoQueries();
    const set = await proposeLinks(served.account, {
      trainingJobs: [DIRECT_JOB, FRAUD_JOB],
      queries: [{ outputS3Uri: `${LAKE}/datasets/fraud-detector/train/`, sql: queries.fraudTrain }],
    });
    const calls = Object.fromEntries(fake!.calls);
    await fake!.close();
    return { proposals: set.proposals.map((p) => [p.trainingJob, p.channel, p.featureGroup.name]), calls };
  }

  it('proposes the same links for the same calls: the groups are found by their offline store, not listed', async () => {
    const small = await run(200);
    const large = await run(2_000);
    expect(large.proposals).toEqual(small.proposals);
    expect(small.proposals.map(([, , group]) => group)).toEqual(['customers', 'claims', 'customers']);
    expect(large.calls).toEqual(small.calls);
    expect(large.calls['ListFeatureGroups']).toBeUndefined();
    // Only the few groups the evidence can point at are described (it described every group before).
    expect(large.calls['DescribeFeatureGroup']).toBeLessThanOrEqual(4);
  });

  it('rides out throttled searches, and fails with the reason when SageMaker keeps answering 5xx', async () => {
    const snapshot = withGroups(50);
    fake = await nockFakeSageMaker(snapshot, {
      pageSize: 4,
      fault: (call) => (call.operation === 'Search' && call.attempt === 1 ? new FakeError('ThrottlingException', 'Rate exceeded') : undefined),
    });
    const throttled = await infer([DIRECT_JOB], { account: testAccount({ endpoint: fake.url, maxAttempts: 3 }), writes: fake.writes, url: fake.url });
    expect(throttled.code).toBe(0);
    expect(throttled.lines.join('\n')).toContain('feature group customers');
    await fake.close();

    fake = await nockFakeSageMaker(snapshot, { pageSize: 4, fault: (call) => (call.operation === 'Search' ? new FakeError('InternalFailure', 'boom', 500) : undefined) });
    const failed = await infer([DIRECT_JOB], { account: testAccount({ endpoint: fake.url, maxAttempts: 2 }), writes: fake.writes, url: fake.url });
    expect(failed.code).toBe(1);
    expect(failed.lines[0]).toMatch(/^Inference failed: /);
  });
});
