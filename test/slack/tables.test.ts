// Block Kit's `table` block: the impact answer, the notice summary and long consumer lists show
// one where a message allows it, within Slack's rules (one table a message, 100 rows of 20 cells,
// messages only), cut and said so when too long, inert whatever the data, and readable in the
// console; where a table is not allowed the builders keep their lists.
import { describe, expect, it } from 'vitest';
import { buildFinalReport, buildImpact, buildSummary, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { buildAnswer } from '../../blocks/index.js';
import { listBlockId } from '../../blocks/ids.js';
import type { ConsumersAnswer, EntityRef } from '../../src/lineage/answers.js';
import type { Notice } from '../../src/notices/model.js';
import type { NoticeStatus, RecipientStatus } from '../../src/notices/status.js';
import { cellText, table, TABLE_LIMITS } from '../../blocks/table.js';
import { renderMessage } from '../../src/console/render.js';
import type { Impact, ImpactResource } from '../../src/notices/impact.js';
import { everyText, expectMessageWithinLimits, messageViolations, tableRows, viewViolations } from '../support/slack-limits.js';
import { sampleNotice } from '../support/slack-world.js';

const EVIL = '<!channel><!here><@U123>&amp;<https://evil|click>';

function resource(i: number, extra: Partial<ImpactResource> = {}): ImpactResource {
  return { kind: i % 2 === 0 ? 'Model' : 'Endpoint', name: `model-${i}`, owners: [`owner${i}@example.com`], channels: [], addressedTo: [`user:U${i}`], ...extra };
}

function impactOf(resources: ImpactResource[]): Impact {
  return { featureGroup: { name: 'customers', exists: true }, lineageRecorded: true, resources, recipients: [], unreachable: [] };
}

const blockOf = (blocks: readonly unknown[], id: string) => blocks.find((b) => (b as { block_id?: string }).block_id === id) as { type: string; elements?: { text: string }[] } | undefined;

describe('the impact answer as a table', () => {
  it('cuts a big impact at Slack\'s row cap and says how many rows it shows', () => {
    const message = buildImpact(impactOf(Array.from({ length: 340 }, (_, i) => resource(i))));
    expectMessageWithinLimits(message, 'impact of 340');
    const rows = tableRows(message.blocks, NOTICE_BLOCK.resources)!;
    expect(rows).toHaveLength(TABLE_LIMITS.rows);
    expect(rows[1]).toEqual(['model-0', 'model', '—', 'owner0@example.com', 'yes', 'directly']);
    expect(rows.at(-1)?.[0]).toBe('model-98');
    expect(blockOf(message.blocks, NOTICE_BLOCK.resourcesCut)?.elements?.[0]?.text).toBe(
      'The table shows the first 99 of 340 models and endpoints: a table holds no more.',
    );
    // The fallback still counts everything, for notifications and screen readers.
    expect(message.text).toContain('340 models and endpoints');
  });

  it('stops within the text budget when long names would pass it before the row cap', () => {
    const long = Array.from({ length: 99 }, (_, i) => resource(i, { name: `${'m'.repeat(200)}-${i}`, owners: ['o'.repeat(200)] }));
    const message = buildImpact(impactOf(long));
    expectMessageWithinLimits(message, 'impact of long names');
    const shown = tableRows(message.blocks, NOTICE_BLOCK.resources)!.length - 1;
    expect(shown).toBeLessThan(99);
    expect(blockOf(message.blocks, NOTICE_BLOCK.resourcesCut)?.elements?.[0]?.text).toBe(`The table shows the first ${shown} of 99 models and endpoints: a table holds no more.`);
  });

  it('shows no cut note when everything fits', () => {
    const message = buildImpact(impactOf([resource(0), resource(1)]));
    expect(tableRows(message.blocks, NOTICE_BLOCK.resources)).toHaveLength(3);
    expect(blockOf(message.blocks, NOTICE_BLOCK.resourcesCut)).toBeUndefined();
  });

  it('renders hostile data inert: no cell can hold markup, a ping or an empty text', () => {
    const hostile = resource(0, { name: EVIL, owners: [EVIL, ''], channels: [`<#C1>${'x'.repeat(5000)}`], status: `<!here>`, through: [EVIL] });
    const message = buildImpact(impactOf([hostile, resource(1, { owners: [], channels: [] })]));
    expectMessageWithinLimits(message, 'hostile impact');
    const rows = tableRows(message.blocks, NOTICE_BLOCK.resources)!;
    expect(rows[1]?.[0]).toBe('‹!channel›‹!here›‹@U123›&amp;‹https://evil|click›');
    expect(rows[2]?.[3]).toBe('no owner tag');
    for (const text of everyText(message.blocks)) expect(text).not.toMatch(/<[!@#]/);
  });

  it('says owners are not known, not absent, where SageMaker would not give the tags', () => {
    const unread = resource(0, { owners: [], channels: [], addressedTo: [] });
    const impact: Impact = { ...impactOf([unread, resource(1, { owners: [], channels: [], addressedTo: [] })]), unreachable: [{ value: '', reason: 'tags_unreadable', detail: 'Throttled', resources: [{ kind: 'Model', name: 'model-0' }] }] };
    const message = buildImpact(impact);
    expect(tableRows(message.blocks, NOTICE_BLOCK.resources)?.slice(1).map((row) => row[3])).toEqual(['not known (tags unreadable)', 'no owner tag']);
    const listed = buildImpact(impact, '/lineage', { tables: false });
    expect((blockOf(listed.blocks, NOTICE_BLOCK.resources) as { text?: { text: string } }).text?.text.split('\n').slice(1)).toEqual([
      '• `model-0` (model) — owners not known — :warning: nobody reachable',
      '• `model-1` (endpoint) — no owner tag — :warning: nobody reachable',
    ]);
  });

  it('keeps the list where a table is not allowed', () => {
    const message = buildImpact(impactOf([resource(0)]), '/lineage', { tables: false });
    expect(message.blocks.some((b) => b.type === 'table')).toBe(false);
    expect((blockOf(message.blocks, NOTICE_BLOCK.resources) as { text?: { text: string } } | undefined)?.text?.text).toBe(
      '*Affected models and endpoints, with their owners*\n• `model-0` (model) — `owner0@example.com`',
    );
  });

  it('reads as aligned columns in the console', () => {
    const rendered = renderMessage(buildImpact(impactOf([resource(0), resource(1, { status: 'InService', channels: ['#fraud-ml'] })]))).text;
    expect(rendered).toContain(
      [
        'Model or endpoint  Kind      Status     Owners                         Would be told  Through',
        '-----------------  --------  ---------  -----------------------------  -------------  --------',
        'model-0            model     —          owner0@example.com             yes            directly',
        'model-1            endpoint  InService  #fraud-ml, owner1@example.com  yes            directly',
      ].join('\n'),
    );
    expect(rendered).not.toContain('(table block)');
  });
});

const NOTICE: Notice = sampleNotice();

function owner(i: number, extra: Partial<RecipientStatus> = {}): RecipientStatus {
  return {
    noticeId: NOTICE.id,
    key: `channel:C${i}`,
    type: 'channel',
    targetId: `C${i}`,
    label: `#team-${i}`,
    owners: [`C${i}`],
    resources: [{ kind: 'Model', name: `model-${i}` }],
    delivery: { status: 'sent', attempts: 1 },
    ...extra,
  };
}

describe('the notice summary as a table', () => {
  it('mentions who acknowledged for a team and where it was escalated, as rich_text elements, and nothing else', () => {
    const status: NoticeStatus = {
      notice: NOTICE,
      recipients: [
        owner(1, { escalatedTo: 'CESC' }),
        owner(2, { label: EVIL, ack: { noticeId: NOTICE.id, recipientKey: 'channel:C2', userId: 'UANA', at: Date.parse('2026-01-06T10:15:00Z') } }),
        // Not IDs: said as words, never as a mention.
        owner(3, { escalatedTo: '<!channel>', ack: { noticeId: NOTICE.id, recipientKey: 'channel:C3', userId: '<!here>', at: Date.parse('2026-02-02T00:00:00Z') } }),
      ],
    };
    const summary = buildSummary(status);
    expectMessageWithinLimits(summary, 'summary', { allowedMentions: ['UPRIYA'] });
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#team-1', 'model-1', 'waiting; escalated to <#CESC>', '—'],
      ['‹!channel›‹!here›‹@U123›&amp;‹https://evil|click›', 'model-2', 'acknowledged', 'by <@UANA>, 2026-01-06 10:15 UTC'],
      ['#team-3', 'model-3', 'acknowledged', 'by ‹!here›, 2026-02-02 00:00 UTC (late, after the date)'],
    ]);
    const rendered = renderMessage(summary).text;
    expect(rendered).toContain(
      [
        'Owner                                              Models and endpoints  Status                       Acknowledged',
        '-------------------------------------------------  --------------------  ---------------------------  -------------------------------------------------------',
        '#team-1                                            model-1               waiting; escalated to #CESC  —',
        '‹!channel›‹!here›‹@U123›&amp;‹https://evil|click›  model-2               acknowledged                 by @UANA, 2026-01-06 10:15 UTC',
        '#team-3                                            model-3               acknowledged                 by ‹!here›, 2026-02-02 00:00 UTC (late, after the date)',
      ].join('\n'),
    );
  });

  it('cuts 500 owners at the row cap on the summary and the report, and the lists stay where no table is allowed', () => {
    const status: NoticeStatus = { notice: NOTICE, recipients: Array.from({ length: 500 }, (_, i) => owner(i)) };
    for (const message of [buildSummary(status), buildFinalReport(status)]) {
      expectMessageWithinLimits(message, 'big summary', { allowedMentions: ['UPRIYA'] });
      expect(tableRows(message.blocks, NOTICE_BLOCK.recipientTable)).toHaveLength(TABLE_LIMITS.rows);
      expect(blockOf(message.blocks, NOTICE_BLOCK.recipientsCut)?.elements?.[0]?.text).toBe('The table shows the first 99 of 500 owners: a table holds no more.');
    }
    const listed = buildSummary(status, { tables: false });
    expect(listed.blocks.some((b) => b.type === 'table')).toBe(false);
    expect((blockOf(listed.blocks, NOTICE_BLOCK.pending) as { text?: { text: string } }).text?.text).toMatch(/^\*Waiting for\*\n• #team-0 — `model-0`\n.*…and \d+ more$/s);
  });
});

const ref = (kind: EntityRef['kind'], name: string): EntityRef => ({ kind, name, arn: `arn:aws:sagemaker:us-east-1:111122223333:${kind.toLowerCase()}/${name}` });

function consumersOf(count: number, name = (i: number) => `model-${i}`): ConsumersAnswer {
  const models = Array.from({ length: count }, (_, i) => ({
    model: ref('Model', name(i)),
    endpoints: i % 2 === 0 ? [ref('Endpoint', `${name(i)}-prod`)] : [],
    ...(i === 1 ? { through: [ref('FeatureGroup', 'customers-enriched')] } : {}),
  }));
  const endpoints = models.flatMap((m) => m.endpoints.map((e) => ({ ...e, status: 'InService' })));
  return { question: 'consumers', subject: ref('FeatureGroup', 'customers'), models, endpoints, datasetCount: 0, derivedGroups: [] };
}

describe('a long consumer list as a table', () => {
  const request = { question: 'consumers' as const, input: 'customers' };

  it('shows a table from six models, a list below that, and the list where no table is allowed', () => {
    const long = buildAnswer(consumersOf(6), { page: 0, request });
    expectMessageWithinLimits(long, 'six consumers');
    expect(tableRows(long.blocks, listBlockId('models_table'))?.slice(0, 3)).toEqual([
      ['Model', 'Endpoints', 'Through'],
      ['model-0', 'model-0-prod (InService)', 'directly'],
      ['model-1', 'none', 'customers-enriched'],
    ]);
    const short = buildAnswer(consumersOf(5), { page: 0, request });
    expect(short.blocks.some((b) => b.type === 'table')).toBe(false);
    const listed = buildAnswer(consumersOf(6), { page: 0, request, tables: false });
    expect(listed.blocks.some((b) => b.type === 'table')).toBe(false);
    expect((blockOf(listed.blocks, listBlockId('models')) as { text?: { text: string } }).text?.text.split('\n')[1]).toBe('• `model-0` → `model-0-prod`');
  });

  it('keeps hostile names inert in the cells', () => {
    const message = buildAnswer(consumersOf(8, (i) => `${EVIL}-${i}`), { page: 0, request });
    expectMessageWithinLimits(message, 'hostile consumers');
    expect(tableRows(message.blocks, listBlockId('models_table'))?.[1]?.[0]).toBe('‹!channel›‹!here›‹@U123›&amp;‹https://evil|click›-0');
  });
});

describe('the limits checker on tables', () => {
  const columns = [{ title: 'A', cell: (s: string) => s }];
  const one = table('t1', columns, ['x']).block;

  it('passes a table built within the limits', () => {
    expect(messageViolations({ blocks: [one] })).toEqual([]);
  });

  it('refuses a second table, a table in a view, too many rows or cells, ragged rows and empty cells', () => {
    expect(messageViolations({ blocks: [one, { ...one, block_id: 't2' }] })).toEqual(['block 1 (table t2): a second table in one message (Slack allows one)']);
    expect(viewViolations({ type: 'home', blocks: [one] })).toEqual(['block 0 (table): a table outside a message (Slack allows tables in messages only)']);
    const cell = { type: 'raw_text', text: 'x' };
    expect(messageViolations({ blocks: [{ type: 'table', rows: Array.from({ length: 101 }, () => [cell]) }] })).toEqual(['block 0 (table): 101 table rows (at most 100)']);
    expect(messageViolations({ blocks: [{ type: 'table', rows: [Array.from({ length: 21 }, () => cell)] }] })).toEqual(['block 0 (table): row 0 has 21 cells (at most 20)']);
    expect(messageViolations({ blocks: [{ type: 'table', rows: [[cell, cell], [cell]] }] })).toEqual(['block 0 (table): row 1 has 1 cells, the heading 2']);
    expect(messageViolations({ blocks: [{ type: 'table', rows: [[{ type: 'raw_text', text: '' }]] }] })).toEqual([
      'block 0 (table) cell 0,0: empty raw_text (Slack wants at least 1 character)',
    ]);
    expect(messageViolations({ blocks: [{ type: 'table', rows: [[{ type: 'raw_text', text: '<!channel>' }]] }] })).toEqual([
      'block 0 (table) cell 0,0: angle bracket in raw_text "<!channel>"',
    ]);
  });

  it('cuts a cell to the bound and never leaves it empty', () => {
    expect(cellText('   ')).toBe('—');
    expect(cellText('a\nb\tc')).toBe('a b c');
    expect(cellText('x'.repeat(1000))).toHaveLength(TABLE_LIMITS.cellText);
  });
});
