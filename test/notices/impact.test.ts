// Impact analysis and owner resolution over the demo account, with Slack lookups answered by a
// fake workspace through nock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryUnavailable, NotAllowedToAnnounce } from '../../src/notices/errors.js';
import { ownerValues } from '../../src/notices/owners.js';
import { interceptSlack } from '../support/slack-http.js';
import { CHANNELS, createWorld, PEOPLE, type World } from '../support/slack-world.js';

let world: World;
afterEach(async () => world?.close());

describe('impact of a change', () => {
  beforeEach(async () => {
    world = await createWorld();
  });

  it('lists downstream models and endpoints with status, owners, and who would be told', async () => {
    interceptSlack(world.fake);
    const impact = await world.system.service.impact('customers');
    expect(impact.featureGroup).toEqual({ name: 'customers', arn: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers', status: 'Created', exists: true });
    expect(impact.lineageRecorded).toBe(true);
    expect(impact.resources).toEqual([
      { kind: 'Model', name: 'churn-predictor', owners: ['U04CHURN01'], channels: [], addressedTo: ['user:U04CHURN01'] },
      { kind: 'Model', name: 'fraud-detector', owners: ['ana.silva@example.com'], channels: ['#fraud-ml'], addressedTo: ['channel:CFRAUD'] },
      { kind: 'Endpoint', name: 'churn-predictor-prod', status: 'InService', owners: ['U04CHURN01'], channels: [], addressedTo: ['user:U04CHURN01'] },
      { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService', owners: ['ana.silva@example.com'], channels: ['#fraud-ml'], addressedTo: ['channel:CFRAUD'] },
    ]);
    expect(impact.recipients).toEqual([
      {
        key: 'channel:CFRAUD',
        type: 'channel',
        targetId: 'CFRAUD',
        label: '#fraud-ml',
        owners: ['#fraud-ml'],
        resources: [{ kind: 'Model', name: 'fraud-detector' }, { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService' }],
      },
      {
        key: 'user:U04CHURN01',
        type: 'user',
        targetId: 'U04CHURN01',
        label: 'Chen Wu',
        owners: ['U04CHURN01'],
        resources: [{ kind: 'Model', name: 'churn-predictor' }, { kind: 'Endpoint', name: 'churn-predictor-prod', status: 'InService' }],
      },
    ]);
    expect(impact.unreachable).toEqual([]);
    // Looked up once each, however many resources name them; nothing was posted.
    expect(world.fake.callsTo('users.info')).toHaveLength(1);
    expect(world.fake.callsTo('conversations.list')).toHaveLength(1);
    expect(world.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('lists owners who cannot be reached, with why, never dropping them', async () => {
    interceptSlack(world.fake);
    world.fake.channels.set(CHANNELS.claims.id, { ...CHANNELS.claims, archived: true });
    world.fake.users.delete(PEOPLE.ben.id);
    const impact = await world.system.service.impact('claims-v2');
    expect(impact.recipients).toEqual([]);
    expect(impact.unreachable).toEqual([
      { value: '#claims-ops', reason: 'channel_archived', resources: [{ kind: 'Model', name: 'claims-triage' }] },
      { value: 'ben.okafor@example.com', reason: 'user_not_found', resources: [{ kind: 'Model', name: 'claims-triage' }] },
    ]);
    expect(impact.resources[0]?.addressedTo).toEqual([]);
  });

  it('falls back from a team channel that does not resolve to the owners', async () => {
    interceptSlack(world.fake);
    world.fake.channels.delete(CHANNELS.fraud.id);
    const impact = await world.system.service.impact('claims');
    // #claims-ops hears of claims-severity, which reads claims through claims-enriched.
    expect(impact.recipients.map((r) => [r.key, r.label])).toEqual([
      ['channel:CCLAIMS', '#claims-ops'],
      ['user:UANA', 'Ana Silva'],
    ]);
    expect(impact.unreachable).toEqual([
      { value: '#fraud-ml', reason: 'channel_not_found', resources: [{ kind: 'Model', name: 'fraud-detector' }, { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService' }] },
    ]);
  });

  it('reports a group with no lineage as having no known consumers', async () => {
    // No consumer, so no owner to look up: not a single Slack call (none is mocked).
    const impact = await world.system.service.impact('policies');
    expect(impact).toMatchObject({ lineageRecorded: false, resources: [], recipients: [], unreachable: [] });
  });

  it('reports resources without owner tags as unreachable', async () => {
    interceptSlack(world.fake);
    world.source.change((snapshot) => {
      delete snapshot.Tags['arn:aws:sagemaker:us-east-1:111122223333:model/churn-predictor'];
    });
    const impact = await world.system.service.impact('customers');
    expect(impact.unreachable).toEqual([{ value: '', reason: 'no_owner_tag', resources: [{ kind: 'Model', name: 'churn-predictor' }] }]);
  });
});

describe('who may announce', () => {
  beforeEach(async () => {
    world = await createWorld();
    interceptSlack(world.fake);
  });

  it('allows the feature group’s owners (by email) and the admins, and refuses anyone else saying who can', async () => {
    await expect(world.system.service.checkAnnouncer('customers', PEOPLE.priya.id)).resolves.toMatchObject({ name: 'customers' });
    await expect(world.system.service.checkAnnouncer('claims-v2', PEOPLE.admin.id)).resolves.toMatchObject({ name: 'claims-v2' });
    await expect(world.system.service.checkAnnouncer('claims-v2', PEOPLE.claimsData.id)).resolves.toMatchObject({ name: 'claims-v2' });
    const refusal = await world.system.service.checkAnnouncer('customers', PEOPLE.stranger.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(NotAllowedToAnnounce);
    expect(refusal).toMatchObject({ featureGroup: 'customers', owners: ['priya.nair@example.com'], admins: ['UADMIN'] });
  });

  it('reports Slack failing lookups instead of refusing', async () => {
    world.fake.inject('users.lookupByEmail', { status: 503, body: 'unavailable' });
    await expect(world.system.service.checkAnnouncer('customers', PEOPLE.stranger.id)).rejects.toBeInstanceOf(DirectoryUnavailable);
    expect(world.fake.callsTo('users.lookupByEmail')).toHaveLength(4);
  });
});

describe('ownerValues', () => {
  it('reads configured keys case-insensitively and splits several values', () => {
    expect(ownerValues({ Owner: 'a@x.io, U123', team: 'x', 'Slack-Channel': '#t1;#t2' }, { ownerTagKeys: ['owner'], channelTagKeys: ['slack-channel'] })).toEqual({
      owners: ['a@x.io', 'U123'],
      channels: ['#t1', '#t2'],
    });
    expect(ownerValues({ maintainer: 'U9' }, { ownerTagKeys: ['owner', 'maintainer'], channelTagKeys: [] })).toEqual({ owners: ['U9'], channels: [] });
  });
});
