/**
 * The TBGAN generator as an ONNX graph, built from a model package's weights (research/tbgan.md §1).
 *
 * Inputs: `z` [N, L] and `labels` [N, labelSize], float32. Outputs (the runtime computes only those
 * fetched): `uv` [N, 9, R, R] float32, the raw generator output; `texture` [N, R, R, 3] uint8 RGB;
 * `normals` [N, R, R, 3] uint8, unit normals encoded as (n + 1) / 2; `shape` [N, R, R, 3] float32 XYZ.
 * Decoding in the graph means less crosses from device to host and the CPU does less.
 *
 * DESIGN NOTES
 * - The fused up-convolution of the official code is TF's `conv2d_transpose` (stride 2, SAME) of the
 *   3x3 kernel zero-padded to 5x5 and summed over its four shifted 4x4 windows (tbgan.md §1.6). Three
 *   exactly equivalent ONNX forms exist, selected by `upsample`:
 *   - `resize-conv`: nearest x2, then a 3x3 conv with the spatially flipped kernel: 36 MACs per input
 *     pixel and in/out channel pair; the most literal and the most portable;
 *   - `conv-transpose`: ONNX ConvTranspose with the 4x4 summed kernel: 16 MACs, the official op;
 *   - `phase`: four 2x2 convs at the input resolution, one per output pixel phase, interleaved with
 *     DepthToSpace: 16 MACs, with only ordinary convolutions (fast on every runtime).
 *   All three are checked against the float64 reference in tests; `bench/engine.ts` measures them.
 * - `fp16`: the input PixelNorm runs in float32 on the float32 inputs, then the layers run in float16
 *   with PixelNorm's statistics in float32 (see pixelNorm), and the raw output is cast back to
 *   float32 before decoding.
 * - The three branches (tbgan.md §1.4) run either as three tensors, as in the official graph
 *   (`split`), or as one tensor whose layers are grouped convolutions with 3 groups (`grouped`:
 *   DESIGN.md's "grouped convolutions are the same thing"): one op per layer instead of three. Either
 *   way PixelNorm in a branch normalises over that branch's channels only.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Architecture, BRANCHES, type LayerSpec, layerPlan, resolutionLog2 } from './architecture.js';
import { float32ToFloat16 } from './float16.js';
import { type ElementType, OnnxGraphWriter } from './onnx-graph.js';

/** Bump when the graph this file builds changes: it is part of the graph cache key. */
export const GRAPH_BUILDER_VERSION = 2;

/** How the fused up-convolution is expressed (see the design notes). */
export type UpsampleMode = 'resize-conv' | 'conv-transpose' | 'phase';
export const UPSAMPLE_MODES: readonly UpsampleMode[] = ['resize-conv', 'conv-transpose', 'phase'];

/** Compute precision; inputs and outputs are always float32 (uint8 for decoded images). */
export type Precision = 'fp32' | 'fp16';

/** How the three branches are laid out (see the design notes). */
export type BranchMode = 'grouped' | 'split';
export const BRANCH_MODES: readonly BranchMode[] = ['grouped', 'split'];

/** Options of the graph. */
export interface GraphOptions {
  precision: Precision;
  upsample: UpsampleMode;
  branches: BranchMode;
}

/** Defaults: fp32, and the up-conv form that measured fastest on CPU (bench/NOTES.md). */
export const GRAPH_DEFAULTS: Readonly<GraphOptions> = { precision: 'fp32', upsample: 'phase', branches: 'grouped' };

/** The generator's output names. */
export const GENERATOR_OUTPUTS = ['uv', 'texture', 'normals', 'shape'] as const;
export type GeneratorOutput = (typeof GENERATOR_OUTPUTS)[number];

/** What the builder needs of a model: architecture, lod and the weights (effective, TBGAN layout). */
export interface GraphSource {
  architecture: Architecture;
  lod: number;
  readVariable(name: string): Promise<Float32Array>;
}

const OPSET = 17;

