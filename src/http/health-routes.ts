// GET /healthz and GET /readyz, served beside /slack/events (HTTP mode) or on PORT (Socket Mode).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { InFlight } from '../in-flight.js';
import type { CachedLineageSource } from '../lineage/cache.js';
import type { LineageService } from '../lineage/service.js';
import type { Store } from '../store/index.js';
import type { Readiness } from './readiness.js';

/** How long a health check waits for the store before calling it unavailable. */
export const STORE_CHECK_MS = 2000;

/** Whether the store answers a trivial query within STORE_CHECK_MS. */
async function storeState(store: Store): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), STORE_CHECK_MS);
  });
  const answered = store.ping().then(
    () => 'ok' as const,
    () => 'unavailable' as const,
  );
  const state = await Promise.race([answered, late]);
  clearTimeout(timer);
  return state;
}

/**
 * GET /healthz: the process serves (always 200, so a liveness probe never restarts a bot because
 * its database is down — a restart would not bring it back), and says whether the store answers.
 * GET /readyz: the store, Slack (auth.test done) and SageMaker (the last call), each with its
 * status; 503 while a required one is down — the store always, Slack outside the console,
 * SageMaker when it is the lineage source.
 */
export function healthRoutes(service: LineageService, inFlight: InFlight, cache: CachedLineageSource, store: Store, readiness: Readiness): CustomRoute[] {
  const json = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const state = await storeState(store);
        json(res, 200, { status: state === 'ok' ? 'ok' : 'degraded', store: state, source: service.sourceDescription, inFlight: inFlight.size, cache: cache.stats() });
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const { ready, checks } = readiness.report(await storeState(store));
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...checks });
      },
    },
  ];
}
