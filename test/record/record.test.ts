// `lineage-bot record` against the real SageMakerClient, the fake SageMaker answering through nock: what
// it writes on a first run, that a second run writes nothing, how it completes a partial
// recording, and how it fails (missing job, refused, throttled, conflicting values).
import { describe, expect, it } from 'vitest';
import { RECORD_USAGE, runRecord } from '../../src/cli/record.js';
import {
  ARN,
  AUTO,
  BUCKET,
  churnSnapshot,
  JOB,
  PROCESSING_CODE_URL,
  PROCESSING_JOB,
  QUERY,
  QUERY_BASE64,
  RECORD_ARGS,
  TRAINING_CODE_URL,
  TRIAL_COMPONENT,
  URIS,
} from '../fixtures/record/churn-account.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { FakeError, nockFakeSageMaker, type SageMakerFake } from '../support/fake-sagemaker.js';
import { testAccount } from '../support/sagemaker-nock.js';

const FG = { customers: `${ARN}:feature-group/customers`, sessions: `${ARN}:feature-group/web_sessions` };
const created = (n: number) => `${ARN}:artifact/${String(n).padStart(32, '0')}`;

/** Runs `record` against the account; `writes` are the writes of this run only. */
async function record(args: string[], account: SageMakerFake) {
  const lines: string[] = [];
  const before = account.writes.length;
  const code = await runRecord(args, { account: testAccount(), out: (line) => lines.push(line) });
  return { code, lines, writes: account.writes.slice(before) };
}

/** The churn account after the first recording of its pipeline. */
async function recordedOnce(): Promise<SageMakerFake> {
  const account = await nockFakeSageMaker(churnSnapshot());
  expect((await record(RECORD_ARGS, account)).code).toBe(0);
  return account;
}

describe('first run', () => {
  it('creates the missing artifacts in the helper convention, completes the existing ones, and links them', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(0);
    const create = (name: string, type: string, uri: string, properties?: Record<string, string>) => ({
      operation: 'CreateArtifact',
      body: { ArtifactName: name, ArtifactType: type, Source: { SourceUri: uri }, ...(properties ? { Properties: properties } : {}) },
    });
    const update = (arn: string, properties: Record<string, string>) => ({ operation: 'UpdateArtifact', body: { ArtifactArn: arn, Properties: properties } });
    const link = (source: string, destination: string, type = 'ContributedTo') => ({
      operation: 'AddAssociation',
      body: { SourceArn: source, DestinationArn: destination, AssociationType: type },
    });
    expect(writes).toEqual([
      create('ProcessingInputData', 'DataSet', URIS.raw), // not the SDK's "entrypoint" input
      create('ProcessingCode', 'Code', URIS.processingCode, { GitURL: PROCESSING_CODE_URL }),
      create('ProcessingJob', 'ProcessingJob', `${ARN}:processing-job/${PROCESSING_JOB}`),
      create('fg-customers', 'FeatureGroup', FG.customers),
      create('fg-web-sessions', 'FeatureGroup', FG.sessions), // ArtifactName allows no underscore
      // The datasets are chosen by channel name: "train" and "test", not the first two channels.
      update(AUTO.train, { Base64FeatureStoreQueryString: QUERY_BASE64 }),
      update(AUTO.test, { Base64FeatureStoreQueryString: QUERY_BASE64 }),
      create('TrainingCode', 'Code', URIS.trainingCode, { GitURL: TRAINING_CODE_URL }),
      update(AUTO.model, { SageMakerModelName: 'churn-model' }),
      link(created(1), created(3)),
      link(created(2), created(3)),
      link(created(3), created(4)),
      link(created(3), created(5)),
      link(created(4), AUTO.train),
      link(created(4), AUTO.test),
      link(created(5), AUTO.train),
      link(created(5), AUTO.test),
      link(created(6), TRIAL_COMPONENT),
    ]);
    expect(lines[0]).toBe(`Lineage of training job ${JOB} in sagemaker us-east-1 via https://api.sagemaker.us-east-1.amazonaws.com:`);
    expect(lines).toContain(`  update DataSet ${AUTO.train} — training data (channel train); add Base64FeatureStoreQueryString (query "SELECT c.age, c.tenure, s.sessions_30d, c.churned FROM "sag…")`);
    expect(lines).toContain(`  link feature group web_sessions → test data (channel test) (ContributedTo)`);
    expect(lines).toContain(`  exists training job ${JOB} → model churn-model (Produced)`);
    expect(lines.at(-1)).toBe(
      'Recorded: 6 artifacts created, 3 artifacts given properties, 9 associations added (3 artifacts and 3 associations were already recorded).',
    );
  });

  it('--dry-run prints the same plan and writes nothing', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    const { code, lines, writes } = await record([...RECORD_ARGS, '--dry-run'], account);
    expect(code).toBe(0);
    expect(writes).toEqual([]);
    expect(lines[0]).toMatch(/\(dry run\):$/);
    expect(lines).toContain(`  would create FeatureGroup "fg-customers" ${FG.customers} — feature group customers`);
    expect(lines.at(-1)).toBe(
      'Dry run: would create 6 artifacts, add properties to 3 artifacts and add 9 associations (3 artifacts and 3 associations were already recorded); nothing was written.',
    );
  });
});

