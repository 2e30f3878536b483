// Write-back (NOTICE_WRITE_BACK=true): when a deprecation's date passes, the feature group is
// tagged in SageMaker — once, whichever replica leads and whatever crashed in between — and the
// answers about it say it is deprecated and name the replacement. Through real Bolt (or the notice
// system as the runtime wires it), the fake Slack and the one fake SageMaker, both at the HTTP level.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BLOCK } from '../../blocks/ids.js';
import { NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { DEPRECATION_TAGS } from '../../src/lineage/deprecation.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { FakeError, nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testMarker, testSource } from '../support/sagemaker-nock.js';
import { FakeSlack } from '../support/slack-fake.js';
import { blockText, interceptSlack, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { CHANNELS, createWorld, PEOPLE, type World } from '../support/slack-world.js';

const WRITE_BACK = { NOTICE_WRITE_BACK: 'true', LINEAGE_SOURCE: 'sagemaker' };
const DATE = '2026-02-01';
const DM_PRIYA = `D${PEOPLE.priya.id}`;

let h: SlackWorkspace | undefined;
let sagemaker: FakeSageMaker | undefined;
const worlds: World[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const world of worlds.splice(0)) await world.close();
  await sagemaker?.close();
  sagemaker = undefined;
});

const claimsArn = () => demoSnapshot().FeatureGroups.find((g) => g.FeatureGroupName === 'claims')!.FeatureGroupArn;
const tagsOf = (fake: FakeSageMaker, arn: string) => Object.fromEntries((fake.snapshot.Tags[arn] ?? []).map((t) => [t.Key, t.Value]));
const addTags = (fake: FakeSageMaker) => fake.requests.filter((r) => r.operation === 'AddTags');
const isWriteBackAudit = (entry: { action: string }) => entry.action === 'notice.written_back' || entry.action === 'notice.write_back_failed';
const writtenTags = (fake: FakeSageMaker) => fake.writes.filter((w) => w.operation === 'AddTags');

/**
 * The bot in Slack over the fake SageMaker (answers and write-back alike), with `env`; Priya
 * deprecates claims for DATE, replaced by `replacement`, from #ml-platform, and it is delivered.
 */
async function announced(env: Record<string, string> = WRITE_BACK, replacement = 'claims-v2'): Promise<{ h: SlackWorkspace; fake: FakeSageMaker; noticeId: string }> {
  const fake = (sagemaker = await nockFakeSageMaker(structuredClone(demoSnapshot())));
  const ws = (h = await startSlackWorkspace({ env, source: testSource(), marker: testMarker() }));
  await ws.run('deprecate claims', PEOPLE.priya.id);
  await ws.submit({ kind: 'deprecation', date: DATE, replacement }, PEOPLE.priya.id);
  await ws.system.worker.drain();
  const [notice] = await ws.store.listOpenNotices();
  return { h: ws, fake, noticeId: notice!.id };
}

/** What the answer to `/lineage <question>` (posted in #ml-platform) says about the group being deprecated. */
async function deprecationSaid(ws: SlackWorkspace, question: string): Promise<string | undefined> {
  await ws.run(question, PEOPLE.chen.id);
  return blockText(ws.fake.messagesIn(CHANNELS.announce.id).at(-1)!.blocks, BLOCK.deprecation);
}

/** Runs the reminder loop at `time` and carries out what it enqueued. */
async function at(ws: { clock?: { set(time: string): void }; system: World['system'] }, time: string): Promise<void> {
  ws.clock!.set(time);
  await ws.system.reminders.tick();
  await ws.system.worker.drain();
}

