// The infer answer with "Record this link" buttons: within Block Kit's limits however many
// proposals there are, every text from data escaped, and each button's value read back exactly.
import { describe, expect, it } from 'vitest';
import { buildProposals, decodeRecordLink, proposalBlockId, PROPOSAL_NOTES_BLOCK, RECORD_LINK_ACTION_PATTERN } from '../../blocks/proposals.js';
import type { LinkProposal, ProposalSet } from '../../src/record/infer.js';
import { everyText, expectMessageWithinLimits } from '../support/slack-limits.js';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';

function proposal(n: number, channel = 'train'): LinkProposal {
  return {
    trainingJob: `job-${n}`,
    trialComponentArn: `${ARN}:experiment-trial-component/job-${n}-aws-training-job`,
    channel,
    datasetUri: `s3://lake/datasets/${n}/`,
    featureGroup: { name: 'customers', arn: `${ARN}:feature-group/customers` },
    evidence: [{ kind: 'offline-store', detail: `channel "${channel}" reads s3://lake/datasets/${n}/, ${'inside the offline store '.repeat(200)}` }],
  };
}

const buttons = (blocks: readonly unknown[]) =>
  blocks.flatMap((b) => {
    const accessory = (b as { accessory?: { action_id: string; value: string } }).accessory;
    return accessory && RECORD_LINK_ACTION_PATTERN.test(accessory.action_id) ? [accessory] : [];
  });

describe('the infer answer with Record this link', () => {
  it('stays within Block Kit limits with more proposals than a message holds, and says how many were left out', () => {
    const set: ProposalSet = { proposals: Array.from({ length: 80 }, (_, i) => proposal(i + 1)), alreadyLinked: [], notes: [] };
    const message = buildProposals(set, 'job-1', { recordable: true, hint: 'hint' });
    expectMessageWithinLimits(message, 'infer answer');
    const shown = buttons(message.blocks);
    expect(shown.length).toBe(45);
    expect(shown.every((b) => b.value.length <= 2000)).toBe(true);
    expect(JSON.stringify(message.blocks.find((b) => 'block_id' in b && b.block_id === PROPOSAL_NOTES_BLOCK))).toContain('…and 35 more');
  });

  it('escapes names from data, and each button names its own proposal', () => {
    const set: ProposalSet = { proposals: [proposal(1, '<!channel>'), proposal(2)], alreadyLinked: [], notes: ['<@U1> & co'] };
    const message = buildProposals(set, 'job-<1>', { recordable: true });
    const text = everyText(message).join('\n');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
    expect(text).toContain('&lt;!channel&gt;');
    const first = message.blocks.find((b) => 'block_id' in b && b.block_id === proposalBlockId(1));
    expect(decodeRecordLink((first as { accessory: { value: string } }).accessory.value)).toEqual({ subject: 'job-<1>', trainingJob: 'job-1', channel: '<!channel>', featureGroup: 'customers' });
    expect(buttons(message.blocks).map((b) => decodeRecordLink(b.value)?.trainingJob)).toEqual(['job-1', 'job-2']);
  });

  it('refuses values it did not write', () => {
    for (const value of [undefined, '', 'not json', '{"s":"a","j":"b","c":"c"}', JSON.stringify({ s: 'a', j: 'b', c: 'c', g: 'x'.repeat(300) })]) {
      expect(decodeRecordLink(value)).toBeUndefined();
    }
  });
});
