// The `/lineage deprecate <feature-group>` modal: the impact at the top (who would be told, who
// cannot be), then the kind of change, the effective date, a replacement and a note. It opens at
// once, before anything is looked up, with the impact "being worked out" (a trigger_id lasts 3
// seconds), and is updated when the check and the impact are known: with the impact (the inputs
// keep their ids, so what the user typed meanwhile stays), or — when the user may not announce or
// the check failed — with why, and nothing to submit.
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { Impact } from '../../src/notices/impact.js';
import { FEATURE_CHANGES, type FeatureChange } from '../../src/notices/model.js';
import { jsonCodec } from '../json-codec.js';
import { MAX_NOTE_LENGTH } from '../../src/notices/service.js';
import { code, escape, fitLines, LIMITS, plural, truncate } from '../text.js';
import { context, section } from '../elements.js';
import { DEPRECATE_MODAL } from './ids.js';
import { lineageCutReason, unreachableLine } from './words.js';

/**
 * Longest feature group reference accepted: SageMaker's names are at most 64 characters and their
 * ARNs well under this. The modal carries it in private_metadata before it is checked.
 */
export const MAX_FEATURE_GROUP_REFERENCE = 256;

/** What the modal remembers between opening and submission (private_metadata). */
export interface DeprecateModalMetadata {
  featureGroup: string;
  /** The channel the command was used in: the summary is posted there. */
  channelId: string;
}

/**
 * private_metadata's one codec. A conversation id is a C (channel), G (private channel) or D (DM)
 * followed by letters and digits; its length is Slack's business.
 */
export const ModalMetadata = jsonCodec(
  z.object({
    fg: z.string().min(1).max(MAX_FEATURE_GROUP_REFERENCE),
    c: z.string().regex(/^[CDG][A-Z0-9]+$/),
  }),
);

export function encodeModalMetadata(metadata: DeprecateModalMetadata): string {
  return ModalMetadata.encode({ fg: metadata.featureGroup, c: metadata.channelId });
}

/** The metadata the modal was opened with, or undefined for a view this version of the bot did not make. */
export function decodeModalMetadata(text: string | undefined): DeprecateModalMetadata | undefined {
  const fields = ModalMetadata.decode(text);
  return fields && { featureGroup: fields.fg, channelId: fields.c };
}

export interface DeprecateModalInput extends DeprecateModalMetadata {
  /** Undefined while it is being worked out. */
  impact?: Impact;
  /** Shown instead of the impact when it could not be worked out (mrkdwn, escaped by the caller). */
  impactProblem?: string;
  /**
   * Why this user cannot announce here (not an owner or admin, no such feature group, the check
   * failed), mrkdwn escaped by the caller: the modal shows it instead of the form.
   */
  refusal?: { message: string; hint?: string };
  /** The date the picker starts on, YYYY-MM-DD. */
  initialDate: string;
  /** The group's features, once it is known the user may announce: offered to pick some of them. */
  features?: readonly { name: string; type: string }[];
}

/**
 * Most options a static select holds (Block Kit): a group with more features gets a select whose
 * options the bot looks up as the user types (FEATURE_OPTIONS_SHOWN at a time).
 */
export const MAX_STATIC_OPTIONS = 100;

/** A feature as an option: its name (the value) and type; text within Block Kit's 75 characters. */
export function featureOption(feature: { name: string; type: string }): PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(`${feature.name} (${feature.type})`, LIMITS.optionText), emoji: false }, value: feature.name };
}

/** What happens to the features picked, as the form offers it. */
const FEATURE_CHANGE_OPTIONS: Record<FeatureChange, string> = {
  removal: 'They are removed',
  retype: 'Their type changes',
  deprecation: 'They are deprecated',
};

function featureInputs(features: readonly { name: string; type: string }[]): InputBlock[] {
  if (features.length === 0) return [];
  const many = features.length > MAX_STATIC_OPTIONS;
  return [
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.featuresBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Only these features' },
      element: many
        ? { type: 'multi_external_select', action_id: DEPRECATE_MODAL.featuresAction, min_query_length: 0, placeholder: { type: 'plain_text', text: 'Type to find features' } }
        : { type: 'multi_static_select', action_id: DEPRECATE_MODAL.featuresAction, options: features.map(featureOption), placeholder: { type: 'plain_text', text: 'The whole group' } },
      hint: {
        type: 'plain_text',
        text:
          (many ? `The group has ${features.length} features: type part of a name to find one. ` : '') +
          'None picked: the whole group. Picked: only models whose recorded queries use them are told, and those whose queries are not known, as "may be affected".',
      },
    },
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.featureChangeBlock,
      optional: true,
      label: { type: 'plain_text', text: 'What happens to them' },
      element: {
        type: 'static_select',
        action_id: DEPRECATE_MODAL.featureChangeAction,
        options: FEATURE_CHANGES.map((change) => ({ text: { type: 'plain_text', text: FEATURE_CHANGE_OPTIONS[change] }, value: change })),
      },
      hint: { type: 'plain_text', text: 'Needed when features are picked; left aside otherwise.' },
    },
  ];
}

