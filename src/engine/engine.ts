/**
 * The inference engine interface: named float32/uint8 tensors in, named tensors out. It knows nothing
 * about faces; `model/` knows which inputs and outputs a generator graph has.
 */

/** Execution providers we can ask ONNX Runtime for. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt' | 'webgpu';
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'cuda', 'tensorrt', 'webgpu'];

/** A dense tensor: data in row-major order with its dimensions. */
export interface EngineTensor {
  data: Float32Array | Uint8Array;
  dims: readonly number[];
}

/** A loaded model that runs batches. */
export interface Engine {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The execution providers the session was created with, in priority order. */
  readonly executionProviders: readonly ExecutionProvider[];
  /** Runs one batch; computes only the `fetches` outputs. */
  run(feeds: Record<string, EngineTensor>, fetches: readonly string[]): Promise<Record<string, EngineTensor>>;
  /** Releases the session; further runs fail. */
  close(): Promise<void>;
}
