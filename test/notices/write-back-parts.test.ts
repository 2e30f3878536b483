// Write-back's pure parts: what marks a group (values made fit for AWS), when it is due, how a
// marked group's tags read back, and what the announcer and the askers are shown.
import { describe, expect, it } from 'vitest';
import { deprecationNote } from '../../blocks/common.js';
import { BLOCK } from '../../blocks/ids.js';
import { buildWriteBackFailed, NOTICE_BLOCK, writeBackFailureWords } from '../../blocks/notices/index.js';
import { deprecationFromTags } from '../../src/lineage/deprecation.js';
import { dueMilestones } from '../../src/notices/schedule.js';
import { planWriteBack } from '../../src/notices/write-back.js';
import { blockText } from '../support/slack-http.js';
import { sampleNotice } from '../support/slack-world.js';

const at = (iso: string) => Date.parse(iso);

describe('planWriteBack', () => {
  it('tags the whole group, with a replacement made fit for a tag value (no < or >) and none when there is nothing left of it', () => {
    expect(planWriteBack({ id: 'n-1', effectiveDate: '2026-02-01', replacement: 'claims-v2' })).toEqual({
      tags: { 'lineage-bot:deprecated': 'true', 'lineage-bot:deprecated-on': '2026-02-01', 'lineage-bot:replacement': 'claims-v2', 'lineage-bot:notice': 'n-1' },
      features: [],
    });
    expect(planWriteBack({ id: 'n-1', effectiveDate: '2026-02-01', replacement: 'use <customers-v2>, & friends!' }).tags?.['lineage-bot:replacement']).toBe('use customers-v2 friends');
    expect(planWriteBack({ id: 'n-1', effectiveDate: '2026-02-01', replacement: '<>' }).tags).not.toHaveProperty('lineage-bot:replacement');
    expect(planWriteBack({ id: 'n-1', effectiveDate: '2026-02-01', replacement: 'x'.repeat(300) }).tags?.['lineage-bot:replacement']).toHaveLength(256);
  });

  it('marks only the features a notice names, leaving the group untagged, without @ (which feature parameters refuse)', () => {
    expect(planWriteBack({ id: 'n-1', effectiveDate: '2026-02-01', replacement: 'ops@claims-v2' }, ['age', 'zip'])).toEqual({
      features: ['age', 'zip'].map((name) => ({
        name,
        parameters: { 'lineage-bot:deprecated': 'true', 'lineage-bot:deprecated-on': '2026-02-01', 'lineage-bot:replacement': 'ops claims-v2', 'lineage-bot:notice': 'n-1' },
      })),
    });
  });
});

describe('the write-back milestone', () => {
  const notice = { kind: 'deprecation' as const, effectiveDate: '2026-02-01', reminderDays: [], createdAt: at('2026-01-05T09:00:00Z'), finalReportAt: at('2026-02-01T00:00:00Z'), revision: 0 };
  const due = (n: Parameters<typeof dueMilestones>[0], now: string, done: string[] = [], writeBack = true) =>
    dueMilestones(n, new Set(done), at(now), { writeBack }).map((d) => d.milestone.name);

  it('is due from 00:00 UTC of the date, before the final report that closes the notice, once', () => {
    expect(due(notice, '2026-01-31T23:59:59Z')).toEqual([]);
    expect(due(notice, '2026-02-01T00:00:00Z')).toEqual(['write_back', 'final']);
    expect(due(notice, '2026-02-03T00:00:00Z', ['write_back', 'final'])).toEqual([]);
  });

  it('belongs to the date: a moved one has its own; other kinds of change and write-back off have none', () => {
    expect(due({ ...notice, revision: 2 }, '2026-02-01T00:00:00Z', ['write_back', 'final'])).toEqual(['write_back@2']);
    expect(due({ ...notice, kind: 'breaking_schema_change' }, '2026-02-01T00:00:00Z')).toEqual(['final']);
    expect(due(notice, '2026-02-01T00:00:00Z', [], false)).toEqual(['final']);
  });
});

describe('a marked group, read back and shown', () => {
  it('reads the tags write-back puts, and nothing else as a mark', () => {
    expect(deprecationFromTags({ 'lineage-bot:deprecated': 'true', 'lineage-bot:deprecated-on': '2026-02-01', 'lineage-bot:replacement': 'claims-v2' })).toEqual({ on: '2026-02-01', replacement: 'claims-v2' });
    expect(deprecationFromTags({ 'lineage-bot:deprecated': 'TRUE' })).toEqual({});
    expect(deprecationFromTags({ 'lineage-bot:deprecated': 'false', 'lineage-bot:replacement': 'x' })).toBeUndefined();
    expect(deprecationFromTags({ owner: 'priya' })).toBeUndefined();
  });

  it('shows the mark under the answer header, escaping tag text', () => {
    const block = (d: Parameters<typeof deprecationNote>[0]) => blockText([deprecationNote(d) as unknown as Record<string, unknown>], BLOCK.deprecation);
    expect(block({ on: '2026-02-01', replacement: 'claims-v2' })).toBe(':no_entry: *Deprecated* since 2026-02-01. Use `claims-v2` instead.');
    expect(block({ on: '<!here>', replacement: 'a&b <@U1>' })).toBe(':no_entry: *Deprecated* since &lt;!here&gt;. Use `a&amp;b &lt;@U1&gt;` instead.');
    expect(block({})).toBe(':no_entry: *Deprecated*. No replacement was named.');
    expect(deprecationNote(undefined)).toBeUndefined();
  });

  it('tells the announcer why the group could not be marked, in words', () => {
    expect(writeBackFailureWords('access_denied: credentials')).toBe('SageMaker did not accept the bot’s AWS credentials.');
    expect(writeBackFailureWords('feature_group_not_found')).toBe('SageMaker no longer has that feature group.');
    expect(writeBackFailureWords('SageMaker rejected AddTags: <b>')).toBe('SageMaker kept refusing it: SageMaker rejected AddTags: &lt;b&gt;');
    const message = buildWriteBackFailed(sampleNotice({ featureGroup: 'customers<!channel>' }), 'access_denied: sagemaker:AddTags');
    expect(blockText(message.blocks as unknown as Record<string, unknown>[], NOTICE_BLOCK.writeBack)).toContain('Feature group `customers&lt;!channel&gt;` could not be marked');
    expect(message.text).not.toContain('<!channel>');
  });
});
