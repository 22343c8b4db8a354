/**
 * `npm run bench:serve`: what serving costs on top of the work itself, in one run.
 *
 * 1. Back to back, in process, no HTTP (skip with --skip-back-to-back): engine runs of one face and of
 *    a full batch, each followed by encoding the faces' PNGs (texture and normals) on the encoder
 *    pool: faces/s and ms per face.
 * 2. Served: the real server (`src/main`, the same model and settings) in a child process, and HTTP
 *    clients on loopback at each --concurrency sending `POST /v1/faces:generate` for --count faces
 *    with --outputs, as JSON (base64) or a zip (--accept zip): faces/s, p50 and p99 latency, and from
 *    the server's /metrics over the phase: event-loop lag, mean batch size, the share of the time the
 *    engine was running a batch and the server's CPU cores in use (event loop, engine feeding and
 *    encoder threads); the GPU-busy fraction (nvidia-smi) where there is a GPU; and the clients' own
 *    CPU use (near 1 core: the clients, not the server, may be the limit).
 * Each served row also has "added p50": per request, its latency minus the inference and encoding
 * times the server reported for it (Server-Timing), so the engine's run-to-run noise on a shared
 * machine cancels out; the unpaired figure (p50 minus the back-to-back time) is printed beside it.
 * Targets (issue: serving core): served faces/s at saturation >= 90% of back to back; at
 * concurrency 1, at most 3 ms added to p50 beyond inference and encoding; event-loop lag under 50 ms.
 *
 *   npm run bench:serve [-- --seconds 10 --model models/tbgan-256 --json]
 *   npm run bench:serve -- --model bench/.models/tbgan-512 --ep cuda --precision fp16 \
 *       --outputs texture:png,shape:npy --accept zip --batch-max-size 32 --concurrency 1,8,32,64,128 --skip-back-to-back
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseServerTiming } from '../src/api/server-timing.js';
import { createEncodePool } from '../src/codecs/index.js';
import { DEFAULTS } from '../src/config.js';
import { createOnnxEngine, EXECUTION_PROVIDERS, type ExecutionProvider } from '../src/engine/index.js';
import { ensureGeneratorGraph, GRAPH_DEFAULTS, latentsFromSeed, loadModelPackage } from '../src/model/index.js';
import { startGpuUtilSampler } from './gpu/gpu-util.js';
import { createBenchClient } from './http-client.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// src/main beside this file's tree, with this file's extension: .ts under tsx, .js when compiled (dist-bench/)
const MAIN = fileURLToPath(new URL(`../src/main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    model: { type: 'string', default: DEFAULTS.model.dir },
    concurrency: { type: 'string', default: '1,8,32' },
    ep: { type: 'string', default: 'cpu' },
    precision: { type: 'string', default: GRAPH_DEFAULTS.precision },
    upsample: { type: 'string', default: GRAPH_DEFAULTS.upsample },
    branches: { type: 'string', default: GRAPH_DEFAULTS.branches },
    outputs: { type: 'string', default: 'texture:png,normals:png' },
    accept: { type: 'string', default: 'json' },
    count: { type: 'string', default: '1' },
    'batch-max-size': { type: 'string', default: String(DEFAULTS.batch.maxBatchSize) },
    'batch-concurrency': { type: 'string', default: String(DEFAULTS.batch.maxConcurrentBatches) },
    'skip-back-to-back': { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const SECONDS = Number(args.seconds);
const MODEL = resolve(args.model as string);
const BATCH = Number(args['batch-max-size']);
const EP = args.ep as ExecutionProvider;
if (!EXECUTION_PROVIDERS.includes(EP)) throw new Error(`--ep must be one of ${EXECUTION_PROVIDERS.join(', ')}`);
if (args.accept !== 'json' && args.accept !== 'zip') throw new Error('--accept must be json or zip');
const GRAPH = {
  precision: args.precision as typeof GRAPH_DEFAULTS.precision,
  upsample: args.upsample as typeof GRAPH_DEFAULTS.upsample,
  branches: args.branches as typeof GRAPH_DEFAULTS.branches,
};
/** `texture:png,shape:npy` -> the request's `outputs`. */
const OUTPUTS = (args.outputs as string).split(',').map((o) => {
  const [output, format] = o.split(':');
  return format === undefined ? { output } : { output, format };
});

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/** Back to back: engine then encode, repeated, for batches of `n` faces. */
async function backToBack(n: number): Promise<{ facesPerSecond: number; msPerRun: number }> {
  const pkg = await loadModelPackage(MODEL);
  const graph = await ensureGeneratorGraph(pkg, GRAPH);
  const engine = await createOnnxEngine({ modelPath: graph.graphPath, executionProvider: EP });
  const pool = createEncodePool({ threads: DEFAULTS.encode.threads });
  const { latentSize: L, labelSize: K, resolution: R } = pkg.manifest.architecture;
  const feeds = {
    z: { data: latentsFromSeed(1, n, L), dims: [n, L] },
    labels: { data: new Float32Array(n * K), dims: [n, K] },
  };
  const once = async () => {
    const out = await engine.run(feeds, ['texture', 'normals']);
    const per = R * R * 3;
    await Promise.all(
      ['texture', 'normals'].flatMap((name) =>
        Array.from({ length: n }, (_, i) =>
          pool.encode({
            kind: 'png',
            pixels: (out[name] as { data: Uint8Array }).data.slice(i * per, (i + 1) * per),
            width: R,
            height: R,
            channels: 3,
          }),
        ),
      ),
    );
  };
  await once();
  await once();
  const times: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  await pool.close();
  await engine.close();
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  return { facesPerSecond: (times.length * n * 1000) / total, msPerRun: quantile(times, 0.5) };
}

