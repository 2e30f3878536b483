// Escalation: an owner who has not acknowledged by the last reminder is reported once — to the
// team channel in their model's slack-channel tag when it can be used now, else to
// NOTICE_ESCALATION_CHANNEL — through the outbox, so once across retries, restarts, date moves
// and replicas. Through real Bolt or the notice system over HTTP, with the fake Slack behind nock.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { EscalationRouter } from '../../src/notices/escalation.js';
import { ReminderScheduler } from '../../src/notices/reminders.js';
import { SlackDirectory } from '../../src/notices/slack/index.js';
import { openStore } from '../../src/store/index.js';
import { FakeSlack } from '../support/slack-fake.js';
import { blockText, interceptSlack, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';
import { CHANNELS, createWorld, ManualClock, PEOPLE, T0, type World } from '../support/slack-world.js';

const DM_CHEN = `D${PEOPLE.chen.id}`;
const ESCALATED = 'Not acknowledged: #fraud-ml has not acknowledged the deprecation of feature group customers (2026-02-01 00:00 UTC)';

describe('escalation through the app', () => {
  let h: SlackWorkspace;
  afterEach(async () => h?.close());

  async function announced(options: Parameters<typeof startSlackWorkspace>[0] = {}): Promise<string> {
    h = await startSlackWorkspace(options);
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    return (await h.store.listOpenNotices())[0]!.id;
  }
  const at = async (time: string) => {
    h.clock!.set(time);
    await h.system.reminders.tick();
    await h.system.worker.drain();
  };
  const escalations = () => h.fake.messages.filter((m) => m.text.startsWith('Not acknowledged:'));

  it('reports the owners still silent at the last reminder to the configured channel, once, through a 5xx', async () => {
    const noticeId = await announced({ env: { NOTICE_ESCALATION_CHANNEL: '#ml-platform' } });
    await at('2026-01-25T00:00:00Z');
    expect(escalations()).toEqual([]); // not the last reminder
    await h.click(h.fake.messagesIn(DM_CHEN)[1]!, 'acknowledge', PEOPLE.chen.id);

    // The last reminder: the team is reminded and escalated; the escalation's first post fails with a 503.
    let failed = false;
    h.fake.before = (method, params) => {
      if (failed || method !== 'chat.postMessage' || params['channel'] !== CHANNELS.announce.id) return undefined;
      failed = true;
      return { status: 503, body: 'Service Unavailable' };
    };
    await at('2026-01-31T00:00:00Z');
    expect(failed).toBe(true);
    expect(escalations().map((m) => [m.channel, m.text])).toEqual([[CHANNELS.announce.id, ESCALATED]]);
    const escalation = escalations()[0]!;
    expect(blockText(escalation.blocks, NOTICE_BLOCK.escalation)).toBe(
      ':rotating_light: <#CFRAUD> (#fraud-ml) has not acknowledged the deprecation of feature group `customers` on *2026-02-01 00:00 UTC*, after the last reminder.',
    );
    expect(JSON.stringify(escalation.blocks)).not.toMatch(/<!(channel|here|everyone)>/);
    expect(escalation.blocks.some((b) => b['type'] === 'actions')).toBe(false);
    expect(h.fake.messagesIn(CHANNELS.fraud.id).at(-1)!.text).toContain('Reminder: deprecation of feature group customers tomorrow');
    const summary = h.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)?.slice(0, 2)).toEqual([['Owner', 'Models and endpoints', 'Status', 'Acknowledged'], ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'waiting; escalated to <#CANNOUNCE>', '—']]);

    // Never again: more ticks, a moved date whose own last reminder comes, the report.
    await at('2026-01-31T12:00:00Z');
    h.clock!.set('2026-01-31T13:00:00Z');
    await h.system.service.move({ noticeId, userId: PEOPLE.priya.id, effectiveDate: '2026-02-10' });
    await at('2026-02-09T00:00:00Z');
    expect(h.fake.messagesIn(CHANNELS.fraud.id).at(-1)!.text).toContain('Reminder: deprecation of feature group customers tomorrow (2026-02-10');
    await at('2026-02-10T00:00:00Z');
    expect(escalations()).toHaveLength(1);
    expect((await h.store.listDeliveries(noticeId)).filter((d) => d.kind === 'escalation').map((d) => [d.recipientKey, d.status])).toEqual([
      [`channel:${CHANNELS.fraud.id}`, 'sent'],
    ]);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });

  it('goes to the team channel of the owner’s model when it can be used again, and nowhere for an owner with none', async () => {
    // #fraud-ml is archived when the notice goes out: Ana is told by DM instead.
    const fake = new FakeSlack({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS).map((c) => ({ ...c, ...(c.id === CHANNELS.fraud.id ? { archived: true } : {}) })), now: () => h.clock!.now() });
    await announced({ fake });
    expect(h.fake.messagesIn(`D${PEOPLE.ana.id}`)).toHaveLength(1);
    h.fake.channels.set(CHANNELS.fraud.id, { ...CHANNELS.fraud }); // unarchived since
    await at('2026-01-31T00:00:00Z');
    expect(escalations().map((m) => m.channel)).toEqual([CHANNELS.fraud.id]);
    expect(blockText(escalations()[0]!.blocks, NOTICE_BLOCK.escalation)).toBe(
      ':rotating_light: <@UANA> (Ana Silva) has not acknowledged the deprecation of feature group `customers` on *2026-02-01 00:00 UTC*, after the last reminder.',
    );
    // Chen's model has no team channel and NOTICE_ESCALATION_CHANNEL is unset: not escalated, and the log says why.
    expect(h.logs.some((line) => line.includes('Chen Wu did not acknowledge by the last reminder, but has no other team channel and NOTICE_ESCALATION_CHANNEL is unset'))).toBe(true);
  });

  it('is not done without reminders (REMINDER_DAYS=none)', async () => {
    await announced({ env: { NOTICE_ESCALATION_CHANNEL: '#ml-platform', REMINDER_DAYS: 'none' } });
    await at('2026-01-31T00:00:00Z');
    await at('2026-02-01T00:00:00Z');
    expect(escalations()).toEqual([]);
  });
});

