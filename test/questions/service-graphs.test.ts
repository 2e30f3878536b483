// Every lineage question on hand-made graphs: the ordinary pipeline, cycles, diamonds, a chain
// deeper than the depth limit, the size limit, missing pieces, repeated edges, feature usage and
// resolution. Answers are compared by exact names, counts and truncation notes.
import { describe, expect, it } from 'vitest';
import type { EntityRef, TrailAnswer } from '../../src/lineage/answers.js';
import { EntityNotFound, WrongKind } from '../../src/lineage/errors.js';
import { featureLines } from '../support/demo.js';
import { arn, base64 as base64Of, GraphBuilder, LAKE, tableOf } from '../support/graph-builder.js';

const names = (refs: readonly { name: string }[]): string[] => refs.map((ref) => ref.name);
const raw = (file: string) => `${LAKE}/raw/${file}`;
const datasetUri = (id: string) => `${LAKE}/datasets/${id}/train.csv`;
const gitUrl = (file: string) => `https://github.com/example/features/blob/main/${file}`;
const DB = 'sagemaker_featurestore';

/** Stage kind → entity names, in the trail's own order. */
function stages(answer: TrailAnswer): Record<string, string[]> {
  return Object.fromEntries(answer.stages.map((stage) => [stage.kind, names(stage.entities)]));
}

const CUSTOMER_FEATURES = { customer_id: 'String', age: 'Integral', region: 'String', churned: 'Integral', event_time: 'Fractional' } as const;
const CLAIM_FEATURES = { claim_id: 'String', customer_id: 'String', claim_amount: 'Fractional', fraud: 'Integral', event_time: 'Fractional' } as const;

const FRAUD_QUERY = `SELECT c.age, cl.claim_amount, cl.fraud
FROM "${DB}"."${tableOf('claims')}" cl
JOIN "${DB}"."${tableOf('customers')}" c ON cl.customer_id = c.customer_id
WHERE cl.event_time < '2025-10-01'`;
const CHURN_QUERY = `SELECT age, region, churned FROM "${DB}"."${tableOf('customers')}"`;

/**
 *   customers.csv ─┐                          ┌─ customers ─┬─ fraud-train ─ fraud-training ─ fraud-detector ─ deployment ─ fraud-prod
 *   claims.csv ────┼─ build-features ─────────┴─ claims ────┘
 *   build.py ──────┘                             customers ─── churn-train ─ churn-training ─ churn (not deployed)
 *   policies: a feature group with no lineage recorded
 */
function fraudAccount() {
  const g = new GraphBuilder();
  const a = {
    rawCustomers: g.dataSource(raw('customers.csv')),
    rawClaims: g.dataSource(raw('claims.csv')),
    code: g.code('build.py'),
    build: g.processingJob('build-features'),
    customers: g.featureGroup('customers', { features: CUSTOMER_FEATURES }),
    claims: g.featureGroup('claims', { features: CLAIM_FEATURES }),
    policies: g.featureGroup('policies', { lineage: 'none' }),
    fraudTrain: g.dataset('fraud-train', FRAUD_QUERY),
    churnTrain: g.dataset('churn-train', CHURN_QUERY),
    fraudTraining: g.trainingJob('fraud-training'),
    churnTraining: g.trainingJob('churn-training'),
    fraudModel: g.model('fraud-detector'),
    churnModel: g.model('churn'),
    fraudProd: g.endpoint('fraud-prod'),
  };
  g.edge(a.rawCustomers, a.build).edge(a.rawClaims, a.build).edge(a.code, a.build);
  g.edge(a.build, a.customers).edge(a.build, a.claims);
  g.edge(a.customers, a.fraudTrain).edge(a.claims, a.fraudTrain).edge(a.customers, a.churnTrain);
  g.chain(a.fraudTrain, a.fraudTraining).edge(a.fraudTraining, a.fraudModel, 'Produced');
  g.chain(a.churnTrain, a.churnTraining).edge(a.churnTraining, a.churnModel, 'Produced');
  g.deploy(a.fraudModel, a.fraudProd);
  return { g, a, service: g.service() };
}

