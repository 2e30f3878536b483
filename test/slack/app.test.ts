// The Slack app end to end through real Bolt: signed HTTP requests in, nock for Slack out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SectionBlock, KnownBlock } from '@slack/types';
import { BLOCK } from '../../blocks/index.js';
import { MESSAGES, HINTS } from '../../commands/messages.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { LineageQuery, LineageQueryResult } from '../../src/lineage/lineage-source.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { httpMock } from '../support/http-mock.js';
import { sign } from '../support/slack-requests.js';
import { BOT_USER, expectApiCall, expectResponse, RESPONSE_HOST, settled, slack, startSlackApp, webBody, type SlackHarness } from '../support/slack-http.js';

const header = (blocks: KnownBlock[]) => blocks.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
const section = (blocks: KnownBlock[], id: string) => (blocks.find((b) => 'block_id' in b && b.block_id === id) as SectionBlock | undefined)?.text?.text;

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('transport', () => {
  beforeEach(async () => {
    app = await startSlackApp();
  });

  it('answers a slash command in the channel after acknowledging it', async () => {
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '1700000000.000100' });
    const response = await app!.command('fg customers');
    expect(response.status).toBe(200);
    await settled(scope, app!.runtime);
    expect(posted()['channel']).toBe('C1');
    expect(header(posted()['blocks'] as KnownBlock[])?.text.text).toBe('Consumers of feature group customers');
    // The thread remembers what the answer was about.
    expect(await app!.store.getThreadContext({ channel: 'C1', threadTs: '1700000000.000100' })).toEqual({
      question: 'consumers',
      input: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers',
      kind: 'FeatureGroup',
      name: 'customers',
    });
  });

  it('talks to the Web API at SLACK_API_URL when set (GovSlack, tests)', async () => {
    await app!.close();
    app = await startSlackApp({ apiUrl: 'https://slack-gov.example/api/' });
    const scope = httpMock.scope('https://slack-gov.example').post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C1', ts: '1.1' });
    await app.command('fg claims');
    await settled(scope, app.runtime);
  });

  it('rejects a bad signature with 401 and runs nothing', async () => {
    const body = new URLSearchParams({ command: '/lineage', text: 'fg customers', response_url: `${RESPONSE_HOST}/x` }).toString();
    const response = await app!.send(body, { signature: sign(body, Math.floor(Date.now() / 1000), 'another-secret') });
    expect(response.status).toBe(401);
  });

  it('rejects a stale timestamp with 401 and runs nothing', async () => {
    const body = new URLSearchParams({ command: '/lineage', text: 'fg customers', response_url: `${RESPONSE_HOST}/x` }).toString();
    const response = await app!.send(body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(response.status).toBe(401);
  });

  it('rejects a malformed payload without running anything', async () => {
    const response = await app!.send('payload=%7Bnot-json');
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('serves /healthz for load balancers', async () => {
    const response = await fetch(`${app!.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', source: 'embedded demo snapshot (cached)', inFlight: 0 });
  });

  it('answers errors only to the asker through the response URL', async () => {
    const { scope: scope, sent: responded } = expectResponse(/\/commands\//);
    await app!.command('fg no-such-group');
    await settled(scope, app!.runtime);
    expect(responded()['response_type']).toBe('ephemeral');
    expect(section(responded()['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.notFound('no-such-group', 'feature group')}`);
  });

  it('falls back to the response URL where the bot may not post', async () => {
    const scope = slack().post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    const { scope: respond, sent: responded } = expectResponse(/\/commands\//);
    await app!.command('fg customers', { channel_id: 'D123' });
    await settled([scope, respond], app!.runtime);
    expect(responded()['response_type']).toBe('in_channel');
    expect(header(responded()['blocks'] as KnownBlock[])?.text.text).toBe('Consumers of feature group customers');
  });
});

/** A source whose lineage queries wait until released: "whatever the lineage source is doing". */
class HeldSource extends SnapshotSource {
  private release!: () => void;
  readonly held = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  override async queryLineage(query: LineageQuery): Promise<LineageQueryResult> {
    await this.held;
    return super.queryLineage(query);
  }
  let(): void {
    this.release();
  }
}

describe('slow lineage', () => {
  it('acknowledges while the source is still working, shows "looking…", then replaces it with the answer', async () => {
    const source = new HeldSource(demoSnapshot(), 'held demo');
    app = await startSlackApp({ source, lookingAfterMs: 20 });
    let looking: Record<string, unknown> = {};
    let updated: Record<string, unknown> = {};
    const scope = slack()
      .post('/api/chat.postMessage', (body) => {
        looking = webBody(body);
        return true;
      })
      .reply(200, { ok: true, channel: 'C1', ts: '1700000000.000200' })
      .post('/api/chat.update', (body) => {
        updated = webBody(body);
        return true;
      })
      .reply(200, { ok: true, channel: 'C1', ts: '1700000000.000200' });
    const response = await app.command('model fraud-detector');
    // Slack has its 200 although the lineage source has not answered yet.
    expect(response.status).toBe(200);
    while (!looking['text']) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(looking['text']).toBe('Looking up fraud-detector…');
    source.let();
    await settled(scope, app.runtime);
    expect(updated['ts']).toBe('1700000000.000200');
    expect(header(updated['blocks'] as KnownBlock[])?.text.text).toBe('Lineage trail of model fraud-detector');
  });

  it('finishes answers in flight when the app stops', async () => {
    const source = new HeldSource(demoSnapshot(), 'held demo');
    app = await startSlackApp({ source });
    const scope = slack().post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C1', ts: '1.2' });
    expect((await app.command('fg claims')).status).toBe(200);
    await app.runtime.app.stop(); // SIGTERM: stop accepting…
    expect(app.runtime.inFlight.size).toBe(1);
    source.let();
    expect(await app.runtime.inFlight.drain(5_000)).toBe(true); // …then finish what was acknowledged
    expect(scope.isDone()).toBe(true);
    await app.store.close();
    app = undefined;
  });
});

describe('events', () => {
  beforeEach(async () => {
    app = await startSlackApp();
  });

  it('a retried event produces no second answer', async () => {
    const scope = slack().post('/api/chat.postMessage').once().reply(200, { ok: true, channel: 'C1', ts: '1.5' });
    const mention = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fg claims`, ts: '1.4', channel: 'C1', event_ts: '1.4' };
    expect((await app!.event(mention, { eventId: 'Ev1' })).status).toBe(200);
    await settled(scope, app!.runtime);
    expect((await app!.event(mention, { eventId: 'Ev1', retryNum: 1 })).status).toBe(200);
    expect((await app!.event(mention, { eventId: 'Ev1', retryNum: 2 })).status).toBe(200);
    await app!.runtime.inFlight.drain(2_000);
    // Only the one postMessage above was mocked: a second would fail the test as unmatched.
  });

  it('a mention outside a thread is answered like a command, in a thread of its own', async () => {
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '2.1' });
    await app!.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> endpoint fraud-detector-prod`, ts: '2.0', channel: 'C1', event_ts: '2.0' });
    await settled(scope, app!.runtime);
    expect(posted()['thread_ts']).toBe('2.0');
    expect(header(posted()['blocks'] as KnownBlock[])?.text.text).toBe('Feature groups behind endpoint fraud-detector-prod');
  });

  it('a sentence naming an entity is answered about it', async () => {
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '3.1' });
    await app!.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> what uses customers these days?`, ts: '3.0', channel: 'C1', event_ts: '3.0' });
    await settled(scope, app!.runtime);
    expect(header(posted()['blocks'] as KnownBlock[])?.text.text).toBe('Consumers of feature group customers');
  });

  it('unfurls a SageMaker console link into a lineage card', async () => {
    const url = 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-groups/customers/details';
    const { scope, sent: unfurled } = expectApiCall('chat.unfurl', { ok: true });
    await app!.event({
      type: 'link_shared',
      channel: 'C1',
      user: 'U1',
      message_ts: '4.0',
      links: [{ domain: 'console.aws.amazon.com', url }, { domain: 'example.com', url: 'https://example.com/x' }],
    });
    await settled(scope, app!.runtime);
    expect(unfurled()['channel']).toBe('C1');
    const card = (unfurled()['unfurls'] as Record<string, { blocks: KnownBlock[] }>)[url];
    expect(section(card?.blocks ?? [], BLOCK.summary)).toBe(
      '*Feature group* `customers` feeds *2 models* (`churn-predictor`, `fraud-detector`) and *2 endpoints* (`churn-predictor-prod`, `fraud-detector-prod`).',
    );
    expect(Object.keys(unfurled()['unfurls'] as object)).toEqual([url]);
  });

  it('App Home shows what the person owns, found by email', async () => {
    let published: Record<string, unknown> = {};
    const scope = slack()
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'U1', profile: { email: 'ana.silva@example.com' } } })
      .post('/api/views.publish', (body) => {
        published = webBody(body);
        return true;
      })
      .reply(200, { ok: true });
    await app!.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '5.0' });
    await settled(scope, app!.runtime);
    expect(published['user_id']).toBe('U1');
    const view = published['view'] as { type: string; blocks: KnownBlock[] };
    expect(view.type).toBe('home');
    expect(section(view.blocks, BLOCK.summary)).toBe('You own 2 models and endpoints, by their owner tags.');
    expect(section(view.blocks, 'lineage_list_owned_0')).toBe('*model* `fraud-detector`\ndepends on `claims`, `customers`');
    expect(section(view.blocks, 'lineage_list_owned_1')).toBe('*endpoint* `fraud-detector-prod`\ndepends on `claims`, `customers`');
  });
});

describe('a whole conversation: command → button → thread follow-up', () => {
  it('keeps track of what each thread is about', async () => {
    app = await startSlackApp();
    const posts: Record<string, unknown>[] = [];
    const record = (body: unknown) => {
      posts.push(webBody(body));
      return true;
    };
    const scope = slack()
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C1', ts: '10.0' })
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C1', ts: '10.1' })
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C1', ts: '10.2' });

    // 1. /lineage fg customers
    await app.command('fg customers');
    // 2. the "Upstream sources" button under that answer
    const answer = posts[0] ?? {};
    while (posts.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const buttons = ((answer['blocks'] ?? posts[0]?.['blocks']) as KnownBlock[]).find((b) => b.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[]; block_id: string };
    const upstream = buttons.elements.find((e) => e.text.text === 'Upstream sources');
    await app.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U2', name: 'ben' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't.2',
      channel: { id: 'C1', name: 'ml-platform' },
      container: { type: 'message', message_ts: '10.0', channel_id: 'C1', is_ephemeral: false },
      message: { type: 'message', ts: '10.0', text: 'Consumers of customers' },
      response_url: `${RESPONSE_HOST}/actions/T1/2/secret`,
      actions: [{ type: 'button', action_id: upstream?.action_id, block_id: buttons.block_id, value: upstream?.value, text: { type: 'plain_text', text: 'Upstream sources' }, action_ts: '10.05' }],
    });
    while (posts.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    // 3. "@Lineage owners" in that thread
    await app.event({ type: 'app_mention', user: 'U3', text: `<@${BOT_USER}> who are the owners?`, ts: '10.3', thread_ts: '10.0', channel: 'C1', event_ts: '10.3' });
    await settled(scope, app.runtime);

    expect(posts.map((p) => [p['thread_ts'], header(p['blocks'] as KnownBlock[])?.text.text])).toEqual([
      [undefined, 'Consumers of feature group customers'],
      ['10.0', 'What builds feature group customers'],
      ['10.0', 'Owners of feature group customers'],
    ]);
    expect(section(posts[2]?.['blocks'] as KnownBlock[], 'lineage_list_owners')).toBe(
      [
        '*Owners*',
        '• feature group `customers`: `priya.nair@example.com`',
        '• model `churn-predictor`: `U04CHURN01`',
        '• model `fraud-detector`: `ana.silva@example.com` in `#fraud-ml`',
        '• endpoint `churn-predictor-prod`: `U04CHURN01`',
        '• endpoint `fraud-detector-prod`: `ana.silva@example.com` in `#fraud-ml`',
      ].join('\n'),
    );
  });

  it('a follow-up the bot does not understand gets the options for that thread', async () => {
    app = await startSlackApp();
    await app.store.saveThreadContext({ channel: 'C1', threadTs: '20.0' }, { question: 'trail', input: 'fraud-detector', kind: 'Model', name: 'fraud-detector' });
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '20.2' });
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> hmm?`, ts: '20.1', thread_ts: '20.0', channel: 'C1', event_ts: '20.1' });
    await settled(scope, app.runtime);
    expect(posted()['thread_ts']).toBe('20.0');
    expect(section(posted()['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${HINTS.followUp('fraud-detector', ['features', 'trail', 'endpoints', 'owners', 'graph'])}`);
  });
});

