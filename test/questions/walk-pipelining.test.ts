// Describing what an answer shows starts while the lineage query is still paging, not after its
// last page: over SageMaker that overlaps the sequential QueryLineage pages with the describes.
// Starting early must not change answers, fail them, or leak work past the walk.
import { afterEach, describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { Throttled } from '../../src/lineage/errors.js';
import { Limiter } from '../../src/lineage/pool.js';
import { LineageService } from '../../src/lineage/service.js';
import type { LineageEntity, LineageQuery, LineageQueryResult, VertexListener } from '../../src/lineage/lineage-source.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DEMO_LIMITS, names } from '../support/demo.js';
import { nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testSource } from '../support/sagemaker-nock.js';

const DESCRIBES = new Set(['DescribeArtifact', 'DescribeContext', 'DescribeAction', 'DescribeTrialComponent']);

let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('over SageMaker', () => {
  it('describes entities found on early QueryLineage pages before asking for the last page', async () => {
    const requests: string[] = [];
    // One vertex a page and a delay per call: pages are many and strictly one after another.
    fake = await nockFakeSageMaker(demoSnapshot(), { pageSize: 1, delayMs: 5, onRequest: (operation) => requests.push(operation) });
    const service = new LineageService(testSource({ endpoint: fake.url, maxAttempts: 1, concurrency: 8 }), DEMO_LIMITS);

    const answer = await service.consumers('customers');

    expect(names(answer.models.map((m) => m.model))).toEqual(['churn-predictor', 'fraud-detector']);
    const lastPage = requests.lastIndexOf('QueryLineage');
    const firstDescribe = requests.findIndex((operation) => DESCRIBES.has(operation));
    expect(requests.filter((operation) => operation === 'QueryLineage').length).toBeGreaterThan(3);
    expect(firstDescribe).toBeGreaterThanOrEqual(0);
    expect(firstDescribe).toBeLessThan(lastPage);
  });
});

/** The demo, telling listeners of its vertices farthest first, and refusing to describe some ARNs. */
class StreamingDemo extends SnapshotSource {
  readonly described: string[] = [];
  refuse = new Set<string>();
  /** Tells the listener only after the result has been returned, as a cache's background refresh would. */
  late = false;

  constructor() {
    super(demoSnapshot(), 'streaming demo');
  }

  override async queryLineage(query: LineageQuery, onVertices?: VertexListener): Promise<LineageQueryResult> {
    const result = await super.queryLineage(query);
    const farthestFirst = [...result.vertices].reverse();
    if (this.late) setTimeout(() => onVertices?.(farthestFirst), 0);
    else onVertices?.(farthestFirst);
    return result;
  }

  override async describeEntity(arn: string): Promise<LineageEntity | undefined> {
    this.described.push(arn);
    if (this.refuse.has(arn)) throw new Throttled('Rate exceeded');
    return super.describeEntity(arn);
  }
}

describe('starting describes early', () => {
  it('gives the same answers as describing after the walk', async () => {
    const streaming = new LineageService(new StreamingDemo(), DEMO_LIMITS);
    const plain = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS);
    for (const featureGroup of ['customers', 'claims', 'claims-v2']) {
      expect(await streaming.consumers(featureGroup)).toEqual(await plain.consumers(featureGroup));
    }
    expect(await streaming.trail('fraud-detector')).toEqual(await plain.trail('fraud-detector'));
    expect(await streaming.dependencies('fraud-detector-prod')).toEqual(await plain.dependencies('fraud-detector-prod'));
  });

  it('ignores a failed early describe of an entity the size limit leaves out, and fails on one it keeps', async () => {
    const source = new StreamingDemo();
    const all = await new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS).consumers('customers');
    const endpointArns = all.endpoints.map((e) => e.arn);
    // Endpoints are the farthest vertices: with room for the start and one hop they are left out,
    // yet they are told first, so they are the ones described early.
    source.refuse = new Set(endpointArns);
    const small = new LineageService(source, { ...DEMO_LIMITS, maxVertices: 3 });
    const cut = await small.consumers('customers');
    expect(cut.truncation?.sizeExceeded).toBe(true);
    expect(cut.endpoints).toEqual([]);
    expect(source.described).toEqual(expect.arrayContaining(endpointArns));

    const whole = new LineageService(source, DEMO_LIMITS);
    await expect(whole.consumers('customers')).rejects.toBeInstanceOf(Throttled);
  });

  it('starts no describes for pages heard after the query answered (a stale entry refreshing)', async () => {
    const source = new StreamingDemo();
    source.late = true;
    // A size limit leaves endpoints undescribed, so a late listener would have something to start.
    const service = new LineageService(source, { ...DEMO_LIMITS, maxVertices: 3 });
    await service.consumers('customers');
    const afterAnswer = source.described.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(source.described.length).toBe(afterAnswer);
  });

  it('never describes more early than the size limit allows', async () => {
    const source = new StreamingDemo();
    const all = await new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS).trail('fraud-detector');
    expect(all.stages.length).toBeGreaterThan(3);
    await new LineageService(source, { ...DEMO_LIMITS, maxVertices: 2 }).trail('fraud-detector');
    // Two walks (up and down), each keeping 2 vertices, the start among them: at most 2 early and 1 kept each.
    expect(new Set(source.described).size).toBeLessThanOrEqual(2 * (2 + 1));
  });
});

describe('Limiter', () => {
  it('keeps at most `limit` tasks in flight, even as finishing tasks hand their slots on', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (id: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      order.push(id);
      running--;
      return id;
    };
    const first = Array.from({ length: 5 }, (_, id) => limiter.run(task(id)));
    // Newcomers arriving while a slot is being handed over must still wait their turn.
    const late = first[0]!.then(() => Promise.all([limiter.run(task(10)), limiter.run(task(11))]));
    expect(await Promise.all(first)).toEqual([0, 1, 2, 3, 4]);
    expect(await late).toEqual([10, 11]);
    expect(peak).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
  });

  it('frees the slot of a task that fails', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });
});
