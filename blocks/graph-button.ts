// The Graph button every answer about an entity carries: pressing it posts a picture of the
// lineage around the entity (or, under an impact answer, the blast radius of the feature group)
// into the answer's thread. Its value has one codec, here beside the builder that writes it.
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { z } from 'zod';
import { compact } from './elements.js';
import { BLOCK, GRAPH_ACTION } from './ids.js';
import { jsonCodec } from './json-codec.js';
import { LIMITS } from './text.js';

/** The fields a Graph button's value carries: what to draw, and which picture. */
export const GraphValue = z.object({
  i: z.string().min(1).max(LIMITS.buttonValue),
  /** Absent: the lineage around the entity; "impact": what a change to the feature group reaches. */
  v: z.enum(['impact']).optional(),
});
export type GraphValue = z.infer<typeof GraphValue>;

export interface GraphRequest {
  input: string;
  view: 'lineage' | 'impact';
}

const GraphButtonValue = jsonCodec(GraphValue);

/** The picture a Graph button asks for, or undefined for a value this version of the bot did not make. */
export function decodeGraph(value: string | undefined): GraphRequest | undefined {
  const fields = GraphButtonValue.decode(value);
  return fields && { input: fields.i, view: fields.v ?? 'lineage' };
}

export const GRAPH_LABEL = 'Graph';

/** The button, or undefined when the input is too long to travel in a button's value. */
export function graphButton(request: GraphRequest): Button | undefined {
  const value = GraphButtonValue.tryEncode({ i: request.input, ...(request.view === 'impact' ? { v: 'impact' as const } : {}) });
  if (value === undefined || value.length > LIMITS.buttonValue) return undefined;
  return { type: 'button', action_id: GRAPH_ACTION, text: { type: 'plain_text', text: GRAPH_LABEL, emoji: false }, value };
}

/** A row of its own holding the Graph button (an answer without next steps, the impact answer). */
export function graphRow(request: GraphRequest, blockId: string = BLOCK.nextSteps): ActionsBlock | undefined {
  const button = graphButton(request);
  return button && { type: 'actions', block_id: blockId, elements: [button] };
}

/**
 * `blocks` with the Graph button last among the next steps (a row of its own when the answer
 * has none), within Slack's limits: a full row gives up its last step, a full message its last block.
 */
export function withGraphButton(blocks: readonly KnownBlock[], request: GraphRequest): KnownBlock[] {
  const button = graphButton(request);
  if (!button) return [...blocks];
  const index = blocks.findIndex((block) => block.type === 'actions' && block.block_id === BLOCK.nextSteps);
  if (index >= 0) {
    const row = blocks[index] as ActionsBlock;
    const merged: ActionsBlock = { ...row, elements: [...row.elements.slice(0, LIMITS.actionsElements - 1), button] };
    return blocks.map((block, i) => (i === index ? merged : block));
  }
  const row: ActionsBlock = { type: 'actions', block_id: BLOCK.nextSteps, elements: [button] };
  if (blocks.length < LIMITS.blocks) return [...blocks, row];
  // Full (its last block says what was left out): the row takes the place of the block before that note.
  return compact([...blocks.slice(0, LIMITS.blocks - 2), row, blocks[blocks.length - 1]]);
}
