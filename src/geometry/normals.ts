/**
 * Vertex normals, either from the geometry (area-weighted face normals) or from the generated normal
 * map (read at vertex UVs, renormalised). Both give unit vectors; a vertex without a defined direction
 * (unused, or only in degenerate triangles; a zero texel) gets FALLBACK_NORMAL, +z, toward the viewer.
 */
import { type SampleMode, sampleMap } from './uv-sample.js';

/** The direction given to a vertex whose normal is undefined: +z, toward the viewer. */
export const FALLBACK_NORMAL = [0, 0, 1] as const;

/** Normalises [N, 3] vectors in place; zero or non-finite ones become FALLBACK_NORMAL. */
export function normalizeVectors(vectors: Float32Array): Float32Array {
  for (let i = 0; i < vectors.length; i += 3) {
    const x = vectors[i] as number;
    const y = vectors[i + 1] as number;
    const z = vectors[i + 2] as number;
    const length = Math.sqrt(x * x + y * y + z * z);
    if (length > 1e-12 && Number.isFinite(length)) {
      vectors[i] = x / length;
      vectors[i + 1] = y / length;
      vectors[i + 2] = z / length;
    } else vectors.set(FALLBACK_NORMAL, i);
  }
  return vectors;
}

/** [V, 3] unit normals: the sum of the (area-weighted) normals of the counter-clockwise faces at each vertex. */
export function computeVertexNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  const normals = new Float32Array(positions.length);
  const acc = new Float64Array(positions.length);
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * (indices[t] as number);
    const b = 3 * (indices[t + 1] as number);
    const c = 3 * (indices[t + 2] as number);
    const e1x = (positions[b] as number) - (positions[a] as number);
    const e1y = (positions[b + 1] as number) - (positions[a + 1] as number);
    const e1z = (positions[b + 2] as number) - (positions[a + 2] as number);
    const e2x = (positions[c] as number) - (positions[a] as number);
    const e2y = (positions[c + 1] as number) - (positions[a + 1] as number);
    const e2z = (positions[c + 2] as number) - (positions[a + 2] as number);
    // cross(e1, e2) has length 2 x area, so the sum weights each face by its area
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    acc[a] = (acc[a] as number) + nx;
    acc[a + 1] = (acc[a + 1] as number) + ny;
    acc[a + 2] = (acc[a + 2] as number) + nz;
    acc[b] = (acc[b] as number) + nx;
    acc[b + 1] = (acc[b + 1] as number) + ny;
    acc[b + 2] = (acc[b + 2] as number) + nz;
    acc[c] = (acc[c] as number) + nx;
    acc[c + 1] = (acc[c + 1] as number) + ny;
    acc[c + 2] = (acc[c + 2] as number) + nz;
  }
  normals.set(acc);
  return normalizeVectors(normals);
}

/**
 * [V, 3] unit normals read from an [R, R, 3] object-space normal map at vertex UVs. A Uint8Array holds
 * (n + 1) / 2 * 255; a Float32Array holds the components themselves. Default: nearest texel, as positions.
 */
export function sampleVertexNormals(
  normalMap: Uint8Array | Float32Array,
  resolutionPx: number,
  uvs: Float32Array,
  mode: SampleMode = 'nearest',
): Float32Array {
  if (normalMap.length !== resolutionPx * resolutionPx * 3) {
    throw new RangeError(
      `sampleVertexNormals: normalMap must hold [R, R, 3] = ${resolutionPx * resolutionPx * 3} values, has ${normalMap.length}`,
    );
  }
  const normals = sampleMap(normalMap, resolutionPx, 3, uvs, mode);
  if (normalMap instanceof Uint8Array)
    for (let i = 0; i < normals.length; i++) normals[i] = (normals[i] as number) / 127.5 - 1;
  return normalizeVectors(normals);
}

/** The unit object-space normal stored at a texel of a normal map, decoded like sampleVertexNormals. */
export function decodeNormalTexel(normalMap: Uint8Array | Float32Array, texel: number, out: Float64Array): void {
  const scale = normalMap instanceof Uint8Array ? 1 / 127.5 : 1;
  const offset = normalMap instanceof Uint8Array ? -1 : 0;
  const x = (normalMap[3 * texel] as number) * scale + offset;
  const y = (normalMap[3 * texel + 1] as number) * scale + offset;
  const z = (normalMap[3 * texel + 2] as number) * scale + offset;
  const length = Math.sqrt(x * x + y * y + z * z);
  if (length > 1e-12) {
    out[0] = x / length;
    out[1] = y / length;
    out[2] = z / length;
  } else out.set(FALLBACK_NORMAL);
}
