// Who may acknowledge a notice, through the real runtime over HTTP (signed requests in, a fake
// Slack workspace behind nock out): the owner in a DM, a member of the team channel for the team,
// and nobody else — forged and mismatched clicks change nothing, are logged, and the clicker is
// told why.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNoticeButton, NOTICE_ACTION, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { NOTICE_MESSAGES } from '../../commands/messages.js';
import { DAY_MS } from '../../src/notices/clock.js';
import { utcDate } from '../../src/notices/schedule.js';
import type { FakeMessage } from '../support/slack-fake.js';
import { blockText, startSlackWorkspace, until, type SlackWorkspace } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let w: SlackWorkspace | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** The demo's customers notice, announced by its owner and delivered: a DM to Chen, a post in #fraud-ml. */
async function delivered(): Promise<{ noticeId: string; dm: FakeMessage; team: FakeMessage }> {
  w = await startSlackWorkspace({ realTime: true });
  const { notice } = await w.runtime.notices!.service.announce({
    featureGroup: 'customers',
    kind: 'deprecation',
    effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
    userId: PEOPLE.priya.id,
    channelId: CHANNELS.announce.id,
    sourceKey: 'test:acknowledge',
  });
  await until(() => w!.fake.messages.length === 3, 'the fan-out');
  return { noticeId: notice.id, dm: w.fake.messagesIn(`D${PEOPLE.chen.id}`)[0]!, team: w.fake.messagesIn(CHANNELS.fraud.id)[0]! };
}

function buttonOf(message: FakeMessage): string {
  const button = message.blocks
    .filter((b) => b['type'] === 'actions')
    .flatMap((b) => b['elements'] as { action_id: string; value: string }[])
    .find((e) => e.action_id === NOTICE_ACTION.acknowledge);
  if (!button) throw new Error('no Acknowledge button');
  return button.value;
}

const acknowledge = (message: FakeMessage, user: string, value = buttonOf(message), channel = message.channel) =>
  w!.press({ actionId: NOTICE_ACTION.acknowledge, value, user, channel, messageTs: message.ts });

const errorOf = (response: Record<string, unknown> | undefined) => blockText((response?.['blocks'] ?? []) as Record<string, unknown>[], 'lineage_error');

async function expectRefused(click: Promise<{ status: number; responses: Record<string, unknown>[] }>, noticeId: string, message: string, logged: string): Promise<void> {
  const { status, responses } = await click;
  expect(status).toBe(200);
  expect(responses).toHaveLength(1);
  expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(errorOf(responses[0])).toBe(`:warning: ${message}`);
  expect(await w!.store.listAcknowledgements(noticeId)).toEqual([]);
  expect(w!.logs.some((line) => line.includes(logged))).toBe(true);
}

