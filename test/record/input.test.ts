// What `record` is given: a JSON or YAML file (paths relative to it, flags winning over it) and
// the rules that turn a request into the helper convention's artifacts and links.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecord } from '../../src/cli/record.js';
import { desiredLineage, encodeQuery } from '../../src/record/desired.js';
import type { RecordFacts } from '../../src/record/facts.js';
import { ARN, churnSnapshot, JOB, PROCESSING_CODE_URL, PROCESSING_JOB, QUERY, RECORD_ARGS, TRAINING_CODE_URL, TRIAL_COMPONENT, URIS } from '../fixtures/record/churn-account.js';
import { nockFakeSageMaker } from '../support/fake-sagemaker.js';
import { testAccount } from '../support/sagemaker-nock.js';

/** A dry run against the churn account (served once per test by `nockFakeSageMaker`). */
async function dryRun(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await runRecord([...args, '--dry-run'], { account: testAccount(), out: (line) => lines.push(line), cwd });
  return { code, lines };
}

describe('request files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-record-'));
    mkdirSync(join(dir, 'pipeline'));
    writeFileSync(join(dir, 'pipeline', 'query.sql'), `${QUERY}\n`);
    writeFileSync(
      join(dir, 'pipeline', 'lineage.yml'),
      [
        `trainingJob: ${JOB}`,
        'model: churn-model',
        'featureGroups: [customers, web_sessions]',
        'queryFile: query.sql',
        `processingJob: ${PROCESSING_JOB}`,
        `trainingCode: { url: "${TRAINING_CODE_URL}" }`,
        `processingCode: { url: "${PROCESSING_CODE_URL}" }`,
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'pipeline', 'lineage.json'),
      JSON.stringify({
        trainingJob: JOB,
        model: 'churn-model',
        featureGroups: ['customers', 'web_sessions'],
        query: QUERY,
        processingJob: PROCESSING_JOB,
        trainingCode: { url: TRAINING_CODE_URL },
        processingCode: { url: PROCESSING_CODE_URL },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['pipeline/lineage.yml', 'pipeline/lineage.json'])('%s plans exactly what the flags plan', async (file) => {
    await nockFakeSageMaker(churnSnapshot());
    const fromFlags = await dryRun(RECORD_ARGS, dir);
    const fromFile = await dryRun(['--file', file], dir);
    expect(fromFlags.code).toBe(0);
    expect(fromFile).toEqual(fromFlags);
  });

  it('flags win over the file', async () => {
    await nockFakeSageMaker(churnSnapshot());
    const { code, lines } = await dryRun(['--file', 'pipeline/lineage.yml', '--model', 'churn-model-v9'], dir);
    expect(code).toBe(1);
    expect(lines).toEqual(['Recording failed: No SageMaker model found for "churn-model-v9"']);
  });

  it('a code path in a git checkout becomes a link at its commit', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'train.py'), '\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-b', 'main');
    git('add', '.');
    git('commit', '-m', 'train');
    git('remote', 'add', 'origin', 'git@github.com:example-org/churn.git');
    await nockFakeSageMaker(churnSnapshot());
    const { code, lines } = await dryRun(['--training-job', JOB, '--training-code-path', 'repo/train.py'], dir);
    expect(code).toBe(0);
    const commit = git('rev-parse', 'HEAD');
    expect(lines).toContain(
      `  would create Code "TrainingCode" ${URIS.trainingCode} — training code, GitURL=https://github.com/example-org/churn/blob/${commit}/train.py`,
    );
    expect(lines).toContain(`Note: Commit ${commit.slice(0, 12)} is on no remote branch known here; push it, or the link to repo/train.py will not resolve.`);
  });

  it.each([
    ['bad-key.json', '{"trainingJob": "x", "feature_groups": ["customers"]}', '{dir}/bad-key.json is not a valid file:\n  - (top level): Unrecognized key: "feature_groups"'],
    ['bad-type.yml', 'trainingJob: x\ntestChannel: true\n', '{dir}/bad-type.yml is not a valid file:\n  - testChannel: Invalid input'],
    ['bad.yml', 'trainingJob: [x\n', '{dir}/bad.yml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:\n\ntrainingJob: [x\n\n^'],
    ['bad.json', '{"trainingJob": ', '{dir}/bad.json is not valid JSON: Unexpected end of JSON input'],
  ])('%s is refused with the reason, as bad usage', async (name, text, message) => {
    writeFileSync(join(dir, name), text);
    const lines: string[] = [];
    const code = await runRecord(['--file', name], { account: testAccount(), out: (line) => lines.push(line), cwd: dir });
    expect(code).toBe(2);
    expect(lines[0]).toBe(message.replace('{dir}', dir));
  });
});

