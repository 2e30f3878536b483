import type { AnyMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import type { ConversationMemory } from '../deps.js';

/**
 * Global middleware: an event Slack delivers again (HTTP retries with X-Slack-Retry-Num, Socket
 * Mode retry_attempt) carries the same event_id; only its first delivery reaches the listeners.
 * Bolt has already acknowledged events by now, so a skipped retry still gets its 200.
 */
export function dedupeEvents(memory: ConversationMemory) {
  return async ({ body, next, logger }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const id = (body as { event_id?: unknown }).event_id;
    if (typeof id === 'string' && !(await memory.markEventProcessed(id, 'slack'))) {
      logger.debug(`Skipping event ${id}: already handled (a Slack retry)`);
      return;
    }
    await next();
  };
}
