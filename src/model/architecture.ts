/**
 * The TBGAN generator's architecture as numbers, and the layer plan every other part derives from:
 * variable names and shapes (research/tbgan.md §4.3), equalized-learning-rate constants (§1.5),
 * parameter and FLOP counts. The official model and the smaller presets differ only in these numbers.
 */

/** The three branches after the trunk, in channel order: texture, shape, normals (tbgan.md §1.4). */
export const BRANCHES = ['tex', 'shp', 'nor'] as const;
export type Branch = (typeof BRANCHES)[number];

/** Numbers that fully describe a generator. Field names follow the official `G_paper` kwargs. */
export interface Architecture {
  /** Output resolution R (power of two); the output is [N, 9, R, R]. */
  resolution: number;
  /** Length of the latent z. The official model uses nf(0) = 1536. */
  latentSize: number;
  /** Length of the label (expression) vector concatenated to z. */
  labelSize: number;
  /** Output channels: 3 per branch. Always 9. */
  numChannels: number;
  fmapBase: number;
  fmapDecay: number;
  fmapMax: number;
  /** TBGAN multiplies ProGAN's widths by 3 so each branch gets a third (tbgan.md §1.1). */
  widthMultiplier: number;
  /** log2 of the last trunk resolution; blocks above it are split into branches (`G.lod_sep`). */
  lodSep: number;
  /** PixelNorm epsilon (`pixelnorm_epsilon`). */
  pixelNormEpsilon: number;
  /** Leaky ReLU slope (`use_leakyrelu`: 0.2). */
  leakyReluAlpha: number;
}

/** One weight-bearing layer of the generator, in creation order. */
export interface LayerSpec {
  /** TBGAN variable scope, e.g. `8x8/Conv0_up` or `ToRGB_lod0/tex`. */
  scope: string;
  kind: 'dense' | 'conv' | 'conv-up' | 'to-rgb';
  /** log2 of the block's output resolution (2 for 4x4). */
  resLog2: number;
  inChannels: number;
  outChannels: number;
  /** Set for branch layers. */
  branch?: Branch;
  /** Set for ToRGB layers: `lod` index (0 = full resolution). */
  lod?: number;
  /** He gain of the equalized learning rate: sqrt(2), sqrt(2)/4 for the Dense, 1 for ToRGB. */
  gain: number;
  /** Fan-in used by the equalized learning rate. */
  fanIn: number;
}

/** A variable of the checkpoint: TBGAN's local name, shape and layout. */
export interface VariableSpec {
  name: string;
  /** Dense [in, out]; conv [kh, kw, in, out]; Conv0_up [kh, kw, out, in]; bias [out]; lod []. */
  shape: number[];
}

/** Channel count of stage `s`: `3 * min(fmap_base / 2^(s * fmap_decay), fmap_max)` (tbgan.md §1.2). */
export function featureMaps(arch: Architecture, stage: number): number {
  return (
    arch.widthMultiplier * Math.min(Math.trunc(Math.trunc(arch.fmapBase / 2 ** (stage * arch.fmapDecay))), arch.fmapMax)
  );
}

/** log2 of the output resolution. */
export function resolutionLog2(arch: Architecture): number {
  return Math.log2(arch.resolution);
}

/** Problems with an architecture, as messages; empty when it is buildable. */
export function architectureProblems(arch: Architecture): string[] {
  const problems: string[] = [];
  const rLog2 = Math.log2(arch.resolution);
  if (!Number.isInteger(rLog2) || rLog2 < 3)
    problems.push(`resolution must be a power of two >= 8, got ${arch.resolution}`);
  if (arch.numChannels !== 9) problems.push(`numChannels must be 9 (3 per branch), got ${arch.numChannels}`);
  if (!(Number.isInteger(arch.lodSep) && arch.lodSep >= 2 && arch.lodSep < rLog2)) {
    problems.push(`lodSep must be an integer in [2, log2(resolution) - 1], got ${arch.lodSep}`);
  }
  for (const [key, v] of Object.entries({
    latentSize: arch.latentSize,
    labelSize: arch.labelSize,
    fmapBase: arch.fmapBase,
    fmapMax: arch.fmapMax,
    widthMultiplier: arch.widthMultiplier,
  })) {
    if (!(Number.isInteger(v) && v > 0)) problems.push(`${key} must be a positive integer, got ${v}`);
  }
  if (problems.length > 0) return problems;
  for (let r = arch.lodSep; r <= rLog2; r++) {
    const width = featureMaps(arch, r - 1);
    if (width % BRANCHES.length !== 0) problems.push(`width ${width} of block ${2 ** r}px must split into 3 branches`);
  }
  return problems;
}

