// What goes wrong around notices, through real Bolt: people who may not announce, feature groups
// that do not exist, bad dates and replacements, notices nobody can be told about, owners and
// channels Slack refuses, and a resubmitted form.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { MESSAGES, NOTICE_MESSAGES } from '../../commands/messages.js';
import { parseCommandText } from '../../commands/subcommands.js';
import { NotAuthorized, SourceUnavailable } from '../../src/lineage/errors.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace;
afterEach(async () => h?.close());

const errorOf = (response: Record<string, unknown> | undefined) => blockText((response?.['blocks'] ?? []) as Record<string, unknown>[], 'lineage_error');

describe('who may announce', () => {
  it('refuses anyone but the owners and admins in the modal, saying who can, with nothing to submit', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('deprecate customers', PEOPLE.stranger.id);
    expect(responses).toEqual([]);
    // The modal opened before the check (a trigger_id lasts 3 s), and now says why not.
    expect(h.fake.views).toHaveLength(1);
    const modal = h.fake.views[0]!;
    expect(modal.updates).toBe(1);
    const blocks = modal.view['blocks'] as Record<string, unknown>[];
    expect(blockText(blocks, DEPRECATE_MODAL.refusalBlock)).toBe(`:warning: ${NOTICE_MESSAGES.notAllowed('customers', ['priya.nair@example.com'], ['UADMIN'])}`);
    expect(blockText(blocks, DEPRECATE_MODAL.refusalBlock)).toBe(
      ':warning: Only the owners of `customers` (`priya.nair@example.com`) and the lineage admins (<@UADMIN>) can announce a change to feature group `customers`.',
    );
    expect(blockText(blocks, DEPRECATE_MODAL.refusalHintBlock)).toBe(NOTICE_MESSAGES.notAllowedHint);
    expect(blocks.some((b) => b['type'] === 'input')).toBe(false);
    expect(modal.view['submit']).toBeUndefined();
    expect(modal.view['close']).toEqual({ type: 'plain_text', text: 'Close' });
  });

  it('says in the modal when Slack could not check the owner tag, rather than refusing', async () => {
    h = await startSlackWorkspace();
    // The owner tag holds an email: checking it needs users.lookupByEmail.
    const refused = h.fake.inject('users.lookupByEmail', { error: 'missing_scope', needed: 'users:read.email' });
    await h.run('deprecate customers', PEOPLE.stranger.id);
    expect(blockText(h.fake.views[0]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.refusalBlock)).toBe(`:warning: ${NOTICE_MESSAGES.slackRefused('missing_scope')}`);
    refused.stop();
    h.fake.inject('users.lookupByEmail', { status: 503, body: 'unavailable' });
    await h.run('deprecate customers', PEOPLE.stranger.id);
    expect(blockText(h.fake.views[1]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.refusalBlock)).toBe(`:warning: ${NOTICE_MESSAGES.slackUnavailable}`);
  });

  it('refuses a submission from someone who may not announce (a forged or stale form)', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    const answer = await h.submit({ kind: 'deprecation', date: '2026-03-01' }, PEOPLE.stranger.id);
    expect(JSON.parse(answer.body)).toEqual({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.noLongerAllowed } });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('lets a lineage admin announce for any group', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate claims', PEOPLE.admin.id);
    expect(h.fake.views).toHaveLength(1);
  });
});

