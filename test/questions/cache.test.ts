// The lineage cache over a counting fake source: what reaches the inner source, when, and how often.
import { describe, expect, it } from 'vitest';
import { CachedLineageSource, type CacheEvent, type CacheOptions } from '../../src/lineage/cache.js';
import { SourceUnavailable } from '../../src/lineage/errors.js';
import type {
  EntityFilter,
  FeatureGroupResource,
  LineageQuery,
  LineageSource,
  ResourceKind,
  SearchableKind,
  TagSubject,
} from '../../src/lineage/lineage-source.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { parseSnapshot } from '../../src/lineage/sources/snapshot-file.js';

const PREFIX = 'arn:aws:sagemaker:us-east-1:111122223333';
const FG_CUSTOMERS = `${PREFIX}:feature-group/customers`;
const FG_ORDERS = `${PREFIX}:feature-group/orders`;
const ART = {
  raw: `${PREFIX}:artifact/0000000000000000000000000000raw1`,
  fgCustomers: `${PREFIX}:artifact/00000000000000000000000000000fg1`,
  fgOrders: `${PREFIX}:artifact/00000000000000000000000000000fg2`,
  dataset1: `${PREFIX}:artifact/00000000000000000000000000000ds1`,
  dataset2: `${PREFIX}:artifact/00000000000000000000000000000ds2`,
  model1: `${PREFIX}:artifact/000000000000000000000000000model1`,
  model2: `${PREFIX}:artifact/000000000000000000000000000model2`,
};
const TC = {
  train1: `${PREFIX}:experiment-trial-component/train-1-aws-training-job`,
  train2: `${PREFIX}:experiment-trial-component/train-2-aws-training-job`,
};

/** Two independent helper-library chains: customers → model-1 and orders → model-2. */
function account(): SnapshotSource {
  const query = (table: string) => Buffer.from(`SELECT * FROM "${table}"`).toString('base64');
  const snapshot = parseSnapshot(
    {
      FormatVersion: 1,
      Artifacts: [
        { ArtifactArn: ART.raw, ArtifactType: 'DataSet', Source: { SourceUri: 's3://raw/customers.csv' } },
        { ArtifactArn: ART.fgCustomers, ArtifactName: 'fg-customers', ArtifactType: 'FeatureGroup', Source: { SourceUri: FG_CUSTOMERS } },
        { ArtifactArn: ART.fgOrders, ArtifactName: 'fg-orders', ArtifactType: 'FeatureGroup', Source: { SourceUri: FG_ORDERS } },
        {
          ArtifactArn: ART.dataset1,
          ArtifactType: 'DataSet',
          Source: { SourceUri: 's3://train/ds1' },
          Properties: { Base64FeatureStoreQueryString: query('customers') },
        },
        {
          ArtifactArn: ART.dataset2,
          ArtifactType: 'DataSet',
          Source: { SourceUri: 's3://train/ds2' },
          Properties: { Base64FeatureStoreQueryString: query('orders') },
        },
        { ArtifactArn: ART.model1, ArtifactType: 'Model', Source: { SourceUri: 's3://models/1/model.tar.gz' }, Properties: { SageMakerModelName: 'model-1' } },
        { ArtifactArn: ART.model2, ArtifactType: 'Model', Source: { SourceUri: 's3://models/2/model.tar.gz' }, Properties: { SageMakerModelName: 'model-2' } },
      ],
      TrialComponents: [
        { TrialComponentArn: TC.train1, TrialComponentName: 'train-1-aws-training-job', Source: { SourceArn: `${PREFIX}:training-job/train-1`, SourceType: 'SageMakerTrainingJob' } },
        { TrialComponentArn: TC.train2, TrialComponentName: 'train-2-aws-training-job', Source: { SourceArn: `${PREFIX}:training-job/train-2`, SourceType: 'SageMakerTrainingJob' } },
      ],
      Associations: [
        { SourceArn: ART.raw, DestinationArn: ART.fgCustomers, AssociationType: 'ContributedTo' },
        { SourceArn: ART.fgCustomers, DestinationArn: ART.dataset1, AssociationType: 'ContributedTo' },
        { SourceArn: ART.dataset1, DestinationArn: TC.train1, AssociationType: 'ContributedTo' },
        { SourceArn: TC.train1, DestinationArn: ART.model1, AssociationType: 'Produced' },
        { SourceArn: ART.fgOrders, DestinationArn: ART.dataset2, AssociationType: 'ContributedTo' },
        { SourceArn: ART.dataset2, DestinationArn: TC.train2, AssociationType: 'ContributedTo' },
        { SourceArn: TC.train2, DestinationArn: ART.model2, AssociationType: 'Produced' },
      ],
      FeatureGroups: ['customers', 'orders'].map((name) => ({
        FeatureGroupArn: `${PREFIX}:feature-group/${name}`,
        FeatureGroupName: name,
        RecordIdentifierFeatureName: 'id',
        EventTimeFeatureName: 'ts',
        FeatureDefinitions: [
          { FeatureName: 'id', FeatureType: 'String' },
          { FeatureName: 'ts', FeatureType: 'Fractional' },
        ],
      })),
      Models: [1, 2].map((n) => ({
        ModelName: `model-${n}`,
        ModelArn: `${PREFIX}:model/model-${n}`,
        PrimaryContainer: { ModelDataUrl: `s3://models/${n}/model.tar.gz` },
      })),
    },
    'cache test account',
  );
  return new SnapshotSource(snapshot, 'test snapshot');
}

