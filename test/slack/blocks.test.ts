// Builders tested by block_id and exact values; limits and escaping on hostile data.
import type { ActionsBlock, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { BLOCK, buildAnswer, buildError } from '../../blocks/index.js';
import { listBlockId } from '../../blocks/ids.js';
import { code, escape, fitLines, LIMITS, truncate } from '../../blocks/text.js';
import type { ConsumersAnswer, DependenciesAnswer, EntityRef, FeaturesUsed, FeatureUsageAnswer, TrailAnswer } from '../../src/lineage/answers.js';
import type { Answer } from '../../src/lineage/questions.js';
import { demoService } from '../support/demo.js';
import { expectMessageWithinLimits, tableRows } from '../support/slack-limits.js';

const find = <T extends KnownBlock>(blocks: KnownBlock[], id: string) => blocks.find((b) => 'block_id' in b && b.block_id === id) as T | undefined;
const sectionText = (blocks: KnownBlock[], id: string) => find<SectionBlock>(blocks, id)?.text?.text;

function ref(kind: EntityRef['kind'], name: string): EntityRef {
  return { kind, name, arn: `arn:aws:sagemaker:us-east-1:111122223333:artifact/${name.length}` };
}

/** Every limit Slack enforces, checked on one message (test/support/slack-limits.ts). */
function expectWithinLimits(blocks: KnownBlock[]): void {
  expectMessageWithinLimits({ blocks });
}

describe('text helpers', () => {
  it('escapes &, < and > so data cannot mention or link', () => {
    expect(escape('<!channel> & <https://evil|click>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil|click&gt;');
    expect(code('a`b<c')).toBe('`aˋb&lt;c`');
  });

  it('truncates with an ellipsis without splitting an entity', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('fits lines and counts what did not fit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(50)}`);
    const text = fitLines(lines, 500);
    expect(text.length).toBeLessThanOrEqual(500);
    const shown = text.split('\n').length - 1;
    expect(text.endsWith(`…and ${100 - shown} more`)).toBe(true);
  });
});

describe('buildAnswer on the demo', () => {
  it('consumers: header, summary, lists and next steps by id', async () => {
    const { blocks, text } = buildAnswer(await demoService().consumers('customers'));
    expect(find<HeaderBlock>(blocks, BLOCK.header)?.text.text).toBe('Consumers of feature group customers');
    expect(sectionText(blocks, BLOCK.summary)).toBe('*2 models* and *2 endpoints* consume feature group `customers`, through 3 datasets.');
    expect(sectionText(blocks, listBlockId('models'))).toBe(
      '*Models*\n• `churn-predictor` → `churn-predictor-prod`\n• `fraud-detector` → `fraud-detector-prod`',
    );
    const actions = find<ActionsBlock>(blocks, BLOCK.nextSteps);
    expect(actions?.elements.map((e) => (e.type === 'button' ? [e.action_id, e.text.text, e.value] : []))).toEqual([
      ['lineage_next:0', 'Upstream sources', '{"q":"upstream","i":"customers"}'],
      ['lineage_next:1', 'Owners', '{"q":"owners","i":"customers"}'],
      ['lineage_next:2', 'Trail of churn-predictor', '{"q":"trail","i":"churn-predictor","as":"Model"}'],
      ['lineage_next:3', 'Trail of fraud-detector', '{"q":"trail","i":"fraud-detector","as":"Model"}'],
      ['lineage_graph', 'Graph', '{"i":"arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers"}'],
    ]);
    expect(text).toBe('Consumers of customers: 2 models, 2 endpoints');
    expectWithinLimits(blocks);
  });

  it('every question renders within limits', async () => {
    const service = demoService();
    const answers = await Promise.all([
      service.dependencies('fraud-detector-prod', 'Endpoint'),
      service.consumers('claims-v2'),
      service.upstream('claims'),
      service.builtFrom('s3://demo-ml-lake/raw/claims.csv'),
      service.trail('fraud-detector'),
      service.featureUsage('customers.age'),
      service.search('fraud'),
    ]);
    for (const answer of answers) expectWithinLimits(buildAnswer(answer).blocks);
  });

  it('dependencies lists features per group', async () => {
    const { blocks } = buildAnswer(await demoService().dependencies('fraud-detector-prod', 'Endpoint'));
    expect(sectionText(blocks, listBlockId('feature_groups'))).toBe(
      '*Feature groups and the features used*\n' +
        '• `claims` — customer_id (join key), claim_amount, incident_severity, collision_type, fraud (selected), event_time (filter)\n' +
        '• `customers` — customer_id (join key), age, tenure_months, num_claims_12m (selected)',
    );
  });
});

describe('hostile and oversized data', () => {
  const evil = '<!channel> *bold* & <https://evil.example|click me>';

  it('escapes crafted names everywhere they appear', () => {
    const answer: ConsumersAnswer = {
      question: 'consumers',
      subject: ref('FeatureGroup', evil),
      models: [{ model: ref('Model', `${evil} model`), endpoints: [ref('Endpoint', '<@U123>')] }],
      endpoints: [ref('Endpoint', '<@U123>')],
      datasetCount: 0,
      derivedGroups: [],
    };
    const { blocks } = buildAnswer(answer);
    const all = JSON.stringify(blocks.filter((b) => b.type !== 'header' && b.type !== 'actions'));
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U123>');
    expect(all).not.toContain('<https://evil');
    expect(all).toContain('&lt;!channel&gt;');
  });

  /** One answer of every kind whose subject (and, for search and features, text) is `name`. */
  function everyAnswer(name: string): Answer[] {
    const subject = (kind: EntityRef['kind']) => ref(kind, name);
    return [
      { question: 'consumers', subject: subject('FeatureGroup'), models: [], endpoints: [], datasetCount: 0, derivedGroups: [] },
      { question: 'dependencies', subject: subject('Model'), featureGroups: [], models: [], trainingJobs: [] },
      { question: 'upstream', subject: subject('FeatureGroup'), dataSources: [], pipelines: [], code: [], featureGroups: [] },
      { question: 'builtFrom', subject: subject('DataSource'), featureGroups: [] },
      { question: 'trail', subject: subject('Model'), stages: [] },
      { question: 'featureUsage', featureGroup: subject('FeatureGroup'), feature: { name, type: 'String' }, models: [], unknownModels: [], unusedDatasets: [], matchable: true },
      { question: 'search', text: name, hits: [], more: false },
      { question: 'owners', subject: subject('Model'), entries: [] },
      { question: 'features', subject: subject('FeatureGroup'), features: [], recordIdentifier: 'id', eventTime: 'ts' },
    ];
  }

  it('escapes data in the fallback text too: Slack parses it, so a crafted S3 URI there would ping the channel', () => {
    for (const answer of everyAnswer(`s3://lake/${evil}/<!here>/<@U123>.csv`)) {
      const { text } = buildAnswer(answer);
      for (const ping of ['<!channel>', '<!here>', '<@U123>', '<https://evil']) expect(text, answer.question).not.toContain(ping);
      expect(text, answer.question).toContain('&lt;!channel&gt;');
    }
  });

  it('keeps the fallback text within LIMITS.fallbackText for a 5,000-character S3 URI', () => {
    for (const answer of everyAnswer(`s3://lake/${'&'.repeat(5000)}.csv`)) {
      const { text } = buildAnswer(answer);
      expect(text.length, answer.question).toBeLessThanOrEqual(LIMITS.fallbackText);
      expect(text, answer.question).toMatch(/&amp;…/);
    }
  });

  it('pages hundreds of consumers with a count and a "more" button instead of cutting them off', () => {
    const models = Array.from({ length: 400 }, (_, i) => ({ model: ref('Model', `model-${String(i).padStart(3, '0')}-${'m'.repeat(40)}`), endpoints: [] }));
    const answer: ConsumersAnswer = { question: 'consumers', subject: ref('FeatureGroup', 'hot'), models, endpoints: [], datasetCount: 0, derivedGroups: [] };
    const request = { question: 'consumers' as const, input: 'hot' };
    const first = buildAnswer(answer, { page: 0, request }).blocks;
    expectWithinLimits(first);
    expect(sectionText(first, BLOCK.summary)).toContain('*400 models*');
    expect(sectionText(first, listBlockId('models'))?.split('\n')[0]).toBe('*Models (1–30 of 400)*');
    const more = find<ActionsBlock>(first, BLOCK.nextSteps)?.elements[0];
    expect(more?.type === 'button' && [more.text.text, more.value]).toEqual(['More (31–60 of 400)', '{"q":"consumers","i":"hot","p":1}']);
    const last = buildAnswer(answer, { page: 13, request }).blocks;
    expect(sectionText(last, listBlockId('models'))?.split('\n')[0]).toBe('*Models (391–400 of 400)*');
    // A long list in a message is a table: the page's heading above it, a row a model.
    expect(sectionText(last, listBlockId('models'))).toBe('*Models (391–400 of 400)*');
    expect(tableRows(last, listBlockId('models_table'))?.map((row) => row[0])).toEqual([
      'Model',
      ...models.slice(390).map((m) => m.model.name),
    ]);
    expect(tableRows(last, listBlockId('models_table'))?.[1]?.slice(1)).toEqual(['none', 'directly']);
    const lastButtons = find<ActionsBlock>(last, BLOCK.nextSteps)?.elements.map((e) => (e.type === 'button' ? e.text.text : ''));
    expect(lastButtons?.some((label) => label.startsWith('More'))).toBe(false);
  });

  it('a page the service named alone: its range and counts over every consumer, More to the next, nothing cut where a table is not allowed', () => {
    // SageMaker's longest names: 30 such lines do not fit one section.
    const models = Array.from({ length: 30 }, (_, i) => ({
      model: ref('Model', `model-${String(30 + i).padStart(3, '0')}-${'m'.repeat(55)}`),
      endpoints: [ref('Endpoint', `model-${String(30 + i).padStart(3, '0')}-${'e'.repeat(50)}-prod`)],
    }));
    const page = { index: 1, start: 30, size: 30, models: 300, endpoints: 280, modelsThrough: 12, endpointsThrough: 0 };
    const answer: ConsumersAnswer = { question: 'consumers', subject: ref('FeatureGroup', 'hot'), models, endpoints: models.flatMap((m) => m.endpoints), datasetCount: 300, derivedGroups: [], page };
    const request = { question: 'consumers' as const, input: 'hot' };
    for (const tables of [true, false]) {
      const blocks = buildAnswer(answer, { page: 1, request, tables }).blocks;
      expectWithinLimits(blocks);
      expect(sectionText(blocks, BLOCK.summary)).toBe('*300 models* and *280 endpoints* consume feature group `hot`, through 300 datasets.');
      expect(sectionText(blocks, listBlockId('models'))?.split('\n')[0]).toBe('*Models (31–60 of 300)*');
      expect(sectionText(blocks, listBlockId('endpoints'))?.split('\n')[0]).toBe('*Endpoints of these models (30 of 280)*');
      const more = find<ActionsBlock>(blocks, BLOCK.nextSteps)?.elements[0];
      expect(more?.type === 'button' && [more.text.text, more.value]).toEqual(['More (61–90 of 300)', '{"q":"consumers","i":"hot","p":2}']);
      const shown = JSON.stringify(blocks);
      for (const { model } of models) expect(shown).toContain(model.name);
      expect(shown).not.toMatch(/…and \d+ more/);
    }
    // As a list, in sections that each fit.
    const listed = buildAnswer(answer, { page: 1, request, tables: false }).blocks;
    expect(sectionText(listed, listBlockId('models_2'))?.split('\n')[0]).toBe('*Models (31–60 of 300), continued*');
    // The last page: no More.
    const last = buildAnswer({ ...answer, models: models.slice(0, 10), page: { ...page, index: 9, start: 270, size: 10, models: 280 } }, { page: 9, request }).blocks;
    expect(sectionText(last, listBlockId('models'))?.split('\n')[0]).toBe('*Models (271–280 of 280)*');
    expect(find<ActionsBlock>(last, BLOCK.nextSteps)?.elements.some((e) => e.type === 'button' && e.text.text.startsWith('More'))).toBe(false);
  });

  it('cuts long names to header and button limits', () => {
    const long = 'x'.repeat(300);
    const answer: TrailAnswer = {
      question: 'trail',
      subject: ref('Model', long),
      stages: [{ kind: 'FeatureGroup', entities: [ref('FeatureGroup', long)] }],
      truncation: { depthExceeded: true, sizeExceeded: false, maxDepth: 30, maxVertices: 5000 },
    };
    const { blocks } = buildAnswer(answer);
    expectWithinLimits(blocks);
    expect(find<HeaderBlock>(blocks, BLOCK.header)?.text.text.endsWith('…')).toBe(true);
    const note = blocks.find((b) => b.type === 'context' && b.block_id === BLOCK.truncation);
    expect(JSON.stringify(note)).toContain('Partial answer:* some lineage lies more than 30 hops away');
  });

  it('errors are one section and an optional hint', () => {
    const { blocks, text } = buildError('Nope.', 'Try again.');
    expect(text).toBe('Nope.');
    expect(sectionText(blocks, BLOCK.error)).toBe(':warning: Nope.');
    expect(blocks).toHaveLength(2);
  });
});

describe('search', () => {
  it('an empty result names the kinds searched, not "nothing", since jobs and pipelines are not searched', async () => {
    // fraud-feature-pipeline-20251101 is a processing job in the demo's trails.
    const message = buildAnswer(await demoService().search('fraud-feature-pipeline'));
    expect(sectionText(message.blocks, BLOCK.summary)).toBe(
      'No feature group, model, endpoint or data source is named like `fraud-feature-pipeline`. Try a shorter part of the name.',
    );
  });

  it('counts one match in the singular in the fallback text', async () => {
    expect(buildAnswer(await demoService().search('churn-predictor-prod')).text).toBe('1 match for churn-predictor-prod');
  });
});

describe('an empty answer cut short by a limit', () => {
  it('does not claim that nothing is downstream, or built from the source', async () => {
    const shallow = demoService({ maxDepth: 1 });
    const consumers = buildAnswer(await shallow.consumers('customers'));
    expect(sectionText(consumers.blocks, BLOCK.summary)).toBe(
      'No model or endpoint was found downstream of feature group `customers` before the walk stopped.',
    );
    expect(find(consumers.blocks, BLOCK.truncation)).toBeDefined();
    const builtFrom = buildAnswer(await shallow.builtFrom('s3://demo-ml-lake/raw/claims.csv'));
    expect(sectionText(builtFrom.blocks, BLOCK.summary)).toBe(
      'No feature group built from `s3://demo-ml-lake/raw/claims.csv` was found before the walk stopped.',
    );
    expect(find(builtFrom.blocks, BLOCK.truncation)).toBeDefined();
  });

  it('does not claim that no feature group is upstream, or that no model uses a feature', async () => {
    const shallow = demoService({ maxDepth: 1 });
    const deps = buildAnswer(await shallow.dependencies('fraud-detector', 'Model'));
    expect(sectionText(deps.blocks, BLOCK.summary)).toBe('No feature group was found upstream of model `fraud-detector` before the walk stopped.');
    const usage = buildAnswer(await shallow.featureUsage('customers.age'));
    expect(sectionText(usage.blocks, BLOCK.summary)).toBe('No model using `customers.age` (Integral) was found before the walk stopped.');
    expect(sectionText(usage.blocks, listBlockId('unused_datasets'))).toMatch(/^\*Datasets using it, with no model found before the walk stopped\*\n• `s3:\/\/demo-ml-lake\/datasets\/churn-predictor\/train\/train.csv` — selected\n/);
    const note = find<ContextBlock>(usage.blocks, BLOCK.truncation)?.elements[0];
    expect(note && 'text' in note ? note.text : '').toContain('more than 1 hop away');
  });

  it('still says "yet" when the walk was complete', async () => {
    const policies = buildAnswer(await demoService().builtFrom('s3://demo-ml-lake/raw/policies.csv'));
    expect(sectionText(policies.blocks, BLOCK.summary)).toBe('No feature group is built from `s3://demo-ml-lake/raw/policies.csv` yet.');
  });

  it('does not claim an upstream without data sources when the walk stopped before them', async () => {
    const answer = await demoService({ maxDepth: 1 }).upstream('claims');
    expect(answer.dataSources).toEqual([]);
    expect(answer.pipelines).toHaveLength(1);
    const message = buildAnswer(answer);
    expect(sectionText(message.blocks, BLOCK.summary)).toBe(
      'Feature group `claims` is built by *at least 1 pipeline*; no data source was found before the walk stopped.',
    );
    expect(message.text).toBe('claims: 0 data sources and 1 pipeline found upstream before the walk stopped');
    expect(find(message.blocks, BLOCK.truncation)).toBeDefined();
    const none = buildAnswer(await demoService({ maxDepth: 0 }).upstream('claims'));
    expect(sectionText(none.blocks, BLOCK.summary)).toBe('No data source or pipeline was found upstream of feature group `claims` before the walk stopped.');
  });
});

describe('how features are used, as answers list them', () => {
  const group = (name: string, features: FeaturesUsed): DependenciesAnswer => ({
    question: 'dependencies',
    subject: ref('Model', 'm'),
    featureGroups: [{ featureGroup: ref('FeatureGroup', name), features, datasets: [] }],
    models: [],
    trainingJobs: [],
  });
  const line = (features: FeaturesUsed) => sectionText(buildAnswer(group('g', features)).blocks, listBlockId('feature_groups'))?.split('\n')[1];

  it('consecutive features used alike share one parenthesis, in the group’s order', () => {
    expect(
      line({
        used: [
          { name: 'customer_id', uses: ['joinKey'] },
          { name: 'age', uses: ['selected'] },
          { name: 'income', uses: ['selected'] },
          { name: 'event_time', uses: ['filter', 'ordering'] },
        ],
        allSelected: false,
        unknown: [],
      }),
    ).toBe('• `g` — customer_id (join key), age, income (selected), event_time (filter, ordering)');
  });

  it('SELECT *: all features, and what else some are used for', () => {
    expect(
      line({
        used: [
          { name: 'customer_id', uses: ['selected', 'joinKey'] },
          { name: 'age', uses: ['selected'] },
          { name: 'event_time', uses: ['selected', 'partition'] },
        ],
        allSelected: true,
        unknown: [],
      }),
    ).toBe('• `g` — all features (selected); also customer_id (join key), event_time (window partition)');
  });

  it('what the queries cannot tell is said, with why, next to what they do tell', () => {
    const dataset = ref('Dataset', 's3://lake/ds.csv');
    expect(line({ used: [], allSelected: false, unknown: [{ reason: 'no-query', datasets: [dataset] }] })).toBe(
      '• `g` — features not known: no feature-store query is recorded',
    );
    expect(line({ used: [{ name: 'age', uses: ['selected'] }], allSelected: false, unknown: [{ reason: 'unreadable-query', datasets: [dataset] }] })).toBe(
      '• `g` — age (selected); others may be used (for 1 dataset, the recorded query could not be read)',
    );
    expect(
      line({ used: [], allSelected: false, unknown: [{ reason: 'through-feature-group', datasets: [], through: [ref('FeatureGroup', 'g-enriched')] }] }),
    ).toBe('• `g` — features not known: read through g-enriched, a feature group built from it');
  });

  it('a group of thousands of features stays one line within a section, counting what it leaves out', () => {
    const used = Array.from({ length: 3000 }, (_, i) => ({ name: `feature_number_${i}`, uses: i % 7 === 0 ? (['filter'] as const) : (['selected'] as const) }));
    const features: FeaturesUsed = { used: used.map((f) => ({ name: f.name, uses: [...f.uses] })), allSelected: false, unknown: [] };
    const message = buildAnswer(group('wide', features));
    expectWithinLimits(message.blocks);
    const shown = line(features) ?? '';
    expect(shown.length).toBeLessThan(1400);
    const left = Number(/and (\d+) more features$/.exec(shown)?.[1]);
    expect(left).toBeGreaterThan(2800);
    expect(shown).toMatch(/\((selected|filter)\), and \d+ more features$/);
  });

  it('feature names from data are escaped', () => {
    const text = line({ used: [{ name: '<!channel> & <@U1>', uses: ['selected'] }], allSelected: false, unknown: [] });
    expect(text).toBe('• `g` — &lt;!channel&gt; &amp; &lt;@U1&gt; (selected)');
  });

  it('feature usage: models known to use it, and models whose features are not known, each in their list', () => {
    const answer: FeatureUsageAnswer = {
      question: 'featureUsage',
      featureGroup: ref('FeatureGroup', 'customers'),
      feature: { name: 'age', type: 'Integral' },
      models: [{ model: ref('Model', 'fraud'), datasets: [ref('Dataset', 's3://lake/fraud/train.csv')], uses: ['selected', 'filter'] }],
      unknownModels: [{ model: ref('Model', 'churn'), unknown: [{ reason: 'no-matching-table', datasets: [ref('Dataset', 's3://lake/churn/train.csv')] }] }],
      unusedDatasets: [],
      matchable: true,
    };
    const { blocks, text } = buildAnswer(answer);
    expect(sectionText(blocks, BLOCK.summary)).toBe('`customers.age` (Integral) is used by the training queries of *1 model*. For *1 model* the features used are not known.');
    expect(sectionText(blocks, listBlockId('models'))).toBe('*Models*\n• `fraud` — selected, filter in train.csv');
    expect(sectionText(blocks, listBlockId('unknown_models'))).toBe('*Models whose features are not known*\n• `churn` — the query names no table of this feature group');
    expect(text).toBe('customers.age is used by 1 model; not known for 1 model');
  });
});
