// Notices as the composition root wires them: /lineage impact and deprecate reach the notice
// listeners, and POST /aws/events is mounted only with its key.
import type { KnownBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../commands/messages.js';
import { emptyDirectory, expectApiCall, expectResponse, settled, startSlackApp, type SlackHarness } from './support/slack-http.js';
import { replyToCommand } from '../commands/lineage/answer.js';
import { parseCommandText } from '../commands/subcommands.js';
import { createLogger } from '../src/logger.js';
import { cachedDemo } from './support/demo.js';

const EVENTS_KEY = 'events-key-0123456789abcdef';
let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});


describe('notices in the app', () => {
  it('/lineage impact answers the asker with the affected models and endpoints, notifying nobody', async () => {
    app = await startSlackApp();
    emptyDirectory();
    const { scope, sent } = expectResponse(/\/commands\//);
    await app.command('impact customers');
    await settled(scope, app.runtime);
    expect(sent()['response_type']).toBe('ephemeral');
    const text = JSON.stringify(sent()['blocks'] as KnownBlock[]);
    for (const name of ['churn-predictor', 'fraud-detector', 'churn-predictor-prod', 'fraud-detector-prod']) expect(text).toContain(name);
  });

  it('/lineage deprecate opens the announcement modal for a lineage admin', async () => {
    app = await startSlackApp({ env: { LINEAGE_ADMINS: 'U0ADMIN1' } });
    emptyDirectory();
    const opened = expectApiCall('views.open', { ok: true, view: { id: 'V1', hash: 'h1' } });
    // The modal opens at once (trigger ids expire in 3 s), then fills in the impact.
    const updated = expectApiCall('views.update', { ok: true, view: { id: 'V1' } });
    await app.command('deprecate customers', { user_id: 'U0ADMIN1' });
    await settled([opened.scope, updated.scope], app.runtime);
    expect((opened.sent()['view'] as { callback_id: string }).callback_id).toBe('notice_deprecate');
    expect(updated.sent()['view_id']).toBe('V1');
    expect(JSON.stringify(updated.sent()['view'])).toContain('fraud-detector');
  });

  it('POST /aws/events is mounted with its key and refuses calls without it', async () => {
    app = await startSlackApp({ env: { AWS_EVENTS_API_KEY: EVENTS_KEY } });
    const refused = await fetch(`${app.url}/aws/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${app.url}/aws/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': EVENTS_KEY },
      body: JSON.stringify({ id: 'e-1', 'detail-type': 'Something Else', source: 'aws.sagemaker', detail: {} }),
    });
    expect(accepted.status).toBeLessThan(300);
  });

  it('POST /aws/events is off without a key', async () => {
    app = await startSlackApp();
    const response = await fetch(`${app.url}/aws/events`, { method: 'POST', headers: { 'x-api-key': 'anything-at-all-123' }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('in console mode impact and deprecate say they need Slack', async () => {
    const reply = await replyToCommand(parseCommandText('impact customers'), cachedDemo(), createLogger({ level: 'error', write: () => {} }));
    expect(reply.message.text).toBe(MESSAGES.noticesNeedSlack);
  });
});
