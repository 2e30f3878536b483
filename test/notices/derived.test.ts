// Notices about a feature group reach the owners of models reading groups built from it, say
// through which group, tell each owner once, and say so when the lineage walk behind them was cut
// short. Real Bolt over HTTP; Slack is the fake workspace behind nock.
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace;
afterEach(async () => h?.close());

const SEVERITY = 'arn:aws:sagemaker:us-east-1:111122223333:model/claims-severity';
const SEVERITY_PROD = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/claims-severity-prod';

describe('a notice about claims', () => {
  it('reaches #claims-ops, whose claims-severity reads claims through claims-enriched, and says so', async () => {
    h = await startSlackWorkspace();
    await h.run('deprecate claims', PEOPLE.priya.id);
    const impact = blockText(h.fake.views[0]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.impactBlock);
    expect(impact?.split('\n')).toEqual([
      'This notice will reach *2 owners* of 4 models and endpoints downstream of `claims` (2 of them through feature groups built from it):',
      '• #claims-ops — `claims-severity`, `claims-severity-prod`',
      '• #fraud-ml — `fraud-detector`, `fraud-detector-prod`',
    ]);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    const claimsTeam = h.fake.messagesIn(CHANNELS.claims.id);
    expect(claimsTeam).toHaveLength(1);
    expect(blockText(claimsTeam[0]!.blocks, NOTICE_BLOCK.affected)).toBe(
      "*This team's affected models and endpoints*\n" +
        '• `claims-severity` (model, through `claims-enriched`)\n' +
        '• `claims-severity-prod` (endpoint, InService, through `claims-enriched`)',
    );
    expect(blockText(claimsTeam[0]!.blocks, NOTICE_BLOCK.truncation)).toBeUndefined();
    expect(h.fake.messagesIn(CHANNELS.fraud.id)).toHaveLength(1);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });

  it('/lineage impact claims lists the indirect consumers with the group they are affected through', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('impact claims', PEOPLE.ana.id);
    const blocks = responses[0]!['blocks'] as Record<string, unknown>[];
    expect(blockText(blocks, NOTICE_BLOCK.tally)).toBe(
      'A change to feature group `claims` would affect *2 models* and *2 endpoints* (1 model and 1 endpoint of them through feature groups built from it). ' +
        'A notice would reach *2 owners*.',
    );
    expect(tableRows(blocks, NOTICE_BLOCK.resources)).toContainEqual(['claims-severity', 'model', '—', '#claims-ops, ben.okafor@example.com', 'yes', 'claims-enriched']);
  });

  it('tells an owner of a direct and an indirect consumer once, in one notice listing both', async () => {
    const snapshot = structuredClone(demoSnapshot());
    // claims-severity and its endpoint belong to the fraud team too.
    snapshot.Tags[SEVERITY] = [
      { Key: 'owner', Value: PEOPLE.ana.email },
      { Key: 'slack-channel', Value: '#fraud-ml' },
    ];
    snapshot.Tags[SEVERITY_PROD] = [
      { Key: 'owner', Value: PEOPLE.ana.email },
      { Key: 'slack-channel', Value: '#fraud-ml' },
    ];
    h = await startSlackWorkspace({ snapshot });
    await h.run('deprecate claims', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    const recipients = await h.store.listRecipients((await h.store.listOpenNotices())[0]!.id);
    expect(recipients.map((r) => r.label)).toEqual(['#fraud-ml']);
    const team = h.fake.messagesIn(CHANNELS.fraud.id);
    expect(team).toHaveLength(1);
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.affected)?.split('\n')).toEqual([
      "*This team's affected models and endpoints*",
      '• `claims-severity` (model, through `claims-enriched`)',
      '• `fraud-detector` (model)',
      '• `claims-severity-prod` (endpoint, InService, through `claims-enriched`)',
      '• `fraud-detector-prod` (endpoint, InService)',
    ]);
    expect(h.fake.messagesIn(`D${PEOPLE.ana.id}`)).toEqual([]);
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a notice whose lineage walk was cut short', () => {
  // claims' context → enrich-claims → claims-enriched → dataset → training → claims-severity is 5
  // hops; its endpoint lies beyond 5.
  const limits = { maxDepth: 5 };

  it('the form and the impact say "at least" and that owners beyond the walk will not be told', async () => {
    h = await startSlackWorkspace({ env: { LINEAGE_MAX_DEPTH: String(limits.maxDepth) } });
    const { responses } = await h.run('impact claims', PEOPLE.ana.id);
    expect(blockText(responses[0]!['blocks'] as Record<string, unknown>[], NOTICE_BLOCK.tally)).toBe(
      'A change to feature group `claims` would affect at least *2 models* and *1 endpoint* (1 model of them through feature groups built from it). ' +
        'A notice would reach *2 owners*. The lineage walk stopped early (some lineage lies more than 5 hops away): owners of what lies beyond it would not be told.',
    );
    await h.run('deprecate claims', PEOPLE.priya.id);
    const impact = blockText(h.fake.views[0]!.view['blocks'] as Record<string, unknown>[], DEPRECATE_MODAL.impactBlock);
    expect(impact?.split('\n')[0]).toBe(
      'This notice will reach *2 owners* of at least 3 models and endpoints downstream of `claims` (1 of them through feature groups built from it):',
    );
    expect(impact?.split('\n').at(-1)).toBe(
      ':warning: The lineage walk stopped early (some lineage lies more than 5 hops away): owners of models and endpoints beyond it will not be told.',
    );
  });

  it('the notices and the summary say so, and are told once each', async () => {
    h = await startSlackWorkspace({ env: { LINEAGE_MAX_DEPTH: String(limits.maxDepth) } });
    await h.run('deprecate claims', PEOPLE.priya.id);
    await h.submit({ kind: 'deprecation', date: '2026-02-01' }, PEOPLE.priya.id);
    await h.system.worker.drain();
    const [notice] = await h.store.listOpenNotices();
    expect(notice?.lineageCut).toEqual({ depthExceeded: true, sizeExceeded: false, maxDepth: 5, maxVertices: 5000 });
    const claimsTeam = h.fake.messagesIn(CHANNELS.claims.id);
    expect(blockText(claimsTeam[0]!.blocks, NOTICE_BLOCK.truncation)).toBe(
      ":warning: The lineage walk behind this notice stopped early (some lineage lies more than 5 hops away), so more of this team's models and endpoints may be affected.",
    );
    const summary = h.fake.messagesIn(CHANNELS.announce.id);
    expect(blockText(summary[0]!.blocks, NOTICE_BLOCK.truncation)).toBe(
      ':warning: The lineage walk behind this notice stopped early (some lineage lies more than 5 hops away): owners of models and endpoints beyond it were not told.',
    );
    expect([...h.fake.deliveryCounts().values()].every((n) => n === 1)).toBe(true);
  });
});