describe('the helper convention', () => {
  const facts = (overrides: Partial<RecordFacts> = {}): RecordFacts => ({
    trainingJob: { arn: `${ARN}:training-job/${JOB}`, name: JOB, status: 'Completed', channels: [], modelArtifactsS3Uri: URIS.model },
    trialComponentArn: TRIAL_COMPONENT,
    train: { channel: 'train', s3Uri: URIS.train },
    test: { channel: 'test', s3Uri: URIS.test },
    model: { s3Uri: URIS.model },
    featureGroups: [],
    processing: {
      job: { arn: `${ARN}:processing-job/${PROCESSING_JOB}`, name: PROCESSING_JOB, status: 'Completed', inputs: [], outputs: [] },
      inputs: [{ inputName: 'input-1', s3Uri: URIS.raw }],
    },
    notes: [],
    ...overrides,
  });
  const edges = (lineage: ReturnType<typeof desiredLineage>) =>
    lineage.associations.map((a) => {
      const name = (end: (typeof a)['source']) => ('artifact' in end ? end.artifact : 'TC');
      return `${name(a.source)} -${a.type}-> ${name(a.destination)}`;
    });

  it('without feature groups, the processing job produced the datasets (as the helper records it)', () => {
    expect(edges(desiredLineage(facts(), { trainingJob: JOB }))).toEqual([
      `${URIS.raw} -ContributedTo-> ${ARN}:processing-job/${PROCESSING_JOB}`,
      `${ARN}:processing-job/${PROCESSING_JOB} -Produced-> ${URIS.train}`,
      `${ARN}:processing-job/${PROCESSING_JOB} -Produced-> ${URIS.test}`,
      `${URIS.train} -ContributedTo-> TC`,
      `${URIS.test} -ContributedTo-> TC`,
      `TC -Produced-> ${URIS.model}`,
    ]);
  });

  it('train and test channels reading one location are one artifact, and may not carry two queries', () => {
    const same = facts({ test: { channel: 'test', s3Uri: URIS.train } });
    const lineage = desiredLineage(same, { trainingJob: JOB, query: QUERY });
    expect(lineage.artifacts.find((a) => a.sourceUri === URIS.train)?.role).toBe('training data (channel train) and test data (channel test)');
    expect(() => desiredLineage(same, { trainingJob: JOB, query: QUERY, testQuery: `${QUERY} WHERE 1 = 1` })).toThrow(
      `The training data (channel train) and the test data (channel test) are the same S3 location (${URIS.train}), one artifact, but would get different Base64FeatureStoreQueryString values.`,
    );
  });

  it('a query is recorded whole, and one too long for a property is refused', () => {
    const long = `SELECT ${'a'.repeat(3100)} FROM t`;
    expect(() => encodeQuery(long, 'training')).toThrow('The training query is too long to record: base64 makes it 4152 characters and an artifact property holds 4096.');
    expect(Buffer.from(encodeQuery(`${'x'.repeat(400)}`, 'training'), 'base64').toString()).toHaveLength(400);
  });
});
