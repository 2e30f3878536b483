// The assistant pane end to end through real Bolt: assistant_thread_started, its messages and
// assistant_thread_context_changed as signed HTTP events, the FakeSlack's assistant.threads.*
// recording what the pane shows.
import { afterEach, describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { contextKey, DEFAULT_TITLE, threadTitle, TITLE_MAX, WORKING_STATUS } from '../../commands/lineage/assistant.js';
import { HELP_PROMPT, MAX_PROMPTS, PROMPT_LIMITS, PROMPTS_TITLE, suggestedPrompts } from '../../commands/lineage/assistant-prompts.js';
import { HINTS } from '../../commands/messages.js';
import { parseCommandText } from '../../commands/subcommands.js';
import { FakeSlack } from '../support/slack-fake.js';
import { BOT_USER, CHANNEL, startSlackApp, type SlackHarness } from '../support/slack-http.js';

const header = (blocks: readonly unknown[]) => (blocks as KnownBlock[]).find((b) => b.type === 'header') as { text: { text: string } } | undefined;
const sectionTexts = (blocks: readonly unknown[]) => (blocks as KnownBlock[]).flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

/** Ana owns fraud-detector and fraud-detector-prod in the demo (owner tag = her email). */
const ANA = { id: 'U1', email: 'ana.silva@example.com', name: 'Ana' };
const NOBODY = { id: 'U2', name: 'Nobody' };
const DM = `D${ANA.id}`;
const THREAD = '100.000001';

const started = (user = ANA.id, channel = CHANNEL.id) => ({
  type: 'assistant_thread_started',
  assistant_thread: { user_id: user, context: { channel_id: channel, team_id: 'T1' }, channel_id: `D${user}`, thread_ts: THREAD },
  event_ts: '100.000002',
});
const said = (text: string, ts: string, user = ANA.id) => ({ type: 'message', channel: `D${user}`, channel_type: 'im', user, text, ts, thread_ts: THREAD, event_ts: ts });

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<SlackHarness> {
  return startSlackApp({ fake: new FakeSlack({ users: [ANA, NOBODY], channels: [{ ...CHANNEL }] }) });
}

describe('opening the assistant pane', () => {
  it("suggests questions about the person's own models and the feature groups behind them, and greets", async () => {
    app = await start();
    await app.event(started());
    await app.settle();
    const thread = app.fake.assistantThreads.get(`${DM}/${THREAD}`);
    expect(thread?.promptsTitle).toBe(PROMPTS_TITLE);
    expect(thread?.prompts).toEqual([
      { title: 'What does fraud-detector depend on?', message: 'deps fraud-detector' },
      { title: 'Who uses claims?', message: 'fg claims' },
      { title: 'What does fraud-detector-prod depend on?', message: 'deps fraud-detector-prod' },
      { title: 'Who uses customers?', message: 'fg customers' },
    ]);
    // Each prompt is a question the /lineage table knows.
    for (const prompt of thread?.prompts ?? []) expect(parseCommandText(prompt.message).kind).toBe('question');
    const [greeting, ...others] = app.fake.messagesIn(DM);
    expect(others).toEqual([]);
    expect(greeting).toMatchObject({ threadTs: THREAD, text: HINTS.assistantGreeting });
    // The channel the pane was opened beside is kept in the bot's own memory.
    expect((await app.store.getThreadContext(contextKey(DM, THREAD)))?.input).toBe(CHANNEL.id);
  });

  it("suggests first what the channel beside the pane asked about lately, as the bot's store remembers it", async () => {
    app = await start();
    await app.event({ type: 'app_mention', user: NOBODY.id, text: `<@${BOT_USER}> fg claims-v2`, ts: '60.0', channel: CHANNEL.id, event_ts: '60.0' });
    await app.event({ type: 'app_mention', user: NOBODY.id, text: `<@${BOT_USER}> endpoint churn-predictor-prod`, ts: '61.0', channel: CHANNEL.id, event_ts: '61.0' });
    await app.settle();
    app.forget();
    await app.event(started());
    await app.settle();
    // Read from the store: no conversations.history call.
    expect(app.apiCalls()).toEqual(['users.info', 'assistant.threads.setSuggestedPrompts', 'chat.postMessage']);
    expect(app.fake.assistantThreads.get(`${DM}/${THREAD}`)?.prompts?.map((p) => p.message)).toEqual(['deps churn-predictor-prod', 'fg claims-v2', 'deps fraud-detector', 'fg claims']);
  });

  it('suggests asking what it can answer to someone who owns nothing', async () => {
    app = await start();
    await app.event(started(NOBODY.id));
    await app.settle();
    expect(app.fake.assistantThreads.get(`D${NOBODY.id}/${THREAD}`)?.prompts).toEqual([HELP_PROMPT]);
    // Clicking it lists what the bot answers, in the pane's thread.
    await app.event(said(HELP_PROMPT.message, '100.000010', NOBODY.id));
    await app.settle();
    const help = app.fake.messagesIn(`D${NOBODY.id}`).find((m) => m.blocks.length > 0);
    expect(help?.threadTs).toBe(THREAD);
    expect(header(help?.blocks ?? [])?.text.text).toBe('Lineage bot: what you can ask');
  });

  it.each([
    ['a 429', { ratelimited: true as const, retryAfterSeconds: 0 }],
    ['a 503', { status: 503 }],
  ])('when Slack answers setSuggestedPrompts with %s, the greeting names the questions instead', async (_, fault) => {
    app = await start();
    app.fake.inject('assistant.threads.setSuggestedPrompts', fault);
    await app.event(started());
    await app.settle();
    expect(app.fake.assistantThreads.get(`${DM}/${THREAD}`)?.prompts).toBeUndefined();
    const [greeting] = app.fake.messagesIn(DM);
    expect(greeting?.text).toBe(
      `${HINTS.assistantGreeting}\n${HINTS.assistantTry(['deps fraud-detector', 'fg claims', 'deps fraud-detector-prod', 'fg customers'])}`,
    );
    // And the pane still answers.
    await app.event(said('Who uses customers?', '100.000010'));
    await app.settle();
    expect(header(app.fake.messagesIn(DM)[1]?.blocks ?? [])?.text.text).toBe('Consumers of feature group customers');
  });

  it('still greets when the owner lookup fails (users.info refused): the Slack ID alone finds nothing here', async () => {
    app = await start();
    app.fake.inject('users.info', { status: 500 });
    await app.event(started());
    await app.settle();
    expect(app.fake.assistantThreads.get(`${DM}/${THREAD}`)?.prompts).toEqual([HELP_PROMPT]);
    expect(app.fake.messagesIn(DM)[0]?.text).toBe(HINTS.assistantGreeting);
  });
});

describe('a message in the pane', () => {
  it('is answered with the blocks a mention gets, under a working status, and titles the thread', async () => {
    app = await start();
    await app.event({ type: 'app_mention', user: ANA.id, text: `<@${BOT_USER}> What does fraud-detector depend on?`, ts: '50.0', channel: CHANNEL.id, event_ts: '50.0' });
    await app.settle();
    const mentionAnswer = app.onlyPost();
    // The sentence's words pick the question, as a thread follow-up's do: what it depends on, not its whole trail.
    expect(header(mentionAnswer.blocks)?.text.text).toBe('Feature groups behind model fraud-detector');
    app.forget();

    await app.event(said('What does fraud-detector depend on?', '100.000010'));
    await app.settle();
    expect(app.apiCalls()).toEqual(['assistant.threads.setStatus', 'chat.postMessage', 'assistant.threads.setTitle']);
    const [answer, ...others] = app.fake.messagesIn(DM);
    expect(others).toEqual([]);
    expect(answer?.threadTs).toBe(THREAD);
    expect(answer?.blocks).toEqual(mentionAnswer.blocks);
    const thread = app.fake.assistantThreads.get(`${DM}/${THREAD}`);
    expect(thread?.statuses).toEqual([WORKING_STATUS]);
    expect(thread?.title).toBe('What does fraud-detector depend on?');
    // Clicking a suggested prompt sends its message: answered as the subcommand is.
    await app.event(said('deps fraud-detector-prod', '100.000012'));
    await app.settle();
    expect(header(app.fake.messagesIn(DM)[1]?.blocks ?? [])?.text.text).toBe('Feature groups behind endpoint fraud-detector-prod');
    // The pane's thread remembers its entity: a follow-up is answered about it, and keeps the title.
    await app.event(said('owners?', '100.000011'));
    await app.settle();
    expect(header(app.fake.messagesIn(DM)[2]?.blocks ?? [])?.text.text).toMatch(/^Owners of /);
    expect(app.apiCalls().filter((m) => m === 'assistant.threads.setTitle')).toHaveLength(1);
  });

  it('that it cannot read gets the help the mention path gives', async () => {
    app = await start();
    await app.event(said('tell me a joke, please', '100.000010'));
    await app.settle();
    const [answer] = app.fake.messagesIn(DM);
    expect(sectionTexts(answer?.blocks ?? []).join('\n')).toContain(HINTS.mention);
  });

  it('is answered even when Slack refuses the status and the title', async () => {
    app = await start();
    app.fake.inject(/^assistant\.threads\./, { status: 500 });
    await app.event(said('Who uses customers?', '100.000010'));
    await app.settle();
    expect(header(app.fake.messagesIn(DM)[0]?.blocks ?? [])?.text.text).toBe('Consumers of feature group customers');
  });

  it('delivered again by Slack (a retry) is answered once', async () => {
    app = await start();
    await app.event(said('Who uses customers?', '100.000010'), { eventId: 'EvPane1' });
    await app.event(said('Who uses customers?', '100.000010'), { eventId: 'EvPane1', retryNum: 1 });
    await app.settle();
    expect(app.fake.messagesIn(DM)).toHaveLength(1);
  });

  it('from the bot itself is not answered', async () => {
    app = await start();
    await app.event({ ...said('Who uses customers?', '100.000010'), user: BOT_USER, bot_id: 'BBOT' });
    await app.settle();
    expect(app.apiCalls()).toEqual([]);
  });
});

describe('the context changing', () => {
  it('is stored: the channel the person moved to replaces the first', async () => {
    app = await start();
    await app.event(started());
    await app.settle();
    await app.event({ ...started(), type: 'assistant_thread_context_changed', assistant_thread: { ...started().assistant_thread, context: { channel_id: 'C9', team_id: 'T1' } } });
    await app.settle();
    expect(await app.store.getThreadContext(contextKey(DM, THREAD))).toMatchObject({ input: 'C9' });
    // Nothing is said in the thread for it.
    expect(app.fake.messagesIn(DM)).toHaveLength(1);
  });
});

describe('threadTitle', () => {
  it("reads Slack's markup and entities, keeps to one line and to TITLE_MAX", () => {
    expect(threadTitle('who uses  &lt;customers&gt; &amp; <@U123>\nnow?')).toBe('who uses <customers> & now?');
    expect(threadTitle('<https://example.com>')).toBe(DEFAULT_TITLE);
    const long = threadTitle(`fg ${'x'.repeat(200)}`);
    expect(long).toHaveLength(TITLE_MAX);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('suggestedPrompts', () => {
  const owning = (name: string, featureGroups: string[] = []) => ({ owned: [{ entity: { kind: 'Model' as const, name, arn: `arn:aws:sagemaker:us-east-1:1:model/${name}` }, featureGroups }], walked: 1 });

  it('escapes names from data, so a prompt cannot ping a channel or open a link', () => {
    expect(suggestedPrompts(owning('<!channel>&x', ['<@U123>']))).toEqual([
      { title: 'What does &lt;!channel&gt;&amp;x depend on?', message: 'deps &lt;!channel&gt;&amp;x' },
      { title: 'Who uses &lt;@U123&gt;?', message: 'fg &lt;@U123&gt;' },
    ]);
  });

  it("puts two of the channel's subjects first, then the person's own, then more of the channel's; kinds without a question are skipped", () => {
    const recent = [
      { kind: 'FeatureGroup', name: 'g1' },
      { kind: 'TrainingJob', name: 'job' },
      { kind: 'SlackChannel', name: 'C1' },
      { kind: 'Endpoint', name: 'e1' },
      { kind: 'FeatureGroup', name: 'g2' },
    ];
    expect(suggestedPrompts(owning('mine', ['g1']), recent).map((p) => p.message)).toEqual(['fg g1', 'deps e1', 'deps mine', 'fg g2']);
    expect(suggestedPrompts(undefined, [{ kind: 'Other', name: 'x' }])).toEqual([HELP_PROMPT]);
  });

  it('leaves out a prompt too long for the pane rather than cut a name, and keeps to four', () => {
    const long = 'm'.repeat(PROMPT_LIMITS.title);
    expect(suggestedPrompts(owning(long, ['a', 'b', 'c', 'd', 'e'])).map((p) => p.message)).toEqual(['fg a', 'fg b', 'fg c', 'fg d']);
    expect(suggestedPrompts(owning(long))).toEqual([HELP_PROMPT]);
    expect(MAX_PROMPTS).toBe(4);
  });
});