describe('write-back', () => {
  it('tags the group once when the date passes, and answers about it then say it is deprecated and what replaces it', async () => {
    const { h: ws, fake, noticeId } = await announced();
    expect(await deprecationSaid(ws, 'fg claims')).toBeUndefined();

    await at(ws, '2026-01-31T23:59:00Z');
    expect(addTags(fake)).toEqual([]);
    await at(ws, `${DATE}T00:00:00Z`);
    expect(tagsOf(fake, claimsArn())).toMatchObject({
      [DEPRECATION_TAGS.deprecated]: 'true',
      [DEPRECATION_TAGS.date]: DATE,
      [DEPRECATION_TAGS.replacement]: 'claims-v2',
      [DEPRECATION_TAGS.notice]: noticeId,
      // The tags it had are kept.
      owner: expect.any(String),
    });
    // Later ticks (the final report a day after, another day) write nothing more.
    await at(ws, '2026-02-02T00:00:00Z');
    await at(ws, '2026-02-03T00:00:00Z');
    expect(writtenTags(fake)).toHaveLength(1);
    expect(addTags(fake)[0]!.body).toEqual({
      ResourceArn: claimsArn(),
      Tags: [
        { Key: DEPRECATION_TAGS.deprecated, Value: 'true' },
        { Key: DEPRECATION_TAGS.date, Value: DATE },
        { Key: DEPRECATION_TAGS.replacement, Value: 'claims-v2' },
        { Key: DEPRECATION_TAGS.notice, Value: noticeId },
      ],
    });
    const audit = (await ws.store.listAudit(noticeId)).filter(isWriteBackAudit);
    expect(audit.map((a) => a.action)).toEqual(['notice.written_back']);
    expect(ws.invalidated).toContain('claims');

    for (const question of ['fg claims', 'upstream claims', 'features claims']) {
      expect(await deprecationSaid(ws, question), question).toBe(':no_entry: *Deprecated* since 2026-02-01. Use `claims-v2` instead.');
    }
  });

  it('is off by default: the date passes and nothing is written to SageMaker', async () => {
    const { h: ws, fake, noticeId } = await announced({ LINEAGE_SOURCE: 'sagemaker' });
    await at(ws, `${DATE}T00:00:00Z`);
    await at(ws, '2026-02-02T00:00:00Z');
    expect(addTags(fake)).toEqual([]);
    expect((await ws.store.listDeliveries(noticeId)).filter((d) => d.kind.startsWith('write_back'))).toEqual([]);
  });

  it('writes nothing for a notice cancelled before its date', async () => {
    const { h: ws, fake, noticeId } = await announced();
    await ws.system.service.cancel({ noticeId, userId: PEOPLE.priya.id });
    await ws.system.worker.drain();
    await at(ws, `${DATE}T00:00:00Z`);
    await at(ws, '2026-02-02T00:00:00Z');
    expect(addTags(fake)).toEqual([]);
  });

  it('writes at the moved date, never at the old one', async () => {
    const { h: ws, fake, noticeId } = await announced();
    await ws.system.service.move({ noticeId, userId: PEOPLE.priya.id, effectiveDate: '2026-02-10' });
    await ws.system.worker.drain();
    await at(ws, `${DATE}T00:00:00Z`);
    expect(addTags(fake)).toEqual([]);
    await at(ws, '2026-02-10T00:00:00Z');
    expect(writtenTags(fake)).toHaveLength(1);
    expect(tagsOf(fake, claimsArn())[DEPRECATION_TAGS.date]).toBe('2026-02-10');
  });

  it('retries throttling and 5xx with backoff until SageMaker takes the tags, then records them once', async () => {
    const { h: ws, fake, noticeId } = await announced();
    // The SDK's three attempts are all throttled, then its next three fail with 500: two outbox retries.
    fake.failNext('AddTags', 3, new FakeError('ThrottlingException', 'Rate exceeded', 400), () => {
      if (fake.requests.filter((r) => r.operation === 'AddTags').length === 3) fake.failNext('AddTags', 3, new FakeError('InternalFailure', 'We encountered an internal error', 500));
    });
    await at(ws, `${DATE}T00:00:00Z`);
    expect(addTags(fake)).toHaveLength(7);
    expect(writtenTags(fake)).toHaveLength(1);
    const [writeBack] = (await ws.store.listDeliveries(noticeId)).filter((d) => d.kind === 'write_back');
    expect(writeBack).toMatchObject({ status: 'sent', attempts: 3 });
    expect(ws.fake.messagesIn(DM_PRIYA).filter((m) => m.blocks.some((b) => b['block_id'] === NOTICE_BLOCK.writeBack))).toEqual([]);
    expect(ws.logs.some((line) => /Delivery .* \(write_back\) failed with SageMaker throttled AddTags after 3 attempts; retrying in/.test(line))).toBe(true);
  });

  it('on AccessDenied, audits one clear error and tells the announcer once, without trying again or logging a secret', async () => {
    const { h: ws, fake, noticeId } = await announced();
    fake.failNext('AddTags', 5, new FakeError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/lineage-bot/i-0abc is not authorized to perform: sagemaker:AddTags', 400));
    await at(ws, `${DATE}T00:00:00Z`);
    await at(ws, '2026-02-02T00:00:00Z');
    await at(ws, '2026-02-03T00:00:00Z');
    // Not retried: by the SDK (AccessDenied is not retryable) nor by the outbox.
    expect(addTags(fake)).toHaveLength(1);
    const audit = (await ws.store.listAudit(noticeId)).filter(isWriteBackAudit);
    expect(audit).toEqual([expect.objectContaining({ action: 'notice.write_back_failed', detail: { featureGroup: 'claims', error: 'access_denied: sagemaker:AddTags' } })]);
    const told = ws.fake.messagesIn(DM_PRIYA).filter((m) => m.blocks.some((b) => b['block_id'] === NOTICE_BLOCK.writeBack));
    expect(told).toHaveLength(1);
    expect(blockText(told[0]!.blocks, NOTICE_BLOCK.writeBack)).toBe(
      'Feature group `claims` could not be marked deprecated in SageMaker on 2026-02-01: the bot’s AWS identity is not allowed to call `sagemaker:AddTags`: grant it the policy in `iam/write-back.json`.',
    );
    expect(ws.logs.filter((line) => line.includes('could not mark feature group claims deprecated'))).toHaveLength(1);
    expect(ws.logs.join('\n')).not.toMatch(/AKIDEXAMPLE|secretAccessKey/);
  });
});

/** One Slack workspace for the replicas of a test, reached through nock. */
let slack: { fake: FakeSlack; release(): void } | undefined;
afterEach(() => {
  slack?.release();
  slack = undefined;
});

/** The notice system as the runtime wires it (a replica, a process), on `storeUrl`, over the fake SageMaker and the test's one Slack. */
async function world(storeUrl: string, options: { schema?: string; instanceId?: string } = {}): Promise<World> {
  if (!slack) {
    const fake = new FakeSlack({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS).map((c) => ({ ...c })) });
    slack = { fake, release: interceptSlack(fake).release };
  }
  const w = await createWorld({ env: WRITE_BACK, storeUrl, marker: testMarker(), fake: slack.fake, ...options });
  worlds.push(w);
  return w;
}

