// The demo service as the console builds it, for tests.
import type { FeaturesUsed } from '../../src/lineage/answers.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { CachedLineageSource } from '../../src/lineage/cache.js';
import { LineageService, type ServiceLimits } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';

export const DEMO_LIMITS: ServiceLimits = { maxDepth: 30, maxVertices: 5000, describeConcurrency: 4 };

export function demoService(limits: Partial<ServiceLimits> = {}): LineageService {
  return new LineageService(new SnapshotSource(demoSnapshot(), 'embedded demo snapshot'), { ...DEMO_LIMITS, ...limits });
}

/** The demo behind a cache, as the app builds it: for refresh and stats. */
export function cachedDemo(): { service: LineageService; cache: CachedLineageSource; inner: SnapshotSource } {
  const inner = new SnapshotSource(demoSnapshot(), 'embedded demo snapshot');
  const cache = new CachedLineageSource(inner, { ttlMs: 60_000, maxEntries: 1000, maxBytes: 8 * 1024 * 1024 });
  return { service: new LineageService(cache, DEMO_LIMITS), cache, inner };
}

export const names = (refs: readonly { name: string }[]): string[] => refs.map((r) => r.name);

/**
 * What an answer says of one feature group's features, as short lines: "customer_id joinKey",
 * "age selected+filter", "* selected" when every feature is selected (then the others), "? no-query" for what the
 * queries cannot tell.
 */
export function featureLines(features: FeaturesUsed | undefined): string[] {
  if (!features) return [];
  return [
    ...(features.allSelected ? ['* selected'] : []),
    // Under "*", only the features used some other way too.
    ...features.used.filter((f) => !features.allSelected || f.uses.join() !== 'selected').map((f) => `${f.name} ${f.uses.join('+')}`),
    ...features.unknown.map((u) => `? ${u.reason}${u.through ? ` ${u.through.map((t) => t.name).join(',')}` : ''}`),
  ];
}
