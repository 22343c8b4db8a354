/**
 * Random model packages for any architecture: seeded He-style initialisation exactly as TBGAN's
 * (stored weight N(0, 1), effective weight = stored * gain / sqrt(fan_in), bias 0; tbgan.md §1.5),
 * with the scale folded in as every package stores it. Marked `trained: false`: such a model
 * generates structured noise, for plumbing, tests and benchmarks.
 */
import { type Architecture, layerPlan, weightScale } from './architecture.js';
import {
  EXPRESSION_NAMES,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  STANDARD_OUTPUTS,
} from './manifest.js';
import { writeModelPackage } from './package.js';
import { createUint32Stream, fillNormal } from './seeds.js';

/** Options of `initModelPackage`. */
export interface InitOptions {
  architecture: Architecture;
  /** The preset name, recorded in the manifest. */
  preset?: string;
  /** Seed of the weights (uint32). */
  seed: number;
  name: string;
  dtype?: Manifest['weights']['dtype'];
  /** Fade-in factor to store (tests of the lod blend); 0 for a finished model. */
  lod?: number;
  /** Standard deviation of random biases; 0 (TBGAN's init) unless a test wants biases to matter. */
  biasStd?: number;
  /** A version string for the manifest. */
  version?: string;
}

/** Writes a randomly initialised model package to `dir` and returns its manifest. */
export async function initModelPackage(dir: string, options: InitOptions): Promise<Manifest> {
  const { architecture, seed } = options;
  const scales = new Map(layerPlan(architecture).map((l) => [`${l.scope}/weight`, weightScale(l)]));
  const next = createUint32Stream(seed);
  const names =
    architecture.labelSize === EXPRESSION_NAMES.length
      ? [...EXPRESSION_NAMES]
      : Array.from({ length: architecture.labelSize }, (_, i) => `class${i}`);
  const neutral = names[0] === 'neutral' ? 'neutral' : null;
  const manifest: Omit<Manifest, 'files'> = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    name: options.name,
    version: options.version ?? `0.0.0-random.${seed}`,
    description: `Randomly initialised ${options.preset ?? 'custom'} generator (seed ${seed}). UNTRAINED: it generates noise, not faces.`,
    trained: false,
    ...(options.preset !== undefined && { preset: options.preset }),
    architecture,
    labels: {
      names,
      neutral,
      scale: names.map(() => 1),
      default: names.map((n) => (n === neutral ? 1 : 0)),
    },
    outputs: STANDARD_OUTPUTS,
    topology: { kind: 'builtin', name: 'mediapipe-canonical' },
    provenance: {
      method: 'random-init',
      createdBy: 'tbgan-serve model init',
      createdAt: new Date().toISOString(),
      seed,
    },
    licence: { name: 'Apache-2.0', redistributable: true },
    weights: { file: 'weights.safetensors', dtype: options.dtype ?? 'float32', equalizedLearningRateFolded: true },
  };
  return writeModelPackage(dir, {
    manifest,
    variable: (name, shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (name === 'lod') {
        values[0] = options.lod ?? 0;
        return values;
      }
      const scale = scales.get(name);
      const std = scale ?? options.biasStd ?? 0;
      if (std === 0) return values;
      fillNormal(next, values);
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * std;
      return values;
    },
  });
}
