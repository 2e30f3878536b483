// The Workflow Builder steps through real Bolt: signed function_executed events to the runtime,
// Slack answered by the fake workspace (nock), the step's end read from what the fake recorded
// (functions.completeSuccess / completeError).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { MESSAGES, NOTICE_MESSAGES } from '../../commands/messages.js';
import { plainText, WORKFLOW_MESSAGES } from '../../commands/workflow/messages.js';
import { WORKFLOW_FUNCTION } from '../../commands/workflow/ids.js';
import { NotAuthorized, SourceUnavailable } from '../../src/lineage/errors.js';
import type { FakeFunctionResult } from '../support/slack-fake.js';
import { blockText, startSlackWorkspace, type SlackWorkspace, type WorkspaceOptions } from '../support/slack-http.js';
import { functionExecuted } from '../support/slack-requests.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace;
afterEach(async () => h?.close());

/** Runs one step as Slack would and returns how it ended; Bolt must acknowledge the event with 200. */
async function runStep(callbackId: string, inputs: Record<string, unknown>, executionId?: string): Promise<FakeFunctionResult> {
  const event = functionExecuted({ callbackId, inputs, ...(executionId ? { executionId } : {}) });
  const response = await h.event(event);
  expect(response.status).toBe(200);
  await h.settle(30_000);
  const results = h.fake.functionResults.filter((r) => r.executionId === event['function_execution_id']);
  expect(results, 'a step ends exactly once').toHaveLength(1);
  return results[0]!;
}

const announcer = (id: string) => ({ id, secret: 'c2VjcmV0' });

async function start(options: WorkspaceOptions = {}): Promise<SlackWorkspace> {
  h = await startSlackWorkspace(options);
  return h;
}

