import type { AnyMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import type { InFlight } from '../../src/in-flight.js';

/** Global middleware: every request's listeners are tracked until they finish (graceful shutdown). */
export function trackInFlight(inFlight: InFlight) {
  return async ({ next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await inFlight.track(next());
  };
}
