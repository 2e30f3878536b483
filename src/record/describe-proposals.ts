// Proposals as text, for the CLI and for anyone surfacing them elsewhere (a Slack message).
import type { ProposalSet, LinkProposal } from './infer.js';
import { plural } from './text.js';

export function describeProposal(proposal: LinkProposal): string {
  return `feature group ${proposal.featureGroup.name} → channel "${proposal.channel}" of training job ${proposal.trainingJob} (${proposal.datasetUri})`;
}

export function describeProposals(set: ProposalSet, subject: string): string[] {
  const lines: string[] = [];
  if (set.proposals.length === 0) {
    lines.push(`No missing feature group links found for ${subject}.`);
  } else {
    lines.push(`Proposed links for ${subject}:`);
    set.proposals.forEach((proposal, index) => {
      lines.push(`${index + 1}. ${describeProposal(proposal)}`);
      for (const evidence of proposal.evidence) lines.push(`   - ${evidence.detail}`);
    });
  }
  for (const linked of set.alreadyLinked) {
    lines.push(`Already recorded: feature group ${linked.featureGroup} → channel "${linked.channel}" of training job ${linked.trainingJob}.`);
  }
  for (const note of set.notes) lines.push(`Note: ${note}`);
  return lines;
}

export function proposalsSummary(set: ProposalSet): string {
  return `${plural(set.proposals.length, 'link', 'links')} proposed; run again with --apply to record ${set.proposals.length === 1 ? 'it' : 'them'}.`;
}
