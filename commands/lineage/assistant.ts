// The assistant pane (Slack's Agents & AI Apps): opening it suggests questions about what the
// channel beside it asked about lately and the person's own models; a message in it is answered exactly as a mention is (answerMessage), with a
// working status while it runs and the thread titled after its first answered question. No
// language model: a question it cannot read gets the mention path's help.
import { Assistant, type AllMiddlewareArgs } from '@slack/bolt';
import type { AssistantThreadContextStore, AssistantThreadContext } from '@slack/bolt/dist/AssistantThreadContextStore.js';
import type { ListenerDeps, ThreadKey } from '../deps.js';
import { HINTS } from '../messages.js';
import { slackError } from '../reply.js';
import { readSlackText } from '../slack-text.js';
import { answerMessage, stripMentions } from './app-mention.js';
import { ownedByUser } from './app-home-opened.js';
import { MAX_PROMPTS, PROMPTS_TITLE, suggestedPrompts } from './assistant-prompts.js';

/** Slack's limit on a thread title is not documented; the pane shows about one line. */
export const TITLE_MAX = 80;
export const WORKING_STATUS = 'is looking it up…';

/** Whether an event is a person's message in an assistant thread (what Bolt's Assistant takes). */
export function isAssistantMessage(event: Record<string, unknown>): boolean {
  return event['type'] === 'message' && event['channel_type'] === 'im' && typeof event['thread_ts'] === 'string' && event['subtype'] === undefined;
}

/**
 * Where the channel an assistant thread was opened beside is kept: in the bot's own conversation
 * memory (durable, shared by replicas), under the thread's key with a suffix so that it never
 * mixes with what the thread's answers are about. Bolt's default store reads thread history instead.
 */
export function contextKey(channel: string, threadTs: string): ThreadKey {
  return { channel, threadTs: `${threadTs}#assistant-context` };
}

interface ThreadInfo {
  channel: string;
  threadTs: string;
  context?: AssistantThreadContext;
}

function threadInfo(payload: unknown): ThreadInfo | undefined {
  const p = payload as { assistant_thread?: { channel_id?: unknown; thread_ts?: unknown; context?: AssistantThreadContext }; channel?: unknown; thread_ts?: unknown };
  const thread = p.assistant_thread;
  if (thread && typeof thread.channel_id === 'string' && typeof thread.thread_ts === 'string') {
    return { channel: thread.channel_id, threadTs: thread.thread_ts, ...(thread.context ? { context: thread.context } : {}) };
  }
  if (typeof p.channel === 'string' && typeof p.thread_ts === 'string') return { channel: p.channel, threadTs: p.thread_ts };
  return undefined;
}

export function memoryContextStore(deps: Pick<ListenerDeps, 'memory'>): AssistantThreadContextStore {
  return {
    async get({ payload }) {
      const info = threadInfo(payload);
      if (!info) return {};
      const saved = await deps.memory.getThreadContext(contextKey(info.channel, info.threadTs));
      return saved?.input ? { channel_id: saved.input } : {};
    },
    async save({ payload }) {
      const info = threadInfo(payload);
      const channelId = info?.context?.channel_id;
      if (!info || !channelId) return;
      await deps.memory.saveThreadContext(contextKey(info.channel, info.threadTs), { question: 'assistant-context', input: channelId, kind: 'SlackChannel', name: channelId });
    },
  };
}

/** How many of the channel's latest answers are read for prompts: one indexed query, no Slack history. */
export const RECENT_ANSWERS = 20;

/** What the bot's latest answers in a channel were about, as the store remembers them (never read from Slack). */
async function recentSubjects(channel: string, deps: Pick<ListenerDeps, 'memory'>, logger: AllMiddlewareArgs['logger']): Promise<{ kind: string; name: string }[]> {
  try {
    return (await deps.memory.recentThreadContexts(channel, RECENT_ANSWERS)).map(({ kind, name }) => ({ kind, name }));
  } catch (error) {
    logger.warn(`Could not read what channel ${channel} asked about lately (${(error as Error).message}); suggesting from the person's models only`);
    return [];
  }
}

/** A thread's title from the question as typed: plain text (Slack's markup and entities read), one line, cut to TITLE_MAX. */
export function threadTitle(text: string): string {
  const plain = readSlackText(text).plain.replace(/\s+/g, ' ').trim() || DEFAULT_TITLE;
  return plain.length > TITLE_MAX ? `${plain.slice(0, TITLE_MAX - 1)}…` : plain;
}

/** A thread whose first question was only markup (a link, a mention). */
export const DEFAULT_TITLE = 'Lineage question';

/** A call that only decorates the pane (prompts, status, title): logged when Slack refuses it, never in the answer's way. */
async function decorate(what: string, call: () => Promise<unknown>, logger: AllMiddlewareArgs['logger']): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    logger.warn(`Could not set the assistant thread's ${what}: ${slackError(error) ?? (error as Error).message}`);
    return false;
  }
}

export function lineageAssistant(deps: ListenerDeps): Assistant {
  const threadContextStore = memoryContextStore(deps);
  return new Assistant({
    threadContextStore,
    threadStarted: async (args) => {
      const { event, client, logger, setSuggestedPrompts, say } = args;
      const user = event.assistant_thread.user_id;
      await decorate('context', () => threadContextStore.save(args), logger);
      const channel = event.assistant_thread.context.channel_id;
      const [owned, recent] = await Promise.all([
        ownedByUser(user, deps, { client, logger }, MAX_PROMPTS).catch((error: unknown) => {
          logger.warn(`Could not find the models of user ${user} for suggested prompts: ${(error as Error).message}`);
          return undefined;
        }),
        channel ? recentSubjects(channel, deps, logger) : [],
      ]);
      const prompts = suggestedPrompts(owned, recent);
      const shown = await decorate('suggested prompts', () => setSuggestedPrompts({ prompts, title: PROMPTS_TITLE }), logger);
      // Without the prompts (Slack said 429 or 5xx) the greeting names them, so nothing is lost.
      const text = shown ? HINTS.assistantGreeting : `${HINTS.assistantGreeting}\n${HINTS.assistantTry(prompts.map((p) => p.message))}`;
      await say({ text });
    },
    threadContextChanged: async (args) => {
      await threadContextStore.save(args);
    },
    userMessage: async ({ message, client, context, logger, setStatus, setTitle }) => {
      if (!('text' in message) || typeof message.text !== 'string' || !('thread_ts' in message) || typeof message.thread_ts !== 'string') return;
      if ('bot_id' in message && message.bot_id) return;
      await decorate('status', () => setStatus(WORKING_STATUS), logger);
      const said = { channel: message.channel, ts: message.ts, threadTs: message.thread_ts };
      const text = stripMentions(message.text, context.botUserId);
      const answered = await answerMessage(text, said, deps, { client, logger });
      // Titled in the person's words, until the thread is about something (its first answered question).
      if (!answered.remembered) {
        await decorate('title', () => setTitle(threadTitle(text)), logger);
      }
    },
  });
}
