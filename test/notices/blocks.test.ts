// The notice builders, by block id and exact text: escaping of everything from data, and Slack's
// limits (50 blocks, 3000 characters a section, 150 a header, 75 a button) however big a notice is.
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildChangedNotice,
  buildDeprecateModal,
  buildEscalation,
  buildMoveModal,
  ManageButton,
  MOVE_MODAL,
  buildFinalReport,
  buildImpact,
  buildNoticeMessage,
  buildReminder,
  buildSummary,
  buildWhoElse,
  DEPRECATE_MODAL,
  NOTICE_ACTION,
  NOTICE_BLOCK,
} from '../../blocks/notices/index.js';
import { LIMITS } from '../../blocks/text.js';
import type { Impact } from '../../src/notices/impact.js';
import type { NoticeStatus, RecipientStatus } from '../../src/notices/status.js';
import type { Notice, Recipient } from '../../src/notices/model.js';
import { everyText, expectMessageWithinLimits, expectViewWithinLimits, tableRows } from '../support/slack-limits.js';
import { sampleNotice } from '../support/slack-world.js';

const notice: Notice = sampleNotice({
  id: '6f1c8e2a-1b2c-4d3e-8f4a-5b6c7d8e9f00',
  featureGroupArn: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers',
  replacement: 'customers-v2',
  note: 'Move to <!channel> & `v2`',
  unreachable: [{ value: '<@U1|x>', reason: 'user_not_found', resources: [{ kind: 'Model', name: 'm<1>' }] }],
});

const recipient: Recipient = {
  noticeId: notice.id,
  key: 'user:U04CHURN01',
  type: 'user',
  targetId: 'U04CHURN01',
  label: 'Chen <Wu>',
  owners: ['U04CHURN01'],
  resources: [{ kind: 'Model', name: 'churn-predictor' }, { kind: 'Endpoint', name: 'churn-predictor-prod', status: 'InService' }],
};

const HEADING = ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'];
const owners = (blocks: readonly KnownBlock[]) => tableRows(blocks, NOTICE_BLOCK.recipientTable);
const text = (blocks: readonly KnownBlock[], id: string): string | undefined => {
  const block = blocks.find((b) => 'block_id' in b && b.block_id === id) as { text?: { text: string }; elements?: { text?: string }[] } | undefined;
  return block?.text?.text ?? block?.elements?.[0]?.text;
};

/** Slack's limits and escaping (test/support/slack-limits.ts); the announcer and who acknowledged are mentioned on purpose. */
const INTENDED_MENTIONS = ['UPRIYA', ...Array.from({ length: 500 }, (_, i) => `U${i}`)];
function expectWithinLimits(blocks: readonly KnownBlock[]): void {
  expectMessageWithinLimits({ blocks }, 'notice', { allowedMentions: INTENDED_MENTIONS });
}

function manyRecipients(count: number): RecipientStatus[] {
  return Array.from({ length: count }, (_, i) => ({
    ...recipient,
    key: `user:U${i}`,
    targetId: `U${i}`,
    label: `Owner number ${i} with a fairly long display name`,
    resources: [{ kind: 'Model' as const, name: `model-${'x'.repeat(40)}-${i}` }],
    ...(i % 3 === 0 ? { ack: { noticeId: notice.id, recipientKey: `user:U${i}`, userId: `U${i}`, at: notice.createdAt } } : {}),
    delivery: { status: i % 7 === 0 ? ('failed' as const) : ('sent' as const), attempts: 1, ...(i % 7 === 0 ? { error: 'user_not_found' } : {}) },
  }));
}

