// The whole life of a notice through real Bolt, with Slack answered by a fake workspace (nock):
// /lineage deprecate → modal → submission → one DM or team-channel post per owner → Acknowledge →
// the summary updating in place → reminders 7 and 1 days before, on a clock the test moves → the
// final report on the date.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { expectMessageWithinLimits, tableRows } from '../support/slack-limits.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';


let h: SlackWorkspace;
afterEach(async () => h?.close());

describe('a deprecation notice, announced to acknowledged to reported', () => {
  it('tells every owner once, tracks acknowledgements, reminds, and reports', async () => {
    h = await startSlackWorkspace();

    // 1. The feature group's owner opens the modal: it opens at once, then shows the impact.
    const { responses } = await h.run('deprecate customers', PEOPLE.priya.id);
    expect(responses).toEqual([]);
    expect(h.fake.views).toHaveLength(1);
    const modal = h.fake.views[0]!;
    expect(modal.updates).toBe(1);
    expect(modal.view['callback_id']).toBe(DEPRECATE_MODAL.callbackId);
    expect(JSON.parse(String(modal.view['private_metadata']))).toEqual({ fg: 'customers', c: 'CANNOUNCE' });
    const impactText = blockText(modal.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.impactBlock);
    expect(impactText).toContain('This notice will reach *2 owners* of 4 models and endpoints downstream of `customers`');
    expect(impactText).toContain('• #fraud-ml — `fraud-detector`, `fraud-detector-prod`');
    expect(impactText).toContain('• Chen Wu — `churn-predictor`, `churn-predictor-prod`');
    const opened = h.fake.callsTo('views.open')[0]!;
    expect(blockText((opened['view'] as { blocks: Record<string, unknown>[] }).blocks, DEPRECATE_MODAL.impactBlock)).toContain('Working out who depends on');

    // 2. Submitted: the announcement is stored before the modal closes, then who it reaches is worked out; nothing sent yet.
    const submitted = await h.submit({ kind: 'deprecation', date: '2026-02-01', replacement: 'claims-v2', note: 'Use <claims-v2> & friends' }, PEOPLE.priya.id);
    expect(submitted).toEqual({ status: 200, body: '' });
    const [notice] = await h.store.listOpenNotices();
    expect(notice).toMatchObject({ featureGroup: 'customers', kind: 'deprecation', effectiveDate: '2026-02-01', replacement: 'claims-v2', announcer: { type: 'user', userId: 'UPRIYA' } });
    expect((await h.store.listAudit(notice!.id)).map((a) => [a.actor, a.action])).toEqual([
      ['UPRIYA', 'notice.announced'],
      ['lineage-bot', 'notice.prepared'],
    ]);

    // 3. The fan-out: the summary in the announcing channel, one post to #fraud-ml, one DM to Chen.
    await h.system.worker.drain();
    const summary = h.fake.messagesIn(CHANNELS.announce.id);
    const team = h.fake.messagesIn(CHANNELS.fraud.id);
    const dm = h.fake.messagesIn(`D${PEOPLE.chen.id}`);
    expect([summary.length, team.length, dm.length, h.fake.messages.length]).toEqual([1, 1, 1, 3]);
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.change)).toBe('Feature group `customers` will be deprecated on *2026-02-01 00:00 UTC*. Announced by <@UPRIYA>.');
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.details)).toBe('*Replacement:* `claims-v2`');
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.note)).toBe('*Note:* Use &lt;claims-v2&gt; &amp; friends');
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.affected)).toBe(
      "*This team's affected models and endpoints*\n• `fraud-detector` (model)\n• `fraud-detector-prod` (endpoint, InService)",
    );
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.affected)).toBe('*Your affected models and endpoints*\n• `churn-predictor` (model)\n• `churn-predictor-prod` (endpoint, InService)');
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
    expect(blockText(summary[0]!.blocks, NOTICE_BLOCK.tally)).toBe('*0 of 2* owners have acknowledged.');

    // 4. Chen acknowledges: the DM turns into its acknowledged form, the summary follows.
    const ack = await h.click(dm[0]!, 'acknowledge', PEOPLE.chen.id);
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ replace_original: true });
    expect(blockText(ack[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.acknowledged)).toBe(
      ':white_check_mark: Acknowledged by <@U04CHURN01> on 2026-01-05 09:00 UTC.',
    );
    await h.system.worker.drain();
    expect(blockText(summary[0]!.blocks, NOTICE_BLOCK.tally)).toBe('*1 of 2* owners have acknowledged.');
    expect(tableRows(summary[0]!.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'waiting', '—'],
      ['Chen Wu', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-01-05 09:00 UTC'],
    ]);
    const updatesAfterAck = summary[0]!.updates;

    // 5. A double click changes nothing more.
    await h.click(dm[0]!, 'acknowledge', PEOPLE.chen.id);
    await h.system.worker.drain();
    expect(await h.store.listAcknowledgements(notice!.id)).toHaveLength(1);
    expect(summary[0]!.updates).toBe(updatesAfterAck);
    expect((await h.store.listAudit(notice!.id)).filter((a) => a.action === 'notice.acknowledged')).toHaveLength(1);

    // 6. "Who else is affected" and "Show lineage", to the clicker only.
    const whoElse = await h.click(team[0]!, 'whoElse', PEOPLE.ana.id);
    expect(whoElse[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blockText(whoElse[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.recipients)).toBe(
      '*2 owners were told about this change to `customers`*\n' +
        '• #fraud-ml — `fraud-detector`, `fraud-detector-prod` — :hourglass: not acknowledged yet\n' +
        '• Chen Wu — `churn-predictor`, `churn-predictor-prod` — :white_check_mark: acknowledged',
    );
    const lineage = await h.click(team[0]!, 'showLineage', PEOPLE.ana.id);
    expect(lineage[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(lineage[0]!['text'])).toContain('customers');

    // 7. Seven days before: a reminder to the team that has not acknowledged, once.
    await h.system.reminders.tick();
    expect(h.fake.messages).toHaveLength(3);
    h.clock!.set('2026-01-25T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.reminders.tick();
    await h.system.worker.drain();
    expect(h.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(2);
    expect(h.fake.messagesIn(`D${PEOPLE.chen.id}`)).toHaveLength(1);
    expect(h.fake.messagesIn(CHANNELS.fraud.id)[1]!.text).toContain('Reminder: deprecation of feature group customers in 7 days (2026-02-01 00:00 UTC)');

    // 8. One day before: the second reminder, once.
    h.clock!.set('2026-01-31T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.reminders.tick();
    await h.system.worker.drain();
    expect(h.fake.messagesIn(CHANNELS.fraud.id).map((m) => m.text.split(' (')[0])).toEqual([
      expect.stringContaining('Deprecation of feature group customers'),
      'Reminder: deprecation of feature group customers in 7 days',
      'Reminder: deprecation of feature group customers tomorrow',
    ]);

    // 9. The team acknowledges from the reminder; on the date the announcer gets the final report.
    await h.click(h.fake.messagesIn(CHANNELS.fraud.id)[2]!, 'acknowledge', PEOPLE.ana.id);
    h.clock!.set('2026-02-01T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    const report = h.fake.messagesIn(`D${PEOPLE.priya.id}`);
    expect(report).toHaveLength(1);
    expect(report[0]!.text).toBe('Final report: deprecation of feature group customers (2026-02-01 00:00 UTC): 2 of 2 owners acknowledged');
    expect(blockText(report[0]!.blocks, NOTICE_BLOCK.tally)).toBe(':white_check_mark: All 2 owners acknowledged.');
    expect(blockText(summary[0]!.blocks, NOTICE_BLOCK.tally)).toBe(
      '*2 of 2* owners have acknowledged. Closed 2026-02-01 00:00 UTC; the final report went to the announcer.',
    );
    expect(await h.store.listOpenNotices()).toEqual([]);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);

    // Nothing more, however often the loops run.
    h.clock!.set('2026-03-01T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    expect(h.fake.messages).toHaveLength(6);
  });

  it('counts the days left when a reminder goes out, not when it was planned (the bot was down)', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    // Down from before the 7-day reminder (Jan 25) until Jan 28, midday: that reminder goes out now.
    h.clock!.set('2026-01-28T12:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    const reminder = h.fake.messagesIn(CHANNELS.fraud.id)[1]!;
    expect(reminder.text).toContain('Reminder: deprecation of feature group customers in 4 days');
    expect(JSON.stringify(reminder.blocks)).not.toContain('in 7 days');
  });

  it('shows the impact to the asker only, notifying nobody', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('impact customers', PEOPLE.stranger.id);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral' });
    const blocks = responses[0]!['blocks'] as Record<string, unknown>[];
    expect(blockText(blocks, NOTICE_BLOCK.tally)).toBe(
      'A change to feature group `customers` would affect *2 models* and *2 endpoints*. A notice would reach *2 owners*.',
    );
    // A message takes a table: one row per model and endpoint, what the list said per line.
    expect(tableRows(blocks, NOTICE_BLOCK.resources)).toEqual([
      ['Model or endpoint', 'Kind', 'Status', 'Owners', 'Would be told', 'Through'],
      ['churn-predictor', 'model', '—', 'U04CHURN01', 'yes', 'directly'],
      ['fraud-detector', 'model', '—', '#fraud-ml, ana.silva@example.com', 'yes', 'directly'],
      ['churn-predictor-prod', 'endpoint', 'InService', 'U04CHURN01', 'yes', 'directly'],
      ['fraud-detector-prod', 'endpoint', 'InService', '#fraud-ml, ana.silva@example.com', 'yes', 'directly'],
    ]);
    expect(blockText(blocks, NOTICE_BLOCK.resourcesCut)).toBeUndefined();
    expectMessageWithinLimits({ blocks });
    expect(blockText(blocks, NOTICE_BLOCK.footer)).toBe('Nobody has been notified. To announce a change: `/lineage deprecate customers`');
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(await h.store.listOpenNotices()).toEqual([]);
  });
});
