// The callback_ids of the Workflow Builder steps, as manifest.yml's `functions` declares them
// (test/slack/manifest.test.ts checks that the two agree), and the names of their inputs and outputs.

export const WORKFLOW_FUNCTION = {
  checkImpact: 'check_feature_group_impact',
  announce: 'announce_feature_group_change',
} as const;

/** Output names of "Check feature group impact", as the manifest declares them. */
export const IMPACT_OUTPUT = {
  models: 'models',
  endpoints: 'endpoints',
  owners: 'owners',
  unreachableOwners: 'unreachable_owners',
  lineageComplete: 'lineage_complete',
  summary: 'summary',
} as const;

/** Output names of "Announce a feature group change". */
export const ANNOUNCE_OUTPUT = {
  noticeId: 'notice_id',
  featureGroup: 'feature_group',
  effectiveDate: 'effective_date',
  /** `sent` once who it reaches is known (and the sends are queued); `pending` while SageMaker or Slack keep that from being worked out. */
  status: 'status',
  /** Owners (people and team channels) the notice goes to; only with status `sent`. */
  owners: 'owners',
} as const;
