// The watcher (feature group definitions against their last snapshot) and POST /aws/events
// (EventBridge, through the real Bolt HTTP receiver), over a demo account the test changes.
import { afterEach, describe, expect, it } from 'vitest';
import { NOTICE_BLOCK } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { createAwsEventsRoute } from '../../src/http/aws-events-route.js';
import { systemClock } from '../../src/notices/clock.js';
import { FeatureGroupWatcher } from '../../src/notices/watcher.js';
import { blockText, startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { editFeatureGroup, PEOPLE } from '../support/slack-world.js';

const KEY = 'test-events-key-0123456789';
const CUSTOMERS_ARN = 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers';

let h: SlackWorkspace;
afterEach(async () => h?.close());

function cloudTrail(id: string, eventName: string, featureGroupName: string, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sagemaker',
    account: '111122223333',
    time: '2026-01-05T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventSource: 'sagemaker.amazonaws.com', eventName, requestParameters: { featureGroupName }, eventID: `ct-${id}`, ...extra },
  };
}

/** POSTs an event with the right key, another key, or (null) none. */
async function post(body: unknown, key: string | null = KEY): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${h.url}/aws/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key !== null ? { 'x-api-key': key } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the watcher', () => {
  it('takes a baseline, ignores additions, and announces a removed or retyped feature once', async () => {
    h = await startSlackWorkspace();
    const watcher = h.system.watcher;
    expect((await watcher.checkAll()).map((r) => [r.featureGroup, r.outcome])).toEqual([
      ['claims', 'baseline'],
      ['claims-enriched', 'baseline'],
      ['claims-v2', 'baseline'],
      ['customers', 'baseline'],
      ['policies', 'baseline'],
    ]);
    expect((await watcher.checkAll()).every((r) => r.outcome === 'unchanged')).toBe(true);

    h.source.change((s) => editFeatureGroup(s, 'customers', (features) => features.push({ FeatureName: 'segment', FeatureType: 'String' })));
    expect(await watcher.check('customers')).toEqual({ featureGroup: 'customers', outcome: 'changed' });
    expect(h.invalidated).toEqual(['customers', CUSTOMERS_ARN]);
    expect(await h.store.listOpenNotices()).toEqual([]);

    h.source.change((s) =>
      editFeatureGroup(s, 'customers', (features) => {
        features.push({ FeatureName: 'segment', FeatureType: 'String' });
        features.splice(features.findIndex((f) => f.FeatureName === 'age'), 1);
        const region = features.find((f) => f.FeatureName === 'region');
        if (region) region.FeatureType = 'Integral';
      }),
    );
    const breaking = await watcher.check('customers');
    expect(breaking).toMatchObject({ featureGroup: 'customers', outcome: 'breaking', created: true });
    expect(await watcher.check('customers')).toEqual({ featureGroup: 'customers', outcome: 'unchanged' });
    const [notice] = await h.store.listOpenNotices();
    expect(notice).toMatchObject({
      id: breaking.noticeId,
      kind: 'breaking_schema_change',
      effectiveDate: '2026-01-05',
      announcer: { type: 'watcher' },
      change: { removed: ['age'], retyped: [{ name: 'region', from: 'String', to: 'Integral' }], deleted: false },
      // The group's owner (by email) hears how it goes.
      summaryTarget: PEOPLE.priya.id,
      reportTo: PEOPLE.priya.id,
    });
    expect((await h.store.listAudit(notice!.id)).map((a) => [a.actor, a.action])).toEqual([['watcher', 'notice.announced']]);

    await h.system.worker.drain();
    const team = h.fake.messagesIn('CFRAUD');
    expect(team).toHaveLength(1);
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.change)).toBe(
      'Feature group `customers` had a breaking schema change (detected on *2026-01-05 UTC*). Detected automatically by the lineage watcher.',
    );
    expect(blockText(team[0]!.blocks, NOTICE_BLOCK.details)).toBe('*Removed features:* `age`\n*Retyped features:* `region` String → Integral');
    expect(h.fake.messagesIn(`D${PEOPLE.priya.id}`)).toHaveLength(1); // the summary

    // No reminders for a change already made; the report a day later.
    h.clock!.advance(24 * 3600 * 1000);
    await h.system.reminders.tick();
    await h.system.worker.drain();
    expect(h.fake.messagesIn(`D${PEOPLE.priya.id}`).map((m) => m.text.split(':')[0])).toEqual(['Breaking schema change of feature group customers on 2026-01-05 UTC', 'Final report']);
  });

  it('announces a group being deleted once, following its lineage after it is gone', async () => {
    h = await startSlackWorkspace();
    await h.system.watcher.checkAll();
    h.source.change((s) => editFeatureGroup(s, 'claims', () => {}, 'Deleting'));
    const deleting = await h.system.watcher.check('claims');
    expect(deleting).toMatchObject({ outcome: 'breaking', created: true });
    h.source.change((s) => {
      s.FeatureGroups = s.FeatureGroups.filter((g) => g.FeatureGroupName !== 'claims');
    });
    // Gone now, and no longer listed: still checked (it has a snapshot), and not announced again.
    expect((await h.system.watcher.checkAll()).find((r) => r.featureGroup === 'claims')).toEqual({ featureGroup: 'claims', outcome: 'unchanged' });
    const notices = await h.store.listOpenNotices();
    expect(notices.map((n) => [n.featureGroup, n.kind])).toEqual([['claims', 'deletion']]);
    // Its context still leads through enrich-claims to claims-enriched, which claims-severity reads.
    expect((await h.store.listRecipients(notices[0]!.id)).map((r) => [r.label, r.resources])).toEqual([
      [
        '#claims-ops',
        [
          { kind: 'Model', name: 'claims-severity', through: ['claims-enriched'] },
          { kind: 'Endpoint', name: 'claims-severity-prod', status: 'InService', through: ['claims-enriched'] },
        ],
      ],
      ['#fraud-ml', [{ kind: 'Model', name: 'fraud-detector' }, { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService' }]],
    ]);
  });

  it('announces a group deleted outright, walking the lineage it left', async () => {
    h = await startSlackWorkspace();
    await h.system.watcher.checkAll();
    h.source.change((s) => {
      s.FeatureGroups = s.FeatureGroups.filter((g) => g.FeatureGroupName !== 'claims-v2');
    });
    const result = await h.system.watcher.check('claims-v2');
    expect(result).toMatchObject({ outcome: 'breaking', created: true });
    const notice = await h.store.getNotice(result.noticeId as string);
    expect(notice).toMatchObject({ kind: 'deletion', change: { deleted: true }, summaryTarget: 'U04CLAIMS2' });
    expect((await h.store.listRecipients(notice!.id)).map((r) => r.label)).toEqual(['#claims-ops']);
  });

  it('runs its loop on one replica only', async () => {
    h = await startSlackWorkspace();
    let listings = 0;
    const counting = { ...h.source, searchResources: async (...args: Parameters<typeof h.source.searchResources>) => (listings++, h.source.searchResources(...args)) };
    const logger = createLogger({ level: 'error', write: () => {} });
    const options = { store: h.store, source: counting as typeof h.source, notices: h.system.service, logger, intervalSeconds: 0.05, clock: systemClock };
    const a = new FeatureGroupWatcher({ ...options, holderId: 'replica-a' });
    const b = new FeatureGroupWatcher({ ...options, holderId: 'replica-b' });
    a.start();
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await Promise.all([a.stop(), b.stop()]);
    // Each check lists the groups once; two leaders would have listed about twice as often.
    expect(listings).toBeGreaterThan(2);
    expect(listings).toBeLessThanOrEqual(10);
    expect(await h.store.tryLead('watcher', 'replica-c', 60_000, Date.now())).toBe(true); // released on stop
  });

  it('stays off with WATCH_INTERVAL_SECONDS=0', async () => {
    h = await startSlackWorkspace();
    h.system.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.store.listSnapshotNames()).toEqual([]);
  });
});

