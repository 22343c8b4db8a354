/**
 * An independent reference forward of the TBGAN generator in float64, written from the specification
 * (research/tbgan.md §1.3-1.9), not from the graph builder: TF's NHWC layout, TF's weight layouts,
 * and the fused up-convolution done literally as TF does it (kernel zero-padded to 5x5, summed over
 * four shifted 4x4 windows, then `conv2d_transpose` with stride 2 and SAME padding). Slow loops; for
 * the tiny preset in tests.
 */
import type { Architecture } from '../../src/model/architecture.js';

/** An NHWC feature map of one sample, float64. */
export interface Map3 {
  h: number;
  w: number;
  c: number;
  data: Float64Array; // [h, w, c]
}

type Read = (name: string) => Float32Array;

const nf = (a: Architecture, s: number) =>
  a.widthMultiplier * Math.min(Math.trunc(a.fmapBase / 2 ** (s * a.fmapDecay)), a.fmapMax);

/** PixelNorm over the channels of each pixel: x * rsqrt(mean(x^2) + eps). */
export function pixelNorm(m: Map3, eps: number): Map3 {
  const out = new Float64Array(m.data.length);
  for (let p = 0; p < m.h * m.w; p++) {
    let s = 0;
    for (let c = 0; c < m.c; c++) s += (m.data[p * m.c + c] as number) ** 2;
    const k = 1 / Math.sqrt(s / m.c + eps);
    for (let c = 0; c < m.c; c++) out[p * m.c + c] = (m.data[p * m.c + c] as number) * k;
  }
  return { ...m, data: out };
}

function leakyRelu(m: Map3, alpha: number): Map3 {
  return { ...m, data: m.data.map((v) => (v < 0 ? v * alpha : v)) };
}

/** TF conv2d, stride 1, SAME, cross-correlation; weight [k, k, in, out]. */
export function conv2d(m: Map3, w: Float32Array, b: Float32Array, k: number, cout: number): Map3 {
  const out = new Float64Array(m.h * m.w * cout);
  const pad = (k - 1) / 2;
  for (let y = 0; y < m.h; y++)
    for (let x = 0; x < m.w; x++)
      for (let o = 0; o < cout; o++) {
        let s = b[o] as number;
        for (let ky = 0; ky < k; ky++) {
          const iy = y + ky - pad;
          if (iy < 0 || iy >= m.h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = x + kx - pad;
            if (ix < 0 || ix >= m.w) continue;
            for (let c = 0; c < m.c; c++)
              s += (m.data[(iy * m.w + ix) * m.c + c] as number) * (w[((ky * k + kx) * m.c + c) * cout + o] as number);
          }
        }
        out[(y * m.w + x) * cout + o] = s;
      }
  return { h: m.h, w: m.w, c: cout, data: out };
}

/** TF's fused up-conv: pad [3,3,out,in] to 5x5, sum the four shifted 4x4 windows, conv2d_transpose stride 2 SAME. */
export function fusedUpConv(m: Map3, w: Float32Array, b: Float32Array, cout: number): Map3 {
  const cin = m.c;
  const padded = (y: number, x: number, o: number, c: number) =>
    y < 1 || y > 3 || x < 1 || x > 3 ? 0 : (w[(((y - 1) * 3 + (x - 1)) * cout + o) * cin + c] as number);
  const w4 = new Float64Array(16 * cout * cin); // [4, 4, out, in]
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 4; x++)
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++)
          w4[((y * 4 + x) * cout + o) * cin + c] =
            padded(y + 1, x + 1, o, c) + padded(y, x + 1, o, c) + padded(y + 1, x, o, c) + padded(y, x, o, c);
  // conv2d_transpose is the gradient of conv2d(stride 2, SAME, pad_before 1): output (2i + ky - 1, 2j + kx - 1) += in(i, j) * w4(ky, kx).
  const H = m.h * 2;
  const W = m.w * 2;
  const out = new Float64Array(H * W * cout);
  for (let i = 0; i < m.h; i++)
    for (let j = 0; j < m.w; j++)
      for (let ky = 0; ky < 4; ky++) {
        const p = 2 * i + ky - 1;
        if (p < 0 || p >= H) continue;
        for (let kx = 0; kx < 4; kx++) {
          const q = 2 * j + kx - 1;
          if (q < 0 || q >= W) continue;
          for (let o = 0; o < cout; o++) {
            let s = 0;
            for (let c = 0; c < cin; c++)
              s += (m.data[(i * m.w + j) * cin + c] as number) * (w4[((ky * 4 + kx) * cout + o) * cin + c] as number);
            out[(p * W + q) * cout + o] += s;
          }
        }
      }
  for (let p = 0; p < H * W; p++) for (let o = 0; o < cout; o++) out[p * cout + o] += b[o] as number;
  return { h: H, w: W, c: cout, data: out };
}

/** Nearest-neighbour x2 (TF `upscale2d`: each pixel tiled 2x2). */
export function upscale2d(m: Map3): Map3 {
  const out = new Float64Array(m.data.length * 4);
  const W = m.w * 2;
  for (let y = 0; y < m.h * 2; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < m.c; c++)
        out[(y * W + x) * m.c + c] = m.data[((y >> 1) * m.w + (x >> 1)) * m.c + c] as number;
  return { h: m.h * 2, w: W, c: m.c, data: out };
}

