// A notice's life after it is sent, through real Bolt with a fake Slack workspace (nock) and a
// clock the test moves: cancelled or moved from the live summary by its announcer or an admin
// (and refused to anyone else), owners told once, reminders rescheduled to the new date, an
// acknowledgement after the date accepted and shown as late, and the closed summary listing who
// never acknowledged.
import { afterEach, describe, expect, it } from 'vitest';
import { ManageButton, MOVE_MODAL, NOTICE_ACTION, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { NOTICE_MESSAGES } from '../../commands/messages.js';
import type { FakeMessage } from '../support/slack-fake.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';
import { viewSubmission } from '../support/slack-requests.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace;
afterEach(async () => h?.close());

const DM_CHEN = `D${PEOPLE.chen.id}`;
const errorOf = (responses: Record<string, unknown>[]) => blockText((responses[0]?.['blocks'] ?? []) as Record<string, unknown>[], 'lineage_error');
const texts = (channel: string) => h.fake.messagesIn(channel).map((m) => m.text);

/** Priya announces the deprecation of customers for 2026-02-01 from #ml-platform; delivered. */
async function announced(env: Record<string, string> = {}): Promise<{ noticeId: string; summary: FakeMessage }> {
  h = await startSlackWorkspace({ env });
  await h.run('deprecate customers', PEOPLE.priya.id);
  await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
  await h.system.worker.drain();
  const [notice] = await h.store.listOpenNotices();
  return { noticeId: notice!.id, summary: h.fake.messagesIn(CHANNELS.announce.id)[0]! };
}

/** Runs the reminder loop at `time` and sends what it enqueued. */
async function at(time: string): Promise<void> {
  h.clock!.set(time);
  await h.system.reminders.tick();
  await h.system.worker.drain();
}

/** Submits the move-date modal last opened, as `user`, with `date`; returns Bolt's answer. */
async function submitMove(user: string, date: string | null, privateMetadata?: string): Promise<{ status: number; body: string }> {
  const view = h.fake.views.at(-1)!;
  const response = await h.send(
    viewSubmission({
      user,
      viewId: view.id,
      callbackId: MOVE_MODAL.callbackId,
      privateMetadata: privateMetadata ?? String(view.view['private_metadata']),
      values: { [MOVE_MODAL.dateBlock]: { [MOVE_MODAL.dateAction]: { type: 'datepicker', selected_date: date } } },
    }),
  );
  const body = await response.text();
  await h.runtime.inFlight.drain(30_000);
  return { status: response.status, body };
}

/** A click on the summary's button as an earlier version of it showed it (a client that has not caught up). */
async function staleClick(summary: FakeMessage, action: 'move' | 'cancel', noticeId: string, user: string): Promise<Record<string, unknown>[]> {
  const value = ManageButton.encode({ n: noticeId });
  return (await h.press({ actionId: NOTICE_ACTION[action], value, user, channel: summary.channel, messageTs: summary.ts })).responses;
}

const manageButtons = (summary: FakeMessage) =>
  (summary.blocks.find((b) => b['block_id'] === NOTICE_BLOCK.manage)?.['elements'] as { action_id: string }[] | undefined)?.map((e) => e.action_id);

describe('cancelling a notice from its summary', () => {
  it('is refused to anyone but the announcer and the admins, changing nothing', async () => {
    const { noticeId, summary } = await announced();
    expect(manageButtons(summary)).toEqual([NOTICE_ACTION.move, NOTICE_ACTION.cancel]);
    const refused = await h.click(summary, 'cancel', PEOPLE.stranger.id);
    expect(refused[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(errorOf(refused)).toBe(`:warning: ${NOTICE_MESSAGES.notAllowedToManage(PEOPLE.priya.id, [PEOPLE.admin.id])}`);
    // An owner of an affected model is no more allowed than anyone else.
    expect(errorOf(await h.click(summary, 'cancel', PEOPLE.chen.id))).toBe(`:warning: ${NOTICE_MESSAGES.notAllowedToManage(PEOPLE.priya.id, [PEOPLE.admin.id])}`);
    await h.system.worker.drain();
    expect((await h.store.getNotice(noticeId))?.closedAt).toBeUndefined();
    expect(h.fake.messages).toHaveLength(3);
    expect(h.logs.some((line) => line.includes(`Refused to cancel or move notice ${noticeId}: user ${PEOPLE.stranger.id}`))).toBe(true);
    expect((await h.store.listAudit(noticeId)).map((a) => a.action)).toEqual(['notice.announced', 'notice.prepared']);
  });

  it('tells every owner once, stops reminders and the report, and refuses acknowledgements', async () => {
    const { noticeId, summary } = await announced();
    await h.click(h.fake.messagesIn(DM_CHEN)[0]!, 'acknowledge', PEOPLE.chen.id);

    const done = await h.click(summary, 'cancel', PEOPLE.priya.id);
    expect(done[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: NOTICE_MESSAGES.cancelledDone });
    await h.system.worker.drain();

    // Both owners who got it — Chen had acknowledged, the team had not — are told once.
    expect(texts(CHANNELS.fraud.id)[1]).toBe('Cancelled: the deprecation of feature group customers (2026-02-01 00:00 UTC) will not happen');
    expect(texts(DM_CHEN)[1]).toBe('Cancelled: the deprecation of feature group customers (2026-02-01 00:00 UTC) will not happen');
    const told = h.fake.messagesIn(CHANNELS.fraud.id)[1]!;
    expect(blockText(told.blocks, NOTICE_BLOCK.changed)).toBe(
      ':no_entry_sign: The deprecation of feature group `customers` announced for *2026-02-01 00:00 UTC* was cancelled by <@UPRIYA>. Nothing is asked of this team any more, and no reminders will follow.',
    );
    expect(told.blocks.some((b) => b['type'] === 'actions')).toBe(false);

    // The summary says so, and offers nothing more to do.
    expect(blockText(summary.blocks, NOTICE_BLOCK.tally)).toBe(
      ':no_entry_sign: *Cancelled* by <@UPRIYA> on 2026-01-05 09:00 UTC; every owner who got the notice was told. *1 of 2* owners have acknowledged.',
    );
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'had not acknowledged when cancelled', '—'],
      ['Chen Wu', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-01-05 09:00 UTC'],
    ]);
    expect(manageButtons(summary)).toBeUndefined();
    expect(await h.store.listOpenNotices()).toEqual([]);
    expect((await h.store.listAudit(noticeId)).map((a) => [a.actor, a.action]).at(-1)).toEqual([PEOPLE.priya.id, 'notice.cancelled']);

    // A second click, and an Acknowledge on the team's notice, change nothing.
    expect(errorOf(await staleClick(summary, 'cancel', noticeId, PEOPLE.priya.id))).toBe(`:warning: ${NOTICE_MESSAGES.noticeCancelled}`);
    expect(errorOf(await h.click(h.fake.messagesIn(CHANNELS.fraud.id)[0]!, 'acknowledge', PEOPLE.ana.id))).toBe(`:warning: ${NOTICE_MESSAGES.acknowledgeCancelled}`);
    expect(await h.store.listAcknowledgements(noticeId)).toHaveLength(1);

    // No reminder, no final report, however time passes.
    const sent = h.fake.messages.length;
    for (const day of ['2026-01-25T00:00:00Z', '2026-01-31T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']) await at(day);
    expect(h.fake.messages).toHaveLength(sent);
    expect(h.fake.messagesIn(`D${PEOPLE.priya.id}`)).toEqual([]);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });

  it('lets only the admins change a notice the watcher made', async () => {
    h = await startSlackWorkspace();
    const group = await h.source.describeFeatureGroup('customers');
    const { notice } = await h.system.service.announceDetectedChange({ name: 'customers', arn: group!.arn }, { removed: ['age'], retyped: [], deleted: false }, 'watch:lifecycle');
    await h.system.worker.drain();
    const summary = h.fake.messages.find((m) => m.blocks.some((b) => b['block_id'] === NOTICE_BLOCK.tally))!;
    expect(manageButtons(summary)).toEqual([NOTICE_ACTION.move, NOTICE_ACTION.cancel]);
    // Priya owns the group, but the watcher announced it.
    expect(errorOf(await h.click(summary, 'cancel', PEOPLE.priya.id))).toBe(`:warning: ${NOTICE_MESSAGES.notAllowedToManage(undefined, [PEOPLE.admin.id])}`);
    expect(NOTICE_MESSAGES.notAllowedToManage(undefined, [PEOPLE.admin.id])).toBe('Only the lineage admins (<@UADMIN>) can cancel this notice or move its date. Nothing was changed.');
    await h.click(summary, 'cancel', PEOPLE.admin.id);
    expect((await h.store.getNotice(notice.id))?.cancelled?.by).toBe(PEOPLE.admin.id);
  });

  it('stops a fan-out still under way: owners not reached yet never hear of it', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    const [notice] = await h.store.listOpenNotices();
    await h.system.service.cancel({ noticeId: notice!.id, userId: PEOPLE.admin.id });
    await h.system.worker.drain();
    // Only the summary goes out: nobody was told before, so nobody is told of the cancel.
    expect(h.fake.messages.map((m) => m.channel)).toEqual([CHANNELS.announce.id]);
    expect((await h.store.listDeliveries(notice!.id)).map((d) => [d.kind, d.status])).toEqual([
      ['summary', 'sent'],
      ['notice', 'cancelled'],
      ['notice', 'cancelled'],
    ]);
    expect(blockText(h.fake.messages[0]!.blocks, NOTICE_BLOCK.tally)).toContain('*Cancelled* by <@UADMIN>');
  });

  it('retries the owners’ messages through 429 and 5xx, each arriving once', async () => {
    const { summary } = await announced();
    let failures = 0;
    h.fake.before = (method) => {
      if (method !== 'chat.postMessage' || failures >= 2) return undefined;
      failures++;
      return failures === 1 ? { status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } } : { status: 503, body: 'Service Unavailable' };
    };
    await h.click(summary, 'cancel', PEOPLE.admin.id);
    await h.system.worker.drain();
    expect(failures).toBe(2);
    expect(texts(CHANNELS.fraud.id)).toHaveLength(2);
    expect(texts(DM_CHEN)).toHaveLength(2);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('moving the date of a notice from its summary', () => {
  it('asks for the date in a modal, tells owners once, and reminds and reports on the new date only', async () => {
    const { noticeId, summary } = await announced();
    await at('2026-01-25T00:00:00Z');
    expect(texts(CHANNELS.fraud.id)[1]).toContain('Reminder: deprecation of feature group customers in 7 days');
    expect(h.fake.messages).toHaveLength(5);

    // Someone else is refused before any modal opens.
    h.clock!.set('2026-01-26T10:00:00Z');
    expect(errorOf(await h.click(summary, 'move', PEOPLE.ana.id))).toBe(`:warning: ${NOTICE_MESSAGES.notAllowedToManage(PEOPLE.priya.id, [PEOPLE.admin.id])}`);
    expect(h.fake.views).toHaveLength(1); // the deprecate modal only

    // An admin gets the modal, on the current date.
    expect(await h.click(summary, 'move', PEOPLE.admin.id)).toEqual([]);
    expect(h.fake.views).toHaveLength(2);
    const modal = h.fake.views[1]!.view;
    expect(modal['callback_id']).toBe(MOVE_MODAL.callbackId);
    const picker = (modal['blocks'] as { block_id: string; element?: { initial_date?: string } }[]).find((b) => b.block_id === MOVE_MODAL.dateBlock);
    expect(picker?.element?.initial_date).toBe('2026-02-01');

    // Bad dates keep the modal open with the reason; someone else submitting it is refused.
    expect(JSON.parse((await submitMove(PEOPLE.admin.id, '2026-02-01')).body)).toEqual({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_unchanged } });
    expect(JSON.parse((await submitMove(PEOPLE.admin.id, '2026-01-20')).body)).toEqual({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_past } });
    expect(JSON.parse((await submitMove(PEOPLE.admin.id, null)).body)).toEqual({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_invalid } });
    expect(JSON.parse((await submitMove(PEOPLE.stranger.id, '2026-02-15')).body)).toEqual({ response_action: 'errors', errors: { [MOVE_MODAL.dateBlock]: NOTICE_MESSAGES.noLongerAllowedToManage } });
    expect(JSON.parse((await submitMove(PEOPLE.admin.id, '2026-02-15', 'not json')).body)).toMatchObject({ response_action: 'errors' });
    expect((await h.store.getNotice(noticeId))?.effectiveDate).toBe('2026-02-01');

    // Moved: the modal closes, each owner who got the notice is told once, the summary says so.
    expect(await submitMove(PEOPLE.admin.id, '2026-02-15')).toEqual({ status: 200, body: '' });
    expect(await h.store.getNotice(noticeId)).toMatchObject({ effectiveDate: '2026-02-15', revision: 1, moved: { from: '2026-02-01', by: PEOPLE.admin.id } });
    await h.system.worker.drain();
    const moved = h.fake.messagesIn(CHANNELS.fraud.id)[2]!;
    expect(moved.text).toBe('Date moved: the deprecation of feature group customers is now on 2026-02-15 00:00 UTC');
    expect(blockText(moved.blocks, NOTICE_BLOCK.changed)).toBe(':calendar: The date was moved from ~2026-02-01~ to *2026-02-15 00:00 UTC* by <@UADMIN> on 2026-01-26 10:00 UTC.');
    expect(texts(DM_CHEN)[2]).toBe('Date moved: the deprecation of feature group customers is now on 2026-02-15 00:00 UTC');
    expect(blockText(summary.blocks, NOTICE_BLOCK.change)).toContain('The date was moved from ~2026-02-01~ to *2026-02-15 00:00 UTC* by <@UADMIN>');
    expect(summary.blocks.find((b) => b['block_id'] === NOTICE_BLOCK.header)).toMatchObject({ text: { text: 'Deprecation of feature group customers — 2026-02-15 UTC' } });
    expect(h.fake.messages).toHaveLength(7);

    // Chen acknowledges from the message about the move.
    await h.click(h.fake.messagesIn(DM_CHEN)[2]!, 'acknowledge', PEOPLE.chen.id);
    expect((await h.store.listAcknowledgements(noticeId)).map((a) => a.recipientKey)).toEqual([`user:${PEOPLE.chen.id}`]);

    // The old date's last reminder and report do not come; the new date's reminders do, once each.
    await at('2026-01-31T00:00:00Z');
    await at('2026-02-01T00:00:00Z');
    expect(h.fake.messages).toHaveLength(7);
    await at('2026-02-08T00:00:00Z');
    await at('2026-02-08T06:00:00Z');
    expect(texts(CHANNELS.fraud.id)[3]).toBe('Reminder: deprecation of feature group customers in 7 days (2026-02-15 00:00 UTC); please acknowledge');
    await at('2026-02-14T00:00:00Z');
    expect(texts(CHANNELS.fraud.id)[4]).toBe('Reminder: deprecation of feature group customers tomorrow (2026-02-15 00:00 UTC); please acknowledge');
    expect(texts(DM_CHEN)).toHaveLength(3); // acknowledged: no reminders for the new date
    await at('2026-02-15T00:00:00Z');
    expect(texts(`D${PEOPLE.priya.id}`)).toEqual(['Final report: deprecation of feature group customers (2026-02-15 00:00 UTC): 1 of 2 owners acknowledged']);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
    expect((await h.store.listAudit(noticeId)).filter((a) => a.action === 'notice.moved').map((a) => a.detail)).toEqual([{ from: '2026-02-01', to: '2026-02-15' }]);
  });

  it('drops reminders of the old date still waiting to be sent', async () => {
    const { noticeId } = await announced();
    h.clock!.set('2026-01-25T00:00:00Z');
    await h.system.reminders.tick(); // enqueued, not sent yet
    await h.system.service.move({ noticeId, userId: PEOPLE.priya.id, effectiveDate: '2026-03-01' });
    await h.system.worker.drain();
    const deliveries = await h.store.listDeliveries(noticeId);
    expect(deliveries.filter((d) => d.kind === 'reminder').map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect(deliveries.filter((d) => d.kind === 'moved').map((d) => [d.status, d.revision])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(texts(CHANNELS.fraud.id).map((t) => t.split(':')[0])).toEqual(['Deprecation of feature group customers on 2026-02-01 00', 'Date moved']);
  });
});

describe('acknowledging after the date, and the final report', () => {
  it('lists who never acknowledged, then accepts a late acknowledgement and shows it as late', async () => {
    const { noticeId, summary } = await announced();
    await h.click(h.fake.messagesIn(DM_CHEN)[0]!, 'acknowledge', PEOPLE.chen.id);
    await at('2026-02-01T00:00:00Z');
    const report = h.fake.messagesIn(`D${PEOPLE.priya.id}`)[0]!;
    expect(tableRows(report.blocks, NOTICE_BLOCK.recipientTable)?.slice(0, 2)).toEqual([['Owner', 'Models and endpoints', 'Status', 'Acknowledged'], ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'did not acknowledge', '—']]);
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)?.slice(0, 2)).toEqual([['Owner', 'Models and endpoints', 'Status', 'Acknowledged'], ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'never acknowledged', '—']]);
    expect(manageButtons(summary)).toBeUndefined();
    expect(errorOf(await staleClick(summary, 'move', noticeId, PEOPLE.priya.id))).toBe(`:warning: ${NOTICE_MESSAGES.noticeClosed}`);

    h.clock!.set('2026-02-02T10:30:00Z');
    const late = await h.click(h.fake.messagesIn(CHANNELS.fraud.id)[0]!, 'acknowledge', PEOPLE.ana.id);
    expect(blockText(late[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.acknowledged)).toBe(
      ':white_check_mark: Acknowledged by <@UANA> on 2026-02-02 10:30 UTC — late, after the effective date (2026-02-01 00:00 UTC).',
    );
    await h.system.worker.drain();
    // Nobody is awaited any more: every row is acknowledged, the late one said to be late.
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'acknowledged', 'by <@UANA>, 2026-02-02 10:30 UTC (late, after the date)'],
      ['Chen Wu', 'churn-predictor, churn-predictor-prod', 'acknowledged', '2026-01-05 09:00 UTC'],
    ]);
    expect((await h.store.listAcknowledgements(noticeId)).map((a) => a.userId)).toEqual([PEOPLE.chen.id, PEOPLE.ana.id]);
  });
});
