// One HTTP-mock harness for every test: no real network, and a test fails if it left a
// mocked request unused or made one nobody expected.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

const unmatched: string[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  // Tests may start their own servers on loopback (fake SageMaker, fake Slack).
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
  // nock 14 emits the request options themselves (host, hostname); older versions nested them.
  nock.emitter.on('no match', (req: { method?: string; path?: string; host?: string; hostname?: string; options?: { host?: string; hostname?: string } }) => {
    const host = req.options?.hostname ?? req.options?.host ?? req.hostname ?? req.host ?? '';
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
