// How each kind looks: one Graphviz shape and one colour per kind, the column it stands in, and
// the colours an impact picture gives owners' reach. The legend is drawn from the same table.
import type { Kind } from '../lineage/classify.js';
import type { OwnerReach } from '../lineage/neighbourhood.js';

/** The one font the renderer loads; Graphviz lays text out with its metrics (it knows DejaVu Sans). */
export const FONT_FAMILY = 'DejaVu Sans';

export const TEXT_COLOUR = '#0f172a';
export const MUTED_COLOUR = '#475569';
export const WARNING_COLOUR = '#b45309';

export interface KindStyle {
  shape: string;
  fill: string;
  line: string;
  /** Extra Graphviz styles (dashed, rounded). */
  style?: string;
  /** A second outline. */
  peripheries?: number;
  /** The legend's words. */
  label: string;
}

export const KIND_STYLES: Record<Kind, KindStyle> = {
  DataSource: { shape: 'cylinder', fill: '#dbeafe', line: '#1d4ed8', label: 'data source' },
  Code: { shape: 'note', fill: '#f1f5f9', line: '#475569', label: 'code' },
  ProcessingJob: { shape: 'box', fill: '#ffedd5', line: '#c2410c', label: 'processing job' },
  FeaturePipeline: { shape: 'component', fill: '#fef3c7', line: '#b45309', label: 'feature pipeline' },
  PipelineExecution: { shape: 'box', style: 'diagonals', fill: '#fef3c7', line: '#92400e', label: 'pipeline run' },
  FeatureGroup: { shape: 'tab', fill: '#ccfbf1', line: '#0f766e', label: 'feature group' },
  Dataset: { shape: 'folder', fill: '#fef9c3', line: '#a16207', label: 'dataset' },
  TrainingJob: { shape: 'box3d', fill: '#ede9fe', line: '#6d28d9', label: 'training job' },
  Model: { shape: 'box', style: 'rounded', fill: '#fce7f3', line: '#be185d', label: 'model' },
  ModelPackage: { shape: 'octagon', fill: '#fae8ff', line: '#a21caf', label: 'model package' },
  Endpoint: { shape: 'box', peripheries: 2, fill: '#e0e7ff', line: '#4338ca', label: 'endpoint' },
  Other: { shape: 'box', style: 'dashed', fill: '#f8fafc', line: '#64748b', label: 'other' },
};

/**
 * The column each kind stands in, left to right: data sources → pipelines and code → feature
 * groups → datasets → training jobs → models → model packages → endpoints. An entity fed by one
 * in its own column or further right (a group derived from a group) moves one column right of it.
 */
export const KIND_COLUMNS: Record<Kind, number> = {
  DataSource: 0,
  Code: 1,
  ProcessingJob: 1,
  FeaturePipeline: 1,
  PipelineExecution: 1,
  FeatureGroup: 2,
  Dataset: 3,
  TrainingJob: 4,
  Model: 5,
  ModelPackage: 6,
  Endpoint: 7,
  Other: 0,
};

export interface ReachStyle {
  fill: string;
  line: string;
  style?: string;
  label: string;
}

export const REACH_STYLES: Record<OwnerReach, ReachStyle> = {
  reachable: { fill: '#dcfce7', line: '#15803d', label: 'owners can be told' },
  unreachable: { fill: '#fee2e2', line: '#b91c1c', label: 'owners cannot be reached' },
  unknown: { fill: '#f1f5f9', line: '#64748b', style: 'dashed', label: 'owners not looked up' },
};

/** The subject: a thick dark outline. */
export const SUBJECT_PEN = 3;
export const SUBJECT_LINE = '#0f172a';
