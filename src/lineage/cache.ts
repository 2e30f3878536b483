// A caching LineageSource: wraps another source (usually the SageMaker adapter) so repeated and
// concurrent questions cost no API calls. Built on lru-cache's `fetch`, which gives us in one place
// the TTL, the entry and byte bounds, coalescing of identical in-flight calls and
// stale-while-revalidate.
import { LRUCache } from 'lru-cache';
import { classifyEntity } from './classify.js';
import { isLineageArn, nameFromArn, parseArn } from './reference.js';
import type {
  AccountScope,
  DataSourceSearch,
  EndpointConfigResource,
  EndpointResource,
  EntityFilter,
  FeatureGroupResource,
  LineageEntity,
  LineageQuery,
  LineageQueryResult,
  LineageSource,
  ListOptions,
  ModelPackageGroupResource,
  ModelPackageResource,
  ModelResource,
  PipelineExecutionResource,
  ProcessingJobResource,
  ResourceHit,
  ResourceKind,
  SearchableKind,
  SubjectTags,
  TagSubject,
  TaggedHit,
  TrainingJobResource,
  VertexListener,
} from './lineage-source.js';

/** The port methods the cache stores results of. */
export type CachedMethod = Exclude<keyof LineageSource, 'description' | 'tagsOf'>;

/**
 * What the cache tells its owner, for logs and metrics. Carries the key (method and arguments:
 * ARNs, names, search text) but never a cached value.
 */
export type CacheEvent =
  | { type: 'hit' | 'miss' | 'stale' | 'coalesced'; method: CachedMethod; key: string }
  | { type: 'evict'; key: string }
  /** A background refresh of a stale entry failed; the stale value keeps being served. */
  | { type: 'refresh-failed'; method: CachedMethod; key: string; error: unknown };

export interface CacheOptions {
  /** How long a result is fresh. 0 disables caching: every call goes to the inner source. */
  ttlMs: number;
  maxEntries: number;
  /** Bound on the estimated (JSON) size of all cached values and keys together. */
  maxBytes: number;
  /** Clock for TTLs, injectable for tests. */
  now?: () => number;
  /** Must not throw: it runs inside the cache's bookkeeping. */
  onEvent?: (event: CacheEvent) => void;
}

export interface CacheStats {
  hits: number;
  misses: number;
  staleHits: number;
  coalesced: number;
  entries: number;
  bytes: number;
  evictions: number;
}

/** Hears what an invalidation drops: the identifiers it matched, or 'all'. Must not throw. */
export type DropListener = (ids: ReadonlySet<string> | 'all') => void;

/**
 * The default listener: one function for every cache, so the hit path calls one target whichever
 * cache it serves (a closure per cache made V8 throw away the optimised hit check per cache).
 */
const ignoreEvent = (): void => {};

/** lru-cache cannot store `undefined`, and "not found" is worth caching too: every value is boxed. */
interface Boxed {
  readonly value: unknown;
}

/** The first element of a remembered answer's key: no port method is called so. */
const ANSWER = 'answer';

/** One cached result an answer was worked out from: the very box it read. */
interface Read {
  readonly key: string;
  readonly method: CachedMethod;
  readonly boxed: Boxed;
}

/** An answer kept beside the results it was worked out from (see remember). */
interface RememberedAnswer extends Boxed {
  readonly reads: readonly Read[];
}

/** What one answer being worked out has read so far, by key; a key read as two different boxes spoils it. */
interface ReadRecorder {
  reads: Map<string, Read>;
  spoilt: boolean;
}

/** A source that can keep answers worked out from what it holds (the cache below); the service asks it to. */
export interface AnswerMemo {
  remember<T>(key: readonly unknown[], work: () => Promise<T>): Promise<T>;
}

export function remembersAnswers(source: unknown): source is AnswerMemo {
  return source instanceof CachedLineageSource;
}

