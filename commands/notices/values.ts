// The deprecate modal's input state as Slack sends it back, parsed with zod at the boundary.
// Values the bot writes itself (buttons, private_metadata) have their codec beside their builder
// (blocks/notices/button-value.ts, blocks/notices/deprecate-modal.ts).
import { z } from 'zod';
import { DEPRECATE_MODAL, MOVE_MODAL } from '../../blocks/notices/ids.js';

/** One input's state: Slack sends every input block, with null for what was left empty. */
const state = z.record(z.string(), z.record(z.string(), z.object({
  selected_option: z.object({ value: z.string() }).nullable().optional(),
  selected_options: z.array(z.object({ value: z.string() })).nullable().optional(),
  selected_date: z.string().nullable().optional(),
  value: z.string().nullable().optional(),
})));

export interface DeprecateForm {
  kind: string;
  effectiveDate: string;
  replacement?: string;
  note?: string;
  /** Features picked (none: the whole group), and what happens to them as chosen ('' when not). */
  features?: string[];
  featureChange?: string;
}

/** The form's fields, trimmed; empty optional fields are left out. */
export function parseDeprecateForm(values: unknown): DeprecateForm {
  const parsed = state.safeParse(values);
  const at = (block: string, action: string) => (parsed.success ? parsed.data[block]?.[action] : undefined);
  const text = (value: string | null | undefined) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  };
  const replacement = text(at(DEPRECATE_MODAL.replacementBlock, DEPRECATE_MODAL.replacementAction)?.value);
  const note = text(at(DEPRECATE_MODAL.noteBlock, DEPRECATE_MODAL.noteAction)?.value);
  const features = [...new Set((at(DEPRECATE_MODAL.featuresBlock, DEPRECATE_MODAL.featuresAction)?.selected_options ?? []).map((o) => o.value))];
  const featureChange = at(DEPRECATE_MODAL.featureChangeBlock, DEPRECATE_MODAL.featureChangeAction)?.selected_option?.value;
  return {
    kind: at(DEPRECATE_MODAL.kindBlock, DEPRECATE_MODAL.kindAction)?.selected_option?.value ?? '',
    effectiveDate: at(DEPRECATE_MODAL.dateBlock, DEPRECATE_MODAL.dateAction)?.selected_date ?? '',
    ...(replacement ? { replacement } : {}),
    ...(note ? { note } : {}),
    // What happens to features is asked only of features picked: with none, the whole group changes as the kind says.
    ...(features.length > 0 ? { features, featureChange: featureChange ?? '' } : {}),
  };
}

/** The move-date modal's one field: the date picked, or '' when none was. */
export function parseMoveForm(values: unknown): { effectiveDate: string } {
  const parsed = state.safeParse(values);
  return { effectiveDate: (parsed.success ? parsed.data[MOVE_MODAL.dateBlock]?.[MOVE_MODAL.dateAction]?.selected_date : undefined) ?? '' };
}
