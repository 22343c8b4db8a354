/**
 * `npm run model -- <command>`: create, inspect and build model packages.
 *
 *   init --preset P --seed S --out DIR [--name N] [--dtype float32|float16]
 *   inspect DIR | --preset P [--json]
 *   build DIR [--fp16] [--upsample resize-conv|conv-transpose|phase] [--cache-dir D]
 */
import { parseArgs } from 'node:util';
import { ModelPackageError } from '../errors.js';
import {
  type Architecture,
  architectureStats,
  ensureGeneratorGraph,
  GENERATOR_OUTPUTS,
  GRAPH_DEFAULTS,
  initModelPackage,
  isPresetName,
  loadModelPackage,
  type Manifest,
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
  build DIR [--fp16] [--upsample ${UPSAMPLE_MODES.join('|')}] [--cache-dir D]
      build (or find in the cache) the ONNX graph of a package
presets: ${PRESET_NAMES.join(', ')}`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

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
      'cache-dir': { type: 'string' },
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
      const upsample = (values.upsample ?? GRAPH_DEFAULTS.upsample) as UpsampleMode;
      if (!UPSAMPLE_MODES.includes(upsample))
        throw new UsageError(`--upsample must be one of ${UPSAMPLE_MODES.join(', ')}`);
      const options = { precision: values.fp16 ? 'fp16' : 'fp32', upsample } as const;
      const graph = await ensureGeneratorGraph(await loadModelPackage(dir), options, values['cache-dir']);
      out(`${graph.built ? `built in ${Math.round(graph.buildMs)} ms` : 'cached'}: ${graph.graphPath}`);
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
  }
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
      console.error(e instanceof ModelPackageError ? `error: ${e.message}` : e);
      process.exit(1);
    },
  );
}
