// Small helpers shared by the notice listeners: an ephemeral error reply.
import type { RespondFn } from '@slack/bolt';
import { buildError } from '../../blocks/index.js';
import type { ErrorText } from './errors.js';

/** Tells only the person who asked, leaving the message they clicked as it is. */
export async function respondError(respond: RespondFn, error: ErrorText): Promise<void> {
  const message = buildError(error.message, error.hint);
  await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
}