describe('input', () => {
  it('explains unknown feature groups with close names, and missing or extra words', async () => {
    h = await startSlackWorkspace();
    const unknown = await h.run('deprecate custmers', PEOPLE.admin.id);
    expect(unknown.responses).toEqual([]);
    expect(blockText(h.fake.views[0]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.refusalBlock)).toBe(
      `:warning: ${MESSAGES.notFound('custmers', 'feature group')}`,
    );
    const impact = await h.run('impact nope-nope', PEOPLE.admin.id);
    expect(errorOf(impact.responses[0])).toBe(`:warning: ${MESSAGES.notFound('nope-nope', 'feature group')}`);
    // A subcommand with nothing after it is answered by /lineage's own parser, as for every question.
    const missing = await h.run('deprecate', PEOPLE.admin.id);
    const parsed = parseCommandText('deprecate');
    if (parsed.kind !== 'missing') throw new Error(`deprecate alone parsed as ${parsed.kind}`);
    expect(errorOf(missing.responses[0])).toBe(`:warning: ${MESSAGES.missingArgument(parsed.subcommand)}`);
    const extra = await h.run('impact customers claims', PEOPLE.admin.id);
    const tooMany = parseCommandText('impact customers claims');
    if (tooMany.kind !== 'tooMany') throw new Error(`impact with two names parsed as ${tooMany.kind}`);
    expect(errorOf(extra.responses[0])).toBe(`:warning: ${MESSAGES.tooManyArguments(tooMany.subcommand)}`);
    const model = await h.run('impact arn:aws:sagemaker:us-east-1:111122223333:model/fraud-detector', PEOPLE.admin.id);
    expect(errorOf(model.responses[0])).toBe(
      `:warning: ${MESSAGES.wrongKind('arn:aws:sagemaker:us-east-1:111122223333:model/fraud-detector', 'model', ['feature group'])}`,
    );
    // Too long to be a feature group: said at once (the modal would carry it in private_metadata).
    const long = await h.run(`deprecate ${'x'.repeat(300)}`, PEOPLE.admin.id);
    expect(errorOf(long.responses[0])).toBe(`:warning: ${NOTICE_MESSAGES.featureGroupTooLong(256)}`);
    // Only the command that named something to check opened a modal.
    expect(h.fake.views).toHaveLength(1);
  });

  it('rejects bad dates and replacements next to their fields, keeping the modal open', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    const errors = async (form: Parameters<SlackWorkspace['submit']>[0]) => JSON.parse((await h.submit(form, PEOPLE.priya.id)).body) as { errors: Record<string, string> };
    expect((await errors({ kind: 'deprecation', date: '2026-01-04' })).errors).toEqual({ [DEPRECATE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_past });
    expect((await errors({ kind: 'deprecation', date: '2026-02-30' })).errors).toEqual({ [DEPRECATE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_invalid });
    expect((await errors({ kind: 'deprecation', date: '2031-01-01' })).errors).toEqual({ [DEPRECATE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_too_far });
    expect((await errors({ kind: 'deprecation' })).errors).toEqual({ [DEPRECATE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_invalid });
    expect((await errors({ kind: 'deprecation', date: '2026-02-01', replacement: 'customers-v9' })).errors).toEqual({
      [DEPRECATE_MODAL.replacementBlock]: NOTICE_MESSAGES.invalid.replacement_not_found,
    });
    expect((await errors({ kind: 'deprecation', date: '2026-02-01', replacement: 'customers' })).errors).toEqual({
      [DEPRECATE_MODAL.replacementBlock]: NOTICE_MESSAGES.invalid.replacement_same,
    });
    expect((await errors({ kind: 'rename', date: '2025-12-01', replacement: '<!channel>' })).errors).toEqual({
      [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.invalid.kind_unknown,
      [DEPRECATE_MODAL.dateBlock]: NOTICE_MESSAGES.invalid.date_past,
      [DEPRECATE_MODAL.replacementBlock]: NOTICE_MESSAGES.invalid.replacement_not_found,
    });
    // Today is fine.
    expect(await h.submit({ kind: 'data_change', date: '2026-01-05' }, PEOPLE.priya.id)).toEqual({ status: 200, body: '' });
    expect(await h.store.listOpenNotices()).toHaveLength(1);
  });

  it('refuses a second notice of the same kind about a group while the first is open', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    expect(await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id)).toEqual({ status: 200, body: '' });
    await h.system.worker.drain();
    await h.run('deprecate customers', PEOPLE.admin.id);
    const second = JSON.parse((await h.submit({ kind: 'deprecation', date: '2026-02-15' }, PEOPLE.admin.id)).body) as { errors: Record<string, string> };
    expect(second.errors).toEqual({ [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.alreadyAnnouncedFor('2026-02-01') });
    // Another kind of change is a different notice.
    expect(await h.submit({ kind: 'data_change', date: '2026-02-15' }, PEOPLE.admin.id)).toEqual({ status: 200, body: '' });
    expect((await h.store.listOpenNotices()).map((n) => n.kind).sort()).toEqual(['data_change', 'deprecation']);
    // Once the first one is closed (its date passed), the group can be announced again.
    h.clock!.set('2026-02-01T00:00:00Z');
    await h.system.reminders.tick();
    await h.run('deprecate customers', PEOPLE.priya.id);
    expect(await h.submit({ kind: 'deprecation', date: '2026-03-01' }, PEOPLE.priya.id)).toEqual({ status: 200, body: '' });
  });

  it('creates one notice when two people submit the same kind at the same instant, and tells the second which notice is open', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    const priyas = h.fake.views.at(-1)!.id;
    await h.run('deprecate customers', PEOPLE.admin.id);
    const admins = h.fake.views.at(-1)!.id;
    const answers = await Promise.all([
      h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id, { viewId: priyas }),
      h.submit({ kind: 'deprecation', date: '2026-02-15' }, PEOPLE.admin.id, { viewId: admins }),
    ]);
    const open = await h.store.listOpenNotices();
    expect(open).toHaveLength(1);
    const refused = answers.filter((a) => a.body !== '');
    expect(answers.filter((a) => a.body === '')).toHaveLength(1);
    expect(refused.map((a) => JSON.parse(a.body) as unknown)).toEqual([
      { response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.alreadyAnnouncedFor(open[0]!.effectiveDate) } },
    ]);
    await h.system.worker.drain();
    expect(h.fake.messages).toHaveLength(3); // one summary, two owners: once each
  });

  it('answers a submission whose checks are too slow within Slack’s 3 seconds, asking to submit again, and stores nothing', async () => {
    h = await startSlackWorkspace({ notices: { checkBudgetMs: 50 } });
    await h.run('deprecate customers', PEOPLE.priya.id);
    h.source.describeFeatureGroup = () => new Promise(() => {}); // SageMaker stops answering
    const answer = await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    expect(JSON.parse(answer.body)).toEqual({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.checksTooSlow } });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('rejects a form whose private metadata was tampered with', async () => {
    h = await startSlackWorkspace();
    const answer = await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id, { viewId: 'VFORGED', privateMetadata: '{"fg":"customers"' });
    expect(JSON.parse(answer.body)).toEqual({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: MESSAGES.unknownButton } });
  });

  it('creates one notice however often the same form is submitted', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    expect(await h.store.listOpenNotices()).toHaveLength(1);
    await h.system.worker.drain();
    expect(h.fake.messages).toHaveLength(3);
  });
});

