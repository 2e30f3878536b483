// `/lineage graph <entity>` over the real runtime: the text answer in the channel, then the PNG in
// its thread through files.uploadV2's three steps against the fake Slack, and what the asker is
// told when the picture cannot be posted (no files:write), with the text answer left in place.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GRAPH_ACTION } from '../../blocks/index.js';
import { NOTICE_BLOCK } from '../../blocks/notices/ids.js';
import { MESSAGES } from '../../commands/messages.js';
import { pictureFileName } from '../../commands/lineage/graph.js';
import { SUBCOMMANDS } from '../../commands/subcommands.js';
import { ownerReach } from '../../src/notices/impact.js';
import type { FakeMessage } from '../support/slack-fake.js';
import { BOT_USER, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace | undefined;
afterEach(async () => h?.close());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function texts(responses: Record<string, unknown>[]): string {
  return JSON.stringify(responses);
}

describe('/lineage graph', () => {
  it('posts the answer, then the PNG into its thread with the caption and alt text (three-step upload)', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(responses).toEqual([]);
    const [answer, ...others] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(others).toEqual([]);
    expect(answer?.text).toContain('fraud-detector');
    const methods = h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.'));
    expect(methods).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(h.fake.files).toHaveLength(1);
    const file = h.fake.files[0]!;
    expect(file.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.bytes?.length).toBe(file.length);
    expect(file.filename).toBe('lineage-fraud-detector.png');
    expect(file.channel).toBe(CHANNELS.announce.id);
    expect(file.threadTs).toBe(answer?.ts);
    expect(file.initialComment).toBe('Lineage around model fraud-detector: 12 entities.');
    expect(file.altText).toMatch(/^Lineage around model fraud-detector, drawn left to right: .*\bmodel\b/);
    expect(file.altText!.length).toBeLessThanOrEqual(1000);
  });

  it('is listed in help', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('help', PEOPLE.ana.id);
    expect(texts(responses)).toContain('graph &lt;name|arn|s3-uri&gt;');
    expect(SUBCOMMANDS.find((s) => s.names.includes('graph'))?.description).toMatch(/picture/);
  });

  it('without files:write, keeps the text answer and tells the asker which scope is missing', async () => {
    h = await startSlackWorkspace();
    h.fake.inject(/^files\./, { error: 'missing_scope', needed: 'files:write', provided: 'chat:write' });
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    const [answer] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(answer?.text).toContain('fraud-detector');
    expect(answer?.updates).toBe(0);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(texts(responses)).toContain(MESSAGES.pictureNeedsScope);
    expect(MESSAGES.pictureNeedsScope).toContain('`files:write`');
    expect(h.fake.files.every((f) => f.channel === undefined)).toBe(true);
  });

  it('an upload that still fails (5xx) after the client\'s retries leaves the text answer and says the picture failed', async () => {
    h = await startSlackWorkspace();
    h.fake.beforeUpload = () => ({ status: 503, body: 'unavailable' });
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toHaveLength(1);
    expect(h.fake.callsTo('files.completeUploadExternal')).toEqual([]);
    expect(texts(responses)).toContain(MESSAGES.pictureFailed);
    expect(h.logs.join('\n')).toMatch(/Posting a lineage picture failed/);
  });

  it('an upload answered 503, then 429, is retried by the app\'s Web API client and lands in the thread', async () => {
    h = await startSlackWorkspace({ retryConfig: { retries: 3, minTimeout: 1, maxTimeout: 1 } });
    const failures = [
      { status: 503, body: 'unavailable' },
      { status: 429, headers: { 'retry-after': '0' }, body: 'ratelimited' },
    ];
    let attempts = 0;
    h.fake.beforeUpload = () => {
      attempts++;
      return failures.shift();
    };
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(responses).toEqual([]);
    expect(attempts).toBe(3);
    const [answer] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(h.fake.files).toHaveLength(1);
    expect(h.fake.files[0]?.threadTs).toBe(answer?.ts);
    expect(h.fake.files[0]?.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('an unknown entity is answered as any question is, and nothing is uploaded', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph no-such-thing', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([]);
    expect(h.fake.files).toEqual([]);
    expect(texts(responses)).toContain('no-such-thing');
  });

  it('a missing entity asks for one', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(texts(responses)).toContain('graph &lt;name|arn|s3-uri&gt;');
    expect(h.fake.files).toEqual([]);
  });
});

