/**
 * `npm run bench:engine`: engine-only speed and memory of each preset on this machine.
 *
 * For every (preset, precision, up-conv form, branch layout, batch size) it starts a fresh child
 * process (so peak RSS is that configuration's alone), loads a random-weight package (created under
 * --models-dir, default bench/.models/, on first use; its graphs are built before the children start),
 * creates the session on the execution provider `--ep`, warms up (the first run's time is reported:
 * on CUDA it includes cuDNN's algorithm search), then times each `--fetch` set and prints ms per
 * face, achieved GFLOP/s (nominal FLOPs, up-conv counted as nearest x2 + 3x3 conv), the GPU-busy
 * fraction while timing (nvidia-smi; none on CPU) and peak RSS.
 *
 *   npm run bench:engine                       # tbgan-256 (all forms) and tbgan-512 (default form)
 *   npm run bench:engine -- --preset tbgan-256 --upsample phase,resize-conv --batches 1,4,16 --json
 *   npm run bench:engine -- --preset tbgan-512 --ep cuda --precision fp32,fp16 --batches 1,8,32,64 \
 *       --fetch uv --fetch texture,shape --process-per config
 * Each --fetch is one set of outputs fetched per run; `--process-per config` loads each configuration
 * once for all its batch sizes (peak RSS is then the largest batch's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOnnxEngine, EXECUTION_PROVIDERS, type ExecutionProvider } from '../src/engine/index.js';
import {
  architectureStats,
  type BranchMode,
  ensureGeneratorGraph,
  GRAPH_DEFAULTS,
  initModelPackage,
  isPresetName,
  latentsFromSeed,
  loadModelPackage,
  PRESETS,
  type Precision,
  type UpsampleMode,
} from '../src/model/index.js';
import { startGpuUtilSampler } from './gpu/gpu-util.js';

interface Config {
  preset: keyof typeof PRESETS;
  modelsDir: string;
  ep: ExecutionProvider;
  precision: Precision;
  upsample: UpsampleMode;
  branches: BranchMode;
  cpuMemArena: boolean;
  /** ONNX Runtime's log threshold (2: warnings, e.g. nodes placed on the CPU provider). */
  ortLogLevel: 0 | 1 | 2 | 3 | 4;
  batches: number[];
  /** Output sets: each is timed separately on the same session (what crosses back to the host differs). */
  fetches: string[][];
  minSeconds: number;
}

interface Row {
  batch: number;
  fetch: string[];
  msPerFace: number;
  facesPerSecond: number;
  gflops: number;
  runs: number;
  /** The first run of this batch size (on CUDA: cuDNN's algorithm search happens here). */
  warmupMs: number;
  /** Share of the timed runs' wall time the GPU was busy (nvidia-smi); null without a GPU. */
  gpuBusyFraction: number | null;
}

interface Result extends Config {
  gflopPerFace: number;
  /** Package load (sha256 of the weights included), cached graph lookup and session creation. */
  loadMs: number;
  /** Building the graph, when this run built it (the parent builds before starting children). */
  buildMs: number;
  rows: Row[];
  peakRssMB: number;
  weightsMB: number;
  /** Set when the configuration's process failed (its rows are then empty). */
  error?: string;
}

async function packageDir(modelsDir: string, preset: keyof typeof PRESETS): Promise<string> {
  const dir = join(modelsDir, preset);
  if (!existsSync(join(dir, 'model.json'))) {
    await initModelPackage(dir, { architecture: PRESETS[preset], preset, seed: 1, name: `${preset}-bench` });
  }
  return dir;
}

const graphOptions = (c: Config) => ({ precision: c.precision, upsample: c.upsample, branches: c.branches });

/** Measures one configuration in this process. */
async function measure(config: Config): Promise<Result> {
  const dir = await packageDir(config.modelsDir, config.preset);
  let start = performance.now();
  const pkg = await loadModelPackage(dir);
  const graph = await ensureGeneratorGraph(pkg, graphOptions(config));
  const engine = await createOnnxEngine({
    modelPath: graph.graphPath,
    executionProvider: config.ep,
    cpuMemArena: config.cpuMemArena,
    logSeverityLevel: config.ortLogLevel,
  });
  const loadMs = performance.now() - start;
  const arch = PRESETS[config.preset];
  const stats = architectureStats(arch);
  const gpu = startGpuUtilSampler();
  const rows: Row[] = [];
  for (const batch of config.batches) {
    const feeds = {
      z: { data: latentsFromSeed(batch, batch, arch.latentSize), dims: [batch, arch.latentSize] },
      labels: { data: new Float32Array(batch * arch.labelSize), dims: [batch, arch.labelSize] },
    };
    for (const [i, fetch] of config.fetches.entries()) {
      start = performance.now();
      await engine.run(feeds, fetch); // warm-up
      const warmupMs = performance.now() - start;
      if (i === 0) await engine.run(feeds, fetch); // a second one after the first shape's algorithm search
      const times: number[] = [];
      const windowStart = Date.now();
      const until = performance.now() + config.minSeconds * 1000;
      while (times.length < 3 || performance.now() < until) {
        start = performance.now();
        await engine.run(feeds, fetch);
        times.push(performance.now() - start);
      }
      const busy = gpu.window(windowStart, Date.now());
      times.sort((a, b) => a - b);
      const msPerFace = (times[Math.floor(times.length / 2)] as number) / batch;
      rows.push({
        batch,
        fetch,
        msPerFace,
        facesPerSecond: 1000 / msPerFace,
        gflops: stats.flopsPerFace / 1e9 / (msPerFace / 1000),
        runs: times.length,
        warmupMs,
        gpuBusyFraction: busy.busyFraction,
      });
    }
  }
  gpu.stop();
  await engine.close();
  return {
    ...config,
    gflopPerFace: stats.flopsPerFace / 1e9,
    loadMs,
    buildMs: graph.buildMs,
    rows,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    weightsMB: (stats.checkpointParameters * 4) / 1e6,
  };
}

