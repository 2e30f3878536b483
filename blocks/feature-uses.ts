// How the features a query uses read in an answer: "customer_id (join key), age, income
// (selected), event_time (filter)", and why some are not known. Plain text: callers escape it
// (bullet() does) and keep it within a section.
import type { FeatureUse, FeaturesUnknown, FeaturesUsed } from '../src/lineage/answers.js';
import { plural } from './text.js';

export const USE_LABELS: Record<FeatureUse, string> = {
  selected: 'selected',
  joinKey: 'join key',
  filter: 'filter',
  grouping: 'grouping',
  ordering: 'ordering',
  partition: 'window partition',
};

/** "join key, filter". */
export function usesText(uses: readonly FeatureUse[]): string {
  return uses.map((use) => USE_LABELS[use]).join(', ');
}

const REASONS: Record<FeaturesUnknown['reason'], string> = {
  'no-dataset': 'no training dataset with a query is recorded',
  'no-query': 'no feature-store query is recorded',
  'cut-query': 'the recorded query is cut short',
  'unreadable-query': 'the recorded query could not be read',
  'no-matching-table': 'the query names no table of this feature group',
  'no-offline-table': 'the feature group has no offline-store table to match queries to',
  'group-not-described': "the feature group's definition could not be read",
  'through-feature-group': 'read through a feature group built from it',
};

/** Why features are not known, in one clause per reason. */
export function unknownText(unknown: readonly FeaturesUnknown[]): string {
  return unknown
    .map((u) =>
      u.reason === 'through-feature-group' && u.through && u.through.length > 0 ? readThrough(u.through) : REASONS[u.reason],
    )
    .join('; ');
}

/** "read through claims-enriched, a feature group built from it" — not "through 1 feature group … (claims-enriched)". */
function readThrough(through: readonly { name: string }[]): string {
  const [only] = through;
  if (through.length === 1 && only) return `read through ${only.name}, a feature group built from it`;
  return `read through ${plural(through.length, 'feature group', 'feature groups')} built from it (${through.map((g) => g.name).join(', ')})`;
}

/** Longest feature list on one line; the rest is counted, never silently dropped. */
const MAX_LIST = 1200;

/** Consecutive features with the same uses share one parenthesis. */
function grouped(features: readonly { name: string; uses: readonly FeatureUse[] }[], label: (uses: readonly FeatureUse[]) => string): string {
  const parts: string[] = [];
  let shown = 0;
  let length = 0;
  for (let i = 0; i < features.length; i++) {
    const feature = features[i] as { name: string; uses: readonly FeatureUse[] };
    const next = features[i + 1];
    const closes = !next || label(next.uses) !== label(feature.uses);
    const part = closes ? `${feature.name} (${label(feature.uses)})` : feature.name;
    if (length + part.length > MAX_LIST) break;
    parts.push(part);
    length += part.length + 2;
    shown++;
  }
  const left = features.length - shown;
  if (left > 0) {
    // The group being built was cut: close it so the reader still sees how the last ones are used.
    const last = features[shown - 1];
    if (last && !parts[parts.length - 1]?.endsWith(')')) parts[parts.length - 1] = `${last.name} (${label(last.uses)})`;
    parts.push(`and ${plural(left, 'more feature', 'more features')}`);
  }
  return parts.join(', ');
}

/** "customer_id (join key), age, income (selected), event_time (filter)"; then what is not known. */
export function featuresText(features: FeaturesUsed): string {
  let known: string;
  if (features.allSelected) {
    const more = features.used
      .map((f) => ({ name: f.name, uses: f.uses.filter((use) => use !== 'selected') }))
      .filter((f) => f.uses.length > 0);
    known = `all features (selected)${more.length > 0 ? `; also ${grouped(more, usesText)}` : ''}`;
  } else {
    known = grouped(features.used, usesText);
  }
  if (features.unknown.length === 0) return known || 'no feature used';
  const why = unknownText(features.unknown);
  if (known === '') return `features not known: ${why}`;
  const datasets = features.unknown.reduce((n, u) => n + u.datasets.length, 0);
  return `${known}; others may be used (${datasets > 0 ? `for ${plural(datasets, 'dataset', 'datasets')}, ` : ''}${why})`;
}
