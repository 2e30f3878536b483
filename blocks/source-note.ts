// The context line that says where an answer's data comes from, while that is the embedded demo
// account rather than the workspace's own SageMaker account. Every message, notice and view gets
// it from here, at the point it leaves for Slack; no builder writes it itself.
import type { AnyBlock } from '@slack/types';
import { context } from './elements.js';
import { BLOCK } from './ids.js';
import { LIMITS } from './text.js';

/** What the line says while the lineage source is the embedded demo. */
export const DEMO_SOURCE_NOTE =
  ':test_tube: *Demo data:* this comes from the embedded demo account, not from your SageMaker account. An administrator sets `LINEAGE_SOURCE` to read yours.';

/**
 * The message with the note as its last block (once, however often it is applied). A message
 * already at Slack's block limit gives up its last block for it: the note matters more.
 */
export function withSourceNote<T extends { blocks?: AnyBlock[] }>(message: T, note: string | undefined): T {
  const blocks = message.blocks ?? [];
  if (!note || blocks.some((block) => block.block_id === BLOCK.sourceNote)) return message;
  const kept = blocks.length >= LIMITS.blocks ? blocks.slice(0, LIMITS.blocks - 1) : blocks;
  return { ...message, blocks: [...kept, context(note, BLOCK.sourceNote)] };
}
