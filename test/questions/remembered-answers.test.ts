// Warm answers are remembered beside the cached results they were worked out from
// (CachedLineageSource.remember): the same answer as a fresh one, given again only while every
// result it read is still held, fresh and unchanged, and within the cache's bounds.
import { describe, expect, it } from 'vitest';
import { CachedLineageSource, type CacheOptions } from '../../src/lineage/cache.js';
import { EntityNotFound } from '../../src/lineage/errors.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { DEMO_LIMITS, demoService, names } from '../support/demo.js';
import { ChangingSource } from '../support/slack-world.js';

const CACHE: CacheOptions = { ttlMs: 60_000, maxEntries: 1000, maxBytes: 8 * 1024 * 1024 };

/** Counts the calls that reach the source behind the cache. */
function counting(inner: LineageSource): { source: LineageSource; calls: () => number } {
  let calls = 0;
  const source = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'description') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { source, calls: () => calls };
}

type Ask = (service: LineageService) => Promise<unknown>;
const QUESTIONS: [string, Ask][] = [
  ['consumers customers', (s) => s.consumers('customers')],
  ['dependencies churn-predictor', (s) => s.dependencies('churn-predictor')],
  ['dependencies fraud-detector-prod as an endpoint', (s) => s.dependencies('fraud-detector-prod', 'Endpoint')],
  ['upstream customers', (s) => s.upstream('customers')],
  ['builtFrom s3://demo-ml-lake/raw/claims.csv', (s) => s.builtFrom('s3://demo-ml-lake/raw/claims.csv')],
  ['trail churn-predictor', (s) => s.trail('churn-predictor')],
  ['featureUsage customers.age', (s) => s.featureUsage('customers.age')],
  ['owners customers', (s) => s.owners('customers')],
];

