// Claims after a crash: who holds them, when a holder is certainly gone (only then are its claims
// taken over at once), and the heartbeat that keeps a live holder's claims — and stops its sends
// when it cannot renew them, before another replica could take them.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createNoticeRenderer } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryWorker } from '../../src/notices/delivery-worker.js';
import { SlackHistory, SlackNoticePoster } from '../../src/notices/slack/index.js';
import { holderState, newHolderId, parseHolderId, systemProcessTable, takeOverFromGoneHolders, type ProcessIdentity, type ProcessTable } from '../../src/notices/holder.js';
import { ClaimLease } from '../../src/notices/lease.js';
import type { Store } from '../../src/store/index.js';
import { interceptSlack } from '../support/slack-http.js';
import { createWorld, ManualClock, PEOPLE, T0, type World, type WorldOptions } from '../support/slack-world.js';

const HERE: ProcessIdentity = { host: 'bot-1', boot: 'b00t', pidNamespace: '4026531836', pid: 4242, startTicks: '1000' };

/** A process table with the given processes (pid → start ticks) besides this one. */
function table(others: Record<number, string>, current: ProcessIdentity = HERE): ProcessTable {
  return { current: () => current, startTicksOf: (pid) => (pid === current.pid ? current.startTicks : others[pid]) };
}

const quiet = () => createLogger({ level: 'error', write: () => {} });

let world: World | undefined;
let release = () => {};
afterEach(async () => {
  await world?.close();
  world = undefined;
  release();
});

/** A world with one notice announced to the demo's two owners (three deliveries with the summary). */
async function announced(options: WorldOptions = {}): Promise<World> {
  world = await createWorld(options);
  release = interceptSlack(world.fake).release;
  await world.system.service.announce({ featureGroup: 'customers', kind: 'deprecation', effectiveDate: '2026-02-01', userId: PEOPLE.priya.id, channelId: 'CANNOUNCE', sourceKey: 'test:claims' });
  return world;
}

describe('whether the holder of a claim is gone', () => {
  const own = newHolderId(HERE);

  it('names the process in the holder id, and reads it back', () => {
    const id = newHolderId(HERE);
    expect(id).toMatch(/^lineage-bot\/bot-1\/b00t\/4026531836\/4242\/1000\/[0-9a-f]{8}$/);
    expect(parseHolderId(id)).toEqual(HERE);
    expect(parseHolderId('lineage-bot-123-abc')).toBeUndefined(); // ids of older versions
    expect(newHolderId(HERE)).not.toBe(id);
  });

  it('is gone only when certain: same boot and PID namespace, and no process with that PID and start time', () => {
    const of = (identity: Partial<ProcessIdentity>) => newHolderId({ ...HERE, ...identity });
    // A previous process on this host, killed: its PID is free, or now belongs to a younger process.
    expect(holderState(of({ pid: 17, startTicks: '900' }), table({}), own)).toBe('gone');
    expect(holderState(of({ pid: 17, startTicks: '900' }), table({ 17: '5000' }), own)).toBe('gone');
    // This very PID in a restarted container or service: the holder was the process before this one.
    expect(holderState(of({ startTicks: '900' }), table({}), own)).toBe('gone');
  });

  it('never takes another replica for dead', () => {
    const of = (identity: Partial<ProcessIdentity>) => newHolderId({ ...HERE, ...identity });
    expect(holderState(own, table({}), own)).toBe('alive');
    // Another process on this host that is running (say, a second replica on one SQLite file).
    expect(holderState(of({ pid: 17, startTicks: '900' }), table({ 17: '900' }), own)).toBe('alive');
    // Another notice system in this very process (same PID and start time, another id).
    expect(holderState(of({}), table({}), own)).toBe('alive');
    // Another container (its own PID namespace), another host or boot: its PIDs mean nothing here.
    expect(holderState(of({ pid: 17, pidNamespace: '4026532999' }), table({}), own)).toBe('unknown');
    expect(holderState(of({ pid: 17, boot: 'other', host: 'bot-2' }), table({}), own)).toBe('unknown');
    // Without /proc nothing can be told.
    expect(holderState(newHolderId({ host: 'mac', pid: 17 }), table({}, { host: 'mac', pid: 4242 }), newHolderId({ host: 'mac', pid: 4242 }))).toBe('unknown');
    expect(holderState('worker-1', table({}), own)).toBe('unknown');
  });

  it('tells a running process from one that has exited, on this system', async () => {
    const here = systemProcessTable.current();
    expect(here.boot && here.pidNamespace && here.startTicks).toBeTruthy();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid as number;
    const startTicks = systemProcessTable.startTicksOf(pid);
    const holder = newHolderId({ ...here, pid, ...(startTicks ? { startTicks } : {}) });
    const ownId = newHolderId(here);
    expect(holderState(holder, systemProcessTable, ownId)).toBe('alive');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(holderState(holder, systemProcessTable, ownId)).toBe('gone');
  });

  it('takes over at start-up only what gone holders held', async () => {
    const world = await announced();
    const gone = newHolderId({ ...HERE, pid: 17, startTicks: '900' });
    const alive = newHolderId({ ...HERE, pid: 18, startTicks: '901' });
    const elsewhere = newHolderId({ ...HERE, pidNamespace: '4026532999', pid: 19 });
    const [a, b, c] = await Promise.all([gone, alive, elsewhere].map((worker) => world.store.claimDeliveries({ worker, now: T0, leaseMs: 30_000, limit: 1 })));
    const freed = await takeOverFromGoneHolders(world.store, { ownId: newHolderId(HERE), table: table({ 18: '901' }), logger: quiet(), now: T0 + 1 });
    expect(freed).toBe(1);
    const reclaimed = await world.store.claimDeliveries({ worker: 'successor', now: T0 + 2, leaseMs: 30_000, limit: 10 });
    expect(reclaimed.map((d) => d.id)).toEqual([a![0]!.id]);
    expect(b).toHaveLength(1);
    expect(c).toHaveLength(1);
  });
});

