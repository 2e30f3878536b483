// Partial failure instead of total failure, through the real runtime over HTTP: a Slack directory
// where one look-up fails among many, and a SageMaker slow enough (2.5 s a call) that checking
// who may announce before opening the modal would outlive the 3-second trigger_id.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { NOTICE_MESSAGES } from '../../commands/messages.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DAY_MS } from '../../src/notices/clock.js';
import { utcDate } from '../../src/notices/schedule.js';
import { nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';
import { FakeSlack, type FakeReply } from '../support/slack-fake.js';
import { blockText, interceptSlack, startSlackWorkspace, until, type SlackWorkspace } from '../support/slack-http.js';
import { ownersAccount, SHARED_GROUP } from '../support/slack-owners-account.js';
import { createWorld, PEOPLE, type World } from '../support/slack-world.js';

let w: SlackWorkspace | undefined;
let sagemaker: FakeSageMaker | undefined;
let world: World | undefined;
let release = () => {};
afterEach(async () => {
  await w?.close();
  await sagemaker?.close();
  await world?.close();
  release();
  [w, sagemaker, world, release] = [undefined, undefined, undefined, () => {}];
});

const blocksOf = (response: Record<string, unknown> | undefined) => (response?.['blocks'] ?? []) as Record<string, unknown>[];

describe('a directory where one look-up fails among many', () => {
  it('lists the owners Slack could not look up, with why, and tells everyone else', async () => {
    const account = ownersAccount(20);
    const fake = new FakeSlack({ users: account.users, channels: account.channels.filter((c) => c.id !== 'CTEAM0009') });
    // UOWNER0001: Slack fails every time (5xx). UOWNER0002: it fails once, then answers.
    // owner8@example.com: the bot lacks users:read.email. #team-9: no such channel (any more).
    let flaky = 1;
    fake.before = (method, params): FakeReply | undefined => {
      if (method === 'users.info' && params['user'] === 'UOWNER0001') return { status: 503, body: 'unavailable' };
      if (method === 'users.info' && params['user'] === 'UOWNER0002' && flaky-- > 0) return { status: 500, body: 'oops' };
      if (method === 'users.lookupByEmail' && params['email'] === 'owner8@example.com') {
        return { status: 200, body: { ok: false, error: 'missing_scope', needed: 'users:read.email', provided: 'users:read' } };
      }
      return undefined;
    };
    w = await startSlackWorkspace({ realTime: true, fake, source: new SnapshotSource(account.snapshot, 'owners account') });

    // /lineage impact already shows them, instead of failing as a whole.
    const impact = await w.run(`impact ${SHARED_GROUP}`, account.groupOwner);
    expect(blockText(blocksOf(impact.responses[0]), NOTICE_BLOCK.tally)).toBe(
      `A change to feature group \`${SHARED_GROUP}\` would affect *20 models* and *0 endpoints*. A notice would reach *17 owners*, and 3 owners cannot be reached.`,
    );
    const unreachableLines = [
      '*Owners who cannot be reached*',
      '• `UOWNER0001` — Slack did not answer when looking this up, so it is unreachable for now (`model-0001`)',
      '• `owner8@example.com` — the bot lacks the Slack permission `users:read.email` to look this up (`model-0008`)',
      '• `#team-9` — no such channel (or the bot cannot see it) (`model-0009`)',
    ];
    expect(blockText(blocksOf(impact.responses[0]), NOTICE_BLOCK.unreachable)!.split('\n').sort()).toEqual([...unreachableLines].sort());
    // Transient failures were retried (4 attempts), a refusal was not.
    expect(fake.callsTo('users.info').filter((p) => p['user'] === 'UOWNER0001')).toHaveLength(4);
    expect(fake.callsTo('users.lookupByEmail').filter((p) => p['email'] === 'owner8@example.com')).toHaveLength(1);

    // The announcement goes out to everyone else, and lists the three on the notice.
    const { notice } = await w.runtime.notices!.service.announce({
      featureGroup: SHARED_GROUP,
      kind: 'deprecation',
      effectiveDate: utcDate(Date.now() + 30 * DAY_MS),
      userId: account.groupOwner,
      channelId: 'CANNOUNCE',
      sourceKey: 'test:partial',
    });
    expect(notice.unreachable.map((u) => [u.value, u.reason, u.detail ?? null]).sort()).toEqual(
      [
        ['UOWNER0001', 'lookup_failed', 'http_503'],
        ['owner8@example.com', 'missing_scope', 'users:read.email'],
        ['#team-9', 'channel_not_found', null],
      ].sort(),
    );
    await until(() => fake.messages.length === 18, 'the fan-out to 17 owners and the summary');
    const reached = new Set(fake.messages.map((m) => m.channel));
    expect(reached.has('DUOWNER0002')).toBe(true);
    expect(reached.has('DUOWNER0001')).toBe(false);
    const summary = fake.messagesIn('CANNOUNCE')[0]!;
    expect(blockText(summary.blocks, NOTICE_BLOCK.unreachable)!.split('\n').sort()).toEqual([...unreachableLines].sort());
    expect([...fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  }, 30_000);

  it('stops waiting out backoff for every owner once Slack is down for all of them', async () => {
    const account = ownersAccount(30);
    world = await createWorld({ snapshot: account.snapshot, users: account.users, channels: account.channels });
    release = interceptSlack(world.fake).release;
    world.fake.inject(/^(users|conversations)\./, { status: 503, body: 'down' });
    const impact = await world.system.service.impact(SHARED_GROUP);
    expect(impact.recipients).toEqual([]);
    expect(impact.unreachable.map((u) => u.reason)).toEqual(Array(30).fill('lookup_failed'));
    // The first look-ups (8 at a time) go through their 4 attempts; once three in a row have,
    // Slack counts as down and each of the others tries once, instead of 30 × 4 attempts.
    const lookups = world.fake.calls.length;
    expect(lookups).toBeLessThanOrEqual(8 * 4 + 22);
  });
});

describe('/lineage deprecate while SageMaker takes 2.5 s a call', () => {
  async function slowAccount(): Promise<{ events: string[] }> {
    const events: string[] = [];
    sagemaker = await nockFakeSageMaker(demoSnapshot(), { delayMs: 2_500, onResponse: (operation) => events.push(`sagemaker ${operation}`) });
    const fake = new FakeSlack({ users: Object.values(PEOPLE) });
    fake.before = (method) => {
      if (method.startsWith('views.')) events.push(method);
      return undefined;
    };
    w = await startSlackWorkspace({ realTime: true, fake, source: testSource({ endpoint: sagemaker.url, requestTimeoutMs: 20_000 }), env: { LINEAGE_ADMINS: PEOPLE.admin.id } });
    return { events };
  }

  it('opens the modal before any SageMaker answer, then fills in the impact', async () => {
    const { events } = await slowAccount();
    const { status, responses } = await w!.run('deprecate customers', PEOPLE.admin.id);
    expect(status).toBe(200);
    expect(responses).toEqual([]);
    // Ordering, not timing: the modal was open before SageMaker had answered anything.
    expect(events[0]).toBe('views.open');
    expect(events.filter((e) => e.startsWith('sagemaker')).length).toBeGreaterThan(2);
    expect(events.at(-1)).toBe('views.update');
    const opened = w!.fake.callsTo('views.open')[0]!['view'] as { blocks: Record<string, unknown>[] };
    expect(blockText(opened.blocks, DEPRECATE_MODAL.impactBlock)).toBe(':hourglass_flowing_sand: Working out who depends on `customers`…');
    const [modal] = w!.fake.views;
    expect(modal!.updates).toBe(1);
    expect(blockText(modal!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.impactBlock)).toContain('This notice will reach *2 owners* of 4 models and endpoints');
  }, 120_000);

  it('says in the modal, not by timing out, that the user may not announce', async () => {
    const { events } = await slowAccount();
    await w!.run('deprecate customers', PEOPLE.stranger.id);
    expect(events[0]).toBe('views.open');
    expect(events.at(-1)).toBe('views.update');
    const blocks = w!.fake.views[0]!.view['blocks'] as Record<string, unknown>[];
    expect(blockText(blocks, DEPRECATE_MODAL.refusalBlock)).toBe(`:warning: ${NOTICE_MESSAGES.notAllowed('customers', ['priya.nair@example.com'], [PEOPLE.admin.id])}`);
    expect(w!.fake.views[0]!.view['submit']).toBeUndefined();
  }, 60_000);

  it('changes nothing when the user closed the modal before it was filled in', async () => {
    await slowAccount();
    // Closed meanwhile: Slack no longer knows the view.
    const before = w!.fake.before!;
    w!.fake.before = (method, params) => (method === 'views.update' ? { status: 200, body: { ok: false, error: 'not_found' } } : before(method, params));
    const { responses } = await w!.run('deprecate customers', PEOPLE.stranger.id);
    expect(responses).toEqual([]);
    expect(w!.fake.callsTo('views.update')).toHaveLength(1);
    expect(w!.fake.messages).toEqual([]);
    // Logged at debug only (the harness logs from warn up): nothing for an operator to see.
    expect(w!.logs.filter((line) => line.includes('deprecate modal'))).toEqual([]);
  }, 60_000);
});
