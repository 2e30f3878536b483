// Bugs seen over the real listeners (createRuntime, signed requests): each test fails without its fix.
import type { KnownBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { DEPRECATE_MODAL, encodeModalMetadata } from '../../blocks/notices/index.js';
import { MESSAGES, NOTICE_MESSAGES } from '../../commands/messages.js';
import { BOT_USER, DIRECTORY_LOOKUPS, startSlackApp, until, type SlackHarness } from '../support/slack-http.js';

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const CONSUMERS = ['churn-predictor', 'fraud-detector', 'churn-predictor-prod', 'fraud-detector-prod'];
const CONSOLE_LINK = 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-groups/customers/details';

describe('listener fixes', () => {
  it('"@Lineage impact customers" answers with the impact in the thread, not that notices need Slack', async () => {
    // The default workspace has nobody in it: the directory finds no owner.
    app = await startSlackApp();
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> impact customers`, ts: '7.0', channel: 'C1', event_ts: '7.0' });
    await app.settle();
    const posted = app.onlyPost(DIRECTORY_LOOKUPS);
    expect(posted.threadTs).toBe('7.0');
    const text = JSON.stringify(posted.blocks as unknown as KnownBlock[]);
    expect(text).not.toContain(MESSAGES.noticesNeedSlack);
    for (const name of CONSUMERS) expect(text).toContain(name);
  });

  it('"@Lineage deprecate customers" says the form needs the slash command', async () => {
    app = await startSlackApp();
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> deprecate customers`, ts: '8.0', channel: 'C1', event_ts: '8.0' });
    await app.settle();
    expect(JSON.stringify(app.onlyPost().blocks)).toContain(JSON.stringify(NOTICE_MESSAGES.deprecateNeedsCommand('customers')).slice(1, -1));
  });

  it('/lineage impact with a link Slack labelled (<url|label>) reads the link', async () => {
    app = await startSlackApp();
    await app.command(`impact <${CONSOLE_LINK}|customers feature group>`);
    await app.settle();
    const sent = app.onlyResponse(/\/commands\//, DIRECTORY_LOOKUPS);
    expect(sent['response_type']).toBe('ephemeral');
    const text = JSON.stringify(sent['blocks'] as KnownBlock[]);
    for (const name of CONSUMERS) expect(text).toContain(name);
  });

  it('a deprecate form opened in a channel with a short id (C1) is accepted and its summary posted there', async () => {
    app = await startSlackApp({ env: { LINEAGE_ADMINS: 'U0ADMIN1' } });
    // Every owner is unreachable in this empty workspace: the worker posts only the summary.
    const response = await app.interaction({
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U0ADMIN1', name: 'admin' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't.9',
      view: {
        id: 'V9',
        type: 'modal',
        callback_id: DEPRECATE_MODAL.callbackId,
        private_metadata: encodeModalMetadata({ featureGroup: 'customers', channelId: 'C1' }),
        hash: 'h9',
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
    expect(await response.text()).not.toContain(MESSAGES.unknownButton);
    await until(() => app!.fake.messages.length > 0, 'the notice summary', 15_000);
    expect(app.onlyPost(DIRECTORY_LOOKUPS).channel).toBe('C1');
  });
});