function format(results: Result[]): string {
  const lines = [
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, onnxruntime-node`,
    '| preset | EP | precision | up-conv | branches | arena | batch | fetch | ms/face | GFLOP/s | GPU busy | first run ms | load s | peak RSS MB | fp32 weights MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const row of r.rows) {
      const busy = row.gpuBusyFraction === null ? '-' : `${(100 * row.gpuBusyFraction).toFixed(0)}%`;
      lines.push(
        `| ${r.preset} | ${r.ep} | ${r.precision} | ${r.upsample} | ${r.branches} | ${r.cpuMemArena ? 'on' : 'off'} | ${row.batch} | ${row.fetch.join('+')} | ${row.msPerFace.toFixed(2)} | ${row.gflops.toFixed(0)} | ${busy} | ${row.warmupMs.toFixed(0)} | ${(r.loadMs / 1000).toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${r.weightsMB.toFixed(0)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      'models-dir': { type: 'string', default: 'bench/.models' },
      ep: { type: 'string', default: 'cpu' },
      fetch: { type: 'string', multiple: true },
      precision: { type: 'string', default: 'fp32' },
      upsample: { type: 'string' },
      branches: { type: 'string' },
      'no-arena': { type: 'boolean' },
      'ort-log-level': { type: 'string', default: '3' },
      'process-per': { type: 'string', default: 'batch' },
      batches: { type: 'string', default: '1,4,16' },
      'min-seconds': { type: 'string', default: '3' },
      json: { type: 'boolean' },
      child: { type: 'string' },
    },
  });
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(await measure(JSON.parse(values.child) as Config)));
    return;
  }
  const presets = values.preset !== undefined ? values.preset.split(',') : ['tbgan-256', 'tbgan-512'];
  const ep = values.ep as ExecutionProvider;
  if (!EXECUTION_PROVIDERS.includes(ep)) throw new Error(`--ep must be one of ${EXECUTION_PROVIDERS.join(', ')}`);
  const fetches = (values.fetch ?? ['uv']).map((f) => f.split(','));
  const modelsDir = resolve(values['models-dir'] as string);
  const configs: Config[] = [];
  for (const preset of presets) {
    if (!isPresetName(preset)) throw new Error(`unknown preset ${preset}`);
    const modes =
      values.upsample?.split(',') ??
      (preset === 'tbgan-512' ? [GRAPH_DEFAULTS.upsample] : ['phase', 'conv-transpose', 'resize-conv']);
    for (const precision of (values.precision as string).split(',')) {
      for (const [upsample, branches] of modes.flatMap((u) =>
        (values.branches?.split(',') ?? [GRAPH_DEFAULTS.branches]).map((b) => [u, b]),
      )) {
        // By default one process per batch size, so each row's peak RSS is that batch's own;
        // `--process-per config` measures all batch sizes in one process (one session load: GPU runs).
        const batches = (values.batches as string).split(',').map(Number);
        for (const group of values['process-per'] === 'config' ? [batches] : batches.map((b) => [b])) {
          configs.push({
            preset,
            modelsDir,
            ep,
            precision: precision as Precision,
            upsample: upsample as UpsampleMode,
            branches: branches as BranchMode,
            cpuMemArena: !values['no-arena'],
            ortLogLevel: Number(values['ort-log-level']) as Config['ortLogLevel'],
            batches: group,
            fetches,
            minSeconds: Number(values['min-seconds']),
          });
        }
      }
    }
  }
  // Create packages and build graphs outside the measured processes.
  const buildMs = new Map<string, number>();
  for (const config of configs) {
    const key = JSON.stringify([config.preset, graphOptions(config)]);
    if (buildMs.has(key)) continue;
    const pkg = await loadModelPackage(await packageDir(modelsDir, config.preset));
    buildMs.set(key, (await ensureGeneratorGraph(pkg, graphOptions(config))).buildMs);
  }
  const results: Result[] = [];
  for (const config of configs) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(config)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (child.status !== 0) {
      // one configuration out of memory (say, batch 64 on a smaller GPU) must not lose the others
      const error = `exit ${child.status ?? child.signal}`;
      console.error(`benchmark of ${JSON.stringify(config)} failed (${error})`);
      results.push({ ...config, error, gflopPerFace: 0, loadMs: 0, buildMs: 0, rows: [], peakRssMB: 0, weightsMB: 0 });
      continue;
    }
    const result = JSON.parse(child.stdout) as Result;
    result.buildMs ||= buildMs.get(JSON.stringify([config.preset, graphOptions(config)])) ?? 0;
    results.push(result);
    console.error(format([result]).split('\n').slice(3).join('\n'));
  }
  console.log(values.json ? JSON.stringify(results, null, 2) : format(results));
}

await main();