/** An entry as invalidation sees it. */
interface HeldEntry {
  key: string;
  method: CachedMethod | typeof ANSWER;
  /** The string arguments the entry was asked with. */
  strings: string[];
  boxed: Boxed | undefined;
  /** Its fetch is still running. */
  loading: boolean;
}

/** Methods whose results list many entities, any of which may be the one invalidated. */
const LISTINGS: ReadonlySet<CachedMethod> = new Set(['queryLineage', 'listEntities', 'searchResources', 'searchDataSources', 'listModelPackages', 'findTagged', 'findNamed']);

/** Passed to lru-cache's fetchMethod: how to load the value the first caller asked for. */
interface Loader {
  method: CachedMethod;
  load: () => Promise<unknown>;
}

export class CachedLineageSource implements LineageSource, AnswerMemo {
  readonly description: string;
  private readonly cache: LRUCache<string, Boxed, Loader> | undefined;
  private readonly onEvent: (event: CacheEvent) => void;
  private readonly counters = { hits: 0, misses: 0, staleHits: 0, coalesced: 0, evictions: 0 };
  /** Keys whose fetch is running (counted: a deleted key may be fetched again before the first fetch ends). */
  private readonly inflight = new Map<string, number>();
  /** Told of every invalidation, so what is cached beside this cache (pictures) follows it. */
  private readonly dropListeners = new Set<DropListener>();
  /** Answers being worked out under remember(), each hearing every read made meanwhile. */
  private readonly recorders = new Set<ReadRecorder>();

