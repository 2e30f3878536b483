// Small helpers shared by the notice listeners: an ephemeral error reply, and the demo note.
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { AnyBlock } from '@slack/types';
import { buildError } from '../../blocks/index.js';
import { withSourceNote } from '../../blocks/source-note.js';
import type { ErrorText } from './errors.js';

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