describe('the notice an owner gets', () => {
  it('says what changes, when, the replacement, their resources, with three buttons', () => {
    const message = buildNoticeMessage(notice, recipient);
    expect(text(message.blocks, NOTICE_BLOCK.change)).toBe('Feature group `customers` will be deprecated on *2026-02-01 00:00 UTC*. Announced by <@UPRIYA>.');
    expect(text(message.blocks, NOTICE_BLOCK.details)).toBe('*Replacement:* `customers-v2`');
    expect(text(message.blocks, NOTICE_BLOCK.note)).toBe('*Note:* Move to &lt;!channel&gt; &amp; `v2`');
    expect(text(message.blocks, NOTICE_BLOCK.affected)).toBe('*Your affected models and endpoints*\n• `churn-predictor` (model)\n• `churn-predictor-prod` (endpoint, InService)');
    const actions = message.blocks.find((b) => 'block_id' in b && b.block_id === NOTICE_BLOCK.actions);
    expect(actions?.type === 'actions' && actions.elements.map((e) => (e.type === 'button' ? [e.action_id, e.text.text, e.value] : []))).toEqual([
      [NOTICE_ACTION.acknowledge, 'Acknowledge', JSON.stringify({ n: notice.id, r: recipient.key })],
      [NOTICE_ACTION.showLineage, 'Show lineage', JSON.stringify({ n: notice.id, r: recipient.key })],
      [NOTICE_ACTION.whoElse, 'Who else is affected', JSON.stringify({ n: notice.id, r: recipient.key })],
    ]);
    expect(message.text).not.toContain('<!channel>');
  });

  it('drops the Acknowledge button once acknowledged, saying by whom and when', () => {
    const message = buildNoticeMessage(notice, recipient, { noticeId: notice.id, recipientKey: recipient.key, userId: 'U04CHURN01', at: Date.parse('2026-01-06T10:15:00Z') });
    expect(text(message.blocks, NOTICE_BLOCK.acknowledged)).toBe(':white_check_mark: Acknowledged by <@U04CHURN01> on 2026-01-06 10:15 UTC.');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.action_id)).toEqual([NOTICE_ACTION.showLineage, NOTICE_ACTION.whoElse]);
  });

  it('reminds with how long is left', () => {
    expect(buildReminder(notice, recipient, 7).text).toBe('Reminder: deprecation of feature group customers in 7 days (2026-02-01 00:00 UTC); please acknowledge');
    expect(buildReminder(notice, recipient, 1).text).toBe('Reminder: deprecation of feature group customers tomorrow (2026-02-01 00:00 UTC); please acknowledge');
    expect(buildReminder(notice, recipient, 0).text).toBe('Reminder: deprecation of feature group customers today (2026-02-01 00:00 UTC); please acknowledge');
  });

  it('stays within limits for a huge team and a note of the maximum length', () => {
    const big = { ...recipient, type: 'channel' as const, resources: Array.from({ length: 400 }, (_, i) => ({ kind: 'Model' as const, name: `model-${i}-${'y'.repeat(50)}` })) };
    const message = buildNoticeMessage({ ...notice, featureGroup: 'f'.repeat(64), note: '<&>'.repeat(500) }, big);
    expectWithinLimits(message.blocks);
    expect(text(message.blocks, NOTICE_BLOCK.affected)).toMatch(/…and \d+ more$/);
  });
});