describe('an ordinary pipeline, raw data to endpoint', () => {
  const { a, service } = fraudAccount();

  it('dependencies of an endpoint: feature groups with the features its datasets select, models, training jobs', async () => {
    const answer = await service.dependencies('fraud-prod');
    expect(answer.subject).toEqual({ kind: 'Endpoint', name: 'fraud-prod', arn: a.fraudProd, sourceUri: arn.endpoint('fraud-prod') });
    expect(answer.featureGroups.map((d) => ({ group: d.featureGroup.name, features: featureLines(d.features), datasets: names(d.datasets) }))).toEqual([
      {
        group: 'claims',
        features: ['customer_id joinKey', 'claim_amount selected', 'fraud selected', 'event_time filter'],
        datasets: [datasetUri('fraud-train')],
      },
      { group: 'customers', features: ['customer_id joinKey', 'age selected'], datasets: [datasetUri('fraud-train')] },
    ]);
    expect(names(answer.models)).toEqual(['fraud-detector']);
    expect(names(answer.trainingJobs)).toEqual(['fraud-training']);
    expect(answer.truncation).toBeUndefined();
  });

  it("dependencies of a model: features in the group's own order, the model itself", async () => {
    const answer = await service.dependencies('churn');
    expect(answer.subject).toEqual({ kind: 'Model', name: 'churn', arn: a.churnModel, sourceUri: arn.model('churn') });
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['customers', ['age selected', 'region selected', 'churned selected']]]);
    expect(answer.models).toEqual([answer.subject]);
    expect(names(answer.trainingJobs)).toEqual(['churn-training']);
  });

  it('consumers of a feature group: models with their endpoints, every endpoint, the datasets in between', async () => {
    const answer = await service.consumers('customers');
    expect(answer.subject).toEqual({ kind: 'FeatureGroup', name: 'customers', arn: a.customers, sourceUri: arn.featureGroup('customers') });
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([
      ['churn', []],
      ['fraud-detector', ['fraud-prod']],
    ]);
    expect(answer.endpoints).toEqual([{ kind: 'Endpoint', name: 'fraud-prod', arn: a.fraudProd, sourceUri: arn.endpoint('fraud-prod') }]);
    expect(answer.datasetCount).toBe(2);
    expect(answer.truncation).toBeUndefined();
  });

  it('upstream of a feature group: raw data, the pipeline and its code; not the sibling feature group', async () => {
    const answer = await service.upstream('customers');
    expect(names(answer.dataSources)).toEqual([raw('claims.csv'), raw('customers.csv')]);
    expect(answer.pipelines).toEqual([
      { kind: 'ProcessingJob', name: 'build-features', arn: a.build, sourceUri: arn.processingJob('build-features') },
    ]);
    expect(names(answer.code)).toEqual([gitUrl('build.py')]);
    expect(answer.featureGroups).toEqual([]);
    expect(answer.truncation).toBeUndefined();
  });

  it('builtFrom a data source: every feature group built from it, with the pipelines in between', async () => {
    const answer = await service.builtFrom('customers.csv');
    expect(answer.subject).toEqual({ kind: 'DataSource', name: raw('customers.csv'), arn: a.rawCustomers, sourceUri: raw('customers.csv') });
    expect(answer.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines)])).toEqual([
      ['claims', ['build-features']],
      ['customers', ['build-features']],
    ]);
    expect(answer.truncation).toBeUndefined();
  });

  it('trail of a model: every stage in flow order, with features, queries and unknown types as details', async () => {
    const answer = await service.trail('fraud-detector');
    expect(answer.stages.map((s) => s.kind)).toEqual([
      'DataSource',
      'Code',
      'ProcessingJob',
      'FeatureGroup',
      'Dataset',
      'TrainingJob',
      'Model',
      'Endpoint',
      'Other',
    ]);
    expect(stages(answer)).toEqual({
      DataSource: [raw('claims.csv'), raw('customers.csv')],
      Code: [gitUrl('build.py')],
      ProcessingJob: ['build-features'],
      FeatureGroup: ['claims', 'customers'],
      Dataset: [datasetUri('fraud-train')],
      TrainingJob: ['fraud-training'],
      Model: ['fraud-detector'],
      Endpoint: ['fraud-prod'],
      Other: ['fraud-prod-1700000000-deployment'],
    });
    const features = answer.stages.flatMap((s) => s.entities.filter((e) => e.features !== undefined).map((e) => [e.name, featureLines(e.features)]));
    expect(features).toEqual([
      ['claims', ['customer_id joinKey', 'claim_amount selected', 'fraud selected', 'event_time filter']],
      ['customers', ['customer_id joinKey', 'age selected']],
    ]);
    const details = answer.stages.flatMap((s) => s.entities.filter((e) => e.detail !== undefined).map((e) => [e.name, e.detail]));
    expect(details).toEqual([
      [datasetUri('fraud-train'), FRAUD_QUERY],
      ['fraud-prod-1700000000-deployment', 'ModelDeployment'],
    ]);
    expect(answer.truncation).toBeUndefined();
  });

  it('trail of an endpoint is the trail of the model it serves', async () => {
    const answer = await service.trail('fraud-prod');
    expect(answer.subject.kind).toBe('Endpoint');
    expect(stages(answer)).toMatchObject({ Model: ['fraud-detector'], Endpoint: ['fraud-prod'], FeatureGroup: ['claims', 'customers'] });
  });

  it('featureUsage: the models whose datasets select the feature', async () => {
    const answer = await service.featureUsage('customers.age');
    expect(answer.featureGroup.name).toBe('customers');
    expect(answer.feature).toEqual({ name: 'age', type: 'Integral' });
    expect(answer.models.map((m) => [m.model.name, names(m.datasets)])).toEqual([
      ['churn', [datasetUri('churn-train')]],
      ['fraud-detector', [datasetUri('fraud-train')]],
    ]);
    expect(answer.unusedDatasets).toEqual([]);
  });

  it('search: hits by kind (feature groups, models, endpoints, data sources)', async () => {
    expect(await service.search('fraud')).toEqual({
      question: 'search',
      text: 'fraud',
      hits: [
        { kind: 'Model', name: 'fraud-detector', arn: arn.model('fraud-detector') },
        { kind: 'Endpoint', name: 'fraud-prod', arn: arn.endpoint('fraud-prod') },
      ],
      more: false,
    });
    const customers = await service.search('  CUSTOMERS ');
    expect(customers.text).toBe('CUSTOMERS');
    expect(customers.hits).toEqual([
      { kind: 'FeatureGroup', name: 'customers', arn: arn.featureGroup('customers') },
      { kind: 'DataSource', name: raw('customers.csv'), arn: a.rawCustomers },
    ]);
  });

  it('search finds a feature group that has no lineage recorded', async () => {
    expect((await service.search('polic')).hits).toEqual([{ kind: 'FeatureGroup', name: 'policies', arn: arn.featureGroup('policies') }]);
  });

  it('search with nothing to find', async () => {
    expect(await service.search('zz')).toEqual({ question: 'search', text: 'zz', hits: [], more: false });
  });
});

describe('search limits', () => {
  it('shows ten hits per kind and says there are more', async () => {
    const g = new GraphBuilder();
    for (let i = 0; i < 12; i++) g.featureGroup(`fraud-${String(i).padStart(2, '0')}`);
    g.model('fraud-model');
    const answer = await g.service().search('fraud');
    expect(names(answer.hits)).toEqual([...Array.from({ length: 10 }, (_, i) => `fraud-0${i}`), 'fraud-model']);
    expect(answer.more).toBe(true);
  });

  it.each([
    ['one character', 'a'],
    ['blank', '   '],
    ['more than 200 characters', 'x'.repeat(201)],
  ])('rejects %s as BadInput', async (_, text) => {
    await expect(fraudAccount().service.search(text)).rejects.toMatchObject({ code: 'BadInput' });
  });
});

describe('cycles', () => {
  /** a.csv → clean → a.csv (a job that rewrites its own input), clean → customers → ds → train → model */
  function selfFeedingJob() {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('a.csv'));
    const clean = g.processingJob('clean');
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const ds = g.dataset('ds', `SELECT age FROM ${tableOf('customers')}`);
    const train = g.trainingJob('train');
    g.chain(source, clean, source).chain(clean, fg, ds, train).edge(train, g.model('m'), 'Produced');
    return g.service();
  }

  it('A → B → A: upstream terminates and lists each entity once', async () => {
    const answer = await selfFeedingJob().upstream('customers');
    expect(names(answer.dataSources)).toEqual([raw('a.csv')]);
    expect(names(answer.pipelines)).toEqual(['clean']);
    expect(answer.truncation).toBeUndefined();
  });

  it('A → B → A: builtFrom and trail terminate and list each entity once', async () => {
    const service = selfFeedingJob();
    const built = await service.builtFrom(raw('a.csv'));
    expect(built.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines)])).toEqual([['customers', ['clean']]]);
    expect(stages(await service.trail('m'))).toEqual({
      DataSource: [raw('a.csv')],
      ProcessingJob: ['clean'],
      FeatureGroup: ['customers'],
      Dataset: [datasetUri('ds')],
      TrainingJob: ['train'],
      Model: ['m'],
    });
  });

  /** raw → build → customers → loop-ds → build (the dataset feeds back into the job), loop-ds → train → model */
  function cycleThroughFeatureGroup() {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('customers.csv'));
    const build = g.processingJob('build');
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const loop = g.dataset('loop', `SELECT * FROM ${tableOf('customers')}`);
    const train = g.trainingJob('train');
    const model = g.model('m');
    g.chain(source, build, fg, loop, build).chain(loop, train).edge(train, model, 'Produced');
    return g.service();
  }

  it('through a feature group: upstream does not call the dataset it feeds a data source', async () => {
    const answer = await cycleThroughFeatureGroup().upstream('customers');
    expect(names(answer.dataSources)).toEqual([raw('customers.csv')]);
    expect(names(answer.pipelines)).toEqual(['build']);
    expect(answer.featureGroups).toEqual([]);
  });

  it('through a feature group: consumers, dependencies, featureUsage and trail terminate with each entity once', async () => {
    const service = cycleThroughFeatureGroup();
    const consumers = await service.consumers('customers');
    expect(consumers.models.map((m) => m.model.name)).toEqual(['m']);
    expect(consumers.datasetCount).toBe(1);

    const dependencies = await service.dependencies('m');
    expect(dependencies.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([
      ['customers', ['* selected'], [datasetUri('loop')]],
    ]);

    const usage = await service.featureUsage('customers.region');
    expect(usage.models.map((m) => m.model.name)).toEqual(['m']);

    expect(stages(await service.trail('m'))).toEqual({
      DataSource: [raw('customers.csv')],
      ProcessingJob: ['build'],
      FeatureGroup: ['customers'],
      Dataset: [datasetUri('loop')],
      TrainingJob: ['train'],
      Model: ['m'],
    });
  });
});

