// The outbox against an unreliable Slack (nock): 429 with Retry-After, 5xx before and after the
// message was posted, errors that never clear, and the summary's updates being rate limited.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNoticeRenderer, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { DAY_MS, systemClock } from '../../src/notices/clock.js';
import { DeliveryWorker } from '../../src/notices/delivery-worker.js';
import { SlackHistory, SlackNoticePoster } from '../../src/notices/slack/index.js';
import { utcDate } from '../../src/notices/schedule.js';
import type { FakeReply } from '../support/slack-fake.js';
import { CHANNELS, createWorld, PEOPLE, T0, type World } from '../support/slack-world.js';
import { blockText, interceptSlack } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';

let world: World;
let release: () => void = () => {};
afterEach(async () => {
  await world?.close();
  release();
  release = () => {};
});

async function announce(worldOptions: Parameters<typeof createWorld>[0] = {}): Promise<string> {
  world = await createWorld(worldOptions);
  release = interceptSlack(world.fake).release;
  const { notice } = await world.system.service.announce({
    featureGroup: 'customers',
    kind: 'deprecation',
    effectiveDate: '2026-02-01',
    userId: PEOPLE.priya.id,
    channelId: CHANNELS.announce.id,
    sourceKey: 'test:retries',
  });
  return notice.id;
}

/** Answers the first `times` calls to `method` with `reply`, then lets the fake answer. */
function failFirst(method: string, times: number, reply: FakeReply, filter: (params: Record<string, unknown>) => boolean = () => true): void {
  let left = times;
  world.fake.before = (called, params) => {
    if (called !== method || !filter(params) || left <= 0) return undefined;
    left--;
    return reply;
  };
}

/** Slack stores the first message to `channel`, and its response is lost (nock answers 500 for a dropped reply). */
function dropFirstPostTo(channel: string): void {
  let dropped = false;
  world.fake.afterPost = (message) => {
    if (dropped || message.channel !== channel) return;
    dropped = true;
    return 'drop';
  };
}

