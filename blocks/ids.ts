// block_id and action_id values that listeners and tests refer to.

/** Every "next step" button's action_id starts with this; a suffix keeps ids unique in a message. */
export const NEXT_STEP_ACTION = 'lineage_next';
export const NEXT_STEP_ACTION_PATTERN = /^lineage_next(:\d+)?$/;
/** The Graph button's action_id: one per message, among the next steps. */
export const GRAPH_ACTION = 'lineage_graph';

export const BLOCK = {
  header: 'lineage_header',
  summary: 'lineage_summary',
  truncation: 'lineage_truncation',
  nextSteps: 'lineage_next_steps',
  error: 'lineage_error',
  hint: 'lineage_hint',
  help: 'lineage_help',
  /** The context line saying where the answer's data comes from (the embedded demo). */
  sourceNote: 'lineage_source_note',
  /** Said under the header of an answer about a feature group marked deprecated in SageMaker. */
  deprecation: 'lineage_deprecation',
} as const;

/** block_id of the n-th list section in an answer ("lineage_list_models"). */
export function listBlockId(name: string): string {
  return `lineage_list_${name}`;
}