describe('diamonds', () => {
  /**
   *            ┌─ batch-job (processing job) ───┐            ┌─ clicks-train ─┐
   * events.csv ┤                                ├─ events ───┤                ├─ train ─ ranker
   *            └─ streaming (feature pipeline) ─┘            └─ views-train ──┘
   */
  function diamond() {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('events.csv'));
    const batch = g.processingJob('batch-job');
    const streaming = g.featurePipeline('streaming');
    const fg = g.featureGroup('events', { features: { event_id: 'String', clicks: 'Integral', views: 'Integral', event_time: 'Fractional' } });
    const clicks = g.dataset('clicks-train', `SELECT clicks FROM ${tableOf('events')}`);
    const views = g.dataset('views-train', `SELECT e.views FROM "${DB}"."${tableOf('events')}" e`);
    const train = g.trainingJob('train');
    const model = g.model('ranker');
    g.chain(source, batch, fg).chain(source, streaming, fg);
    g.chain(fg, clicks, train).chain(fg, views, train).edge(train, model, 'Produced');
    return g.service();
  }

  it('one raw source → two pipelines → one feature group: builtFrom lists the group once with both pipelines', async () => {
    const answer = await diamond().builtFrom('events.csv');
    expect(answer.featureGroups.map((f) => [f.featureGroup.name, f.pipelines.map((p) => [p.kind, p.name])])).toEqual([
      [
        'events',
        [
          ['ProcessingJob', 'batch-job'],
          ['FeaturePipeline', 'streaming'],
        ],
      ],
    ]);
  });

  it('one raw source → two pipelines → one feature group: upstream lists the source once', async () => {
    const answer = await diamond().upstream('events');
    expect(names(answer.dataSources)).toEqual([raw('events.csv')]);
    expect(names(answer.pipelines)).toEqual(['batch-job', 'streaming']);
  });

  it('one feature group → two datasets → one training job: dependencies merge both queries into one group', async () => {
    const answer = await diamond().dependencies('ranker');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([
      ['events', ['clicks selected', 'views selected'], [datasetUri('clicks-train'), datasetUri('views-train')]],
    ]);
    expect(names(answer.trainingJobs)).toEqual(['train']);
  });

  it('one feature group → two datasets → one training job: consumers list the model once', async () => {
    const answer = await diamond().consumers('events');
    expect(answer.models.map((m) => m.model.name)).toEqual(['ranker']);
    expect(answer.datasetCount).toBe(2);
  });

  it('one feature group → two datasets → one training job: featureUsage names only the dataset that selects the feature', async () => {
    const answer = await diamond().featureUsage('events.views');
    expect(answer.models.map((m) => [m.model.name, names(m.datasets)])).toEqual([['ranker', [datasetUri('views-train')]]]);
  });

  it('trail through both diamonds lists every entity once', async () => {
    expect(stages(await diamond().trail('ranker'))).toEqual({
      DataSource: [raw('events.csv')],
      ProcessingJob: ['batch-job'],
      FeaturePipeline: ['streaming'],
      FeatureGroup: ['events'],
      Dataset: [datasetUri('clicks-train'), datasetUri('views-train')],
      TrainingJob: ['train'],
      Model: ['ranker'],
    });
  });
});

describe('a chain deeper than the depth limit', () => {
  const STEPS = 36;
  /** deep.csv → step-0 → … → step-35 → deep (feature group) → deep-train → deep-training → deep-model → deployment → deep-prod: 40 hops from raw to model. */
  function deepChain() {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('deep.csv'));
    const steps = Array.from({ length: STEPS }, (_, i) => g.artifact(`step-${i}`, 'Transform', `${LAKE}/steps/${i}`, { name: `step-${i}` }));
    const fg = g.featureGroup('deep', { features: CUSTOMER_FEATURES });
    const ds = g.dataset('deep-train', `SELECT age FROM ${tableOf('deep')}`);
    const train = g.trainingJob('deep-training');
    const model = g.model('deep-model');
    g.chain(source, ...steps, fg, ds, train).edge(train, model, 'Produced').deploy(model, g.endpoint('deep-prod'));
    return g;
  }
  const notCut = { DataSource: [raw('deep.csv')], FeatureGroup: ['deep'], Dataset: [datasetUri('deep-train')], TrainingJob: ['deep-training'], Model: ['deep-model'], Endpoint: ['deep-prod'] };

  it('maxDepth 50: the trail is whole, 40 hops from raw data to the model', async () => {
    const answer = await deepChain().service({ maxDepth: 50 }).trail('deep-model');
    const others = [...Array.from({ length: STEPS }, (_, i) => `step-${i}`), 'deep-prod-1700000000-deployment'];
    expect(stages(answer)).toEqual({ ...notCut, Other: others.sort((x, y) => x.localeCompare(y)) });
    expect(answer.truncation).toBeUndefined();
  });

  it('maxDepth 50: upstream reaches the raw data 37 hops away, builtFrom the feature group', async () => {
    const service = deepChain().service({ maxDepth: 50 });
    const upstream = await service.upstream('deep');
    expect(names(upstream.dataSources)).toEqual([raw('deep.csv')]);
    expect(upstream.truncation).toBeUndefined();
    const built = await service.builtFrom('deep.csv');
    expect(built.featureGroups.map((f) => f.featureGroup.name)).toEqual(['deep']);
    expect(built.truncation).toBeUndefined();
  });

  it('maxDepth 10: the trail is marked partial, with the limit that cut it', async () => {
    const answer = await deepChain().service({ maxDepth: 10 }).trail('deep-model');
    expect(answer.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 10, maxVertices: 1000 });
    const got = stages(answer);
    expect(got.DataSource).toBeUndefined();
    expect(got.Other).toHaveLength(7 + 1); // step-29 … step-35 (10 hops up) and the deployment
    expect(got).toMatchObject({ FeatureGroup: ['deep'], Model: ['deep-model'], Endpoint: ['deep-prod'] });
  });

  it('maxDepth 10: upstream and builtFrom found nothing and say they were cut short, not "nothing there"', async () => {
    const service = deepChain().service({ maxDepth: 10 });
    const upstream = await service.upstream('deep');
    expect(upstream.dataSources).toEqual([]);
    expect(upstream.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 10, maxVertices: 1000 });
    const built = await service.builtFrom('deep.csv');
    expect(built.featureGroups).toEqual([]);
    expect(built.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 10, maxVertices: 1000 });
  });

  it('maxDepth 10: dependencies found the feature group but still say the walk was cut short', async () => {
    const answer = await deepChain().service({ maxDepth: 10 }).dependencies('deep-prod');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['deep', ['age selected']]]);
    expect(answer.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 10, maxVertices: 1000 });
  });

  it('consumers 5 hops downstream are whole under maxDepth 10', async () => {
    const answer = await deepChain().service({ maxDepth: 10 }).consumers('deep');
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([['deep-model', ['deep-prod']]]);
    expect(answer.truncation).toBeUndefined();
  });

  it('the limit is exact: 40 hops fit in maxDepth 40, not in 39', async () => {
    const g = deepChain();
    const fits = await g.service({ maxDepth: 40 }).trail('deep-model');
    expect(fits.truncation).toBeUndefined();
    expect(stages(fits).DataSource).toEqual([raw('deep.csv')]);
    const cut = await g.service({ maxDepth: 39 }).trail('deep-model');
    expect(cut.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 39, maxVertices: 1000 });
    expect(stages(cut).DataSource).toBeUndefined();
  });
});

