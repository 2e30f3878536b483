// Every log line written while a request is handled names the request, the user and the team,
// in both LOG_FORMATs: through the real runtime, signed slash commands, and its logger.
import { afterEach, describe, expect, it } from 'vitest';
import { expectApiCall, expectResponse, settled, slack, startSlackApp, type SlackHarness } from '../support/slack-http.js';

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const POSTED = { ok: true, channel: 'C1', ts: '1700000000.000100' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids in the log', () => {
  it('JSON lines carry request_id, user_id and team_id while a slash command is answered, one request_id per request', async () => {
    app = await startSlackApp({ logLevel: 'debug', logFormat: 'json' });
    const startUp = app.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(startUp.length).toBeGreaterThan(0);
    expect(startUp.every((entry) => !('request_id' in entry) && !('user_id' in entry))).toBe(true);

    const requestIds: unknown[] = [];
    for (const [user, team] of [['U0ANA', 'T0ACME'], ['W0BEN', 'T0OTHER']] as const) {
      const before = app.logs.length;
      const { scope } = expectApiCall('chat.postMessage', POSTED);
      expect((await app.command('model fraud-detector', { user_id: user, team_id: team })).status).toBe(200);
      await settled(scope, app.runtime);
      const entries = app.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
      const tagged = entries.filter((entry) => entry['user_id'] === user && entry['team_id'] === team);
      expect(tagged.length).toBeGreaterThan(0);
      expect(Object.keys(tagged[0] as object)).toEqual(['time', 'level', 'name', 'request_id', 'user_id', 'team_id', 'message']);
      const ids = new Set(entries.map((entry) => entry['request_id']));
      expect(ids.size).toBe(1);
      const [id] = ids;
      expect(id).toMatch(UUID);
      requestIds.push(id);
    }
    expect(requestIds[0]).not.toBe(requestIds[1]);
  });

  it('text lines end with the ids, on the error path too', async () => {
    app = await startSlackApp({ logLevel: 'warn' });
    const scope = [slack().post('/api/chat.postMessage').reply(500, 'upstream broke'), expectResponse(/\/commands\//).scope];
    expect((await app.command('model fraud-detector', { user_id: 'U0ANA', team_id: 'T0ACME' })).status).toBe(200);
    await settled(scope, app.runtime);
    const failure = app.logs.find((line) => line.includes(' ERROR '));
    expect(failure).toMatch(/ request_id=[0-9a-f-]{36} user_id=U0ANA team_id=T0ACME$/);
  });

  it('never takes text for an id: a user_id that is not a Slack id is left out', async () => {
    app = await startSlackApp({ logLevel: 'warn' });
    const scope = [slack().post('/api/chat.postMessage').reply(500, 'upstream broke'), expectResponse(/\/commands\//).scope];
    expect((await app.command('model fraud-detector', { user_id: 'hello there', team_id: 'T0ACME' })).status).toBe(200);
    await settled(scope, app.runtime);
    const failure = app.logs.find((line) => line.includes(' ERROR ')) ?? '';
    expect(failure).toMatch(/ request_id=[0-9a-f-]{36} team_id=T0ACME$/);
    expect(failure).not.toContain('hello there');
  });
});
