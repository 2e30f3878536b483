import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { postPicture } from './graph.js';

/**
 * Only the word alone, as a reply of its own ("graph", "Picture?"): people talk about graphs in
 * threads, and a sentence that merely contains the word must not make the bot draw.
 */
export const LONE_GRAPH_WORD = /^\s*(graph|picture|diagram)\s*[.!?]*\s*$/i;

/** Whether a message event is a reply "graph" in some thread: the only messages the bot acts on. */
export function isGraphReply(event: { type?: unknown; subtype?: unknown; thread_ts?: unknown; text?: unknown }): boolean {
  // Edits, joins, bot messages (its own pictures included) carry a subtype; people's replies do not.
  return event.type === 'message' && event.subtype === undefined && typeof event.thread_ts === 'string' && typeof event.text === 'string' && LONE_GRAPH_WORD.test(event.text);
}

/**
 * A plain reply "graph" in the thread of one of the bot's answers (no mention needed): the picture
 * of the thread's entity, into the thread. Any other message, and any thread that is not the bot's,
 * is left alone without a word — the bot sees every message of the channels it is in.
 */
export function threadMessage(deps: ListenerDeps) {
  return async ({ event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>): Promise<void> => {
    if (!isGraphReply(event) || !('thread_ts' in event) || !event.thread_ts) return;
    const key = { channel: event.channel, threadTs: event.thread_ts };
    let remembered;
    try {
      remembered = await deps.memory.getThreadContext(key);
    } catch (error) {
      // Not a mention: nobody asked the bot by name, so a store outage is logged, not answered.
      logger.warn(`Could not read what thread ${key.threadTs} is about (${(error as Error).message}); not drawing`);
      return;
    }
    if (!remembered) return;
    await postPicture(deps, { input: remembered.input, view: 'lineage' }, key, { client, logger });
  };
}
