/**
 * The batch runner: faces in, one engine run, per-face maps out. The batcher calls it with whatever
 * faces it gathered; each face asks for the generator outputs its artifacts need.
 */
import type { Engine } from '../engine/index.js';
import type { Architecture, GeneratorOutput } from '../model/index.js';
import type { FaceMaps } from './outputs.js';

/** One face as the batcher queues it. */
export interface FaceItem {
  /** [L] float32, truncation already applied. */
  z: Float32Array;
  /** [labelSize] float32. */
  label: Float32Array;
  /** Generator outputs this face needs. */
  fetches: ReadonlySet<GeneratorOutput>;
}

/** Creates the batch runner for a generator engine. */
export function createGeneratorRunner(engine: Engine, arch: Architecture): (items: FaceItem[]) => Promise<FaceMaps[]> {
  const L = arch.latentSize;
  const K = arch.labelSize;
  return async (items) => {
    const n = items.length;
    const z = new Float32Array(n * L);
    const labels = new Float32Array(n * K);
    const fetches = new Set<GeneratorOutput>();
    items.forEach((item, i) => {
      z.set(item.z, i * L);
      labels.set(item.label, i * K);
      for (const f of item.fetches) fetches.add(f);
    });
    const out = await engine.run({ z: { data: z, dims: [n, L] }, labels: { data: labels, dims: [n, K] } }, [
      ...fetches,
    ]);
    return items.map((item, i) => {
      const maps: FaceMaps = {};
      for (const name of item.fetches) {
        const t = out[name];
        if (!t) throw new Error(`engine returned no '${name}'`);
        const per = t.data.length / n;
        // a view, not a copy: the encoder pool copies what it sends to a worker (codecs/encode-pool.ts)
        (maps as Record<string, Float32Array | Uint8Array>)[name] = t.data.subarray(i * per, (i + 1) * per);
      }
      return maps;
    });
  };
}