async function startServerProcess(): Promise<{ url: string; readyMs: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      TBGAN_HTTP_PORT: '0',
      TBGAN_GRPC_PORT: '0',
      TBGAN_HTTP_HOST: '127.0.0.1',
      TBGAN_MODEL_DIR: MODEL,
      TBGAN_EP: EP,
      TBGAN_PRECISION: GRAPH.precision,
      TBGAN_UPSAMPLE: GRAPH.upsample,
      TBGAN_BRANCHES: GRAPH.branches,
      TBGAN_BATCH_MAX_SIZE: String(BATCH),
      TBGAN_BATCH_CONCURRENCY: args['batch-concurrency'],
      TBGAN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'http listening') resolvePort(entry.port as number);
        } catch {} // not a log line
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  while ((await fetch(`${url}/v2/health/ready`).catch(() => undefined))?.status !== 200)
    await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    readyMs: performance.now() - started,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The server's metrics that a phase reads as differences (and the event-loop lag, reset by each read). */
async function serverMetrics(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (prefix: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(prefix))
      .reduce((total, l) => total + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return {
    eventLoopLagMaxMs: sum('nodejs_eventloop_lag_max_seconds ') * 1000,
    batches: sum('tbgan_batch_size_count'),
    batchedFaces: sum('tbgan_batch_size_sum'),
    inferenceSeconds: sum('tbgan_inference_duration_seconds_sum'),
    cpuSeconds: sum('process_cpu_seconds_total '),
  };
}

/** `concurrency` clients, each sending requests back to back for SECONDS. */
async function served(url: string, concurrency: number, gpu: ReturnType<typeof startGpuUtilSampler>) {
  const count = Number(args.count);
  const body = JSON.stringify({ seed: 1, count, outputs: OUTPUTS });
  const headers = {
    'content-type': 'application/json',
    accept: args.accept === 'zip' ? 'application/zip' : 'application/json',
  };
  const before = await serverMetrics(url); // also resets the server's event-loop histogram
  const latencies: number[] = [];
  /** Per request: latency minus the server's inference and encoding (its Server-Timing header). */
  const overheads: number[] = [];
  let responseBytes = 0;
  const startMs = Date.now();
  const start = performance.now();
  const clientCpu = process.cpuUsage();
  const end = start + SECONDS * 1000;
  const http = createBenchClient(concurrency);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await http.post(`${url}/v1/faces:generate`, body, headers);
        responseBytes += res.bytes;
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        const latency = performance.now() - t;
        const timing = parseServerTiming(String(res.headers['server-timing'] ?? ''));
        latencies.push(latency);
        overheads.push(latency - (timing.inference ?? Number.NaN) - (timing.encode ?? Number.NaN));
      }
    }),
  );
  const elapsedS = (performance.now() - start) / 1000;
  http.close();
  const client = process.cpuUsage(clientCpu);
  const busy = gpu.window(startMs, Date.now());
  const after = await serverMetrics(url);
  latencies.sort((a, b) => a - b);
  overheads.sort((a, b) => a - b);
  const batches = after.batches - before.batches;
  return {
    concurrency,
    facesPerSecond: (latencies.length * count) / elapsedS,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    /** p50 of each request's latency minus its own inference and encoding times (Server-Timing). */
    addedP50Ms: quantile(overheads, 0.5),
    responseMBPerSecond: responseBytes / 1e6 / elapsedS,
    eventLoopLagMaxMs: after.eventLoopLagMaxMs,
    meanBatchSize: batches > 0 ? (after.batchedFaces - before.batchedFaces) / batches : null,
    /** Share of the phase the engine was running a batch (from the server's inference histogram). */
    engineBusyFraction: (after.inferenceSeconds - before.inferenceSeconds) / elapsedS,
    serverCpuCores: (after.cpuSeconds - before.cpuSeconds) / elapsedS,
    clientCpuCores: (client.user + client.system) / 1e6 / elapsedS,
    gpuBusyFraction: busy.busyFraction,
    gpuSamples: busy.samples,
  };
}

