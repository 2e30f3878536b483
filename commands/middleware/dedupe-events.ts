import type { AnyMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { ConversationMemory } from '../deps.js';

/** Event ids this process has seen, for when the store cannot say: an hour covers Slack's retries (the last comes ~5 minutes later). */
const SEEN = { max: 10_000, ttl: 60 * 60 * 1000 };

/**
 * Global middleware: an event Slack delivers again (HTTP retries with X-Slack-Retry-Num, Socket
 * Mode retry_attempt) carries the same event_id; only its first delivery reaches the listeners.
 *
 * Bolt has already acknowledged the event (200) when this runs, so Slack will not deliver it
 * again on its own: if the store cannot be asked (it is down), skipping the event would lose it
 * for good. It is answered anyway, with a warning. That can only answer twice when Slack also
 * retries this very event while the store is down (its first acknowledgement was late); this
 * process remembers the ids it saw, so even that is caught unless the retry reaches another
 * replica. Not acknowledging instead, so that Slack retries, would lose the mention after
 * Slack's three retries (about five minutes) of an outage, and answer minutes late before that.
 */
export function dedupeEvents(memory: ConversationMemory, options: { ignored?: (event: Record<string, unknown>) => boolean } = {}) {
  const seen = new LRUCache<string, true>(SEEN);
  return async ({ body, next, logger }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const id = (body as { event_id?: unknown }).event_id;
    const event = (body as { event?: unknown }).event;
    // An event every listener ignores (most channel messages) is not worth a store write.
    if (typeof id !== 'string' || (options.ignored && typeof event === 'object' && event !== null && options.ignored(event as Record<string, unknown>))) {
      await next();
      return;
    }
    if (seen.has(id)) {
      logger.debug(`Skipping event ${id}: already handled by this process (a Slack retry)`);
      return;
    }
    seen.set(id, true);
    let first = true;
    try {
      first = await memory.markEventProcessed(id, 'slack');
    } catch (error) {
      logger.warn(`The store could not say whether event ${id} was handled before (${error instanceof Error ? error.message : String(error)}); answering it anyway`);
    }
    if (!first) {
      logger.debug(`Skipping event ${id}: already handled (a Slack retry)`);
      return;
    }
    await next();
  };
}
