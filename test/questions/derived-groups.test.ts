// Feature groups built from feature groups, on hand-made graphs: by a feature-processor pipeline
// (reading the base group's FeatureGroupPipeline context) and by a processing job reading the base
// group's offline store (ml-lineage-helper). Consumers, builtFrom, upstream and the trail cross
// from one group to the next, at any depth, through cycles, within the walk limits.
import { describe, expect, it } from 'vitest';
import { arn, GraphBuilder, LAKE } from '../support/graph-builder.js';

const names = (refs: readonly { name: string }[]): string[] => refs.map((ref) => ref.name);
const raw = (file: string) => `${LAKE}/raw/${file}`;

/** model → training → its model → an endpoint; returns the dataset to feed it. */
function consumer(g: GraphBuilder, name: string, options: { endpoint?: boolean } = {}): string {
  const dataset = g.dataset(`${name}-train`, `SELECT * FROM ${name}`);
  const training = g.trainingJob(`${name}-training`);
  const model = g.model(name);
  g.chain(dataset, training).edge(training, model, 'Produced');
  if (options.endpoint !== false) g.deploy(model, g.endpoint(`${name}-prod`));
  return dataset;
}

/**
 *   claims.csv ─ ingest ─ fg-claims ─ fraud (direct)
 *   claims (FeatureGroupPipeline context) ─ enrich (feature processor) ─ claims-enriched ─ severity
 */
function featureProcessorAccount() {
  const g = new GraphBuilder();
  const fgClaims = g.featureGroup('claims');
  g.chain(g.dataSource(raw('claims.csv')), g.processingJob('ingest'), fgClaims, consumer(g, 'fraud'));
  const enriched = g.featureGroup('claims-enriched', { lineage: 'context' });
  g.chain(g.groupContext('claims'), g.featurePipeline('enrich'), enriched, consumer(g, 'severity'));
  return g;
}

/** base ─ (its offline store) ─ ProcessingInputData ─ join-job ─ fg-derived ─ scorer; base ─ direct */
function offlineStoreAccount() {
  const g = new GraphBuilder();
  const base = g.featureGroup('base');
  g.chain(g.dataSource(raw('base.csv')), g.processingJob('ingest'), base, consumer(g, 'direct', { endpoint: false }));
  const job = g.helperProcessingJob('join-job');
  const derived = g.featureGroup('derived');
  g.chain(g.offlineStoreInput('base'), job, derived, consumer(g, 'scorer'));
  g.edge(g.dataSource(raw('extra.csv')), job);
  return g;
}

