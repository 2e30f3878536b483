// The inputs Workflow Builder sends with function_executed, parsed with zod at the boundary. What
// Slack types itself (a date, a channel, the user context) is checked for shape only; what the
// domain judges (does the group exist, is the date acceptable, may this person announce) is left
// to the notice service, so a workflow gets the same answers as the modal.
import { z } from 'zod';
import { MAX_FEATURE_GROUP_REFERENCE } from '../../blocks/notices/index.js';

/** A required text input: missing, not text, or blank all say `needs`. */
const required = (needs: string) => z.string({ error: needs }).trim().min(1, needs);
/** A free-text input left empty in Workflow Builder arrives as '' or not at all: both mean "none". */
const optional = (schema: z.ZodString) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.trim().optional());

const featureGroup = required('needs a feature group (a name or an ARN)').max(
  MAX_FEATURE_GROUP_REFERENCE,
  `is too long to be a feature group name or ARN (${MAX_FEATURE_GROUP_REFERENCE} characters at most)`,
);

export const ImpactInputs = z.object({ feature_group: featureGroup });
export type ImpactInputs = z.infer<typeof ImpactInputs>;

export const AnnounceInputs = z.object({
  feature_group: featureGroup,
  kind: required('needs the kind of change'),
  effective_date: required('needs an effective date (YYYY-MM-DD)'),
  replacement: optional(z.string({ error: 'must be a feature group name' })),
  message: optional(z.string({ error: 'must be text' })),
  /** Some features only, as comma- or space-separated names; none: the whole group. Checked against the group by the service. */
  features: optional(z.string({ error: 'must be feature names separated by commas' })).transform((text) =>
    text === undefined ? undefined : [...new Set(text.split(/[\s,]+/).filter((name) => name !== ''))],
  ),
  /** What happens to those features: removal, retype or deprecation (the service checks it, and asks for it when features are named). */
  feature_change: optional(z.string({ error: 'must be removal, retype or deprecation' })),
  /**
   * slack#/types/user_context: who ran the workflow, set by Slack from the trigger (a builder
   * cannot type one in), so the announcer cannot be chosen freely. Its `secret` is not kept.
   */
  announcer: z.object(
    { id: z.string({ error: 'is not a Slack user' }).regex(/^[UW][A-Z0-9]+$/, 'is not a Slack user') },
    { error: 'needs the person who ran the workflow (a user context)' },
  ),
  /** slack#/types/channel_id: where the summary goes; default the announcer's DM. */
  channel: optional(z.string({ error: 'is not a Slack channel' }).regex(/^[CGD][A-Z0-9]+$/, 'is not a Slack channel')),
});
export type AnnounceInputs = z.infer<typeof AnnounceInputs>;

/** The inputs, or one sentence naming every input that is wrong and why. */
export function parseInputs<T>(schema: z.ZodType<T>, inputs: unknown): { inputs: T } | { problem: string } {
  const parsed = schema.safeParse(inputs ?? {});
  if (parsed.success) return { inputs: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'inputs'} ${issue.message}`);
  return { problem: `The step's inputs cannot be used: ${[...new Set(problems)].join('; ')}.` };
}