describe('the size limit', () => {
  it('keeps the nearest entities and marks the answer partial', async () => {
    const { g } = fraudAccount();
    // Ascending from fraud-detector: itself (0), fraud-training (1), fraud-train (2), claims and customers (3), …
    const answer = await g.service({ maxVertices: 5 }).trail('fraud-detector');
    expect(answer.truncation).toEqual({ depthExceeded: false, sizeExceeded: true, maxDepth: 50, maxVertices: 5 });
    expect(stages(answer)).toEqual({
      FeatureGroup: ['claims', 'customers'],
      Dataset: [datasetUri('fraud-train')],
      TrainingJob: ['fraud-training'],
      Model: ['fraud-detector'],
      Endpoint: ['fraud-prod'],
      Other: ['fraud-prod-1700000000-deployment'],
    });
  });

  it('consumers cut by size say so', async () => {
    const { g } = fraudAccount();
    const answer = await g.service({ maxVertices: 3 }).consumers('customers');
    expect(answer.truncation).toEqual({ depthExceeded: false, sizeExceeded: true, maxDepth: 50, maxVertices: 3 });
    expect(answer.datasetCount).toBe(2);
    expect(answer.models).toEqual([]);
  });

  it('exactly maxVertices entities is not a cut', async () => {
    const { g } = fraudAccount();
    // Ascending from customers: customers, build-features, customers.csv, claims.csv, build.py.
    const whole = await g.service({ maxVertices: 5 }).upstream('customers');
    expect(whole.truncation).toBeUndefined();
    const cut = await g.service({ maxVertices: 4 }).upstream('customers');
    expect(cut.truncation).toEqual({ depthExceeded: false, sizeExceeded: true, maxDepth: 50, maxVertices: 4 });
  });
});

describe('missing pieces', () => {
  it('a feature group with no lineage recorded: NoLineageRecorded for every feature-group question', async () => {
    const { service } = fraudAccount();
    for (const ask of [() => service.consumers('policies'), () => service.upstream('policies'), () => service.featureUsage('policies.customer_id')]) {
      await expect(ask()).rejects.toMatchObject({ code: 'NoLineageRecorded', kind: 'feature group', resourceName: 'policies' });
    }
  });

  it('a model whose model data has no Model artifact: NoLineageRecorded', async () => {
    const g = new GraphBuilder();
    g.model('orphan', { artifact: false });
    const service = g.service();
    await expect(service.dependencies('orphan')).rejects.toMatchObject({ code: 'NoLineageRecorded', kind: 'model', resourceName: 'orphan' });
    await expect(service.trail(arn.model('orphan'))).rejects.toMatchObject({ code: 'NoLineageRecorded', kind: 'model', resourceName: 'orphan' });
  });

  it('an endpoint with no Endpoint context: NoLineageRecorded', async () => {
    const g = new GraphBuilder();
    g.endpoint('bare', { context: false });
    await expect(g.service().dependencies('bare')).rejects.toMatchObject({ code: 'NoLineageRecorded', kind: 'endpoint', resourceName: 'bare' });
  });

  it('a dataset with no query: the dependency is reported, its features not known (never "none")', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const ds = g.dataset('no-query');
    const train = g.trainingJob('t');
    g.chain(fg, ds, train).edge(train, g.model('m'), 'Produced');
    const service = g.service();
    const answer = await service.dependencies('m');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([
      ['customers', ['? no-query'], [datasetUri('no-query')]],
    ]);
    const trail = await service.trail('m');
    expect(trail.stages.find((s) => s.kind === 'Dataset')?.entities).toEqual([
      { kind: 'Dataset', name: datasetUri('no-query'), arn: ds, sourceUri: datasetUri('no-query') },
    ]);
    const usage = await service.featureUsage('customers.age');
    expect(usage.models).toEqual([]);
    expect(usage.unknownModels.map((m) => [m.model.name, m.unknown.map((u) => [u.reason, names(u.datasets)])])).toEqual([
      ['m', [['no-query', [datasetUri('no-query')]]]],
    ]);
  });

  it('a feature group without an offline table name: features not known (queries cannot be matched to it)', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('online-only', { table: null, features: CUSTOMER_FEATURES });
    const train = g.trainingJob('t');
    g.chain(fg, g.dataset('ds', 'SELECT age FROM online_only_1700000000'), train).edge(train, g.model('m'), 'Produced');
    const service = g.service();
    const answer = await service.dependencies('m');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['online-only', ['? no-offline-table']]]);
    const usage = await service.featureUsage('online-only.age');
    // "No models" here means "cannot tell", and the answer says so.
    expect([usage.models, usage.matchable]).toEqual([[], false]);
    expect(usage.unknownModels.map((m) => [m.model.name, m.unknown.map((u) => u.reason)])).toEqual([['m', ['no-offline-table']]]);
  });

  it('a feature group whose resource is gone (lineage artifact only): features not known', async () => {
    const g = new GraphBuilder();
    const fg = g.artifact('fg-retired', 'FeatureGroup', arn.featureGroup('retired'), { name: 'fg-retired' });
    const train = g.trainingJob('t');
    g.chain(fg, g.dataset('ds', 'SELECT * FROM retired_1700000000'), train).edge(train, g.model('m'), 'Produced');
    const answer = await g.service().dependencies('m');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['retired', ['? group-not-described']]]);
  });

  it('a training job that produced no model: consumers show the dataset, featureUsage calls it unused', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    g.chain(fg, g.dataset('failed-run', `SELECT age FROM ${tableOf('customers')}`), g.trainingJob('failed-training'));
    const service = g.service();
    const consumers = await service.consumers('customers');
    expect(consumers.models).toEqual([]);
    expect(consumers.endpoints).toEqual([]);
    expect(consumers.datasetCount).toBe(1);
    const usage = await service.featureUsage('customers.age');
    expect(usage.models).toEqual([]);
    expect(names(usage.unusedDatasets)).toEqual([datasetUri('failed-run')]);
  });

  it('an endpoint context reached only through a ModelDeployment action', async () => {
    const { service, a } = fraudAccount();
    const consumers = await service.consumers('claims');
    expect(consumers.models.map((m) => [m.model.name, m.endpoints])).toEqual([
      ['fraud-detector', [{ kind: 'Endpoint', name: 'fraud-prod', arn: a.fraudProd, sourceUri: arn.endpoint('fraud-prod') }]],
    ]);
    const dependencies = await service.dependencies(arn.endpoint('fraud-prod'));
    expect(names(dependencies.models)).toEqual(['fraud-detector']);
  });

  it('a model nobody deployed: consumers list it with no endpoints', async () => {
    const answer = await fraudAccount().service.consumers('customers');
    expect(answer.models.find((m) => m.model.name === 'churn')?.endpoints).toEqual([]);
  });
});