async function announce(w: World, features?: { names: string[]; change: string }): Promise<string> {
  const { notice } = await w.system.service.announce({
    featureGroup: 'claims',
    kind: 'deprecation',
    effectiveDate: DATE,
    replacement: 'claims-v2',
    ...(features ? { features } : {}),
    userId: PEOPLE.priya.id,
    channelId: CHANNELS.announce.id,
    sourceKey: `test:${randomUUID()}`,
  });
  await w.system.worker.drain();
  return notice.id;
}

describe('write-back of a notice about some features', () => {
  it("marks those features' metadata (UpdateFeatureMetadata), once, and leaves the group untagged", async () => {
    sagemaker = await nockFakeSageMaker(structuredClone(demoSnapshot()));
    const w = await world('sqlite::memory:');
    const noticeId = await announce(w, { names: ['collision_type', 'incident_severity'], change: 'deprecation' });
    await at(w, `${DATE}T00:00:00Z`);
    await at(w, '2026-02-02T12:00:00Z');
    expect(sagemaker.writes.map((write) => write.operation)).toEqual(['UpdateFeatureMetadata', 'UpdateFeatureMetadata']);
    const marked = { 'lineage-bot:deprecated': 'true', 'lineage-bot:deprecated-on': DATE, 'lineage-bot:replacement': 'claims-v2', 'lineage-bot:notice': noticeId };
    // In the group's order and spelling, as the notice keeps them.
    expect(sagemaker.writes.map((write) => write.body['FeatureName'])).toEqual(['incident_severity', 'collision_type']);
    expect(sagemaker.featureMetadata.get('claims.collision_type')).toEqual({ parameters: marked });
    expect(sagemaker.featureMetadata.get('claims.incident_severity')).toEqual({ parameters: marked });
    expect(tagsOf(sagemaker, claimsArn())).not.toHaveProperty(DEPRECATION_TAGS.deprecated);
    expect((await w.store.listAudit(noticeId)).filter(isWriteBackAudit)).toEqual([
      expect.objectContaining({ action: 'notice.written_back', detail: { featureGroup: 'claims', features: ['incident_severity', 'collision_type'] } }),
    ]);
  });
});