describe('the summary and the final report', () => {
  const status: NoticeStatus = {
    notice,
    recipients: [
      { ...recipient, delivery: { status: 'sent', attempts: 1 }, ack: { noticeId: notice.id, recipientKey: recipient.key, userId: 'U04CHURN01', at: Date.parse('2026-01-06T10:15:00Z') } },
      { ...recipient, key: 'channel:CFRAUD', type: 'channel', targetId: 'CFRAUD', label: '#fraud-ml', resources: [{ kind: 'Model', name: 'fraud-detector' }], delivery: { status: 'sent', attempts: 1 } },
      { ...recipient, key: 'channel:CGONE', type: 'channel', targetId: 'CGONE', label: '#gone', resources: [{ kind: 'Model', name: 'old' }], delivery: { status: 'failed', attempts: 1, error: 'is_archived' } },
    ],
  };

  it('tallies acknowledgements and lists who is pending, failed and unreachable', () => {
    const summary = buildSummary(status);
    expect(text(summary.blocks, NOTICE_BLOCK.tally)).toBe('*1 of 3* owners have acknowledged. 1 could not be reached.');
    // One table of owners in a message: waiting first, then acknowledged, then not delivered.
    expect(owners(summary.blocks)).toEqual([
      HEADING,
      ['#fraud-ml', 'fraud-detector', 'waiting', '—'],
      ['Chen ‹Wu›', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-01-06 10:15 UTC'],
      ['#gone', 'old', 'not delivered: channel archived', '—'],
    ]);
    for (const id of [NOTICE_BLOCK.pending, NOTICE_BLOCK.acknowledgedList, NOTICE_BLOCK.failed]) expect(text(summary.blocks, id)).toBeUndefined();
    expectMessageWithinLimits(summary, 'summary', { allowedMentions: INTENDED_MENTIONS });
    // Where no table is allowed, the lists.
    const listed = buildSummary(status, { tables: false });
    expect(owners(listed.blocks)).toBeUndefined();
    expect(text(listed.blocks, NOTICE_BLOCK.pending)).toBe('*Waiting for*\n• #fraud-ml — `fraud-detector`');
    expect(text(listed.blocks, NOTICE_BLOCK.acknowledgedList)).toBe('*Acknowledged*\n• Chen &lt;Wu&gt; — 2026-01-06 10:15 UTC');
    expect(text(listed.blocks, NOTICE_BLOCK.failed)).toBe('*Could not be delivered*\n• #gone — channel archived (`old`)');
    expect(text(summary.blocks, NOTICE_BLOCK.unreachable)).toBe('*Owners who cannot be reached*\n• `&lt;@U1|x&gt;` — no Slack user with this email or ID (`m&lt;1&gt;`)');
  });

  it('gives the date with its time zone wherever it is shown (reminders and the report run on UTC days)', () => {
    const shown = [buildSummary(status), buildFinalReport(status), buildWhoElse(status), buildNoticeMessage(notice, recipient), buildReminder(notice, recipient, 7)];
    for (const message of shown) {
      const texts = [message.text, ...message.blocks.map((b) => JSON.stringify(b))].join('\n');
      expect(texts.match(/2026-02-01(?! 00:00 UTC)(?! UTC)/g), texts).toBeNull();
    }
  });

  it('says a delivery given up on was given up on, in words rather than error codes', () => {
    const failedWith = (error: string) => {
      const failed = { ...status, recipients: status.recipients.map((r, i) => (i === 2 ? { ...r, delivery: { status: 'failed' as const, attempts: 12, error } } : r)) };
      return owners(buildSummary(failed).blocks)?.at(-1);
    };
    expect(failedWith('request_failed')).toEqual(['#gone', 'old', 'not delivered: Slack could not be reached; gave up', '—']);
    expect(failedWith('http_503')).toEqual(['#gone', 'old', 'not delivered: Slack kept answering HTTP 503; gave up', '—']);
    expect(failedWith('invalid_auth')).toEqual(['#gone', 'old', "not delivered: Slack refused the bot's token; gave up", '—']);
    // An error the bot has no words for is shown as Slack gave it, plain in a cell.
    expect(failedWith('<!channel>_error')).toEqual(['#gone', 'old', 'not delivered: ‹!channel›_error', '—']);
  });

  it('shows delivery progress while the fan-out runs', () => {
    const sending = { ...status, recipients: status.recipients.map((r, i) => (i === 1 ? { ...r, delivery: { status: 'pending' as const, attempts: 0 } } : r)) };
    expect(text(buildSummary(sending).blocks, NOTICE_BLOCK.tally)).toBe('*1 of 3* owners have acknowledged. Delivering: 2 of 3 sent so far. 1 could not be reached.');
  });

  it('reports on the date who did not acknowledge', () => {
    const report = buildFinalReport(status);
    expect(text(report.blocks, NOTICE_BLOCK.tally)).toBe(':warning: *1 of 3* owners acknowledged; 2 did not.');
    // The report puts who did not acknowledge first, then who was not reached, then who did.
    expect(owners(report.blocks)).toEqual([
      HEADING,
      ['#fraud-ml', 'fraud-detector', 'did not acknowledge', '—'],
      ['#gone', 'old', 'not delivered: channel archived', '—'],
      ['Chen ‹Wu›', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-01-06 10:15 UTC'],
    ]);
    expect(text(buildFinalReport(status, { tables: false }).blocks, NOTICE_BLOCK.pending)).toBe('*Did not acknowledge*\n• #fraud-ml — `fraud-detector`');
  });

  it('stays within limits for 500 owners', () => {
    const big: NoticeStatus = { notice: { ...notice, unreachable: Array.from({ length: 200 }, (_, i) => ({ value: `owner${i}@example.com`, reason: 'user_not_found' as const, resources: [{ kind: 'Model' as const, name: `m${i}` }] })) }, recipients: manyRecipients(500) };
    for (const message of [buildSummary(big), buildFinalReport(big), buildWhoElse(big)]) {
      expectWithinLimits(message.blocks);
      expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    }
    const summary = buildSummary(big);
    expect(owners(summary.blocks)?.length).toBeLessThanOrEqual(100);
    const shown = (owners(summary.blocks)?.length ?? 0) - 1;
    const cut = summary.blocks.find((b) => b.block_id === NOTICE_BLOCK.recipientsCut);
    expect(cut?.type === 'context' && cut.elements[0]?.type === 'mrkdwn' && cut.elements[0].text).toBe(`The table shows the first ${shown} of 500 owners: a table holds no more.`);
    expect(text(buildSummary(big, { tables: false }).blocks, NOTICE_BLOCK.pending)).toMatch(/…and \d+ more$/);
  });
});

describe('the impact answer and the modal', () => {
  const impact: Impact = {
    featureGroup: { name: 'customers', exists: true },
    lineageRecorded: true,
    resources: [{ kind: 'Model', name: 'churn-predictor', owners: ['U04CHURN01'], channels: [], addressedTo: ['user:U04CHURN01'] }],
    recipients: [{ key: 'user:U04CHURN01', type: 'user', targetId: 'U04CHURN01', label: 'Chen', owners: ['U04CHURN01'], resources: [{ kind: 'Model', name: 'churn-predictor' }] }],
    unreachable: [],
  };

  it('says nothing downstream when nothing is', () => {
    const message = buildImpact({ ...impact, resources: [], recipients: [] });
    expect(text(message.blocks, NOTICE_BLOCK.tally)).toBe('Nothing downstream of feature group `customers` is a model or an endpoint: a change would affect nobody.');
    expect(text(buildImpact({ ...impact, lineageRecorded: false, resources: [], recipients: [] }).blocks, NOTICE_BLOCK.tally)).toBe(
      'Feature group `customers` exists, but no lineage is recorded for it, so no consumers are known: a notice would reach nobody.',
    );
  });

  it('builds the modal with the impact, the four inputs and the metadata the submission needs', () => {
    const view = buildDeprecateModal({ featureGroup: 'customers', channelId: 'CANNOUNCE', initialDate: '2026-02-04', impact });
    expect(view.callback_id).toBe(DEPRECATE_MODAL.callbackId);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ fg: 'customers', c: 'CANNOUNCE' });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      DEPRECATE_MODAL.subjectBlock,
      DEPRECATE_MODAL.impactBlock,
      DEPRECATE_MODAL.kindBlock,
      DEPRECATE_MODAL.dateBlock,
      DEPRECATE_MODAL.replacementBlock,
      DEPRECATE_MODAL.noteBlock,
    ]);
    expect(text(view.blocks as KnownBlock[], DEPRECATE_MODAL.impactBlock)).toBe(
      'This notice will reach *1 owner* of 1 model or endpoint downstream of `customers`:\n• Chen — `churn-predictor`',
    );
    const date = (view.blocks as KnownBlock[]).find((b) => b.block_id === DEPRECATE_MODAL.dateBlock);
    expect(date?.type === 'input' && date.element.type === 'datepicker' && date.element.initial_date).toBe('2026-02-04');
  });
});