describe('shortcut and buttons', () => {
  beforeEach(async () => {
    app = await startSlackApp();
  });

  const shortcut = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'message_action',
    callback_id: 'explain_lineage',
    team: { id: 'T1', domain: 'acme' },
    user: { id: 'U1', name: 'ana' },
    channel: { id: 'C1', name: 'ml-platform' },
    message: { type: 'message', ts: '30.0', text, user: 'U9' },
    response_url: `${RESPONSE_HOST}/actions/T1/30/secret`,
    trigger_id: 't.30',
    token: 'legacy',
    api_app_id: 'A1',
    ...extra,
  });

  it('"Explain lineage" answers about what a message mentions, in its thread', async () => {
    const posts: Record<string, unknown>[] = [];
    const record = (body: unknown) => {
      posts.push(webBody(body));
      return true;
    };
    const scope = slack()
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C1', ts: '30.1' })
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C1', ts: '30.2' });
    await app!.interaction(
      shortcut('Is <https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/churn-predictor-prod> still reading s3://demo-ml-lake/raw/claims.csv?'),
    );
    await settled(scope, app!.runtime);
    expect(posts.map((p) => [p['thread_ts'], header(p['blocks'] as KnownBlock[])?.text.text])).toEqual([
      ['30.0', 'Feature groups built from s3://demo-ml-lake/raw/claims.csv'],
      ['30.0', 'Feature groups behind endpoint churn-predictor-prod'],
    ]);
  });

  it('"Explain lineage" on a message with nothing recognisable gives a short hint to the user only', async () => {
    const { scope: scope, sent: responded } = expectResponse('/actions/T1/30/secret');
    await app!.interaction(shortcut('lunch at noon?'));
    await settled(scope, app!.runtime);
    expect(responded()).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: HINTS.nothingRecognised });
  });

  const click = (value: string, actionId = 'lineage_next:0', container: Record<string, unknown> = { type: 'message', message_ts: '40.0', channel_id: 'C1', is_ephemeral: false }) => ({
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: 'U1', name: 'ana' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: 't.40',
    channel: { id: 'C1', name: 'ml-platform' },
    container,
    response_url: `${RESPONSE_HOST}/actions/T1/40/secret`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'lineage_next_steps', value, text: { type: 'plain_text', text: 'x' }, action_ts: '40.1' }],
  });

  it('a "more" button shows the next page in the thread', async () => {
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '40.2' });
    await app!.interaction(click('{"q":"features","i":"customers","p":0}'));
    await settled(scope, app!.runtime);
    expect(posted()['thread_ts']).toBe('40.0');
    expect(section(posted()['blocks'] as KnownBlock[], 'lineage_list_features')?.split('\n')[0]).toBe('*Features*');
  });

  it('a button under an ephemeral message answers only the person who pressed it', async () => {
    const { scope: scope, sent: responded } = expectResponse('/actions/T1/40/secret');
    await app!.interaction(click('{"q":"upstream","i":"claims"}', 'lineage_next:1', { type: 'message', message_ts: '41.0', channel_id: 'C1', is_ephemeral: true }));
    await settled(scope, app!.runtime);
    expect(responded()).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(header(responded()['blocks'] as KnownBlock[])?.text.text).toBe('What builds feature group claims');
  });

  it('a button whose value does not parse gets a short answer, not a crash', async () => {
    const { scope: scope, sent: responded } = expectResponse('/actions/T1/40/secret');
    await app!.interaction(click('{"q":"drop-tables","i":"x"}'));
    await settled(scope, app!.runtime);
    expect(responded()['text']).toBe(MESSAGES.unknownButton);
  });

  // Ids no listener answers — including ones under the bot's own prefixes, from older versions —
  // are acknowledged at once (else Slack shows the clicker an error after 3 s) and explained.
  for (const actionId of ['someone_elses_button', 'notice_snooze', 'notice_acknowledge_v0', 'lineage_next:x', 'lineage_next_page']) {
    it(`an unknown action id (${actionId}) is acknowledged and explained to the clicker only`, async () => {
      const { scope, sent: responded } = expectResponse('/actions/T1/40/secret');
      const response = await app!.interaction(click('{}', actionId));
      expect(response.status).toBe(200);
      await settled(scope, app!.runtime);
      expect(responded()).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(section(responded()['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.staleButton}`);
      expect(app!.logs.some((line) => line.includes(`Answered an action nobody handles as stale (${actionId})`))).toBe(true);
    });
  }

  it('a known action is answered by its own listener only, not also as stale', async () => {
    const { scope, sent: posted } = expectApiCall('chat.postMessage', { ok: true, channel: 'C1', ts: '40.3' });
    await app!.interaction(click('{"q":"features","i":"customers"}', 'lineage_next:3'));
    await settled(scope, app!.runtime);
    expect(posted()['thread_ts']).toBe('40.0');
    expect(app!.logs.some((line) => line.includes('nobody handles'))).toBe(false);
  });

  it('crafted text cannot ping the channel or forge a link', async () => {
    const { scope: scope, sent: responded } = expectResponse(/\/commands\//);
    await app!.command('<!channel> <https://evil.example|click>');
    await settled(scope, app!.runtime);
    const text = JSON.stringify(responded()['blocks']);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
  });
});
