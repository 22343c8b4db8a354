/**
 * `npm run bench:serve`: what serving costs on top of the work itself, in one run.
 *
 * 1. Back to back, in process, no HTTP: engine runs of one face and of a full batch, each followed by
 *    encoding the faces' PNGs (texture and normals) on the encoder pool: faces/s and ms per face.
 * 2. Served: the real server (`src/main.ts`, the same model and settings) in a child process, and
 *    HTTP clients on loopback at concurrency 1, 8 and 32 sending `POST /v1/faces:generate` for one
 *    face with the same PNG outputs: faces/s, p50 and p99 latency, and the server's event-loop lag
 *    (from its /metrics, reset before each phase).
 * Targets (issue: serving core): served faces/s at saturation >= 90% of back to back; at
 * concurrency 1, p50 <= back-to-back single-face time + 3 ms; event-loop lag under 50 ms.
 *
 *   npm run bench:serve [-- --seconds 10 --model models/tbgan-256 --json]
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEncodePool } from '../src/codecs/index.js';
import { DEFAULTS } from '../src/config.js';
import { createOnnxEngine } from '../src/engine/index.js';
import { ensureGeneratorGraph, GRAPH_DEFAULTS, latentsFromSeed, loadModelPackage } from '../src/model/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    model: { type: 'string', default: DEFAULTS.model.dir },
    concurrency: { type: 'string', default: '1,8,32' },
    json: { type: 'boolean' },
  },
});
const SECONDS = Number(args.seconds);
const BATCH = DEFAULTS.batch.maxBatchSize;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/** Back to back: engine then encode, repeated, for batches of `n` faces. */
async function backToBack(n: number): Promise<{ facesPerSecond: number; msPerRun: number }> {
  const pkg = await loadModelPackage(args.model as string);
  const graph = await ensureGeneratorGraph(pkg, GRAPH_DEFAULTS);
  const engine = await createOnnxEngine({ modelPath: graph.graphPath });
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

async function startServerProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TBGAN_HTTP_PORT: '0',
      TBGAN_HTTP_HOST: '127.0.0.1',
      TBGAN_MODEL_DIR: args.model,
      TBGAN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { msg: string; port?: number };
        if (entry.msg === 'http listening') resolve(entry.port as number);
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  while ((await fetch(`${url}/v2/health/ready`).catch(() => undefined))?.status !== 200)
    await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function eventLoopLagMaxMs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds '));
  return Number(line?.split(' ')[1]) * 1000;
}

/** `concurrency` clients, each sending one-face requests back to back for SECONDS. */
async function served(url: string, concurrency: number) {
  const body = JSON.stringify({ seed: 1, outputs: ['texture', 'normals'] });
  await eventLoopLagMaxMs(url); // resets the server's event-loop histogram
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await fetch(`${url}/v1/faces:generate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    facesPerSecond: (latencies.length * 1000) / elapsed,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    eventLoopLagMaxMs: await eventLoopLagMaxMs(url),
  };
}

const single = await backToBack(1);
const full = await backToBack(BATCH);
const server = await startServerProcess();
const rows = [];
for (const c of (args.concurrency as string).split(',').map(Number)) rows.push(await served(server.url, c));
await server.stop();

const saturation = Math.max(...rows.map((r) => r.facesPerSecond));
const result = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  model: args.model,
  seconds: SECONDS,
  backToBack: {
    single: { facesPerSecond: single.facesPerSecond, msPerFace: single.msPerRun },
    batch: { size: BATCH, facesPerSecond: full.facesPerSecond },
  },
  served: rows,
  servedOverBackToBack: saturation / full.facesPerSecond,
  concurrency1AddedP50Ms: (rows.find((r) => r.concurrency === 1)?.p50Ms ?? Number.NaN) - single.msPerRun,
};
if (args.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `machine: ${result.machine}; model ${result.model}; ${SECONDS} s per phase; outputs: texture + normals PNG`,
  );
  console.log(
    `back to back (no HTTP): 1 face ${single.msPerRun.toFixed(1)} ms (${single.facesPerSecond.toFixed(1)} faces/s); batch ${BATCH}: ${full.facesPerSecond.toFixed(1)} faces/s`,
  );
  console.log('| concurrency | faces/s | p50 ms | p99 ms | event-loop lag max ms |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.concurrency} | ${r.facesPerSecond.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.eventLoopLagMaxMs.toFixed(1)} |`,
    );
  console.log(
    `served at saturation / back to back: ${(100 * result.servedOverBackToBack).toFixed(1)}% (target >= 90%)`,
  );
  console.log(
    `concurrency 1 p50 minus back-to-back single face: ${result.concurrency1AddedP50Ms.toFixed(1)} ms (target <= 3 ms)`,
  );
}
