// What the watcher remembers of a feature group and what counts as a breaking change: a feature
// removed or retyped, or the group deleting or deleted. Added features, descriptions and status
// changes are not breaking (they are remembered, and answers refreshed, but nobody is told).
import { createHash } from 'node:crypto';
import type { FeatureGroupResource } from '../lineage/lineage-source.js';
import { GONE_STATUS, type DetectedChange, type FeatureGroupSnapshot } from './model.js';

/** The snapshot of a group as SageMaker describes it now; `undefined` means it no longer exists. */
export function snapshotOf(name: string, resource: FeatureGroupResource | undefined, previous: FeatureGroupSnapshot | undefined, now: number): FeatureGroupSnapshot {
  if (!resource) {
    // Keep the last known features: a group recreated later is compared with what it was.
    const features = previous?.features ?? [];
    return { featureGroup: name, ...(previous?.arn ? { arn: previous.arn } : {}), ...(previous?.createdAt !== undefined ? { createdAt: previous.createdAt } : {}), status: GONE_STATUS, deleted: true, features, hash: hashOf(true, features), takenAt: now };
  }
  const features = resource.features.map((f) => ({ name: f.name, type: f.type })).sort((a, b) => a.name.localeCompare(b.name));
  const deleted = resource.status === 'Deleting';
  const createdAt = resource.creationTime?.getTime();
  return {
    featureGroup: name,
    arn: resource.arn,
    ...(resource.status ? { status: resource.status } : {}),
    deleted,
    features,
    hash: hashOf(deleted, features),
    takenAt: now,
    ...(createdAt !== undefined && !Number.isNaN(createdAt) ? { createdAt } : {}),
  };
}

/** The breaking part of a change, or undefined when there is none (or nothing to compare with). */
export function breakingChange(previous: FeatureGroupSnapshot | undefined, current: FeatureGroupSnapshot): DetectedChange | undefined {
  // The first sight of a group is its baseline; a group already reported deleted is not reported again.
  if (!previous || previous.deleted) return undefined;
  if (current.deleted) return { removed: [], retyped: [], deleted: true };
  const now = new Map(current.features.map((f) => [f.name, f.type]));
  const removed = previous.features.filter((f) => !now.has(f.name)).map((f) => f.name);
  const retyped = previous.features
    .filter((f) => now.has(f.name) && now.get(f.name) !== f.type)
    .map((f) => ({ name: f.name, from: f.type, to: now.get(f.name) as string }));
  return removed.length > 0 || retyped.length > 0 ? { removed, retyped, deleted: false } : undefined;
}

/** Only what matters for breaking changes is hashed, so a status going Creating → Created is no change. */
function hashOf(deleted: boolean, features: readonly { name: string; type: string }[]): string {
  return createHash('sha256').update(JSON.stringify({ deleted, features })).digest('hex').slice(0, 32);
}
