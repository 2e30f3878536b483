// Feature groups built from feature groups, and honest partial answers, through the real runtime:
// signed slash commands and events into Bolt over HTTP, a FakeSlack answering.
import type { KnownBlock, SectionBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK } from '../../blocks/index.js';
import { listBlockId } from '../../blocks/ids.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { parseSnapshot } from '../../src/lineage/sources/snapshot-file.js';
import { GraphBuilder } from '../support/graph-builder.js';
import { FakeSlack } from '../support/slack-fake.js';
import { BOT_USER, CHANNEL, startSlackApp, type SlackHarness } from '../support/slack-http.js';

const text = (blocks: readonly unknown[], id: string) => ((blocks as KnownBlock[]).find((b) => 'block_id' in b && b.block_id === id) as SectionBlock | undefined)?.text?.text;
const contextText = (blocks: KnownBlock[], id: string) =>
  ((blocks.find((b) => 'block_id' in b && b.block_id === id) as { elements?: { text?: string }[] } | undefined)?.elements ?? [])[0]?.text;

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Runs `/lineage <command>` and returns the blocks the answer posted in the channel. */
async function ask(command: string): Promise<KnownBlock[]> {
  app!.forget();
  await app!.command(command);
  await app!.settle();
  return app!.onlyPost().blocks as unknown as KnownBlock[];
}

