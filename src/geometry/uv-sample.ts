/**
 * Reading [R, R, C] maps (row 0 at the top) at vertex UVs (v down): the official nearest-texel lookup
 * and bilinear interpolation between texel centres. A lookup is a list of taps (texel + weight) per
 * vertex, so the same taps can read a whole blurred map or values blurred at those texels only.
 */

/** Texels and weights read per vertex: `perVertex` taps for each vertex, in vertex order. */
export interface Taps {
  readonly perVertex: 1 | 4;
  /** [V * perVertex] texel indices, row * R + col. */
  readonly texels: Uint32Array;
  /** [V * perVertex] weights summing to 1 per vertex. */
  readonly weights: Float64Array;
}

/** How a vertex reads a map: `nearest` is the official lookup, `bilinear` interpolates texel centres. */
export type SampleMode = 'nearest' | 'bilinear';

/**
 * The official lookup: (row, col) = (trunc(v * R), trunc(u * R)) clamped to [0, R - 1]. The official
 * code computes `int((1 - v_up) * R)`; our v is already image-down, so v_down * R is the same number.
 */
export function nearestTaps(uvs: Float32Array, resolutionPx: number): Taps {
  const n = resolutionPx;
  const vertexCount = uvs.length / 2;
  const texels = new Uint32Array(vertexCount);
  for (let i = 0; i < vertexCount; i++) {
    const col = Math.min(n - 1, Math.max(0, Math.trunc((uvs[2 * i] as number) * n)));
    const row = Math.min(n - 1, Math.max(0, Math.trunc((uvs[2 * i + 1] as number) * n)));
    texels[i] = row * n + col;
  }
  return { perVertex: 1, texels, weights: new Float64Array(vertexCount).fill(1) };
}

/** Bilinear taps: texel (row, col) has its centre at uv ((col + 0.5) / R, (row + 0.5) / R); edges clamp. */
export function bilinearTaps(uvs: Float32Array, resolutionPx: number): Taps {
  const n = resolutionPx;
  const vertexCount = uvs.length / 2;
  const texels = new Uint32Array(vertexCount * 4);
  const weights = new Float64Array(vertexCount * 4);
  const clamp = (i: number) => Math.min(n - 1, Math.max(0, i));
  for (let i = 0; i < vertexCount; i++) {
    const x = (uvs[2 * i] as number) * n - 0.5;
    const y = (uvs[2 * i + 1] as number) * n - 0.5;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    // a vertex on a texel centre (a grid at the map's resolution) reads one texel: the others weigh 0,
    // and pointing them at the same texel lets the blur skip them
    const [c0, r0] = [clamp(x0), clamp(y0) * n];
    const [c1, r1] = [fx === 0 ? c0 : clamp(x0 + 1), fy === 0 ? r0 : clamp(y0 + 1) * n];
    texels.set([r0 + c0, r0 + c1, r1 + c0, r1 + c1], 4 * i);
    weights.set([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy], 4 * i);
  }
  return { perVertex: 4, texels, weights };
}

/** The taps of `mode`. */
export function sampleTaps(uvs: Float32Array, resolutionPx: number, mode: SampleMode): Taps {
  return mode === 'nearest' ? nearestTaps(uvs, resolutionPx) : bilinearTaps(uvs, resolutionPx);
}

/**
 * [V, C] weighted sums of the taps. `source` is either a whole [R, R, C] map (`indexedBy: 'texel'`)
 * or [P, C] values already read at the taps' texels, in tap order (`indexedBy: 'tap'`).
 */
export function gatherTaps(
  source: ArrayLike<number>,
  channels: number,
  taps: Taps,
  indexedBy: 'texel' | 'tap',
): Float32Array {
  const { perVertex, texels, weights } = taps;
  const vertexCount = texels.length / perVertex;
  const out = new Float32Array(vertexCount * channels);
  for (let v = 0; v < vertexCount; v++) {
    for (let k = 0; k < channels; k++) {
      let acc = 0;
      for (let j = v * perVertex; j < (v + 1) * perVertex; j++) {
        const at = indexedBy === 'texel' ? (texels[j] as number) : j;
        acc += (weights[j] as number) * (source[at * channels + k] as number);
      }
      out[v * channels + k] = acc;
    }
  }
  return out;
}

/** [V, C] values of an [R, R, C] map at vertex UVs. */
export function sampleMap(
  map: ArrayLike<number>,
  resolutionPx: number,
  channels: number,
  uvs: Float32Array,
  mode: SampleMode,
): Float32Array {
  return gatherTaps(map, channels, sampleTaps(uvs, resolutionPx, mode), 'texel');
}

/** [V, 3] 8-bit vertex colours read from an [R, R, 3] RGB texture (bilinear by default), rounded. */
export function sampleVertexColors(
  texture: Uint8Array,
  resolutionPx: number,
  uvs: Float32Array,
  mode: SampleMode = 'bilinear',
): Uint8Array {
  if (texture.length !== resolutionPx * resolutionPx * 3) {
    throw new RangeError(
      `sampleVertexColors: texture must hold [R, R, 3] = ${resolutionPx * resolutionPx * 3} values, has ${texture.length}`,
    );
  }
  const values = sampleMap(texture, resolutionPx, 3, uvs, mode);
  const colors = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) colors[i] = Math.round(values[i] as number);
  return colors;
}
