/** Worker-thread entry of the ONNX engine: one session, runs on request, outputs transferred back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineTensor } from './engine.js';
import { createSessionEngine, type OnnxEngineOptions } from './onnx-engine.js';
import type { WorkerReply, WorkerRequest } from './worker-engine.js';

const port = parentPort;
if (!port) throw new Error('onnx-worker runs in a worker thread');

const describe = (e: unknown) => ({
  message: e instanceof Error ? e.message : String(e),
  ...(e instanceof Error && e.stack !== undefined && { stack: e.stack }),
});

createSessionEngine(workerData as OnnxEngineOptions).then(
  (engine) => {
    port.postMessage({
      type: 'ready',
      inputNames: [...engine.inputNames],
      outputNames: [...engine.outputNames],
      executionProviders: [...engine.executionProviders],
    } satisfies WorkerReply);
    port.on('message', async (request: WorkerRequest) => {
      if (request.type === 'close') {
        await engine.close();
        port.close();
        return;
      }
      try {
        const outputs = await engine.run(request.feeds, request.fetches);
        const transfer: ArrayBuffer[] = [];
        const owned: Record<string, EngineTensor> = {};
        for (const [name, t] of Object.entries(outputs)) {
          // the runtime's buffers are its own: copy once here, then hand the copy over without another
          const data = t.data.slice();
          transfer.push(data.buffer as ArrayBuffer);
          owned[name] = { data, dims: [...t.dims] };
        }
        port.postMessage({ type: 'result', id: request.id, outputs: owned } satisfies WorkerReply, transfer);
      } catch (e) {
        port.postMessage({ type: 'error', id: request.id, ...describe(e) } satisfies WorkerReply);
      }
    });
  },
  (e: unknown) => port.postMessage({ type: 'error', ...describe(e) } satisfies WorkerReply),
);
