// Socket Mode end to end: Bolt's SocketModeReceiver connects to a WebSocket server on 127.0.0.1
// standing in for Slack (apps.connections.open answered by a FakeSlack), receives envelopes, acks them.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeSlack } from '../support/slack-fake.js';
import { BOT_USER, CHANNEL, interceptSlack } from '../support/slack-http.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function connect(): Promise<{ runtime: Runtime; store: Store; socket: WebSocket; acks: string[]; fake: FakeSlack }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const acks: string[] = [];
  const connected = new Promise<WebSocket>((resolve) =>
    server.once('connection', (socket) => {
      socket.on('message', (data) => acks.push(String((JSON.parse(String(data)) as { envelope_id: string }).envelope_id)));
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      resolve(socket);
    }),
  );
  const fake = new FakeSlack({ channels: [{ ...CHANNEL }], socketUrl: url });
  const slack = interceptSlack(fake);
  const store = await openStore('sqlite::memory:');
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test' });
  const runtime = await createRuntime(config, createLogger({ level: 'error', write: () => {} }), {
    store,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  await runtime.start();
  const socket = await connected;
  cleanup = async () => {
    await runtime.stop(2_000);
    await store.close();
    await new Promise((resolve) => server.close(resolve));
    slack.release();
  };
  return { runtime, store, socket, acks, fake };
}

function envelope(id: string, eventId: string, retryAttempt: number) {
  return JSON.stringify({
    envelope_id: id,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: retryAttempt,
    retry_reason: retryAttempt > 0 ? 'timeout' : '',
    payload: {
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: eventId,
      event_time: 1,
      authorizations: [{ team_id: 'T1', user_id: BOT_USER, is_bot: true }],
      event: { type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fg claims`, ts: '7.0', channel: 'C1', event_ts: '7.0' },
    },
  });
}

describe('Socket Mode', () => {
  it('acknowledges every envelope and answers a retried event once', async () => {
    const { runtime, socket, acks, fake } = await connect();
    const startup = fake.methods().length;
    socket.send(envelope('env-1', 'EvSocket1', 0));
    while (fake.messages.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await runtime.inFlight.drain(2_000);
    socket.send(envelope('env-2', 'EvSocket1', 1)); // Slack's retry_attempt of the same event
    while (acks.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await runtime.inFlight.drain(2_000);
    expect(acks).toEqual(['env-1', 'env-2']);
    // Start-up checked the token and opened the connection once; the event was answered once.
    expect(fake.methods().slice(0, startup).sort()).toEqual(['apps.connections.open', 'auth.test', 'auth.test']);
    expect(fake.methods(startup)).toEqual(['chat.postMessage']);
    expect(fake.messages.map((m) => [m.channel, m.threadTs])).toEqual([['C1', '7.0']]);
  });
});
