// The snapshot file: validation in SageMaker's shapes, errors that name the file and the field,
// reading from disk, timestamps, and the embedded demo as the reference example of the format.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { InvalidSnapshot } from '../../src/lineage/errors.js';
import { parseSnapshot, readSnapshotFile } from '../../src/lineage/sources/snapshot-file.js';
import { arn, GraphBuilder, tableOf } from '../support/graph-builder.js';

/** The problems parseSnapshot reports for a document; fails the test when it accepts it. */
function problemsOf(document: unknown): readonly string[] {
  try {
    parseSnapshot(document, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSnapshot);
    return (error as InvalidSnapshot).problems;
  }
  throw new Error('parseSnapshot accepted an invalid document');
}

const A = arn.artifact('a');
const B = arn.artifact('b');

function featureGroup(definitions: { FeatureName: string; FeatureType: string }[]): Record<string, unknown> {
  return {
    FeatureGroupArn: arn.featureGroup('customers'),
    FeatureGroupName: 'customers',
    RecordIdentifierFeatureName: 'customer_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: definitions,
  };
}

describe('parseSnapshot errors name the path and the field', () => {
  it('an ARN that is not a SageMaker ARN: Artifacts[1].ArtifactArn', () => {
    expect(problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A }, { ArtifactArn: 'not-an-arn' }] })).toEqual([
      'Artifacts[1].ArtifactArn: expected a SageMaker ARN',
    ]);
  });

  it('an unknown feature type: FeatureGroups[0].FeatureDefinitions[2].FeatureType', () => {
    const problems = problemsOf({
      FormatVersion: 1,
      FeatureGroups: [
        featureGroup([
          { FeatureName: 'customer_id', FeatureType: 'String' },
          { FeatureName: 'event_time', FeatureType: 'Fractional' },
          { FeatureName: 'age', FeatureType: 'Integer' },
        ]),
      ],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^FeatureGroups\[0\]\.FeatureDefinitions\[2\]\.FeatureType: /);
    expect(problems[0]).toContain('"Integral"|"Fractional"|"String"');
  });

  it('a wrong FormatVersion', () => {
    const problems = problemsOf({ FormatVersion: 2 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^FormatVersion: .*expected 1/);
  });

  it('a missing FormatVersion', () => {
    expect(problemsOf({ Artifacts: [] })[0]).toMatch(/^FormatVersion: /);
  });

  it('a document that is not an object is a problem at the top level', () => {
    expect(problemsOf([])[0]).toMatch(/^\(top level\): .*expected object/);
    expect(problemsOf(null)[0]).toMatch(/^\(top level\): .*expected object/);
  });

  it('an association to an ARN the file does not hold: Associations[0].DestinationArn', () => {
    expect(
      problemsOf({
        FormatVersion: 1,
        Artifacts: [{ ArtifactArn: A }],
        Associations: [{ SourceArn: A, DestinationArn: B, AssociationType: 'ContributedTo' }],
      }),
    ).toEqual([`Associations[0].DestinationArn: no artifact, context, action or trial component has ARN ${B}`]);
  });

  it('an association from an ARN the file does not hold: Associations[1].SourceArn', () => {
    expect(
      problemsOf({
        FormatVersion: 1,
        Artifacts: [{ ArtifactArn: A }, { ArtifactArn: B }],
        Associations: [
          { SourceArn: A, DestinationArn: B, AssociationType: 'ContributedTo' },
          { SourceArn: arn.featureGroup('customers'), DestinationArn: B, AssociationType: 'ContributedTo' },
        ],
      }),
    ).toEqual([`Associations[1].SourceArn: no artifact, context, action or trial component has ARN ${arn.featureGroup('customers')}`]);
  });

  it('an association type SageMaker does not have: Associations[0].AssociationType', () => {
    const problems = problemsOf({
      FormatVersion: 1,
      Artifacts: [{ ArtifactArn: A }, { ArtifactArn: B }],
      Associations: [{ SourceArn: A, DestinationArn: B, AssociationType: 'Feeds' }],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Associations\[0\]\.AssociationType: /);
  });

  it('a duplicate ARN names the second occurrence', () => {
    expect(problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A }, { ArtifactArn: B }, { ArtifactArn: A }] })).toEqual([
      `Artifacts[2]: duplicate ARN ${A}`,
    ]);
  });

  it('a duplicate ARN across collections', () => {
    const shared = arn.context('shared');
    expect(problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: shared }], Contexts: [{ ContextArn: shared }] })).toEqual([
      `Contexts[0]: duplicate ARN ${shared}`,
    ]);
  });

  it('a property that is not a string: Artifacts[0].Properties.<key>', () => {
    const problems = problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A, Properties: { GitURL: 42 } }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Artifacts\[0\]\.Properties\.GitURL: .*expected string/);
  });

  it('a Source without its SourceUri: Artifacts[0].Source.SourceUri', () => {
    expect(problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A, Source: {} }] })[0]).toMatch(/^Artifacts\[0\]\.Source\.SourceUri: /);
  });

  it('a required field of a resource: Endpoints[0].EndpointStatus', () => {
    expect(problemsOf({ FormatVersion: 1, Endpoints: [{ EndpointName: 'churn-prod', EndpointArn: arn.endpoint('churn-prod') }] })[0]).toMatch(
      /^Endpoints\[0\]\.EndpointStatus: /,
    );
  });

  it('every problem at once, in document order', () => {
    const problems = problemsOf({
      FormatVersion: 1,
      Artifacts: [{ ArtifactArn: 'x' }],
      Contexts: [{ ContextArn: 'y' }],
      Models: [{ ModelName: '', ModelArn: arn.model('m') }],
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['Artifacts[0].ArtifactArn', 'Contexts[0].ContextArn', 'Models[0].ModelName']);
  });

  it('the error carries a stable code, the origin and every problem in its message', () => {
    let caught: unknown;
    try {
      parseSnapshot({ FormatVersion: 1, Artifacts: [{ ArtifactArn: 'x' }] }, 'exports/prod.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSnapshot);
    const invalid = caught as InvalidSnapshot;
    expect(invalid.code).toBe('InvalidSnapshot');
    expect(invalid.path).toBe('exports/prod.json');
    expect(invalid.message).toBe('Invalid lineage snapshot exports/prod.json:\n  - Artifacts[0].ArtifactArn: expected a SageMaker ARN');
  });

  it('fields SageMaker returns that the bot does not read are kept, not rejected', () => {
    const snapshot = parseSnapshot(
      { FormatVersion: 1, Artifacts: [{ ArtifactArn: A, LastModifiedBy: { UserProfileName: 'ana' } }], ExportedBy: 'lineage-bot export' },
      'test.json',
    );
    expect(snapshot.Artifacts).toEqual([{ ArtifactArn: A, LastModifiedBy: { UserProfileName: 'ana' }, Properties: {} }]);
  });
});

describe('timestamps', () => {
  const at = (CreationTime: unknown) => parseSnapshot({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A, CreationTime }] }, 't').Artifacts[0]?.CreationTime;

  it('reads epoch seconds (the wire format)', () => {
    expect(at(1_700_000_000)).toEqual(new Date('2023-11-14T22:13:20.000Z'));
    expect(at(1_700_000_000.25)).toEqual(new Date('2023-11-14T22:13:20.250Z'));
  });

  it('reads ISO text in UTC and with an offset', () => {
    expect(at('2023-11-14T22:13:20Z')).toEqual(new Date('2023-11-14T22:13:20.000Z'));
    expect(at('2023-11-14T23:13:20+01:00')).toEqual(new Date('2023-11-14T22:13:20.000Z'));
    expect(at('2023-11-14T22:13:20.123Z')).toEqual(new Date('2023-11-14T22:13:20.123Z'));
  });

  it('rejects text that is not a timestamp, naming the field', () => {
    expect(problemsOf({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A, CreationTime: 'yesterday' }] })).toEqual([
      'Artifacts[0].CreationTime: Invalid input',
    ]);
  });

  it('applies to resources too (Endpoints[0].LastModifiedTime)', () => {
    const snapshot = parseSnapshot(
      {
        FormatVersion: 1,
        Endpoints: [
          { EndpointName: 'e', EndpointArn: arn.endpoint('e'), EndpointStatus: 'InService', CreationTime: 1_700_000_000, LastModifiedTime: '2023-11-15T00:00:00Z' },
        ],
      },
      't',
    );
    expect(snapshot.Endpoints[0]?.CreationTime).toEqual(new Date('2023-11-14T22:13:20.000Z'));
    expect(snapshot.Endpoints[0]?.LastModifiedTime).toEqual(new Date('2023-11-15T00:00:00.000Z'));
  });
});

