// A Slack workspace answered from the embedded demo (no LINEAGE_SOURCE) must not mistake it for
// its own account: every answer, notice and App Home view carries the demo context line, and
// start-up warns. Through the real listeners over HTTP, and the builders' one helper.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextBlock, KnownBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK } from '../../blocks/index.js';
import { createNoticeRenderer, DEPRECATE_MODAL, encodeModalMetadata } from '../../blocks/notices/index.js';
import { context, section } from '../../blocks/elements.js';
import { DEMO_SOURCE_NOTE, withSourceNote } from '../../blocks/source-note.js';
import { LIMITS } from '../../blocks/text.js';
import { DEMO_SOURCE_WARNING } from '../../src/app.js';
import type { NoticeStatus } from '../../src/notices/status.js';
import type { Notice, Recipient } from '../../src/notices/model.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { FakeSlack } from '../support/slack-fake.js';
import { BOT_USER, CHANNEL, DIRECTORY_LOOKUPS, RESPONSE_HOST, startSlackApp, until, type SlackHarness } from '../support/slack-http.js';
import { CHANNELS, sampleNotice } from '../support/slack-world.js';

let app: SlackHarness | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const note = (blocks: readonly unknown[] | undefined) =>
  (((blocks ?? []) as KnownBlock[]).find((b) => b.block_id === BLOCK.sourceNote) as ContextBlock | undefined)?.elements.map((e) => ('text' in e ? e.text : '')).join('');