/** The Graph button among a message's blocks. */
function graphButtonIn(blocks: readonly Record<string, unknown>[], blockId?: string): { action_id: string; value: string; text: { text: string } } | undefined {
  return blocks
    .filter((b) => b['type'] === 'actions' && (blockId === undefined || b['block_id'] === blockId))
    .flatMap((b) => b['elements'] as { action_id: string; value: string; text: { text: string } }[])
    .find((e) => e.action_id === GRAPH_ACTION);
}

async function answerIn(h: SlackWorkspace, question: string): Promise<FakeMessage> {
  await h.run(question, PEOPLE.ana.id, CHANNELS.announce.id);
  const answer = h.fake.messagesIn(CHANNELS.announce.id).at(-1);
  if (!answer) throw new Error(`no answer to ${question}`);
  return answer;
}

/** Sends an event and waits until the app has answered everything it started. */
async function send(h: SlackWorkspace, event: Record<string, unknown>): Promise<void> {
  expect((await h.event(event)).status).toBe(200);
  await h.runtime.inFlight.drain(30_000);
}

describe('the Graph button', () => {
  it('under an answer posts the picture of its subject into the answer\'s thread', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'fg customers');
    const button = graphButtonIn(answer.blocks);
    expect(button?.text.text).toBe('Graph');
    const { responses } = await h.press({ actionId: GRAPH_ACTION, value: button!.value, user: PEOPLE.ana.id, channel: CHANNELS.announce.id, messageTs: answer.ts });
    expect(responses).toEqual([]);
    expect(h.fake.files).toHaveLength(1);
    const file = h.fake.files[0]!;
    expect(file).toMatchObject({ filename: 'lineage-customers.png', channel: CHANNELS.announce.id, threadTs: answer.ts });
    expect(file.initialComment).toMatch(/^Lineage around feature group customers: \d+ entities\.$/);
    expect(file.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // The text answer is left as it was.
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([answer]);
  });

  it('on a value this bot did not make tells the presser alone, and uploads nothing', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.press({ actionId: GRAPH_ACTION, value: '{"i":""}', user: PEOPLE.ana.id, channel: CHANNELS.announce.id, messageTs: '1.0' });
    expect(responses).toEqual([expect.objectContaining({ response_type: 'ephemeral', replace_original: false })]);
    expect(texts(responses)).toContain(MESSAGES.unknownButton);
    expect(h.fake.files).toEqual([]);
  });

  it('without files:write tells the presser which scope is missing; the answer stays', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    h.fake.before = (method) => (method.startsWith('files.') ? { status: 200, body: { ok: false, error: 'missing_scope', needed: 'files:write' } } : undefined);
    const { responses } = await h.press({ actionId: GRAPH_ACTION, value: graphButtonIn(answer.blocks)!.value, user: PEOPLE.ana.id, channel: CHANNELS.announce.id, messageTs: answer.ts });
    expect(texts(responses)).toContain(MESSAGES.pictureNeedsScope);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([answer]);
  });
});

