// The Slack app end to end through real Bolt: signed HTTP requests in, a FakeSlack out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SectionBlock, KnownBlock } from '@slack/types';
import { BLOCK } from '../../blocks/index.js';
import { MESSAGES, HINTS } from '../../commands/messages.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { LineageQuery, LineageQueryResult } from '../../src/lineage/lineage-source.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { FakeSlack } from '../support/slack-fake.js';
import { sign } from '../support/slack-requests.js';
import { BOT_USER, CHANNEL, RESPONSE_HOST, startSlackApp, until, type SlackHarness } from '../support/slack-http.js';

const header = (blocks: readonly unknown[]) => (blocks as KnownBlock[]).find((b) => b.type === 'header') as { text: { text: string } } | undefined;
const section = (blocks: readonly unknown[], id: string) => ((blocks as KnownBlock[]).find((b) => 'block_id' in b && b.block_id === id) as SectionBlock | undefined)?.text?.text;

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
    const response = await app!.command('fg customers');
    expect(response.status).toBe(200);
    await app!.settle();
    const posted = app!.onlyPost();
    expect(posted.channel).toBe('C1');
    expect(header(posted.blocks)?.text.text).toBe('Consumers of feature group customers');
    // The thread remembers what the answer was about.
    expect(await app!.store.getThreadContext({ channel: 'C1', threadTs: posted.ts })).toEqual({
      question: 'consumers',
      input: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers',
      kind: 'FeatureGroup',
      name: 'customers',
    });
  });

  it('talks to the Web API at SLACK_API_URL when set (GovSlack, tests)', async () => {
    await app!.close();
    // Only the GovSlack host is intercepted: a call to slack.com would fail the test as unmocked.
    app = await startSlackApp({ apiUrl: 'https://slack-gov.example/api/' });
    await app.command('fg claims');
    await app.settle();
    expect(app.onlyPost().channel).toBe('C1');
  });

  it('waits out a 429 as Retry-After says and posts the answer once', async () => {
    await app!.close();
    app = await startSlackApp({ retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 } });
    app.fake.inject('chat.postMessage', { ratelimited: true, retryAfterSeconds: 1 }, { times: 1 });
    await app.command('fg customers');
    await app.settle();
    expect(app.fake.rateLimited).toBe(1);
    expect(app.apiCalls()).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(app.fake.responses).toEqual([]);
    expect(app.fake.messages.map((m) => [m.channel, header(m.blocks)?.text.text])).toEqual([['C1', 'Consumers of feature group customers']]);
  });

  it('tells the asker only when posting the answer times out', async () => {
    app!.fake.inject('chat.postMessage', 'timeout', { times: 1 });
    await app!.command('fg customers');
    await app!.settle();
    expect(app!.apiCalls()).toEqual(['chat.postMessage']);
    expect(app!.fake.messages).toEqual([]);
    const responded = app!.onlyResponse(/\/commands\//, /^chat\.postMessage$/);
    expect(responded).toMatchObject({ response_type: 'ephemeral' });
    expect(section(responded['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.internal}`);
    expect(app!.logs.some((line) => line.includes('Posting an answer failed'))).toBe(true);
  });

  it('rejects a bad signature with 401 and runs nothing', async () => {
    const body = new URLSearchParams({ command: '/lineage', text: 'fg customers', response_url: `${RESPONSE_HOST}/x` }).toString();
    const response = await app!.send(body, { signature: sign(body, Math.floor(Date.now() / 1000), 'another-secret') });
    expect(response.status).toBe(401);
    await app!.settle();
    expect(app!.apiCalls()).toEqual([]);
    expect(app!.fake.responses).toEqual([]);
  });

  it('rejects a stale timestamp with 401 and runs nothing', async () => {
    const body = new URLSearchParams({ command: '/lineage', text: 'fg customers', response_url: `${RESPONSE_HOST}/x` }).toString();
    const response = await app!.send(body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(response.status).toBe(401);
    await app!.settle();
    expect(app!.apiCalls()).toEqual([]);
    expect(app!.fake.responses).toEqual([]);
  });

  it('rejects a malformed payload without running anything', async () => {
    const response = await app!.send('payload=%7Bnot-json');
    expect(response.status).toBeGreaterThanOrEqual(400);
    await app!.settle();
    expect(app!.apiCalls()).toEqual([]);
    expect(app!.fake.responses).toEqual([]);
  });

  it('serves /healthz for load balancers', async () => {
    const response = await fetch(`${app!.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', source: 'embedded demo snapshot (cached)', inFlight: 0 });
  });

  it('answers errors only to the asker through the response URL', async () => {
    await app!.command('fg no-such-group');
    await app!.settle();
    const responded = app!.onlyResponse(/\/commands\//);
    expect(responded['response_type']).toBe('ephemeral');
    expect(section(responded['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.notFound('no-such-group', 'feature group')}`);
  });

  it('falls back to the response URL where the bot may not post', async () => {
    // D123 is a DM with nobody in the workspace: Slack answers channel_not_found.
    await app!.command('fg customers', { channel_id: 'D123' });
    await app!.settle();
    expect(app!.apiCalls()).toEqual(['chat.postMessage']);
    expect(app!.fake.messages).toEqual([]);
    const responded = app!.onlyResponse(/\/commands\//, /^chat\.postMessage$/);
    expect(responded['response_type']).toBe('in_channel');
    expect(header(responded['blocks'] as KnownBlock[])?.text.text).toBe('Consumers of feature group customers');
  });
});

/** A source whose lineage queries wait until released: "whatever the lineage source is doing". */
class HeldSource extends SnapshotSource {
  private release!: () => void;
  readonly held = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  /** `failure`: what the held queries fail with once released (default: they answer). */
  constructor(snapshot: Snapshot, description: string, private readonly failure?: Error) {
    super(snapshot, description);
  }
  override async queryLineage(query: LineageQuery): Promise<LineageQueryResult> {
    await this.held;
    if (this.failure) throw this.failure;
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
    const response = await app.command('model fraud-detector');
    // Slack has its 200 although the lineage source has not answered yet.
    expect(response.status).toBe(200);
    await until(() => app!.fake.messages.length > 0, 'the "looking…" message');
    const looking = app.onlyPost();
    expect(looking.text).toBe('Looking up fraud-detector…');
    expect(looking.updates).toBe(0);
    source.let();
    await app.settle();
    // The answer replaced that very message (chat.update of its channel and ts).
    expect(app.apiCalls()).toEqual(['chat.postMessage', 'chat.update']);
    expect(app.fake.messagesIn('C1')).toEqual([looking]);
    expect(looking.updates).toBe(1);
    expect(header(looking.blocks)?.text.text).toBe('Lineage trail of model fraud-detector');
  });

  it('an error after "looking…" removes that message and tells the asker only', async () => {
    const source = new HeldSource(demoSnapshot(), 'held demo', new Error('lineage store on fire'));
    app = await startSlackApp({ source, lookingAfterMs: 20 });
    await app.command('model fraud-detector');
    await until(() => app!.fake.messages.length > 0, 'the "looking…" message');
    const looking = app.onlyPost();
    source.let();
    await app.settle();
    expect(app.apiCalls()).toEqual(['chat.postMessage', 'chat.delete']);
    expect(app.fake.messages).toEqual([]);
    expect(app.fake.deleted).toEqual([looking]);
    expect(looking.text).toBe('Looking up fraud-detector…');
    const responded = app.fake.responsesTo(/\/commands\//);
    expect(app.fake.responses).toHaveLength(1);
    expect(responded[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(section(responded[0]?.['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.internal}`);
  });

  it('finishes answers in flight when the app stops', async () => {
    const source = new HeldSource(demoSnapshot(), 'held demo');
    app = await startSlackApp({ source });
    expect((await app.command('fg claims')).status).toBe(200);
    await app.runtime.app.stop(); // SIGTERM: stop accepting…
    expect(app.runtime.inFlight.size).toBe(1);
    expect(app.fake.messages).toEqual([]);
    source.let();
    expect(await app.runtime.inFlight.drain(5_000)).toBe(true); // …then finish what was acknowledged
    expect(header(app.onlyPost().blocks)?.text.text).toBe('Consumers of feature group claims');
    await app.store.close();
    app = undefined;
  });
});

describe('events', () => {
  beforeEach(async () => {
    app = await startSlackApp();
  });

  it('a retried event produces no second answer', async () => {
    const mention = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fg claims`, ts: '1.4', channel: 'C1', event_ts: '1.4' };
    expect((await app!.event(mention, { eventId: 'Ev1' })).status).toBe(200);
    await app!.settle();
    expect(app!.onlyPost().threadTs).toBe('1.4');
    expect((await app!.event(mention, { eventId: 'Ev1', retryNum: 1 })).status).toBe(200);
    expect((await app!.event(mention, { eventId: 'Ev1', retryNum: 2 })).status).toBe(200);
    await app!.settle(2_000);
    // Still the one answer, and no other call.
    expect(app!.onlyPost().threadTs).toBe('1.4');
  });

  it('a mention outside a thread is answered like a command, in a thread of its own', async () => {
    await app!.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> endpoint fraud-detector-prod`, ts: '2.0', channel: 'C1', event_ts: '2.0' });
    await app!.settle();
    const posted = app!.onlyPost();
    expect(posted.threadTs).toBe('2.0');
    expect(header(posted.blocks)?.text.text).toBe('Feature groups behind endpoint fraud-detector-prod');
  });

  it('a sentence naming an entity is answered about it', async () => {
    await app!.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> what uses customers these days?`, ts: '3.0', channel: 'C1', event_ts: '3.0' });
    await app!.settle();
    expect(header(app!.onlyPost().blocks)?.text.text).toBe('Consumers of feature group customers');
  });

  it('unfurls a SageMaker console link into a lineage card', async () => {
    const url = 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-groups/customers/details';
    await app!.event({
      type: 'link_shared',
      channel: 'C1',
      user: 'U1',
      message_ts: '4.0',
      links: [{ domain: 'console.aws.amazon.com', url }, { domain: 'example.com', url: 'https://example.com/x' }],
    });
    await app!.settle();
    expect(app!.apiCalls()).toEqual(['chat.unfurl']);
    expect(app!.fake.responses).toEqual([]);
    const [unfurled, ...others] = app!.fake.unfurls;
    expect(others).toEqual([]);
    expect(unfurled).toMatchObject({ channel: 'C1', ts: '4.0' });
    const card = (unfurled?.unfurls as Record<string, { blocks: KnownBlock[] }> | undefined)?.[url];
    expect(section(card?.blocks ?? [], BLOCK.summary)).toBe(
      '*Feature group* `customers` feeds *2 models* (`churn-predictor`, `fraud-detector`) and *2 endpoints* (`churn-predictor-prod`, `fraud-detector-prod`).',
    );
    expect(Object.keys(unfurled?.unfurls ?? {})).toEqual([url]);
  });

  it('App Home shows what the person owns, found by email', async () => {
    await app!.close();
    app = await startSlackApp({ fake: new FakeSlack({ users: [{ id: 'U1', email: 'ana.silva@example.com', name: 'Ana' }], channels: [{ ...CHANNEL }] }) });
    await app.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '5.0' });
    await app.settle();
    expect(app.apiCalls()).toEqual(['users.info', 'views.publish']);
    expect([...app.fake.homes.keys()]).toEqual(['U1']);
    const view = app.fake.homes.get('U1') as { type: string; blocks: KnownBlock[] };
    expect(view.type).toBe('home');
    expect(section(view.blocks, BLOCK.summary)).toBe('You own 2 models and endpoints, by their owner tags.');
    expect(section(view.blocks, 'lineage_list_owned_0')).toBe('*model* `fraud-detector`\ndepends on `claims`, `customers`');
    expect(section(view.blocks, 'lineage_list_owned_1')).toBe('*endpoint* `fraud-detector-prod`\ndepends on `claims`, `customers`');
  });
});

describe('a whole conversation: command → button → thread follow-up', () => {
  it('keeps track of what each thread is about', async () => {
    app = await startSlackApp();
    const posts = app.fake.messages;

    // 1. /lineage fg customers
    await app.command('fg customers');
    await app.settle();
    // 2. the "Upstream sources" button under that answer
    const answer = app.onlyPost();
    const buttons = (answer.blocks as unknown as KnownBlock[]).find((b) => b.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[]; block_id: string };
    const upstream = buttons.elements.find((e) => e.text.text === 'Upstream sources');
    await app.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U2', name: 'ben' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't.2',
      channel: { id: 'C1', name: 'ml-platform' },
      container: { type: 'message', message_ts: answer.ts, channel_id: 'C1', is_ephemeral: false },
      message: { type: 'message', ts: answer.ts, text: 'Consumers of customers' },
      response_url: `${RESPONSE_HOST}/actions/T1/2/secret`,
      actions: [{ type: 'button', action_id: upstream?.action_id, block_id: buttons.block_id, value: upstream?.value, text: { type: 'plain_text', text: 'Upstream sources' }, action_ts: '10.05' }],
    });
    await app.settle();
    // 3. "@Lineage owners" in that thread
    await app.event({ type: 'app_mention', user: 'U3', text: `<@${BOT_USER}> who are the owners?`, ts: '10.3', thread_ts: answer.ts, channel: 'C1', event_ts: '10.3' });
    await app.settle();

    expect(app.apiCalls()).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.postMessage']);
    expect(app.fake.responses).toEqual([]);
    expect(posts.map((p) => [p.channel, p.threadTs, header(p.blocks)?.text.text])).toEqual([
      ['C1', undefined, 'Consumers of feature group customers'],
      ['C1', answer.ts, 'What builds feature group customers'],
      ['C1', answer.ts, 'Owners of feature group customers'],
    ]);
    expect(section(posts[2]?.blocks ?? [], 'lineage_list_owners')).toBe(
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
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> hmm?`, ts: '20.1', thread_ts: '20.0', channel: 'C1', event_ts: '20.1' });
    await app.settle();
    const posted = app.onlyPost();
    expect(posted.threadTs).toBe('20.0');
    expect(section(posted.blocks, BLOCK.error)).toBe(`:warning: ${HINTS.followUp('fraud-detector', ['features', 'trail', 'endpoints', 'owners', 'graph'])}`);
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
    await app!.interaction(
      shortcut('Is <https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/churn-predictor-prod> still reading s3://demo-ml-lake/raw/claims.csv?'),
    );
    await app!.settle();
    expect(app!.apiCalls()).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(app!.fake.responses).toEqual([]);
    expect(app!.fake.messages.map((p) => [p.channel, p.threadTs, header(p.blocks)?.text.text])).toEqual([
      ['C1', '30.0', 'Feature groups built from s3://demo-ml-lake/raw/claims.csv'],
      ['C1', '30.0', 'Feature groups behind endpoint churn-predictor-prod'],
    ]);
  });

  it('"Explain lineage" on a message with nothing recognisable gives a short hint to the user only', async () => {
    await app!.interaction(shortcut('lunch at noon?'));
    await app!.settle();
    expect(app!.onlyResponse('/actions/T1/30/secret')).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: HINTS.nothingRecognised });
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
    await app!.interaction(click('{"q":"features","i":"customers","p":0}'));
    await app!.settle();
    const posted = app!.onlyPost();
    expect(posted.threadTs).toBe('40.0');
    expect(section(posted.blocks, 'lineage_list_features')?.split('\n')[0]).toBe('*Features*');
  });

  it('a button under an ephemeral message answers only the person who pressed it', async () => {
    await app!.interaction(click('{"q":"upstream","i":"claims"}', 'lineage_next:1', { type: 'message', message_ts: '41.0', channel_id: 'C1', is_ephemeral: true }));
    await app!.settle();
    const responded = app!.onlyResponse('/actions/T1/40/secret');
    expect(responded).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(header(responded['blocks'] as KnownBlock[])?.text.text).toBe('What builds feature group claims');
  });

  it('a button whose value does not parse gets a short answer, not a crash', async () => {
    await app!.interaction(click('{"q":"drop-tables","i":"x"}'));
    await app!.settle();
    expect(app!.onlyResponse('/actions/T1/40/secret')['text']).toBe(MESSAGES.unknownButton);
  });

  // Ids no listener answers — including ones under the bot's own prefixes, from older versions —
  // are acknowledged at once (else Slack shows the clicker an error after 3 s) and explained.
  for (const actionId of ['someone_elses_button', 'notice_snooze', 'notice_acknowledge_v0', 'lineage_next:x', 'lineage_next_page']) {
    it(`an unknown action id (${actionId}) is acknowledged and explained to the clicker only`, async () => {
      const response = await app!.interaction(click('{}', actionId));
      expect(response.status).toBe(200);
      await app!.settle();
      const responded = app!.onlyResponse('/actions/T1/40/secret');
      expect(responded).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(section(responded['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.staleButton}`);
      expect(app!.logs.some((line) => line.includes(`Answered an action nobody handles as stale (${actionId})`))).toBe(true);
    });
  }

  it('a known action is answered by its own listener only, not also as stale', async () => {
    await app!.interaction(click('{"q":"features","i":"customers"}', 'lineage_next:3'));
    await app!.settle();
    expect(app!.onlyPost().threadTs).toBe('40.0');
    expect(app!.logs.some((line) => line.includes('nobody handles'))).toBe(false);
  });

  it('crafted text cannot ping the channel or forge a link', async () => {
    await app!.command('<!channel> <https://evil.example|click>');
    await app!.settle();
    const text = JSON.stringify(app!.onlyResponse(/\/commands\//)['blocks']);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
  });
});
