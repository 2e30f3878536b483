// Warm answers reuse the graph a walk built from an unchanged cached query result, and the
// classification of unchanged cached entities. Reuse must never outlive the cached value, nor
// let one walk's additions leak into another's answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CachedLineageSource } from '../src/lineage/cache.js';
import { LineageGraph } from '../src/lineage/graph.js';
import { LineageService } from '../src/lineage/service.js';
import { DEMO_LIMITS, demoService, names } from './support/demo.js';
import { ChangingSource } from './support/slack-world.js';
import type { LineageEntity, LineageQuery, LineageQueryResult } from '../src/lineage/lineage-source.js';
import { SnapshotSource } from '../src/lineage/sources/snapshot.js';
import { demoSnapshot } from '../src/lineage/demo/demo-snapshot.js';

const CACHE = { ttlMs: 60_000, maxEntries: 1000, maxBytes: 8 * 1024 * 1024 };

afterEach(() => vi.restoreAllMocks());

describe('reusing walk work between warm answers', () => {
  it('builds the graph of a cached query once, and gives the same answer each time', async () => {
    const service = new LineageService(new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), CACHE), DEMO_LIMITS);
    const first = await service.consumers('customers');
    const addEdge = vi.spyOn(LineageGraph.prototype, 'addEdge');
    const again = await service.consumers('customers');
    expect(again).toEqual(first);
    expect(addEdge).not.toHaveBeenCalled();
  });

  it('drops the reuse with the cached value: a refreshed entity answers from the new lineage', async () => {
    const changing = new ChangingSource(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(changing, CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    expect(names((await service.consumers('customers')).models.map((m) => m.model))).toEqual(['churn-predictor', 'fraud-detector']);

    // churn-predictor's training job loses its inputs (trial component ARNs carry the job name):
    // only fraud-detector is left downstream of customers.
    changing.change((snapshot) => {
      const intoChurn = snapshot.Associations.filter((a) => /churn-predictor-training/.test(a.DestinationArn));
      expect(intoChurn.length).toBeGreaterThan(0);
      snapshot.Associations = snapshot.Associations.filter((a) => !intoChurn.includes(a));
    });
    // Cached, the old answer stands (that is what refresh is for)…
    expect(names((await service.consumers('customers')).models.map((m) => m.model))).toEqual(['churn-predictor', 'fraud-detector']);
    cache.invalidate('customers');
    // …and once refreshed, nothing derived from the old result is reused.
    expect(names((await service.consumers('customers')).models.map((m) => m.model))).toEqual(['fraud-detector']);
  });

  it('answers a walk cut short upstream (which adds the frontier parents to its graph) the same each time', async () => {
    const limits = { ...DEMO_LIMITS, maxDepth: 2 };
    const service = new LineageService(new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), CACHE), limits);
    const expected = await demoService(limits).dependencies('fraud-detector');
    expect(expected.truncation?.depthExceeded).toBe(true);
    for (let i = 0; i < 3; i++) expect(await service.dependencies('fraud-detector')).toEqual(expected);
    expect(await service.trail('fraud-detector')).toEqual(await demoService(limits).trail('fraud-detector'));
  });

  it('keeps walks with different limits or kinds apart', async () => {
    const source = new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), CACHE);
    const small = new LineageService(source, { ...DEMO_LIMITS, maxVertices: 3 });
    const whole = new LineageService(source, DEMO_LIMITS);
    for (let i = 0; i < 2; i++) {
      expect(await small.consumers('customers')).toEqual(await demoService({ maxVertices: 3 }).consumers('customers'));
      expect(await whole.consumers('customers')).toEqual(await demoService().consumers('customers'));
      expect(await whole.trail('churn-predictor')).toEqual(await demoService().trail('churn-predictor'));
      expect(await whole.dependencies('churn-predictor')).toEqual(await demoService().dependencies('churn-predictor'));
    }
  });

  it('works kinds out again when a description changed under the same cached query', async () => {
    // The same frozen query result every time (as a cache hit gives), descriptions that change.
    class Frozen extends SnapshotSource {
      private readonly results = new Map<string, LineageQueryResult>();
      override async queryLineage(query: LineageQuery): Promise<LineageQueryResult> {
        const key = JSON.stringify(query);
        let result = this.results.get(key);
        if (!result) this.results.set(key, (result = Object.freeze(await super.queryLineage(query))));
        return result;
      }
      retype = new Map<string, string>();
      override async describeEntity(arn: string): Promise<LineageEntity | undefined> {
        const entity = await super.describeEntity(arn);
        const type = this.retype.get(arn);
        return entity && Object.freeze(type ? { ...entity, type } : entity);
      }
    }
    const source = new Frozen(demoSnapshot(), 'frozen');
    const service = new LineageService(source, DEMO_LIMITS);
    const before = await service.consumers('customers');
    expect(names(before.endpoints)).toEqual(['churn-predictor-prod', 'fraud-detector-prod']);
    expect(await service.consumers('customers')).toEqual(before);
    // An endpoint's context is no longer an Endpoint context: it is not an endpoint any more.
    source.retype.set(before.endpoints[0]!.arn, 'SomethingElse');
    expect(names((await service.consumers('customers')).endpoints)).toEqual(['fraud-detector-prod']);
  });
});
