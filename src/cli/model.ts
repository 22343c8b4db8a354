/**
 * `npm run model -- <command>`: create, inspect, build and run model packages.
 *
 *   init --preset P --seed S --out DIR [--name N] [--dtype float32|float16]
 *   inspect DIR | --preset P [--json]
 *   build DIR [--fp16] [--upsample resize-conv|conv-transpose|phase] [--branches grouped|split] [--cache-dir D]
 *   generate DIR (--latents z.npy | --seed S [--count N]) [--labels labels.npy] --out uv.npy [--fp16] [--upsample M]
 *            [--branches B] [--ep cpu|cuda|tensorrt|webgpu]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeNpy, encodeNpy } from '../codecs/index.js';
import { createOnnxEngine, EXECUTION_PROVIDERS, type ExecutionProvider } from '../engine/index.js';
import { ModelPackageError } from '../errors.js';
import {
  type Architecture,
  architectureStats,
  BRANCH_MODES,
  type BranchMode,
  ensureGeneratorGraph,
  GENERATOR_OUTPUTS,
  GRAPH_DEFAULTS,
  type GraphOptions,
  initModelPackage,
  isPresetName,
  isSeed,
  labelVector,
  latentsFromSeed,
  loadModelPackage,
  type Manifest,
  type ModelPackage,
  PRESET_NAMES,
  PRESETS,
  UPSAMPLE_MODES,
  type UpsampleMode,
} from '../model/index.js';

const USAGE = `usage: npm run model -- <command>
  init --preset P --seed S --out DIR [--name N] [--dtype float32|float16]
      write a randomly initialised (untrained) model package
  inspect DIR | --preset P [--json]
      parameters, GFLOP per face, resolution, outputs, trained
  build DIR [--fp16] [--upsample ${UPSAMPLE_MODES.join('|')}] [--branches ${BRANCH_MODES.join('|')}] [--cache-dir D]
      build (or find in the cache) the ONNX graph of a package
  generate DIR (--latents z.npy | --seed S [--count N]) [--labels labels.npy] --out uv.npy
           [--fp16] [--upsample M] [--branches B] [--batch-size B] [--cache-dir D] [--ep ${EXECUTION_PROVIDERS.join('|')}]
      run the graph with ONNX Runtime (default: CPU); write the raw output uv [N, 9, R, R] float32 as .npy.
      z.npy [N, latentSize] and labels.npy [N, labelSize] are float32; no --labels: the default label
presets: ${PRESET_NAMES.join(', ')}`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** An input file that cannot be used (wrong dtype or shape): printed without the usage, exit code 1. */
class InputError extends Error {}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runModelCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      preset: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      dtype: { type: 'string' },
      json: { type: 'boolean' },
      fp16: { type: 'boolean' },
      upsample: { type: 'string' },
      branches: { type: 'string' },
      'cache-dir': { type: 'string' },
      latents: { type: 'string' },
      labels: { type: 'string' },
      count: { type: 'string' },
      'batch-size': { type: 'string' },
      ep: { type: 'string' },
    },
  });
  switch (command) {
    case 'init': {
      const preset = requirePreset(values.preset);
      const seed = Number(values.seed ?? Number.NaN);
      if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
        throw new UsageError('--seed must be an integer in [0, 2^32)');
      if (values.out === undefined) throw new UsageError('--out DIR is required');
      const dtype = values.dtype ?? 'float32';
      if (dtype !== 'float32' && dtype !== 'float16') throw new UsageError('--dtype must be float32 or float16');
      const manifest = await initModelPackage(values.out, {
        architecture: PRESETS[preset],
        preset,
        seed,
        dtype,
        name: values.name ?? preset,
      });
      out(`wrote ${values.out}: ${manifest.name} (${preset}, seed ${seed}, ${dtype}, untrained)`);
      return 0;
    }
    case 'inspect': {
      const description =
        positionals[0] !== undefined
          ? describePackage(await loadModelPackage(positionals[0]))
          : describeArchitecture(PRESETS[requirePreset(values.preset)], values.preset as string);
      out(values.json ? JSON.stringify(description, null, 2) : formatDescription(description));
      return 0;
    }
    case 'build': {
      const dir = positionals[0];
      if (dir === undefined) throw new UsageError('build needs a package directory');
      const options = graphOptions(values.fp16, values.upsample, values.branches);
      const graph = await ensureGeneratorGraph(await loadModelPackage(dir), options, values['cache-dir']);
      out(`${graph.built ? `built in ${Math.round(graph.buildMs)} ms` : 'cached'}: ${graph.graphPath}`);
      return 0;
    }
    case 'generate': {
      const dir = positionals[0];
      if (dir === undefined) throw new UsageError('generate needs a package directory');
      if (values.out === undefined) throw new UsageError('--out FILE.npy is required');
      const options = graphOptions(values.fp16, values.upsample, values.branches);
      const batchSize = positiveInt(values['batch-size'] ?? '8', '--batch-size');
      const ep = (values.ep ?? 'cpu') as ExecutionProvider;
      if (!EXECUTION_PROVIDERS.includes(ep))
        throw new UsageError(`--ep must be one of ${EXECUTION_PROVIDERS.join(', ')}`);
      const pkg = await loadModelPackage(dir);
      const { z, labels, count } = await generatorInputs(pkg, values);
      const graph = await ensureGeneratorGraph(pkg, options, values['cache-dir']);
      const uv = await runGenerator(graph.graphPath, pkg.manifest.architecture, z, labels, count, batchSize, ep);
      const R = pkg.manifest.architecture.resolution;
      await writeFile(values.out, encodeNpy(uv, [count, 9, R, R], '<f4'));
      out(
        `wrote ${values.out}: uv [${count}, 9, ${R}, ${R}] float32 (${options.precision}, ${options.upsample}, ${options.branches}, ${ep})`,
      );
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
  }
}

