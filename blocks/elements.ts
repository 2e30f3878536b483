// Small typed constructors for the blocks this bot uses. Limits are applied here, so no builder
// can produce a block Slack would reject.
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { z } from 'zod';
import { QUESTION_NAMES, type QuestionName } from '../src/lineage/questions.js';
import { NEXT_STEP_ACTION } from './ids.js';
import { jsonCodec } from './json-codec.js';
import { LIMITS, truncate } from './text.js';

export function header(text: string, blockId: string): HeaderBlock {
  return { type: 'header', block_id: blockId, text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: false } };
}

/** A section of mrkdwn that the caller has already escaped. */
export function section(mrkdwn: string, blockId: string): SectionBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function context(mrkdwn: string, blockId: string): ContextBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) }] };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** What a "next step" button asks. */
export interface NextStep {
  label: string;
  question: QuestionName;
  input: string;
  as?: 'Model' | 'Endpoint';
  /** For "more results": the page to show (0 is the first). */
  page?: number;
}

/**
 * The fields a next-step button's value carries. Any input a button could be built with is
 * accepted: the button value's own limit bounds it.
 */
export const NextStepValue = z.object({
  q: z.enum(QUESTION_NAMES),
  i: z.string().min(1).max(LIMITS.buttonValue),
  as: z.enum(['Model', 'Endpoint']).optional(),
  p: z.number().int().min(0).max(10_000).optional(),
});

/** The value's one codec: nextSteps encodes with it, the next-step listener decodes with it. */
const NextStepButton = jsonCodec(NextStepValue);

export function encodeNextStep(step: Omit<NextStep, 'label'>): string | undefined {
  return NextStepButton.tryEncode({ q: step.question, i: step.input, ...(step.as ? { as: step.as } : {}), ...(step.page ? { p: step.page } : {}) });
}

/** The step a button asks for, or undefined for a value this version of the bot did not make. */
export function decodeNextStep(value: string | undefined): Omit<NextStep, 'label'> | undefined {
  const fields = NextStepButton.decode(value);
  return fields && { question: fields.q, input: fields.i, ...(fields.as ? { as: fields.as } : {}), ...(fields.p !== undefined ? { page: fields.p } : {}) };
}

/** An actions block of next-step buttons; steps whose value would exceed Slack's limit are left out. */
export function nextSteps(steps: readonly NextStep[], blockId: string): ActionsBlock | undefined {
  const buttons: Button[] = [];
  for (const step of steps) {
    const value = encodeNextStep(step);
    if (value === undefined || value.length > LIMITS.buttonValue) continue;
    buttons.push({
      type: 'button',
      action_id: `${NEXT_STEP_ACTION}:${buttons.length}`,
      text: { type: 'plain_text', text: truncate(step.label, LIMITS.buttonText), emoji: false },
      value,
    });
    if (buttons.length === LIMITS.actionsElements) break;
  }
  return buttons.length > 0 ? { type: 'actions', block_id: blockId, elements: buttons } : undefined;
}

/** Drops undefined entries and keeps a message within Slack's block limit. */
export function compact(blocks: readonly (KnownBlock | undefined)[]): KnownBlock[] {
  const present = blocks.filter((block): block is KnownBlock => block !== undefined);
  if (present.length <= LIMITS.blocks) return present;
  const kept = present.slice(0, LIMITS.blocks - 1);
  kept.push(context(`…${present.length - kept.length} more blocks were left out.`, 'lineage_overflow'));
  return kept;
}
