// How answers reach Slack. In-channel answers are posted with chat.postMessage so the bot knows
// their timestamp and can remember what each thread is about; where the bot cannot post (a DM
// between people, a private channel it is not in) the command's response_url is used instead.
// A slow answer first shows "Looking up …", which the answer then replaces. Replies that only the
// clicker or asker sees (errors, notices' answers) go through `respond`, with the demo note added.
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { AnyBlock } from '@slack/types';
import type { Logger } from '@slack/logger';
import type { WebClient } from '@slack/web-api';
import type { ErrorText } from './errors.js';
import type { ConversationMemory, ThreadContext, ThreadKey } from './deps.js';
import { buildError, type Message } from '../blocks/index.js';
import { withSourceNote } from '../blocks/source-note.js';
import { MESSAGES } from './messages.js';

/** A reply, whether only the asker should see it, and what its thread will be about. */
export interface Reply {
  message: Message;
  ephemeral: boolean;
  context?: ThreadContext;
}

/** A reply only the asker sees: an error, and what to try next. */
export function errorReply(message: string, hint?: string): Reply {
  return { message: buildError(message, hint), ephemeral: true };
}

/** Where an answer goes: a channel (and thread), with a response_url as the fallback. */
export interface Destination {
  client: WebClient;
  channel: string;
  threadTs?: string;
  respond?: RespondFn;
}

/** Slack errors that mean "the bot may not post here", answered through the response_url instead. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'restricted_action', 'is_archived', 'cannot_reply_to_message']);

/** The Web API error code of a failed call (`missing_scope`, `not_in_channel`), if Slack gave one. */
export function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Runs `work`; if it takes longer than `afterMs`, calls `showLooking` first. */
export async function withLookingState<T>(work: Promise<T>, afterMs: number, showLooking: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), afterMs);
  });
  const first = await Promise.race([work.then(() => 'done' as const, () => 'done' as const), slow]);
  clearTimeout(timer);
  if (first === 'slow') await showLooking();
  return work;
}

export class AnswerDelivery {
  private lookingTs: string | undefined;
  private lookingViaRespond = false;

  constructor(
    private readonly destination: Destination,
    private readonly memory: ConversationMemory,
    private readonly logger: Logger,
    /** Added to every message delivered: where the data comes from, while it is the demo. */
    private readonly sourceNote?: string,
  ) {}

  /** Posts the short "looking…" message. Never throws: a failed placeholder must not lose the answer. */
  async showLooking(text: string): Promise<void> {
    const { client, channel, threadTs, respond } = this.destination;
    try {
      const posted = await client.chat.postMessage({ channel, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
      this.lookingTs = posted.ts;
    } catch (error) {
      if (!respond || !CANNOT_POST.has(slackError(error) ?? '')) {
        this.logger.warn(`Could not show the looking state: ${slackError(error) ?? (error as Error).message}`);
        return;
      }
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, text });
        this.lookingViaRespond = true;
      } catch (fallbackError) {
        this.logger.warn(`Could not show the looking state: ${(fallbackError as Error).message}`);
      }
    }
  }

  /** Delivers the reply, replacing the looking message; returns where an in-channel answer landed. */
  async deliver(reply: Reply): Promise<ThreadKey | undefined> {
    const { client, channel, threadTs } = this.destination;
    if (reply.ephemeral) {
      await this.removeLooking();
      await this.respondInstead(reply);
      return undefined;
    }
    const { text, blocks } = withSourceNote(reply.message, this.sourceNote);
    try {
      let ts: string | undefined;
      if (this.lookingTs) {
        await client.chat.update({ channel, ts: this.lookingTs, text, blocks });
        ts = this.lookingTs;
      } else {
        const posted = await client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}) });
        ts = posted.ts;
      }
      if (!ts) return undefined;
      const key = { channel, threadTs: threadTs ?? ts };
      if (reply.context) await this.remember(key, reply.context);
      return key;
    } catch (error) {
      if (CANNOT_POST.has(slackError(error) ?? '') && this.destination.respond) {
        await this.respondInstead(reply);
        return undefined;
      }
      this.logger.error(`Posting an answer failed: ${slackError(error) ?? (error as Error).message}`);
      await this.respondInstead({ message: buildError(MESSAGES.internal), ephemeral: true });
      return undefined;
    }
  }

  /**
   * Remembers what the answer's thread is about. The answer is out already: a store that cannot
   * record it costs only follow-ups in that thread, so it is logged, not answered with an error.
   */
  private async remember(key: ThreadKey, context: NonNullable<Reply['context']>): Promise<void> {
    try {
      await this.memory.saveThreadContext(key, context);
    } catch (error) {
      this.logger.warn(`Could not remember what thread ${key.threadTs} is about (${(error as Error).message}); follow-ups there will need the full question`);
    }
  }

  private async removeLooking(): Promise<void> {
    if (!this.lookingTs) return;
    try {
      await this.destination.client.chat.delete({ channel: this.destination.channel, ts: this.lookingTs });
    } catch (error) {
      this.logger.warn(`Could not remove the looking message: ${slackError(error) ?? (error as Error).message}`);
    }
    this.lookingTs = undefined;
  }

  private async respondInstead(reply: Reply): Promise<void> {
    const { respond, client, channel, threadTs } = this.destination;
    const { text, blocks } = withSourceNote(reply.message, this.sourceNote);
    if (respond) {
      await respond({
        response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
        // An ephemeral "looking" can only be replaced by another ephemeral message.
        replace_original: this.lookingViaRespond && reply.ephemeral,
        text,
        blocks,
      });
      return;
    }
    // Events have no response_url: an error goes into the thread it answers.
    await client.chat.postMessage({ channel, text, blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }
}

/** `respond`, adding the source note to every message with blocks it sends. */
export function notedRespond(respond: RespondFn, note: string | undefined): RespondFn {
  if (!note) return respond;
  return (message) => {
    // Text alone stays text alone: blocks would replace what Slack shows.
    const blocks = typeof message === 'string' ? undefined : (message as { blocks?: AnyBlock[] }).blocks;
    if (typeof message === 'string' || !blocks) return respond(message);
    return respond({ ...message, blocks: withSourceNote({ blocks }, note).blocks } as RespondArguments);
  };
}

/** Tells only the person who asked, leaving the message they clicked as it is. */
export async function respondError(respond: RespondFn, error: ErrorText): Promise<void> {
  const message = buildError(error.message, error.hint);
  await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
}