/**
 * Builds the generator graph. Writes `<dir>/<fileBase>.onnx` plus its external data
 * `<fileBase>.onnx.data`, streaming weights one tensor at a time; returns the graph path.
 */
export async function buildGeneratorGraph(
  source: GraphSource,
  options: GraphOptions,
  dir: string,
  fileBase: string,
  /** Also output these activations (after PixelNorm), named by scope, e.g. `4x4/Dense`: for parity tests. */
  intermediates: readonly string[] = [],
): Promise<string> {
  const graphPath = join(dir, `${fileBase}.onnx`);
  const g = new OnnxGraphWriter(`${graphPath}.data`);
  const arch = source.architecture;
  const dt = options.precision === 'fp16' ? 'float16' : 'float32';
  const R = arch.resolution;
  const rLog2 = resolutionLog2(arch);

  const floats = (scope: string, dims: number[], values: Float32Array) =>
    dt === 'float16'
      ? g.floats(scope, 'float16', dims, float32ToFloat16(values))
      : g.floats(scope, 'float32', dims, values);
  const scalar = (scope: string, v: number) => floats(scope, [], new Float32Array([v]));
  const eps32 = g.floats('const/pixelnorm_eps', 'float32', [], new Float32Array([arch.pixelNormEpsilon]));

  const layers = layerPlan(arch);
  const layer = (scope: string) => layers.find((l) => l.scope === scope) as LayerSpec;

  // Per-pixel sums over the channels of [N, C, H, W] (within each of `groups` channel groups), as a
  // 1x1 convolution to `groups` channels. Not ReduceMean/ReduceSumSquare: ONNX Runtime reduces the
  // channel axis in another order for N = 1 than for N > 1, so a face's bits would depend on its
  // batch; convolutions run per image, so every output is independent of its batch (tested).
  const channelWeights = new Map<string, string>();
  const channelSum = (x: string, channels: number, weight: number, type: ElementType, scope: string, groups = 1) => {
    const key = `${channels}/${groups}/${weight}/${type}`;
    let w = channelWeights.get(key);
    if (w === undefined) {
      const values = new Float32Array(channels).fill(weight);
      const dims = [groups, channels / groups, 1, 1];
      const name = `const/channel_sum_${channels}_g${groups}`;
      w =
        type === 'float16'
          ? g.floats(name, 'float16', dims, float32ToFloat16(values))
          : g.floats(name, 'float32', dims, values);
      channelWeights.set(key, w);
    }
    return g.op('Conv', [x, w], { kernel_shape: [1, 1], group: groups }, scope);
  };
  // PixelNorm over channels (axis 1): x * rsqrt(mean(x^2) + eps), separately in each channel group
  // (grouped branches: each branch normalises over its own channels, tbgan.md §1.4). The statistics
  // are always float32, as mixed precision keeps norms: in float16 the squares of small activations
  // fall into subnormals, and PixelNorm would scale their rounding error up to the output's size.
  const pixelNorm = (x: string, channels: number, scope: string, groups = 1, side = 1, type: ElementType = dt) => {
    const half = type === 'float16';
    const x32 = half ? g.op('Cast', [x], { to: 1 }, scope) : x;
    const meanSquare = channelSum(
      g.op('Mul', [x32, x32], {}, scope),
      channels,
      groups / channels,
      'float32',
      scope,
      groups,
    );
    let norm = g.op('Sqrt', [g.op('Add', [meanSquare, eps32], {}, scope)], {}, scope);
    if (half) norm = g.op('Cast', [norm], { to: 10 }, scope);
    if (groups === 1) return g.op('Div', [x, norm], {}, scope);
    const shape = (name: string, dims: number[]) => g.int64s(`const/shape_${name}`, dims);
    const grouped = g.op(
      'Reshape',
      [x, shape(`${channels}_${side}_g${groups}`, [-1, groups, channels / groups, side, side])],
      {},
      scope,
    );
    const norms = g.op('Reshape', [norm, shape(`1_${side}_g${groups}`, [-1, groups, 1, side, side])], {}, scope);
    return g.op(
      'Reshape',
      [g.op('Div', [grouped, norms], {}, scope), shape(`${channels}_${side}`, [-1, channels, side, side])],
      {},
      scope,
    );
  };
  /** LeakyReLU then PixelNorm after one layer, or after parallel branch layers run as one grouped op. */
  const act = (x: string, ls: LayerSpec[]) => {
    const l0 = ls[0] as LayerSpec;
    const side = 2 ** l0.resLog2;
    const channels = ls.reduce((n, l) => n + l.outChannels, 0);
    const y = pixelNorm(
      g.op('LeakyRelu', [x], { alpha: { float: arch.leakyReluAlpha } }, l0.scope),
      channels,
      l0.scope,
      ls.length,
      side,
    );
    if (ls.length === 1 && intermediates.includes(l0.scope)) {
      g.output(l0.scope, dt === 'float16' ? g.op('Cast', [y], { to: 1 }, l0.scope) : y, 'float32', [
        'N',
        channels,
        side,
        side,
      ]);
    }
    return y;
  };

  const weight = (l: LayerSpec) => source.readVariable(`${l.scope}/weight`);
  const bias = (l: LayerSpec) => source.readVariable(`${l.scope}/bias`);
  /** One tensor from the layers' tensors, in order: a grouped op's weights are its groups' stacked. */
  const stacked = async (ls: LayerSpec[], read: (l: LayerSpec) => Promise<Float32Array> | Float32Array) => {
    const parts: Float32Array[] = [];
    for (const l of ls) parts.push(await read(l));
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  };
  const sum = (ls: LayerSpec[], key: 'inChannels' | 'outChannels') => ls.reduce((n, l) => n + l[key], 0);
  const scopeOf = (ls: LayerSpec[]) =>
    ls.length === 1
      ? (ls[0] as LayerSpec).scope
      : (ls[0] as LayerSpec).scope.replace(/\/(tex|shp|nor)(\/|$)/, '/branches$2');

  /** A 3x3 conv (or 1x1 ToRGB) of one layer, or of parallel branch layers as one grouped conv. */
  const conv = async (x: string, ls: LayerSpec[]) => {
    const l0 = ls[0] as LayerSpec;
    const k = l0.kind === 'to-rgb' ? 1 : 3;
    const w = await stacked(ls, async (l) => toOnnxConvWeight(await weight(l), k, l.inChannels, l.outChannels));
    const scope = scopeOf(ls);
    const inputs = [
      x,
      floats(`${scope}/weight`, [sum(ls, 'outChannels'), l0.inChannels, k, k], w),
      floats(`${scope}/bias`, [sum(ls, 'outChannels')], await stacked(ls, bias)),
    ];
    return g.op(
      'Conv',
      inputs,
      { kernel_shape: [k, k], pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0], group: ls.length },
      scope,
    );
  };

  /** The fused up-conv of one layer, or of parallel branch layers as grouped ops, in the chosen form. */
  const upConv = async (x: string, ls: LayerSpec[]) => {
    const l0 = ls[0] as LayerSpec;
    const [cin, cout, group] = [l0.inChannels, l0.outChannels, ls.length];
    const scope = scopeOf(ls);
    const b = floats(`${scope}/bias`, [cout * group], await stacked(ls, bias));
    if (options.upsample === 'conv-transpose') {
      const wt = await stacked(ls, async (l) => toConvTransposeWeight(await weight(l), cin, cout));
      const attributes = { kernel_shape: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1], group };
      return g.op('ConvTranspose', [x, floats(`${scope}/weight`, [cin * group, cout, 4, 4], wt), b], attributes, scope);
    }
    const flipped = new Map<LayerSpec, Float32Array>();
    for (const l of ls) flipped.set(l, toFlippedConvWeight(await weight(l), cin, cout));
    if (options.upsample === 'resize-conv') {
      const w = floats(
        `${scope}/weight`,
        [cout * group, cin, 3, 3],
        await stacked(ls, (l) => flipped.get(l) as Float32Array),
      );
      return g.op('Conv', [nearestUp(x, scope), w, b], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group }, scope);
    }
    // phase: output pixel (2i+a, 2j+b) is a 2x2 conv of input rows {i-1, i} (a=0) or {i, i+1} (a=1).
    const phases: string[] = [];
    for (const a of [0, 1]) {
      for (const bb of [0, 1]) {
        const wp = await stacked(ls, (l) => toPhaseWeight(flipped.get(l) as Float32Array, cin, cout, a, bb));
        const pads = [1 - a, 1 - bb, a, bb]; // [top, left, bottom, right]
        const w = floats(`${scope}/weight_phase${a}${bb}`, [cout * group, cin, 2, 2], wp);
        phases.push(g.op('Conv', [x, w, b], { kernel_shape: [2, 2], pads, group }, `${scope}/phase${a}${bb}`));
      }
    }
    // DepthToSpace DCR reads channel (a*2 + b)*C + c into output pixel (2i+a, 2j+b).
    return g.op('DepthToSpace', [g.op('Concat', phases, { axis: 1 }, scope)], { blocksize: 2, mode: 'DCR' }, scope);
  };

  let scalesX2: string | undefined; // created on first use: an unused initializer draws a runtime warning
  const nearestUp = (x: string, scope: string) => {
    scalesX2 ??= g.floats('const/scales_x2', 'float32', [4], new Float32Array([1, 1, 2, 2]));
    const attributes = { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
    return g.op('Resize', [x, '', scalesX2], attributes, scope);
  };

  // 4x4 block: PixelNorm of concat(z, labels) (in float32), Dense -> [N, C, 4, 4] (NCHW index c*16 + y*4 + x).
  const z = g.input('z', 'float32', ['N', arch.latentSize]);
  const labels = g.input('labels', 'float32', ['N', arch.labelSize]);
  const dense = layer('4x4/Dense');
  let x = g.op('Concat', [z, labels], { axis: 1 }, '4x4/concat');
  x = g.op('Reshape', [x, g.int64s('const/shape_dense_in', [-1, dense.inChannels, 1, 1])], {}, '4x4/concat');
  x = pixelNorm(x, dense.inChannels, '4x4/PixelNorm', 1, 1, 'float32');
  if (dt === 'float16') x = g.op('Cast', [x], { to: 10 }, 'cast_fp16');
  // The Dense runs as a 1x1 Conv on [N, in, 1, 1]: ONNX Runtime's MatMul takes another code path for
  // one row than for several, so a face's bits would depend on its batch; convolutions are computed
  // per image, which makes every output independent of the batch it ran in (tested).
  const units = dense.outChannels * 16;
  const perChannel = await bias(dense);
  const denseBias = new Float32Array(units).map((_, j) => perChannel[Math.floor(j / 16)] as number); // index j = c*16 + y*4 + x
  const denseWeight = floats(
    '4x4/Dense/weight',
    [units, dense.inChannels, 1, 1],
    toOnnxConvWeight(await weight(dense), 1, dense.inChannels, units),
  );
  x = g.op(
    'Conv',
    [x, denseWeight, floats('4x4/Dense/bias', [units], denseBias)],
    { kernel_shape: [1, 1] },
    dense.scope,
  );
  x = g.op('Reshape', [x, g.int64s('const/shape_4x4', [-1, dense.outChannels, 4, 4])], {}, dense.scope);
  x = act(x, [dense]);
  const conv4 = [layer('4x4/Conv')];
  x = act(await conv(x, conv4), conv4);

  // Trunk blocks up to 2^lodSep, then the three branches: one grouped op per layer (`grouped`), or
  // three tensors split into equal thirds (`split`, the official graph's form).
  const branchGroups: (typeof BRANCHES)[number][][] =
    options.branches === 'grouped' ? [[...BRANCHES]] : BRANCHES.map((b) => [b]);
  let parts: string[] = [];
  let lod1: string[] = [];
  for (let r = 3; r <= rLog2; r++) {
    const px = `${2 ** r}x${2 ** r}`;
    if (r <= arch.lodSep) {
      const [up, c1] = [[layer(`${px}/Conv0_up`)], [layer(`${px}/Conv1`)]];
      x = act(await upConv(x, up), up);
      x = act(await conv(x, c1), c1);
      continue;
    }
    if (parts.length === 0)
      parts = branchGroups.length === 1 ? [x] : g.node('Split', [x], { axis: 1 }, 'split_branches', BRANCHES.length);
    const next: string[] = [];
    for (const [i, names] of branchGroups.entries()) {
      const up = names.map((n) => layer(`${px}/${n}/Conv0_up`));
      const c1 = names.map((n) => layer(`${px}/${n}/Conv1`));
      next.push(act(await conv(act(await upConv(parts[i] as string, up), up), c1), c1));
    }
    parts = next;
    if (r === rLog2 - 1 && source.lod > 0) lod1 = await toRgb(parts, r);
  }
  if (rLog2 - 1 === arch.lodSep && source.lod > 0) lod1 = await toRgb([x], arch.lodSep);

  /** ToRGB of a level: one conv on the trunk, or per branch part (grouped parts: one grouped conv). */
  async function toRgb(features: string[], r: number): Promise<string[]> {
    const lod = rLog2 - r;
    if (r <= arch.lodSep) return [await conv(features[0] as string, [layer(`ToRGB_lod${lod}`)])];
    const out: string[] = [];
    for (const [i, names] of branchGroups.entries())
      out.push(
        await conv(
          features[i] as string,
          names.map((n) => layer(`ToRGB_lod${lod}/${n}`)),
        ),
      );
    return out;
  }

  // ToRGB_lod0 per branch, concat -> [N, 9, R, R]; fade in from ToRGB_lod1 when 0 < lod < 1 (tbgan.md §1.9).
  const lod0 = await toRgb(parts, rLog2);
  let uv = lod0.length === 1 ? (lod0[0] as string) : g.op('Concat', lod0, { axis: 1 }, 'ToRGB_lod0');
  if (source.lod > 0) {
    const low = nearestUp(
      lod1.length === 1 ? (lod1[0] as string) : g.op('Concat', lod1, { axis: 1 }, 'ToRGB_lod1'),
      'fade',
    );
    // lerp(a, b, t) = a + (b - a) * t, as TF's tfutil.lerp
    uv = g.op(
      'Add',
      [uv, g.op('Mul', [g.op('Sub', [low, uv], {}, 'fade'), scalar('const/lod', source.lod)], {}, 'fade')],
      {},
      'fade',
    );
  }
  if (dt === 'float16') uv = g.op('Cast', [uv], { to: 1 }, 'cast_fp32');
  g.output('uv', uv, 'float32', ['N', 9, R, R]);

  // Decoding (float32): slices of the raw output, NHWC for images and meshes.
  const slice = (c0: number, scope: string) =>
    g.op(
      'Slice',
      [
        uv,
        g.int64s(`const/${scope}_start`, [c0]),
        g.int64s(`const/${scope}_end`, [c0 + 3]),
        g.int64s('const/axis1', [1]),
      ],
      {},
      scope,
    );
  const f32 = (scope: string, v: number) => g.floats(scope, 'float32', [], new Float32Array([v]));
  const [half255, zero, full] = [f32('const/127.5', 127.5), f32('const/0', 0), f32('const/255', 255)];
  const toUint8 = (x: string, scope: string) => {
    // clip(x / 2 + 0.5, 0, 1) * 255 == clip(x * 127.5 + 127.5, 0, 255); rounded half to even, NHWC
    const y = g.op(
      'Clip',
      [g.op('Add', [g.op('Mul', [x, half255], {}, scope), half255], {}, scope), zero, full],
      {},
      scope,
    );
    return g.op(
      'Transpose',
      [g.op('Cast', [g.op('Round', [y], {}, scope)], { to: 2 }, scope)],
      { perm: [0, 2, 3, 1] },
      scope,
    );
  };
  g.output('texture', toUint8(slice(0, 'texture'), 'texture'), 'uint8', ['N', R, R, 3]);
  const n = slice(6, 'normals');
  const norm = g.op(
    'Sqrt',
    [g.op('Add', [channelSum(g.op('Mul', [n, n], {}, 'normals'), 3, 1, 'float32', 'normals'), eps32], {}, 'normals')],
    {},
    'normals',
  );
  g.output('normals', toUint8(g.op('Div', [n, norm], {}, 'normals'), 'normals'), 'uint8', ['N', R, R, 3]);
  g.output('shape', g.op('Transpose', [slice(3, 'shape')], { perm: [0, 2, 3, 1] }, 'shape'), 'float32', ['N', R, R, 3]);

  const doc = `TBGAN generator ${R}px, ${options.precision}, up-conv ${options.upsample}, lod ${source.lod}, builder v${GRAPH_BUILDER_VERSION}`;
  await writeFile(graphPath, g.finish('tbgan_generator', OPSET, doc));
  return graphPath;
}