describe('the demo: a group built from a group, over Slack', () => {
  it('fg claims lists claims-severity, which reads claims through claims-enriched, and the group built from it', async () => {
    app = await startSlackApp();
    const blocks = await ask('fg claims');
    expect(text(blocks, BLOCK.summary)).toBe(
      '*2 models* and *2 endpoints* consume feature group `claims`, through 3 datasets. ' +
        '*1 model* and *1 endpoint* of them read it through `claims-enriched`, a feature group built from it.',
    );
    expect(text(blocks, listBlockId('models'))).toBe(
      '*Models*\n• `claims-severity` → `claims-severity-prod` (through `claims-enriched`)\n• `fraud-detector` → `fraud-detector-prod`',
    );
    expect(text(blocks, listBlockId('endpoints'))).toBe('*Endpoints*\n• `claims-severity-prod` (through `claims-enriched`)\n• `fraud-detector-prod`');
    expect(text(blocks, listBlockId('derived_groups'))).toBe('*Feature groups built from claims*\n• `claims-enriched`');
    expect(blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.truncation)).toBeUndefined();
  });

  it('owners of claims, asked in its thread, include those of the model reading it through claims-enriched', async () => {
    app = await startSlackApp();
    await app.store.saveThreadContext({ channel: 'C1', threadTs: '30.0' }, { question: 'consumers', input: 'claims', kind: 'FeatureGroup', name: 'claims' });
    await app.event({ type: 'app_mention', user: 'U3', text: `<@${BOT_USER}> owners?`, ts: '30.1', thread_ts: '30.0', channel: 'C1', event_ts: '30.1' });
    await app.settle();
    const posted = app.onlyPost();
    expect(posted.threadTs).toBe('30.0');
    const blocks = posted.blocks;
    expect(text(blocks, listBlockId('owners'))?.split('\n')).toEqual([
      '*Owners*',
      '• feature group `claims`: `priya.nair@example.com`',
      '• model `claims-severity` (through `claims-enriched`): `ben.okafor@example.com` in `#claims-ops`',
      '• model `fraud-detector`: `ana.silva@example.com` in `#fraud-ml`',
      '• endpoint `claims-severity-prod` (through `claims-enriched`): `ben.okafor@example.com` in `#claims-ops`',
      '• endpoint `fraud-detector-prod`: `ana.silva@example.com` in `#fraud-ml`',
    ]);
  });

  it('source claims.csv shows claims-enriched, built from claims', async () => {
    app = await startSlackApp();
    const blocks = await ask('source s3://demo-ml-lake/raw/claims.csv');
    expect(text(blocks, BLOCK.summary)).toBe(
      '*4 feature groups* are already built from `s3://demo-ml-lake/raw/claims.csv`. 1 of them is built from another of these groups.',
    );
    expect(text(blocks, listBlockId('feature_groups'))?.split('\n')).toContain('• `claims-enriched` via `enrich-claims` — built from `claims`');
  });

  it('source of the processing job that builds claims shows claims-enriched too, built from claims, and no job via itself', async () => {
    app = await startSlackApp();
    const blocks = await ask('source fraud-feature-pipeline-20251101');
    expect(blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.header)).toMatchObject({
      text: { text: 'Feature groups built by processing job fraud-feature-pipeline-20251101' },
    });
    expect(text(blocks, BLOCK.summary)).toBe(
      '*3 feature groups* are built by processing job `fraud-feature-pipeline-20251101`. 1 of them is built from another of these groups.',
    );
    expect(text(blocks, listBlockId('feature_groups'))).toBe(
      '*Feature groups*\n• `claims`\n• `customers`\n• `claims-enriched` via `enrich-claims` — built from `claims`',
    );
  });

  it('source of the pipeline execution names the job of its run that builds each group', async () => {
    app = await startSlackApp();
    const blocks = await ask('source arn:aws:sagemaker:us-east-1:111122223333:pipeline/fraud-features/execution/8f3k2q1x7b0m');
    expect(text(blocks, BLOCK.summary)).toBe(
      '*3 feature groups* are built by pipeline execution `fraud-features-20251101`. 1 of them is built from another of these groups.',
    );
    expect(text(blocks, listBlockId('feature_groups'))).toBe(
      '*Feature groups*\n• `claims` via `fraud-feature-pipeline-20251101`\n• `customers` via `fraud-feature-pipeline-20251101`\n' +
        '• `claims-enriched` via `enrich-claims` — built from `claims`',
    );
  });

  it('the trail of claims-severity runs from claims.csv through claims to claims-enriched', async () => {
    app = await startSlackApp();
    const blocks = await ask('trail claims-severity');
    // Not "2 code": code is counted in artifacts, like every other stage.
    expect(text(blocks, BLOCK.summary)).toBe(
      '2 data sources → 2 code artifacts → 1 processing job → 1 feature pipeline → 2 feature groups → 1 dataset → 1 training job → 1 model → 1 endpoint',
    );
    expect(text(blocks, listBlockId('featuregroup'))).toBe(
      '*Feature groups*\n' +
        '• `claims` — features not known: read through claims-enriched, a feature group built from it\n' +
        '• `claims-enriched` — claim_amount, incident_severity, claims_last_90d, customer_claim_rate, severity_label (selected) — built from `claims`',
    );
    expect(text(blocks, listBlockId('datasource'))?.split('\n')).toContain('• `s3://demo-ml-lake/raw/claims.csv`');
    expect(text(blocks, listBlockId('featurepipeline'))).toBe('*Feature pipelines*\n• `enrich-claims`');
  });

  it('the depth limit cuts the walk through claims-enriched, and the answer says so and claims nothing it did not reach', async () => {
    // claims' context → enrich-claims → claims-enriched → dataset → training → claims-severity: 5 hops; its endpoint is 2 more.
    app = await startSlackApp({ env: { LINEAGE_MAX_DEPTH: '5' } });
    const blocks = await ask('fg claims');
    expect(text(blocks, BLOCK.summary)).toBe(
      'At least *2 models* and *1 endpoint* consume feature group `claims`, through at least 3 datasets. ' +
        '*1 model* of them reads it through `claims-enriched`, a feature group built from it.',
    );
    expect(text(blocks, listBlockId('models'))).toBe(
      '*Models*\n• `claims-severity` (no endpoint found before the walk stopped; through `claims-enriched`)\n• `fraud-detector` → `fraud-detector-prod`',
    );
    expect(contextText(blocks, BLOCK.truncation)).toContain('some lineage lies more than 5 hops away');
  });
});

describe('counts that read as sentences', () => {
  it('fg claims-v2, whose one model has no endpoint: not "1 model and 0 endpoints consume"', async () => {
    app = await startSlackApp();
    const blocks = await ask('fg claims-v2');
    expect(text(blocks, BLOCK.summary)).toBe('*1 model* consumes feature group `claims-v2`, through 2 datasets; it is not deployed at an endpoint.');
    expect(text(blocks, listBlockId('models'))).toBe('*Models*\n• `claims-triage` (no endpoint)');
  });
});

describe('cycles over Slack', () => {
  it('a group built from a group built from it answers once, with each consumer once', async () => {
    const g = new GraphBuilder();
    const a = g.featureGroup('a');
    const b = g.featureGroup('b');
    for (const [group, model] of [
      [a, 'reads-a'],
      [b, 'reads-b'],
    ] as const) {
      const training = g.trainingJob(`${model}-training`);
      g.chain(group, g.dataset(`${model}-train`, 'SELECT 1'), training).edge(training, g.model(model), 'Produced');
    }
    g.chain(g.offlineStoreInput('a'), g.helperProcessingJob('a-to-b'), b);
    g.chain(g.offlineStoreInput('b'), g.helperProcessingJob('b-to-a'), a);
    app = await startSlackApp({ source: new SnapshotSource(parseSnapshot(g.document(), 'cycle'), 'cycle') });
    const blocks = await ask('fg a');
    expect(text(blocks, listBlockId('models'))).toBe('*Models*\n• `reads-a` (no endpoint)\n• `reads-b` (no endpoint; through `b`)');
    expect(text(blocks, listBlockId('derived_groups'))).toBe('*Feature groups built from a*\n• `b`');
    expect(blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.truncation)).toBeUndefined();
  });
});