describe('write-back across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-write-back-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once by the next process when the bot stopped between the date and the write', async () => {
    sagemaker = await nockFakeSageMaker(structuredClone(demoSnapshot()));
    const storeUrl = `sqlite:${join(dir, 'restart.db')}`;
    const first = await world(storeUrl);
    const noticeId = await announce(first);
    // The date passes: the write-back is recorded as due, and the process stops before making it.
    first.clock.set(`${DATE}T00:00:00Z`);
    await first.system.reminders.tick();
    await first.close();
    worlds.splice(worlds.indexOf(first), 1);
    expect(addTags(sagemaker)).toEqual([]);

    const second = await world(storeUrl);
    second.clock.set(`${DATE}T00:05:00Z`);
    await second.system.reminders.tick();
    await second.system.worker.drain();
    await second.system.reminders.tick();
    await second.system.worker.drain();
    expect(writtenTags(sagemaker)).toHaveLength(1);
    expect((await second.store.listAudit(noticeId)).filter((a) => a.action === 'notice.written_back')).toHaveLength(1);
  });

  it('is made again, changing nothing, when the store failed after SageMaker took it', async () => {
    sagemaker = await nockFakeSageMaker(structuredClone(demoSnapshot()));
    const w = await world(`sqlite:${join(dir, 'outage.db')}`);
    const noticeId = await announce(w);
    const complete = w.store.completeDelivery.bind(w.store);
    let failures = 0;
    // The write-back's record (a write-back has no message ts) fails once, as in a dropped connection.
    w.store.completeDelivery = async (...args) => {
      if (args[2].ts === '' && failures++ === 0) throw new Error('connection terminated unexpectedly');
      return complete(...args);
    };
    await at(w, `${DATE}T00:00:00Z`);
    expect(writtenTags(sagemaker)).toHaveLength(2);
    expect(tagsOf(sagemaker, claimsArn())[DEPRECATION_TAGS.date]).toBe(DATE);
    expect((await w.store.listAudit(noticeId)).filter(isWriteBackAudit).map((a) => a.action)).toEqual(['notice.written_back']);
  });
});

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

describe.skipIf(!POSTGRES_URL)('write-back with two replicas on PostgreSQL (skipped: set TEST_POSTGRES_URL to run)', () => {
  const schema = `lb_write_back_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('is made once when both replicas tick and work at the date', async () => {
    sagemaker = await nockFakeSageMaker(structuredClone(demoSnapshot()));
    const a = await world(POSTGRES_URL as string, { schema, instanceId: 'replica-a' });
    const b = await world(POSTGRES_URL as string, { schema, instanceId: 'replica-b' });
    const noticeId = await announce(a);
    for (const replica of [a, b]) replica.clock.set(`${DATE}T00:00:00Z`);
    await Promise.all([a.system.reminders.tick(), b.system.reminders.tick()]);
    await Promise.all([a.system.worker.drain(), b.system.worker.drain()]);
    // The lead passes to the other replica: it finds the milestone done.
    await a.system.reminders.stop();
    await a.store.releaseLead('reminders', 'replica-a');
    await b.system.reminders.tick();
    await Promise.all([a.system.worker.drain(), b.system.worker.drain()]);
    expect(writtenTags(sagemaker)).toHaveLength(1);
    expect((await a.store.listDeliveries(noticeId)).filter((d) => d.kind === 'write_back')).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect((await b.store.listAudit(noticeId)).filter((a) => a.action === 'notice.written_back')).toHaveLength(1);
  });
});