const KIND_OPTIONS: { value: string; text: string; description: string }[] = [
  { value: 'deprecation', text: 'Deprecation', description: 'The feature group will stop being maintained or be removed' },
  { value: 'breaking_schema_change', text: 'Breaking schema change', description: 'Features removed, renamed or retyped' },
  { value: 'data_change', text: 'Data change', description: 'Same schema, different data (source, logic, backfill)' },
];

function impactText(input: DeprecateModalInput): string {
  if (input.impactProblem) return `:warning: ${input.impactProblem}`;
  const impact = input.impact;
  if (!impact) return `:hourglass_flowing_sand: Working out who depends on ${code(input.featureGroup)}…`;
  const cut = impact.truncation;
  // A walk cut short: owners of what lies beyond it will not hear of the change, and that is said.
  const beyond = cut ? `:warning: The lineage walk stopped early (${lineageCutReason(cut)}): owners of models and endpoints beyond it will not be told.` : undefined;
  if (impact.recipients.length === 0 && impact.unreachable.length === 0) {
    return cut
      ? `Nothing found downstream of ${code(impact.featureGroup.name)} before the lineage walk stopped has an owner to tell. ${beyond} The notice will still be recorded and summarised here.`
      : `Nothing downstream of ${code(impact.featureGroup.name)} has an owner to tell. The notice will still be recorded and summarised here.`;
  }
  const indirect = impact.resources.filter((r) => r.through).length;
  return fitLines(
    [
      `This notice will reach *${plural(impact.recipients.length, 'owner', 'owners')}* of ${cut ? 'at least ' : ''}${plural(impact.resources.length, 'model or endpoint', 'models and endpoints')} downstream of ${code(impact.featureGroup.name)}` +
        (indirect > 0 ? ` (${indirect} of them through feature groups built from it)` : '') +
        ':',
      ...impact.recipients.map((r) => `• ${escape(r.label)} — ${r.resources.map((x) => code(x.name)).join(', ')}`),
      ...(impact.unreachable.length > 0 ? ['*Cannot be reached* (listed on the notice):', ...impact.unreachable.map(unreachableLine)] : []),
      ...(beyond ? [beyond] : []),
    ],
    LIMITS.sectionText,
  );
}

const option = (o: (typeof KIND_OPTIONS)[number]): PlainTextOption => ({
  text: { type: 'plain_text', text: o.text },
  description: { type: 'plain_text', text: o.description },
  value: o.value,
});

function inputs(initialDate: string, features: readonly { name: string; type: string }[]): InputBlock[] {
  const first = KIND_OPTIONS[0] as (typeof KIND_OPTIONS)[number];
  return [
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.kindBlock,
      label: { type: 'plain_text', text: 'Kind of change' },
      element: { type: 'radio_buttons', action_id: DEPRECATE_MODAL.kindAction, options: KIND_OPTIONS.map(option), initial_option: option(first) },
    },
    ...featureInputs(features),
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.dateBlock,
      label: { type: 'plain_text', text: 'Effective date (UTC)' },
      element: { type: 'datepicker', action_id: DEPRECATE_MODAL.dateAction, initial_date: initialDate },
      hint: { type: 'plain_text', text: 'The change counts from 00:00 UTC on this day. Owners who have not acknowledged are reminded before it.' },
    },
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.replacementBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Replacement feature group' },
      element: {
        type: 'plain_text_input',
        action_id: DEPRECATE_MODAL.replacementAction,
        max_length: 256,
        placeholder: { type: 'plain_text', text: 'e.g. customers-v2' },
      },
    },
    {
      type: 'input',
      block_id: DEPRECATE_MODAL.noteBlock,
      optional: true,
      label: { type: 'plain_text', text: 'Note to owners' },
      element: {
        type: 'plain_text_input',
        action_id: DEPRECATE_MODAL.noteAction,
        multiline: true,
        max_length: MAX_NOTE_LENGTH,
        placeholder: { type: 'plain_text', text: 'What changes, why, and what owners should do' },
      },
    },
  ];
}

export function buildDeprecateModal(input: DeprecateModalInput): ModalView {
  const refusal = input.refusal;
  const blocks: KnownBlock[] = refusal
    ? [section(`:warning: ${refusal.message}`, DEPRECATE_MODAL.refusalBlock), ...(refusal.hint ? [context(refusal.hint, DEPRECATE_MODAL.refusalHintBlock)] : [])]
    : [section(impactText(input), DEPRECATE_MODAL.impactBlock), ...inputs(input.initialDate, input.features ?? [])];
  return {
    type: 'modal',
    callback_id: DEPRECATE_MODAL.callbackId,
    private_metadata: encodeModalMetadata(input),
    // Titles are at most 24 characters.
    title: { type: 'plain_text', text: 'Announce a change' },
    ...(refusal ? { close: { type: 'plain_text', text: 'Close' } } : { submit: { type: 'plain_text', text: 'Announce' }, close: { type: 'plain_text', text: 'Cancel' } }),
    blocks: [
      { type: 'context', block_id: DEPRECATE_MODAL.subjectBlock, elements: [{ type: 'mrkdwn', text: truncate(`Feature group ${code(input.featureGroup)}`, LIMITS.sectionText) }] },
      ...blocks,
    ],
  };
}
