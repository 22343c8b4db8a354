/**
 * Dense UV grid topologies: n x n vertices at the texel centres of an n x n map, two triangles per
 * cell, optionally clipped to another topology's UV footprint (the face), so a generated shape map
 * becomes a mesh as dense as the map itself.
 */
import { assertTopology, type Topology } from './topology.js';
import { rasterizeUvMask } from './uv-raster.js';

/** Options of createUvGridTopology. */
export interface UvGridOptions {
  /** Keep only cells whose four corners lie inside this topology's UV footprint (e.g. the face). */
  clipTo?: Topology;
  /** Default: `uv-grid-<n>`, or `<clipTo.name>-grid-<n>` when clipped. */
  name?: string;
}

/**
 * An n x n grid: vertex (row, col) at uv ((col + 0.5) / n, (row + 0.5) / n), so with n = R each
 * vertex sits on one texel centre. Cell corners a (row, col), b (row, col + 1), c (row + 1, col),
 * d (row + 1, col + 1) give triangles (a, c, b) and (b, c, d): counter-clockwise with +x along u and
 * +y along -v. Clipped grids drop unused vertices and keep the row-major order of the rest.
 */
export function createUvGridTopology(verticesPerSide: number, options: UvGridOptions = {}): Topology {
  const n = verticesPerSide;
  if (!Number.isInteger(n) || n < 2 || n > 4096) {
    throw new RangeError(`createUvGridTopology: verticesPerSide must be an integer in [2, 4096], got ${n}`);
  }
  if (options.clipTo) assertTopology(options.clipTo, 'options.clipTo');
  const inside = options.clipTo ? rasterizeUvMask(options.clipTo, n) : new Uint8Array(n * n).fill(1);

  const keptCells: number[] = [];
  const used = new Uint8Array(n * n);
  for (let row = 0; row < n - 1; row++) {
    for (let col = 0; col < n - 1; col++) {
      const a = row * n + col;
      if (inside[a] && inside[a + 1] && inside[a + n] && inside[a + n + 1]) {
        keptCells.push(a);
        used[a] = used[a + 1] = used[a + n] = used[a + n + 1] = 1;
      }
    }
  }
  if (keptCells.length === 0) {
    throw new RangeError(`createUvGridTopology: no grid cell of ${n} x ${n} lies inside options.clipTo`);
  }

  const newIndex = new Int32Array(n * n).fill(-1);
  let vertexCount = 0;
  for (let i = 0; i < n * n; i++) if (used[i]) newIndex[i] = vertexCount++;
  const uvs = new Float32Array(vertexCount * 2);
  for (let i = 0; i < n * n; i++) {
    const k = newIndex[i] as number;
    if (k < 0) continue;
    uvs[2 * k] = ((i % n) + 0.5) / n;
    uvs[2 * k + 1] = (Math.floor(i / n) + 0.5) / n;
  }
  const indices = new Uint32Array(keptCells.length * 6);
  keptCells.forEach((a, cell) => {
    const [ia, ib, ic, id] = [newIndex[a], newIndex[a + 1], newIndex[a + n], newIndex[a + n + 1]] as number[];
    indices.set([ia, ic, ib, ib, ic, id] as number[], cell * 6);
  });
  const name = options.name ?? (options.clipTo ? `${options.clipTo.name}-grid-${n}` : `uv-grid-${n}`);
  return { name, uvs, indices };
}
