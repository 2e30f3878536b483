// Recording accepted proposals, through the same plan and apply steps as `record`: the feature
// group's fg-<name> artifact and the dataset artifact are reused when they exist, and the links
// fg → dataset → training job are added only where missing.
import type { LineageAccount } from './account.js';
import { applyPlan, type AppliedCounts } from './apply.js';
import { artifactName, LineageBuilder, type DesiredLineage } from './desired.js';
import type { LinkProposal } from './infer.js';
import { planIsEmpty } from './record.js';
import { planRecording, type RecordPlan } from './plan.js';

export interface ProposalsOutcome {
  plan: RecordPlan;
  dryRun: boolean;
  applied?: AppliedCounts;
}

export function desiredFromProposals(proposals: readonly LinkProposal[]): DesiredLineage {
  const builder = new LineageBuilder();
  for (const proposal of proposals) {
    const group = builder.artifact({
      name: artifactName(`fg-${proposal.featureGroup.name}`),
      type: 'FeatureGroup',
      sourceUri: proposal.featureGroup.arn,
      properties: {},
      role: `feature group ${proposal.featureGroup.name}`,
    });
    // SageMaker records a DataSet artifact for every input it reads; one is created only if it did not.
    const dataset = builder.artifact({
      name: 'TrainingData',
      type: 'DataSet',
      sourceUri: proposal.datasetUri,
      properties: {},
      role: `channel "${proposal.channel}" of ${proposal.trainingJob}`,
    });
    builder.link(group, dataset);
    builder.link(dataset, { arn: proposal.trialComponentArn, role: `training job ${proposal.trainingJob}` });
  }
  return builder.build();
}

/** Plans the proposals against the account and, unless a dry run, records them. */
export async function applyProposals(
  account: LineageAccount,
  proposals: readonly LinkProposal[],
  options: { dryRun?: boolean } = {},
): Promise<ProposalsOutcome> {
  const plan = await planRecording(account, desiredFromProposals(proposals));
  const dryRun = options.dryRun ?? false;
  if (dryRun || planIsEmpty(plan)) return { plan, dryRun };
  return { plan, dryRun, applied: await applyPlan(account, plan) };
}