describe('repeated edges and entities recorded twice', () => {
  /** Every edge recorded twice (once more under another type), and customers recorded by an fg- artifact and a feature-processor context. */
  function recordedTwice() {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('customers.csv'));
    const build = g.processingJob('build');
    const artifact = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const context = g.context('customers-1700000000-feature-group-pipeline', 'FeatureGroupPipeline', arn.featureGroup('customers'));
    const ds = g.dataset('ds', `SELECT age FROM ${tableOf('customers')}`);
    const train = g.trainingJob('t');
    const model = g.model('m');
    const endpoint = g.endpoint('m-prod');
    for (let i = 0; i < 2; i++) g.chain(source, build, artifact, ds, train).chain(build, context, ds).edge(train, model, 'Produced');
    g.edge(source, build, 'AssociatedWith').edge(train, model, 'ContributedTo');
    g.deploy(model, endpoint);
    return g.service();
  }

  it('consumers list each model, endpoint and dataset once', async () => {
    const answer = await recordedTwice().consumers('customers');
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([['m', ['m-prod']]]);
    expect(names(answer.endpoints)).toEqual(['m-prod']);
    expect(answer.datasetCount).toBe(1);
  });

  it('upstream, builtFrom, dependencies and trail list each entity once', async () => {
    const service = recordedTwice();
    const upstream = await service.upstream('customers');
    expect([names(upstream.dataSources), names(upstream.pipelines), upstream.featureGroups]).toEqual([[raw('customers.csv')], ['build'], []]);
    const built = await service.builtFrom('customers.csv');
    expect(built.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines)])).toEqual([['customers', ['build']]]);
    const dependencies = await service.dependencies('m');
    expect(dependencies.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([['customers', ['age selected'], [datasetUri('ds')]]]);
    expect(stages(await service.trail('m'))).toEqual({
      DataSource: [raw('customers.csv')],
      ProcessingJob: ['build'],
      FeatureGroup: ['customers'],
      Dataset: [datasetUri('ds')],
      TrainingJob: ['t'],
      Model: ['m'],
      Endpoint: ['m-prod'],
      Other: ['m-prod-1700000000-deployment'],
    });
  });

  it('featureUsage lists each model and dataset once', async () => {
    const answer = await recordedTwice().featureUsage('customers.age');
    expect(answer.models.map((m) => [m.model.name, names(m.datasets)])).toEqual([['m', [datasetUri('ds')]]]);
  });
});

describe('upstream returns true upstream sources, not what the feature group feeds', () => {
  it('a DataSet without a query that the feature group feeds is not one of its data sources', async () => {
    const g = new GraphBuilder();
    const source = g.dataSource(raw('customers.csv'));
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const exported = g.dataset('export'); // SageMaker's own DataSet artifact: no query
    g.chain(source, g.processingJob('build'), fg, exported);
    const service = g.service();
    const upstream = await service.upstream('customers');
    expect(names(upstream.dataSources)).toEqual([raw('customers.csv')]);
    const consumers = await service.consumers('customers');
    expect(consumers.datasetCount).toBe(1);
  });

  /** a (feature group) → export (DataSet, no query) → join-job → b (feature group) ← b.csv */
  function derivedGroup() {
    const g = new GraphBuilder();
    const a = g.featureGroup('a');
    const exported = g.dataset('export');
    const job = g.processingJob('join-job');
    const b = g.featureGroup('b');
    g.chain(a, exported, job, b).edge(g.dataSource(raw('b.csv')), job);
    return g;
  }

  it('a feature group built from another one lists that group, not the dataset between them, as upstream', async () => {
    const answer = await derivedGroup().service().upstream('b');
    expect(names(answer.dataSources)).toEqual([raw('b.csv')]);
    expect(names(answer.pipelines)).toEqual(['join-job']);
    expect(names(answer.featureGroups)).toEqual(['a']);
    expect(answer.truncation).toBeUndefined();
  });

  // BUG: at the depth limit the walk sees the export dataset but not the feature group that feeds it,
  // so the dataset is reported as a raw data source (false, not merely missing) under a partial answer.
  it('a dataset a feature group feeds is not called a data source when the depth limit hides that feature group', async () => {
    const answer = await derivedGroup().service({ maxDepth: 2 }).upstream('b');
    expect(answer.truncation).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 2, maxVertices: 1000 });
    expect(names(answer.dataSources)).toEqual([raw('b.csv')]);
  });
});

describe('models trained from other models', () => {
  /** customers → ds → base-training → base → tune-training (with ds) → tuned; base → base-prod, tuned → tuned-prod */
  function fineTuned() {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const ds = g.dataset('ds', `SELECT age FROM ${tableOf('customers')}`);
    const baseTraining = g.trainingJob('base-training');
    const base = g.model('base');
    const tuneTraining = g.trainingJob('tune-training');
    const tuned = g.model('tuned');
    g.chain(fg, ds, baseTraining).edge(baseTraining, base, 'Produced');
    g.chain(base, tuneTraining).edge(ds, tuneTraining).edge(tuneTraining, tuned, 'Produced');
    g.deploy(base, g.endpoint('base-prod')).deploy(tuned, g.endpoint('tuned-prod'));
    return g.service();
  }

  // BUG: a model's endpoints are every endpoint downstream of it, so the base model is reported as
  // served by tuned-prod, which serves the tuned model.
  it('consumers: each model lists only the endpoints that serve it', async () => {
    const answer = await fineTuned().consumers('customers');
    expect(names(answer.endpoints)).toEqual(['base-prod', 'tuned-prod']);
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([
      ['base', ['base-prod']],
      ['tuned', ['tuned-prod']],
    ]);
  });

  // BUG: DependenciesAnswer.models is "for an endpoint: the models it serves", but every model
  // upstream of the endpoint is listed, including the base model it was fine-tuned from.
  it('dependencies of an endpoint: models are the ones it serves', async () => {
    const answer = await fineTuned().dependencies('tuned-prod');
    expect(names(answer.models)).toEqual(['tuned']);
    expect(names(answer.trainingJobs)).toEqual(['base-training', 'tune-training']);
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['customers', ['age selected']]]);
  });

  // BUG: the trail's downstream walk does not describe training or processing jobs, so they are
  // named by their raw trial-component ARN.
  it('trail: a training job downstream of the model is named after its job, not by its ARN', async () => {
    const answer = await fineTuned().trail('base');
    expect(stages(answer).TrainingJob).toEqual(['base-training', 'tune-training']);
  });
});

describe('a model evaluated after training', () => {
  // BUG (same cause): model → evaluation processing job → report, as SageMaker Pipelines records an
  // evaluation step; the trail lists the evaluation job by its trial-component ARN.
  it('trail: the evaluation processing job is named after its job, not by its ARN', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const train = g.trainingJob('train');
    const model = g.model('churn');
    g.chain(fg, g.dataset('ds', `SELECT age FROM ${tableOf('customers')}`), train).edge(train, model, 'Produced');
    g.chain(model, g.processingJob('evaluate-churn'), g.artifact('report', 'EvaluationReport', `${LAKE}/eval/report.json`, { name: 'report' }));
    const answer = await g.service().trail('churn');
    expect(stages(answer)).toEqual({
      ProcessingJob: ['evaluate-churn'],
      FeatureGroup: ['customers'],
      Dataset: [datasetUri('ds')],
      TrainingJob: ['train'],
      Model: ['churn'],
      Other: ['report'],
    });
  });
});

