// Feature-level notices through real Bolt, over the demo account: the deprecate form offers the
// group's features, and a change to some of them reaches only the models whose recorded training
// queries use them — plus those whose queries cannot tell, as "may be affected" — and every message
// of the notice says which features and what happens to them.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, MAX_STATIC_OPTIONS, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { FEATURE_OPTIONS_SHOWN } from '../../commands/notices/feature-options.js';
import { NOTICE_MESSAGES } from '../../commands/messages.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { expectMessageWithinLimits, tableRows } from '../support/slack-limits.js';
import { blockSuggestion } from '../support/slack-requests.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace;
afterEach(async () => h?.close());

type Block = Record<string, unknown>;
const blocksOf = (view: Record<string, unknown>) => view['blocks'] as Block[];
const byId = (blocks: Block[], id: string) => blocks.find((b) => b['block_id'] === id);

describe('the deprecate form offers the group’s features', () => {
  it('as a multi-select with every feature (name and type), optional, with what happens to them', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    const blocks = blocksOf(h.fake.views[0]!.view);
    const picker = byId(blocks, DEPRECATE_MODAL.featuresBlock) as { optional: boolean; element: { type: string; options: { text: { text: string }; value: string }[] } };
    expect(picker.optional).toBe(true);
    expect(picker.element.type).toBe('multi_static_select');
    expect(picker.element.options.map((o) => [o.value, o.text.text])).toEqual([
      ['customer_id', 'customer_id (String)'],
      ['age', 'age (Integral)'],
      ['tenure_months', 'tenure_months (Integral)'],
      ['region', 'region (String)'],
      ['num_policies', 'num_policies (Integral)'],
      ['num_claims_12m', 'num_claims_12m (Integral)'],
      ['churned', 'churned (Integral)'],
      ['event_time', 'event_time (Fractional)'],
    ]);
    const change = byId(blocks, DEPRECATE_MODAL.featureChangeBlock) as { optional: boolean; element: { options: { value: string }[] } };
    expect(change.optional).toBe(true);
    expect(change.element.options.map((o) => o.value)).toEqual(['removal', 'retype', 'deprecation']);
    expect((byId(blocks, DEPRECATE_MODAL.featuresBlock) as { hint: { text: string } }).hint.text).toContain('None picked: the whole group.');
    // Before the check (views.open), nothing is offered: the features are not known yet.
    const opened = h.fake.callsTo('views.open')[0]!['view'] as Record<string, unknown>;
    expect(byId(blocksOf(opened), DEPRECATE_MODAL.featuresBlock)).toBeUndefined();
  });

  it('is not offered to someone who may not announce (authorisation unchanged)', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.stranger.id);
    const blocks = blocksOf(h.fake.views[0]!.view);
    expect(byId(blocks, DEPRECATE_MODAL.refusalBlock)).toBeDefined();
    expect(byId(blocks, DEPRECATE_MODAL.featuresBlock)).toBeUndefined();
    // A forged submission naming features is refused as any other would be.
    const refused = await h.submit({ kind: 'breaking_schema_change', date: '2026-02-01', features: ['region'], featureChange: 'removal' }, PEOPLE.stranger.id);
    expect(JSON.parse(refused.body)).toEqual({ response_action: 'errors', errors: { [DEPRECATE_MODAL.kindBlock]: NOTICE_MESSAGES.noLongerAllowed } });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });

  it('past a static select’s 100 options, looks the features up as the user types, and says how many matched', async () => {
    const snapshot = demoSnapshot();
    const policies = snapshot.FeatureGroups.find((g) => g.FeatureGroupName === 'policies')!;
    const extra = Array.from({ length: 150 }, (_, i) => ({ FeatureName: `policy_feature_${String(i).padStart(3, '0')}`, FeatureType: 'Integral' as const }));
    policies.FeatureDefinitions = [...policies.FeatureDefinitions, ...extra];
    h = await startSlackWorkspace({ snapshot });
    await h.run('deprecate policies', PEOPLE.admin.id);
    const view = h.fake.views[0]!;
    const picker = byId(blocksOf(view.view), DEPRECATE_MODAL.featuresBlock) as { element: { type: string; options?: unknown }; hint: { text: string } };
    expect(picker.element.type).toBe('multi_external_select');
    expect(picker.element.options).toBeUndefined();
    expect(picker.hint.text).toContain('The group has 153 features: type part of a name to find one.');

    const ask = async (value: string) => {
      const response = await h.send(
        blockSuggestion({ user: PEOPLE.admin.id, viewId: view.id, privateMetadata: String(view.view['private_metadata']), blockId: DEPRECATE_MODAL.featuresBlock, actionId: DEPRECATE_MODAL.featuresAction, value }),
      );
      expect(response.status).toBe(200);
      return (await response.json()) as { options?: { value: string; text: { text: string } }[]; option_groups?: { label: { text: string }; options: { value: string }[] }[] };
    };
    const all = await ask('');
    expect(all.options).toBeUndefined();
    expect(all.option_groups).toHaveLength(1);
    expect(all.option_groups![0]!.label.text).toBe(`First ${FEATURE_OPTIONS_SHOWN} of 153: type more of a name`);
    expect(all.option_groups![0]!.options).toHaveLength(FEATURE_OPTIONS_SHOWN);
    const some = await ask('FEATURE_14');
    expect(some.options!.map((o) => o.value)).toEqual(Array.from({ length: 10 }, (_, i) => `policy_feature_14${i}`));
    expect(some.options!.every((o) => o.text.text.length <= 75)).toBe(true);
    expect(await ask('nothing-like-it')).toEqual({ options: [] });
    expect(MAX_STATIC_OPTIONS).toBe(100);

    // Picked from the look-up, they are checked against the group on submission like any other.
    const submitted = await h.submit({ kind: 'deprecation', date: '2026-02-01', features: ['policy_feature_141', 'policy_feature_149'], featureChange: 'deprecation' }, PEOPLE.admin.id);
    expect(submitted).toEqual({ status: 200, body: '' });
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.features).toEqual({ names: ['policy_feature_141', 'policy_feature_149'], change: 'deprecation' });
  });

  it('keeps option texts within 75 characters, whatever the feature is called', async () => {
    const snapshot = demoSnapshot();
    const policies = snapshot.FeatureGroups.find((g) => g.FeatureGroupName === 'policies')!;
    policies.FeatureDefinitions = [...policies.FeatureDefinitions, { FeatureName: `a${'b'.repeat(63)}`, FeatureType: 'Fractional' }];
    h = await startSlackWorkspace({ snapshot });
    await h.run('deprecate policies', PEOPLE.admin.id);
    const picker = byId(blocksOf(h.fake.views[0]!.view), DEPRECATE_MODAL.featuresBlock) as { element: { options: { text: { text: string }; value: string }[] } };
    const long = picker.element.options.at(-1)!;
    expect(long.value).toBe(`a${'b'.repeat(63)}`);
    expect(long.text.text.length).toBeLessThanOrEqual(75);
  });
});

