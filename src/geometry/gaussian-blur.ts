/**
 * scipy.ndimage.gaussian_filter for [R, R, 3] XYZ maps, blurring rows and columns of each channel (the
 * official `gaussian_filter(shape_chw, sigma=(0, 3, 3))`): scipy's kernel, `mode='reflect'`,
 * `truncate=4`, axis by axis with a float32 intermediate, as scipy does for float32 input.
 *
 * DESIGN NOTES
 * - A mesh reads the blurred map at a few texels per vertex, so blurring all of it is mostly wasted:
 *   at R = 512 (sigma 3, 25 taps) the whole-map blur is 2 passes x 13 multiply-adds x 786k values
 *   (~45 ms here), while the official lookup of the 468-vertex face needs 468 texels (~1 ms), and a
 *   256 x 256 grid on a 512 map reads only odd rows and columns. gaussianBlurTexels runs the row pass
 *   only where the column pass will read it and the column pass only at the requested texels (that
 *   grid: ~14 ms instead of ~45); it switches to the whole-map path when that covers > 90% of the map
 *   (row-vector loops are faster there).
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

/** The blurred [R, R, 3] map (a new array); sigmaPx = 0 returns a copy. */
export function gaussianBlurMap(map: Float32Array, resolutionPx: number, sigmaPx: number): Float32Array {
  const w = gaussianKernel1d(sigmaPx);
  const r = (w.length - 1) / 2;
  const n = resolutionPx;
  if (r === 0) return map.slice();
  const centre = w[r] as number;
  const table = reflectTable(n, r);
  const columns = table.map((i) => 3 * i); // map offset within a row of padded column -r .. R + r - 1
  const rowPass = new Float32Array(map.length);
  for (let row = 0; row < n; row++) {
    const rowStart = row * n * 3;
    for (let col = 0; col < n; col++) {
      const at = rowStart + col * 3;
      let x = centre * (map[at] as number);
      let y = centre * (map[at + 1] as number);
      let z = centre * (map[at + 2] as number);
      for (let d = 1; d <= r; d++) {
        const left = rowStart + (columns[col + r - d] as number);
        const right = rowStart + (columns[col + r + d] as number);
        const wd = w[r + d] as number;
        x += wd * ((map[left] as number) + (map[right] as number));
        y += wd * ((map[left + 1] as number) + (map[right + 1] as number));
        z += wd * ((map[left + 2] as number) + (map[right + 2] as number));
      }
      rowPass[at] = x;
      rowPass[at + 1] = y;
      rowPass[at + 2] = z;
    }
  }
  // column pass, a row at a time: whole-row vector loops are the fastest form here
  const out = new Float32Array(map.length);
  const rowLength = n * 3;
  const acc = new Float64Array(rowLength);
  for (let row = 0; row < n; row++) {
    const at = row * rowLength;
    for (let i = 0; i < rowLength; i++) acc[i] = centre * (rowPass[at + i] as number);
    for (let d = 1; d <= r; d++) {
      const up = (table[row + r - d] as number) * rowLength;
      const down = (table[row + r + d] as number) * rowLength;
      const wd = w[r + d] as number;
      for (let i = 0; i < rowLength; i++) {
        acc[i] = (acc[i] as number) + wd * ((rowPass[up + i] as number) + (rowPass[down + i] as number));
      }
    }
    out.set(acc, at);
  }
  return out;
}

/**
 * [P, 3] values of the blurred [R, R, 3] map at texels (row * R + col) only, bit-identical to
 * gaussianBlurMap there: the row pass runs once per distinct texel the column pass reads, the column
 * pass at the P texels; nearly the whole map goes to gaussianBlurMap. Three channels (XYZ), unrolled:
 * a channel loop made this 3x slower.
 */
export function gaussianBlurTexels(
  map: Float32Array,
  resolutionPx: number,
  sigmaPx: number,
  texels: ArrayLike<number>,
): Float32Array {
  const w = gaussianKernel1d(sigmaPx);
  const r = (w.length - 1) / 2;
  const n = resolutionPx;
  const table = reflectTable(n, r);
  const slots = new Int32Array(n * n); // 1 + index into `needed` of each texel's row pass; 0: not needed
  const needed: number[] = [];
  for (let p = 0; p < texels.length; p++) {
    const texel = texels[p] as number;
    const col = texel % n;
    const row = (texel - col) / n;
    for (let i = 0; i <= 2 * r; i++) {
      const at = (table[row + i] as number) * n + col;
      if (slots[at] === 0) slots[at] = needed.push(at);
    }
  }
  if (needed.length > 0.9 * n * n) {
    const blurred = gaussianBlurMap(map, n, sigmaPx); // row-vector loops beat per-texel ones here
    const out = new Float32Array(texels.length * 3);
    for (let p = 0; p < texels.length; p++)
      out.set(blurred.subarray(3 * (texels[p] as number), 3 * (texels[p] as number) + 3), 3 * p);
    return out;
  }

  const centre = w[r] as number;
  const rowPass = new Float32Array(needed.length * 3); // float32, as in gaussianBlurMap
  for (let i = 0; i < needed.length; i++) {
    const texel = needed[i] as number;
    const col = texel % n;
    const rowStart = (texel - col) * 3;
    const at = rowStart + col * 3;
    let x = centre * (map[at] as number);
    let y = centre * (map[at + 1] as number);
    let z = centre * (map[at + 2] as number);
    for (let d = 1; d <= r; d++) {
      const left = rowStart + (table[col + r - d] as number) * 3;
      const right = rowStart + (table[col + r + d] as number) * 3;
      const wd = w[r + d] as number;
      x += wd * ((map[left] as number) + (map[right] as number));
      y += wd * ((map[left + 1] as number) + (map[right + 1] as number));
      z += wd * ((map[left + 2] as number) + (map[right + 2] as number));
    }
    rowPass[3 * i] = x;
    rowPass[3 * i + 1] = y;
    rowPass[3 * i + 2] = z;
  }

  const out = new Float32Array(texels.length * 3);
  for (let p = 0; p < texels.length; p++) {
    const texel = texels[p] as number;
    const col = texel % n;
    const row = (texel - col) / n;
    const at = 3 * ((slots[texel] as number) - 1);
    let x = centre * (rowPass[at] as number);
    let y = centre * (rowPass[at + 1] as number);
    let z = centre * (rowPass[at + 2] as number);
    for (let d = 1; d <= r; d++) {
      const up = 3 * ((slots[(table[row + r - d] as number) * n + col] as number) - 1);
      const down = 3 * ((slots[(table[row + r + d] as number) * n + col] as number) - 1);
      const wd = w[r + d] as number;
      x += wd * ((rowPass[up] as number) + (rowPass[down] as number));
      y += wd * ((rowPass[up + 1] as number) + (rowPass[down + 1] as number));
      z += wd * ((rowPass[up + 2] as number) + (rowPass[down + 2] as number));
    }
    out[3 * p] = x;
    out[3 * p + 1] = y;
    out[3 * p + 2] = z;
  }
  return out;
}
