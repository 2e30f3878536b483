// Worker-thread entry: serves the fake SageMaker from its own event loop, so the fake's CPU time
// neither stalls the clients being measured nor hides inside their wall time. See fake-in-worker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import { startFakeSageMaker, type FakeSageMakerOptions } from '../test/support/fake-sagemaker.js';

export type WorkerRequest = { id: number; type: 'reset' | 'calls' | 'close' };
export type WorkerReply = { type: 'ready'; url: string } | { type: 'reply'; id: number; total: number; byOperation: Record<string, number> };

const port = parentPort;
if (!port) throw new Error('fake-worker.ts runs as a worker thread (see fake-in-worker.ts)');
const { snapshot, options } = workerData as { snapshot: Snapshot; options: FakeSageMakerOptions };
const fake = await startFakeSageMaker(snapshot, options);
port.postMessage({ type: 'ready', url: fake.url } satisfies WorkerReply);

port.on('message', (request: WorkerRequest) => {
  void (async () => {
    if (request.type === 'reset') fake.resetCalls();
    if (request.type === 'close') await fake.close();
    port.postMessage({
      type: 'reply',
      id: request.id,
      total: fake.totalCalls(),
      byOperation: Object.fromEntries(fake.calls),
    } satisfies WorkerReply);
    if (request.type === 'close') port.close();
  })();
});
