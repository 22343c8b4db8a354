/**
 * A worker-thread pool that runs the encoders off the event loop.
 *
 * DESIGN NOTES
 * - piscina@5.3.2 (MIT, well kept, Node >= 20) over a hand-written pool: queueing, worker restart
 *   on crash, transfer lists and graceful close() are all there. It loads our .ts worker under
 *   `node --import tsx` (workers inherit execArgv; piscina require()s the file, which tsx's CJS hook
 *   compiles) as well as the compiled .js (require(esm), or import() as its fallback).
 * - The worker file is resolved next to this module with this module's extension, so
 *   `src/codecs/encode-pool.ts` runs `encode-worker.ts` and `dist/codecs/encode-pool.js` runs `encode-worker.js`.
 * - Inputs cross by transfer, never by structured clone: cloning a view clones its whole buffer
 *   (a per-face view into an [N, 9, H, W] batch would copy the batch). Each array is copied to a
 *   buffer of its own and that copy is transferred; with `transfer: true` an array that owns its
 *   whole buffer is transferred as is (the caller's array is detached). SharedArrayBuffers pass as is.
 * - At most 2 jobs per thread are handed to piscina at a time; the rest wait here, uncopied. Copying
 *   on submit instead put every copy of a burst in one tick: 96 images of 32 faces at R=512 (96 MB)
 *   stalled the event loop for 52-80 ms (37-48 ms at R=256).
 * - sharp is imported here, on the main thread, before any worker loads it: on glibc the library
 *   must stay loaded for the life of the process or workers crash on exit (lovell/sharp#2263).
 *
 * Measured with `npm run bench:codecs` on this 2-core box (AMD EPYC, Node 20.20.2, sharp 0.35.5,
 * three 0.187.0), synthetic smooth maps, ranges over 2-3 runs. One map on the main thread (median of 5):
 *
 *   | map                               | R=256           | R=512            |
 *   |-----------------------------------|-----------------|------------------|
 *   | png   texture, 8-bit RGB          | 6.2-6.5 ms  70K | 21-26 ms   263K  |
 *   | png16 shape, 16-bit RGB           | 10-11 ms   247K | 36-42 ms   889K  |
 *   | npy   shape <f4 [R,R,3]           | 0.5-0.6 ms 768K | 0.4-1.6 ms 3.0M  |
 *   | npy   uv <f4 [9,R,R]              | 1.1-1.5 ms 2.3M | 5.7-8.0 ms 9.0M  |
 *   | npy-f16 shape <f2 (bits given)    | 0.2 ms     384K | 0.1-0.2 ms 1.5M  |
 *   | exr   shape float32, ZIP          | 46-47 ms   754K | 170-173 ms 2.9M  |
 *   | exr   shape half, ZIP             | 30-32 ms   184K | 102-112 ms 648K  |
 *   | zip   texture.png + uv.npy stored | 6.6-8.5 ms      | 30-31 ms         |
 *   | zip   same, compress (deflate 6)  | 114-118 ms      | 403-448 ms       |
 *
 * Max event-loop delay (monitorEventLoopDelay) while 32 faces are encoded at once: PNG = texture and
 * normals 8-bit + shape 16-bit (96 images); EXR = shape float32 (32 files); pool of 2 threads:
 *
 *   |                      | PNG R=256 | PNG R=512 | EXR R=256 | EXR R=512 |
 *   |----------------------|-----------|-----------|-----------|-----------|
 *   | main thread          | 12-27 ms  | 7-16 ms   | 1.4-1.9 s | 5.5-6.0 s |
 *   | pool                 | 9-11 ms   | 13-15 ms  | 11-13 ms  | 10-29 ms  |
 *   | pool, transfer: true | 8-11 ms   | 6-7 ms    | 12-17 ms  | 10-16 ms  |
 *
 * Wall time at R=512: PNG 1.2-1.3 s on the main thread, 1.4-1.7 s through the pool; EXR 5.5 s on the
 * main thread, 2.9-5.5 s through the pool (noisy: two busy workers and the main thread share 2 cores). sharp already runs libvips on libuv's threadpool, so PNG
 * alone barely stalls the main thread and the pool costs it some wall time (copies, messages); the pool
 * is what keeps EXR, compressed ZIP and big NPY copies (pure JS, synchronous) off the event loop.
 */
import 'sharp';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { type EncodeJob, mapJobArrays } from './encode-job.js';

/** Options of createEncodePool. */
export interface EncodePoolOptions {
  /** Worker threads, started up front and kept (one per core by default). */
  threads?: number;
}

/** Defaults of createEncodePool. */
export const ENCODE_POOL_DEFAULTS: Required<EncodePoolOptions> = { threads: availableParallelism() };

/** Options of one encode call. */
export interface EncodeOptions {
  /** Hand the job's buffers over instead of copying them; the caller's arrays become detached (length 0). */
  transfer?: boolean;
}

/** Encoders running in worker threads. */
export interface EncodePool {
  /** Runs a job in a worker; resolves with the same bytes as the direct encoder. */
  encode(job: EncodeJob, options?: EncodeOptions): Promise<Uint8Array>;
  /** Refuses new jobs, waits for every job already submitted, then stops the workers. */
  close(): Promise<void>;
  /** Worker threads alive now (0 after close). */
  readonly threads: number;
}

const here = fileURLToPath(import.meta.url);
const WORKER_FILE = join(dirname(here), `encode-worker${extname(here)}`);

/** Starts a pool of `threads` encode workers. */
export function createEncodePool(options: EncodePoolOptions = {}): EncodePool {
  const { threads } = { ...ENCODE_POOL_DEFAULTS, ...options };
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`createEncodePool: threads must be a positive integer, got ${threads}`);
  const pool = new Piscina<EncodeJob, Uint8Array>({ filename: WORKER_FILE, minThreads: threads, maxThreads: threads });
  const maxInFlight = threads * 2; // each worker has its next job queued while it returns the last one
  const waiting: (() => void)[] = [];
  const pending = new Set<Promise<unknown>>();
  let inFlight = 0;
  let closed = false;

  async function run(job: EncodeJob, transfer: boolean): Promise<Uint8Array> {
    if (inFlight < maxInFlight) inFlight++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over, see finally
    try {
      const transferList = new Set<ArrayBuffer>();
      const sendable = mapJobArrays(job, (array) => {
        if (!(array.buffer instanceof ArrayBuffer)) return array; // shared memory: nothing to copy or move
        const ownsBuffer = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
        const own = transfer && ownsBuffer ? array : (array.slice() as typeof array);
        transferList.add(own.buffer as ArrayBuffer);
        return own;
      });
      return await pool.run(sendable, { transferList: [...transferList] });
    } finally {
      const next = waiting.shift();
      if (next) next();
      else inFlight--;
    }
  }

  return {
    encode(job, { transfer = false } = {}) {
      // piscina would quietly start new workers for a job sent after close()
      if (closed) return Promise.reject(new Error('encode pool is closed'));
      const result = run(job, transfer);
      const settled = result.catch(() => {});
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return result;
    },
    async close() {
      closed = true;
      await Promise.all(pending);
      await pool.close();
    },
    get threads() {
      return pool.threads.length;
    },
  };
}
