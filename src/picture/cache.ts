// Pictures cached beside the lineage answers: the same time to live, dropped by the same
// invalidations (CachedLineageSource.onDrop hands them here), bounded by bytes — a PNG is a
// few hundred kilobytes, so the bound is what keeps many subjects from filling memory. An
// identical request in flight is drawn once (lru-cache's fetch coalesces it).
import { LRUCache } from 'lru-cache';

/** What a cached picture must say about itself. */
export interface CacheablePicture {
  bytes: Buffer;
  /** Every ARN, name and source URI it was drawn from: an invalidation naming one drops it. */
  identifiers: readonly string[];
}

export interface PictureCacheOptions {
  /** 0 turns caching off: every request draws. */
  ttlMs: number;
  maxBytes: number;
  maxEntries?: number;
  /** Clock for TTLs, injectable for tests. */
  now?: () => number;
}

export interface PictureCacheStats {
  hits: number;
  misses: number;
  coalesced: number;
  entries: number;
  bytes: number;
  evictions: number;
}

interface Held<P extends CacheablePicture> {
  picture: P;
  ids: ReadonlySet<string>;
}

export class PictureCache<P extends CacheablePicture = CacheablePicture> {
  private readonly cache: LRUCache<string, Held<P>, () => Promise<P>> | undefined;
  private readonly counters = { hits: 0, misses: 0, coalesced: 0, evictions: 0 };
  /** Keys being drawn: an invalidation while they draw must keep their result out of the cache. */
  private readonly drawing = new Set<string>();

  constructor(options: PictureCacheOptions) {
    if (options.ttlMs <= 0) return;
    this.cache = new LRUCache<string, Held<P>, () => Promise<P>>({
      max: options.maxEntries ?? 500,
      maxSize: options.maxBytes,
      // A picture bigger than the whole budget is drawn and returned, just not kept.
      maxEntrySize: options.maxBytes,
      sizeCalculation: (held, key) => Math.max(1, held.picture.bytes.length + key.length + held.picture.identifiers.reduce((n, id) => n + id.length, 0)),
      ttl: options.ttlMs,
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
      // A drawing dropped while it runs still reaches the callers waiting on it, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: async (key, _stale, { context }) => {
        this.drawing.add(key);
        try {
          const picture = await context();
          return { picture, ids: new Set(picture.identifiers) };
        } finally {
          this.drawing.delete(key);
        }
      },
      dispose: (_held, _key, reason) => {
        if (reason === 'evict') this.counters.evictions++;
      },
    });
  }

  /** The picture cached under `key`, or the one `draw` makes (once, however many ask at the same time). */
  async get(key: string, draw: () => Promise<P>): Promise<P> {
    const cache = this.cache;
    if (!cache) {
      this.counters.misses++;
      return draw();
    }
    const status: LRUCache.Status<string, Held<P>, () => Promise<P>> = {};
    const pending = cache.fetch(key, { context: draw, status });
    if (status.fetch === 'hit') this.counters.hits++;
    else if (status.fetch === 'inflight') this.counters.coalesced++;
    else this.counters.misses++;
    const held = await pending;
    // Only an aborted fetch without a value resolves undefined, which ignoreFetchAbort rules out.
    return held ? held.picture : draw();
  }

  /**
   * Drops the pictures drawn from any of `ids` ('all': every picture), and every picture still
   * being drawn (it may have read what was just invalidated). Returns how many were dropped.
   */
  invalidate(ids: ReadonlySet<string> | 'all'): number {
    const cache = this.cache;
    if (!cache) return 0;
    let dropped = 0;
    for (const key of [...cache.keys(), ...this.drawing]) {
      const held = cache.peek(key);
      const mentioned = ids === 'all' || this.drawing.has(key) || (held !== undefined && [...held.ids].some((id) => ids.has(id)));
      if (mentioned && cache.delete(key)) dropped++;
    }
    return dropped;
  }

  stats(): PictureCacheStats {
    return { ...this.counters, entries: this.cache?.size ?? 0, bytes: this.cache?.calculatedSize ?? 0 };
  }
}
