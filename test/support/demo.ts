// The demo service as the console builds it, for tests.
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { LineageService, type ServiceLimits } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';

export const DEMO_LIMITS: ServiceLimits = { maxDepth: 30, maxVertices: 5000, describeConcurrency: 4 };

export function demoService(limits: Partial<ServiceLimits> = {}): LineageService {
  return new LineageService(new SnapshotSource(demoSnapshot(), 'embedded demo snapshot'), { ...DEMO_LIMITS, ...limits });
}

export const names = (refs: readonly { name: string }[]): string[] => refs.map((r) => r.name);