describe('second run', () => {
  it('finds everything recorded, writes nothing and says so', async () => {
    const account = await recordedOnce();
    const requests = account.requests.length;
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(0);
    expect(writes).toEqual([]);
    expect(account.requests.slice(requests).map((r) => r.operation)).not.toContain('AddAssociation');
    expect(lines.at(-1)).toBe('Nothing to record: the lineage is complete (9 artifacts and 12 associations were already recorded).');
  });
});

describe('partially recorded lineage', () => {
  /** The churn account where ml-lineage-helper (or a person) recorded part of it already. */
  function partial(): Snapshot {
    const state = churnSnapshot();
    const helperCut = QUERY_BASE64.slice(0, 256); // the helper cut the query at 256 characters
    (state.Artifacts[1] as { Properties: Record<string, string> }).Properties = { Base64FeatureStoreQueryString: helperCut, Owner: 'data-team' };
    state.Artifacts.push(
      // A feature group artifact under another name and type: reused as it is.
      { ArtifactArn: `${ARN}:artifact/b1`, ArtifactName: 'customers-features', ArtifactType: 'DataSet', Source: { SourceUri: FG.customers }, Properties: {} },
      { ArtifactArn: `${ARN}:artifact/b2`, ArtifactName: 'ProcessingJob', ArtifactType: 'ProcessingJob', Source: { SourceUri: `${ARN}:processing-job/${PROCESSING_JOB}` }, Properties: {} },
    );
    state.Associations.push(
      { SourceArn: `${ARN}:artifact/b2`, DestinationArn: `${ARN}:artifact/b1`, AssociationType: 'ContributedTo' },
      // Recorded with another type: it is there, and left as it is.
      { SourceArn: `${ARN}:artifact/b1`, DestinationArn: AUTO.train, AssociationType: 'AssociatedWith' },
    );
    return state;
  }

  it('reuses what exists without renaming or retyping it, and adds only what is missing', async () => {
    const account = await nockFakeSageMaker(partial());
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(0);
    expect(writes.filter((w) => w.operation === 'CreateArtifact').map((w) => w.body['ArtifactName'])).toEqual([
      'ProcessingInputData',
      'ProcessingCode',
      'fg-web-sessions',
      'TrainingCode',
    ]);
    // No write names an existing artifact, and the train dataset keeps its other property.
    expect(writes.some((w) => w.operation === 'UpdateArtifact' && 'ArtifactName' in w.body)).toBe(false);
    expect(writes).toContainEqual({
      operation: 'UpdateArtifact',
      body: { ArtifactArn: AUTO.train, Properties: { Base64FeatureStoreQueryString: QUERY_BASE64, Owner: 'data-team' } },
    });
    const links = writes.filter((w) => w.operation === 'AddAssociation').map((w) => `${w.body['SourceArn']} → ${w.body['DestinationArn']}`);
    expect(links).not.toContain(`${ARN}:artifact/b2 → ${ARN}:artifact/b1`);
    expect(links).not.toContain(`${ARN}:artifact/b1 → ${AUTO.train}`);
    expect(links).toContain(`${ARN}:artifact/b1 → ${AUTO.test}`);
    expect(account.snapshot.Artifacts.find((a) => a.ArtifactArn === `${ARN}:artifact/b1`)).toMatchObject({ ArtifactName: 'customers-features', ArtifactType: 'DataSet' });
    expect(lines).toContain(`  exists feature group customers → training data (channel train) (ContributedTo, recorded as AssociatedWith)`);
    expect(lines).toContain(`Note: The feature group customers is an existing DataSet artifact (${ARN}:artifact/b1); it keeps its type.`);
    expect(lines).toContain('Note: The training data (channel train) holds the query cut at 256 characters by ml-lineage-helper; it gets the whole query.');
  });

  it('refuses to change a value recorded differently, naming it, and writes nothing', async () => {
    const state = churnSnapshot();
    (state.Artifacts[3] as { Properties: Record<string, string> }).Properties = { SageMakerModelName: 'churn-model-v1' };
    const account = await nockFakeSageMaker(state);
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(1);
    expect(writes).toEqual([]);
    expect(lines).toEqual([
      'Recording failed: Existing artifacts hold different values than this recording would write, so nothing was written:\n' +
        `  - model churn-model (${AUTO.model}): SageMakerModelName is "churn-model-v1", this recording has "churn-model"`,
      'Check that the request names the right job, model and query; pass --overwrite-properties (overwriteProperties: true) to replace the values.',
    ]);
  });

  it('--overwrite-properties replaces it', async () => {
    const state = churnSnapshot();
    (state.Artifacts[3] as { Properties: Record<string, string> }).Properties = { SageMakerModelName: 'churn-model-v1' };
    const account = await nockFakeSageMaker(state);
    const { code, writes } = await record([...RECORD_ARGS, '--overwrite-properties'], account);
    expect(code).toBe(0);
    expect(writes).toContainEqual({ operation: 'UpdateArtifact', body: { ArtifactArn: AUTO.model, Properties: { SageMakerModelName: 'churn-model' } } });
  });
});

