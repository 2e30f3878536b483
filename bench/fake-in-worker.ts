// The fake SageMaker (test/support/fake-sagemaker.ts, on loopback) in a worker thread. In the
// bench's own thread, the fake's request handling would run on the same event loop as the clients
// being timed; in a worker it runs beside them, like a remote service, and its busy time per
// answer can be read separately (the worker's event-loop utilisation), so the printout can show
// how much of a wall time was the fake's own work rather than the 20 ms per call it is meant to
// cost. This one file is both sides: startFakeInWorker in the bench, serveInWorker in the worker.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import { startFakeSageMaker, type FakeSageMakerOptions } from '../test/support/fake-sagemaker.js';

type WorkerRequest = { id: number; type: 'reset' | 'calls' | 'close' };
type WorkerReply = { type: 'ready'; url: string } | { type: 'reply'; id: number; total: number; byOperation: Record<string, number> };
/** Marks the worker this file starts, so importing the file elsewhere never serves. */
const ROLE = 'fake-sagemaker-worker';

export interface FakeInWorker {
  url: string;
  resetCalls(): Promise<void>;
  totalCalls(): Promise<number>;
  /** Calls per operation name since the last reset. */
  callsByOperation(): Promise<Record<string, number>>;
  /** Milliseconds the fake's thread has spent working (not waiting) since it started. */
  busyMs(): number;
  close(): Promise<void>;
}

export async function startFakeInWorker(snapshot: Snapshot, options: FakeSageMakerOptions): Promise<FakeInWorker> {
  const entry = import.meta.url;
  // A worker does not inherit tsx's module hooks, so a one-line bootstrap loads the TypeScript
  // entry through tsx's own API (resolved here, so the worker finds it whatever its directory).
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  // Functions do not cross into a worker: the bench passes none.
  const { onRequest: _onRequest, onResponse: _onResponse, fault: _fault, ...cloneable } = options;
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: ROLE, snapshot, options: cloneable } });

  const pending = new Map<number, (reply: Extract<WorkerReply, { type: 'reply' }>) => void>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') resolve(reply.url);
      else pending.get(reply.id)?.(reply);
    });
  });
  const send = (type: WorkerRequest['type']) =>
    new Promise<Extract<WorkerReply, { type: 'reply' }>>((resolve) => {
      const id = nextId++;
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      worker.postMessage({ id, type } satisfies WorkerRequest);
    });

  return {
    url,
    resetCalls: async () => {
      await send('reset');
    },
    totalCalls: async () => (await send('calls')).total,
    callsByOperation: async () => (await send('calls')).byOperation,
    busyMs: () => worker.performance.eventLoopUtilization().active,
    close: async () => {
      await send('close');
      await worker.terminate();
    },
  };
}

/** The worker's side: serves the fake from the worker's own event loop and answers the bench's messages. */
async function serveInWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveInWorker runs in the worker startFakeInWorker starts');
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
}

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE) await serveInWorker();