  constructor(
    private readonly inner: LineageSource,
    options: CacheOptions,
  ) {
    this.description = `${inner.description} (cached)`;
    this.onEvent = options.onEvent ?? ignoreEvent;
    if (options.ttlMs <= 0) return;
    this.cache = new LRUCache<string, Boxed, Loader>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (boxed, key) => estimateBytes(boxed, key),
      ttl: options.ttlMs,
      // Read the clock on every staleness check: it costs far less than the hit itself, and an
      // injected clock must be honoured at once rather than after lru-cache's 1 ms memo.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
      // Stale-while-revalidate: a stale entry is returned at once while one refresh runs.
      allowStale: true,
      // A failed refresh puts the stale value back instead of deleting it, so an outage of the
      // source degrades to older answers; a failed first load still rejects for every waiter.
      noDeleteOnFetchRejection: true,
      // Invalidation or eviction during a load must not fail the callers waiting on it; the
      // result then reaches them but is not stored.
      ignoreFetchAbort: true,
      fetchMethod: (key, stale, { context }) => this.load(key, stale, context),
      dispose: (_value, key, reason) => {
        if (reason !== 'evict') return;
        this.counters.evictions++;
        this.onEvent({ type: 'evict', key });
      },
    });
  }

  scope(): Promise<AccountScope | undefined> {
    return this.cached('scope', [], () => this.inner.scope());
  }

  describeEntity(arn: string): Promise<LineageEntity | undefined> {
    return this.cached('describeEntity', [arn], () => this.inner.describeEntity(arn));
  }

  listEntities(filter: EntityFilter, options: ListOptions = {}): Promise<LineageEntity[]> {
    // Fixed field order so equal filters share a key whatever order the caller wrote them in.
    const withProperties = options.withProperties !== false;
    const args = [filter.lineageType, filter.type ?? null, filter.sourceUri ?? null, filter.trialName ?? null, withProperties];
    return this.cached('listEntities', args, () => this.inner.listEntities(filter, { withProperties }));
  }

  /** `onVertices` hears the pages of a query this call loads; a hit, or a load already running for another caller, does not call it. */
  queryLineage(query: LineageQuery, onVertices?: VertexListener): Promise<LineageQueryResult> {
    const args = [query.startArn, query.direction, query.maxDepth];
    return this.cached('queryLineage', args, () => this.inner.queryLineage(query, onVertices));
  }

  describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined> {
    return this.cached('describeFeatureGroup', [nameOrArn], () => this.inner.describeFeatureGroup(nameOrArn));
  }

  describeModel(name: string): Promise<ModelResource | undefined> {
    return this.cached('describeModel', [name], () => this.inner.describeModel(name));
  }

  describeEndpoint(name: string): Promise<EndpointResource | undefined> {
    return this.cached('describeEndpoint', [name], () => this.inner.describeEndpoint(name));
  }

  describeEndpointConfig(name: string): Promise<EndpointConfigResource | undefined> {
    return this.cached('describeEndpointConfig', [name], () => this.inner.describeEndpointConfig(name));
  }

  describeTrainingJob(name: string): Promise<TrainingJobResource | undefined> {
    return this.cached('describeTrainingJob', [name], () => this.inner.describeTrainingJob(name));
  }

  describeProcessingJob(name: string): Promise<ProcessingJobResource | undefined> {
    return this.cached('describeProcessingJob', [name], () => this.inner.describeProcessingJob(name));
  }

  describeModelPackageGroup(nameOrArn: string): Promise<ModelPackageGroupResource | undefined> {
    return this.cached('describeModelPackageGroup', [nameOrArn], () => this.inner.describeModelPackageGroup(nameOrArn));
  }

  listModelPackages(groupNameOrArn: string): Promise<ModelPackageResource[]> {
    return this.cached('listModelPackages', [groupNameOrArn], () => this.inner.listModelPackages(groupNameOrArn));
  }

  describePipelineExecution(arn: string): Promise<PipelineExecutionResource | undefined> {
    return this.cached('describePipelineExecution', [arn], () => this.inner.describePipelineExecution(arn));
  }

  listTags(resourceArn: string): Promise<Record<string, string>> {
    return this.cached('listTags', [resourceArn], () => this.inner.listTags(resourceArn));
  }

  searchResources(text: string, kinds: readonly ResourceKind[], limit: number): Promise<ResourceHit[]> {
    return this.cached('searchResources', [text, [...kinds], limit], () => this.inner.searchResources(text, kinds, limit));
  }

  searchDataSources(text: string, limit: number): Promise<DataSourceSearch> {
    return this.cached('searchDataSources', [text, limit], () => this.inner.searchDataSources(text, limit));
  }

  findTagged(kinds: readonly SearchableKind[], keys: readonly string[], values: readonly string[]): Promise<TaggedHit[]> {
    return this.cached('findTagged', [[...kinds], [...keys], [...values]], () => this.inner.findTagged(kinds, keys, values));
  }

  findNamed(names: readonly string[], kinds: readonly SearchableKind[]): Promise<ResourceHit[]> {
    return this.cached('findNamed', [[...names], [...kinds]], () => this.inner.findNamed(names, kinds));
  }

  /**
   * Not cached: owners must be as SageMaker has them when a notice goes out, and the source reads
   * them in batches (a Search per 20 resources), so an impact's owners cost little to read again.
   */
  tagsOf(subjects: readonly TagSubject[]): Promise<SubjectTags[]> {
    return this.inner.tagsOf(subjects);
  }

  /**
   * Drops what the cache holds about one entity (an ARN, a name or an S3 URI) and everything
   * cached around it: entries asked with any of its names or ARNs, and lineage queries, listings
   * and searches whose results include it — so a refreshed feature group also refreshes the
   * answers that walked through it. Returns how many entries were dropped.
   */
  invalidate(ref: string): number {
    return this.drop(ref).length;
  }

  /**
   * Tells `listener` the identifiers each invalidation matches (the entity's names and ARNs as
   * far as the cache knows them), or 'all' when the cache is cleared. Returns how to stop.
   */
  onDrop(listener: DropListener): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** As invalidate, returning the keys dropped. */
  drop(ref: string): string[] {
    const cache = this.cache;
    const held = this.held();
    const ids = identifiersOf(ref, held);
    for (const listener of this.dropListeners) listener(ids);
    if (!cache) return [];
    const dropped: string[] = [];
    for (const { key, method, strings, boxed, loading } of held) {
      const mentioned =
        strings.some((s) => ids.has(s)) ||
        (boxed !== undefined && resultMentions(method, boxed.value, ids)) ||
        // A query or listing still loading may come back including the entity: it goes too (its
        // callers still get their answer, it is just not kept).
        (loading && method !== ANSWER && LISTINGS.has(method));
      if (mentioned && cache.delete(key)) dropped.push(key);
    }
    // A remembered answer read from what was dropped is no longer worth keeping.
    const gone = new Set(dropped);
    for (const { key, boxed } of held) {
      if (boxed && isRemembered(boxed) && boxed.reads.some((read) => gone.has(read.key)) && cache.delete(key)) dropped.push(key);
    }
    return dropped;
  }

  /** The keys held now, loading ones included. */
  keys(): Set<string> {
    return new Set(this.held().map((entry) => entry.key));
  }

  clear(): void {
    this.cache?.clear();
    for (const listener of this.dropListeners) listener('all');
  }

  stats(): CacheStats {
    return { ...this.counters, entries: this.cache?.size ?? 0, bytes: this.cache?.calculatedSize ?? 0 };
  }

  /**
   * An answer worked out by `work` from this cache's results, kept as an entry of the cache (so
   * within its entry and byte bounds) with the very results it read. Asked again, it is returned
   * as long as every one of those results is still held, fresh and unchanged — each checked as a
   * hit, which keeps them recently used — so a warm answer costs a lookup per result read instead
   * of the walk and the assembly again. Otherwise it is worked out afresh. Reads are recorded from
   * every caller while `work` runs, so answers worked out concurrently may record more than they
   * read: that costs a needless recomputation now and then, never a wrong answer. The answer is
   * frozen: callers share it.
   */
  async remember<T>(key: readonly unknown[], work: () => Promise<T>): Promise<T> {
    const cache = this.cache;
    if (!cache) return work();
    const answerKey = JSON.stringify([ANSWER, ...key]);
    const held = cache.get(answerKey, FRESH_ONLY);
    if (held !== undefined && isRemembered(held) && this.stillHolds(held.reads)) return held.value as T;
    const recorder: ReadRecorder = { reads: new Map(), spoilt: false };
    this.recorders.add(recorder);
    let answer: T;
    try {
      answer = await work();
    } finally {
      this.recorders.delete(recorder);
    }
    // Nothing read (nothing to tell a change by), or a result that changed while working: not kept.
    if (recorder.spoilt || recorder.reads.size === 0) return answer;
    const remembered: RememberedAnswer = { value: deepFreeze(answer), reads: Object.freeze([...recorder.reads.values()]) };
    cache.set(answerKey, Object.freeze(remembered));
    return answer;
  }

  /** Whether every result an answer read is still the one held, fresh; each counts as a hit. */
  private stillHolds(reads: readonly Read[]): boolean {
    const cache = this.cache;
    if (!cache) return false;
    // One lookup a result (warm answers make hundreds); hits are counted once all are known to hold.
    for (const { key, boxed } of reads) if (cache.get(key, FRESH_ONLY) !== boxed) return false;
    for (const { key, method, boxed } of reads) {
      this.counters.hits++;
      this.onEvent({ type: 'hit', method, key });
      // An answer remembered inside another one being worked out (owners asks consumers) is read from these too.
      if (this.recorders.size > 0) this.noteRead(method, key, boxed);
    }
    return true;
  }

  /** Tells every answer being worked out which box it (or a concurrent caller) read for `key`. */
  private noteRead(method: CachedMethod, key: string, boxed: Boxed): void {
    for (const recorder of this.recorders) {
      const earlier = recorder.reads.get(key);
      if (earlier === undefined) recorder.reads.set(key, { key, method, boxed });
      else if (earlier.boxed !== boxed) recorder.spoilt = true;
    }
  }

  /** Every entry, with its (possibly stale) value; entries still loading have none unless refreshing. */
  private held(): HeldEntry[] {
    const cache = this.cache;
    if (!cache) return [];
    const held = new Map<string, HeldEntry>();
    for (const [key, boxed] of cache.entries()) held.set(key, { key, ...parseKey(key), boxed, loading: false });
    // entries() skips keys whose fetch is running; peek shows the stale value a refresh replaces.
    for (const key of this.inflight.keys()) held.set(key, { key, ...parseKey(key), boxed: cache.peek(key), loading: true });
    return [...held.values()];
  }

  private async cached<T>(method: CachedMethod, args: readonly unknown[], load: () => Promise<T>): Promise<T> {
    const cache = this.cache;
    if (!cache) {
      this.counters.misses++;
      return load();
    }
    const key = JSON.stringify([method, ...args]);
    // A fresh hit is answered without fetch's machinery: warm answers make hundreds of these.
    // has() is false for a stale entry and for one still loading, which fetch then handles.
    if (cache.has(key)) {
      const fresh = cache.get(key);
      if (fresh !== undefined) {
        this.counters.hits++;
        this.onEvent({ type: 'hit', method, key });
        if (this.recorders.size > 0) this.noteRead(method, key, fresh);
        return fresh.value as T;
      }
    }
    const status: LRUCache.Status<string, Boxed, Loader> = {};
    const pending = cache.fetch(key, { context: { method, load }, status });
    this.record(method, key, status);
    const boxed = await pending;
    // fetch resolves to undefined only when a load was aborted without a value to fall back on,
    // which ignoreFetchAbort rules out; if it ever happens, answer from the source rather than lie.
    if (boxed === undefined) return load();
    if (this.recorders.size > 0) this.noteRead(method, key, boxed);
    // The key names the method, so the boxed value has the type that method returns.
    return boxed.value as T;
  }

  /** Counts the outcome lru-cache reports synchronously in `status` when fetch is called. */
  private record(method: CachedMethod, key: string, status: LRUCache.Status<string, Boxed, Loader>): void {
    let type: 'hit' | 'miss' | 'stale' | 'coalesced';
    if (status.returnedStale) type = 'stale';
    else if (status.fetch === 'hit') type = 'hit';
    else if (status.fetch === 'inflight') type = 'coalesced';
    else type = 'miss';
    const counter = { hit: 'hits', miss: 'misses', stale: 'staleHits', coalesced: 'coalesced' } as const;
    this.counters[counter[type]]++;
    this.onEvent({ type, method, key });
  }

  /** lru-cache's fetchMethod: one call to the inner source per key, however many callers wait. */
  private async load(key: string, stale: Boxed | undefined, loader: Loader): Promise<Boxed> {
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    try {
      const value = await loader.load();
      // The cache owns a frozen copy: callers share it, and none can change another's answer.
      return deepFreeze({ value: value === undefined ? undefined : structuredClone(value) });
    } catch (error) {
      // With a stale value nobody awaits this refresh (they got the stale value), so the failure
      // would otherwise go unseen; lru-cache then restores the stale value.
      if (stale !== undefined) this.onEvent({ type: 'refresh-failed', method: loader.method, key, error });
      throw error;
    } finally {
      const left = (this.inflight.get(key) ?? 1) - 1;
      if (left > 0) this.inflight.set(key, left);
      else this.inflight.delete(key);
    }
  }
}

