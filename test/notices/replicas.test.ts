// Several replicas on one PostgreSQL database: they share a fan-out without sending anything
// twice, and only one of them runs the reminder loop. Runs when TEST_POSTGRES_URL is set.
import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createNoticeRenderer } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { DAY_MS, systemClock } from '../../src/notices/clock.js';
import { DeliveryWorker } from '../../src/notices/delivery-worker.js';
import { SlackHistory, SlackNoticePoster } from '../../src/notices/slack/index.js';
import { ReminderScheduler } from '../../src/notices/reminders.js';
import { utcDate } from '../../src/notices/schedule.js';
import { openStore } from '../../src/store/index.js';
import { FakeSlack } from '../support/slack-fake.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { startSlackServer } from '../support/slack-server.js';
import { createWorld, ManualClock } from '../support/slack-world.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
const OWNERS = 40;

describe.skipIf(!POSTGRES_URL)('replicas on PostgreSQL (skipped: set TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run)', () => {
  const schema = `lb_replicas_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('share one fan-out without duplicates, and lead the reminder loop one at a time', async () => {
    const account = ownersAccount(OWNERS);
    const fake = new FakeSlack({ users: account.users, channels: account.channels, rateLimits: { perChannelMs: 1000, retryAfterSeconds: 1 } });
    const server = await startSlackServer(fake);
    const clock = new ManualClock(Date.now());
    const world = await createWorld({ fake, clock, slackApiUrl: server.url, storeUrl: POSTGRES_URL as string, schema, snapshot: account.snapshot });
    const { notice } = await world.system.service.announce({
      featureGroup: SHARED_GROUP,
      kind: 'deprecation',
      effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
      userId: account.groupOwner,
      channelId: 'CANNOUNCE',
      sourceKey: 'test:replicas',
    });

    const logger = createLogger({ level: 'error', write: () => {} });
    const replicas = await Promise.all([1, 2, 3].map(() => openStore(POSTGRES_URL as string, { schema })));
    const workers = replicas.map((store, i) => {
      const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: server.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR });
      return new DeliveryWorker({ store, poster: new SlackNoticePoster(client), history: new SlackHistory(client), renderer: createNoticeRenderer(), logger, clock: systemClock, workerId: `replica-${i}`, concurrency: 4 });
    });
    await Promise.all(workers.map((worker) => worker.drain({ timeoutMs: 60_000 })));
    expect(fake.deliveryCounts().size).toBe(OWNERS + 1);
    expect([...fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
    expect((await world.store.listDeliveries(notice.id)).every((d) => d.status === 'sent')).toBe(true);

    // Seven days before: every replica ticks, one leads, the reminders are enqueued once.
    const reminderClock = new ManualClock(Date.parse(`${notice.effectiveDate}T00:00:00Z`) - 7 * DAY_MS);
    const schedulers = replicas.map((store, i) => new ReminderScheduler({ store, logger, clock: reminderClock, holderId: `replica-${i}` }));
    const done = await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
    expect(done.filter((milestones) => milestones.length > 0)).toEqual([[`${notice.id}:reminder:7`]]);
    expect((await world.store.listDeliveries(notice.id)).filter((d) => d.kind === 'reminder')).toHaveLength(OWNERS);

    await Promise.all(replicas.map((store) => store.close()));
    await world.close();
    await server.close();
  }, 60_000);
});