describe('acknowledging a notice sent by DM', () => {
  it('counts the owner', async () => {
    const { noticeId, dm } = await delivered();
    const { responses } = await acknowledge(dm, PEOPLE.chen.id);
    expect(responses[0]).toMatchObject({ replace_original: true });
    expect(blockText(responses[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.acknowledged)).toContain(`Acknowledged by <@${PEOPLE.chen.id}>`);
    expect((await w!.store.listAcknowledgements(noticeId)).map((a) => [a.recipientKey, a.userId])).toEqual([[`user:${PEOPLE.chen.id}`, PEOPLE.chen.id]]);
  });

  it('refuses anyone else, recording nothing', async () => {
    const { noticeId, dm } = await delivered();
    await expectRefused(acknowledge(dm, PEOPLE.ana.id), noticeId, NOTICE_MESSAGES.acknowledgeRefused.not_the_owner(PEOPLE.chen.id), 'Refused an Acknowledge click: not_the_owner');
  });
});

describe('acknowledging a notice posted in a team channel', () => {
  it('counts a member of the channel for the team, and the summary says who', async () => {
    const { noticeId, team } = await delivered();
    const { responses } = await acknowledge(team, PEOPLE.ana.id);
    expect(responses[0]).toMatchObject({ replace_original: true });
    expect((await w!.store.listAcknowledgements(noticeId)).map((a) => [a.recipientKey, a.userId])).toEqual([[`channel:${CHANNELS.fraud.id}`, PEOPLE.ana.id]]);
    const summary = w!.fake.messagesIn(CHANNELS.announce.id)[0]!;
    await until(() => summary.updates > 0, 'the summary update');
    const fraud = tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)?.find((row) => row[0] === '#fraud-ml');
    expect(fraud?.slice(0, 3)).toEqual(['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'acknowledged']);
    expect(fraud?.[3]).toMatch(/^by <@UANA>, \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });

  it('refuses someone who is not a member of the channel', async () => {
    const { noticeId, team } = await delivered();
    await expectRefused(
      acknowledge(team, PEOPLE.stranger.id),
      noticeId,
      NOTICE_MESSAGES.acknowledgeRefused.not_in_channel(CHANNELS.fraud.id),
      'Refused an Acknowledge click: not_in_channel',
    );
    // Membership was asked of Slack, for that channel.
    expect(w!.fake.callsTo('conversations.members').map((p) => p['channel'])).toEqual([CHANNELS.fraud.id]);
  });

  it('finds a member on a later page of a large channel', async () => {
    const { noticeId, team } = await delivered();
    const crowd = Array.from({ length: 2_500 }, (_, i) => `UCROWD${String(i).padStart(4, '0')}`);
    w!.fake.channels.set(CHANNELS.fraud.id, { ...CHANNELS.fraud, members: [...crowd, PEOPLE.ana.id] });
    await acknowledge(team, PEOPLE.ana.id);
    expect(w!.fake.callsTo('conversations.members')).toHaveLength(3);
    expect(await w!.store.listAcknowledgements(noticeId)).toHaveLength(1);
  });

  it('records nothing when Slack cannot say who is in the channel', async () => {
    const { noticeId, team } = await delivered();
    w!.fake.inject('conversations.members', { error: 'missing_scope', needed: 'channels:read' });
    await expectRefused(acknowledge(team, PEOPLE.ana.id), noticeId, NOTICE_MESSAGES.acknowledgeCheckFailed, 'Could not check an Acknowledge click: Slack answered missing_scope');
  });
});

describe('forged and mismatched clicks', () => {
  it('change nothing, are logged, and tell the clicker', async () => {
    const { noticeId, dm, team } = await delivered();
    // A notice that does not exist.
    await expectRefused(
      acknowledge(dm, PEOPLE.chen.id, encodeNoticeButton({ n: '3f1d2c4b-5a6e-4f70-8a9b-0c1d2e3f4a5b', r: `user:${PEOPLE.chen.id}` })),
      noticeId,
      NOTICE_MESSAGES.noticeNotFound,
      'Refused an Acknowledge click on a notice that does not exist',
    );
    // The right notice, a recipient it does not have.
    await expectRefused(
      acknowledge(dm, PEOPLE.stranger.id, encodeNoticeButton({ n: noticeId, r: `user:${PEOPLE.stranger.id}` })),
      noticeId,
      NOTICE_MESSAGES.acknowledgeRefused.not_a_recipient,
      'Refused an Acknowledge click: not_a_recipient',
    );
    // The team's button value, clicked in Chen's DM by Chen (who is not in the team channel either).
    await expectRefused(
      acknowledge(dm, PEOPLE.chen.id, buttonOf(team)),
      noticeId,
      NOTICE_MESSAGES.acknowledgeRefused.wrong_conversation,
      'Refused an Acknowledge click: wrong_conversation',
    );
    // Chen's button value, clicked by Chen from the team channel (where his DM's message is not).
    await expectRefused(acknowledge(dm, PEOPLE.chen.id, buttonOf(dm), CHANNELS.fraud.id), noticeId, NOTICE_MESSAGES.acknowledgeRefused.wrong_conversation, 'wrong_conversation');
    // Values that do not parse.
    for (const value of ['not json', '{"n":"x","r":"user:U1"}', JSON.stringify({ n: noticeId, r: '<!channel>' }), '']) {
      await expectRefused(acknowledge(dm, PEOPLE.chen.id, value), noticeId, NOTICE_MESSAGES.acknowledgeNotUnderstood, 'Refused an Acknowledge click whose value does not parse');
    }
    // The summary never moved.
    expect(w!.fake.messagesIn(CHANNELS.announce.id)[0]!.updates).toBe(0);
    expect((await w!.store.listAudit(noticeId)).map((a) => a.action)).toEqual(['notice.announced', 'notice.prepared']);
  });
});