/** TF conv weight [k, k, in, out] -> ONNX Conv weight [out, in, k, k]. */
export function toOnnxConvWeight(w: Float32Array, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < k; y++)
    for (let x = 0; x < k; x++)
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + c) * k + y) * k + x] = w[((y * k + x) * cin + c) * cout + o] as number;
  return out;
}

/** Fused up-conv weight [3, 3, out, in] -> ONNX Conv weight [out, in, 3, 3], spatially flipped (tbgan.md §1.6). */
export function toFlippedConvWeight(w: Float32Array, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 3; x++)
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++)
          out[((o * cin + c) * 3 + (2 - y)) * 3 + (2 - x)] = w[((y * 3 + x) * cout + o) * cin + c] as number;
  return out;
}

/**
 * Fused up-conv weight [3, 3, out, in] -> ONNX ConvTranspose weight [in, out, 4, 4]: the official kernel,
 * zero-padded to 5x5 and summed over its four shifted 4x4 windows (TF's `upscale2d_conv2d`).
 */
export function toConvTransposeWeight(w: Float32Array, cin: number, cout: number): Float32Array {
  const out = new Float32Array(16 * cin * cout);
  const at = (y: number, x: number, o: number, c: number) =>
    y < 0 || y > 2 || x < 0 || x > 2 ? 0 : (w[((y * 3 + x) * cout + o) * cin + c] as number);
  for (let ky = 0; ky < 4; ky++)
    for (let kx = 0; kx < 4; kx++)
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++) {
          // padded[i][j] = w[i-1][j-1]; sum of windows [1:,1:], [:-1,1:], [1:,:-1], [:-1,:-1]
          const v = at(ky, kx, o, c) + at(ky - 1, kx, o, c) + at(ky, kx - 1, o, c) + at(ky - 1, kx - 1, o, c);
          out[((c * cout + o) * 4 + ky) * 4 + kx] = v;
        }
  return out;
}

/**
 * One phase of the up-conv as a 2x2 kernel [out, in, 2, 2], from the flipped 3x3 ONNX kernel K.
 * Nearest x2 then K: output row 2i uses input rows i-1 (tap 0) and i (taps 1, 2); row 2i+1 uses
 * row i (taps 0, 1) and i+1 (tap 2). Columns likewise.
 */
export function toPhaseWeight(k: Float32Array, cin: number, cout: number, a: number, b: number): Float32Array {
  const groups = (p: number) => (p === 0 ? [[0], [1, 2]] : [[0, 1], [2]]);
  const rows = groups(a);
  const cols = groups(b);
  const out = new Float32Array(4 * cin * cout);
  for (let o = 0; o < cout; o++)
    for (let c = 0; c < cin; c++)
      for (let u = 0; u < 2; u++)
        for (let v = 0; v < 2; v++) {
          let s = 0;
          for (const ky of rows[u] as number[])
            for (const kx of cols[v] as number[]) s += k[((o * cin + c) * 3 + ky) * 3 + kx] as number;
          out[((o * cin + c) * 2 + u) * 2 + v] = s;
        }
  return out;
}
