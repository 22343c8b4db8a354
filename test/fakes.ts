/**
 * The one fake engine (for batching and error-path tests only; everything else runs the real ONNX
 * Runtime on tiny packages) and the test server helpers.
 */
import { pino } from 'pino';
import { type Config, loadConfig } from '../src/config.js';
import type { Engine, EngineTensor } from '../src/engine/index.js';
import { type RunningServer, startServer } from '../src/main.js';
import { createTestPackage } from './model-fixtures.js';

/** Options of the fake engine. */
export interface FakeEngineOptions {
  resolution?: number;
  /** Resolves before every run: hold it to control when a batch finishes. */
  gate?: () => Promise<void>;
  /** An error for a batch whose first latent values are these (poisons one request's faces). */
  failWith?: (firstLatentValues: number[]) => Error | undefined;
}

/** A fake generator engine whose outputs are computed from its inputs, so a test can tell which face is which. */
export interface FakeEngine extends Engine {
  /** The first latent value of every face each run saw, in order. */
  readonly runs: number[][];
}

/** Creates the fake engine: every output pixel of face n carries z[n][0]. */
export function createFakeEngine(options: FakeEngineOptions = {}): FakeEngine {
  const R = options.resolution ?? 32;
  const runs: number[][] = [];
  let closed = false;
  return {
    inputNames: ['z', 'labels'],
    outputNames: ['uv', 'texture', 'normals', 'shape'],
    executionProviders: ['cpu'],
    runs,
    async run(feeds, fetches) {
      if (closed) throw new Error('engine is closed');
      await options.gate?.();
      const z = feeds.z as EngineTensor;
      const [n, L] = z.dims as [number, number];
      const firsts = Array.from({ length: n }, (_, i) => z.data[i * L] as number);
      runs.push(firsts);
      const error = options.failWith?.(firsts);
      if (error) throw error;
      const out: Record<string, EngineTensor> = {};
      for (const name of fetches) {
        const per = name === 'uv' ? 9 * R * R : 3 * R * R;
        const data = name === 'texture' || name === 'normals' ? new Uint8Array(n * per) : new Float32Array(n * per);
        for (let i = 0; i < n; i++)
          data.fill(
            data instanceof Uint8Array ? Math.abs(Math.round((firsts[i] as number) * 50)) % 256 : (firsts[i] as number),
            i * per,
            (i + 1) * per,
          );
        out[name] = { data, dims: name === 'uv' ? [n, 9, R, R] : [n, R, R, 3] };
      }
      return out;
    },
    async close() {
      closed = true;
    },
  };
}

/** A gate the fake engine waits at: closed, runs block until `open()`; `close()` blocks the next ones. */
export function createGate(): {
  wait: () => Promise<void>;
  open: () => void;
  close: () => void;
  waiting: () => number;
} {
  let release: () => void = () => {};
  let promise: Promise<void> = Promise.resolve();
  let waiting = 0;
  return {
    wait: async () => {
      waiting++;
      await promise;
      waiting--;
    },
    open: () => release(),
    close: () => {
      promise = new Promise<void>((r) => (release = r));
    },
    waiting: () => waiting,
  };
}

/**
 * Polls `check` every few milliseconds until it holds (for states another process or loop reaches);
 * on timeout the error carries `describe()`, what the test saw instead.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  describe?: () => string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not reached in time${describe ? `: ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A test server on port 0 serving a fresh tiny package (real ONNX Runtime unless an engine is given). */
export async function startTestServer(
  env: Record<string, string> = {},
  engine?: Engine,
): Promise<{
  server: RunningServer;
  url: string;
  /** `127.0.0.1:port` of the gRPC server. */
  grpcAddress: string;
  config: Readonly<Config>;
  stop: () => Promise<void>;
}> {
  const pkg = await createTestPackage({ seed: 11, biasStd: 0.1 });
  const config = loadConfig({
    TBGAN_HTTP_PORT: '0',
    TBGAN_GRPC_PORT: '0',
    TBGAN_HTTP_HOST: '127.0.0.1',
    TBGAN_MODEL_DIR: pkg.dir,
    TBGAN_ENCODE_THREADS: '1',
    ...env,
  });
  const server = await startServer(
    config,
    pino({ level: 'silent' }),
    engine ? { createEngine: async () => engine } : {},
  );
  return {
    server,
    url: `http://127.0.0.1:${server.httpPort}`,
    grpcAddress: `127.0.0.1:${server.grpcPort}`,
    config,
    stop: async () => {
      await server.shutdown('test');
      await pkg.cleanup();
    },
  };
}
