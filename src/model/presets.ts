import type { Architecture } from './architecture.js';

const COMMON = {
  labelSize: 7,
  numChannels: 9,
  fmapDecay: 1,
  widthMultiplier: 3,
  pixelNormEpsilon: 1e-8,
  leakyReluAlpha: 0.2,
} as const;

/**
 * Named architectures. They differ only in numbers; one graph builder serves all.
 * - `tbgan-512`: the official generator (tbgan.md §1.2): 512 px, latent nf(0) = 1536, trunk to 128 px.
 * - `tbgan-256`: the CPU-friendly embedded default: 256 px, trunk to 64 px, about 7 GFLOP per face.
 * - `tbgan-tiny`: for tests: 32 px, trunk to 8 px, two branch levels like the official model; 0.5 MB.
 */
export const PRESETS = {
  'tbgan-512': { ...COMMON, resolution: 512, latentSize: 1536, fmapBase: 8192, fmapMax: 512, lodSep: 7 },
  'tbgan-256': { ...COMMON, resolution: 256, latentSize: 384, fmapBase: 1024, fmapMax: 128, lodSep: 6 },
  'tbgan-tiny': { ...COMMON, resolution: 32, latentSize: 48, fmapBase: 256, fmapMax: 16, lodSep: 3 },
} as const satisfies Record<string, Architecture>;

export type PresetName = keyof typeof PRESETS;

/** Names of the presets, for CLI help and validation messages. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Whether `name` names a preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