describe('the delivery outbox', () => {
  it('waits out a 429 for its Retry-After, pausing every send, then delivers each message once', async () => {
    const id = await announce();
    failFirst('chat.postMessage', 2, { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    await world.system.worker.drain();
    expect(world.clock.now() - T0).toBeGreaterThanOrEqual(30_000);
    expect(world.fake.messages).toHaveLength(3);
    expect([...world.fake.deliveryCounts().values()]).toEqual([1, 1, 1]);
    const deliveries = await world.store.listDeliveries(id);
    expect(deliveries.every((d) => d.status === 'sent')).toBe(true);
    // A rate-limited request was refused before anything happened: no history check needed.
    expect(world.fake.callsTo('conversations.history')).toEqual([]);
  });

  it('retries a 5xx with backoff, first checking the channel (the message may have gone out)', async () => {
    await announce();
    failFirst('chat.postMessage', 1, { status: 503, body: 'Service Unavailable' }, (p) => p['channel'] === CHANNELS.fraud.id);
    await world.system.worker.drain();
    expect(world.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
    expect(world.fake.callsTo('conversations.history').map((p) => p['channel'])).toEqual([CHANNELS.fraud.id]);
    expect(world.clock.now() - T0).toBeGreaterThanOrEqual(1600); // base backoff 2 s, jittered ±20%
  });

  it('schedules retries at whole milliseconds, which the bigint column of PostgreSQL requires', async () => {
    await announce();
    // A jitter factor that makes the delay fractional: 2000 × (0.8 + 0.4 × 0.1234567) = 1698.77 ms.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.1234567);
    const retries = vi.spyOn(world.store, 'retryDelivery');
    try {
      failFirst('chat.postMessage', 2, { status: 503, body: 'Service Unavailable' }, (p) => p['channel'] === CHANNELS.fraud.id);
      await world.system.worker.drain();
    } finally {
      random.mockRestore();
    }
    const scheduled = retries.mock.calls.map(([, , retry]) => retry.nextAttemptAt);
    expect(scheduled).toHaveLength(2);
    expect(scheduled.filter((at) => !Number.isInteger(at))).toEqual([]);
    expect(world.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
  });

  it('does not post twice when Slack posted the message but answered 5xx', async () => {
    const id = await announce();
    dropFirstPostTo(CHANNELS.fraud.id);
    await world.system.worker.drain();
    expect(world.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
    expect(world.fake.callsTo('chat.postMessage').filter((p) => p['channel'] === CHANNELS.fraud.id)).toHaveLength(1);
    const fraud = (await world.store.listDeliveries(id)).find((d) => d.target === CHANNELS.fraud.id);
    expect(fraud).toMatchObject({ status: 'sent', messageTs: world.fake.messagesIn(CHANNELS.fraud.id)[0]!.ts });
    expect(world.logs.some((line) => line.includes('was already posted before an interruption'))).toBe(true);
  });

  it('says in the log and on the summary when a message may have arrived twice (a public channel whose history it cannot read)', async () => {
    // #fraud-ml is public and the bot not a member: it may post there (chat:write.public) but not read the channel.
    const id = await announce({ channels: Object.values(CHANNELS).map((c) => (c.id === CHANNELS.fraud.id ? { ...c, member: false, public: true } : c)) });
    dropFirstPostTo(CHANNELS.fraud.id);
    await world.system.worker.drain();
    // The first post arrived but the bot never heard; unable to check, it sent again.
    expect(world.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(2);
    expect(world.fake.callsTo('conversations.history').map((p) => p['channel'])).toEqual([CHANNELS.fraud.id]);
    const fraud = (await world.store.listDeliveries(id)).find((d) => d.target === CHANNELS.fraud.id);
    expect(fraud).toMatchObject({ status: 'sent', maybeDuplicate: true });
    expect(world.logs.some((line) => line.includes(`Cannot read the history of ${CHANNELS.fraud.id} (not_in_channel)`) && line.includes('it may arrive twice'))).toBe(true);
    const summary = world.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expect(blockText(summary.blocks, NOTICE_BLOCK.maybeTwice)).toBe(
      '*May have received it twice (sent again after an interruption; the bot cannot read their channel to check whether the first one arrived)*\n• #fraud-ml — `fraud-detector`, `fraud-detector-prod`',
    );
    // Nobody else is marked.
    expect((await world.store.listDeliveries(id)).filter((d) => d.maybeDuplicate)).toHaveLength(1);
  });

  it('gives up on errors that never clear, and shows them on the summary', async () => {
    const id = await announce({ worker: { maxAttempts: 3 } });
    world.fake.inject('chat.postMessage', { status: 500, body: 'boom' }, { when: (params) => params['channel'] === `D${PEOPLE.chen.id}` });
    await world.system.worker.drain();
    const dm = (await world.store.listDeliveries(id)).find((d) => d.recipientKey === 'user:U04CHURN01');
    expect(dm).toMatchObject({ status: 'failed', error: 'http_500', attempts: 3 });
    const summary = world.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)?.at(-1)).toEqual(['Chen Wu', 'churn-predictor, churn-predictor-prod', 'not delivered: Slack kept answering HTTP 500; gave up', '—']);
  });

  it('gives up when opening the DM keeps failing, instead of retrying every 2 s forever', async () => {
    const id = await announce({ worker: { maxAttempts: 3 } });
    world.fake.inject('conversations.open', { status: 500, body: 'boom' });
    await world.system.worker.drain({ timeoutMs: 3600_000 });
    const dm = (await world.store.listDeliveries(id)).find((d) => d.recipientKey === 'user:U04CHURN01');
    expect(dm).toMatchObject({ status: 'failed', error: 'http_500', attempts: 2 });
    expect(world.fake.callsTo('conversations.open')).toHaveLength(3);
    expect(world.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
  });

  it('keeps retrying while the token is broken, so fixing it lets the fan-out finish', async () => {
    const id = await announce({ worker: { maxAttempts: 30 } });
    failFirst('chat.postMessage', 4, { status: 200, body: { ok: false, error: 'invalid_auth' } });
    await world.system.worker.drain();
    expect((await world.store.listDeliveries(id)).map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
    expect(world.fake.messages).toHaveLength(3);
  });

  it('spaces messages to one channel at least the channel interval apart (real time)', async () => {
    // Announced in the team's own channel: the summary and the team's notice go to one channel.
    world = await createWorld();
    release = interceptSlack(world.fake).release;
    world.clock.set(Date.now());
    await world.system.service.announce({
      featureGroup: 'customers',
      kind: 'deprecation',
      effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
      userId: PEOPLE.priya.id,
      channelId: CHANNELS.fraud.id,
      sourceKey: 'test:pacing',
    });
    const postedAt: number[] = [];
    world.fake.before = (method, params) => {
      if (method === 'chat.postMessage' && params['channel'] === CHANNELS.fraud.id) postedAt.push(performance.now());
      return undefined;
    };
    const worker = new DeliveryWorker({ store: world.store, poster: new SlackNoticePoster(world.client), history: new SlackHistory(world.client), renderer: createNoticeRenderer(), logger: world.logger, clock: systemClock, channelIntervalMs: 300 });
    await worker.drain({ timeoutMs: 10_000 });
    expect(postedAt).toHaveLength(2);
    expect(postedAt[1]! - postedAt[0]!).toBeGreaterThanOrEqual(280);
  });

  it('catches the summary up after its update is rate limited', async () => {
    const id = await announce();
    await world.system.worker.drain();
    failFirst('chat.update', 1, { status: 429, headers: { 'retry-after': '5' }, body: { ok: false, error: 'ratelimited' } });
    await world.system.service.acknowledge({ noticeId: id, recipientKey: 'user:U04CHURN01', userId: PEOPLE.chen.id, channelId: `D${PEOPLE.chen.id}` });
    await world.system.worker.drain();
    const summary = world.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expect(blockText(summary.blocks, NOTICE_BLOCK.tally)).toBe('*1 of 2* owners have acknowledged.');
    expect(world.fake.callsTo('chat.update').length).toBeGreaterThanOrEqual(2);
  });
});

describe('processed events', () => {
  it('deduplicates ids per source and lets old ids go after the retention period', async () => {
    world = await createWorld();
    expect(await world.store.markEventProcessed('Ev1', 'slack')).toBe(true);
    expect(await world.store.markEventProcessed('Ev1', 'slack')).toBe(false);
    world.clock.advance(8 * 24 * 3600 * 1000);
    expect(await world.store.markEventProcessed('Ev2', 'slack')).toBe(true); // prunes what is older than 7 days
    expect(await world.store.markEventProcessed('Ev1', 'slack')).toBe(true);
  });
});
