// "Record this link" under the `/lineage infer` answer, through the real runtime: Slack's HTTP
// requests in, the fake SageMaker's writes and the store's audit out.
import { afterEach, describe, expect, it } from 'vitest';
import { PROPOSAL_NOTES_BLOCK, RECORD_LINK_ACTION, RECORD_LINK_ACTION_PATTERN, RECORDED_BLOCK } from '../../blocks/proposals.js';
import { BLOCK } from '../../blocks/index.js';
import { LINK_RECORDED_ACTION } from '../../src/record/link-recorder.js';
import { accountWithDirectReader, DIRECT_READER_JOB as JOB } from '../fixtures/record/direct-reader.js';
import { FakeError, nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testAccount, testSource } from '../support/sagemaker-nock.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let fake: FakeSageMaker | undefined;
let ws: SlackWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  await fake?.close();
  ws = undefined;
  fake = undefined;
});

type Blocks = Record<string, unknown>[];

async function start(): Promise<{ ws: SlackWorkspace; fake: FakeSageMaker }> {
  fake = await nockFakeSageMaker(accountWithDirectReader());
  // The answers read through the runtime's cache (real time: the cache is on); infer and recording use the account.
  ws = await startSlackWorkspace({ realTime: true, source: testSource({ endpoint: fake.url }), account: testAccount({ endpoint: fake.url }) });
  return { ws, fake };
}

/** `/lineage infer` as Priya; the one answer (only to her) and its Record this link button. */
async function infer(app: SlackWorkspace): Promise<{ blocks: Blocks; value: string; actionId: string }> {
  const { responses } = await app.run(`infer ${JOB}`, PEOPLE.priya.id);
  expect(responses).toHaveLength(1);
  const answer = responses[0] as { response_type: string; blocks: Blocks };
  expect(answer.response_type).toBe('ephemeral');
  const button = answer.blocks.map((b) => b['accessory'] as { action_id: string; value?: string } | undefined).find((a) => a && RECORD_LINK_ACTION_PATTERN.test(a.action_id));
  if (!button?.value) throw new Error('no Record this link button');
  expect(button.value.length).toBeLessThanOrEqual(2000);
  expect(answer.blocks.length).toBeLessThanOrEqual(50);
  return { blocks: answer.blocks, value: button.value, actionId: button.action_id };
}

const press = (app: SlackWorkspace, value: string, user: string) =>
  app.press({ actionId: `${RECORD_LINK_ACTION}:1`, value, user, channel: CHANNELS.announce.id, messageTs: '1700000000.000100' });

/** What the job's dependencies answer says: posted in the channel, or the error only the asker saw. */
async function depsOfJob(app: SlackWorkspace): Promise<string> {
  app.forget();
  const { responses } = await app.run(`deps ${JOB}`, PEOPLE.priya.id);
  return JSON.stringify([...app.fake.messages.map((m) => m.blocks), ...responses]);
}

const writes = (f: FakeSageMaker) => f.writes.map((w) => w.operation);