describe('readSnapshotFile', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lineage-snapshot-test-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file is an InvalidSnapshot naming the path: "file not found"', async () => {
    const path = join(dir, 'missing.json');
    await expect(readSnapshotFile(path)).rejects.toMatchObject({ code: 'InvalidSnapshot', path, problems: ['file not found'] });
  });

  it('a path that is a directory is an InvalidSnapshot naming the path', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    await expect(readSnapshotFile(path)).rejects.toMatchObject({ code: 'InvalidSnapshot', path, problems: [expect.stringContaining('EISDIR')] });
  });

  it('invalid JSON is an InvalidSnapshot naming the path: "not valid JSON: …"', async () => {
    const path = join(dir, 'truncated.json');
    await writeFile(path, '{"FormatVersion": 1, "Artifacts": [', 'utf8');
    const failure = readSnapshotFile(path);
    await expect(failure).rejects.toBeInstanceOf(InvalidSnapshot);
    await expect(failure).rejects.toMatchObject({ path, problems: [expect.stringMatching(/^not valid JSON: /)] });
  });

  it('valid JSON in the wrong shape names the file and the field', async () => {
    const path = join(dir, 'wrong-shape.json');
    await writeFile(path, JSON.stringify({ FormatVersion: 1, Artifacts: [{ ArtifactArn: A }, { ArtifactArn: 'nope' }] }), 'utf8');
    await expect(readSnapshotFile(path)).rejects.toMatchObject({ path, problems: ['Artifacts[1].ArtifactArn: expected a SageMaker ARN'] });
  });

  it('a valid file reads back as the document it was written from', async () => {
    const g = new GraphBuilder();
    const raw = g.dataSource('s3://test-lake/raw/customers.csv');
    const fg = g.featureGroup('customers', { features: { customer_id: 'String', age: 'Integral', event_time: 'Fractional' } });
    const dataset = g.dataset('churn-train', `SELECT age FROM ${tableOf('customers')}`);
    const model = g.model('churn');
    g.chain(raw, g.processingJob('build'), fg, dataset, g.trainingJob('churn-training'), model).deploy(model, g.endpoint('churn-prod'));
    const document = g.document();
    const path = join(dir, 'round-trip.json');
    await writeFile(path, JSON.stringify(document, null, 2), 'utf8');

    const snapshot = await readSnapshotFile(path);
    expect(snapshot).toEqual(parseSnapshot(document, 'in memory'));
    expect(snapshot.Artifacts.map((a) => a.ArtifactName)).toEqual(['customers.csv', 'fg-customers', 'churn-train', 'churn-model']);
    expect(snapshot.TrialComponents.map((t) => t.TrialComponentName)).toEqual(['build-aws-processing-job', 'churn-training-aws-training-job']);
    expect(snapshot.Associations).toHaveLength(7);
    expect(snapshot.FeatureGroups[0]?.OfflineStoreConfig?.DataCatalogConfig?.TableName).toBe('customers_1700000000');
  });

  it('timestamps in a file, as epoch seconds and as ISO text', async () => {
    const path = join(dir, 'timestamps.json');
    await writeFile(
      path,
      JSON.stringify({
        FormatVersion: 1,
        Artifacts: [
          { ArtifactArn: A, CreationTime: 1_761_955_200 },
          { ArtifactArn: B, CreationTime: '2025-11-01T00:00:00Z' },
        ],
      }),
      'utf8',
    );
    const snapshot = await readSnapshotFile(path);
    expect(snapshot.Artifacts.map((a) => a.CreationTime)).toEqual([new Date('2025-11-01T00:00:00.000Z'), new Date('2025-11-01T00:00:00.000Z')]);
  });
});

