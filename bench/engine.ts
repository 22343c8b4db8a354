/**
 * `npm run bench:engine`: engine-only speed and memory of each preset on this machine.
 *
 * For every (preset, precision, up-conv form, branch layout, batch size) it starts a fresh child
 * process (so peak RSS is that configuration's alone), loads a random-weight package (created under bench/.models/ on first use),
 * builds or reuses its graph, warms up, then times batches of 1, 4 and 16 faces and prints ms per
 * face, achieved GFLOP/s (nominal FLOPs, up-conv counted as nearest x2 + 3x3 conv) and peak RSS.
 *
 *   npm run bench:engine                       # tbgan-256 (all forms) and tbgan-512 (default form)
 *   npm run bench:engine -- --preset tbgan-256 --upsample phase,resize-conv --batches 1,4,16 --json
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOnnxEngine } from '../src/engine/index.js';
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

const MODELS_DIR = fileURLToPath(new URL('./.models/', import.meta.url));

interface Config {
  preset: keyof typeof PRESETS;
  precision: Precision;
  upsample: UpsampleMode;
  branches: BranchMode;
  cpuMemArena: boolean;
  batches: number[];
  minSeconds: number;
}

interface Result extends Config {
  gflopPerFace: number;
  loadMs: number;
  buildMs: number;
  rows: { batch: number; msPerFace: number; gflops: number; runs: number }[];
  peakRssMB: number;
  weightsMB: number;
}

async function packageDir(preset: keyof typeof PRESETS): Promise<string> {
  const dir = join(MODELS_DIR, preset);
  if (!existsSync(join(dir, 'model.json'))) {
    await initModelPackage(dir, { architecture: PRESETS[preset], preset, seed: 1, name: `${preset}-bench` });
  }
  return dir;
}

/** Measures one configuration in this process. */
async function measure(config: Config): Promise<Result> {
  const dir = await packageDir(config.preset);
  let start = performance.now();
  const pkg = await loadModelPackage(dir);
  const graph = await ensureGeneratorGraph(pkg, {
    precision: config.precision,
    upsample: config.upsample,
    branches: config.branches,
  });
  const engine = await createOnnxEngine({ modelPath: graph.graphPath, cpuMemArena: config.cpuMemArena });
  const loadMs = performance.now() - start;
  const arch = PRESETS[config.preset];
  const stats = architectureStats(arch);
  const rows: Result['rows'] = [];
  for (const batch of config.batches) {
    const feeds = {
      z: { data: latentsFromSeed(batch, batch, arch.latentSize), dims: [batch, arch.latentSize] },
      labels: { data: new Float32Array(batch * arch.labelSize), dims: [batch, arch.labelSize] },
    };
    await engine.run(feeds, ['uv']); // warm-up
    const times: number[] = [];
    const until = performance.now() + config.minSeconds * 1000;
    while (times.length < 3 || performance.now() < until) {
      start = performance.now();
      await engine.run(feeds, ['uv']);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const msPerFace = (times[Math.floor(times.length / 2)] as number) / batch;
    rows.push({ batch, msPerFace, gflops: stats.flopsPerFace / 1e9 / (msPerFace / 1000), runs: times.length });
  }
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
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, onnxruntime-node CPU EP`,
    '| preset | precision | up-conv | branches | arena | batch | ms/face | GFLOP/s | load s | peak RSS MB | fp32 weights MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const row of r.rows) {
      lines.push(
        `| ${r.preset} | ${r.precision} | ${r.upsample} | ${r.branches} | ${r.cpuMemArena ? 'on' : 'off'} | ${row.batch} | ${row.msPerFace.toFixed(1)} | ${row.gflops.toFixed(0)} | ${(r.loadMs / 1000).toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${r.weightsMB.toFixed(0)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      precision: { type: 'string', default: 'fp32' },
      upsample: { type: 'string' },
      branches: { type: 'string' },
      'no-arena': { type: 'boolean' },
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
        // one process per batch size, so each row's peak RSS is that batch's own
        for (const batch of (values.batches as string).split(',').map(Number)) {
          configs.push({
            preset,
            precision: precision as Precision,
            upsample: upsample as UpsampleMode,
            branches: branches as BranchMode,
            cpuMemArena: !values['no-arena'],
            batches: [batch],
            minSeconds: Number(values['min-seconds']),
          });
        }
      }
    }
  }
  const results: Result[] = [];
  for (const config of configs) {
    await packageDir(config.preset); // create packages outside the measured processes
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(config)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (child.status !== 0) throw new Error(`benchmark of ${JSON.stringify(config)} failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout) as Result;
    results.push(result);
    console.error(format([result]).split('\n').slice(3).join('\n'));
  }
  console.log(values.json ? JSON.stringify(results, null, 2) : format(results));
}

await main();
