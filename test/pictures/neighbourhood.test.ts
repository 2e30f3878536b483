// The lineage neighbourhood a picture is drawn from: nodes, edges, truncation and folding, on the
// demo and on hand-made graphs (derived feature groups, big fan-outs, long chains, cycles).
import { describe, expect, it } from 'vitest';
import type { EntityNode, FoldedNode, Neighbourhood } from '../../src/lineage/neighbourhood.js';
import { PICTURE_MAX_NODES, PICTURE_MAX_PER_KIND } from '../../src/lineage/neighbourhood.js';
import { demoService } from '../support/demo.js';
import { fanOutAccount } from '../support/fan-out.js';
import { GraphBuilder, LAKE, tableOf } from '../support/graph-builder.js';

const entities = (n: Neighbourhood) => n.nodes.filter((node): node is EntityNode => node.node === 'entity');
const folds = (n: Neighbourhood) => n.nodes.filter((node): node is FoldedNode => node.node === 'folded');
/** "kind name" of every entity node. */
const drawn = (n: Neighbourhood) => entities(n).map((node) => `${node.kind} ${node.name}`);
/** Edges by the names of their ends. */
function edgeNames(n: Neighbourhood): string[] {
  const label = (id: string) => {
    const node = n.nodes.find((candidate) => candidate.id === id);
    if (!node) return `?${id}`;
    return node.node === 'entity' ? node.name : `+${node.count} ${node.kind}${node.chain ? ' chain' : ''}`;
  };
  return n.edges.map((e) => `${label(e.from)} -> ${label(e.to)}${e.type === 'ContributedTo' ? '' : ` (${e.type})`}`).sort();
}