describe('the embedded demo', () => {
  it('validates like any snapshot file', () => {
    const demo = demoSnapshot();
    expect(demo.FormatVersion).toBe(1);
    expect({
      artifacts: demo.Artifacts.length,
      contexts: demo.Contexts.length,
      actions: demo.Actions.length,
      trialComponents: demo.TrialComponents.length,
      associations: demo.Associations.length,
      featureGroups: demo.FeatureGroups.map((f) => f.FeatureGroupName),
      models: demo.Models.map((m) => m.ModelName),
      endpoints: demo.Endpoints.map((e) => e.EndpointName),
      pipelineExecutions: demo.PipelineExecutions.map((p) => p.PipelineExecutionDisplayName),
    }).toEqual({
      artifacts: 20,
      contexts: 8,
      actions: 3,
      trialComponents: 5,
      associations: 40,
      featureGroups: ['customers', 'claims', 'claims-v2', 'claims-enriched', 'policies'],
      models: ['fraud-detector', 'churn-predictor', 'claims-triage', 'claims-severity'],
      endpoints: ['fraud-detector-prod', 'churn-predictor-prod', 'claims-severity-prod'],
      pipelineExecutions: ['fraud-features-20251101'],
    });
    expect(demo.Artifacts[0]?.CreationTime).toEqual(new Date('2025-11-01T00:00:00.000Z'));
  });

  it('written out as JSON, reads back the same (dates become ISO text and back)', async () => {
    const demo = demoSnapshot();
    const dir = await mkdtemp(join(tmpdir(), 'lineage-demo-test-'));
    try {
      const path = join(dir, 'demo.json');
      await writeFile(path, JSON.stringify(demo), 'utf8');
      expect(await readSnapshotFile(path)).toEqual(demo);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