function graphOptions(
  fp16: boolean | undefined,
  upsampleFlag: string | undefined,
  branchesFlag: string | undefined,
): GraphOptions {
  const upsample = (upsampleFlag ?? GRAPH_DEFAULTS.upsample) as UpsampleMode;
  if (!UPSAMPLE_MODES.includes(upsample))
    throw new UsageError(`--upsample must be one of ${UPSAMPLE_MODES.join(', ')}`);
  const branches = (branchesFlag ?? GRAPH_DEFAULTS.branches) as BranchMode;
  if (!BRANCH_MODES.includes(branches)) throw new UsageError(`--branches must be one of ${BRANCH_MODES.join(', ')}`);
  return { precision: fp16 ? 'fp16' : 'fp32', upsample, branches };
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}

/** Latents and labels of `generate`, [count, L] and [count, labelSize] row-major float32. */
async function generatorInputs(
  pkg: ModelPackage,
  values: { latents?: string; labels?: string; seed?: string; count?: string },
): Promise<{ z: Float32Array; labels: Float32Array; count: number }> {
  const { latentSize, labelSize } = pkg.manifest.architecture;
  let z: Float32Array;
  if (values.latents !== undefined) {
    if (values.seed !== undefined || values.count !== undefined)
      throw new UsageError('give --latents or --seed [--count], not both');
    z = await readMatrix(values.latents, '--latents', latentSize);
  } else if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!isSeed(seed)) throw new UsageError('--seed must be an integer in [0, 2^32)');
    z = latentsFromSeed(seed, positiveInt(values.count ?? '1', '--count'), latentSize);
  } else {
    throw new UsageError('generate needs --latents FILE.npy or --seed S [--count N]');
  }
  const count = z.length / latentSize;
  let labels: Float32Array;
  if (values.labels !== undefined) {
    labels = await readMatrix(values.labels, '--labels', labelSize);
    if (labels.length / labelSize !== count)
      throw new InputError(`--labels has ${labels.length / labelSize} rows, the latents ${count}`);
  } else {
    const label = labelVector(pkg.manifest.labels, undefined);
    labels = new Float32Array(count * labelSize);
    for (let i = 0; i < count; i++) labels.set(label, i * labelSize);
  }
  return { z, labels, count };
}

/** A float32 .npy of shape [N, columns], N >= 1. */
async function readMatrix(path: string, flag: string, columns: number): Promise<Float32Array> {
  let array: ReturnType<typeof decodeNpy>;
  try {
    array = decodeNpy(await readFile(path));
  } catch (e) {
    throw new InputError(
      `${flag} ${path}: ${(e as Error).message} (expected float32: np.save(path, a.astype(np.float32)))`,
    );
  }
  const { dtype, shape } = array;
  if (dtype !== '<f4' || shape.length !== 2 || shape[1] !== columns || shape[0] === 0) {
    throw new InputError(
      `${flag} ${path}: expected float32 [N, ${columns}], found ${dtype} [${shape.join(', ')}] (np.save(path, a.astype(np.float32)))`,
    );
  }
  return array.data as Float32Array;
}

