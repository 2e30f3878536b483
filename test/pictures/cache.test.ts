// Pictures are cached beside the lineage answers: drawn once for identical requests in flight,
// kept for the lineage cache's TTL, dropped by the invalidations that drop the lineage they were
// drawn from (refresh, the watcher, EventBridge), and bounded by bytes.
import { describe, expect, it } from 'vitest';
import { createPictures } from '../../src/app.js';
import type { Neighbourhood } from '../../src/lineage/neighbourhood.js';
import { PictureCache } from '../../src/picture/cache.js';
import { PictureService, type Picture } from '../../src/picture/pictures.js';
import { PictureRenderer, type PictureFormat } from '../../src/picture/render.js';
import { cachedDemo, demoService } from '../support/demo.js';

/** The real renderer, counting its drawings; `gate` holds a drawing back until released. */
function countingRenderer(gate?: Promise<void>) {
  const real = new PictureRenderer();
  const counter = {
    draws: 0,
    failNext: false,
    draw: async (n: Neighbourhood, format: PictureFormat) => {
      counter.draws++;
      if (counter.failNext) {
        counter.failNext = false;
        throw new Error('renderer broke');
      }
      await gate;
      return real.draw(n, format);
    },
  };
  return counter;
}

describe('picture cache', () => {
  it('draws an identical request in flight once, then answers from the cache', async () => {
    const renderer = countingRenderer();
    const cache = new PictureCache<Picture>({ ttlMs: 60_000, maxBytes: 32 * 1024 ** 2 });
    const pictures = new PictureService({ service: demoService(), renderer, cache });
    const [a, b] = await Promise.all([pictures.lineage('fraud-detector'), pictures.lineage('fraud-detector')]);
    expect(renderer.draws).toBe(1);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    await pictures.lineage('fraud-detector');
    expect(renderer.draws).toBe(1);
    expect(pictures.stats()).toMatchObject({ misses: 1, coalesced: 1, hits: 1, entries: 1 });
    // Another format or question is another picture.
    await pictures.lineage('fraud-detector', 'svg');
    await pictures.impact('customers');
    expect(renderer.draws).toBe(3);
  });

  it('keeps a picture for the TTL only', async () => {
    // lru-cache reads a start time of 0 as "never set": the clock starts later.
    let now = 10_000;
    const renderer = countingRenderer();
    const pictures = new PictureService({ service: demoService(), renderer, cache: new PictureCache<Picture>({ ttlMs: 1000, maxBytes: 32 * 1024 ** 2, now: () => now }) });
    await pictures.lineage('customers', 'dot');
    now = 10_999;
    await pictures.lineage('customers', 'dot');
    expect(renderer.draws).toBe(1);
    now = 11_001;
    await pictures.lineage('customers', 'dot');
    expect(renderer.draws).toBe(2);
  });

  it('keys an impact picture by the owner reach it is coloured with', async () => {
    const renderer = countingRenderer();
    const pictures = new PictureService({ service: demoService(), renderer, cache: new PictureCache<Picture>({ ttlMs: 60_000, maxBytes: 32 * 1024 ** 2 }) });
    const reach = [
      { kind: 'Model' as const, name: 'fraud-detector', reach: 'reachable' as const },
      { kind: 'Model' as const, name: 'churn-predictor', reach: 'unreachable' as const },
    ];
    await pictures.impact('customers', reach, 'dot');
    await pictures.impact('customers', [...reach].reverse(), 'dot');
    expect(renderer.draws).toBe(1);
    await pictures.impact('customers', [{ kind: 'Model', name: 'fraud-detector', reach: 'unreachable' }], 'dot');
    expect(renderer.draws).toBe(2);
  });

  it('does not keep a failed drawing', async () => {
    const renderer = countingRenderer();
    const pictures = new PictureService({ service: demoService(), renderer, cache: new PictureCache<Picture>({ ttlMs: 60_000, maxBytes: 32 * 1024 ** 2 }) });
    renderer.failNext = true;
    await expect(pictures.lineage('customers', 'dot')).rejects.toThrow('renderer broke');
    await pictures.lineage('customers', 'dot');
    expect(renderer.draws).toBe(2);
    expect(pictures.stats().entries).toBe(1);
  });

  it('keeps the PNG bytes within the budget, evicting the least recently used', async () => {
    const renderer = countingRenderer();
    const one = (await new PictureRenderer().draw(await demoService().neighbourhood('fraud-detector'), 'png')).bytes.length;
    const budget = Math.round(one * 1.8);
    const pictures = new PictureService({ service: demoService(), renderer, cache: new PictureCache<Picture>({ ttlMs: 60_000, maxBytes: budget }) });
    for (const subject of ['fraud-detector', 'customers', 'claims', 'churn-predictor']) await pictures.lineage(subject);
    const stats = pictures.stats();
    expect(stats.bytes).toBeLessThanOrEqual(budget);
    expect(stats.entries).toBeLessThan(4);
    expect(stats.evictions).toBeGreaterThan(0);
    // The newest is still there.
    await pictures.lineage('churn-predictor');
    expect(renderer.draws).toBe(4);
  });
});

describe('picture invalidation follows the lineage cache', () => {
  const config = { cache: { ttlSeconds: 600, maxEntries: 1000, maxBytes: 8 * 1024 ** 2, pictureMaxBytes: 32 * 1024 ** 2 } };

  it('drops the pictures drawn through an invalidated entity, and only those', async () => {
    const { service, cache } = cachedDemo();
    const pictures = createPictures(service, cache, config);
    await pictures.lineage('fraud-detector', 'dot');
    await pictures.lineage('claims-triage', 'dot');
    expect(pictures.stats().misses).toBe(2);
    // As /lineage refresh customers, the watcher or an EventBridge event would.
    cache.invalidate('customers');
    await pictures.lineage('fraud-detector', 'dot');
    await pictures.lineage('claims-triage', 'dot');
    expect(pictures.stats()).toMatchObject({ misses: 3, hits: 1 });
  });

  it('drops a picture by any name its entities are known by: a feature group ARN reaches its lineage artifact', async () => {
    const { service, cache } = cachedDemo();
    const pictures = createPictures(service, cache, config);
    await pictures.lineage('fraud-detector', 'dot');
    cache.drop('arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims');
    await pictures.lineage('fraud-detector', 'dot');
    expect(pictures.stats().misses).toBe(2);
  });

  it('drops everything when the lineage cache is cleared', async () => {
    const { service, cache } = cachedDemo();
    const pictures = createPictures(service, cache, config);
    await pictures.lineage('claims-triage', 'dot');
    cache.clear();
    expect(pictures.stats().entries).toBe(0);
  });

  it('does not keep a picture still being drawn when an invalidation arrives; its callers still get it', async () => {
    let release = () => {};
    const renderer = countingRenderer(new Promise<void>((resolve) => (release = resolve)));
    const cache = new PictureCache<Picture>({ ttlMs: 60_000, maxBytes: 32 * 1024 ** 2 });
    const pictures = new PictureService({ service: demoService(), renderer, cache });
    const drawing = pictures.lineage('customers', 'dot');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(renderer.draws).toBe(1);
    expect(pictures.invalidate(new Set(['fraud-detector']))).toBe(1);
    release();
    expect((await drawing).bytes.toString('utf8')).toContain('digraph lineage');
    expect(pictures.stats().entries).toBe(0);
    await pictures.lineage('customers', 'dot');
    expect(renderer.draws).toBe(2);
  });
});