describe('Check feature group impact', () => {
  it('returns the counts and summary the /lineage impact answer shows, notifying nobody', async () => {
    await start();
    const { responses } = await h.run('impact customers', PEOPLE.stranger.id);
    const tally = blockText(responses[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.tally)!;
    expect(tally).toBe('A change to feature group `customers` would affect *2 models* and *2 endpoints*. A notice would reach *2 owners*.');
    h.forget();

    const result = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'customers' });
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: {
        models: 2,
        endpoints: 2,
        owners: 2,
        unreachable_owners: 0,
        lineage_complete: true,
        summary: 'A change to feature group customers would affect 2 models and 2 endpoints. A notice would reach 2 owners.',
      },
    });
    expect(result.outcome === 'success' && result.outputs['summary']).toBe(plainText(tally));
    // Completed with the run's own token, and nothing else said to anyone.
    expect(h.apiCalls().filter((m) => !/^(users|conversations)\.(info|lookupByEmail|list)$/.test(m))).toEqual(['functions.completeSuccess']);
    expect(h.fake.messages).toEqual([]);
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('says the counts cannot be trusted to be whole: no lineage recorded, or a walk cut short', async () => {
    await start();
    const none = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'policies' });
    expect(none).toMatchObject({
      outcome: 'success',
      outputs: {
        models: 0,
        endpoints: 0,
        owners: 0,
        lineage_complete: false,
        summary: 'Feature group policies exists, but no lineage is recorded for it, so no consumers are known: a notice would reach nobody.',
      },
    });
    await h.close();

    await start({ env: { LINEAGE_MAX_VERTICES: '10' } });
    const cut = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'customers' });
    expect(cut).toMatchObject({ outcome: 'success', outputs: { lineage_complete: false } });
    const { responses } = await h.run('impact customers', PEOPLE.stranger.id);
    const tally = blockText(responses[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.tally)!;
    expect(tally).toContain('stopped');
    expect(cut.outcome === 'success' && cut.outputs['summary']).toBe(plainText(tally));
  });

  it('fails with the did-you-mean of an unknown feature group', async () => {
    await start();
    const result = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'custmers' });
    expect(result).toEqual({ executionId: expect.any(String), outcome: 'error', error: expect.stringContaining("I couldn't find a feature group called custmers.") });
    expect(result.outcome === 'error' && result.error).toContain('Did you mean customers');
    expect(result.outcome === 'error' && result.error).not.toMatch(/[`*]|&lt;|&gt;|&amp;/);
  });

  it('fails, naming the input, when the feature group is missing or blank', async () => {
    await start();
    for (const inputs of [{}, { feature_group: '   ' }, { feature_group: 42 }]) {
      const result = await runStep(WORKFLOW_FUNCTION.checkImpact, inputs);
      expect(result).toMatchObject({ outcome: 'error', error: "The step's inputs cannot be used: feature_group needs a feature group (a name or an ARN)." });
    }
    expect(h.apiCalls().every((m) => m === 'functions.completeError')).toBe(true);
  });

  it('fails with the lineage source message when SageMaker is down', async () => {
    await start();
    h.source.queryLineage = async () => {
      throw new SourceUnavailable('SageMaker answered 503');
    };
    const result = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'customers' });
    expect(result).toMatchObject({ outcome: 'error', error: MESSAGES.sourceUnavailable });
  });

  it('retries completeSuccess when Slack rate limits it or answers 5xx, completing once', async () => {
    await start({ retryConfig: { retries: 3, factor: 1, minTimeout: 1, maxTimeout: 1 } });
    h.fake.inject('functions.completeSuccess', { ratelimited: true, retryAfterSeconds: 0 }, { times: 1 });
    h.fake.inject('functions.completeSuccess', { status: 503 }, { times: 1 });
    const result = await runStep(WORKFLOW_FUNCTION.checkImpact, { feature_group: 'customers' });
    expect(result).toMatchObject({ outcome: 'success', outputs: { models: 2, endpoints: 2, owners: 2 } });
    expect(h.fake.callsTo('functions.completeSuccess')).toHaveLength(3);
    expect(h.fake.rateLimited).toBe(1);
  });

  it('logs, without crashing, a completion Slack keeps refusing', async () => {
    await start();
    h.fake.inject('functions.completeSuccess', { status: 500 });
    const event = functionExecuted({ callbackId: WORKFLOW_FUNCTION.checkImpact, inputs: { feature_group: 'customers' } });
    expect((await h.event(event)).status).toBe(200);
    await h.settle(30_000);
    expect(h.fake.functionResults).toEqual([]);
    expect(h.logs.join('\n')).toContain(`Workflow step ${WORKFLOW_FUNCTION.checkImpact} could not be completed (functions.completeSuccess:`);
  });
});

describe('Announce a feature group change', () => {
  const inputs = (extra: Record<string, unknown> = {}) => ({
    feature_group: 'customers',
    kind: 'deprecation',
    effective_date: '2026-02-01',
    replacement: 'claims-v2',
    message: 'Use <claims-v2> & friends',
    announcer: announcer(PEOPLE.priya.id),
    channel: CHANNELS.announce.id,
    ...extra,
  });

  it("starts a notice as the modal does: stored, owners told by DM and team channel, the summary in the step's channel", async () => {
    await start();
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs());
    const [notice] = await h.store.listOpenNotices();
    expect(notice).toMatchObject({
      featureGroup: 'customers',
      kind: 'deprecation',
      effectiveDate: '2026-02-01',
      replacement: 'claims-v2',
      note: 'Use <claims-v2> & friends',
      announcer: { type: 'user', userId: PEOPLE.priya.id },
      summaryTarget: CHANNELS.announce.id,
      reportTo: PEOPLE.priya.id,
    });
    expect(result).toEqual({
      executionId: expect.any(String),
      outcome: 'success',
      outputs: { notice_id: notice!.id, feature_group: 'customers', effective_date: '2026-02-01', status: 'sent', owners: 2 },
    });
    expect(notice!.sourceKey).toBe(`function:${result.executionId}`);
    expect((await h.store.listAudit(notice!.id)).map((a) => [a.actor, a.action])).toEqual([
      [PEOPLE.priya.id, 'notice.announced'],
      ['lineage-bot', 'notice.prepared'],
    ]);

    await h.system.worker.drain();
    const dm = h.fake.messagesIn(`D${PEOPLE.chen.id}`);
    const team = h.fake.messagesIn(CHANNELS.fraud.id);
    const summary = h.fake.messagesIn(CHANNELS.announce.id);
    expect([dm.length, team.length, summary.length, h.fake.messages.length]).toEqual([1, 1, 1, 3]);
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.change)).toBe('Feature group `customers` will be deprecated on *2026-02-01 00:00 UTC*. Announced by <@UPRIYA>.');
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.note)).toBe('*Note:* Use &lt;claims-v2&gt; &amp; friends');
    expect(blockText(summary[0]!.blocks, NOTICE_BLOCK.tally)).toBe('*0 of 2* owners have acknowledged.');
  });

  it("posts the summary to the announcer's DM when the step names no channel, and an admin may announce too", async () => {
    await start();
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs({ channel: '', announcer: announcer(PEOPLE.admin.id), replacement: undefined, message: '' }));
    expect(result).toMatchObject({ outcome: 'success', outputs: { status: 'sent', owners: 2 } });
    const [notice] = await h.store.listOpenNotices();
    expect(notice).toMatchObject({ summaryTarget: PEOPLE.admin.id, reportTo: PEOPLE.admin.id, announcer: { type: 'user', userId: PEOPLE.admin.id } });
    expect(notice!.note).toBeUndefined();
    await h.system.worker.drain();
    expect(h.fake.messagesIn(`D${PEOPLE.admin.id}`)).toHaveLength(1);
  });

  it('refuses someone who is neither an owner of the group nor a lineage admin, naming who may, and stores nothing', async () => {
    await start();
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs({ announcer: announcer(PEOPLE.stranger.id) }));
    expect(result).toMatchObject({ outcome: 'error', error: plainText(`${NOTICE_MESSAGES.notAllowed('customers', ['priya.nair@example.com'], [PEOPLE.admin.id])} ${NOTICE_MESSAGES.notAllowedHint}`) });
    expect(result.outcome === 'error' && result.error).toContain('Only the owners of customers (priya.nair@example.com) and the lineage admins (UADMIN) can announce');
    expect(await h.store.listOpenNotices()).toEqual([]);
    await h.system.worker.drain();
    expect(h.fake.messages).toEqual([]);
  });

  it('refuses a run without a user context: the announcer cannot be typed in', async () => {
    await start();
    for (const announcerInput of [undefined, PEOPLE.priya.id, { id: 'not a user' }]) {
      const result = await runStep(WORKFLOW_FUNCTION.announce, inputs({ announcer: announcerInput }));
      expect(result).toMatchObject({ outcome: 'error', error: expect.stringMatching(/^The step's inputs cannot be used: announcer/) });
    }
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('fails with every bad field at once: a past date, an unknown kind, a replacement that does not exist', async () => {
    await start();
    const past = await runStep(WORKFLOW_FUNCTION.announce, inputs({ effective_date: '2025-12-01' }));
    expect(past).toMatchObject({ outcome: 'error', error: NOTICE_MESSAGES.invalid.date_past });
    const garbled = await runStep(WORKFLOW_FUNCTION.announce, inputs({ effective_date: 'next tuesday', kind: 'rename', replacement: 'nope' }));
    expect(garbled).toMatchObject({
      outcome: 'error',
      error: [NOTICE_MESSAGES.invalid.kind_unknown, NOTICE_MESSAGES.invalid.date_invalid, NOTICE_MESSAGES.invalid.replacement_not_found].join(' '),
    });
    const missing = await runStep(WORKFLOW_FUNCTION.announce, inputs({ effective_date: undefined, feature_group: '' }));
    expect(missing).toMatchObject({
      outcome: 'error',
      error: "The step's inputs cannot be used: feature_group needs a feature group (a name or an ARN); effective_date needs an effective date (YYYY-MM-DD).",
    });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('fails with the did-you-mean of an unknown group, and refuses a second open notice of the same kind', async () => {
    await start();
    const unknown = await runStep(WORKFLOW_FUNCTION.announce, inputs({ feature_group: 'custmers' }));
    expect(unknown.outcome === 'error' && unknown.error).toContain('Did you mean customers');
    expect((await runStep(WORKFLOW_FUNCTION.announce, inputs())).outcome).toBe('success');
    const again = await runStep(WORKFLOW_FUNCTION.announce, inputs({ effective_date: '2026-03-01' }));
    expect(again).toMatchObject({ outcome: 'error', error: NOTICE_MESSAGES.invalid.already_announced });
    expect(await h.store.listOpenNotices()).toHaveLength(1);
  });

  it('announces a change to some features only, told to the models whose queries use them', async () => {
    await start();
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs({ kind: 'breaking_schema_change', replacement: '', features: 'region, num_policies', feature_change: 'removal' }));
    // Only churn-predictor's query reads region or num_policies: Chen is told, #fraud-ml is not.
    expect(result).toMatchObject({ outcome: 'success', outputs: { status: 'sent', owners: 1 } });
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.features).toEqual({ names: ['region', 'num_policies'], change: 'removal' });
    expect((await h.store.listRecipients(notice!.id)).map((r) => r.label)).toEqual(['Chen Wu']);
  });

  it('fails, naming what is wrong, for features without what happens to them, or one the group lacks', async () => {
    await start();
    const noChange = await runStep(WORKFLOW_FUNCTION.announce, inputs({ features: 'region' }));
    expect(noChange).toMatchObject({ outcome: 'error', error: NOTICE_MESSAGES.invalid.feature_change_missing });
    const unknown = await runStep(WORKFLOW_FUNCTION.announce, inputs({ features: 'region postcode', feature_change: 'removal' }));
    expect(unknown).toMatchObject({ outcome: 'error', error: NOTICE_MESSAGES.featureUnknown('postcode') });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('creates nothing twice when Slack delivers the same run again', async () => {
    await start();
    const first = await runStep(WORKFLOW_FUNCTION.announce, inputs());
    h.fake.functionResults.length = 0; // as if the first completion never reached Slack
    const second = await runStep(WORKFLOW_FUNCTION.announce, inputs(), first.executionId);
    expect(second).toMatchObject({ outcome: 'success', outputs: { status: 'sent' } });
    expect(await h.store.listOpenNotices()).toHaveLength(1);
  });

  it('completes as pending when SageMaker is down after the checks: the notice is kept and sent once it can be', async () => {
    await start({ notices: { preparation: { maxAttempts: 3, backoff: { baseMs: 5000, maxMs: 60_000 } } } });
    // Checking who may announce describes the group (cached); walking its lineage then fails.
    h.source.queryLineage = async () => {
      throw new SourceUnavailable('SageMaker answered 503');
    };
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs());
    expect(result).toMatchObject({ outcome: 'success', outputs: { feature_group: 'customers', status: 'pending' } });
    expect(result.outcome === 'success' && 'owners' in result.outputs).toBe(false);
    const [notice] = await h.store.listOpenNotices();
    expect(notice?.preparedAt).toBeUndefined();
  });

  it('fails when the notice cannot be sent (SageMaker refuses the lineage walk), and the announcer is told by DM too', async () => {
    await start();
    h.source.queryLineage = async () => {
      throw new NotAuthorized('AccessDenied', 'sagemaker:QueryLineage');
    };
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs());
    const reason = plainText(`${MESSAGES.notAuthorized('sagemaker:QueryLineage')} ${MESSAGES.notAuthorizedHint}`);
    expect(result).toMatchObject({ outcome: 'error', error: `The notice was accepted but cannot be sent: ${reason}` });
    expect(await h.store.listOpenNotices()).toEqual([]);
    await h.system.worker.drain();
    expect(h.fake.messagesIn(`D${PEOPLE.priya.id}`)).toHaveLength(1);
  });

  it('fails, and stores nothing, when the store cannot take the notice', async () => {
    await start();
    vi.spyOn(h.store, 'acceptNotice').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
    const result = await runStep(WORKFLOW_FUNCTION.announce, inputs());
    expect(result).toMatchObject({ outcome: 'error', error: WORKFLOW_MESSAGES.internal });
    expect(h.logs.join('\n')).toContain('SQLITE_BUSY');
    expect(await h.store.listOpenNotices()).toEqual([]);
  });
});
