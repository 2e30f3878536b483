// block_id, action_id and callback_id values of notices, shared by the builders, the listeners
// (commands/notices) and the tests.

export const NOTICE_ACTION = {
  acknowledge: 'notice_acknowledge',
  showLineage: 'notice_show_lineage',
  whoElse: 'notice_who_else',
  /** On the live summary: the announcer or an admin moves the date (a modal) or cancels the notice. */
  move: 'notice_move',
  cancel: 'notice_cancel',
} as const;

export const NOTICE_BLOCK = {
  header: 'notice_header',
  change: 'notice_change',
  details: 'notice_details',
  note: 'notice_note',
  affected: 'notice_affected',
  actions: 'notice_actions',
  acknowledged: 'notice_acknowledged',
  tally: 'notice_tally',
  pending: 'notice_pending',
  acknowledgedList: 'notice_acknowledged_list',
  failed: 'notice_failed',
  unreachable: 'notice_unreachable',
  maybeTwice: 'notice_maybe_twice',
  failure: 'notice_failure',
  footer: 'notice_footer',
  recipients: 'notice_recipients',
  resources: 'notice_resources',
  /** The summary's and final report's table of owners: who acknowledged, who is awaited, who was not reached. */
  recipientTable: 'notice_recipient_table',
  recipientsCut: 'notice_recipients_cut',
  /** Said under a table cut at Slack's row cap. */
  resourcesCut: 'notice_resources_cut',
  truncation: 'notice_truncation',
  /** The impact answer's Graph button (the blast-radius picture). */
  picture: 'notice_picture',
  /** The summary's Move date / Cancel notice buttons. */
  manage: 'notice_manage',
  /** What an owner is told when the notice is cancelled or its date moved, and the summary's line about it. */
  changed: 'notice_changed',
  escalation: 'notice_escalation',
  /** What the announcer is told when the group could not be marked deprecated in SageMaker. */
  writeBack: 'notice_write_back',
} as const;

/** The move-date modal opened from the summary. */
export const MOVE_MODAL = {
  callbackId: 'notice_move_date',
  subjectBlock: 'notice_move_subject',
  dateBlock: 'notice_move_date',
  dateAction: 'date',
} as const;

/** The deprecate modal: its callback_id, and block/action ids of its inputs (the listener reads view.state by them). */
export const DEPRECATE_MODAL = {
  callbackId: 'notice_deprecate',
  subjectBlock: 'notice_modal_subject',
  impactBlock: 'notice_modal_impact',
  /** Instead of the form, when the user may not announce or the check failed. */
  refusalBlock: 'notice_modal_refusal',
  refusalHintBlock: 'notice_modal_refusal_hint',
  kindBlock: 'notice_modal_kind',
  kindAction: 'kind',
  /** Some of the group's features only (none picked: the whole group), and what happens to them. */
  featuresBlock: 'notice_modal_features',
  featuresAction: 'features',
  featureChangeBlock: 'notice_modal_feature_change',
  featureChangeAction: 'feature_change',
  dateBlock: 'notice_modal_date',
  dateAction: 'date',
  replacementBlock: 'notice_modal_replacement',
  replacementAction: 'replacement',
  noteBlock: 'notice_modal_note',
  noteAction: 'note',
} as const;