/**
 * Every ARN and name the entity behind `ref` is known by, as far as the cache itself knows:
 * a feature group name leads to its ARN, which leads to the `fg-<name>` artifact standing for it.
 */
function identifiersOf(ref: string, held: readonly HeldEntry[]): Set<string> {
  const ids = new Set<string>([ref]);
  const parsed = parseArn(ref);
  if (parsed && !isLineageArn(parsed)) ids.add(parsed.resourceName);
  const groups = held.flatMap(({ method, boxed }) => (boxed ? aliasGroups(method, boxed.value) : []));
  // Grow to a fixed point: each round may link another alias group through a newly found id.
  for (let grown = true; grown; ) {
    grown = false;
    for (const group of groups) {
      if (!group.some((id) => ids.has(id)) || group.every((id) => ids.has(id))) continue;
      for (const id of group) ids.add(id);
      grown = true;
    }
  }
  return ids;
}

/**
 * Groups of identifiers that name one thing, found in a cached value (resources, entities, search
 * hits). Tags and query results name no entity of their own.
 */
function aliasGroups(method: CachedMethod | typeof ANSWER, value: unknown): string[][] {
  // A remembered answer goes with the results it read (see drop), not by what it names.
  if (method === ANSWER || method === 'listTags' || method === 'queryLineage' || method === 'scope') return [];
  if (Array.isArray(value)) return value.flatMap((item) => aliasGroups(method, item));
  if (!isRecord(value) || typeof value['arn'] !== 'string') return [];
  const arn = value['arn'];
  if (typeof value['lineageType'] === 'string') {
    const entity = value as unknown as LineageEntity;
    const group = [arn, classifyEntity(entity).name];
    if (entity.sourceUri) group.push(entity.sourceUri);
    // A lineage entity standing for a resource (fg-<name> → feature group ARN) is known by its name too.
    const resourceName = entity.sourceUri ? nameFromArn(entity.sourceUri) : undefined;
    if (resourceName) group.push(resourceName);
    return [group];
  }
  return [typeof value['name'] === 'string' ? [arn, value['name']] : [arn]];
}