/** Runs the graph in batches of at most `batchSize`; returns uv [count, 9, R, R]. */
async function runGenerator(
  graphPath: string,
  arch: Architecture,
  z: Float32Array,
  labels: Float32Array,
  count: number,
  batchSize: number,
  executionProvider: ExecutionProvider,
): Promise<Float32Array> {
  const { latentSize: L, labelSize: K, resolution: R } = arch;
  const faceFloats = 9 * R * R;
  const uv = new Float32Array(count * faceFloats);
  const engine = await createOnnxEngine({ modelPath: graphPath, executionProvider });
  try {
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const result = await engine.run(
        {
          z: { data: z.subarray(start * L, (start + n) * L), dims: [n, L] },
          labels: { data: labels.subarray(start * K, (start + n) * K), dims: [n, K] },
        },
        ['uv'],
      );
      uv.set(result.uv?.data as Float32Array, start * faceFloats);
    }
  } finally {
    await engine.close();
  }
  return uv;
}

function requirePreset(name: string | undefined): keyof typeof PRESETS {
  if (name === undefined || !isPresetName(name))
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}`);
  return name;
}

interface Description {
  name: string;
  trained: boolean | null;
  resolution: number;
  latentSize: number;
  labelSize: number;
  parameters: number;
  checkpointParameters: number;
  gflopPerFace: number;
  weightBytesFp32: number;
  outputs: string[];
  [key: string]: unknown;
}

function describeArchitecture(arch: Architecture, name: string): Description {
  const stats = architectureStats(arch);
  return {
    name,
    trained: null,
    resolution: arch.resolution,
    latentSize: arch.latentSize,
    labelSize: arch.labelSize,
    parameters: stats.inferenceParameters,
    checkpointParameters: stats.checkpointParameters,
    gflopPerFace: Math.round(stats.flopsPerFace / 1e7) / 100,
    weightBytesFp32: stats.checkpointParameters * 4,
    outputs: GENERATOR_OUTPUTS.map((o) => `${o} ${outputShape(o, arch.resolution)}`),
    architecture: arch,
  };
}

function describePackage(pkg: { manifest: Manifest; lod: number; weightsSha256: string; dir: string }): Description {
  const m = pkg.manifest;
  return {
    ...describeArchitecture(m.architecture, m.name),
    trained: m.trained,
    version: m.version,
    preset: m.preset ?? null,
    lod: pkg.lod,
    weightsDtype: m.weights.dtype,
    weightsSha256: pkg.weightsSha256,
    expressions: m.labels.names,
    licence: m.licence.name,
    description: m.description,
  };
}

function outputShape(output: (typeof GENERATOR_OUTPUTS)[number], r: number): string {
  return output === 'uv'
    ? `[N, 9, ${r}, ${r}] float32`
    : `[N, ${r}, ${r}, 3] ${output === 'shape' ? 'float32' : 'uint8'}`;
}

function formatDescription(d: Description): string {
  const lines = [
    `name          ${d.name}`,
    `trained       ${d.trained === null ? '(a preset: no weights)' : d.trained ? 'yes' : 'NO: random weights, generates noise'}`,
    `resolution    ${d.resolution} px`,
    `latent        ${d.latentSize} + ${d.labelSize} labels`,
    `parameters    ${d.parameters.toLocaleString('en-US')} (inference), ${d.checkpointParameters.toLocaleString('en-US')} (checkpoint)`,
    `GFLOP/face    ${d.gflopPerFace}`,
    `weights fp32  ${(d.weightBytesFp32 / 2 ** 20).toFixed(1)} MiB`,
    `outputs       ${d.outputs.join('\n              ')}`,
  ];
  if (d.lod !== undefined) lines.push(`lod           ${d.lod}`);
  if (d.expressions !== undefined) lines.push(`expressions   ${(d.expressions as string[]).join(', ')}`);
  return lines.join('\n');
}

// Run when executed directly (`node --import tsx src/cli/model.ts ...` or `node dist/cli/model.js ...`).
if (import.meta.url === `file://${process.argv[1]}`) {
  runModelCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (
        e instanceof UsageError ||
        (e instanceof Error && e.name === 'TypeError' && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
      ) {
        console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
        process.exit(2);
      }
      console.error(e instanceof ModelPackageError || e instanceof InputError ? `error: ${e.message}` : e);
      process.exit(1);
    },
  );
}