/**
 * Counts calls per method. `hold()` makes every call wait until released, so a test controls
 * what is in flight; `failWith` makes calls reject. describeFeatureGroup stamps the call number
 * into `description`, so a test can tell a stale answer from a refreshed one.
 */
class CountingSource implements LineageSource {
  readonly description = 'counting fake';
  readonly calls = new Map<string, number>();
  failWith: Error | undefined;
  private gate: Promise<void> | undefined;

  constructor(private readonly inner: LineageSource) {}

  total(): number {
    return [...this.calls.values()].reduce((sum, n) => sum + n, 0);
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  /** Holds every call made from now on until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  private async run<T>(method: string, answer: () => Promise<T>): Promise<T> {
    this.calls.set(method, this.count(method) + 1);
    const failure = this.failWith;
    await this.gate;
    if (failure) throw failure;
    return answer();
  }

  scope = () => this.run('scope', () => this.inner.scope());
  describeEntity = (arn: string) => this.run('describeEntity', () => this.inner.describeEntity(arn));
  listEntities = (filter: EntityFilter) => this.run('listEntities', () => this.inner.listEntities(filter));
  queryLineage = (query: LineageQuery) => this.run('queryLineage', () => this.inner.queryLineage(query));
  describeFeatureGroup = (nameOrArn: string) =>
    this.run('describeFeatureGroup', async (): Promise<FeatureGroupResource | undefined> => {
      const group = await this.inner.describeFeatureGroup(nameOrArn);
      return group && { ...group, description: `call ${this.count('describeFeatureGroup')}` };
    });
  describeModel = (name: string) => this.run('describeModel', () => this.inner.describeModel(name));
  describeEndpoint = (name: string) => this.run('describeEndpoint', () => this.inner.describeEndpoint(name));
  describeEndpointConfig = (name: string) => this.run('describeEndpointConfig', () => this.inner.describeEndpointConfig(name));
  describeTrainingJob = (name: string) => this.run('describeTrainingJob', () => this.inner.describeTrainingJob(name));
  describeProcessingJob = (name: string) => this.run('describeProcessingJob', () => this.inner.describeProcessingJob(name));
  describeModelPackageGroup = (name: string) => this.run('describeModelPackageGroup', () => this.inner.describeModelPackageGroup(name));
  listModelPackages = (group: string) => this.run('listModelPackages', () => this.inner.listModelPackages(group));
  describePipelineExecution = (arn: string) => this.run('describePipelineExecution', () => this.inner.describePipelineExecution(arn));
  listTags = (arn: string) => this.run('listTags', () => this.inner.listTags(arn));
  searchResources = (text: string, kinds: readonly ResourceKind[], limit: number) =>
    this.run('searchResources', () => this.inner.searchResources(text, kinds, limit));
  searchDataSources = (text: string, limit: number) => this.run('searchDataSources', () => this.inner.searchDataSources(text, limit));
  findTagged = (kinds: readonly SearchableKind[], keys: readonly string[], values: readonly string[]) =>
    this.run('findTagged', () => this.inner.findTagged(kinds, keys, values));
  findNamed = (names: readonly string[], kinds: readonly SearchableKind[]) => this.run('findNamed', () => this.inner.findNamed(names, kinds));
  tagsOf = (subjects: readonly TagSubject[]) => this.run('tagsOf', () => this.inner.tagsOf(subjects));
}

/** A cache over a counting source, with a hand-driven clock and recorded events. */
function setup(options: Partial<CacheOptions> = {}) {
  const source = new CountingSource(account());
  const clock = { now: 1_000_000 };
  const events: CacheEvent[] = [];
  const cache = new CachedLineageSource(source, {
    ttlMs: 60_000,
    maxEntries: 100,
    maxBytes: 1_000_000,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { source, cache, clock, events };
}

const upstreamOf = (startArn: string): LineageQuery => ({ startArn, direction: 'Ascendants', maxDepth: 10 });

/** Lets pending promise callbacks (a background refresh settling) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CachedLineageSource', () => {
  it('answers a repeated question from the cache without calling the source', async () => {
    const { source, cache } = setup();
    const first = await cache.describeFeatureGroup('customers');
    const second = await cache.describeFeatureGroup('customers');
    expect(second).toEqual(first);
    expect(source.count('describeFeatureGroup')).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('caches "not found" too', async () => {
    const { source, cache } = setup();
    expect(await cache.describeModel('no-such-model')).toBeUndefined();
    expect(await cache.describeModel('no-such-model')).toBeUndefined();
    expect(source.count('describeModel')).toBe(1);
  });

  it('keys on every argument: different questions are different entries', async () => {
    const { source, cache } = setup();
    await cache.queryLineage(upstreamOf(ART.model1));
    await cache.queryLineage({ ...upstreamOf(ART.model1), maxDepth: 2 });
    await cache.queryLineage({ ...upstreamOf(ART.model1), direction: 'Descendants' });
    await cache.listEntities({ lineageType: 'Artifact', type: 'FeatureGroup' });
    await cache.listEntities({ type: 'FeatureGroup', lineageType: 'Artifact' });
    expect(source.count('queryLineage')).toBe(3);
    expect(source.count('listEntities')).toBe(1);
  });

  it('says it is cached in its description', () => {
    expect(setup().cache.description).toBe('counting fake (cached)');
  });

  it('hands out frozen answers so one caller cannot change what the next one sees', async () => {
    const { cache } = setup();
    const result = await cache.queryLineage(upstreamOf(ART.model1));
    expect(() => result.vertices.push({ arn: 'x', lineageType: 'Artifact' })).toThrow(TypeError);
    expect((await cache.queryLineage(upstreamOf(ART.model1))).vertices).toHaveLength(result.vertices.length);
  });

  it('refetches once the TTL has passed', async () => {
    const { source, cache, clock } = setup({ ttlMs: 1_000 });
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 1');
    clock.now += 999;
    await cache.describeFeatureGroup('customers');
    expect(source.count('describeFeatureGroup')).toBe(1);
    clock.now += 2;
    await cache.describeFeatureGroup('customers'); // stale: served, and refreshed behind it
    await settle();
    expect(source.count('describeFeatureGroup')).toBe(2);
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 2');
  });

  it('serves the stale answer while one refresh runs, then the fresh one', async () => {
    const { source, cache, clock, events } = setup({ ttlMs: 1_000 });
    await cache.describeFeatureGroup('customers');
    clock.now += 5_000;
    const release = source.hold();
    const during = await Promise.all([1, 2, 3].map(() => cache.describeFeatureGroup('customers')));
    expect(during.map((group) => group?.description)).toEqual(['call 1', 'call 1', 'call 1']);
    expect(source.count('describeFeatureGroup')).toBe(2);
    release();
    await settle();
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 2');
    expect(cache.stats()).toMatchObject({ misses: 1, staleHits: 3, hits: 1 });
    expect(events.filter((e) => e.type === 'stale')).toHaveLength(3);
  });

  it('keeps serving the stale answer when a background refresh fails, and reports the failure', async () => {
    const { source, cache, clock, events } = setup({ ttlMs: 1_000 });
    await cache.describeFeatureGroup('customers');
    clock.now += 5_000;
    source.failWith = new SourceUnavailable('SageMaker is down');
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 1');
    await settle();
    expect(events).toContainEqual(expect.objectContaining({ type: 'refresh-failed', method: 'describeFeatureGroup' }));
    // Still there, still stale: the next question tries another refresh and is not failed by it.
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 1');
    await settle();
    expect(source.count('describeFeatureGroup')).toBe(3);
    source.failWith = undefined;
    await cache.describeFeatureGroup('customers');
    await settle();
    expect((await cache.describeFeatureGroup('customers'))?.description).toBe('call 4');
  });

  it('coalesces concurrent identical questions into one call', async () => {
    const { source, cache } = setup();
    const release = source.hold();
    const pending = Array.from({ length: 10 }, () => cache.queryLineage(upstreamOf(ART.model1)));
    release();
    const results = await Promise.all(pending);
    expect(source.count('queryLineage')).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.vertices.map((v) => v.arn)).toContain(ART.fgCustomers);
    expect(cache.stats()).toMatchObject({ misses: 1, coalesced: 9 });
  });

  it('does not cache errors, and every waiting caller gets the error', async () => {
    const { source, cache } = setup();
    const failure = new SourceUnavailable('connection reset');
    source.failWith = failure;
    const release = source.hold();
    const pending = Array.from({ length: 5 }, () => cache.describeEntity(ART.model1));
    release();
    const outcomes = await Promise.allSettled(pending);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual(Array(5).fill(failure));
    expect(source.count('describeEntity')).toBe(1);
    expect(cache.stats().entries).toBe(0);
    source.failWith = undefined;
    expect((await cache.describeEntity(ART.model1))?.arn).toBe(ART.model1);
    expect(source.count('describeEntity')).toBe(2);
  });

  it('evicts the least recently used entries beyond maxEntries', async () => {
    const { source, cache, events } = setup({ maxEntries: 3 });
    for (const arn of Object.values(ART).slice(0, 5)) await cache.describeEntity(arn);
    expect(cache.stats()).toMatchObject({ entries: 3, evictions: 2 });
    expect(events.filter((e) => e.type === 'evict')).toHaveLength(2);
    await cache.describeEntity(ART.raw); // the first one asked was evicted
    expect(source.count('describeEntity')).toBe(6);
  });

  it('evicts to stay under maxBytes', async () => {
    const { cache } = setup({ maxBytes: 2_000 });
    const sizes: number[] = [];
    for (const start of [...Object.values(ART), ...Object.values(TC)]) {
      await cache.queryLineage({ startArn: start, direction: 'Both', maxDepth: 10 });
      sizes.push(cache.stats().bytes);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2_000);
    expect(cache.stats().evictions).toBeGreaterThan(0);
  });

  it('does not store a single answer bigger than maxBytes, but still returns it', async () => {
    const { cache } = setup({ maxBytes: 100 });
    const result = await cache.queryLineage({ startArn: ART.model1, direction: 'Both', maxDepth: 10 });
    expect(result.vertices.length).toBeGreaterThan(1);
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('invalidates an entity, its aliases and every query result that walked through it', async () => {
    const { source, cache } = setup();
    await cache.describeFeatureGroup('customers');
    await cache.listEntities({ lineageType: 'Artifact', sourceUri: FG_CUSTOMERS });
    await cache.describeEntity(ART.fgCustomers);
    await cache.queryLineage(upstreamOf(ART.model1)); // walks through fg-customers
    await cache.queryLineage(upstreamOf(ART.model2)); // does not
    await cache.describeModel('model-2');
    await cache.searchResources('cust', ['FeatureGroup'], 10);

    expect(cache.invalidate('customers')).toBe(5);
    expect(cache.stats().entries).toBe(2);

    await cache.queryLineage(upstreamOf(ART.model1));
    await cache.queryLineage(upstreamOf(ART.model2));
    await cache.describeModel('model-2');
    expect(source.count('queryLineage')).toBe(3);
    expect(source.count('describeModel')).toBe(1);
  });

  it('invalidates by lineage ARN and by S3 URI', async () => {
    const { cache } = setup();
    await cache.describeEntity(ART.raw);
    await cache.queryLineage({ startArn: ART.model1, direction: 'Ascendants', maxDepth: 10 });
    await cache.queryLineage(upstreamOf(ART.model2));
    expect(cache.invalidate('s3://raw/customers.csv')).toBe(2);
    await cache.describeEntity(ART.dataset2);
    expect(cache.invalidate(ART.dataset2)).toBe(2); // its own entry and model-2's upstream query
    expect(cache.stats().entries).toBe(0);
  });

  it('drops an in-flight query on invalidation without failing the caller waiting for it', async () => {
    const { source, cache } = setup();
    const release = source.hold();
    const pending = cache.queryLineage(upstreamOf(ART.model1));
    expect(cache.invalidate('customers')).toBe(1);
    release();
    expect((await pending).vertices.map((v) => v.arn)).toContain(ART.fgCustomers);
    await cache.queryLineage(upstreamOf(ART.model1));
    expect(source.count('queryLineage')).toBe(2);
  });

  it('sees the stale value behind a running refresh when invalidating', async () => {
    const { source, cache, clock } = setup({ ttlMs: 1_000 });
    await cache.describeEntity(ART.fgCustomers);
    clock.now += 5_000;
    const release = source.hold();
    expect((await cache.describeEntity(ART.fgCustomers))?.name).toBe('fg-customers'); // stale, refresh running
    expect(cache.invalidate('customers')).toBe(1);
    release();
    await settle();
    await cache.describeEntity(ART.fgCustomers);
    expect(source.count('describeEntity')).toBe(3); // the refreshed value was not kept
  });

  it('clear() empties the cache', async () => {
    const { source, cache } = setup();
    await cache.describeModel('model-1');
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
    await cache.describeModel('model-1');
    expect(source.count('describeModel')).toBe(2);
  });

  it('passes every call through when the TTL is 0', async () => {
    const { source, cache } = setup({ ttlMs: 0 });
    await cache.describeFeatureGroup('customers');
    await cache.describeFeatureGroup('customers');
    await Promise.all([cache.queryLineage(upstreamOf(ART.model1)), cache.queryLineage(upstreamOf(ART.model1))]);
    expect(source.total()).toBe(4);
    expect(cache.invalidate('customers')).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 4, entries: 0, bytes: 0 });
  });
});
