/**
 * The ONNX Runtime engine (`onnxruntime-node`), the only importer of it. CPU always; CUDA, TensorRT
 * and WebGPU where the installed runtime has them (the CPU package skips the CUDA download, see
 * README; the GPU image installs it).
 *
 * DESIGN NOTES: onnxruntime-node's `run` is asynchronous in name only: the binding runs the whole
 * graph synchronously on the calling thread (it defers the call with setImmediate, then blocks). On
 * the main thread a batch of 16 faces stalled the event loop for ~360 ms (bench:serve), and with it
 * every request, health probe and response in flight. So by default the session lives in a worker
 * thread of its own (worker-engine.ts): feeds are copied to it, outputs transferred back (no copy).
 */
import ort from 'onnxruntime-node';
import type { Engine, EngineTensor, ExecutionProvider } from './engine.js';
import { createWorkerEngine } from './worker-engine.js';

/** Options of `createOnnxEngine`. */
export interface OnnxEngineOptions {
  /** Path of the .onnx file (external data beside it is found relative to it). */
  modelPath: string;
  executionProvider?: ExecutionProvider;
  /** Threads inside one operator; 0 lets ONNX Runtime choose (one per core). */
  intraOpThreads?: number;
  /** Threads across independent operators; 0 lets ONNX Runtime choose. */
  interOpThreads?: number;
  /** CUDA/TensorRT device index. */
  deviceId?: number;
  /**
   * ONNX Runtime's CPU memory arena: faster allocation, but it keeps the peak of every activation
   * size it has seen. Off, peak memory stays near weights + one batch's activations (bench/NOTES.md).
   */
  cpuMemArena?: boolean;
  /** Where the session runs: its own worker thread (default, never blocks the event loop) or this thread. */
  thread?: 'worker' | 'current';
  /**
   * ONNX Runtime's own log threshold: 3 errors only; 2 adds warnings such as nodes that fell back
   * from the GPU to the CPU provider, or Memcpy nodes inserted between them (bench/gpu reads them).
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

export const ONNX_ENGINE_DEFAULTS: Required<Omit<OnnxEngineOptions, 'modelPath'>> = {
  executionProvider: 'cpu',
  intraOpThreads: 0,
  interOpThreads: 0,
  deviceId: 0,
  cpuMemArena: true,
  thread: 'worker',
  logSeverityLevel: 3,
};

/** Loads a model into an ONNX Runtime session, by default in a worker thread of its own. */
export async function createOnnxEngine(options: OnnxEngineOptions): Promise<Engine> {
  return (options.thread ?? ONNX_ENGINE_DEFAULTS.thread) === 'worker'
    ? createWorkerEngine(options)
    : createSessionEngine(options);
}

/** Loads a model into an ONNX Runtime session on the current thread (the worker calls this). */
export async function createSessionEngine(options: OnnxEngineOptions): Promise<Engine> {
  const o = { ...ONNX_ENGINE_DEFAULTS, ...options };
  const providers = providerChain(o.executionProvider, o.deviceId);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(o.modelPath, {
      executionProviders: providers,
      graphOptimizationLevel: 'all',
      intraOpNumThreads: o.intraOpThreads,
      interOpNumThreads: o.interOpThreads,
      executionMode: 'sequential',
      logSeverityLevel: o.logSeverityLevel,
      enableCpuMemArena: o.cpuMemArena,
    });
  } catch (e) {
    if (o.executionProvider === 'cpu') throw e;
    throw new Error(
      `execution provider '${o.executionProvider}' is not available in this installation (${(e as Error).message.split('\n')[0]}); ` +
        `install onnxruntime-node with its GPU providers (README: GPU) or use the cpu provider`,
      { cause: e },
    );
  }
  let closed = false;
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    executionProviders: providers.map((p) => (typeof p === 'string' ? p : p.name) as ExecutionProvider),
    async run(feeds, fetches) {
      if (closed) throw new Error('engine is closed');
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        ortFeeds[name] = new ort.Tensor(t.data instanceof Uint8Array ? 'uint8' : 'float32', t.data, t.dims);
      }
      const results = await session.run(ortFeeds, fetches as string[]);
      const out: Record<string, EngineTensor> = {};
      for (const name of fetches) {
        const t = results[name] as ort.Tensor;
        out[name] = { data: t.data as Float32Array | Uint8Array, dims: t.dims };
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}

/** The provider list: the asked-for accelerator first, CPU as the fallback for unsupported nodes. */
function providerChain(ep: ExecutionProvider, deviceId: number): ort.InferenceSession.ExecutionProviderConfig[] {
  switch (ep) {
    case 'cpu':
      return ['cpu'];
    case 'cuda':
      return [{ name: 'cuda', deviceId }, 'cpu'];
    case 'tensorrt':
      return [{ name: 'tensorrt', deviceId }, { name: 'cuda', deviceId }, 'cpu'];
    case 'webgpu':
      return ['webgpu', 'cpu'];
  }
}
