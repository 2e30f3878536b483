// The `/lineage infer` answer: the feature group links the bot can work out, each with its
// evidence and, where recording from Slack is on, a "Record this link" button. The button's value
// names the link only (job, channel, group, and the answer's subject to redraw it); the listener
// works the proposal out again rather than trusting a value to say what to write. Its codec is
// here, beside the builder that writes it.
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { z } from 'zod';
import type { LinkProposal, ProposalSet } from '../src/record/infer.js';
import { describeProposal, describeProposals } from '../src/record/describe-proposals.js';
import type { Message } from './common.js';
import { compact, context, section } from './elements.js';
import { BLOCK } from './ids.js';
import { jsonCodec } from './json-codec.js';
import { escape, fitLines, LIMITS, truncate } from './text.js';

/** Each proposal's button is lineage_record_link:<n>: action_ids are unique in a message. */
export const RECORD_LINK_ACTION = 'lineage_record_link';
export const RECORD_LINK_ACTION_PATTERN = /^lineage_record_link(:\d+)?$/;
export const RECORD_LINK_LABEL = 'Record this link';

/** block_id of the n-th proposal (from 1), and of the line saying who recorded one. */
export function proposalBlockId(n: number): string {
  return `lineage_proposal_${n}`;
}
export const RECORDED_BLOCK = 'lineage_proposal_recorded';
export const PROPOSAL_NOTES_BLOCK = 'lineage_proposal_notes';

const RecordLinkFields = z.object({
  /** The answer's subject (model or training job), to redraw the answer after recording. */
  s: z.string().min(1).max(500),
  j: z.string().min(1).max(200),
  c: z.string().min(1).max(200),
  g: z.string().min(1).max(200),
});
const RecordLinkValue = jsonCodec(RecordLinkFields);

export interface RecordLinkRequest {
  subject: string;
  trainingJob: string;
  channel: string;
  featureGroup: string;
}

export function decodeRecordLink(value: string | undefined): RecordLinkRequest | undefined {
  const fields = RecordLinkValue.decode(value);
  return fields && { subject: fields.s, trainingJob: fields.j, channel: fields.c, featureGroup: fields.g };
}

export function recordLinkButton(subject: string, proposal: LinkProposal, n: number): Button | undefined {
  const value = RecordLinkValue.tryEncode({ s: subject, j: proposal.trainingJob, c: proposal.channel, g: proposal.featureGroup.name });
  if (value === undefined || value.length > LIMITS.buttonValue) return undefined;
  return { type: 'button', action_id: `${RECORD_LINK_ACTION}:${n}`, text: { type: 'plain_text', text: RECORD_LINK_LABEL, emoji: false }, value };
}

export interface ProposalsOptions {
  /** Offer "Record this link" on each proposal. */
  recordable: boolean;
  /** The context line under the answer (how else to record). */
  hint?: string;
  /** A link just recorded from the answer, and by whom (a Slack user ID). */
  recorded?: { trainingJob: string; channel: string; featureGroup: string; by: string };
}

/** Blocks besides the proposals': summary, notes, hint, recorded line, a source note the caller may add. */
const RESERVED_BLOCKS = 5;

export function buildProposals(set: ProposalSet, subject: string, options: ProposalsOptions): Message {
  const lines = describeProposals(set, subject);
  if (!options.recordable) {
    const text = fitLines(lines.map(escape));
    return { text, blocks: compact([section(text, BLOCK.summary), options.hint ? context(options.hint, BLOCK.hint) : undefined]) };
  }
  const recorded = options.recorded;
  const isRecorded = (l: { trainingJob: string; channel: string; featureGroup: string }) =>
    recorded !== undefined && l.trainingJob === recorded.trainingJob && l.channel === recorded.channel && l.featureGroup === recorded.featureGroup;
  const shown = set.proposals.slice(0, LIMITS.blocks - RESERVED_BLOCKS);
  const heading = set.proposals.length === 0 ? `No missing feature group links found for ${subject}.` : `Proposed links for ${subject}:`;
  const proposalBlocks = shown.map((proposal, index): SectionBlock => {
    const text = truncate(
      [`${index + 1}. ${escape(describeProposal(proposal))}`, ...proposal.evidence.map((e) => `   - ${escape(e.detail)}`)].join('\n'),
      LIMITS.sectionText,
    );
    const button = recordLinkButton(subject, proposal, index + 1);
    return { ...section(text, proposalBlockId(index + 1)), ...(button ? { accessory: button } : {}) };
  });
  const justRecorded = set.alreadyLinked.find(isRecorded);
  const notes = [
    ...(set.proposals.length > shown.length ? [`…and ${set.proposals.length - shown.length} more: record them with the CLI.`] : []),
    ...set.alreadyLinked
      .filter((l) => l !== justRecorded)
      .map((l) => `Already recorded: feature group ${l.featureGroup} → channel "${l.channel}" of training job ${l.trainingJob}.`),
    ...set.notes.map((note) => `Note: ${note}`),
  ].map(escape);
  const recordedBlock =
    justRecorded && recorded
      ? section(
          `:white_check_mark: Recorded by <@${escape(recorded.by)}>: ${escape(`feature group ${justRecorded.featureGroup} → channel "${justRecorded.channel}" of training job ${justRecorded.trainingJob}`)}.`,
          RECORDED_BLOCK,
        )
      : undefined;
  return {
    text: fitLines([heading, ...lines.slice(1)].map(escape), LIMITS.fallbackText),
    blocks: compact([
      section(escape(heading), BLOCK.summary),
      recordedBlock,
      ...proposalBlocks,
      notes.length > 0 ? section(fitLines(notes), PROPOSAL_NOTES_BLOCK) : undefined,
      options.hint ? context(options.hint, BLOCK.hint) : undefined,
    ]),
  } satisfies { text: string; blocks: KnownBlock[] };
}