/** Whether a cached result lists the entity (the key is checked separately). */
function resultMentions(method: CachedMethod | typeof ANSWER, value: unknown, ids: ReadonlySet<string>): boolean {
  if (method === 'queryLineage') return (value as LineageQueryResult).vertices.some((vertex) => ids.has(vertex.arn));
  return aliasGroups(method, value).some((group) => group.some((id) => ids.has(id)));
}

function parseKey(key: string): { method: CachedMethod | typeof ANSWER; strings: string[] } {
  const [method, ...args] = JSON.parse(key) as [CachedMethod | typeof ANSWER, ...unknown[]];
  return { method, strings: args.flat().filter((arg): arg is string => typeof arg === 'string') };
}

/**
 * Rough bytes of an entry: its JSON text plus its key. Objects on the heap take a few times
 * their JSON size, so maxBytes bounds the cache's memory up to that factor — a stable, cheap
 * estimate is what makes the bound enforceable at all.
 */
function estimateBytes(boxed: Boxed, key: string): number {
  // A remembered answer also holds a reference per result it read, each with its key (the key's
  // text is the entry's own, counted there).
  const reads = isRemembered(boxed) ? boxed.reads.length * BYTES_PER_READ : 0;
  return Math.max(1, (JSON.stringify(boxed.value) ?? '').length + key.length + reads);
}

/**
 * A lookup that gives nothing for a stale entry and leaves it in place (a fetch then serves it
 * while refreshing), and keeps a fresh one recently used. Not frozen: lru-cache writes `status` into it.
 */
const FRESH_ONLY: LRUCache.GetOptions<string, Boxed, Loader> = { allowStale: false, noDeleteOnStaleGet: true };

/** A rough heap cost of one recorded read: the small object and its slot in the array. */
const BYTES_PER_READ = 48;

function isRemembered(boxed: Boxed): boxed is RememberedAnswer {
  return 'reads' in boxed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function deepFreeze<T>(value: T): T {
  if (isRecord(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The counters as one log line (no keys, no values). */
export function cacheStatsLine(s: CacheStats): string {
  const lookups = s.hits + s.misses;
  const rate = lookups === 0 ? '-' : `${Math.round((100 * s.hits) / lookups)}%`;
  return `Lineage cache: ${s.hits} hits, ${s.misses} misses (hit rate ${rate}), ${s.staleHits} stale served, ${s.coalesced} coalesced, ${s.entries} entries, ${s.bytes} bytes, ${s.evictions} evictions`;
}