describe('the heartbeat of claims', () => {
  it('keeps a live holder’s claims past their lease, and leaves the ones it let go to expire', async () => {
    const world = await announced();
    const clock = new ManualClock(T0);
    const lease = new ClaimLease({ store: world.store, holderId: 'w1', clock, logger: quiet(), leaseMs: 30_000, renewEveryMs: 5000 });
    const claimed = await world.store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: lease.leaseMs, limit: 10 });
    expect(claimed).toHaveLength(3);
    lease.hold(
      'deliveries',
      claimed.map((d) => d.id),
      T0,
    );
    lease.release('deliveries', claimed[0]!.id);
    for (let t = 5000; t <= 60_000; t += 5000) {
      clock.set(T0 + t);
      await lease.renewIfDue();
    }
    expect(lease.validUntil()).toBe(T0 + 90_000);
    // 60 s on, past the 30 s lease: only the delivery let go is free for another worker.
    expect((await world.store.claimDeliveries({ worker: 'w2', now: T0 + 60_001, leaseMs: 30_000, limit: 10 })).map((d) => d.id)).toEqual([claimed[0]!.id]);
  });

  it('stops a worker that cannot renew its claims from starting sends before they can expire', async () => {
    const world = await announced();
    let storeDown = false;
    // The store stops answering renewals; everything else still works (a renewal lost on the way).
    const flaky = new Proxy(world.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === 'renewClaims') return async (...args: Parameters<Store['renewClaims']>) => (storeDown ? Promise.reject(new Error('connection lost')) : target.renewClaims(...args));
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    // A send takes 25 s on this clock: after the first, less than the safe window of the 30 s claims is left.
    const clock = new ManualClock(T0);
    world.fake.afterPost = () => {
      storeDown = true;
      clock.advance(25_000);
    };
    const worker = new DeliveryWorker({ store: flaky, poster: new SlackNoticePoster(world.client), history: new SlackHistory(world.client), renderer: createNoticeRenderer(), logger: quiet(), clock, workerId: 'w1', concurrency: 1, channelIntervalMs: 0, leaseMs: 30_000 });
    await worker.runOnce();
    // One went out; the others were handed back instead of being sent on claims that may be gone.
    expect(world.fake.messages).toHaveLength(1);
    const pending = (await world.store.listDeliveries((await world.store.listOpenNotices())[0]!.id)).filter((d) => d.status === 'pending');
    expect(pending).toHaveLength(2);
    expect(pending.every((d) => d.error === 'lease_expiring')).toBe(true);
  });
});