describe('consumers include the consumers of feature groups built from the group', () => {
  it('through a feature-processor pipeline reading the group, marked with the group they read', async () => {
    const answer = await featureProcessorAccount().service().consumers('claims');
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints), names(m.through ?? [])])).toEqual([
      ['fraud', ['fraud-prod'], []],
      ['severity', ['severity-prod'], ['claims-enriched']],
    ]);
    expect(answer.endpoints.map((e) => [e.name, names(e.through ?? [])])).toEqual([
      ['fraud-prod', []],
      ['severity-prod', ['claims-enriched']],
    ]);
    expect(answer.derivedGroups.map((d) => [d.featureGroup.name, names(d.through)])).toEqual([['claims-enriched', []]]);
    expect(answer.truncation).toBeUndefined();
  });

  it('through a processing job reading the group’s offline store, which no association links to the group', async () => {
    const answer = await offlineStoreAccount().service().consumers('base');
    expect(answer.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([
      ['direct', []],
      ['scorer', ['derived']],
    ]);
    expect(names(answer.derivedGroups.map((d) => d.featureGroup))).toEqual(['derived']);
  });

  it('at any depth: a group built from a group built from the subject, with the whole chain', async () => {
    const g = new GraphBuilder();
    g.featureGroup('a');
    const b = g.featureGroup('b', { lineage: 'context' });
    g.chain(g.groupContext('a'), g.featurePipeline('a-to-b'), b);
    const c = g.featureGroup('c');
    g.chain(g.offlineStoreInput('b'), g.helperProcessingJob('b-to-c'), c, consumer(g, 'deep'));
    const answer = await g.service().consumers('a');
    expect(answer.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([['deep', ['b', 'c']]]);
    expect(answer.derivedGroups.map((d) => [d.featureGroup.name, names(d.through)])).toEqual([
      ['b', []],
      ['c', ['b']],
    ]);
  });

  it('a model that reads the group and a group built from it is a direct consumer', async () => {
    const g = featureProcessorAccount();
    const both = consumer(g, 'both', { endpoint: false });
    g.edge(arn.artifact('fg-claims'), both).edge(arn.context('claims-enriched-fg'), both);
    const answer = await g.service().consumers('claims');
    expect(answer.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([
      ['both', []],
      ['fraud', []],
      ['severity', ['claims-enriched']],
    ]);
  });

  it('cycles end: a group built from a group built from it', async () => {
    const g = new GraphBuilder();
    const a = g.featureGroup('a');
    g.chain(a, consumer(g, 'reads-a', { endpoint: false }));
    const b = g.featureGroup('b');
    g.chain(g.offlineStoreInput('a'), g.helperProcessingJob('a-to-b'), b, consumer(g, 'reads-b', { endpoint: false }));
    g.chain(g.offlineStoreInput('b'), g.helperProcessingJob('b-to-a'), a);
    const service = g.service();
    const fromA = await service.consumers('a');
    expect(fromA.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([
      ['reads-a', []],
      ['reads-b', ['b']],
    ]);
    expect(names(fromA.derivedGroups.map((d) => d.featureGroup))).toEqual(['b']);
    const fromB = await service.consumers('b');
    expect(fromB.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([
      ['reads-a', ['a']],
      ['reads-b', []],
    ]);
    expect(fromA.truncation).toBeUndefined();
  });

  it('the depth limit applies across groups and the answer says it cut', async () => {
    // claims context → enrich → claims-enriched → dataset → training → model → deployment → endpoint:
    // 7 hops from the claims context; with 5, the model (5 hops) is in and its endpoint is not.
    const answer = await featureProcessorAccount().service({ maxDepth: 5 }).consumers('claims');
    expect(answer.truncation).toMatchObject({ depthExceeded: true, maxDepth: 5 });
    expect(answer.models.find((m) => m.model.name === 'severity')).toMatchObject({ endpoints: [], through: [{ name: 'claims-enriched' }] });
  });

  it('the depth limit counts the hop into an offline-store reader', async () => {
    // base → reader → join-job → derived → dataset → training → model: 6 hops.
    const whole = await offlineStoreAccount().service({ maxDepth: 6 }).consumers('base');
    expect(names(whole.models.map((m) => m.model))).toEqual(['direct', 'scorer']);
    const cut = await offlineStoreAccount().service({ maxDepth: 5 }).consumers('base');
    expect(names(cut.models.map((m) => m.model))).toEqual(['direct']);
    expect(cut.truncation).toMatchObject({ depthExceeded: true, maxDepth: 5 });
  });

  it('the size limit applies to the whole walk across groups and the answer says it cut', async () => {
    const answer = await offlineStoreAccount().service({ maxVertices: 8 }).consumers('base');
    expect(answer.truncation).toMatchObject({ sizeExceeded: true, maxVertices: 8 });
    expect(names(answer.models.map((m) => m.model))).toEqual(['direct']);
  });

  it('a file in the group’s offline store is the group; a file in another store’s folder of the same name is not', async () => {
    const g = new GraphBuilder();
    g.featureGroup('base');
    const stranger = g.artifact('stranger', 'DataSet', `s3://elsewhere/offline-store/base-1700000000/data`, { name: 'ProcessingInputData' });
    const job = g.helperProcessingJob('job');
    g.chain(stranger, job, g.featureGroup('other'));
    g.edge(g.offlineStoreInput('base'), job);
    const upstream = await g.service().upstream('other');
    expect(names(upstream.featureGroups)).toEqual(['base']);
    expect(names(upstream.dataSources)).toEqual(['s3://elsewhere/offline-store/base-1700000000/data']);
  });
});

describe('builtFrom, upstream and the trail show groups built from groups', () => {
  it('builtFrom: a data source builds the group, and the group builds another, through its other entity', async () => {
    const answer = await featureProcessorAccount().service().builtFrom(raw('claims.csv'));
    expect(answer.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines), names(f.through ?? [])])).toEqual([
      ['claims', ['ingest'], []],
      ['claims-enriched', ['enrich'], ['claims']],
    ]);
  });

  it('builtFrom: through an offline-store read', async () => {
    const answer = await offlineStoreAccount().service().builtFrom(raw('base.csv'));
    expect(answer.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines), names(f.through ?? [])])).toEqual([
      ['base', ['ingest'], []],
      ['derived', ['join-job'], ['base']],
    ]);
  });

  it('upstream: the offline-store file is the group it belongs to, not a raw data source, and the group’s own sources follow', async () => {
    const answer = await offlineStoreAccount().service().upstream('derived');
    expect(names(answer.featureGroups)).toEqual(['base']);
    expect(names(answer.dataSources)).toEqual([raw('base.csv'), raw('extra.csv')]);
    expect(names(answer.pipelines)).toEqual(['ingest', 'join-job']);
  });

  it('upstream: a file below the offline store’s data folder belongs to the group too', async () => {
    const g = new GraphBuilder();
    g.featureGroup('base');
    g.chain(g.offlineStoreInput('base', '/year=2025/month=11/'), g.helperProcessingJob('job'), g.featureGroup('derived'));
    const answer = await g.service().upstream('derived');
    expect(names(answer.featureGroups)).toEqual(['base']);
    expect(answer.dataSources).toEqual([]);
  });

  it('upstream: from the derived group’s context through the pipeline to the base group’s ingestion on its artifact', async () => {
    const answer = await featureProcessorAccount().service().upstream('claims-enriched');
    expect(names(answer.featureGroups)).toEqual(['claims']);
    expect(names(answer.dataSources)).toEqual([raw('claims.csv')]);
    expect(names(answer.pipelines)).toEqual(['enrich', 'ingest']);
  });

  it('trail: the derived group says what it is built from, and the base group’s sources are in the trail', async () => {
    const answer = await featureProcessorAccount().service().trail('severity');
    const stage = (kind: string) => answer.stages.find((s) => s.kind === kind)?.entities ?? [];
    expect(stage('FeatureGroup').map((e) => [e.name, names(e.builtFrom ?? [])])).toEqual([
      ['claims', []],
      ['claims-enriched', ['claims']],
    ]);
    expect(names(stage('DataSource'))).toEqual([raw('claims.csv')]);
    expect(names(stage('FeaturePipeline'))).toEqual(['enrich']);
    expect(answer.truncation).toBeUndefined();
  });

  it('dependencies: a model of a group read from another one’s offline store depends on both', async () => {
    const answer = await offlineStoreAccount().service().dependencies('scorer');
    expect(names(answer.featureGroups.map((d) => d.featureGroup))).toEqual(['base', 'derived']);
  });

  it('owners: consumers reached through a derived group carry that group', async () => {
    const answer = await featureProcessorAccount().service().owners('claims');
    expect(answer.entries.map((e) => [e.entity.name, names(e.through ?? [])])).toEqual([
      ['claims', []],
      ['fraud', []],
      ['severity', ['claims-enriched']],
      ['fraud-prod', []],
      ['severity-prod', ['claims-enriched']],
    ]);
  });
});
