import type { Message } from './common.js';
import { compact, context, section } from './elements.js';
import { BLOCK } from './ids.js';

/** A short error with what to try next. Both texts are mrkdwn the caller has escaped. */
export function buildError(message: string, hint?: string): Message {
  return {
    text: message,
    blocks: compact([section(`:warning: ${message}`, BLOCK.error), hint ? context(hint, BLOCK.hint) : undefined]),
  };
}
