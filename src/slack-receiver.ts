// Bolt's HTTPReceiver with a check in front of it, and every request tagged for the last-resort
// error handler (src/last-resort.ts).
//
// Bolt's receiver verifies the signature, parses the body, and then reads `body.ssl_check` and
// `body.type` outside of any try: a signed body that parses to something other than an object —
// `payload=null`, a JSON body `null`, `payload=1`, `payload=[]` — throws inside a promise nobody
// awaits, which ends the process. So the same verification and parsing run here first, with
// Bolt's own functions (HTTPModuleFunctions): a request that is not signed, too large or not JSON
// goes on to Bolt, which answers it as it always does (401, 413, 400); a signed one whose payload
// is not an object is answered 400 here and never reaches Bolt. Bolt reuses the body read here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, HTTPReceiver, type HTTPReceiverOptions, type Logger } from '@slack/bolt';
import type { RequestContext, RequestSummary } from './request-context.js';

export interface GuardedReceiverOptions extends Pick<HTTPReceiverOptions, 'port' | 'customRoutes'> {
  signingSecret: string;
  endpoint: string;
  logger: Logger;
  requests: RequestContext;
  /** Bolt's default: 4 MB. */
  bodyLimit?: number;
}

const isPayloadObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What kind of Slack request a payload is, for logs: a string field only, never free text. */
function kindOf(body: Record<string, unknown>): string | undefined {
  const value = typeof body['type'] === 'string' ? body['type'] : typeof body['command'] === 'string' ? body['command'] : undefined;
  return value && /^[\w/.:-]{1,64}$/.test(value) ? value : undefined;
}

export function createGuardedReceiver(options: GuardedReceiverOptions): HTTPReceiver {
  const bodyLimit = options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: options.endpoint,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
    logger: options.logger,
    bodyLimit,
  });
  const bolt = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const retry = req.headers['x-slack-retry-num'];
    const summary: RequestSummary = { method: req.method ?? 'GET', path, ...(typeof retry === 'string' ? { retryNum: retry } : {}) };
    options.requests.run(summary, () => {
      if (req.method !== 'POST' || path !== options.endpoint) {
        bolt(req, res); // custom routes and 404s; Bolt's server catches what this throws
        return;
      }
      void (async () => {
        let body: unknown;
        try {
          const verified = await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret: options.signingSecret, bodyLimit }, req);
          body = HTTPModuleFunctions.parseHTTPRequestBody(verified);
        } catch (error) {
          if (HTTPModuleFunctions.isRawBodyError(error)) {
            // The body could not be read (too large, or the connection broke): Bolt would read it again and fail too.
            options.logger.warn(`Refused a request to ${path}: its body could not be read (${(error as Error).message})`);
            HTTPModuleFunctions.buildNoBodyResponse(res, (error as { statusCode: number }).statusCode === 413 ? 413 : 400);
            return;
          }
          bolt(req, res); // not signed, stale, or not JSON: Bolt answers 401 or 400 and logs it
          return;
        }
        if (!isPayloadObject(body)) {
          options.logger.warn(`Refused a signed request to ${path} whose payload is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object (400)`);
          HTTPModuleFunctions.buildNoBodyResponse(res, 400);
          return;
        }
        const kind = kindOf(body);
        if (kind) summary.kind = kind;
        bolt(req, res);
      })();
    });
  };
  return receiver;
}