describe('POST /aws/events', () => {
  it('refuses calls without the right x-api-key, without logging it', async () => {
    h = await startSlackWorkspace();
    expect((await post(cloudTrail('e1', 'DeleteFeatureGroup', 'claims'), null)).status).toBe(401);
    expect((await post(cloudTrail('e1', 'DeleteFeatureGroup', 'claims'), '')).status).toBe(401);
    expect((await post(cloudTrail('e1', 'DeleteFeatureGroup', 'claims'), 'wrong-key-wrong-key')).status).toBe(401);
    expect((await post(cloudTrail('e1', 'DeleteFeatureGroup', 'claims'), `${KEY}x`)).status).toBe(401);
    expect(h.logs.join('\n')).not.toContain(KEY);
    expect(h.logs.join('\n')).not.toContain('wrong-key');
    expect(await h.store.listSnapshotNames()).toEqual([]);
  });

  it('checks the group at once, invalidating its cached lineage, and processes a duplicate event once', async () => {
    h = await startSlackWorkspace();
    await h.system.watcher.checkAll();
    h.source.change((s) => {
      s.FeatureGroups = s.FeatureGroups.filter((g) => g.FeatureGroupName !== 'claims');
    });
    const event = cloudTrail('11111111-2222-3333-4444-555555555555', 'DeleteFeatureGroup', 'claims');
    const first = await post(event);
    expect(first).toMatchObject({ status: 200, json: { status: 'processed', featureGroup: 'claims', outcome: 'breaking' } });
    expect(h.invalidated[0]).toBe('claims');
    expect(await post(event)).toEqual({ status: 200, json: { status: 'duplicate' } });
    expect(await h.store.listOpenNotices()).toHaveLength(1);
  });

  it('understands feature group state changes and metadata updates', async () => {
    h = await startSlackWorkspace();
    const stateChange = {
      version: '0',
      id: 'state-1',
      'detail-type': 'SageMaker Feature Group State Change',
      source: 'aws.sagemaker',
      resources: [CUSTOMERS_ARN],
      detail: { FeatureGroupName: 'customers', FeatureGroupStatus: 'Created' },
    };
    expect(await post(stateChange)).toEqual({ status: 200, json: { status: 'processed', featureGroup: 'customers', outcome: 'baseline' } });
    expect(await post({ ...stateChange, id: 'state-2', detail: {} })).toEqual({ status: 200, json: { status: 'processed', featureGroup: 'customers', outcome: 'unchanged' } });
    expect(await post(cloudTrail('meta-1', 'UpdateFeatureMetadata', 'customers'))).toMatchObject({ status: 200, json: { status: 'processed', outcome: 'unchanged' } });
  });

  it('ignores what it does not watch and rejects what is not an event', async () => {
    h = await startSlackWorkspace();
    expect(await post(cloudTrail('x1', 'DescribeFeatureGroup', 'customers'))).toEqual({ status: 200, json: { status: 'ignored', reason: 'API call DescribeFeatureGroup is not watched' } });
    expect(await post(cloudTrail('x2', 'DeleteFeatureGroup', 'customers', { errorCode: 'AccessDenied' }))).toEqual({ status: 200, json: { status: 'ignored', reason: 'the API call failed' } });
    expect(await post({ id: 'x3', 'detail-type': 'SageMaker Model State Change', detail: {} })).toEqual({ status: 200, json: { status: 'ignored', reason: 'detail-type not watched' } });
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ hello: 'world' })).status).toBe(400);
    expect((await post(cloudTrail('x4', 'UpdateFeatureGroup', '<!channel>'))).status).toBe(400);
    expect((await post('x'.repeat(300 * 1024))).status).toBe(413);
    expect(await h.store.listSnapshotNames()).toEqual([]);
  });

  it('answers 500 and forgets the event when the check fails, so the retry is processed', async () => {
    h = await startSlackWorkspace();
    const describe = h.source.describeFeatureGroup;
    h.source.describeFeatureGroup = async () => {
      throw new Error('SageMaker is down');
    };
    const event = cloudTrail('retry-1', 'UpdateFeatureGroup', 'customers');
    expect(await post(event)).toEqual({ status: 500, json: { status: 'error' } });
    h.source.describeFeatureGroup = describe;
    expect(await post(event)).toMatchObject({ status: 200, json: { status: 'processed', outcome: 'baseline' } });
  });

  it('is off when AWS_EVENTS_API_KEY is unset', async () => {
    const logger = createLogger({ level: 'error', write: () => {} });
    expect(createAwsEventsRoute({ store: {} as never, watcher: {} as never, logger })).toBeUndefined();
    // And the app mounts nothing at the path: whatever key is sent, nobody is there.
    h = await startSlackWorkspace({ env: { AWS_EVENTS_API_KEY: '' } });
    const response = await fetch(`${h.url}/aws/events`, { method: 'POST', headers: { 'x-api-key': 'anything-at-all-123' }, body: '{}' });
    expect(response.status).toBe(404);
  });
});
