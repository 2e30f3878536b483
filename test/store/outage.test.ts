// While the store is down, through real Bolt: mentions are still answered (Slack was already
// answered 200 and will not send them again), a Slack retry reaching this process is still not
// answered twice, and a slash command gets its answer and nothing after it.
import type { KnownBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { HINTS } from '../../commands/messages.js';
import type { Store } from '../../src/store/index.js';
import { BOT_USER, startSlackApp, type SlackHarness } from '../support/slack-http.js';

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The store of the app, failing every call as a dropped database connection does while `down()`. */
function failing(down: () => boolean): (store: Store) => Store {
  return (store) =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          down() && property !== 'close' ? Promise.reject(new Error('Connection terminated unexpectedly')) : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
}

const header = (blocks: readonly unknown[]) => ((blocks as KnownBlock[]).find((b) => b.type === 'header') as { text: { text: string } } | undefined)?.text.text;

describe('while the store is down', () => {
  it('answers mentions without the duplicate check, saying so in the log, and still answers a retry once', async () => {
    let down = false;
    app = await startSlackApp({ wrapStore: failing(() => down) });
    down = true;
    const first = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fg claims`, ts: '5.0', channel: 'C1', event_ts: '5.0' };
    const second = { ...first, text: `<@${BOT_USER}> fg customers`, ts: '6.0', event_ts: '6.0' };
    expect((await app.event(first, { eventId: 'EvDown1' })).status).toBe(200);
    expect((await app.event(second, { eventId: 'EvDown2' })).status).toBe(200);
    await app.settle();
    const answers = () => app!.fake.messages.map((m) => [m.threadTs, header(m.blocks)]).sort();
    expect(answers()).toEqual([
      ['5.0', 'Consumers of feature group claims'],
      ['6.0', 'Consumers of feature group customers'],
    ]);
    // Slack retries the first one (its acknowledgement was late): this process remembers it.
    expect((await app.event(first, { eventId: 'EvDown1', retryNum: 1 })).status).toBe(200);
    await app.settle(2_000);
    expect(app.apiCalls()).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(app.fake.responses).toEqual([]);
    expect(answers()).toHaveLength(2);
    expect(app.logs.filter((line) => line.includes('answering it anyway'))).toHaveLength(2);
  });

  it('answers a follow-up in a thread whose subject it cannot read, asking for the full question', async () => {
    let down = false;
    app = await startSlackApp({ wrapStore: failing(() => down) });
    down = true;
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> and who owns it?`, ts: '7.1', thread_ts: '7.0', channel: 'C1', event_ts: '7.1' });
    await app.settle();
    const sent = app.onlyPost();
    expect(sent.threadTs).toBe('7.0');
    expect(sent.text).toContain(HINTS.threadUnavailable);
  });

  it('says so on /healthz (still 200: the process serves) and /readyz (503), until the store answers again', async () => {
    let down = false;
    app = await startSlackApp({ wrapStore: failing(() => down) });
    const check = async (path: string) => {
      const response = await fetch(`${app!.url}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const others = { slack: { status: 'ok', required: true }, sagemaker: { status: 'unknown', required: false } };
    expect(await check('/readyz')).toEqual({ status: 200, body: { status: 'ready', store: { status: 'ok', required: true }, ...others } });
    down = true;
    expect(await check('/healthz')).toMatchObject({ status: 200, body: { status: 'degraded', store: 'unavailable' } });
    expect(await check('/readyz')).toEqual({ status: 503, body: { status: 'unavailable', store: { status: 'unavailable', required: true }, ...others } });
    down = false;
    expect(await check('/healthz')).toMatchObject({ status: 200, body: { status: 'ok', store: 'ok' } });
    expect((await check('/readyz')).status).toBe(200);
  });

  it('gives a slash command its answer and no "Something went wrong" after it', async () => {
    let down = false;
    app = await startSlackApp({ wrapStore: failing(() => down) });
    down = true;
    // Only the answer: onlyPost fails on a post to the response URL too.
    expect((await app.command('fg customers')).status).toBe(200);
    await app.settle();
    const sent = app.onlyPost();
    expect(header(sent.blocks)).toBe('Consumers of feature group customers');
    expect(app.logs.some((line) => line.includes(`Could not remember what thread ${sent.ts} is about`))).toBe(true);
  });
});
