/**
 * `model.json`: the versioned manifest of a model package. It describes everything a server needs
 * besides the weights: architecture, how an expression becomes a label vector, what the outputs mean,
 * the mesh topology, provenance, licence, and the sha256 of every other file in the package.
 * The schema is the contract with the Python tools (training, conversion), which write it too.
 */
import { z } from 'zod';
import { ModelPackageError } from '../errors.js';
import { type Architecture, architectureProblems } from './architecture.js';

/** The manifest format this code reads and writes. A package with another version is refused. */
export const MANIFEST_FORMAT = 'tbgan-model-package';
export const MANIFEST_FORMAT_VERSION = 1;

const positiveInt = z.number().int().positive();

const ArchitectureSchema = z.strictObject({
  resolution: positiveInt,
  latentSize: positiveInt,
  labelSize: positiveInt,
  numChannels: positiveInt,
  fmapBase: positiveInt,
  fmapDecay: z.number().nonnegative(),
  fmapMax: positiveInt,
  widthMultiplier: positiveInt,
  lodSep: z.number().int(),
  pixelNormEpsilon: z.number().positive(),
  leakyReluAlpha: z.number().nonnegative(),
}) satisfies z.ZodType<Architecture>;

const LabelsSchema = z.strictObject({
  /** Class names in label-vector order. */
  names: z.array(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case identifier')).min(1),
  /** The class that intensity blends away from, or null when the model has none. */
  neutral: z.string().nullable(),
  /** label = scale (element-wise) * p, where p is the blend of classes (see docs/api.md). */
  scale: z.array(z.number().finite()),
  /** The label vector used when a request names no expression. */
  default: z.array(z.number().finite()),
});

const ChannelRange = z.tuple([z.number().int().min(0), z.number().int().max(9)]);

const OutputsSchema = z.strictObject({
  /** The raw generator output: [N, 9, R, R] float32, nominally in `range`. */
  uv: z.strictObject({ layout: z.literal('NCHW'), range: z.tuple([z.number(), z.number()]) }),
  texture: z.strictObject({ channels: ChannelRange, decode: z.string() }),
  shape: z.strictObject({ channels: ChannelRange, units: z.string() }),
  normals: z.strictObject({ channels: ChannelRange, decode: z.string() }),
});

const TopologySchema = z.discriminatedUnion('kind', [
  /** A topology shipped with the service, e.g. the MediaPipe canonical face. */
  z.strictObject({ kind: z.literal('builtin'), name: z.string() }),
  /** A topology file inside the package (JSON: uvs + triangles), listed in `files`. */
  z.strictObject({ kind: z.literal('file'), path: z.string() }),
]);

const FileEntry = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lower-case hex digits'),
  bytes: z.number().int().nonnegative(),
});

const ManifestSchema = z
  .strictObject({
    format: z.literal(MANIFEST_FORMAT),
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore'),
    version: z.string().min(1),
    description: z.string(),
    /** false: random weights that generate noise, for plumbing and benchmarks only. */
    trained: z.boolean(),
    /** The preset the architecture came from, if any (informational). */
    preset: z.string().optional(),
    architecture: ArchitectureSchema,
    labels: LabelsSchema,
    outputs: OutputsSchema,
    topology: TopologySchema.nullable(),
    provenance: z.looseObject({
      method: z.enum(['random-init', 'trained', 'converted']),
      createdBy: z.string(),
      createdAt: z.iso.datetime(),
    }),
    licence: z.strictObject({
      name: z.string(),
      redistributable: z.boolean(),
      notice: z.string().optional(),
    }),
    weights: z.strictObject({
      file: z.string(),
      dtype: z.enum(['float32', 'float16']),
      /** Stored weights are the effective ones: the equalized-learning-rate scale is folded in. */
      equalizedLearningRateFolded: z.literal(true),
    }),
    /** sha256 and size of every file of the package except model.json itself. */
    files: z.record(z.string(), FileEntry),
  })
  .superRefine((m, ctx) => {
    for (const problem of architectureProblems(m.architecture)) {
      ctx.addIssue({ code: 'custom', path: ['architecture'], message: problem });
    }
    const n = m.architecture.labelSize;
    for (const key of ['names', 'scale', 'default'] as const) {
      if (m.labels[key].length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', key],
          message: `needs ${n} entries (labelSize), has ${m.labels[key].length}`,
        });
      }
    }
    if (new Set(m.labels.names).size !== m.labels.names.length) {
      ctx.addIssue({ code: 'custom', path: ['labels', 'names'], message: 'names must be unique' });
    }
    if (m.labels.neutral !== null && !m.labels.names.includes(m.labels.neutral)) {
      ctx.addIssue({
        code: 'custom',
        path: ['labels', 'neutral'],
        message: `'${m.labels.neutral}' is not one of the names`,
      });
    }
    if (!Object.hasOwn(m.files, m.weights.file)) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: `the weights file '${m.weights.file}' is not listed` });
    }
    if (m.topology?.kind === 'file' && !Object.hasOwn(m.files, m.topology.path)) {
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message: `the topology file '${m.topology.path}' is not listed`,
      });
    }
    for (const file of Object.keys(m.files)) {
      if (file === 'model.json' || file.includes('/') || file.includes('\\') || file.startsWith('.')) {
        ctx.addIssue({
          code: 'custom',
          path: ['files', file],
          message: 'must be a plain file name inside the package, not model.json',
        });
      }
    }
  });

/** A validated manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** Validates a parsed `model.json`; throws one ModelPackageError listing every problem. */
export function parseManifest(json: unknown, source = 'model.json'): Manifest {
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  const format = (json as { format?: unknown } | null)?.format;
  if (format === MANIFEST_FORMAT && version !== undefined && version !== MANIFEST_FORMAT_VERSION) {
    throw new ModelPackageError(
      `${source}: manifest formatVersion ${JSON.stringify(version)} is not supported: this server reads version ${MANIFEST_FORMAT_VERSION}`,
    );
  }
  const result = ManifestSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ModelPackageError(`${source}: invalid manifest:\n  ${problems.join('\n  ')}`);
}

/** The manifest's JSON Schema, for tools in other languages and for `docs/`. */
export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(ManifestSchema, { unrepresentable: 'any' });
}

/** The defaults for the output description: the official layout (tbgan.md §1.7). */
export const STANDARD_OUTPUTS: Manifest['outputs'] = {
  uv: { layout: 'NCHW', range: [-1, 1] },
  texture: { channels: [0, 3], decode: 'rgb = clip(x / 2 + 0.5, 0, 1)' },
  shape: { channels: [3, 6], units: 'normalised XYZ of the training data (no de-normalisation upstream)' },
  normals: { channels: [6, 9], decode: 'n / |n|, encoded as (n + 1) / 2' },
};

/** Our own models' expression classes (the official model's class order is unknown: tbgan.md §1.3). */
export const EXPRESSION_NAMES = ['neutral', 'happiness', 'sadness', 'anger', 'fear', 'disgust', 'surprise'] as const;