describe('Record this link', () => {
  it('an owner records the link once: the answer is redrawn, the write audited, and the next answer shows the link without a refresh', async () => {
    const { ws: app, fake: account } = await start();
    const before = await depsOfJob(app);
    expect(before).toContain('No feature group is recorded upstream');
    const { value } = await infer(app);

    const { responses } = await press(app, value, PEOPLE.priya.id);
    expect(responses).toHaveLength(1);
    const redrawn = responses[0] as { replace_original: boolean; blocks: Blocks };
    expect(redrawn.replace_original).toBe(true);
    expect(blockText(redrawn.blocks, RECORDED_BLOCK)).toContain(`Recorded by <@${PEOPLE.priya.id}>`);
    expect(blockText(redrawn.blocks, RECORDED_BLOCK)).toContain(`feature group customers → channel "train" of training job ${JOB}`);
    expect(JSON.stringify(redrawn.blocks)).not.toContain(RECORD_LINK_ACTION);
    // The fg-customers artifact, and its link to the channel's dataset (which already fed the job).
    expect(writes(account)).toEqual(['CreateArtifact', 'AddAssociation']);

    const audit = (await app.store.listAudit()).filter((e) => e.action === LINK_RECORDED_ACTION);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: PEOPLE.priya.id, detail: { featureGroup: 'customers', trainingJob: JOB, channel: 'train', applied: { created: 1, associated: 1 } } });
    expect(app.invalidated).toEqual(expect.arrayContaining(['customers', `arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers`]));

    const after = await depsOfJob(app);
    expect(after).not.toEqual(before);
    expect(after).not.toContain('No feature group is recorded upstream');
    expect(after).toContain('customers');
  });

  it('a second press records nothing new and says so', async () => {
    const { ws: app, fake: account } = await start();
    const { value } = await infer(app);
    await press(app, value, PEOPLE.priya.id);
    const written = writes(account).length;

    const { responses } = await press(app, value, PEOPLE.priya.id);
    const said = responses[0] as { replace_original: boolean; blocks: Blocks };
    expect(said.replace_original).toBe(false);
    expect(blockText(said.blocks, BLOCK.summary)).toBe('That link is recorded already: nothing new was written.');
    expect(writes(account)).toHaveLength(written);
    expect((await app.store.listAudit()).filter((e) => e.action === LINK_RECORDED_ACTION)).toHaveLength(1);
    // Asked again, the link is no longer proposed but listed as recorded, with no button.
    const { responses: asked } = await app.run(`infer ${JOB}`, PEOPLE.priya.id);
    const blocks = (asked[0] as { blocks: Blocks }).blocks;
    expect(JSON.stringify(blocks)).not.toContain(RECORD_LINK_ACTION);
    expect(blockText(blocks, PROPOSAL_NOTES_BLOCK)).toBe(`Already recorded: feature group customers → channel "train" of training job ${JOB}.`);
  });

  it('an admin may record; anyone else is refused, told who can, and nothing is written', async () => {
    const { ws: app, fake: account } = await start();
    const { value } = await infer(app);

    const { responses } = await press(app, value, PEOPLE.stranger.id);
    const refusal = responses[0] as { replace_original: boolean; response_type: string; blocks: Blocks };
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.replace_original).toBe(false);
    const text = blockText(refusal.blocks, BLOCK.error) ?? '';
    expect(text).toContain('can record lineage links of feature group `customers`');
    expect(text).toContain('priya.nair@example.com');
    expect(text).toContain(`<@${PEOPLE.admin.id}>`);
    expect(writes(account)).toEqual([]);
    expect(await app.store.listAudit()).toEqual([]);

    await press(app, value, PEOPLE.admin.id);
    expect(writes(account)).toEqual(['CreateArtifact', 'AddAssociation']);
    expect((await app.store.listAudit()).map((e) => e.actor)).toEqual([PEOPLE.admin.id]);
  });

  it('throttling and a 5xx on the writes are retried, and the link is recorded once', async () => {
    const { ws: app, fake: account } = await start();
    const { value } = await infer(app);
    account.failNext('CreateArtifact', 1, new FakeError('ThrottlingException', 'Rate exceeded', 400));
    account.failNext('AddAssociation', 1, new FakeError('InternalFailure', 'We encountered an internal error', 500));
    await press(app, value, PEOPLE.priya.id);
    expect(writes(account)).toEqual(['CreateArtifact', 'AddAssociation']);
    expect(account.requests.filter((r) => r.operation === 'CreateArtifact')).toHaveLength(2);
  });

  it('a write throttled past the retries says what was written, and the next press continues from there', async () => {
    const { ws: app, fake: account } = await start();
    const { value } = await infer(app);
    account.failNext('AddAssociation', 3, new FakeError('ThrottlingException', 'Rate exceeded', 400));
    const { responses } = await press(app, value, PEOPLE.priya.id);
    const text = blockText((responses[0] as { blocks: Blocks }).blocks, BLOCK.error) ?? '';
    expect(text).toContain('Recording stopped part-way');
    expect(text).toContain('1 artifact created had been written');
    expect(writes(account)).toEqual(['CreateArtifact']);
    expect(await app.store.listAudit()).toEqual([]);

    account.resetCalls();
    const { responses: second } = await press(app, value, PEOPLE.priya.id);
    expect(blockText((second[0] as { blocks: Blocks }).blocks, RECORDED_BLOCK)).toContain('Recorded by');
    // The artifact is reused, not created twice.
    expect(writes(account)).toEqual(['CreateArtifact', 'AddAssociation']);
    expect((await app.store.listAudit()).map((e) => e.detail['applied'])).toEqual([{ created: 0, updated: 0, associated: 1, concurrentlyAdded: 0 }]);
  });

  it('a bot role without iam/record.json is told so, and nothing is recorded', async () => {
    const { ws: app, fake: account } = await start();
    const { value } = await infer(app);
    account.failNext('CreateArtifact', 1, new FakeError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/bot is not authorized to perform: sagemaker:CreateArtifact'));
    const { responses } = await press(app, value, PEOPLE.priya.id);
    const blocks = (responses[0] as { blocks: Blocks }).blocks;
    expect(blockText(blocks, BLOCK.error)).toContain('The bot is not allowed to record lineage: its AWS role lacks `sagemaker:CreateArtifact`.');
    expect(blockText(blocks, BLOCK.error)).toContain('Nothing was written');
    expect(blockText(blocks, BLOCK.hint)).toContain('iam/record.json');
    expect(writes(account)).toEqual([]);
    expect(await app.store.listAudit()).toEqual([]);
  });

  it('a button whose value this bot did not write is refused', async () => {
    const { ws: app, fake: account } = await start();
    const { responses } = await press(app, '{"s":"x"}', PEOPLE.priya.id);
    expect(blockText((responses[0] as { blocks: Blocks }).blocks, BLOCK.error)).toContain('no longer understood');
    expect(writes(account)).toEqual([]);
  });
});