describe('honest counts under LINEAGE_MAX_VERTICES=10', () => {
  it('fg customers says "at least" and never "no endpoint"', async () => {
    app = await startSlackApp({ env: { LINEAGE_MAX_VERTICES: '10' } });
    const blocks = await ask('fg customers');
    expect(text(blocks, BLOCK.summary)).toBe(
      'At least *2 models* consume feature group `customers`, through at least 3 datasets; no endpoint was found before the walk stopped.',
    );
    expect(text(blocks, listBlockId('models'))).toBe(
      '*Models*\n• `churn-predictor` (no endpoint found before the walk stopped)\n• `fraud-detector` (no endpoint found before the walk stopped)',
    );
    expect(contextText(blocks, BLOCK.truncation)).toContain('the walk reached more than 10 entities');
  });

  it('fg claims: "at least 1 model consumes", and nothing said absent beyond where the walk stopped', async () => {
    app = await startSlackApp({ env: { LINEAGE_MAX_VERTICES: '10' } });
    const blocks = await ask('fg claims');
    expect(text(blocks, BLOCK.summary)).toBe(
      'At least *1 model* consumes feature group `claims`, through at least 3 datasets; no endpoint was found before the walk stopped. ' +
        'No model reading it through `claims-enriched`, a feature group built from it, was found before the walk stopped.',
    );
    expect(text(blocks, listBlockId('models'))).toBe('*Models*\n• `fraud-detector` (no endpoint found before the walk stopped)');
  });

  it('a console-link card says "at least" too', async () => {
    app = await startSlackApp({ env: { LINEAGE_MAX_VERTICES: '10' } });
    const url = 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-groups/customers/details';
    await app.event({ type: 'link_shared', channel: 'C1', user: 'U1', message_ts: '4.0', links: [{ domain: 'console.aws.amazon.com', url }] });
    await app.settle();
    expect(app.apiCalls()).toEqual(['chat.unfurl']);
    expect(app.fake.unfurls).toHaveLength(1);
    const card = (app.fake.unfurls[0]?.unfurls as Record<string, { blocks: KnownBlock[] }> | undefined)?.[url];
    expect(text(card?.blocks ?? [], BLOCK.summary)).toBe(
      '*Feature group* `customers` feeds at least *2 models* (`churn-predictor`, `fraud-detector`); no endpoint was found before the walk stopped.',
    );
  });

  it('App Home does not say "no feature group recorded" when the walk stopped before reaching one', async () => {
    // claims-severity ← training ← dataset ← claims-enriched: the group is 3 hops up.
    const fake = new FakeSlack({ users: [{ id: 'U1', email: 'ben.okafor@example.com', name: 'Ben' }], channels: [{ ...CHANNEL }] });
    app = await startSlackApp({ fake, env: { LINEAGE_MAX_DEPTH: '2' } });
    await app.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '5.0' });
    await app.settle();
    expect(app.apiCalls()).toEqual(['users.info', 'views.publish']);
    expect([...fake.homes.keys()]).toEqual(['U1']);
    const view = fake.homes.get('U1') as { blocks: KnownBlock[] };
    expect(text(view.blocks, BLOCK.summary)).toBe('You own 3 models and endpoints, by their owner tags.');
    expect(text(view.blocks, listBlockId('owned_0'))).toBe('*model* `claims-severity`\nno feature group found upstream before the walk stopped');
  });

  it('the trail cut short does not present what it found as the whole trail', async () => {
    app = await startSlackApp({ env: { LINEAGE_MAX_VERTICES: '10' } });
    const blocks = await ask('trail fraud-detector');
    expect(text(blocks, BLOCK.summary)).toMatch(/^Found before the walk stopped: /);
  });

  it('upstream cut short says "at least" of the data sources it found', async () => {
    app = await startSlackApp({ env: { LINEAGE_MAX_DEPTH: '3' } });
    const blocks = await ask('upstream claims-enriched');
    expect(text(blocks, BLOCK.summary)).toBe('Feature group `claims-enriched` is built by *at least 1 pipeline*; no data source was found before the walk stopped.');
  });
});