describe('while the source is the embedded demo', () => {
  it('start-up warns, and an answer in the channel says it is demo data', async () => {
    app = await startSlackApp();
    expect(app.logs.some((line) => line.includes(DEMO_SOURCE_WARNING))).toBe(true);
    await app.command('fg customers');
    await app.settle();
    expect(note(app.onlyPost().blocks)).toBe(DEMO_SOURCE_NOTE);
  });

  it('an error only the asker sees says so too', async () => {
    app = await startSlackApp();
    await app.command('fg no-such-group');
    await app.settle();
    expect(note(app.onlyResponse(/\/commands\//)['blocks'] as KnownBlock[])).toBe(DEMO_SOURCE_NOTE);
  });

  it('a mention, and a button under an ephemeral answer, say so', async () => {
    app = await startSlackApp();
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fg claims`, ts: '2.0', channel: 'C1', event_ts: '2.0' });
    await app.settle();
    expect(note(app.onlyPost().blocks)).toBe(DEMO_SOURCE_NOTE);

    await app.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U1', name: 'ana' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't.40',
      container: { type: 'message', message_ts: '40.0', channel_id: 'C1', is_ephemeral: true },
      response_url: `${RESPONSE_HOST}/actions/T1/40/secret`,
      actions: [{ type: 'button', action_id: 'lineage_next:0', block_id: 'lineage_next_steps', value: JSON.stringify({ q: 'upstream', i: 'customers' }), text: { type: 'plain_text', text: 'x' }, action_ts: '40.1' }],
    });
    await app.settle();
    // Still the one post of the mention; the button's answer went to its response URL only.
    expect(app.apiCalls()).toEqual(['chat.postMessage']);
    expect(app.fake.messages).toHaveLength(1);
    expect(app.fake.responses.map((r) => r.url)).toEqual([`${RESPONSE_HOST}/actions/T1/40/secret`]);
    expect(note(app.fake.responses[0]?.body['blocks'] as KnownBlock[])).toBe(DEMO_SOURCE_NOTE);
  });

  it('App Home says so', async () => {
    app = await startSlackApp({ fake: new FakeSlack({ users: [{ id: 'U1', email: 'ana.silva@example.com', name: 'Ana' }], channels: [{ ...CHANNEL }] }) });
    await app.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '5.0' });
    await app.settle();
    expect(app.apiCalls()).toEqual(['users.info', 'views.publish']);
    expect(note(app.fake.homes.get('U1')?.['blocks'] as KnownBlock[] | undefined)).toBe(DEMO_SOURCE_NOTE);
  });

  it('impact, the deprecate form and the notice summary the announcement posts say so', async () => {
    // A workspace with nobody in it: every owner the demo names is unreachable.
    const fake = new FakeSlack({ channels: [{ ...CHANNEL }, { ...CHANNELS.announce }] });
    app = await startSlackApp({ fake, env: { LINEAGE_ADMINS: 'U0ADMIN1' } });
    await app.command('impact customers');
    await app.settle();
    expect(note(app.onlyResponse(/\/commands\//, DIRECTORY_LOOKUPS)['blocks'] as KnownBlock[])).toBe(DEMO_SOURCE_NOTE);

    await app.command('deprecate customers', { user_id: 'U0ADMIN1' });
    await app.settle();
    // The modal opens at once, then is filled in once the impact is known.
    await until(() => fake.views[0]?.updates === 1, 'the deprecate form filled in');
    const calls = () => app!.apiCalls().filter((m) => !DIRECTORY_LOOKUPS.test(m));
    expect(calls()).toEqual(['views.open', 'views.update']);
    expect(fake.views).toHaveLength(1);
    expect(note((fake.callsTo('views.open')[0]?.['view'] as { blocks: KnownBlock[] }).blocks)).toBe(DEMO_SOURCE_NOTE);
    expect(note((fake.views[0]?.view as { blocks: KnownBlock[] }).blocks)).toBe(DEMO_SOURCE_NOTE);

    // Every owner is unreachable in this empty workspace: the worker posts only the summary.
    const viewId = fake.views[0]!.id;
    await app.interaction({
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U0ADMIN1', name: 'admin' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't.50',
      view: {
        id: viewId,
        type: 'modal',
        callback_id: DEPRECATE_MODAL.callbackId,
        private_metadata: encodeModalMetadata({ featureGroup: 'customers', channelId: 'CANNOUNCE' }),
        hash: `hash-${viewId}-1`,
        blocks: [],
        state: {
          values: {
            [DEPRECATE_MODAL.kindBlock]: { [DEPRECATE_MODAL.kindAction]: { type: 'static_select', selected_option: { value: 'deprecation' } } },
            [DEPRECATE_MODAL.dateBlock]: { [DEPRECATE_MODAL.dateAction]: { type: 'datepicker', selected_date: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) } },
          },
        },
        title: { type: 'plain_text', text: 'Announce a change' },
      },
    });
    await until(() => fake.messages.length > 0, 'the notice summary', 15_000);
    expect(calls()).toEqual(['views.open', 'views.update', 'chat.postMessage']);
    expect(fake.messages.map((m) => m.channel)).toEqual(['CANNOUNCE']);
    expect(note(fake.messages[0]?.blocks)).toBe(DEMO_SOURCE_NOTE);
  });
});

describe('with a lineage source of the workspace’s own', () => {
  it('no note and no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-note-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'lineage.json');
    writeFileSync(path, JSON.stringify(demoSnapshot()));
    app = await startSlackApp({ env: { LINEAGE_SOURCE: 'snapshot', LINEAGE_SNAPSHOT: path } });
    expect(app.logs.some((line) => line.includes(DEMO_SOURCE_WARNING))).toBe(false);
    await app.command('fg customers');
    await app.settle();
    expect(note(app.onlyPost().blocks)).toBeUndefined();
  });
});

describe('withSourceNote, the one place the line comes from', () => {
  it('adds the line once, keeps a full message within the block limit, and adds nothing without a note', () => {
    const message = { text: 'x', blocks: [section('a', 'a')] as KnownBlock[] };
    const noted = withSourceNote(message, DEMO_SOURCE_NOTE);
    expect(noted.blocks.map((b) => b.block_id)).toEqual(['a', BLOCK.sourceNote]);
    expect(withSourceNote(noted, DEMO_SOURCE_NOTE)).toBe(noted);
    expect(withSourceNote(message, undefined)).toBe(message);
    const full = { blocks: Array.from({ length: LIMITS.blocks }, (_, i) => context(`${i}`, `b${i}`)) as KnownBlock[] };
    const fitted = withSourceNote(full, DEMO_SOURCE_NOTE).blocks;
    expect(fitted).toHaveLength(LIMITS.blocks);
    expect(fitted[LIMITS.blocks - 1]?.block_id).toBe(BLOCK.sourceNote);
  });

  it('every notice the delivery worker renders carries it, and none does without a note', () => {
    const notice: Notice = sampleNotice({ id: '6f1c8e2a-1b2c-4d3e-8f4a-5b6c7d8e9f00' });
    const recipient: Recipient = {
      noticeId: notice.id,
      key: 'user:U04CHURN01',
      type: 'user',
      targetId: 'U04CHURN01',
      label: 'Chen',
      owners: ['U04CHURN01'],
      resources: [{ kind: 'Model', name: 'churn-predictor' }],
    };
    const status: NoticeStatus = { notice, recipients: [recipient] };
    const render = (renderer: ReturnType<typeof createNoticeRenderer>) => [
      renderer.notice(notice, recipient),
      renderer.reminder(notice, recipient, 7),
      renderer.summary(status),
      renderer.finalReport(status),
    ];
    expect(render(createNoticeRenderer(DEMO_SOURCE_NOTE)).map((m) => note(m.blocks as KnownBlock[]))).toEqual(Array(4).fill(DEMO_SOURCE_NOTE));
    expect(render(createNoticeRenderer()).map((m) => note(m.blocks as KnownBlock[]))).toEqual(Array(4).fill(undefined));
  });
});
