// The FakeSlack every Slack test stands on, driven by Slack's own WebClient through nock: it must
// answer as Slack does, keep the state tests assert on, and inject faults as the client sees them.
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/slack-fake.js';
import { interceptSlack } from '../support/slack-http.js';

let release: (() => void) | undefined;
afterEach(() => {
  release?.();
  release = undefined;
});

function workspace(): { fake: FakeSlack; client: webApi.WebClient } {
  const fake = new FakeSlack({ users: [{ id: 'UANA', name: 'Ana', email: 'ana@example.com' }], channels: [{ id: 'C1', name: 'ml-platform' }] });
  release = interceptSlack(fake).release;
  const client = new webApi.WebClient('xoxb-test', { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: webApi.LogLevel.ERROR });
  return { fake, client };
}

const slackError = (promise: Promise<unknown>) => promise.then(
  () => 'answered',
  (error: { code?: string; data?: { error?: string; needed?: string }; statusCode?: number; retryAfter?: number }) => error,
);

describe('FakeSlack', () => {
  it('keeps an assistant thread as assistant.threads.* set it, and refuses what Slack refuses', async () => {
    const { fake, client } = workspace();
    const prompts = [{ title: 'Who uses customers?', message: 'fg customers' }];
    await client.assistant.threads.setSuggestedPrompts({ channel_id: 'DUANA', thread_ts: '1.0', prompts, title: 'Try' });
    await client.assistant.threads.setStatus({ channel_id: 'DUANA', thread_ts: '1.0', status: 'is thinking…' });
    await client.assistant.threads.setStatus({ channel_id: 'DUANA', thread_ts: '1.0', status: '' });
    await client.assistant.threads.setTitle({ channel_id: 'DUANA', thread_ts: '1.0', title: 'customers' });
    expect(fake.assistantThreads.get('DUANA/1.0')).toEqual({ channel: 'DUANA', threadTs: '1.0', prompts, promptsTitle: 'Try', title: 'customers', status: '', statuses: ['is thinking…', ''] });
    const five = Array.from({ length: 5 }, (_, i) => ({ title: `q${i}`, message: `m${i}` }));
    expect(await slackError(client.assistant.threads.setSuggestedPrompts({ channel_id: 'DUANA', thread_ts: '1.0', prompts: five }))).toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(await slackError(client.assistant.threads.setTitle({ channel_id: 'C1', thread_ts: '1.0', title: 'x' }))).toMatchObject({ data: { error: 'channel_not_found' } });
    expect(await slackError(client.assistant.threads.setTitle({ channel_id: 'DUANA', thread_ts: '', title: 'x' }))).toMatchObject({ data: { error: 'invalid_thread_ts' } });
  });

  it('ends a workflow step once, with its outputs or its error, as functions.completeSuccess / completeError', async () => {
    const { fake, client } = workspace();
    await client.functions.completeSuccess({ function_execution_id: 'Fx1', outputs: { models: 2, summary: 'a & b' } });
    await client.functions.completeError({ function_execution_id: 'Fx2', error: 'No such feature group.' });
    expect(fake.functionResults).toEqual([
      { executionId: 'Fx1', outcome: 'success', outputs: { models: 2, summary: 'a & b' } },
      { executionId: 'Fx2', outcome: 'error', error: 'No such feature group.' },
    ]);
    expect(await slackError(client.functions.completeError({ function_execution_id: 'Fx1', error: 'late' }))).toMatchObject({ data: { error: 'execution_not_in_running_state' } });
    expect(await slackError(client.functions.completeError({ function_execution_id: 'Fx3', error: '' }))).toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(fake.functionResults).toHaveLength(2);
  });

  it('keeps messages as chat.postMessage, chat.update and chat.delete leave them, and refuses an unknown ts', async () => {
    const { fake, client } = workspace();
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'first' });
    const reply = await client.chat.postMessage({ channel: 'C1', text: 'in the thread', thread_ts: posted.ts! });
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'first, edited' });
    expect(fake.messagesIn('C1').map((m) => [m.text, m.threadTs, m.updates])).toEqual([
      ['first, edited', undefined, 1],
      ['in the thread', posted.ts, 0],
    ]);
    await client.chat.delete({ channel: 'C1', ts: reply.ts! });
    expect(fake.messagesIn('C1').map((m) => m.text)).toEqual(['first, edited']);
    expect(fake.deleted.map((m) => m.text)).toEqual(['in the thread']);
    expect(await slackError(client.chat.delete({ channel: 'C1', ts: reply.ts! }))).toMatchObject({ data: { error: 'message_not_found' } });
    expect(await slackError(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('keeps ephemeral messages, unfurls and App Home apart from the channel history', async () => {
    const { fake, client } = workspace();
    await client.chat.postEphemeral({ channel: 'C1', user: 'UANA', text: 'only for Ana' });
    await client.chat.unfurl({ channel: 'C1', ts: '4.0', unfurls: { 'https://example.com/x': { text: 'card' } } });
    await client.views.publish({ user_id: 'UANA', view: { type: 'home', blocks: [] } });
    expect(fake.ephemerals).toEqual([{ channel: 'C1', user: 'UANA', text: 'only for Ana', blocks: [] }]);
    expect(fake.unfurls).toEqual([{ channel: 'C1', ts: '4.0', unfurls: { 'https://example.com/x': { text: 'card' } } }]);
    expect(fake.homes.get('UANA')).toEqual({ type: 'home', blocks: [] });
    expect(fake.messages).toEqual([]);
    expect(await slackError(client.views.publish({ user_id: 'UNOBODY', view: { type: 'home', blocks: [] } }))).toMatchObject({ data: { error: 'user_not_found' } });
    expect((await client.users.info({ user: 'UANA' })).user?.profile?.email).toBe('ana@example.com');
    expect(fake.methods()).toEqual(['chat.postEphemeral', 'chat.unfurl', 'views.publish', 'views.publish', 'users.info']);
  });

  it('updates a modal only with its current hash', async () => {
    const { fake, client } = workspace();
    const opened = await client.views.open({ trigger_id: 't.1', view: { type: 'modal', title: { type: 'plain_text', text: 'One' }, blocks: [] } });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Two' }, blocks: [] };
    await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view });
    expect(await slackError(client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view }))).toMatchObject({ data: { error: 'hash_conflict' } });
    expect(fake.views).toEqual([{ id: opened.view!.id, view, updates: 1 }]);
  });

  it('injects faults per method: a 429 with Retry-After, a 5xx, a platform error, a timeout, for as long as asked', async () => {
    const { fake, client } = workspace();
    fake.inject('chat.postMessage', { ratelimited: true, retryAfterSeconds: 7 }, { times: 1 });
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(fake.rateLimited).toBe(1);
    await client.chat.postMessage({ channel: 'C1', text: 'after the wait' });

    fake.inject('users.lookupByEmail', { error: 'missing_scope', needed: 'users:read.email' });
    expect(await slackError(client.users.lookupByEmail({ email: 'ana@example.com' }))).toMatchObject({ data: { error: 'missing_scope', needed: 'users:read.email' } });

    const down = fake.inject(/^conversations\./, { status: 503 }, { when: (params) => params['channel'] === 'C1' });
    expect(await slackError(client.conversations.info({ channel: 'C1' }))).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    expect(await slackError(client.conversations.info({ channel: 'CNOPE' }))).toMatchObject({ data: { error: 'channel_not_found' } });
    down.stop();
    expect((await client.conversations.info({ channel: 'C1' })).channel?.name).toBe('ml-platform');

    fake.inject('chat.update', 'timeout');
    expect(await slackError(client.chat.update({ channel: 'C1', ts: fake.messages[0]!.ts, text: 'y' }))).toMatchObject({ code: 'slack_webapi_request_error' });
    // Every call is recorded, the refused ones too; only the one post that got through is a message.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    expect(fake.messages.map((m) => [m.text, m.updates])).toEqual([['after the wait', 0]]);
  });
});
