// Features used anywhere in a query, end to end through real Bolt: `feature`, `deps` and `trail`
// say how each feature is used (selected, join key, filter, …), and "features not known" — never
// "none" — for a query the bot cannot read or cannot match to the group's offline-store table.
import { afterEach, describe, expect, it } from 'vitest';
import type { KnownBlock, SectionBlock } from '@slack/types';
import { BLOCK } from '../../blocks/index.js';
import { listBlockId } from '../../blocks/ids.js';
import { FEATURE_STORE_QUERY_PROPERTY } from '../../src/lineage/classify.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { expectMessageWithinLimits } from '../support/slack-limits.js';
import { startSlackApp, type SlackHarness } from '../support/slack-http.js';

const LAKE = 's3://demo-ml-lake';
const FRAUD_DATASETS = [`${LAKE}/datasets/fraud-detector/train/train.csv`, `${LAKE}/datasets/fraud-detector/test/test.csv`];
const CHURN_TRAIN = `${LAKE}/datasets/churn-predictor/train/train.csv`;

const section = (blocks: KnownBlock[], id: string) => (blocks.find((b) => 'block_id' in b && b.block_id === id) as SectionBlock | undefined)?.text?.text;

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Asks one slash command and returns the blocks of the answer posted in the channel. */
async function ask(text: string): Promise<KnownBlock[]> {
  app!.forget();
  const response = await app!.command(text);
  expect(response.status).toBe(200);
  await app!.settle();
  const posted = app!.onlyPost();
  expectMessageWithinLimits(posted, text);
  return posted.blocks as unknown as KnownBlock[];
}

/** The demo with the queries of some datasets replaced, and edits to its feature groups. */
function demoWith(queries: Record<string, string>, edit: (snapshot: Snapshot) => void = () => {}): SnapshotSource {
  const snapshot = structuredClone(demoSnapshot());
  for (const artifact of snapshot.Artifacts) {
    const sql = queries[artifact.Source?.SourceUri ?? ''];
    if (sql !== undefined) artifact.Properties[FEATURE_STORE_QUERY_PROPERTY] = Buffer.from(sql).toString('base64');
  }
  edit(snapshot);
  return new SnapshotSource(snapshot, 'test demo');
}