const single = args['skip-back-to-back'] ? undefined : await backToBack(1);
const full = args['skip-back-to-back'] ? undefined : await backToBack(BATCH);
const gpu = startGpuUtilSampler();
const server = await startServerProcess();
const rows = [];
for (const c of (args.concurrency as string).split(',').map(Number)) rows.push(await served(server.url, c, gpu));
await server.stop();
gpu.stop();

const saturation = Math.max(...rows.map((r) => r.facesPerSecond));
const result = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  model: MODEL,
  ep: EP,
  graph: GRAPH,
  outputs: OUTPUTS,
  accept: args.accept,
  facesPerRequest: Number(args.count),
  batchMaxSize: BATCH,
  batchConcurrency: Number(args['batch-concurrency']),
  encodeThreads: Number(process.env.TBGAN_ENCODE_THREADS ?? DEFAULTS.encode.threads),
  seconds: SECONDS,
  gpuUtilSource: gpu.source,
  /** Server start to ready: model load, graph (cached or built), session, warm-up through the whole pipeline. */
  serverReadyMs: server.readyMs,
  backToBack:
    single && full
      ? {
          single: { facesPerSecond: single.facesPerSecond, msPerFace: single.msPerRun },
          batch: { size: BATCH, facesPerSecond: full.facesPerSecond },
        }
      : null,
  served: rows,
  saturationFacesPerSecond: saturation,
  servedOverBackToBack: full ? saturation / full.facesPerSecond : null,
  /** Unpaired: p50 at concurrency 1 minus the back-to-back single-face time, measured minutes apart. */
  concurrency1AddedP50Ms: single
    ? (rows.find((r) => r.concurrency === 1)?.p50Ms ?? Number.NaN) - single.msPerRun
    : null,
  /** Paired: p50 at concurrency 1 of latency minus that request's own inference and encoding. */
  concurrency1PairedAddedP50Ms: rows.find((r) => r.concurrency === 1)?.addedP50Ms ?? null,
};
if (args.json) console.log(JSON.stringify(result, null, 2));
else {
  const outputs = OUTPUTS.map((o) => `${o.output}${o.format ? `:${o.format}` : ''}`).join(' + ');
  console.log(
    `machine: ${result.machine}; model ${result.model} (${EP}, ${GRAPH.precision}); ${SECONDS} s per phase; outputs: ${outputs} as ${args.accept}; server ready in ${(server.readyMs / 1000).toFixed(1)} s`,
  );
  if (single && full)
    console.log(
      `back to back (no HTTP): 1 face ${single.msPerRun.toFixed(1)} ms (${single.facesPerSecond.toFixed(1)} faces/s); batch ${BATCH}: ${full.facesPerSecond.toFixed(1)} faces/s`,
    );
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(0)}%`);
  console.log(
    '| concurrency | faces/s | p50 ms | p99 ms | added p50 ms | event-loop lag max ms | mean batch | engine busy | GPU busy | server cores | client cores |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.concurrency} | ${r.facesPerSecond.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.addedP50Ms.toFixed(1)} | ${r.eventLoopLagMaxMs.toFixed(1)} | ${r.meanBatchSize?.toFixed(1) ?? '-'} | ${pct(r.engineBusyFraction)} | ${pct(r.gpuBusyFraction)} | ${r.serverCpuCores.toFixed(1)} | ${r.clientCpuCores.toFixed(1)} |`,
    );
  if (result.servedOverBackToBack !== null && result.concurrency1AddedP50Ms !== null) {
    console.log(
      `served at saturation / back to back: ${(100 * result.servedOverBackToBack).toFixed(1)}% (target >= 90%)`,
    );
    console.log(
      `concurrency 1 p50 minus back-to-back single face (unpaired): ${result.concurrency1AddedP50Ms.toFixed(1)} ms`,
    );
  }
  if (result.concurrency1PairedAddedP50Ms !== null)
    console.log(
      `concurrency 1 p50 of latency minus the request's own inference and encoding (paired): ${result.concurrency1PairedAddedP50Ms.toFixed(1)} ms (target <= 3 ms)`,
    );
}