describe('the impact picture', () => {
  it('the impact answer\'s Graph button posts the blast radius, coloured by the owner reach the answer computed', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('impact customers', PEOPLE.ana.id, CHANNELS.announce.id);
    const blocks = (responses[0]?.['blocks'] ?? []) as Record<string, unknown>[];
    const button = graphButtonIn(blocks, NOTICE_BLOCK.picture);
    expect(button).toBeDefined();
    // The impact answer is only the asker's (an ephemeral message): its picture goes to their DM, not the channel.
    expect((await h.interaction(impactGraphPress(button!.value))).status).toBe(200);
    await h.runtime.inFlight.drain(30_000);
    expect(h.fake.files).toHaveLength(1);
    const file = h.fake.files[0]!;
    expect(file).toMatchObject({ filename: 'impact-customers.png', channel: `D${PEOPLE.ana.id}` });
    expect(file.threadTs).toBeUndefined();
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([]);
    expect(h.fake.responsesTo('https://hooks.slack.com/actions/T1/impact/secret')).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: 'Only you saw that answer, so its picture is in your direct messages with the bot.' }),
    ]);
    expect(file.initialComment).toMatch(/^Who a change to feature group customers reaches: /);
    // The colours come from who the impact answer says a notice would reach.
    const reach = ownerReach(await h.runtime.notices!.service.impact('customers'));
    const reachable = reach.filter((r) => r.reach === 'reachable').length;
    const unreachable = reach.length - reachable;
    expect(reach.length).toBeGreaterThan(0);
    expect(file.altText).toContain(
      ` Of the models and endpoints: ${[...(reachable ? [`${reachable} with owners who can be told`] : []), ...(unreachable ? [`${unreachable} whose owners cannot be reached`] : [])].join(', ')}.`,
    );
    expect(file.altText).not.toContain('not looked up');
  });

  it('when the direct message cannot be opened, the presser is told and nothing is posted in the channel', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('impact customers', PEOPLE.ana.id, CHANNELS.announce.id);
    const button = graphButtonIn((responses[0]?.['blocks'] ?? []) as Record<string, unknown>[], NOTICE_BLOCK.picture);
    h.fake.inject('conversations.open', { error: 'missing_scope', needed: 'im:write' });
    expect((await h.interaction(impactGraphPress(button!.value))).status).toBe(200);
    await h.runtime.inFlight.drain(30_000);
    expect(h.fake.files).toEqual([]);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([]);
    expect(h.fake.responsesTo('https://hooks.slack.com/actions/T1/impact/secret')).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: 'The answer is above, but the picture could not be drawn or posted. It has been logged; try again later.' }),
    ]);
  });
});

/** Ana pressing the Graph button of her own (ephemeral) impact answer in #announce. */
function impactGraphPress(value: string | undefined) {
  return {
    type: 'block_actions',
    user: { id: PEOPLE.ana.id, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: CHANNELS.announce.id, is_ephemeral: true },
    trigger_id: 'trigger-impact',
    team: { id: 'T1', domain: 'acme' },
    channel: { id: CHANNELS.announce.id, name: 'announce' },
    response_url: 'https://hooks.slack.com/actions/T1/impact/secret',
    actions: [{ type: 'button', action_id: GRAPH_ACTION, block_id: NOTICE_BLOCK.picture, text: { type: 'plain_text', text: 'Graph' }, value, action_ts: '1' }],
  };
}

