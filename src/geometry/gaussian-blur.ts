/**
 * scipy.ndimage.gaussian_filter for [R, R, C] maps, blurring rows and columns of each channel (the
 * official `gaussian_filter(shape_chw, sigma=(0, 3, 3))`): scipy's kernel, `mode='reflect'`,
 * `truncate=4`, axis by axis with a float32 intermediate, as scipy does for float32 input.
 *
 * DESIGN NOTES
 * - The official mesh reads the blurred map at one texel per vertex, so blurring all of it is wasted
 *   work for small topologies: at R = 512 (sigma 3, 25 taps) the full blur is ~2 x 25 x 786k MACs, while
 *   468 texels cost 468 x 3 x 25 x 14. gaussianBlurTexels evaluates the same separable sum at chosen
 *   texels only; uvToMesh picks it when P * (2r + 1) < 2 * R^2 (P texels, radius r).
 * - Both paths add the same terms in the same order (centre tap, then symmetric pairs) and round the
 *   row pass to float32, so they give bit-identical values: a mesh does not depend on the path.
 */

/** scipy's `truncate` default: the kernel reaches 4 sigma. */
export const GAUSSIAN_TRUNCATE = 4;

/** scipy `_gaussian_kernel1d(sigma, 0, int(truncate * sigma + 0.5))`: 2r + 1 weights summing to 1. */
export function gaussianKernel1d(sigmaPx: number, truncate = GAUSSIAN_TRUNCATE): Float64Array {
  if (!(Number.isFinite(sigmaPx) && sigmaPx >= 0)) throw new RangeError(`sigmaPx must be >= 0, got ${sigmaPx}`);
  const radius = Math.trunc(truncate * sigmaPx + 0.5);
  const weights = new Float64Array(2 * radius + 1);
  if (radius === 0) return weights.fill(1);
  let sum = 0;
  for (let x = -radius; x <= radius; x++) {
    const w = Math.exp((-0.5 / (sigmaPx * sigmaPx)) * x * x);
    weights[x + radius] = w;
    sum += w;
  }
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / sum;
  return weights;
}

/** scipy 'reflect' (half-sample symmetric, d c b a | a b c d | d c b a), for any distance outside. */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** [R + 2r] source index of each padded position -r .. R + r - 1. */
function reflectTable(n: number, radius: number): Int32Array {
  const table = new Int32Array(n + 2 * radius);
  for (let i = 0; i < table.length; i++) table[i] = reflectIndex(i - radius, n);
  return table;
}

/** The blurred [R, R, C] map (a new array); sigmaPx = 0 returns a copy. */
export function gaussianBlurMap(
  map: Float32Array,
  resolutionPx: number,
  channels: number,
  sigmaPx: number,
): Float32Array {
  const w = gaussianKernel1d(sigmaPx);
  const r = (w.length - 1) / 2;
  const n = resolutionPx;
  const c = channels;
  if (r === 0) return map.slice();
  const table = reflectTable(n, r);
  const rowPass = new Float32Array(map.length);
  const line = new Float64Array((n + 2 * r) * c);
  for (let row = 0; row < n; row++) {
    const base = row * n * c;
    for (let i = 0; i < n + 2 * r; i++) {
      for (let k = 0; k < c; k++) line[i * c + k] = map[base + (table[i] as number) * c + k] as number;
    }
    for (let col = 0; col < n; col++) {
      for (let k = 0; k < c; k++) {
        const centre = (col + r) * c + k;
        let acc = (w[r] as number) * (line[centre] as number);
        for (let d = 1; d <= r; d++) {
          acc += (w[r + d] as number) * ((line[centre - d * c] as number) + (line[centre + d * c] as number));
        }
        rowPass[base + col * c + k] = acc;
      }
    }
  }
  const out = new Float32Array(map.length);
  const rowLength = n * c;
  const acc = new Float64Array(rowLength);
  for (let row = 0; row < n; row++) {
    const centre = row * rowLength;
    for (let i = 0; i < rowLength; i++) acc[i] = (w[r] as number) * (rowPass[centre + i] as number);
    for (let d = 1; d <= r; d++) {
      const up = (table[row + r - d] as number) * rowLength;
      const down = (table[row + r + d] as number) * rowLength;
      const wd = w[r + d] as number;
      for (let i = 0; i < rowLength; i++) {
        acc[i] = (acc[i] as number) + wd * ((rowPass[up + i] as number) + (rowPass[down + i] as number));
      }
    }
    out.set(acc, centre);
  }
  return out;
}

/** [P, C] values of the blurred map at texels (row * R + col) only; equal to gaussianBlurMap there. */
export function gaussianBlurTexels(
  map: Float32Array,
  resolutionPx: number,
  channels: number,
  sigmaPx: number,
  texels: ArrayLike<number>,
): Float32Array {
  const w = gaussianKernel1d(sigmaPx);
  const r = (w.length - 1) / 2;
  const n = resolutionPx;
  const c = channels;
  const out = new Float32Array(texels.length * c);
  const table = reflectTable(n, r);
  const columns = new Int32Array(2 * r + 1); // map offsets of columns col - r .. col + r within a row
  const rowPass = new Float64Array((2 * r + 1) * c); // float32-rounded row pass at rows row - r .. row + r
  for (let p = 0; p < texels.length; p++) {
    const texel = texels[p] as number;
    const row = Math.floor(texel / n);
    const col = texel - row * n;
    for (let i = 0; i <= 2 * r; i++) columns[i] = (table[col + i] as number) * c;
    for (let i = 0; i <= 2 * r; i++) {
      const base = (table[row + i] as number) * n * c;
      for (let k = 0; k < c; k++) {
        let acc = (w[r] as number) * (map[base + (columns[r] as number) + k] as number);
        for (let d = 1; d <= r; d++) {
          const left = map[base + (columns[r - d] as number) + k] as number;
          const right = map[base + (columns[r + d] as number) + k] as number;
          acc += (w[r + d] as number) * (left + right);
        }
        rowPass[i * c + k] = Math.fround(acc); // the dense path stores its row pass as float32
      }
    }
    for (let k = 0; k < c; k++) {
      let acc = (w[r] as number) * (rowPass[r * c + k] as number);
      for (let d = 1; d <= r; d++) {
        acc += (w[r + d] as number) * ((rowPass[(r - d) * c + k] as number) + (rowPass[(r + d) * c + k] as number));
      }
      out[p * c + k] = acc;
    }
  }
  return out;
}

/** True when evaluating P texels directly is cheaper than blurring the whole R x R map. */
export function preferTexelBlur(texelCount: number, resolutionPx: number, sigmaPx: number): boolean {
  const taps = 2 * Math.trunc(GAUSSIAN_TRUNCATE * sigmaPx + 0.5) + 1;
  return texelCount * taps < 2 * resolutionPx * resolutionPx;
}
