// POST /aws/events: EventBridge API-destination calls telling the bot a feature group changed.
// The caller proves itself with the x-api-key header (compared in constant time); each event is
// processed once (EventBridge delivers at least once), invalidates the cached lineage of the group
// and runs the watcher's check at once. A failed check forgets the event and answers 500, so
// EventBridge's retry processes it again. Off (no route) when AWS_EVENTS_API_KEY is unset.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import { parseAwsEvent } from '../notices/aws-events.js';
import type { FeatureGroupWatcher } from '../notices/watcher.js';
import type { ProcessedEvents } from '../store/types.js';

export const AWS_EVENTS_PATH = '/aws/events';
export const EVENT_SOURCE = 'eventbridge';
/** EventBridge events are at most 256 KB. */
const MAX_BODY_BYTES = 256 * 1024;

export interface AwsEventsRouteDeps {
  /** AWS_EVENTS_API_KEY; without it there is no route. */
  apiKey?: string;
  store: ProcessedEvents;
  watcher: Pick<FeatureGroupWatcher, 'check'>;
  /** Drops cached lineage about a group (name or ARN). */
  invalidate?: (ref: string) => void;
  logger: Logger;
}

export function createAwsEventsRoute(deps: AwsEventsRouteDeps): CustomRoute | undefined {
  const { apiKey } = deps;
  if (!apiKey) return undefined;
  const expected = digest(apiKey);
  return {
    path: AWS_EVENTS_PATH,
    method: ['POST'],
    handler: (req, res) => {
      handle(req, res, expected, deps).catch((error: unknown) => {
        deps.logger.error('POST /aws/events failed:', error);
        if (!res.headersSent) reply(res, 500, { status: 'error' });
      });
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, expected: Buffer, deps: AwsEventsRouteDeps): Promise<void> {
  const given = req.headers['x-api-key'];
  // Digests have one length whatever was sent, so the comparison time says nothing about the key.
  if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
    deps.logger.warn('POST /aws/events refused: missing or wrong x-api-key');
    reply(res, 401, { status: 'unauthorized' });
    return;
  }
  const body = await readBody(req);
  if (body === 'too_large') {
    reply(res, 413, { status: 'too_large' });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    reply(res, 400, { status: 'invalid', reason: 'the body is not JSON' });
    return;
  }
  const event = parseAwsEvent(json);
  if (event.kind === 'invalid') {
    reply(res, 400, { status: 'invalid', reason: event.reason });
    return;
  }
  if (event.kind === 'ignored') {
    reply(res, 200, { status: 'ignored', reason: event.reason });
    return;
  }
  if (!(await deps.store.markEventProcessed(event.id, EVENT_SOURCE))) {
    reply(res, 200, { status: 'duplicate' });
    return;
  }
  deps.invalidate?.(event.featureGroup);
  try {
    const result = await deps.watcher.check(event.featureGroup);
    deps.logger.info(`Event ${event.id} (${event.cause}) for feature group ${result.featureGroup}: ${result.outcome}`);
    reply(res, 200, { status: 'processed', featureGroup: result.featureGroup, outcome: result.outcome, ...(result.noticeId ? { noticeId: result.noticeId } : {}) });
  } catch (error) {
    await deps.store.forgetEvent(event.id, EVENT_SOURCE);
    deps.logger.warn(`Event ${event.id} for feature group ${event.featureGroup} could not be checked; EventBridge will retry:`, error);
    reply(res, 500, { status: 'error' });
  }
}

async function readBody(req: IncomingMessage): Promise<string | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
