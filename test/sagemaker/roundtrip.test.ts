// The demo served by the fake SageMaker over the real wire: every question must get the same
// answer through the SageMaker adapter as through the snapshot source, errors included.
import { beforeEach, describe, expect, it } from 'vitest';
import { runExport } from '../../src/cli/export.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { LineageService } from '../../src/lineage/service.js';
import { parseSnapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DEMO_LIMITS } from '../support/demo.js';
import { recogniseQuestions } from '../../src/lineage/recognise.js';
import { readSlackText } from '../../commands/slack-text.js';
import { createFakeSageMaker, serveThroughNock } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';


const LAKE = 's3://demo-ml-lake';
const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';

// Small pages with repeated vertices: the adapter must still give the snapshot's answers.
const fake = createFakeSageMaker(demoSnapshot(), { pageSize: 3, repeatVertices: true });
beforeEach(() => serveThroughNock(fake, { optional: true }));
const overSageMaker = new LineageService(testSource({ maxAttempts: 1, concurrency: 8 }), DEMO_LIMITS);
const overSnapshot = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS);

/** An answer or the error it failed with, comparable with toEqual. */
async function outcome(ask: () => Promise<unknown>): Promise<unknown> {
  try {
    return { answer: await ask() };
  } catch (error) {
    return { error: { name: (error as Error).constructor.name, message: (error as Error).message, ...(error as object) } };
  }
}

/** Asks both services; `expecting` guards against two sources agreeing only because both failed. */
async function expectSame(ask: (service: LineageService) => Promise<unknown>, expecting: 'answer' | 'error' = 'answer'): Promise<void> {
  const [actual, expected] = await Promise.all([outcome(() => ask(overSageMaker)), outcome(() => ask(overSnapshot))]);
  expect(actual).toEqual(expected);
  expect(Object.keys(expected as object)).toEqual([expecting]);
}

const MODELS = ['fraud-detector', 'churn-predictor', 'claims-triage', `${ARN}:model/fraud-detector`];
const ENDPOINTS = ['fraud-detector-prod', 'churn-predictor-prod', `${ARN}:endpoint/churn-predictor-prod`];
const FEATURE_GROUPS = ['customers', 'claims', 'claims-v2', `${ARN}:feature-group/claims`];
const DATA_SOURCES = [`${LAKE}/raw/customers.csv`, `${LAKE}/raw/claims.csv`, `${LAKE}/raw/policies.csv`];
const FEATURES = ['customers.age', 'customers.region', 'claims.fraud', 'claims-v2.triage_label'];
const SEARCHES = ['fraud', 'customers', 'claims', 'raw', 'CHURN', 'xyz'];

