// Routes Slack's Web API (https://slack.com/api/*) and response URLs (https://hooks.slack.com/*)
// to a FakeSlack through nock, so real WebClient and Bolt code runs unchanged.
import { httpMock, type Interceptor } from './http-mock.js';
import { parseFormBody, type FakeSlack, type Params } from './slack-fake.js';

// Where slash commands and buttons of test requests point their response URLs.
export { RESPONSE_URL_BASE } from './slack-requests.js';

function bodyParams(body: unknown): Params {
  if (typeof body === 'string') return parseFormBody(body);
  return (body ?? {}) as Params;
}

/**
 * Intercepts Slack until `release()` (or the end of the test). The fake stands for a whole
 * workspace rather than for expected calls — tests assert on what it recorded — so a test that
 * made no call must release it before the harness checks for unused mocks. `responseUrls` also
 * intercepts respond() posts.
 */
export function interceptSlack(fake: FakeSlack, { responseUrls = false }: { responseUrls?: boolean } = {}): { release(): void } {
  const interceptors: Interceptor[] = [];
  const api = httpMock.scope('https://slack.com').persist().post(/^\/api\/[a-zA-Z.]+$/);
  interceptors.push(api);
  api.reply((uri, body) => {
      const reply = fake.handle(uri.replace('/api/', ''), bodyParams(body));
      // Through nock a request cannot be left unanswered: both read as a failed connection.
      if (reply === 'drop' || reply === 'hang') return [500, { ok: false, error: 'connection_dropped' }];
      return [reply.status, reply.body as Record<string, unknown>, reply.headers ?? {}];
    });
  if (responseUrls) {
    const hooks = httpMock.scope('https://hooks.slack.com').persist().post(/^\/actions\/.+$/);
    interceptors.push(hooks);
    hooks.reply((uri, body) => {
      fake.respond(`https://hooks.slack.com${uri}`, (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>);
      return [200, 'ok'];
    });
  }
  return { release: () => interceptors.forEach(httpMock.remove) };
}
