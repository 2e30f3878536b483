// Recording one proposed link from a button (Slack's "Record this link"): who pressed is checked
// first (the feature group's owners and the lineage admins), the proposal is worked out again
// from the account (a button's value names the link; it is not trusted to say what to write),
// then it is recorded by the same idempotent plan-and-apply `lineage-bot record` and
// `infer --apply` use, audited, and what the cache holds about the entities it touched dropped.
import type { FeatureGroupResource } from '../lineage/lineage-source.js';
import type { LineageAccount } from './account.js';
import type { AppliedCounts } from './apply.js';
import { proposeLinks, type LinkProposal } from './infer.js';
import { applyProposals } from './infer-apply.js';

/** Which proposal a button stands for: one channel of one training job, from one feature group. */
export interface LinkKey {
  trainingJob: string;
  channel: string;
  featureGroup: string;
}

export type RecordLinkOutcome =
  /** Written now; `applied` says what. */
  | { outcome: 'recorded'; proposal: LinkProposal; applied: AppliedCounts }
  /** Every part of it was in the account already (a second press, or someone else recorded it). */
  | { outcome: 'already'; key: LinkKey }
  /** The evidence for it no longer holds (the job or its channel changed): nothing was written. */
  | { outcome: 'gone'; key: LinkKey };

export interface LinkAudit {
  appendAudit(entry: { at: number; actor: string; action: string; detail: Record<string, unknown> }): Promise<void>;
}

export interface LinkRecorderDeps {
  account: LineageAccount;
  /** Resolves with the group when `userId` may change it (its owners, the admins); throws otherwise. */
  authorize(featureGroup: string, userId: string): Promise<Pick<FeatureGroupResource, 'name' | 'arn'>>;
  audit: LinkAudit;
  /** Drops what the answer cache holds about an entity (a name, an ARN or an S3 URI). */
  invalidate(ref: string): void;
  now(): number;
}

/** The audit action of a link recorded from Slack. */
export const LINK_RECORDED_ACTION = 'lineage.link_recorded';

export class LinkRecorder {
  constructor(private readonly deps: LinkRecorderDeps) {}

  sameLink(proposal: Pick<LinkProposal, 'trainingJob' | 'channel'> & { featureGroup: { name: string } | string }, key: LinkKey): boolean {
    const group = typeof proposal.featureGroup === 'string' ? proposal.featureGroup : proposal.featureGroup.name;
    return proposal.trainingJob === key.trainingJob && proposal.channel === key.channel && group === key.featureGroup;
  }

  /**
   * Records the link `key` names as `userId`. Throws the authoriser's refusal, EntityNotFound for
   * a job or group that is gone, and the account's errors (RecordingIncomplete part-way).
   */
  async record(key: LinkKey, userId: string): Promise<RecordLinkOutcome> {
    const group = await this.deps.authorize(key.featureGroup, userId);
    const set = await proposeLinks(this.deps.account, { trainingJobs: [key.trainingJob], featureGroups: [group.name] });
    const proposal = set.proposals.find((p) => this.sameLink(p, key));
    if (!proposal) return { outcome: set.alreadyLinked.some((l) => this.sameLink(l, key)) ? 'already' : 'gone', key };
    const { plan, applied } = await applyProposals(this.deps.account, [proposal]);
    // Dropped even when nothing was written: an answer cached before someone else recorded it is stale too.
    const refs = new Set([group.name, group.arn, proposal.datasetUri, proposal.trialComponentArn, proposal.trainingJob]);
    if (proposal.datasetArtifactArn) refs.add(proposal.datasetArtifactArn);
    for (const step of plan.artifacts) if (step.action === 'reuse') refs.add(step.existing.arn);
    for (const ref of refs) this.deps.invalidate(ref);
    if (!applied || applied.created + applied.updated + applied.associated === 0) return { outcome: 'already', key };
    await this.deps.audit.appendAudit({
      at: this.deps.now(),
      actor: userId,
      action: LINK_RECORDED_ACTION,
      detail: {
        featureGroup: group.name,
        trainingJob: proposal.trainingJob,
        channel: proposal.channel,
        datasetUri: proposal.datasetUri,
        evidence: proposal.evidence.map((e) => e.kind),
        applied,
      },
    });
    return { outcome: 'recorded', proposal, applied };
  }
}