describe('a notice after it is sent', () => {
  const EVIL = `<!channel> ${'&<b>'.repeat(400)}`;
  const hostile: Notice = {
    ...notice,
    featureGroup: `fg-<!here>-${'g'.repeat(60)}`,
    moved: { from: '2026-01-20', at: Date.parse('2026-01-10T08:00:00Z'), by: 'UADMIN' },
    cancelled: { by: '<!everyone>', at: Date.parse('2026-01-11T08:00:00Z') },
    revision: 1,
  };
  const crowd: Recipient = {
    ...recipient,
    key: 'channel:CFRAUD',
    type: 'channel',
    targetId: 'CFRAUD',
    label: EVIL,
    resources: Array.from({ length: 400 }, (_, i) => ({ kind: 'Model' as const, name: `${EVIL}-${i}`, teamChannels: ['#x'] })),
  };
  /** Only what Slack parses as mrkdwn can ping; a header is plain text and shows `<!here>` as written. */
  const noBroadcast = (blocks: readonly KnownBlock[]) =>
    expect(everyText(blocks.filter((b) => b.type !== 'header' && b.type !== 'input')).join('\n')).not.toMatch(/<!(channel|here|everyone)/);

  it('tells an owner of a cancel with no button left, and of a move with the new date and the buttons', () => {
    const cancelled = buildChangedNotice({ ...notice, cancelled: { by: 'UPRIYA', at: notice.createdAt } }, recipient, 'cancelled');
    expect(cancelled.text).toBe('Cancelled: the deprecation of feature group customers (2026-02-01 00:00 UTC) will not happen');
    expect(cancelled.blocks.some((b) => b.type === 'actions')).toBe(false);
    const moved = buildChangedNotice({ ...notice, effectiveDate: '2026-02-15', moved: { from: '2026-02-01', at: notice.createdAt, by: 'UPRIYA' }, revision: 1 }, recipient, 'moved');
    expect(text(moved.blocks, NOTICE_BLOCK.changed)).toBe(':calendar: The date was moved from ~2026-02-01~ to *2026-02-15 00:00 UTC* by <@UPRIYA> on 2026-01-05 09:00 UTC.');
    const actions = moved.blocks.find((b) => b.block_id === NOTICE_BLOCK.actions);
    expect(actions?.type === 'actions' && actions.elements.map((e) => 'action_id' in e && e.action_id)).toEqual([NOTICE_ACTION.acknowledge, NOTICE_ACTION.showLineage, NOTICE_ACTION.whoElse]);
  });

  it('keeps changed notices and escalations within Block Kit limits and escaped, however hostile the data', () => {
    for (const message of [buildChangedNotice(hostile, crowd, 'cancelled'), buildChangedNotice(hostile, crowd, 'moved'), buildEscalation(hostile, crowd), buildEscalation(hostile, { ...crowd, type: 'user', targetId: 'U04CHURN01', key: 'user:U04CHURN01' })]) {
      expectMessageWithinLimits(message, 'changed', { allowedMentions: [...INTENDED_MENTIONS, 'UADMIN', 'U04CHURN01', 'CFRAUD'] });
      noBroadcast(message.blocks);
      expect(message.text).not.toMatch(/<!/);
    }
    expect(text(buildChangedNotice(hostile, crowd, 'cancelled').blocks, NOTICE_BLOCK.changed)).toContain('cancelled by `&lt;!everyone&gt;`');
  });

  it('marks late acknowledgements, escalations and the moved date on the summary, with its buttons while open', () => {
    const late = { noticeId: notice.id, recipientKey: recipient.key, userId: 'U04CHURN01', at: Date.parse('2026-02-01T00:00:00Z') };
    expect(text(buildNoticeMessage(notice, recipient, late).blocks, NOTICE_BLOCK.acknowledged)).toBe(
      ':white_check_mark: Acknowledged by <@U04CHURN01> on 2026-02-01 00:00 UTC — late, after the effective date (2026-02-01 00:00 UTC).',
    );
    const onTime = { ...late, at: Date.parse('2026-01-31T23:59:00Z') };
    expect(text(buildNoticeMessage(notice, recipient, onTime).blocks, NOTICE_BLOCK.acknowledged)).not.toContain('late');
    const status: NoticeStatus = {
      notice: { ...notice, moved: { from: '2026-01-25', at: notice.createdAt, by: 'UADMIN' } },
      recipients: [
        { ...recipient, ack: late, delivery: { status: 'sent', attempts: 1 } },
        { ...recipient, key: 'channel:CFRAUD', type: 'channel', targetId: 'CFRAUD', label: '#fraud-ml', escalatedTo: 'CESC', delivery: { status: 'sent', attempts: 1 } },
      ],
    };
    const summary = buildSummary(status);
    expect(owners(summary.blocks)).toEqual([
      HEADING,
      ['#fraud-ml', 'churn-predictor, churn-predictor-prod', 'waiting; escalated to <#CESC>', '—'],
      ['Chen ‹Wu›', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-02-01 00:00 UTC (late, after the date)'],
    ]);
    expect(text(summary.blocks, NOTICE_BLOCK.change)).toContain('The date was moved from ~2026-01-25~ to *2026-02-01 00:00 UTC* by <@UADMIN>');
    const manage = summary.blocks.find((b) => b.block_id === NOTICE_BLOCK.manage);
    expect(manage?.type === 'actions' && manage.elements.map((e) => 'value' in e && ManageButton.decode(e.value))).toEqual([{ n: notice.id }, { n: notice.id }]);
    expect(manage?.type === 'actions' && manage.elements[1]?.type === 'button' && manage.elements[1].confirm?.confirm?.text).toBe('Cancel notice');
    expectMessageWithinLimits(summary, 'summary', { allowedMentions: [...INTENDED_MENTIONS, 'UADMIN', 'CESC'] });
    // Closed or cancelled: no buttons, and the lists say it is over.
    for (const over of [{ ...status.notice, closedAt: notice.finalReportAt }, { ...status.notice, closedAt: notice.createdAt, cancelled: { by: 'UPRIYA', at: notice.createdAt } }]) {
      const blocks = buildSummary({ ...status, notice: over }).blocks;
      expect(blocks.some((b) => b.block_id === NOTICE_BLOCK.manage)).toBe(false);
      expect(owners(blocks)?.[1]?.[2]).toMatch(/^(never acknowledged|had not acknowledged when cancelled); escalated to <#CESC>$/);
      expect(text(buildSummary({ ...status, notice: over }, { tables: false }).blocks, NOTICE_BLOCK.pending)).toMatch(/^\*(Never acknowledged|Had not acknowledged when it was cancelled)\*/);
    }
  });

  it('builds the move modal on the current date, naming the notice in its metadata', () => {
    const view = buildMoveModal(hostile);
    expect(view.callback_id).toBe(MOVE_MODAL.callbackId);
    expect(ManageButton.decode(view.private_metadata)).toEqual({ n: notice.id });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const date = (view.blocks as KnownBlock[]).find((b) => b.block_id === MOVE_MODAL.dateBlock);
    expect(date?.type === 'input' && date.element.type === 'datepicker' && date.element.initial_date).toBe('2026-02-01');
    expectViewWithinLimits(view, 'move modal');
    noBroadcast(view.blocks as KnownBlock[]);
  });
});