describe('owners who cannot be told', () => {
  it('records a notice nobody can be told about, and says so on the summary', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate policies', PEOPLE.admin.id);
    expect(blockText(h.fake.views[0]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.impactBlock)).toBe(
      'Nothing downstream of `policies` has an owner to tell. The notice will still be recorded and summarised here.',
    );
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.admin.id);
    await h.system.worker.drain();
    expect(h.fake.messages).toHaveLength(1);
    expect(blockText(h.fake.messages[0]!.blocks, NOTICE_BLOCK.tally)).toBe('No owner could be notified: nothing downstream has a reachable owner.');
  });

  it('lists unreachable owners on the notice and its summary, never dropping them', async () => {
    h = await startSlackWorkspace();
    h.fake.channels.set(CHANNELS.claims.id, { ...CHANNELS.claims, archived: true });
    h.fake.users.delete(PEOPLE.ben.id);
    await h.run('deprecate claims-v2', PEOPLE.claimsData.id);
    await h.submit({ kind: 'breaking_schema_change', date: '2026-02-01' }, PEOPLE.claimsData.id);
    await h.system.worker.drain();
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.unreachable.map((u) => [u.value, u.reason])).toEqual([
      ['#claims-ops', 'channel_archived'],
      ['ben.okafor@example.com', 'user_not_found'],
    ]);
    expect(blockText(h.fake.messages[0]!.blocks, NOTICE_BLOCK.unreachable)).toBe(
      '*Owners who cannot be reached*\n' +
        '• `#claims-ops` — channel archived (`claims-triage`)\n' +
        '• `ben.okafor@example.com` — no Slack user with this email or ID (`claims-triage`)',
    );
  });

  it('records permanent delivery failures and shows them on the summary', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    // Between the announcement and the fan-out, the team archives its channel and Chen leaves.
    h.fake.channels.set(CHANNELS.fraud.id, { ...CHANNELS.fraud, archived: true });
    h.fake.users.set(PEOPLE.chen.id, { ...PEOPLE.chen, deleted: true });
    await h.system.worker.drain();
    const [notice] = await h.store.listOpenNotices();
    const deliveries = await h.store.listDeliveries(notice!.id);
    expect(deliveries.map((d) => [d.kind, d.status, d.error ?? null, d.attempts])).toEqual([
      ['summary', 'sent', null, 1],
      ['notice', 'failed', 'is_archived', 1],
      ['notice', 'failed', 'user_disabled', 0],
    ]);
    const summary = h.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expect(blockText(summary.blocks, NOTICE_BLOCK.tally)).toBe('*0 of 2* owners have acknowledged. 2 could not be reached.');
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'not delivered: channel archived', '—'],
      ['Chen Wu', 'churn-predictor, churn-predictor-prod', 'not delivered: account deactivated', '—'],
    ]);
    // Nobody to remind: neither got the notice.
    h.clock!.set('2026-01-25T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    expect(h.fake.messages).toHaveLength(1);
  });

  it('sends the summary to the announcer when the bot cannot post in the announcing channel', async () => {
    h = await startSlackWorkspace();
    h.fake.channels.set(CHANNELS.announce.id, { ...CHANNELS.announce, member: false });
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([]);
    const dm = h.fake.messagesIn(`D${PEOPLE.priya.id}`);
    expect(dm).toHaveLength(1);
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.tally)).toBe('*0 of 2* owners have acknowledged.');
  });

  it('lists a new owner Slack keeps failing to look up as unreachable for now, and tells everyone else', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    // A new owner appears, and Slack stops answering lookups by ID (the announcer's email is cached).
    h.fake.inject('users.info', { status: 503, body: 'unavailable' });
    h.source.change((snapshot) => {
      snapshot.Tags['arn:aws:sagemaker:us-east-1:111122223333:model/churn-predictor'] = [{ Key: 'owner', Value: 'U0NEWOWNER' }];
    });
    const answer = await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    expect(answer).toEqual({ status: 200, body: '' });
    // Retried with backoff (4 attempts), then given up on for this owner only.
    expect(h.fake.callsTo('users.info').filter((p) => p['user'] === 'U0NEWOWNER')).toHaveLength(4);
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.unreachable).toEqual([{ value: 'U0NEWOWNER', reason: 'lookup_failed', detail: 'http_503', resources: [{ kind: 'Model', name: 'churn-predictor' }] }]);
    await h.system.worker.drain();
    expect(h.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
    expect(blockText(h.fake.messagesIn(CHANNELS.announce.id)[0]!.blocks, NOTICE_BLOCK.unreachable)).toBe(
      '*Owners who cannot be reached*\n• `U0NEWOWNER` — Slack did not answer when looking this up, so it is unreachable for now (`churn-predictor`)',
    );
  });

  it('keeps an accepted announcement while SageMaker is down, retrying, and tells the announcer once it gives up', async () => {
    h = await startSlackWorkspace({ notices: { preparation: { maxAttempts: 3, backoff: { baseMs: 5000, maxMs: 60_000 } } } });
    await h.run('deprecate customers', PEOPLE.priya.id);
    // The checks pass (the group is described and cached); walking its lineage fails after the form closed.
    const queries: string[] = [];
    h.source.queryLineage = async (query) => {
      queries.push(query.startArn);
      throw new SourceUnavailable('SageMaker answered 503');
    };
    const answer = await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    expect(answer).toEqual({ status: 200, body: '' });
    // Accepted and stored, not yet prepared: the same kind cannot be announced twice meanwhile.
    const [accepted] = await h.store.listOpenNotices();
    expect(accepted).toMatchObject({ featureGroup: 'customers', kind: 'deprecation' });
    expect(accepted?.preparedAt).toBeUndefined();
    await h.system.preparations.drain();
    expect(queries.length).toBeGreaterThanOrEqual(3);
    expect(await h.store.listOpenNotices()).toEqual([]);
    await h.system.worker.drain();
    const dm = h.fake.messagesIn(`D${PEOPLE.priya.id}`);
    expect(dm).toHaveLength(1);
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.failure)).toBe(
      `Your deprecation notice about feature group \`customers\` (2026-02-01 00:00 UTC) was not sent: ${MESSAGES.sourceUnavailable}`,
    );
    expect((await h.store.listAudit(accepted!.id)).map((a) => a.action)).toEqual(['notice.announced', 'notice.failed']);
    expect(h.fake.messages).toHaveLength(1); // nobody else was told anything
  });

  it('gives up at once on a failure that cannot clear, and tells the announcer', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    h.source.queryLineage = async () => {
      throw new NotAuthorized('AccessDenied', 'sagemaker:QueryLineage');
    };
    expect(await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id)).toEqual({ status: 200, body: '' });
    expect(await h.store.listOpenNotices()).toEqual([]);
    await h.system.worker.drain();
    const dm = h.fake.messagesIn(`D${PEOPLE.priya.id}`);
    expect(dm.map((m) => m.text)).toEqual([expect.stringContaining('was not sent: ')]);
    expect(dm[0]!.text).toContain('sagemaker:QueryLineage');
  });
});