describe('featureUsage', () => {
  const customers = tableOf('customers');
  const claims = tableOf('claims');
  /** One dataset per way of selecting a feature, each trained into its own model. */
  function selections() {
    const g = new GraphBuilder();
    const fgCustomers = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const fgClaims = g.featureGroup('claims', { features: CLAIM_FEATURES });
    const trained = (id: string, sql: string, groups: string[], model?: string) => {
      const ds = g.dataset(id, sql);
      for (const group of groups) g.edge(group, ds);
      const train = g.trainingJob(`${id}-training`);
      g.edge(ds, train);
      if (model) g.edge(train, g.model(model), 'Produced');
    };
    trained(
      'qualified',
      `SELECT c.age, cl.claim_amount FROM "${DB}"."${customers}" c JOIN "${DB}"."${claims}" cl ON c.customer_id = cl.customer_id`,
      [fgCustomers, fgClaims],
      'qualified-model',
    );
    trained('aliased', `SELECT cust.age AS customer_age FROM "${DB}"."${customers}" AS cust`, [fgCustomers], 'aliased-model');
    trained(
      'unqualified',
      `SELECT age, claim_amount FROM ${customers} JOIN ${claims} ON ${customers}.customer_id = ${claims}.customer_id`,
      [fgCustomers, fgClaims],
      'unqualified-model',
    );
    trained('star', `SELECT * FROM "${DB}"."${customers}"`, [fgCustomers], 'star-model');
    trained('region-only', `SELECT region FROM ${customers}`, [fgCustomers], 'region-model');
    trained('cast', `SELECT CAST(c.churned AS double) AS label FROM ${customers} c`, [fgCustomers], 'cast-model');
    trained('unused', `SELECT age FROM ${customers}`, [fgCustomers]);
    return g.service();
  }

  it('qualified, aliased, unqualified and * selects all count; a dataset that does not select the feature does not', async () => {
    const answer = await selections().featureUsage('customers.age');
    expect(answer.feature).toEqual({ name: 'age', type: 'Integral' });
    expect(answer.models.map((m) => [m.model.name, names(m.datasets)])).toEqual([
      ['aliased-model', [datasetUri('aliased')]],
      ['qualified-model', [datasetUri('qualified')]],
      ['star-model', [datasetUri('star')]],
      ['unqualified-model', [datasetUri('unqualified')]],
    ]);
    expect(names(answer.unusedDatasets)).toEqual([datasetUri('unused')]);
    expect(answer.truncation).toBeUndefined();
  });

  // BUG (parseFeatureQuery): in "FROM customers_… JOIN claims_… ON …" the first table, having no
  // alias, swallows JOIN as its alias candidate and the joined table is never read; the query then
  // looks single-table and every unqualified column is given to customers.
  it('a feature of the other side of a join, unqualified, is decided by the known columns', async () => {
    const answer = await selections().featureUsage('claims.claim_amount');
    expect(answer.featureGroup.name).toBe('claims');
    expect(answer.models.map((m) => m.model.name)).toEqual(['qualified-model', 'unqualified-model']);
  });

  // BUG: only selected columns counted, so a join key was reported unused.
  it('a column only used in ON is used too, as a join key; SELECT * selects it', async () => {
    const answer = await selections().featureUsage('customers.customer_id');
    expect(answer.models.map((m) => [m.model.name, m.uses])).toEqual([
      ['qualified-model', ['joinKey']],
      ['star-model', ['selected']],
      ['unqualified-model', ['joinKey']],
    ]);
  });

  it('a feature inside an expression counts', async () => {
    const answer = await selections().featureUsage('customers.churned');
    expect(answer.models.map((m) => m.model.name)).toEqual(['cast-model', 'star-model']);
  });

  it('the feature name is matched case-insensitively and reported in its own spelling', async () => {
    const answer = await selections().featureUsage(' customers.AGE ');
    expect(answer.feature).toEqual({ name: 'age', type: 'Integral' });
    expect(answer.models).toHaveLength(4);
  });

  it('a feature that does not exist: EntityNotFound with close matches as group.feature', async () => {
    const service = selections();
    const close = await service.featureUsage('customers.ag').catch((error: unknown) => error);
    expect(close).toBeInstanceOf(EntityNotFound);
    expect(close).toMatchObject({ input: 'customers.ag', lookedFor: 'feature', suggestions: ['customers.age'] });

    const far = await service.featureUsage('customers.salary').catch((error: unknown) => error);
    expect(far).toMatchObject({
      code: 'EntityNotFound',
      suggestions: ['customers.customer_id', 'customers.age', 'customers.region', 'customers.churned', 'customers.event_time'],
    });
  });

  it('a feature group that does not exist: EntityNotFound for the feature group, with suggestions', async () => {
    await expect(selections().featureUsage('customer-profile.age')).rejects.toMatchObject({
      code: 'EntityNotFound',
      input: 'customer-profile',
      lookedFor: 'feature group',
      suggestions: ['customers'],
    });
  });

  it.each(['customers', '.age', 'customers.', '', '   '])('%j is BadInput with a hint', async (input) => {
    await expect(selections().featureUsage(input)).rejects.toMatchObject({
      code: 'BadInput',
      hint: 'Name a feature as <feature-group>.<feature>, e.g. customers.age',
    });
  });

  it('the feature group may be given by its ARN', async () => {
    const answer = await selections().featureUsage(`${arn.featureGroup('customers')}.age`);
    expect(answer.featureGroup.name).toBe('customers');
    expect(answer.models).toHaveLength(4);
  });

  // BUG: SnapshotSource.describeFeatureGroup looks an ARN up by its resource name whatever its
  // resource type, so a model ARN answers for the feature group of the same name.
  it('an ARN of another resource type is not taken for the feature group', async () => {
    const answer = selections().featureUsage(`${arn.model('customers')}.age`);
    await expect(answer).rejects.toSatisfy((error) => error instanceof EntityNotFound || error instanceof WrongKind);
  });
});