describe('remembered answers', () => {
  it.each(QUESTIONS)('%s: the same answer as one worked out afresh, given again without asking the source', async (_label, ask) => {
    const { source, calls } = counting(new SnapshotSource(demoSnapshot(), 'demo'));
    const service = new LineageService(new CachedLineageSource(source, CACHE), DEMO_LIMITS);
    const fresh = await ask(demoService());
    const first = await ask(service);
    expect(first).toEqual(fresh);
    const before = calls();
    const again = await ask(service);
    expect(again).toBe(first);
    expect(calls()).toBe(before);
    // Shared between callers, so nobody can change what the next one is given.
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('counts each result a remembered answer was checked against as a cache hit', async () => {
    const cache = new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    await service.consumers('customers');
    const { hits, misses } = cache.stats();
    await service.consumers('customers');
    expect(cache.stats().misses).toBe(misses);
    expect(cache.stats().hits).toBeGreaterThan(hits);
  });

  it('works an answer out again once a result it read deep in its walk is refreshed', async () => {
    const changing = new ChangingSource(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(changing, CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    expect(names((await service.consumers('customers')).models.map((m) => m.model))).toEqual(['churn-predictor', 'fraud-detector']);
    const intoChurn = demoSnapshot().Associations.filter((a) => /churn-predictor-training/.test(a.DestinationArn));
    expect(intoChurn.length).toBeGreaterThan(0);
    changing.change((snapshot) => {
      snapshot.Associations = snapshot.Associations.filter((a) => !/churn-predictor-training/.test(a.DestinationArn));
    });
    // Not the subject's name: only what the answer read (the lineage query through the job) names it.
    const job = intoChurn[0]?.DestinationArn as string;
    expect(cache.invalidate(job)).toBeGreaterThan(0);
    expect(names((await service.consumers('customers')).models.map((m) => m.model))).toEqual(['fraud-detector']);
  });

  it('an answer remembered inside another (owners asks consumers) is followed by the outer one too', async () => {
    const changing = new ChangingSource(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(changing, CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    // Consumers first, asked as owners asks them (by the group's ARN), so owners reads them from a
    // remembered answer, not through the cache.
    const arn = (await service.consumers('customers')).subject.sourceUri as string;
    expect(arn).toMatch(/:feature-group\/customers$/);
    await service.consumers(arn);
    expect(names((await service.owners('customers')).entries.map((e) => e.entity))).toContain('churn-predictor');
    changing.change((snapshot) => {
      snapshot.Associations = snapshot.Associations.filter((a) => !/churn-predictor-training/.test(a.DestinationArn));
    });
    const job = demoSnapshot().Associations.find((a) => /churn-predictor-training/.test(a.DestinationArn))?.DestinationArn as string;
    cache.invalidate(job);
    const owners = names((await service.owners('customers')).entries.map((e) => e.entity));
    expect(owners).not.toContain('churn-predictor');
    expect(owners).toContain('fraud-detector');
  });

  it('is not given once a result it read has passed its TTL, and leaves that result to be served while it refreshes', async () => {
    // lru-cache reads a start time of 0 as none: begin later.
    let now = 10_000;
    const { source, calls } = counting(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(source, { ...CACHE, ttlMs: 1000, now: () => now });
    const service = new LineageService(cache, DEMO_LIMITS);
    // The group's own lookups are cached first, so they expire while the answer is still fresh.
    await service.upstream('customers');
    now += 600;
    const first = await service.consumers('customers');
    now += 600;
    const before = calls();
    const { misses, staleHits } = cache.stats();
    const later = await service.consumers('customers');
    // Worked out again from the stale results, which answer at once while they refresh behind it:
    // the check did not delete them (that would have made them misses).
    expect(later).not.toBe(first);
    expect(later).toEqual(first);
    expect(cache.stats().staleHits).toBeGreaterThan(staleHits);
    expect(cache.stats().misses).toBe(misses);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls()).toBeGreaterThan(before);
  });

  it('does not remember a question that fails', async () => {
    const { source, calls } = counting(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(source, CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    await expect(service.consumers('no-such-group')).rejects.toBeInstanceOf(EntityNotFound);
    const entries = cache.stats().entries;
    await expect(service.consumers('no-such-group')).rejects.toBeInstanceOf(EntityNotFound);
    expect(cache.stats().entries).toBe(entries);
    expect(calls()).toBeGreaterThan(0);
  });

  it('remembers answers within the cache bounds, still answering right when they push results out', async () => {
    const limits = { maxEntries: 12, maxBytes: 24 * 1024 };
    const cache = new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), { ...CACHE, ...limits });
    const service = new LineageService(cache, DEMO_LIMITS);
    for (let round = 0; round < 3; round++) {
      for (const [, ask] of QUESTIONS) {
        expect(await ask(service)).toEqual(await ask(demoService()));
        expect(cache.stats().entries).toBeLessThanOrEqual(limits.maxEntries);
        expect(cache.stats().bytes).toBeLessThanOrEqual(limits.maxBytes);
      }
    }
    expect(cache.stats().evictions).toBeGreaterThan(0);
  });

  it('answers concurrent questions right, and the same again warm', async () => {
    const cache = new CachedLineageSource(new SnapshotSource(demoSnapshot(), 'demo'), CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    const expected = await Promise.all(QUESTIONS.map(([, ask]) => ask(demoService())));
    expect(await Promise.all(QUESTIONS.map(([, ask]) => ask(service)))).toEqual(expected);
    expect(await Promise.all(QUESTIONS.map(([, ask]) => ask(service)))).toEqual(expected);
  });

  it('clear() forgets remembered answers with the results', async () => {
    const { source, calls } = counting(new SnapshotSource(demoSnapshot(), 'demo'));
    const cache = new CachedLineageSource(source, CACHE);
    const service = new LineageService(cache, DEMO_LIMITS);
    const first = await service.consumers('customers');
    cache.clear();
    const before = calls();
    expect(await service.consumers('customers')).toEqual(first);
    expect(calls()).toBeGreaterThan(before);
  });
});
