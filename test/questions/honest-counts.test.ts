// A walk cut short counts what it reached: every builder says "at least" and never says something
// is absent that the walk did not reach. By block id and exact text, on the demo with small limits.
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { BLOCK, buildAnswer } from '../../blocks/index.js';
import { buildHomeView } from '../../blocks/home.js';
import { buildFinalReport, buildSummary, buildWhoElse, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import type { NoticeStatus } from '../../src/notices/status.js';
import type { Notice } from '../../src/notices/model.js';
import { demoService } from '../support/demo.js';

const text = (blocks: readonly KnownBlock[], id: string): string | undefined => {
  const block = blocks.find((b) => 'block_id' in b && b.block_id === id) as { text?: { text: string }; elements?: { text?: string }[] } | undefined;
  return block?.text?.text ?? block?.elements?.[0]?.text;
};

describe('answers from a walk cut short', () => {
  it('dependencies: at least that many feature groups and training jobs', async () => {
    const answer = await demoService({ maxVertices: 10 }).dependencies('fraud-detector');
    expect(answer.truncation?.sizeExceeded).toBe(true);
    const message = buildAnswer(answer);
    expect(text(message.blocks, BLOCK.summary)).toMatch(/^Model `fraud-detector` depends on \*at least \d+ feature groups?\*, through at least 1 training job /);
    expect(message.text).toMatch(/found before the walk stopped \(partial\)$/);
  });

  it('builtFrom: at least that many feature groups', async () => {
    const answer = await demoService({ maxDepth: 2 }).builtFrom('s3://demo-ml-lake/raw/claims.csv');
    expect(answer.truncation?.depthExceeded).toBe(true);
    expect(text(buildAnswer(answer).blocks, BLOCK.summary)).toBe('At least *3 feature groups* are already built from `s3://demo-ml-lake/raw/claims.csv`.');
  });

  it('builtFrom by a job: at least that many, and the groups built from those once the walk reaches them', async () => {
    const near = await demoService({ maxDepth: 2 }).builtFrom('fraud-feature-pipeline-20251101');
    expect(near.truncation?.depthExceeded).toBe(true);
    expect(text(buildAnswer(near).blocks, BLOCK.summary)).toBe('At least *2 feature groups* are built by processing job `fraud-feature-pipeline-20251101`.');
    // job → claims → its context → enrich-claims → claims-enriched: 4 hops, and more lies beyond.
    const far = await demoService({ maxDepth: 4 }).builtFrom('fraud-feature-pipeline-20251101');
    expect(far.truncation?.depthExceeded).toBe(true);
    const message = buildAnswer(far);
    expect(text(message.blocks, BLOCK.summary)).toBe(
      'At least *3 feature groups* are built by processing job `fraud-feature-pipeline-20251101`. 1 of them is built from another of these groups.',
    );
    expect(message.text).toBe('3 feature groups are built by processing job fraud-feature-pipeline-20251101 as far as the walk went (partial)');
  });

  it('feature usage: at least that many models', async () => {
    const answer = await demoService({ maxVertices: 10 }).featureUsage('customers.age');
    expect(answer.truncation).toBeDefined();
    expect(answer.models.length).toBeGreaterThan(0);
    expect(text(buildAnswer(answer).blocks, BLOCK.summary)).toMatch(/is used by the training queries of \*at least \d+ models?\*\.$/);
  });

  it('owners of a feature group: says consumers beyond the walk, and their owners, are not listed', async () => {
    const answer = await demoService({ maxVertices: 10 }).owners('customers');
    expect(text(buildAnswer(answer).blocks, BLOCK.summary)).toBe(
      'Who owns feature group `customers` and what consumes it, directly or through feature groups built from it. The walk stopped early: consumers beyond it, and their owners, are not listed.',
    );
  });

  it('App Home: "at least" for a model whose walk was cut short', () => {
    const view = buildHomeView({
      owned: [{ entity: { kind: 'Model', name: 'fraud-detector', arn: 'arn:x' }, featureGroups: ['claims'], partial: true }],
      walked: 1,
    });
    expect(text(view.blocks as KnownBlock[], 'lineage_list_owned_0')).toBe('*model* `fraud-detector`\ndepends on at least `claims` (the walk stopped early)');
  });

  it('App Home: a model whose feature groups were not looked up does not claim it has none', () => {
    const view = buildHomeView({
      owned: [{ entity: { kind: 'Model', name: 'fraud-detector', arn: 'arn:x' }, featureGroups: [], notWalked: true }],
      walked: 0,
    });
    expect(text(view.blocks as KnownBlock[], 'lineage_list_owned_0')).toBe('*model* `fraud-detector`\n_what it depends on was not looked up_');
  });
});

describe('notices from a walk cut short', () => {
  const notice: Notice = {
    id: '00000000-0000-4000-8000-000000000001',
    sourceKey: 'view:V1',
    featureGroup: 'claims',
    kind: 'deprecation',
    effectiveDate: '2026-02-01',
    announcer: { type: 'user', userId: 'UPRIYA' },
    unreachable: [],
    lineageCut: { depthExceeded: false, sizeExceeded: true, maxDepth: 30, maxVertices: 10 },
    reminderDays: [7, 1],
    finalReportAt: Date.parse('2026-02-01T00:00:00Z'),
    createdAt: Date.parse('2026-01-05T09:00:00Z'),
    summaryVersion: 0,
    summaryRendered: 0,
    revision: 0,
  };
  const nobody: NoticeStatus = { notice, recipients: [] };
  const cut = ':warning: The lineage walk behind this notice stopped early (it reached more than 10 entities): owners of models and endpoints beyond it were not told.';

  it('the summary does not say nothing downstream has an owner', () => {
    const summary = buildSummary(nobody);
    expect(text(summary.blocks, NOTICE_BLOCK.tally)).toBe('No owner could be notified: nothing found downstream before the lineage walk stopped has a reachable owner.');
    expect(text(summary.blocks, NOTICE_BLOCK.truncation)).toBe(cut);
  });

  it('the final report and "who else" say owners beyond the walk were not told', () => {
    const report = buildFinalReport(nobody);
    expect(text(report.blocks, NOTICE_BLOCK.tally)).toBe('No owner could be notified among what the lineage walk reached.');
    expect(text(report.blocks, NOTICE_BLOCK.truncation)).toBe(cut);
    expect(text(buildWhoElse(nobody).blocks, NOTICE_BLOCK.truncation)).toBe(cut);
  });
});