describe('resolution', () => {
  const { a, service } = fraudAccount();
  const customersRef: EntityRef = { kind: 'FeatureGroup', name: 'customers', arn: a.customers, sourceUri: arn.featureGroup('customers') };

  it('a feature group by name, by resource ARN, by a Slack-wrapped ARN and by its lineage ARN', async () => {
    for (const input of ['customers', arn.featureGroup('customers'), `<${arn.featureGroup('customers')}>`, a.customers]) {
      expect((await service.consumers(input)).subject).toEqual(customersRef);
    }
  });

  it('a feature group by its feature-processor context', async () => {
    const g = new GraphBuilder();
    const context = g.featureGroup('claims-v2', { lineage: 'context' });
    const answer = await g.service().upstream(context);
    expect(answer.subject).toEqual({ kind: 'FeatureGroup', name: 'claims-v2', arn: context, sourceUri: arn.featureGroup('claims-v2') });
    const byName = await g.service().upstream('claims-v2');
    expect(byName.subject).toEqual({ kind: 'FeatureGroup', name: 'claims-v2', arn: context, sourceUri: arn.featureGroup('claims-v2') });
  });

  it('a model by name and by resource ARN resolves to its Model artifact', async () => {
    const expected = { kind: 'Model', name: 'fraud-detector', arn: a.fraudModel, sourceUri: arn.model('fraud-detector') };
    expect((await service.dependencies('fraud-detector')).subject).toEqual(expected);
    expect((await service.dependencies(arn.model('fraud-detector'), 'Model')).subject).toEqual(expected);
  });

  it('a model package by its ARN resolves to the artifact that stands for it', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const train = g.trainingJob('pkg-train');
    const model = g.model('pkg-model');
    const packageArn = arn.modelPackage('churn-models', 3);
    const pkg = g.artifact('package-3', 'ModelPackage', packageArn, { name: 'churn-models-3' });
    g.chain(fg, g.dataset('pkg-ds', `SELECT age FROM ${tableOf('customers')}`), train).edge(train, model, 'Produced').edge(model, pkg);
    const answer = await g.service().dependencies(packageArn);
    expect(answer.subject).toEqual({ kind: 'ModelPackage', name: 'churn-models/3', arn: pkg, sourceUri: packageArn });
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['customers', ['age selected']]]);
    await expect(g.service().consumers(packageArn)).rejects.toMatchObject({ code: 'WrongKind', actualKind: 'model package' });
    await expect(g.service().dependencies(arn.modelPackage('churn-models', 9))).rejects.toMatchObject({ code: 'EntityNotFound' });
  });

  it('a model by its lineage ARN and by its model data URI', async () => {
    const modelData = `${LAKE}/models/fraud-detector/output/model.tar.gz`;
    const expected = { kind: 'Model', name: 'fraud-detector', arn: a.fraudModel, sourceUri: modelData };
    expect((await service.dependencies(a.fraudModel)).subject).toEqual(expected);
    expect((await service.dependencies(modelData)).subject).toEqual(expected);
  });

  it('an endpoint by name, resource ARN and lineage ARN', async () => {
    const expected = { kind: 'Endpoint', name: 'fraud-prod', arn: a.fraudProd, sourceUri: arn.endpoint('fraud-prod') };
    for (const input of ['fraud-prod', arn.endpoint('fraud-prod'), a.fraudProd]) {
      expect((await service.dependencies(input, 'Endpoint')).subject).toEqual(expected);
    }
  });

  it('a data source by S3 URI and by file name', async () => {
    const expected = { kind: 'DataSource', name: raw('claims.csv'), arn: a.rawClaims, sourceUri: raw('claims.csv') };
    for (const input of [raw('claims.csv'), 'claims.csv']) {
      expect((await service.builtFrom(input)).subject).toEqual(expected);
    }
  });

  // BUG: Resolver.dataSourceByName is documented to take "raw/customers.csv", the way to tell two
  // files of the same name apart, but parseReference rejects any name with a "/" as BadInput.
  it('a data source by a path suffix, which tells apart two files of the same name', async () => {
    const g = new GraphBuilder();
    const current = g.dataSource(`${LAKE}/raw/claims.csv`);
    g.dataSource(`${LAKE}/archive/claims.csv`);
    const answer = await g.service().builtFrom('raw/claims.csv');
    expect(answer.subject).toEqual({ kind: 'DataSource', name: raw('claims.csv'), arn: current, sourceUri: raw('claims.csv') });
  });

  it('a data source name two URIs end with is AmbiguousName, listing both', async () => {
    const g = new GraphBuilder();
    const east = g.dataSource('s3://lake-east/raw/customers.csv');
    const west = g.dataSource('s3://lake-west/raw/customers.csv');
    await expect(g.service().builtFrom('customers.csv')).rejects.toMatchObject({
      code: 'AmbiguousName',
      input: 'customers.csv',
      candidates: [
        { kind: 'DataSource', name: 's3://lake-east/raw/customers.csv', arn: east },
        { kind: 'DataSource', name: 's3://lake-west/raw/customers.csv', arn: west },
      ],
    });
  });

  it.each([
    ['a model resource ARN asked for consumers', () => service.consumers(arn.model('fraud-detector')), 'model', ['feature group']],
    ['a Model lineage ARN asked for consumers', () => service.consumers(a.fraudModel), 'model', ['feature group']],
    ['a raw S3 URI asked for consumers', () => service.consumers(raw('customers.csv')), 'data source', ['feature group']],
    ['a feature group ARN asked for dependencies', () => service.dependencies(arn.featureGroup('customers')), 'feature group', ['model', 'endpoint']],
    ['an endpoint lineage ARN asked for a model', () => service.dependencies(a.fraudProd, 'Model'), 'endpoint', ['model']],
    ['a training job ARN asked for consumers', () => service.consumers(arn.trainingJob('fraud-training')), 'training job', ['feature group']],
    ['a feature group lineage ARN asked what it is built from', () => service.builtFrom(a.customers), 'feature group', ['data source']],
    ['a processing job lineage ARN asked for upstream', () => service.upstream(a.build), 'processing job', ['feature group']],
  ])('%s is WrongKind', async (_, ask, actualKind, expected) => {
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongKind);
    expect(error).toMatchObject({ actualKind, expected });
  });

  it.each([
    ['an ARN with a short account', 'arn:aws:sagemaker:us-east-1:1234:feature-group/customers', 'A SageMaker ARN looks like arn:aws:sagemaker:us-east-1:111122223333:model/my-model'],
    ['an ARN of another service', 'arn:aws:s3:::bucket/key', 'A SageMaker ARN looks like arn:aws:sagemaker:us-east-1:111122223333:model/my-model'],
    [
      'an ARN of a resource the bot cannot start from',
      'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/lab',
      'Use a feature group, model, endpoint, training or processing job, model package group or pipeline execution (name or ARN), an S3 URI, or a lineage artifact/context/action ARN.',
    ],
    ['an S3 URI without a valid bucket', 's3://X', 'An S3 URI looks like s3://bucket/path/file.csv'],
    [
      'a name with a character no SageMaker name has',
      'cust!omers',
      'Names use letters, digits, hyphens and underscores (up to 120 characters); a data source may be named by the end of its path.',
    ],
  ])('%s is BadInput with a hint', async (_, input, hint) => {
    await expect(service.consumers(input)).rejects.toMatchObject({ code: 'BadInput', hint });
  });

  it('empty input is BadInput', async () => {
    await expect(service.consumers('  ')).rejects.toMatchObject({ code: 'BadInput', message: 'Give a name, an ARN or an S3 URI.' });
  });

  it('a name that is nothing: EntityNotFound with close matches of the kind asked for', async () => {
    await expect(service.consumers('customer-profile')).rejects.toMatchObject({
      code: 'EntityNotFound',
      input: 'customer-profile',
      lookedFor: 'feature group',
      suggestions: ['customers'],
    });
    await expect(service.dependencies('fraud')).rejects.toMatchObject({
      code: 'EntityNotFound',
      lookedFor: 'model or endpoint',
      suggestions: ['fraud-prod', 'fraud-detector'], // closest first
    });
  });

  it('the exact name of another kind is the wrong kind, saying what it is', async () => {
    await expect(service.consumers('churn')).rejects.toMatchObject({ code: 'WrongKind', actualKind: 'model', expected: ['feature group'] });
  });

  it('a near name of another kind: EntityNotFound suggesting it, labelled with its kind', async () => {
    await expect(service.consumers('chur')).rejects.toMatchObject({ code: 'EntityNotFound', suggestions: ['churn (model)'] });
  });

  it('an S3 URI nothing recorded: EntityNotFound suggesting data sources with a similar file name', async () => {
    await expect(service.builtFrom(raw('customers-2024.csv'))).rejects.toMatchObject({
      code: 'EntityNotFound',
      lookedFor: 'data source',
      suggestions: expect.arrayContaining([raw('customers.csv')]),
    });
  });

  // BUG: suggestions are ranked by the edit distance between the whole S3 URI and the bare file
  // name, so the shortest URI wins: claims.csv is offered before customers.csv for customers-2024.csv.
  it('an S3 URI nothing recorded: the data source with the closest file name is suggested first', async () => {
    const error = await service.builtFrom(raw('customers-2024.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntityNotFound);
    expect((error as EntityNotFound).suggestions[0]).toBe(raw('customers.csv'));
  });

  it('ARNs of things that do not exist: EntityNotFound', async () => {
    await expect(service.consumers(arn.featureGroup('nope'))).rejects.toMatchObject({ code: 'EntityNotFound', lookedFor: 'feature group' });
    await expect(service.consumers(arn.artifact('nope'))).rejects.toMatchObject({ code: 'EntityNotFound', lookedFor: 'lineage entity' });
    await expect(service.dependencies(arn.endpoint('nope'))).rejects.toMatchObject({ code: 'EntityNotFound', lookedFor: 'endpoint' });
  });

  it('resolve() alone gives the subject without walking', async () => {
    const subject = await service.resolve('customers', ['FeatureGroup']);
    expect(subject.ref).toEqual(customersRef);
    expect(subject.starts.map((s) => [s.kind, s.arn])).toEqual([['FeatureGroup', a.customers]]);
  });
});

