// Round trips an answer saves by asking ahead (issue 16's floor): a feature group's lineage
// entities are listed beside its describe, by an ARN built from the account read, and the answer
// is the same whether that guess is right or wrong. Structural, not timed: a describe held open
// shows what was asked before it answered.
import { describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { AccountScope, EntityFilter, FeatureGroupResource, LineageEntity } from '../../src/lineage/lineage-source.js';
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DEMO_LIMITS } from '../support/demo.js';

/** The demo account, with each feature group describe held until `release()`, and what was listed meanwhile. */
class HeldDescribes extends SnapshotSource {
  readonly listedWhileHeld: string[] = [];
  private held = true;
  private waiting: (() => void)[] = [];

  constructor(private readonly readAccount?: AccountScope) {
    super(demoSnapshot(), 'demo');
  }

  override async describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.describeFeatureGroup(nameOrArn);
  }

  override async listEntities(filter: EntityFilter): Promise<LineageEntity[]> {
    if (this.held && filter.sourceUri) this.listedWhileHeld.push(filter.sourceUri);
    return super.listEntities(filter);
  }

  override async scope(): Promise<AccountScope | undefined> {
    return this.readAccount ?? super.scope();
  }

  release(): void {
    this.held = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('resolving a feature group', () => {
  it('lists its lineage entities beside the describe, not after it', async () => {
    const source = new HeldDescribes();
    const answer = new LineageService(source, DEMO_LIMITS).consumers('customers');
    // Every describe is held: nothing can answer, so any number of turns of the event loop lets
    // through only what is asked without waiting for one.
    for (let i = 0; i < 50 && source.listedWhileHeld.length === 0; i++) await settle();
    const arn = (await new SnapshotSource(demoSnapshot(), 'demo').describeFeatureGroup('customers'))?.arn as string;
    expect(source.listedWhileHeld).toContain(arn);
    source.release();
    const plain = await new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS).consumers('customers');
    expect(await answer).toEqual(plain);
  });

  it('answers the same when the ARN built from the account is not the group’s (the guess is not used)', async () => {
    const source = new HeldDescribes({ partition: 'aws', region: 'eu-west-1', account: '999999999999' });
    source.release();
    const service = new LineageService(source, DEMO_LIMITS);
    const plain = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS);
    expect(await service.consumers('customers')).toEqual(await plain.consumers('customers'));
    expect(await service.dependencies('fraud-detector', 'Model')).toEqual(await plain.dependencies('fraud-detector', 'Model'));
  });

  it('answers the same when the account is not known (nothing is guessed)', async () => {
    const source = new HeldDescribes({ partition: 'aws', region: 'us-east-1' });
    source.release();
    const plain = new LineageService(new SnapshotSource(demoSnapshot(), 'demo'), DEMO_LIMITS);
    expect(await new LineageService(source, DEMO_LIMITS).consumers('customers')).toEqual(await plain.consumers('customers'));
  });
});
