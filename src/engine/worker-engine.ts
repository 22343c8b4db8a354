/**
 * An Engine whose ONNX Runtime session lives in a worker thread (see the design notes in
 * onnx-engine.ts): runs are messages, so the event loop stays free while a batch computes.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Engine, EngineTensor, ExecutionProvider } from './engine.js';
import type { OnnxEngineOptions } from './onnx-engine.js';

/** Messages from the worker. */
export type WorkerReply =
  | { type: 'ready'; inputNames: string[]; outputNames: string[]; executionProviders: ExecutionProvider[] }
  | { type: 'result'; id: number; outputs: Record<string, EngineTensor> }
  | { type: 'error'; id?: number; message: string; stack?: string };

/** Messages to the worker. */
export type WorkerRequest =
  | { type: 'run'; id: number; feeds: Record<string, EngineTensor>; fetches: readonly string[] }
  | { type: 'close' };

function workerFile(): string {
  // next to this module, with this module's extension: .ts under tsx (workers inherit --import), .js in dist/
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), `onnx-worker${extname(here)}`);
}

function toError(reply: { message: string; stack?: string }): Error {
  const e = new Error(reply.message);
  if (reply.stack) e.stack = reply.stack;
  return e;
}

/** Starts the worker, loads the session there, and resolves once it is ready. */
export async function createWorkerEngine(options: OnnxEngineOptions): Promise<Engine> {
  // The entry imports the module rather than naming it. From the sources (tests, `npm run model`),
  // tsx's ESM hooks do not reach worker threads on Node 20, so the entry registers them first; the
  // compiled .js module (an ES module) is imported as it is.
  const file = workerFile();
  const url = JSON.stringify(pathToFileURL(file).href);
  const entry = file.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${url}); });`
    : `import(${url});`;
  const worker = new Worker(entry, { eval: true, workerData: { ...options, thread: 'current' } });
  const pending = new Map<number, { resolve: (o: Record<string, EngineTensor>) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const ready = await new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: WorkerReply) => {
      worker.off('error', reject);
      if (reply.type === 'ready') resolve(reply);
      else reject(toError(reply as { message: string; stack?: string }));
    });
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'ready') return;
    const p = reply.id === undefined ? undefined : pending.get(reply.id);
    if (reply.id !== undefined) pending.delete(reply.id);
    if (reply.type === 'result') p?.resolve(reply.outputs);
    else if (p) p.reject(toError(reply));
    else fail(toError(reply));
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(closing ? 'engine is closed' : `engine worker exited (code ${code})`)));
  return {
    inputNames: ready.inputNames,
    outputNames: ready.outputNames,
    executionProviders: ready.executionProviders,
    run(feeds, fetches) {
      if (closing) return Promise.reject(new Error('engine is closed'));
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'run', id, feeds, fetches } satisfies WorkerRequest);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      });
      return closing;
    },
  };
}