describe('features used anywhere in a query, and features not known (never "none")', () => {
  const CURRENT = 'customers_1762300800';
  const unknown = (answer: { unknownModels: { model: EntityRef; unknown: { reason: string }[] }[] }) =>
    answer.unknownModels.map((m) => [m.model.name, m.unknown.map((u) => u.reason)]);

  /** customers (re-created: today's table is customers_1762300800) → ds(sql) → train → m */
  function trainedOn(sql: string | undefined, dataset = 'ds') {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { table: CURRENT, features: CUSTOMER_FEATURES });
    const ds = sql === undefined ? g.dataset(dataset) : g.dataset(dataset, sql);
    const train = g.trainingJob('t');
    g.chain(fg, ds, train).edge(train, g.model('m'), 'Produced');
    return { g, fg, ds, service: g.service() };
  }

  // BUG: only today's table name matched, so a query recorded before the table was re-created
  // counted for nobody and `feature` answered that no model uses the feature.
  it('a query naming an earlier epoch table of the group still counts for the group', async () => {
    const { service } = trainedOn(`SELECT c.age FROM "${DB}"."customers_1700000000" c WHERE c.region = 'north'`);
    const dependencies = await service.dependencies('m');
    expect(dependencies.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([['customers', ['age selected', 'region filter']]]);
    const usage = await service.featureUsage('customers.region');
    expect(usage.models.map((m) => [m.model.name, m.uses])).toEqual([['m', ['filter']]]);
    expect(usage.unknownModels).toEqual([]);
  });

  it('a query naming no table of the group: features not known for that model', async () => {
    const { service } = trainedOn(`SELECT age FROM "${DB}"."customer_profiles_1700000000"`);
    const usage = await service.featureUsage('customers.age');
    expect(usage.models).toEqual([]);
    expect(unknown(usage)).toEqual([['m', ['no-matching-table']]]);
    const dependencies = await service.dependencies('m');
    expect(featureLines(dependencies.featureGroups[0]?.features)).toEqual(['? no-matching-table']);
  });

  it('a query the parser cannot read: features not known, not none', async () => {
    const { service } = trainedOn(`SELECT age, FROM ${CURRENT} WHERE`);
    expect(unknown(await service.featureUsage('customers.age'))).toEqual([['m', ['unreadable-query']]]);
    expect(featureLines((await service.dependencies('m')).featureGroups[0]?.features)).toEqual(['? unreadable-query']);
  });

  it('a query stored cut at 256 characters, as ml-lineage-helper stores it: features not known', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { table: CURRENT, features: CUSTOMER_FEATURES });
    const sql = `SELECT c.age, c.region FROM "${DB}"."${CURRENT}" c WHERE c.event_time < '2025-10-01' AND c.tenure > 3 AND c.region IN ('north', 'south', 'east', 'west') AND c.age > 18`;
    const ds = g.artifact('cut', 'DataSet', `${LAKE}/datasets/cut/train.csv`, { properties: { Base64FeatureStoreQueryString: base64Of(sql).slice(0, 256) } });
    const train = g.trainingJob('t');
    g.chain(fg, ds, train).edge(train, g.model('m'), 'Produced');
    expect(unknown(await g.service().featureUsage('customers.age'))).toEqual([['m', ['cut-query']]]);
  });

  it('a model whose training job reads the group with no dataset in between: features not known', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const train = g.trainingJob('t');
    g.chain(fg, train).edge(train, g.model('m'), 'Produced');
    expect(unknown(await g.service().featureUsage('customers.age'))).toEqual([['m', ['no-dataset']]]);
    expect(featureLines((await g.service().dependencies('m')).featureGroups[0]?.features)).toEqual(['? no-dataset']);
  });

  it('a model reading a feature group built from this one: not known through which features, and says through which group', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const enrich = g.processingJob('enrich');
    const derived = g.featureGroup('customers-enriched', { features: CUSTOMER_FEATURES });
    const ds = g.dataset('ds', `SELECT age FROM ${tableOf('customers-enriched')}`);
    const train = g.trainingJob('t');
    g.chain(fg, enrich, derived, ds, train).edge(train, g.model('m'), 'Produced');
    const usage = await g.service().featureUsage('customers.age');
    expect(usage.models).toEqual([]);
    expect(usage.unknownModels.map((m) => [m.model.name, m.unknown.map((u) => [u.reason, names(u.through ?? [])])])).toEqual([
      ['m', [['through-feature-group', ['customers-enriched']]]],
    ]);
    const dependencies = await g.service().dependencies('m');
    expect(dependencies.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([
      ['customers', ['? through-feature-group customers-enriched']],
      ['customers-enriched', ['age selected']],
    ]);
  });

  it('a model known to use the feature is listed with how, even when another of its datasets cannot be read', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers', { features: CUSTOMER_FEATURES });
    const train = g.trainingJob('t');
    const good = g.dataset('good', `SELECT age FROM ${tableOf('customers')} ORDER BY event_time`);
    const bad = g.dataset('bad', 'SELECT FROM WHERE');
    g.chain(fg, good, train).chain(fg, bad, train).edge(train, g.model('m'), 'Produced');
    const usage = await g.service().featureUsage('customers.event_time');
    expect(usage.models.map((m) => [m.model.name, m.uses, names(m.datasets)])).toEqual([['m', ['ordering'], [datasetUri('good')]]]);
    const dependencies = await g.service().dependencies('m');
    expect(featureLines(dependencies.featureGroups[0]?.features)).toEqual(['age selected', 'event_time ordering', '? unreadable-query']);
  });
});