describe('"graph" in an answer\'s thread', () => {
  it('"@Lineage graph" in the thread posts the picture of the thread\'s entity there, with no other reply', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    await send(h, { type: 'app_mention', user: PEOPLE.ana.id, text: `<@${BOT_USER}> graph`, ts: '1700000100.000200', thread_ts: answer.ts, channel: CHANNELS.announce.id, event_ts: '1700000100.000200' });
    expect(h.fake.files).toHaveLength(1);
    expect(h.fake.files[0]).toMatchObject({ filename: 'lineage-fraud-detector.png', channel: CHANNELS.announce.id, threadTs: answer.ts });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('"@Lineage show me a picture" reads as the same follow-up', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'fg customers');
    await send(h, { type: 'app_mention', user: PEOPLE.ana.id, text: `<@${BOT_USER}> show me a picture`, ts: '1700000100.000300', thread_ts: answer.ts, channel: CHANNELS.announce.id, event_ts: '1700000100.000300' });
    expect(h.fake.files.map((f) => [f.filename, f.threadTs])).toEqual([['lineage-customers.png', answer.ts]]);
  });

  it('"@Lineage graph fraud-detector" anywhere: the answer in a thread of its own, then the picture under it', async () => {
    h = await startSlackWorkspace();
    const ts = '1700000200.000100';
    await send(h, { type: 'app_mention', user: PEOPLE.ana.id, text: `<@${BOT_USER}> graph fraud-detector`, ts, channel: CHANNELS.announce.id, event_ts: ts });
    const posted = h.fake.callsTo('chat.postMessage');
    expect(posted.map((p) => p['thread_ts'])).toEqual([ts]);
    expect(String(posted[0]?.['text'])).toContain('fraud-detector');
    expect(h.fake.files.map((f) => [f.filename, f.threadTs])).toEqual([['lineage-fraud-detector.png', ts]]);
  });

  it('a mention whose picture cannot be posted says why in the thread (a mention has no response_url)', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    h.fake.before = (method) => (method.startsWith('files.') ? { status: 200, body: { ok: false, error: 'missing_scope', needed: 'files:write' } } : undefined);
    await send(h, { type: 'app_mention', user: PEOPLE.ana.id, text: `<@${BOT_USER}> graph`, ts: '1700000100.000400', thread_ts: answer.ts, channel: CHANNELS.announce.id, event_ts: '1700000100.000400' });
    const reply = h.fake.callsTo('chat.postMessage').at(-1);
    expect(reply?.['thread_ts']).toBe(answer.ts);
    expect(JSON.stringify(reply?.['blocks'])).toContain('`files:write`');
  });

  it('the word "graph" replied alone in the thread, without a mention, posts the picture', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    await send(h, { type: 'message', channel_type: 'channel', user: PEOPLE.ana.id, text: 'Graph?', ts: '1700000100.000500', thread_ts: answer.ts, channel: CHANNELS.announce.id, event_ts: '1700000100.000500' });
    expect(h.fake.files.map((f) => [f.filename, f.threadTs])).toEqual([['lineage-fraud-detector.png', answer.ts]]);
  });

  it('leaves alone a sentence about graphs, a thread that is not the bot\'s, a top-level "graph" and an edit', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    const base = { type: 'message', channel_type: 'channel', user: PEOPLE.ana.id, channel: CHANNELS.announce.id };
    // The bot hears every message of its channels: those no listener acts on cost no store write either.
    const marked = vi.spyOn(h.store, 'markEventProcessed');
    await send(h, { ...base, text: 'the graph in the wiki is out of date', ts: '1700000100.000600', thread_ts: answer.ts });
    await send(h, { ...base, text: 'graph', ts: '1700000100.000700', thread_ts: '1600000000.000100' });
    await send(h, { ...base, text: 'graph', ts: '1700000100.000800' });
    await send(h, { ...base, subtype: 'message_changed', ts: '1700000100.000900', thread_ts: answer.ts, message: { text: 'graph' } });
    expect(h.fake.files).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    // Only "graph" in the other thread could be for the bot (the store says whose thread it is).
    expect(marked).toHaveBeenCalledTimes(1);
  });

  it('a "graph" reply Slack delivers twice is drawn once', async () => {
    h = await startSlackWorkspace();
    const answer = await answerIn(h, 'model fraud-detector');
    const reply = { type: 'message', channel_type: 'channel', user: PEOPLE.ana.id, text: 'graph', ts: '1700000100.001000', thread_ts: answer.ts, channel: CHANNELS.announce.id };
    expect((await h.event(reply, { eventId: 'EvGraph' })).status).toBe(200);
    await h.runtime.inFlight.drain(30_000);
    expect((await h.event(reply, { eventId: 'EvGraph', retryNum: 1 })).status).toBe(200);
    await h.runtime.inFlight.drain(30_000);
    expect(h.fake.files).toHaveLength(1);
  });
});

describe('pictureFileName', () => {
  it('keeps safe characters only, never empty', () => {
    expect(pictureFileName('fraud-detector')).toBe('lineage-fraud-detector.png');
    expect(pictureFileName('customers', 'impact')).toBe('impact-customers.png');
    expect(pictureFileName('a"b]<c>/../d')).toBe('lineage-a-b-c-..-d.png');
    expect(pictureFileName('<<>>')).toBe('lineage-entity.png');
    expect(pictureFileName('x'.repeat(2000))).toHaveLength('lineage-.png'.length + 80);
  });
});
