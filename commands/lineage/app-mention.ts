import { recogniseQuestions } from '../../src/lineage/recognise.js';
import type { AllMiddlewareArgs, Logger, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildError } from '../../blocks/index.js';
import { KINDS, type Kind } from '../../src/lineage/classify.js';
import { followUpHints, interpretFollowUp } from '../../src/lineage/followups.js';
import { replyToCommand, replyToQuestion } from './answer.js';
import type { ListenerDeps, ThreadContext } from '../deps.js';
import { impactMessage } from '../notices/impact-subcommand.js';
import { AnswerDelivery, errorReply, type Reply } from '../reply.js';
import { HINTS, MESSAGES, NOTICE_MESSAGES } from '../messages.js';
import { readSlackText } from '../slack-text.js';
import { parseCommandText } from '../subcommands.js';
import { GRAPH_WORDS, postPicture } from './graph.js';

/** The text after the bot's own mention(s). */
export function stripMentions(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

function hint(text: string): Reply {
  return { message: buildError(text), ephemeral: false };
}

/**
 * "@Lineage impact customers" is answered as the command is, in the thread; "@Lineage deprecate"
 * cannot open the announcement form (a mention carries no trigger id), so it says how to.
 * Without Slack notices (console mode) both say they need it, as the command does.
 */
async function noticeReply(action: 'impact' | 'deprecate', input: string, deps: ListenerDeps, logger: Logger): Promise<Reply> {
  if (!deps.notices) return errorReply(MESSAGES.noticesNeedSlack);
  if (action === 'deprecate') return errorReply(NOTICE_MESSAGES.deprecateNeedsCommand(input));
  return { message: (await impactMessage(deps.notices, input, logger)).message, ephemeral: false };
}

/** Where a message to the bot was said: its channel, its own ts, and the thread it is in (if any). */
export interface Said {
  channel: string;
  ts: string;
  threadTs?: string;
}

/** What answering a message did: the reply delivered, and what its thread was about before. */
export interface Answered {
  reply?: Reply;
  remembered?: ThreadContext;
}

/**
 * The mention path's answer to a message addressed to the bot, its mentions already stripped: in
 * the thread of one of the bot's answers, a follow-up about that thread's entity ("which
 * endpoints?", "upstream", "owners"); anywhere else, read like the slash command. Mentions and the
 * assistant pane (commands/lineage/assistant.ts) both answer through it.
 * The thread's entity comes from the bot's own store, never from reading channel history.
 */
export async function answerMessage(
  text: string,
  said: Said,
  deps: ListenerDeps,
  { client, logger }: Pick<AllMiddlewareArgs, 'client' | 'logger'>,
): Promise<Answered> {
  const threadTs = said.threadTs ?? said.ts;
  const delivery = new AnswerDelivery({ client, channel: said.channel, threadTs }, deps.memory, logger, deps.sourceNote);
  const explicit = parseCommandText(text);
  let remembered: ThreadContext | undefined;
  let forgotten = false;
  if (said.threadTs) {
    try {
      remembered = await deps.memory.getThreadContext({ channel: said.channel, threadTs: said.threadTs });
    } catch (error) {
      // The store is down: the mention is still answered, as if the thread were not the bot's.
      forgotten = true;
      logger.warn(`Could not read what thread ${said.threadTs} is about (${(error as Error).message}); answering the mention without it`);
    }
  }

  // "@Lineage graph" (or "draw it") in the thread of an answer: the picture of the thread's entity, into the thread.
  const graphWanted = explicit.kind === 'graph' ? undefined : remembered && (explicit.kind === 'missing' || explicit.kind === 'unknown') && GRAPH_WORDS.test(text);
  if (graphWanted && remembered) {
    await postPicture(deps, { input: remembered.input, view: 'lineage' }, { channel: said.channel, threadTs }, { client, logger });
    return { remembered };
  }

  let reply: Reply;
  if (explicit.kind === 'notice') {
    reply = await noticeReply(explicit.action, explicit.input, deps, logger);
  } else if (explicit.kind === 'unknown' && !remembered) {
    // A sentence rather than a command ("@Lineage what uses customers?"): answer about what it names.
    const [request] = await recogniseQuestions(deps.service.lineageSource, readSlackText(text), 1, { byWords: true });
    // A name alone that no index knows (a training job, a data source's file) is looked up as the command would.
    reply = request
      ? await replyToQuestion(request, deps.service, logger)
      : explicit.bare
        ? await replyToCommand(explicit, deps, logger)
        : hint(forgotten ? HINTS.threadUnavailable : HINTS.mention);
  } else if (explicit.kind === 'question' || !remembered) {
    reply = await replyToCommand(explicit, deps, logger);
  } else {
    const kind: Kind = (KINDS as readonly string[]).includes(remembered.kind) ? (remembered.kind as Kind) : 'Other';
    const request = interpretFollowUp(text, { kind, input: remembered.input });
    reply = request
      ? await replyToQuestion(request, deps.service, logger)
      : hint(HINTS.followUp(remembered.name, [...followUpHints(kind), 'graph']));
  }
  // Mentions have no response_url: every reply, errors included, goes into the thread.
  const key = await delivery.deliver({ ...reply, ephemeral: false });
  // "@Lineage graph fraud-detector": the answer, then its picture under it (not under an error).
  if (explicit.kind === 'graph' && key && reply.context) await postPicture(deps, { input: explicit.input, view: 'lineage' }, key, { client, logger });
  return { reply, ...(remembered ? { remembered } : {}) };
}

/** "@Lineage …" in a channel or thread: answered where it was said, in its thread. */
export function appMention(deps: ListenerDeps) {
  return async ({ event, client, context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>): Promise<void> => {
    const said = { channel: event.channel, ts: event.ts, ...(event.thread_ts ? { threadTs: event.thread_ts } : {}) };
    await answerMessage(stripMentions(event.text, context.botUserId), said, deps, { client, logger });
  };
}