/** The weight-bearing layers, in the official creation order (each block, then its ToRGB). */
export function layerPlan(arch: Architecture): LayerSpec[] {
  const rLog2 = resolutionLog2(arch);
  const layers: LayerSpec[] = [];
  const sqrt2 = Math.SQRT2;
  for (let r = 2; r <= rLog2; r++) {
    const px = `${2 ** r}x${2 ** r}`;
    const out = featureMaps(arch, r - 1);
    const lod = rLog2 - r;
    if (r === 2) {
      const fanIn = arch.latentSize + arch.labelSize;
      layers.push({
        scope: `${px}/Dense`,
        kind: 'dense',
        resLog2: r,
        inChannels: fanIn,
        outChannels: out,
        gain: sqrt2 / 4,
        fanIn,
      });
      layers.push({
        scope: `${px}/Conv`,
        kind: 'conv',
        resLog2: r,
        inChannels: out,
        outChannels: out,
        gain: sqrt2,
        fanIn: 9 * out,
      });
    } else if (r <= arch.lodSep) {
      const inC = featureMaps(arch, r - 2);
      layers.push({
        scope: `${px}/Conv0_up`,
        kind: 'conv-up',
        resLog2: r,
        inChannels: inC,
        outChannels: out,
        gain: sqrt2,
        fanIn: 9 * inC,
      });
      layers.push({
        scope: `${px}/Conv1`,
        kind: 'conv',
        resLog2: r,
        inChannels: out,
        outChannels: out,
        gain: sqrt2,
        fanIn: 9 * out,
      });
    } else {
      const inC = featureMaps(arch, r - 2) / BRANCHES.length;
      const outC = out / BRANCHES.length;
      for (const branch of BRANCHES) {
        layers.push({
          scope: `${px}/${branch}/Conv0_up`,
          kind: 'conv-up',
          resLog2: r,
          inChannels: inC,
          outChannels: outC,
          branch,
          gain: sqrt2,
          fanIn: 9 * inC,
        });
        layers.push({
          scope: `${px}/${branch}/Conv1`,
          kind: 'conv',
          resLog2: r,
          inChannels: outC,
          outChannels: outC,
          branch,
          gain: sqrt2,
          fanIn: 9 * outC,
        });
      }
    }
    if (r <= arch.lodSep) {
      layers.push({
        scope: `ToRGB_lod${lod}`,
        kind: 'to-rgb',
        resLog2: r,
        inChannels: out,
        outChannels: arch.numChannels,
        lod,
        gain: 1,
        fanIn: out,
      });
    } else {
      const inC = out / BRANCHES.length;
      const outC = arch.numChannels / BRANCHES.length;
      for (const branch of BRANCHES) {
        layers.push({
          scope: `ToRGB_lod${lod}/${branch}`,
          kind: 'to-rgb',
          resLog2: r,
          inChannels: inC,
          outChannels: outC,
          branch,
          lod,
          gain: 1,
          fanIn: inC,
        });
      }
    }
  }
  return layers;
}

/** Shape of a layer's weight in TBGAN's layout. */
export function weightShape(layer: LayerSpec): number[] {
  switch (layer.kind) {
    case 'dense':
      return [layer.inChannels, layer.outChannels * 16]; // [in, C*4*4], output index = c*16 + y*4 + x
    case 'conv':
      return [3, 3, layer.inChannels, layer.outChannels];
    case 'conv-up':
      return [3, 3, layer.outChannels, layer.inChannels]; // the fused up-conv's [k, k, out, in]
    case 'to-rgb':
      return [1, 1, layer.inChannels, layer.outChannels];
  }
}

/** Every checkpoint variable with its shape, in creation order: `lod` first, then weight and bias per layer. */
export function variablePlan(arch: Architecture): VariableSpec[] {
  const vars: VariableSpec[] = [{ name: 'lod', shape: [] }];
  for (const layer of layerPlan(arch)) {
    vars.push({ name: `${layer.scope}/weight`, shape: weightShape(layer) });
    vars.push({ name: `${layer.scope}/bias`, shape: [layer.outChannels] });
  }
  return vars;
}

/** Equalized-learning-rate constant `gain / sqrt(fan_in)`: effective weight = stored weight * this. */
export function weightScale(layer: LayerSpec): number {
  return layer.gain / Math.sqrt(layer.fanIn);
}

/** Whether a layer takes part in inference at the given lod (only ToRGB_lod0, plus ToRGB_lod1 when fading). */
export function layerUsed(layer: LayerSpec, lod: number): boolean {
  if (layer.kind !== 'to-rgb') return true;
  return layer.lod === 0 || (layer.lod === 1 && lod > 0);
}

/** Counts of one generator: parameters in the checkpoint and in the inference graph, and work per face. */
export interface ArchitectureStats {
  /** Every checkpoint variable, `lod` and all ToRGBs included. */
  checkpointParameters: number;
  /** Parameters the lod-0 inference graph uses. */
  inferenceParameters: number;
  /** Multiply-adds x 2 per face for the lod-0 graph, counting the up-conv as nearest x2 then a 3x3 conv. */
  flopsPerFace: number;
}

/** Parameter and FLOP counts of an architecture. */
export function architectureStats(arch: Architecture): ArchitectureStats {
  let checkpointParameters = 1; // lod
  let inferenceParameters = 0;
  let flopsPerFace = 0;
  for (const layer of layerPlan(arch)) {
    const params = weightShape(layer).reduce((a, b) => a * b, 1) + layer.outChannels;
    checkpointParameters += params;
    if (!layerUsed(layer, 0)) continue;
    inferenceParameters += params;
    const pixels = 4 ** layer.resLog2;
    const macs =
      layer.kind === 'dense'
        ? layer.inChannels * layer.outChannels * 16
        : layer.kind === 'to-rgb'
          ? layer.inChannels * layer.outChannels * pixels
          : 9 * layer.inChannels * layer.outChannels * pixels;
    flopsPerFace += 2 * macs;
  }
  return { checkpointParameters, inferenceParameters, flopsPerFace };
}