describe('every question over SageMaker answers like the snapshot', () => {
  it.each([...MODELS, ...ENDPOINTS])('dependencies and trail of %s', async (input) => {
    await expectSame((service) => service.dependencies(input));
    await expectSame((service) => service.trail(input));
  });

  it.each(FEATURE_GROUPS)('consumers and upstream of %s', async (input) => {
    await expectSame((service) => service.consumers(input));
    await expectSame((service) => service.upstream(input));
  });

  it.each(DATA_SOURCES)('builtFrom %s', async (input) => {
    await expectSame((service) => service.builtFrom(input));
  });

  it.each(FEATURES)('featureUsage %s', async (input) => {
    await expectSame((service) => service.featureUsage(input));
  });

  it.each(SEARCHES)('search %s', async (input) => {
    await expectSame((service) => service.search(input));
  });

  it.each([
    [['ana.silva@example.com']],
    [['U04CHURN01', 'Ben.Okafor@Example.com']],
    [['UNOBODY']],
  ])('App Home of %j (Search by owner tag, every answer walked)', async (identities) => {
    await expectSame((service) => service.ownedBy(identities));
  });

  it('App Home finds what the demo says each owner owns', async () => {
    const owned = await overSageMaker.ownedBy(['UBEN', 'Ben.Okafor@Example.com']);
    expect(owned.owned.map((o) => o.entity.name)).toEqual(['claims-severity', 'claims-triage', 'claims-severity-prod']);
    expect(owned.owned[0]?.featureGroups.length).toBeGreaterThan(0);
  });

  it.each([
    ['claims-v2 vs s3://demo-ml-lake/raw/customers.csv for churn-predictor, and nothing else', 3],
    ['is Fraud-Detector-Prod still fed by CUSTOMERS?', 2],
    ['nothing here names anything', 0],
  ])('the shortcut recognises the same names in %j', async (message, count) => {
    const [viaSageMaker, viaSnapshot] = await Promise.all(
      [overSageMaker, overSnapshot].map((service) => recogniseQuestions(service.lineageSource, readSlackText(message), 5)),
    );
    expect(viaSageMaker).toEqual(viaSnapshot);
    expect(viaSnapshot).toHaveLength(count);
  });

  it('search finds something for each kind', async () => {
    const answers = await Promise.all(['claims', 'prod'].map((text) => overSageMaker.search(text)));
    const kinds = new Set(answers.flatMap((answer) => answer.hits.map((hit) => hit.kind)));
    expect(kinds).toEqual(new Set(['FeatureGroup', 'Model', 'Endpoint', 'DataSource']));
  });

  it.each([
    ['consumers of a model', (s: LineageService) => s.consumers('fraud-detector')],
    ['dependencies of a feature group', (s: LineageService) => s.dependencies('customers')],
    ['an unknown name', (s: LineageService) => s.dependencies('no-such-model')],
    ['a feature group with no lineage', (s: LineageService) => s.consumers('policies')],
    ['builtFrom an unknown URI', (s: LineageService) => s.builtFrom(`${LAKE}/raw/none.csv`)],
    ['an unknown feature', (s: LineageService) => s.featureUsage('claims.no_such_feature')],
    ['a feature of an unknown group', (s: LineageService) => s.featureUsage('nope.age')],
  ])('the same error for %s', async (_what, ask) => {
    await expectSame(ask, 'error');
  });

  it('and a tight depth limit is reported the same way', async () => {
    const limits = { ...DEMO_LIMITS, maxDepth: 2 };
    const shallowSageMaker = new LineageService(testSource({ maxAttempts: 1 }), limits);
    const shallowSnapshot = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), limits);
    const [actual, expected] = await Promise.all([
      outcome(() => shallowSageMaker.trail('fraud-detector-prod')),
      outcome(() => shallowSnapshot.trail('fraud-detector-prod')),
    ]);
    expect(actual).toEqual(expected);
    expect(JSON.stringify(actual)).toContain('"depthExceeded":true');
  });
});

describe('and back: the demo exported from the fake account answers like the demo', () => {
  it('lineage-bot export --all writes a snapshot that gives every answer the demo gives', async () => {
    const files = new Map<string, string>();
    const code = await runExport(['--all', '--out', 'demo-export.json'], {
      source: testSource({ maxAttempts: 1 }),
      write: async (path, text) => void files.set(path, text),
      out: () => {},
    });
    expect(code).toBe(0);
    const exported = new LineageService(new SnapshotSource(parseSnapshot(JSON.parse(files.get('demo-export.json') ?? '{}'), 'export'), 'export'), DEMO_LIMITS);
    const questions: ((s: LineageService) => Promise<unknown>)[] = [
      ...[...MODELS, ...ENDPOINTS].flatMap((input) => [(s: LineageService) => s.dependencies(input), (s: LineageService) => s.trail(input)]),
      ...FEATURE_GROUPS.flatMap((input) => [(s: LineageService) => s.consumers(input), (s: LineageService) => s.upstream(input), (s: LineageService) => s.owners(input)]),
      ...DATA_SOURCES.map((input) => (s: LineageService) => s.builtFrom(input)),
      ...FEATURES.map((input) => (s: LineageService) => s.featureUsage(input)),
      ...SEARCHES.map((input) => (s: LineageService) => s.search(input)),
    ];
    for (const ask of questions) {
      const [actual, expected] = await Promise.all([outcome(() => ask(exported)), outcome(() => ask(overSnapshot))]);
      expect(actual).toEqual(expected);
      expect(Object.keys(expected as object)).toEqual(['answer']); // not two sources agreeing on a failure
    }
  });
});
