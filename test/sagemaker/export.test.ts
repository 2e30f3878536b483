// `lineage-bot export` against the fake SageMaker: the file it writes must load as a snapshot and
// answer like the account it was exported from.
import { beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_USAGE, runExport } from '../../src/cli/export.js';
import type { Association, Direction, LineageQueryResult } from '../../src/lineage/lineage-source.js';
import { parseSnapshot, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { ACCOUNT_ARN, ARNS, CHAIN_LENGTH, chainArn, smallSnapshot } from '../fixtures/sagemaker/small-snapshot.js';
import { createFakeSageMaker, serveThroughNock } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';


const snapshot = smallSnapshot();
const reference = new SnapshotSource(snapshot, 'reference');
const fake = createFakeSageMaker(snapshot, { pageSize: 4, repeatVertices: true });
beforeEach(() => serveThroughNock(fake, { optional: true }));

/** Runs the export with an in-memory file system; returns the exit code, output lines and written files. */
async function exportWith(args: string[]) {
  const files = new Map<string, string>();
  const lines: string[] = [];
  const code = await runExport(args, {
    source: testSource({ maxAttempts: 1 }),
    write: async (path, text) => void files.set(path, text),
    out: (line) => lines.push(line),
  });
  const written = files.get('snapshot.json');
  return { code, lines, files, snapshot: written === undefined ? undefined : parseSnapshot(JSON.parse(written), 'snapshot.json') };
}

function normalised(result: LineageQueryResult) {
  const key = (e: Association) => `${e.sourceArn} ${e.destinationArn} ${e.type}`;
  return {
    ...result,
    vertices: [...result.vertices].sort((a, b) => a.arn.localeCompare(b.arn)),
    edges: [...result.edges].sort((a, b) => key(a).localeCompare(key(b))),
  };
}

const ALL_LINEAGE = [
  ARNS.raw, ARNS.feJob, ARNS.fgArtifact, ARNS.fgPipeline, ARNS.trainingSet, ARNS.trainJob, ARNS.model, ARNS.deployment, ARNS.endpoint,
  ARNS.cycleA, ARNS.cycleB, ARNS.cycleC, ...Array.from({ length: CHAIN_LENGTH + 1 }, (_, i) => chainArn(i)),
];

/** The exported file answers every lineage and resource question like the account did. */
async function expectSameAnswers(exported: Snapshot): Promise<void> {
  const loaded = new SnapshotSource(exported, 'exported');
  const directions: Direction[] = ['Ascendants', 'Descendants', 'Both'];
  for (const startArn of [ARNS.raw, ARNS.fgArtifact, ARNS.endpoint, ARNS.cycleC, chainArn(3)]) {
    for (const direction of directions) {
      for (const maxDepth of [1, 4, 12, 40]) {
        const query = { startArn, direction, maxDepth };
        expect(normalised(await loaded.queryLineage(query)), JSON.stringify(query)).toEqual(normalised(await reference.queryLineage(query)));
      }
    }
  }
  for (const arn of ALL_LINEAGE) expect(await loaded.describeEntity(arn), arn).toEqual(await reference.describeEntity(arn));
  expect(await loaded.describeFeatureGroup('customers')).toEqual(await reference.describeFeatureGroup('customers'));
  expect(await loaded.describeModel('fraud-model')).toEqual(await reference.describeModel('fraud-model'));
  expect(await loaded.describeEndpoint('fraud-endpoint')).toEqual(await reference.describeEndpoint('fraud-endpoint'));
  expect(await loaded.describeEndpointConfig('fraud-config')).toEqual(await reference.describeEndpointConfig('fraud-config'));
  expect(await loaded.describeTrainingJob('train-job')).toEqual(await reference.describeTrainingJob('train-job'));
  expect(await loaded.describeProcessingJob('fe-job')).toEqual(await reference.describeProcessingJob('fe-job'));
  for (const arn of [ARNS.sagemakerModel, ARNS.sagemakerEndpoint, ARNS.featureGroup]) {
    expect(await loaded.listTags(arn), arn).toEqual(await reference.listTags(arn));
  }
}

describe('lineage-bot export', () => {
  it('from a feature group name: its whole connected lineage and the resources it stands for', async () => {
    fake.resetCalls();
    const { code, lines, snapshot: exported } = await exportWith(['--out', 'snapshot.json', 'customers']);
    expect(code).toBe(0);
    expect(lines).toEqual([
      'Wrote snapshot.json: 33 artifacts, 2 contexts, 1 action, 2 trial components, 38 associations, 1 feature group, 1 model, 1 endpoint.',
    ]);
    await expectSameAnswers(exported as Snapshot);
    expect(exported?.FeatureGroups.map((f) => f.FeatureGroupName)).toEqual(['customers']); // customer-churn has no lineage here
    // Each resource is described once, though resolving the start already needed the feature group.
    expect(fake.calls.get('DescribeFeatureGroup')).toBe(2); // one describe: 5 definitions in pages of 4
    expect(fake.calls.get('DescribeModel')).toBe(2); // "customers" (not a model) and fraud-model
  });

  it.each([
    ['an S3 URI', 's3://raw-bucket/customers.csv'],
    ['a model name', 'fraud-model'],
    ['an endpoint ARN', `${ACCOUNT_ARN}:endpoint/fraud-endpoint`],
    ['a lineage ARN', chainArn(0)],
  ])('from %s', async (_what, start) => {
    const { code, snapshot: exported } = await exportWith(['--out', 'snapshot.json', start]);
    expect(code).toBe(0);
    await expectSameAnswers(exported as Snapshot);
  });

  it('--all: every entity, association and feature group', async () => {
    const { code, snapshot: exported } = await exportWith(['--all', '--out', 'snapshot.json']);
    expect(code).toBe(0);
    await expectSameAnswers(exported as Snapshot);
    expect(exported?.Associations).toHaveLength(snapshot.Associations.length);
    expect(exported?.FeatureGroups.map((f) => f.FeatureGroupName).sort()).toEqual(['customer-churn', 'customers']);
    const loaded = new SnapshotSource(exported as Snapshot, 'exported');
    expect(await loaded.searchResources('c', ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'], 50)).toEqual(
      await reference.searchResources('c', ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'], 50),
    );
  });

  it('writes timestamps as epoch seconds, like the wire', async () => {
    const { files } = await exportWith(['--out', 'snapshot.json', chainArn(CHAIN_LENGTH)]);
    const document = JSON.parse(files.get('snapshot.json') as string) as { FormatVersion: number; Artifacts: { CreationTime: unknown }[] };
    expect(document.FormatVersion).toBe(1);
    expect(document.Artifacts.every((a) => typeof a.CreationTime === 'number')).toBe(true);
  });

  it('says when --depth cut the lineage short', async () => {
    const { code, lines, snapshot: exported } = await exportWith(['--out', 'snapshot.json', '--depth', '2', chainArn(0)]);
    expect(code).toBe(0);
    expect(lines[0]).toBe(`Lineage of ${chainArn(0)} goes on beyond 2 hops; raise --depth to export all of it.`);
    expect(exported?.Artifacts.map((a) => a.ArtifactArn)).toEqual([chainArn(0), chainArn(1), chainArn(2)]);
  });

  it('a START that names nothing fails without writing a file', async () => {
    const { code, lines, files } = await exportWith(['--out', 'snapshot.json', 'customers', 'no-such-thing']);
    expect(code).toBe(1);
    expect(lines).toEqual(['Nothing found for "no-such-thing": no lineage entity, feature group, model or endpoint.']);
    expect(files.size).toBe(0);
  });

  it('a malformed START fails with the reason', async () => {
    const { code, lines } = await exportWith(['--out', 'snapshot.json', 'arn:aws:s3:::bucket']);
    expect(code).toBe(1);
    expect(lines).toEqual(['Export failed: "arn:aws:s3:::bucket" is not a SageMaker ARN.']);
  });

  it.each([[['--help']], [['-h']], [['--out', 'x.json', '--help']]])('%j prints the usage and exits 0, like record and infer', async (args) => {
    const { code, lines, files } = await exportWith(args);
    expect(code).toBe(0);
    expect(lines).toEqual([EXPORT_USAGE]);
    expect(files.size).toBe(0);
  });

  it.each([
    [['customers'], 'Missing --out <file.json>.'],
    [['--out', 'x.json'], 'Give at least one START, or --all.'],
    [['--out', 'x.json', '--all', 'customers'], 'Give START values or --all, not both.'],
    [['--out', 'x.json', '--depth', 'deep', 'customers'], '--depth must be a whole number from 1 to 1000.'],
  ])('usage error %j → exit 2 with the usage', async (args, message) => {
    const { code, lines } = await exportWith(args);
    expect(code).toBe(2);
    expect(lines).toEqual([message, EXPORT_USAGE]);
  });
});