describe('neighbourhood of a demo entity', () => {
  it('holds fraud-detector\'s whole trail, deployment actions passed through', async () => {
    const n = await demoService().neighbourhood('fraud-detector');
    expect(n.view).toBe('lineage');
    expect(n.subject).toMatchObject({ kind: 'Model', name: 'fraud-detector' });
    expect(drawn(n)).toEqual([
      'DataSource s3://demo-ml-lake/raw/claims.csv',
      'DataSource s3://demo-ml-lake/raw/customers.csv',
      'Code https://github.com/example-org/fraud-features/blob/main/pipelines/preprocess.py',
      'ProcessingJob fraud-feature-pipeline-20251101',
      'FeatureGroup claims',
      'FeatureGroup customers',
      'Dataset s3://demo-ml-lake/datasets/fraud-detector/test/test.csv',
      'Dataset s3://demo-ml-lake/datasets/fraud-detector/train/train.csv',
      'TrainingJob fraud-detector-training-20251102',
      'Model fraud-detector',
      'Endpoint fraud-detector-prod',
      'Other sagemaker-xgboost',
    ]);
    expect(entities(n).filter((node) => node.subject).map((node) => node.name)).toEqual(['fraud-detector']);
    expect(entities(n).find((node) => node.kind === 'Other')?.type).toBe('Image');
    // The ModelDeployment action between model and endpoint is not drawn: the model feeds the endpoint.
    expect(edgeNames(n)).toContain('fraud-detector -> fraud-detector-prod');
    expect(edgeNames(n)).toContain('fraud-detector-training-20251102 -> fraud-detector (Produced)');
    expect(n.truncation).toBeUndefined();
    expect(folds(n)).toEqual([]);
    expect(n.entityCount).toBe(12);
  });

  it('gives each dataset the features its query uses, per feature group', async () => {
    const n = await demoService().neighbourhood('fraud-detector');
    const train = entities(n).find((node) => node.name.endsWith('train/train.csv'));
    expect(train?.features?.unknown).toEqual([]);
    expect(train?.features?.groups.map((g) => `${g.featureGroup}: ${g.used.map((f) => `${f.name}=${f.uses.join('+')}`).join(' ')}`)).toEqual([
      'claims: customer_id=joinKey claim_amount=selected incident_severity=selected collision_type=selected fraud=selected event_time=filter',
      'customers: customer_id=joinKey age=selected tenure_months=selected num_claims_12m=selected',
    ]);
  });

  it('lists every identifier it was drawn from, for invalidation', async () => {
    const n = await demoService().neighbourhood('fraud-detector');
    expect(n.identifiers).toEqual(expect.arrayContaining(['customers', 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers', 'fraud-detector-prod']));
  });

  it('marks a walk cut short by depth', async () => {
    const n = await demoService({ maxDepth: 2 }).neighbourhood('fraud-detector');
    expect(n.truncation).toMatchObject({ depthExceeded: true, maxDepth: 2 });
    expect(drawn(n)).not.toContain('DataSource s3://demo-ml-lake/raw/claims.csv');
  });
});

/**
 *   raw ─ build ─ customers ─┬─ derive ─ customers-derived ─ derived-train ─ derived-job ─ scorer ─ scorer-prod
 *                            └─ base-train ─ base-job ─ churn ─ churn-prod
 */
function derivedAccount() {
  const g = new GraphBuilder();
  const customers = g.featureGroup('customers');
  const derived = g.featureGroup('customers-derived');
  g.chain(g.dataSource(`${LAKE}/raw/customers.csv`), g.processingJob('build'), customers, g.processingJob('derive'), derived);
  const derivedSql = `SELECT customer_id FROM "sagemaker_featurestore"."${tableOf('customers-derived')}"`;
  const scorer = g.model('scorer');
  const derivedJob = g.trainingJob('derived-job');
  g.chain(derived, g.dataset('derived-train', derivedSql), derivedJob).edge(derivedJob, scorer, 'Produced');
  g.deploy(scorer, g.endpoint('scorer-prod'));
  const churn = g.model('churn');
  const baseJob = g.trainingJob('base-job');
  g.chain(customers, g.dataset('base-train'), baseJob).edge(baseJob, churn, 'Produced');
  g.deploy(churn, g.endpoint('churn-prod'));
  return g;
}

describe('blast radius of a feature group', () => {
  it('holds the group, the groups derived from it, models and endpoints, joined directly', async () => {
    const n = await derivedAccount().service().blastRadius('customers', [
      { kind: 'Model', name: 'churn', reach: 'reachable' },
      { kind: 'Endpoint', name: 'scorer-prod', reach: 'unreachable' },
    ]);
    expect(n.view).toBe('impact');
    expect(drawn(n)).toEqual([
      'FeatureGroup customers',
      'FeatureGroup customers-derived',
      'Model churn',
      'Model scorer',
      'Endpoint churn-prod',
      'Endpoint scorer-prod',
    ]);
    expect(edgeNames(n)).toEqual([
      'churn -> churn-prod',
      'customers -> churn',
      'customers -> customers-derived',
      'customers-derived -> scorer',
      'scorer -> scorer-prod',
    ]);
    const reach = Object.fromEntries(entities(n).map((node) => [node.name, node.reach]));
    // The changed group has no owners to colour; resources the caller did not name are unknown.
    expect(reach).toEqual({ customers: undefined, 'customers-derived': undefined, churn: 'reachable', scorer: 'unknown', 'churn-prod': 'unknown', 'scorer-prod': 'unreachable' });
  });

  it('crosses to groups built from the group\'s offline store or its FeatureGroupPipeline context', async () => {
    const g = new GraphBuilder();
    const base = g.featureGroup('base');
    g.chain(g.dataSource(`${LAKE}/raw/base.csv`), g.processingJob('ingest'), base);
    // ml-lineage-helper: a job reading base's offline-store files builds fg-joined.
    const joined = g.featureGroup('joined');
    g.chain(g.offlineStoreInput('base'), g.helperProcessingJob('join-job'), joined);
    // Feature processor: a pipeline reading base's FeatureGroupPipeline context builds enriched.
    const enriched = g.featureGroup('enriched', { lineage: 'context' });
    g.chain(g.groupContext('base'), g.featurePipeline('enrich'), enriched);
    const scorer = g.model('scorer');
    const job = g.trainingJob('scorer-job');
    g.chain(joined, g.dataset('scorer-train'), job).edge(job, scorer, 'Produced');
    const n = await g.service().blastRadius('base');
    expect(drawn(n)).toEqual(['FeatureGroup base', 'FeatureGroup enriched', 'FeatureGroup joined', 'Model scorer']);
    expect(edgeNames(n)).toEqual(expect.arrayContaining(['joined -> scorer']));
    expect(edgeNames(n).filter((e) => e.startsWith('base -> '))).toEqual(['base -> enriched', 'base -> joined']);
  });

  it('is refused for anything but a feature group', async () => {
    await expect(derivedAccount().service().blastRadius('churn')).rejects.toMatchObject({ code: 'WrongKind' });
  });
});

const fanOut = fanOutAccount;

describe('folding', () => {
  it('folds a fan-out of 40 models to at most 8 of a kind, the rest counted, joined like what they stand for', async () => {
    const n = await fanOut(40).service().neighbourhood('shared');
    expect(n.nodes.length).toBeLessThanOrEqual(PICTURE_MAX_NODES);
    expect(n.entityCount).toBe(3 + 4 * 40);
    for (const kind of ['Dataset', 'TrainingJob', 'Model', 'Endpoint'] as const) {
      expect(entities(n).filter((node) => node.kind === kind)).toHaveLength(PICTURE_MAX_PER_KIND);
      expect(folds(n).find((f) => f.kind === kind)).toMatchObject({ count: 40 - PICTURE_MAX_PER_KIND, side: 'downstream' });
    }
    // What is kept stays joined: the 8 models kept are those of the 8 datasets kept.
    const kept = (kind: string, prefix: string) => entities(n).filter((node) => node.kind === kind).map((node) => node.name.replace(/.*(\d{3}).*/, '$1')).join(',') + prefix;
    expect(kept('Model', '')).toBe(kept('TrainingJob', ''));
    expect(edgeNames(n)).toEqual(expect.arrayContaining(['shared -> +32 Dataset', '+32 Dataset -> +32 TrainingJob', '+32 TrainingJob -> +32 Model (Produced)', '+32 Model -> +32 Endpoint']));
    // Upstream is small and stays whole.
    expect(drawn(n)).toEqual(expect.arrayContaining(['DataSource s3://test-lake/raw/shared.csv', 'ProcessingJob build-shared']));
  });

  it('keeps a neighbourhood that fits whole', async () => {
    const n = await fanOut(3).service().neighbourhood('shared');
    expect(folds(n)).toEqual([]);
    expect(entities(n)).toHaveLength(3 + 4 * 3);
  });

  it('counts the owner reach of folded models and endpoints', async () => {
    const reach = Array.from({ length: 40 }, (_, i) => ({ kind: 'Model' as const, name: `model-${String(i).padStart(3, '0')}`, reach: i % 2 === 0 ? ('reachable' as const) : ('unreachable' as const) }));
    const n = await fanOut(40).service().blastRadius('shared', reach);
    const models = folds(n).find((f) => f.kind === 'Model');
    expect(models?.count).toBe(32);
    expect((models?.reach?.reachable ?? 0) + (models?.reach?.unreachable ?? 0)).toBe(32);
    expect(folds(n).find((f) => f.kind === 'Endpoint')?.reach).toEqual({ unknown: 32 });
  });

  it('folds the middle of a long chain, keeping its ends', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('base');
    const stages: string[] = [];
    for (let i = 1; i <= 5; i++) stages.push(g.processingJob(`stage-${i}`), g.dataSource(`${LAKE}/stages/stage-${i}/`));
    const model = g.model('deep');
    const job = g.trainingJob('deep-job');
    g.chain(fg, ...stages, job).edge(job, model, 'Produced');
    const n = await g.service().neighbourhood('deep');
    const chain = folds(n).find((f) => f.chain);
    expect(chain).toMatchObject({ kind: 'Other', count: 8, side: 'upstream', chain: ['DataSource', 'ProcessingJob'] });
    // stage-1 … stage-5/ are one chain of steps (one parent, one child each): its ends stay.
    expect(edgeNames(n)).toEqual([
      '+8 Other chain -> s3://test-lake/stages/stage-5/',
      'base -> stage-1',
      'deep-job -> deep (Produced)',
      's3://test-lake/stages/stage-5/ -> deep-job',
      'stage-1 -> +8 Other chain',
    ]);
  });

  it('never folds a feature group, dataset or training job into a chain', async () => {
    const g = new GraphBuilder();
    const base = g.featureGroup('base');
    const derived = g.featureGroup('derived', { lineage: 'context' });
    g.chain(g.groupContext('base'), g.featurePipeline('enrich'), derived);
    const job = g.trainingJob('severity-job');
    const model = g.model('severity');
    g.chain(derived, g.dataset('severity-train'), job).edge(job, model, 'Produced');
    g.deploy(model, g.endpoint('severity-prod'));
    g.chain(g.dataSource(`${LAKE}/raw/base.csv`), g.processingJob('ingest'), base);
    const n = await g.service().neighbourhood('base');
    expect(folds(n)).toEqual([]);
    expect(drawn(n)).toEqual(expect.arrayContaining(['FeatureGroup derived', 'Dataset s3://test-lake/datasets/severity-train/train.csv', 'TrainingJob severity-job']));
  });

  it('survives a cycle', async () => {
    const g = new GraphBuilder();
    const a = g.featureGroup('loop-a');
    const b = g.featureGroup('loop-b');
    g.chain(a, g.processingJob('a-to-b'), b, g.processingJob('b-to-a'), a);
    const n = await g.service().neighbourhood('loop-a');
    expect(drawn(n)).toEqual(['ProcessingJob a-to-b', 'ProcessingJob b-to-a', 'FeatureGroup loop-a', 'FeatureGroup loop-b']);
  });
});