describe('a change to some features of a group', () => {
  it('reaches only the models whose queries use them; a model whose queries cannot tell is told it may be affected', async () => {
    h = await startSlackWorkspace();
    // claims: fraud-detector's queries select collision_type; claims-severity reads claims through claims-enriched, so its use is not known.
    await h.run('deprecate claims', PEOPLE.priya.id);
    const submitted = await h.submit({ kind: 'breaking_schema_change', date: '2026-02-01', features: ['collision_type'], featureChange: 'retype' }, PEOPLE.priya.id);
    expect(submitted).toEqual({ status: 200, body: '' });
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.features).toEqual({ names: ['collision_type'], change: 'retype' });
    const recipients = await h.store.listRecipients(notice!.id);
    expect(recipients.map((r) => [r.label, r.resources])).toEqual([
      [
        '#claims-ops',
        [
          { kind: 'Model', name: 'claims-severity', through: ['claims-enriched'], mayBeAffected: true },
          { kind: 'Endpoint', name: 'claims-severity-prod', status: 'InService', through: ['claims-enriched'], mayBeAffected: true },
        ],
      ],
      [
        '#fraud-ml',
        [
          { kind: 'Model', name: 'fraud-detector', features: ['collision_type'] },
          { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService', features: ['collision_type'] },
        ],
      ],
    ]);

    await h.system.worker.drain();
    const fraud = h.fake.messagesIn(CHANNELS.fraud.id);
    const claims = h.fake.messagesIn(CHANNELS.claims.id);
    expect([fraud.length, claims.length]).toEqual([1, 1]);
    expectMessageWithinLimits(fraud[0]!, 'notice', { allowedMentions: [PEOPLE.priya.id] });
    expect(fraud[0]!.text).toBe('Breaking schema change of 1 feature of claims on 2026-02-01 00:00 UTC: 2 of your models/endpoints are affected');
    expect(blockText(fraud[0]!.blocks, NOTICE_BLOCK.header)).toBe('Breaking schema change: 1 feature of claims');
    expect(blockText(fraud[0]!.blocks, NOTICE_BLOCK.change)).toBe(
      'Feature `collision_type` of feature group `claims` will change type on *2026-02-01 00:00 UTC* (breaking schema change). Announced by <@UPRIYA>.',
    );
    expect(blockText(fraud[0]!.blocks, NOTICE_BLOCK.affected)).toBe(
      "*This team's affected models and endpoints*\n• `fraud-detector` (model) — uses `collision_type`\n• `fraud-detector-prod` (endpoint, InService) — uses `collision_type`",
    );
    expect(blockText(claims[0]!.blocks, NOTICE_BLOCK.affected)).toBe(
      "*This team's affected models and endpoints*\n" +
        '• `claims-severity` (model, through `claims-enriched`) — may be affected: its recorded queries do not tell which features it uses\n' +
        '• `claims-severity-prod` (endpoint, InService, through `claims-enriched`) — may be affected: its recorded queries do not tell which features it uses',
    );
    const summary = h.fake.messagesIn(CHANNELS.announce.id)[0]!;
    expectMessageWithinLimits(summary, 'summary', { allowedMentions: [PEOPLE.priya.id] });
    expect(blockText(summary.blocks, NOTICE_BLOCK.header)).toBe('Breaking schema change of 1 feature of claims — 2026-02-01 UTC');
    expect(tableRows(summary.blocks, NOTICE_BLOCK.recipientTable)).toEqual([
      ['Owner', 'Models and endpoints', 'Status', 'Acknowledged'],
      ['#claims-ops', 'claims-severity (may be affected), claims-severity-prod (may be affected)', 'waiting', '—'],
      ['#fraud-ml', 'fraud-detector, fraud-detector-prod', 'waiting', '—'],
    ]);
  });

  it('leaves out the models whose queries are known and use none of them, through reminders and the final report', async () => {
    h = await startSlackWorkspace();
    // customers: only churn-predictor's query reads region; fraud-detector's reads age, tenure_months and num_claims_12m.
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'breaking_schema_change', date: '2026-02-01', features: ['REGION', 'num_policies'], featureChange: 'removal', note: 'Use <region_v2> & co' }, PEOPLE.priya.id);
    const [notice] = await h.store.listOpenNotices();
    // As the group spells them, in its order.
    expect(notice!.features).toEqual({ names: ['region', 'num_policies'], change: 'removal' });
    expect((await h.store.listRecipients(notice!.id)).map((r) => [r.label, r.resources.map((x) => [x.name, x.features])])).toEqual([
      ['Chen Wu', [['churn-predictor', ['region', 'num_policies']], ['churn-predictor-prod', ['region', 'num_policies']]]],
    ]);
    const audit = await h.store.listAudit(notice!.id);
    expect(audit[0]!.detail).toMatchObject({ features: ['region', 'num_policies'], featureChange: 'removal' });

    await h.system.worker.drain();
    expect(h.fake.messagesIn(CHANNELS.fraud.id)).toEqual([]);
    const dm = h.fake.messagesIn(`D${PEOPLE.chen.id}`);
    expect(dm).toHaveLength(1);
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.change)).toBe(
      'Features `region`, `num_policies` of feature group `customers` will be removed on *2026-02-01 00:00 UTC* (breaking schema change). Announced by <@UPRIYA>.',
    );
    expect(blockText(dm[0]!.blocks, NOTICE_BLOCK.note)).toBe('*Note:* Use &lt;region_v2&gt; &amp; co');

    h.clock!.set('2026-01-25T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    const reminder = h.fake.messagesIn(`D${PEOPLE.chen.id}`)[1]!;
    expect(reminder.text).toBe('Reminder: breaking schema change of feature group customers in 7 days (2026-02-01 00:00 UTC); please acknowledge');
    expect(blockText(reminder.blocks, NOTICE_BLOCK.change)).toContain('Features `region`, `num_policies` of feature group `customers` will be removed');

    h.clock!.set('2026-02-01T00:00:00Z');
    await h.system.reminders.tick();
    await h.system.worker.drain();
    const report = h.fake.messagesIn(`D${PEOPLE.priya.id}`);
    expect(report).toHaveLength(1);
    expect(report[0]!.text).toBe('Final report: breaking schema change of 2 features of customers (2026-02-01 00:00 UTC): 0 of 1 owners acknowledged');
    expect(blockText(report[0]!.blocks, NOTICE_BLOCK.change)).toContain('Features `region`, `num_policies` of feature group `customers` will be removed');
  });

  it('with no features picked, is a change to the whole group, what happens to them left aside', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01', features: [], featureChange: 'removal' }, PEOPLE.priya.id);
    const [notice] = await h.store.listOpenNotices();
    expect(notice!.features).toBeUndefined();
    expect((await h.store.listRecipients(notice!.id)).map((r) => r.label)).toEqual(['#fraud-ml', 'Chen Wu']);
    await h.system.worker.drain();
    expect(blockText(h.fake.messagesIn(CHANNELS.fraud.id)[0]!.blocks, NOTICE_BLOCK.change)).toBe(
      'Feature group `customers` will be deprecated on *2026-02-01 00:00 UTC*. Announced by <@UPRIYA>.',
    );
  });

  it('asks what happens to the features picked, and refuses one the group does not have, next to the field', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate customers', PEOPLE.priya.id);
    const missing = await h.submit({ kind: 'deprecation', date: '2026-02-01', features: ['region'] }, PEOPLE.priya.id);
    expect(JSON.parse(missing.body)).toEqual({ response_action: 'errors', errors: { [DEPRECATE_MODAL.featureChangeBlock]: NOTICE_MESSAGES.invalid.feature_change_missing } });
    const unknown = await h.submit({ kind: 'deprecation', date: '2026-02-01', features: ['region', 'postcode<x>'], featureChange: 'sideways' }, PEOPLE.priya.id);
    expect(JSON.parse(unknown.body)).toEqual({
      response_action: 'errors',
      errors: { [DEPRECATE_MODAL.featureChangeBlock]: NOTICE_MESSAGES.invalid.feature_change_unknown, [DEPRECATE_MODAL.featuresBlock]: NOTICE_MESSAGES.featureUnknown('postcode<x>') },
    });
    expect(await h.store.listOpenNotices()).toEqual([]);
  });
});
