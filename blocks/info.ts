import type { Message } from './common.js';
import { compact, context, section } from './elements.js';
import { BLOCK } from './ids.js';

/** A short informational reply (refresh, stats). Both texts are mrkdwn the caller has escaped. */
export function buildInfo(message: string, hint?: string): Message {
  return { text: message, blocks: compact([section(message, BLOCK.summary), hint ? context(hint, BLOCK.hint) : undefined]) };
}
