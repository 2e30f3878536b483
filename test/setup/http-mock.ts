// One HTTP-mock harness for every test: no real network, and a test fails if it left a
// mocked request unused or made one nobody expected.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

const unmatched: string[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  // Tests may start their own servers on loopback (fake SageMaker, fake Slack).
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
  nock.emitter.on('no match', (req: { method?: string; path?: string; options?: { host?: string } }) => {
    const host = req.options?.host ?? '';
    if (host.startsWith('127.0.0.1') || host.startsWith('localhost')) return;
    unmatched.push(`${req.method ?? '?'} ${host}${req.path ?? ''}`);
  });
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const seen = unmatched.splice(0);
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`Mocked requests were never made: ${pending.join(', ')}`);
  if (seen.length > 0) throw new Error(`Requests nobody mocked: ${seen.join(', ')}`);
});