describe('failures', () => {
  it('a missing training job', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    const { code, lines, writes } = await record(['--training-job', 'churn-train-9999', '--feature-group', 'customers'], account);
    expect(code).toBe(1);
    expect(lines).toEqual(['Recording failed: No training job found for "churn-train-9999"']);
    expect(writes).toEqual([]);
  });

  it('a training job without the named channel', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    const { code, lines } = await record(['--training-job', JOB, '--train-channel', 'training'], account);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `Recording failed: Training job ${JOB} has no channel "training"; its channels are "validation", "train", "test".`,
      'Name the channels with --train-channel and --test-channel (--train-channel is the one that did not match), or use --no-test-channel for a job without test data.',
    ]);
  });

  it('a missing feature group or model is named', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    expect((await record(['--training-job', JOB, '--feature-group', 'customers,clicks'], account)).lines).toEqual([
      'Recording failed: No feature group found for "clicks"',
    ]);
    expect((await record(['--training-job', JOB, '--model', 'churn-model-v9'], account)).lines).toEqual([
      'Recording failed: No SageMaker model found for "churn-model-v9"',
    ]);
  });

  it('access denied on the first write: nothing was written', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('CreateArtifact', 1, new FakeError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/ci is not authorized to perform: sagemaker:CreateArtifact'));
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(1);
    expect(writes).toEqual([]);
    expect(lines).toEqual([
      'Recording failed: The AWS identity is not allowed to call sagemaker:CreateArtifact. Nothing was written; running the same recording again continues from there.',
    ]);
  });

  it('access denied part-way: says what was written, and a second run completes it', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('AddAssociation', 1, new FakeError('AccessDeniedException', 'not authorized to perform: sagemaker:AddAssociation'));
    const first = await record(RECORD_ARGS, account);
    expect(first.code).toBe(1);
    expect(first.lines).toEqual([
      'Recording failed: The AWS identity is not allowed to call sagemaker:AddAssociation. 6 artifacts created, 3 artifacts given properties had been written; running the same recording again continues from there.',
    ]);
    const second = await record(RECORD_ARGS, account);
    expect(second.code).toBe(0);
    expect(second.writes.map((w) => w.operation)).toEqual(Array(9).fill('AddAssociation'));
  });

  it('access denied on a read fails before anything is written', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('ListArtifacts', 100, new FakeError('AccessDeniedException', 'not authorized to perform: sagemaker:ListArtifacts'));
    const { code, lines, writes } = await record(RECORD_ARGS, account);
    expect(code).toBe(1);
    expect(writes).toEqual([]);
    expect(lines).toEqual(['Recording failed: The AWS identity is not allowed to call sagemaker:ListArtifacts']);
  });

  it('throttling is retried by the SDK', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('CreateArtifact', 2, new FakeError('ThrottlingException', 'Rate exceeded'));
    const { code, lines } = await record(RECORD_ARGS, account);
    expect(code).toBe(0);
    expect(account.requests.filter((r) => r.operation === 'CreateArtifact')).toHaveLength(6 + 2);
    expect(lines.at(-1)).toMatch(/^Recorded: 6 artifacts created/);
  });

  it('throttling past the retries fails with what was written', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('UpdateArtifact', 3, new FakeError('ThrottlingException', 'Rate exceeded'));
    const { code, lines } = await record(RECORD_ARGS, account);
    expect(code).toBe(1);
    expect(lines).toEqual([
      'Recording failed: SageMaker throttled UpdateArtifact after 3 attempts. 5 artifacts created had been written; running the same recording again continues from there.',
    ]);
  });

  it('an association added by someone else meanwhile is recognised by listing it', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    // Another writer wins the race for the first link; SageMaker then rejects ours.
    account.failNext('AddAssociation', 1, new FakeError('ValidationException', 'Association already exists.'), (body) =>
      account.snapshot.Associations.push({ SourceArn: String(body['SourceArn']), DestinationArn: String(body['DestinationArn']), AssociationType: 'ContributedTo' }),
    );
    const { code, lines } = await record(RECORD_ARGS, account);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe(
      'Recorded: 6 artifacts created, 3 artifacts given properties, 8 associations added (3 artifacts and 3 associations were already recorded; 1 association was added by someone else meanwhile).',
    );
  });

  it('any other AddAssociation error fails, even one that looks like a duplicate', async () => {
    const account = await nockFakeSageMaker(churnSnapshot());
    account.failNext('AddAssociation', 1, new FakeError('ValidationException', 'Association already exists or the limit of 100 associations is reached.'));
    const { code, lines } = await record(RECORD_ARGS, account);
    expect(code).toBe(1);
    expect(lines[0]).toBe(
      'Recording failed: SageMaker rejected AddAssociation: ValidationException: Association already exists or the limit of 100 associations is reached. 6 artifacts created, 3 artifacts given properties had been written; running the same recording again continues from there.',
    );
  });
});

describe('usage', () => {
  it.each([
    [[], 'Missing --training-job NAME (or trainingJob in the file).'],
    [['--training-job', JOB, '--query', QUERY, '--query-file', 'q.sql'], 'Give --query or --query-file, not both.'],
    [['--training-job', JOB, '--test-channel', 'test', '--no-test-channel'], 'Give --test-channel or --no-test-channel, not both.'],
    [['--training-job', JOB, '--processing-code-url', PROCESSING_CODE_URL], 'A processing code URL needs the processing job.'],
    [['--training-job', JOB, '--training-code-url', 'https://token:x@github.com/org/repo/blob/main/train.py'], 'The training code URL holds credentials; give the link without them.'],
    [['--training-job', JOB, '--bucket', BUCKET], "Unknown option '--bucket'"],
  ])('%j → exit 2 with the usage', async (args, message) => {
    const lines: string[] = [];
    const code = await runRecord(args, { account: testAccount(), out: (line) => lines.push(line) });
    expect(code).toBe(2);
    expect(lines).toEqual([message, RECORD_USAGE]);
  });
});