describe('escalation across a restart', () => {
  let dir: string;
  const worlds: World[] = [];
  let release = () => {};
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.close().catch(() => {});
    release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is sent once when the process died after enqueuing it, and never again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lb-escalation-'));
    const storeUrl = `sqlite:${join(dir, 'bot.db')}`;
    const clock = new ManualClock(T0);
    const fake = new FakeSlack({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS).map((c) => ({ ...c })), now: () => clock.now() });
    release = interceptSlack(fake).release;
    const open = async () => {
      const world = await createWorld({ fake, clock, storeUrl, env: { NOTICE_ESCALATION_CHANNEL: CHANNELS.announce.id } });
      worlds.push(world);
      return world;
    };
    const first = await open();
    const { notice } = await first.system.service.announce({
      featureGroup: 'customers',
      kind: 'deprecation',
      effectiveDate: '2026-02-01',
      userId: PEOPLE.priya.id,
      channelId: CHANNELS.announce.id,
      sourceKey: 'test:escalation-restart',
    });
    await first.system.worker.drain();
    clock.set('2026-01-31T00:00:00Z');
    expect(await first.system.reminders.tick()).toEqual([`${notice.id}:reminder:7`, `${notice.id}:reminder:1`]);
    await first.close(); // gone before anything was sent

    clock.set('2026-01-31T01:00:00Z');
    const second = await open();
    expect(await second.system.reminders.tick()).toEqual([]);
    await second.system.worker.drain();
    const escalated = fake.messages.filter((m) => m.text.startsWith('Not acknowledged:'));
    expect(escalated.map((m) => m.channel)).toEqual([CHANNELS.announce.id, CHANNELS.announce.id]);
    await second.close();

    clock.set('2026-01-31T02:00:00Z');
    const third = await open();
    await third.system.reminders.tick();
    await third.system.worker.drain();
    expect(fake.messages.filter((m) => m.text.startsWith('Not acknowledged:'))).toHaveLength(2);
    expect([...fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });
});

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe.skipIf(!POSTGRES_URL)('escalation on two replicas (PostgreSQL; skipped: set TEST_POSTGRES_URL to run)', () => {
  const schema = `lb_escalation_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('is enqueued once per owner whichever replica ticks, before and after the date moves', async () => {
    const clock = new ManualClock(T0);
    const world = await createWorld({ clock, storeUrl: POSTGRES_URL as string, schema });
    const release = interceptSlack(world.fake).release;
    try {
      const { notice } = await world.system.service.announce({
        featureGroup: 'customers',
        kind: 'deprecation',
        effectiveDate: '2026-02-01',
        userId: PEOPLE.priya.id,
        channelId: CHANNELS.announce.id,
        sourceKey: 'test:escalation-replicas',
      });
      await world.system.worker.drain();
      const logger = createLogger({ level: 'error', write: () => {} });
      const replicas = await Promise.all([1, 2].map(() => openStore(POSTGRES_URL as string, { schema })));
      const router = new EscalationRouter({ directory: new SlackDirectory(world.client, { clock }), configuredChannel: CHANNELS.announce.id, logger });
      const schedulers = replicas.map((store, i) => new ReminderScheduler({ store, logger, clock, holderId: `replica-${i}`, escalation: router }));
      const escalations = async () => (await world.store.listDeliveries(notice.id)).filter((d) => d.kind === 'escalation');

      clock.set('2026-01-31T00:00:00Z');
      await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
      expect((await escalations()).map((d) => d.recipientKey).sort()).toEqual([`channel:${CHANNELS.fraud.id}`, `user:${PEOPLE.chen.id}`]);

      // The date moves; the other replica leads the new date's last reminder: reminded again, escalated no more.
      await world.system.service.move({ noticeId: notice.id, userId: PEOPLE.admin.id, effectiveDate: '2026-02-10' });
      await replicas[0]!.releaseLead('reminders', 'replica-0');
      await replicas[1]!.releaseLead('reminders', 'replica-1');
      clock.set('2026-02-09T00:00:00Z');
      expect(await schedulers[1]!.tick()).toEqual([`${notice.id}:reminder:7@1`, `${notice.id}:reminder:1@1`]);
      expect(await escalations()).toHaveLength(2);
      expect((await world.store.listDeliveries(notice.id)).filter((d) => d.kind === 'reminder' && d.revision === 1)).toHaveLength(2);
      await Promise.all(replicas.map((store) => store.close()));
    } finally {
      release();
      await world.close();
    }
  });
});
