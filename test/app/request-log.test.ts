// Every log line written while a request is handled names the request, the user and the team,
// in both LOG_FORMATs: through the real runtime, signed slash commands, and its logger.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConsolePrinter, runConsole } from '../../src/console/console.js';
import { createLogger } from '../../src/logger.js';
import { RequestContext } from '../../src/request-context.js';
import { openStore } from '../../src/store/index.js';
import { startSlackApp, type SlackHarness } from '../support/slack-http.js';

let app: SlackHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

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
      app.forget();
      expect((await app.command('model fraud-detector', { user_id: user, team_id: team })).status).toBe(200);
      await app.settle();
      app.onlyPost();
      const entries = app.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
      const tagged = entries.filter((entry) => entry['user_id'] === user && entry['team_id'] === team);
      expect(tagged.length).toBeGreaterThan(0);
      expect(Object.keys(tagged[0] as object)).toEqual(['level', 'time', 'name', 'request_id', 'user_id', 'team_id', 'message']);
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
    app.fake.inject('chat.postMessage', { status: 500, body: 'upstream broke' });
    expect((await app.command('model fraud-detector', { user_id: 'U0ANA', team_id: 'T0ACME' })).status).toBe(200);
    await app.settle();
    expect(app.apiCalls()).toEqual(['chat.postMessage']);
    app.onlyResponse(/\/commands\//, /^chat\.postMessage$/);
    const failure = app.logs.find((line) => line.includes(' ERROR '));
    expect(failure).toMatch(/ request_id=[0-9a-f-]{36} user_id=U0ANA team_id=T0ACME$/);
  });

  it('never takes text for an id: a user_id that is not a Slack id is left out', async () => {
    app = await startSlackApp({ logLevel: 'warn' });
    app.fake.inject('chat.postMessage', { status: 500, body: 'upstream broke' });
    expect((await app.command('model fraud-detector', { user_id: 'hello there', team_id: 'T0ACME' })).status).toBe(200);
    await app.settle();
    expect(app.apiCalls()).toEqual(['chat.postMessage']);
    app.onlyResponse(/\/commands\//, /^chat\.postMessage$/);
    const failure = app.logs.find((line) => line.includes(' ERROR ')) ?? '';
    expect(failure).toMatch(/ request_id=[0-9a-f-]{36} team_id=T0ACME$/);
    expect(failure).not.toContain('hello there');
  });

  it('without an HTTP request (console, Socket Mode) the Bolt middleware opens the context itself', async () => {
    const requests = new RequestContext();
    const logs: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line), fields: () => requests.logFields() });
    const store = await openStore('sqlite::memory:');
    const output = new PassThrough().resume();
    const printer = new ConsolePrinter(output);
    const runtime = await createRuntime(loadConfig({}), logger, { store, requests, deliver: (message) => printer.print(message) });
    await runConsole(runtime.consoleReceiver!, printer, { input: PassThrough.from('model fraud-detector\n'), output, interactive: false });
    await store.close();
    const cacheLine = logs.find((line) => line.includes('cache miss'));
    expect(cacheLine).toMatch(/ request_id=[0-9a-f-]{36} user_id=UCONSOLE team_id=TCONSOLE$/);
  });
});