describe('on the demo', () => {
  // BUG: only selected columns counted: "No recorded feature-store query of a model's training data
  // selects claims.event_time", although fraud-detector's queries filter on cl.event_time.
  it('feature claims.event_time: fraud-detector filters on it', async () => {
    app = await startSlackApp();
    const blocks = await ask('feature claims.event_time');
    expect(section(blocks, BLOCK.summary)).toBe(
      '`claims.event_time` (Fractional) is used by the training queries of *1 model*. For *1 model* the features used are not known.',
    );
    expect(section(blocks, listBlockId('models'))).toBe('*Models*\n• `fraud-detector` — filter in test.csv, train.csv');
    // claims-severity reads claims through claims-enriched, whose queries name claims-enriched's table.
    expect(section(blocks, listBlockId('unknown_models'))).toBe(
      '*Models whose features are not known*\n• `claims-severity` — read through claims-enriched, a feature group built from it',
    );
  });

  // BUG: the join key was "unused" too.
  it('feature customers.customer_id: fraud-detector joins on it; churn-predictor does not use it', async () => {
    app = await startSlackApp();
    const blocks = await ask('feature customers.customer_id');
    expect(section(blocks, BLOCK.summary)).toBe('`customers.customer_id` (String) is used by the training queries of *1 model*.');
    expect(section(blocks, listBlockId('models'))).toBe('*Models*\n• `fraud-detector` — join key in test.csv, train.csv');
    expect(section(blocks, listBlockId('unknown_models'))).toBeUndefined();
  });

  it('deps and trail list each feature group’s features with how they are used', async () => {
    app = await startSlackApp();
    const expected =
      '• `claims` — customer_id (join key), claim_amount, incident_severity, collision_type, fraud (selected), event_time (filter)\n' +
      '• `customers` — customer_id (join key), age, tenure_months, num_claims_12m (selected)';
    expect(section(await ask('deps fraud-detector'), listBlockId('feature_groups'))).toBe(`*Feature groups and the features used*\n${expected}`);
    expect(section(await ask('trail fraud-detector'), listBlockId('featuregroup'))).toBe(`*Feature groups*\n${expected}`);
  });

  it('the claims-triage validation query names the table from before claims-v2 was re-created, and still counts', async () => {
    app = await startSlackApp();
    expect(section(await ask('feature claims-v2.event_time'), listBlockId('models'))).toBe('*Models*\n• `claims-triage` — ordering in validation.csv');
    expect(section(await ask('deps claims-triage'), listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n' +
        '• `claims-v2` — claim_id (window partition), claim_amount, incident_severity, police_report_available, triage_label (selected), event_time (ordering)',
    );
  });
});

describe('SELECT * and t.*', () => {
  it('select every feature of their table, through an alias and a subquery', async () => {
    app = await startSlackApp({
      source: demoWith({
        [CHURN_TRAIN]: 'SELECT * FROM "sagemaker_featurestore"."customers_1761958800"',
        ...Object.fromEntries(
          FRAUD_DATASETS.map((uri) => [
            uri,
            'SELECT c.*, cl.fraud FROM (SELECT * FROM "sagemaker_featurestore"."claims_1761958800" WHERE event_time > \'2025-01-01\') cl ' +
              'JOIN "sagemaker_featurestore"."customers_1761958800" c ON cl.customer_id = c.customer_id',
          ]),
        ),
      }),
    });
    // region is named by no query: only the stars select it.
    expect(section(await ask('feature customers.region'), listBlockId('models'))).toBe(
      '*Models*\n• `churn-predictor` — selected in train.csv\n• `fraud-detector` — selected in test.csv, train.csv',
    );
    // The subquery's * reaches the training data only as far as the outer query selects from it: cl.fraud.
    expect(section(await ask('deps fraud-detector'), listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n' +
        '• `claims` — customer_id (join key), fraud (selected), event_time (filter)\n' +
        '• `customers` — all features (selected); also customer_id (join key)',
    );
  });
});

describe('grouping', () => {
  it('a column grouped by is grouping; ORDER BY an output position is ordering of the column behind it', async () => {
    app = await startSlackApp({
      source: demoWith({ [CHURN_TRAIN]: 'SELECT region, avg(age) AS mean_age FROM "sagemaker_featurestore"."customers_1761958800" GROUP BY region ORDER BY 2' }),
    });
    expect(section(await ask('feature customers.region'), listBlockId('models'))).toBe('*Models*\n• `churn-predictor` — selected, grouping in train.csv');
    // ORDER BY 2 is mean_age, avg(age).
    expect(section(await ask('deps churn-predictor'), listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n• `customers` — age (selected, ordering), region (selected, grouping)',
    );
  });
});

describe('a query the bot cannot read', () => {
  // Crafted: a mention and a secret-looking literal, neither of which may reach Slack or the log.
  const unreadable = "SELECT c.age, FROM customers_1761958800 c WHERE c.ssn = '078-05-1120' <!channel>";

  it('is "features not known" for its model, never "none", and the log says why without quoting it', async () => {
    app = await startSlackApp({ source: demoWith(Object.fromEntries(FRAUD_DATASETS.map((uri) => [uri, unreadable]))) });
    const usage = await ask('feature customers.age');
    expect(section(usage, BLOCK.summary)).toBe(
      '`customers.age` (Integral) is used by the training queries of *1 model*. For *1 model* the features used are not known.',
    );
    expect(section(usage, listBlockId('models'))).toBe('*Models*\n• `churn-predictor` — selected in train.csv');
    expect(section(usage, listBlockId('unknown_models'))).toBe('*Models whose features are not known*\n• `fraud-detector` — the recorded query could not be read');

    const deps = await ask('deps fraud-detector');
    expect(section(deps, listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n' +
        '• `claims` — features not known: the recorded query could not be read\n' +
        '• `customers` — features not known: the recorded query could not be read',
    );
    const warnings = app.logs.filter((line) => line.includes('feature-store query cannot be read'));
    // Once per distinct query, however often it is asked about.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARN .*Features not known for dataset "arn:aws:sagemaker:us-east-1:111122223333:artifact\/[0-9a-f]{32}": .*the Trino grammar stops at line 1, column \d+/);
    for (const line of app.logs) for (const leak of ['078-05-1120', 'ssn', '<!channel>']) expect(line).not.toContain(leak);
  });

  it('with no other model, the answer still does not say that no model uses the feature', async () => {
    app = await startSlackApp({ source: demoWith(Object.fromEntries([...FRAUD_DATASETS, CHURN_TRAIN].map((uri) => [uri, unreadable]))) });
    const usage = await ask('feature customers.age');
    expect(section(usage, BLOCK.summary)).toBe('No readable training query uses `customers.age` (Integral), but the features *2 models* use are not known, so they may.');
    expect(section(usage, listBlockId('unknown_models'))).toBe(
      '*Models whose features are not known*\n• `churn-predictor` — the recorded query could not be read\n• `fraud-detector` — the recorded query could not be read',
    );
  });
});

describe('the offline-store table re-created with a new epoch suffix', () => {
  /** customers re-created after the models were trained: today's table is customers_1763000000. */
  const recreated = (snapshot: Snapshot) => {
    const customers = snapshot.FeatureGroups.find((g) => g.FeatureGroupName === 'customers');
    const catalog = customers?.OfflineStoreConfig?.DataCatalogConfig;
    if (!catalog) throw new Error('the demo changed: customers has no offline-store table');
    catalog.TableName = 'customers_1763000000';
  };

  // BUG: queries were matched to today's table name only, so `feature` answered that no model
  // uses customers.age once the table had been re-created.
  it('queries naming the earlier table still count for the group', async () => {
    app = await startSlackApp({ source: demoWith({}, recreated) });
    const usage = await ask('feature customers.age');
    expect(section(usage, listBlockId('models'))).toBe('*Models*\n• `churn-predictor` — selected in train.csv\n• `fraud-detector` — selected in test.csv, train.csv');
    expect(section(await ask('deps fraud-detector'), listBlockId('feature_groups'))).toContain('• `customers` — customer_id (join key), age, tenure_months, num_claims_12m (selected)');
  });

  it('a query naming no table of the group: features not known for that model, not "no model uses it"', async () => {
    app = await startSlackApp({
      source: demoWith({ [CHURN_TRAIN]: 'SELECT age, region FROM "sagemaker_featurestore"."customer_profiles_1761958800"' }, recreated),
    });
    const usage = await ask('feature customers.region');
    expect(section(usage, BLOCK.summary)).toBe('No readable training query uses `customers.region` (String), but the features *1 model* uses are not known, so it may.');
    expect(section(usage, listBlockId('unknown_models'))).toBe(
      '*Models whose features are not known*\n• `churn-predictor` — the query names no table of this feature group',
    );
    expect(section(await ask('deps churn-predictor'), listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n• `customers` — features not known: the query names no table of this feature group',
    );
  });
});
