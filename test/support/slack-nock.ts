// Routes Slack's Web API (https://slack.com/api/*) and response URLs (https://hooks.slack.com/*)
// to a FakeSlack through nock, so real WebClient and Bolt code runs unchanged.
import { httpMock, type Interceptor } from './http-mock.js';
import { FAKE_UPLOAD_HOST, parseFormBody, type FakeSlack, type Params } from './slack-fake.js';

// Where slash commands and buttons of test requests point their response URLs.
export { RESPONSE_URL_BASE } from './slack-requests.js';

function bodyParams(body: unknown): Params {
  if (typeof body === 'string') return parseFormBody(body);
  return (body ?? {}) as Params;
}

/**
 * The file bytes of an upload-URL post: the WebClient sends them as the `body` part of a
 * multipart form; nock records a binary body as hex text.
 */
function uploadedBytes(body: unknown): Buffer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const raw = Buffer.isBuffer(body) ? body : /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'latin1');
  const boundary = raw.subarray(0, raw.indexOf('\r\n')).toString('latin1');
  if (!boundary.startsWith('--')) return raw;
  const start = raw.indexOf('\r\n\r\n', raw.indexOf('name="body"'));
  const end = raw.indexOf(`\r\n${boundary}`, start);
  return start < 0 || end < 0 ? raw : raw.subarray(start + 4, end);
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
  // The second step of files.uploadV2: the bytes, posted to the URL the fake handed out.
  const uploads = httpMock.scope(FAKE_UPLOAD_HOST).persist().post(/^\/upload\/v1\/F\d+$/);
  interceptors.push(uploads);
  uploads.reply((uri, body) => {
    const reply = fake.uploadFile(`${FAKE_UPLOAD_HOST}${uri}`, uploadedBytes(body));
    return [reply.status, reply.body as string, reply.headers ?? {}];
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