function splitChannels(m: Map3, parts: number): Map3[] {
  const c = m.c / parts;
  return Array.from({ length: parts }, (_, k) => {
    const data = new Float64Array(m.h * m.w * c);
    for (let p = 0; p < m.h * m.w; p++)
      for (let j = 0; j < c; j++) data[p * c + j] = m.data[p * m.c + k * c + j] as number;
    return { h: m.h, w: m.w, c, data };
  });
}

function concatChannels(maps: Map3[]): Map3 {
  const c = maps.reduce((s, m) => s + m.c, 0);
  const first = maps[0] as Map3;
  const data = new Float64Array(first.h * first.w * c);
  for (let p = 0; p < first.h * first.w; p++) {
    let off = 0;
    for (const m of maps) {
      for (let j = 0; j < m.c; j++) data[p * c + off + j] = m.data[p * m.c + j] as number;
      off += m.c;
    }
  }
  return { h: first.h, w: first.w, c, data };
}

/** The Dense layer's output (after bias, activation and PixelNorm) as a 4x4 map: index j = c*16 + y*4 + x. */
export function denseBlock(arch: Architecture, read: Read, z: Float32Array, label: Float32Array): Map3 {
  const eps = arch.pixelNormEpsilon;
  const input = pixelNorm({ h: 1, w: 1, c: z.length + label.length, data: Float64Array.from([...z, ...label]) }, eps);
  const C = nf(arch, 1);
  const w = read('4x4/Dense/weight');
  const b = read('4x4/Dense/bias');
  const data = new Float64Array(16 * C);
  for (let j = 0; j < 16 * C; j++) {
    let s = 0;
    for (let i = 0; i < input.c; i++) s += (input.data[i] as number) * (w[i * 16 * C + j] as number);
    const c = Math.floor(j / 16);
    const y = Math.floor((j % 16) / 4);
    const x = j % 4;
    data[(y * 4 + x) * C + c] = s + (b[c] as number);
  }
  return pixelNorm(leakyRelu({ h: 4, w: 4, c: C, data }, arch.leakyReluAlpha), eps);
}

/** One sample through the generator: returns [9, R, R] (NCHW of one sample), float64. */
export function referenceForward(
  arch: Architecture,
  lod: number,
  read: Read,
  z: Float32Array,
  label: Float32Array,
): Float64Array {
  const eps = arch.pixelNormEpsilon;
  const act = (m: Map3) => pixelNorm(leakyRelu(m, arch.leakyReluAlpha), eps);
  const rLog2 = Math.log2(arch.resolution);
  const branches = ['tex', 'shp', 'nor'];
  let x = denseBlock(arch, read, z, label);
  x = act(conv2d(x, read('4x4/Conv/weight'), read('4x4/Conv/bias'), 3, nf(arch, 1)));
  let parts: Map3[] = [];
  let lod1: Map3 | undefined;
  const toRgb = (maps: Map3[], r: number): Map3 => {
    const l = rLog2 - r;
    if (maps.length === 1)
      return conv2d(maps[0] as Map3, read(`ToRGB_lod${l}/weight`), read(`ToRGB_lod${l}/bias`), 1, 9);
    return concatChannels(
      maps.map((m, i) =>
        conv2d(m, read(`ToRGB_lod${l}/${branches[i]}/weight`), read(`ToRGB_lod${l}/${branches[i]}/bias`), 1, 3),
      ),
    );
  };
  for (let r = 3; r <= rLog2; r++) {
    const px = `${2 ** r}x${2 ** r}`;
    const width = nf(arch, r - 1);
    if (r <= arch.lodSep) {
      x = act(fusedUpConv(x, read(`${px}/Conv0_up/weight`), read(`${px}/Conv0_up/bias`), width));
      x = act(conv2d(x, read(`${px}/Conv1/weight`), read(`${px}/Conv1/bias`), 3, width));
      parts = [x];
    } else {
      // Each block re-splits what arrives into thirds (tbgan.md §1.4): tex, shp, nor.
      const inputs = splitChannels(concatChannels(parts), 3);
      parts = inputs.map((m, i) => {
        const s = `${px}/${branches[i]}`;
        const y = act(fusedUpConv(m, read(`${s}/Conv0_up/weight`), read(`${s}/Conv0_up/bias`), width / 3));
        return act(conv2d(y, read(`${s}/Conv1/weight`), read(`${s}/Conv1/bias`), 3, width / 3));
      });
    }
    if (r === rLog2 - 1 && lod > 0) lod1 = toRgb(parts, r);
  }
  let out = toRgb(parts, rLog2);
  if (lod > 0 && lod1) {
    const low = upscale2d(lod1);
    out = { ...out, data: out.data.map((a, i) => a + ((low.data[i] as number) - a) * lod) };
  }
  // NHWC -> CHW
  const R = arch.resolution;
  const chw = new Float64Array(9 * R * R);
  for (let p = 0; p < R * R; p++) for (let c = 0; c < 9; c++) chw[c * R * R + p] = out.data[p * 9 + c] as number;
  return chw;
}
