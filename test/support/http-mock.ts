// The one file that imports nock (eslint's no-restricted-imports keeps it so). Every test runs
// under install() (test/setup/http-mock.ts): no real network, and a test fails if it left a
// mocked request unused or made one nobody expected. Tests and the fakes reach nock only through
// httpMock, so how requests are intercepted — and checked — is decided here once.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

export type Scope = nock.Scope;
export type Interceptor = nock.Interceptor;
export type ReplyHeaders = nock.ReplyHeaders;

const isLoopback = (host: string) => host.startsWith('127.0.0.1') || host.startsWith('localhost');

export const httpMock = {
  /** Interceptors for one origin: `httpMock.scope('https://slack.com').post('/api/auth.test').reply(…)`. */
  scope: (origin: string, options?: nock.Options): nock.Scope => nock(origin, options),
  /** Stops one persistent interceptor before the end of the test. */
  remove: (interceptor: nock.Interceptor): void => void nock.removeInterceptor(interceptor),
  /** Drops every interceptor of the test so far (a loop that mocks afresh on each turn). */
  reset: (): void => nock.cleanAll(),
};

/** Registers the hooks; called once per test file from vitest's setupFiles. */
export function install(): void {
  const unmatched: string[] = [];
  beforeAll(() => {
    nock.disableNetConnect();
    // Tests may start their own servers on loopback (fake SageMaker, fake Slack).
    nock.enableNetConnect(isLoopback);
    // nock 14 emits the request options themselves (host, hostname); older versions nested them.
    nock.emitter.on('no match', (req: { method?: string; path?: string; host?: string; hostname?: string; options?: { host?: string; hostname?: string } }) => {
      const host = req.options?.hostname ?? req.options?.host ?? req.hostname ?? req.host ?? '';
      if (isLoopback(host)) return;
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
}
