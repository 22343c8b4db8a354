/**
 * gRPC vs the REST binary path, served faces per second, in one run:
 *   npm run bench:grpc [-- --seconds 10 --rounds 4 --concurrency 8,32 --count 1 --instant-engine]
 * Starts the real server in-process (the embedded models/tbgan-256, real ONNX Runtime, default
 * config), then for each concurrency keeps that many calls in flight, alternating the protocols
 * (A B, then B A, so drift cancels) for `rounds` rounds of `seconds` each:
 * - REST: `POST /v1/faces:generate` with `Accept: application/zip` (fetch, keep-alive);
 * - gRPC: `Generate` server-streaming (grpc-js client, one channel).
 * Every request asks for `count` faces with texture, normals and shape as 8-bit PNG. The clients run in
 * the same process, so their CPU counts against the server's: both protocols pay that.
 * The faces/s ratio is the median of the per-round ratios (each round's two cells run back to back);
 * on a shared machine wall-clock rates still move with other processes' load (printed with them), so
 * the table also gives the process CPU time per served face, which moves less.
 * `--instant-engine` swaps ONNX Runtime for an engine that answers at once with noise maps of the
 * same size (PNGs as large as the untrained model's): what is left is the serving path, where a
 * difference between the protocols would show.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { pino } from 'pino';
import { LOADER_OPTIONS, PROTO_FILE } from '../src/api/grpc/index.js';
import { loadConfig } from '../src/config.js';
import type { Engine, EngineTensor } from '../src/engine/index.js';
import type { ProtoGrpcType } from '../src/gen/face_generator.js';
import type { FaceGeneratorClient } from '../src/gen/tbgan/v1/FaceGenerator.js';
import { startServer } from '../src/main.js';

/** An engine that answers at once: uniform noise in every output, like an untrained generator's. */
function createInstantEngine(resolution: number): Engine {
  const R = resolution;
  const noise = (n: number, float: boolean) =>
    float
      ? Float32Array.from({ length: n }, () => Math.random() * 2 - 1)
      : Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
  const pool = { u8: noise(64 * R * R * 3, false), f32: noise(64 * 9 * R * R, true) };
  return {
    inputNames: ['z', 'labels'],
    outputNames: ['uv', 'texture', 'normals', 'shape'],
    executionProviders: ['cpu'],
    async run(feeds, fetches) {
      const n = (feeds.z as EngineTensor).dims[0] as number;
      const out: Record<string, EngineTensor> = {};
      for (const name of fetches) {
        if (name === 'texture' || name === 'normals')
          out[name] = { data: pool.u8.subarray(0, n * R * R * 3), dims: [n, R, R, 3] };
        else if (name === 'shape') out[name] = { data: pool.f32.subarray(0, n * R * R * 3), dims: [n, R, R, 3] };
        else out[name] = { data: pool.f32.subarray(0, n * 9 * R * R), dims: [n, 9, R, R] };
      }
      return out;
    },
    async close() {},
  };
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '8,32' },
    count: { type: 'string', default: '1' },
    'instant-engine': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const count = Number(values.count);
const concurrencies = values.concurrency.split(',').map(Number);

const REST_BODY = JSON.stringify({ count, outputs: ['texture', 'normals', { output: 'shape', format: 'png' }] });
const GRPC_REQUEST = {
  count,
  outputs: [
    { output: 'OUTPUT_KIND_TEXTURE' as const },
    { output: 'OUTPUT_KIND_NORMALS' as const },
    { output: 'OUTPUT_KIND_SHAPE' as const, format: 'OUTPUT_FORMAT_PNG' as const },
  ],
};

type Protocol = 'rest' | 'grpc';
/** One request; resolves with the faces received and the bytes of their artifacts. */
type Call = () => Promise<{ faces: number; bytes: number }>;

/**
 * Keeps `concurrency` calls in flight for `ms`. faces/s counts the calls that finished inside the
 * window (those still running at its end are waited for, not counted). CPU per face is the process's
 * CPU time (server, client and ONNX Runtime threads) over the whole cell, drain included, per face
 * served in it: unlike wall-clock rates it does not move with other processes' load.
 */
async function load(call: Call, concurrency: number, ms: number) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let faces = 0;
  let allFaces = 0;
  const latenciesMs: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await call();
        const now = performance.now();
        allFaces += r.faces;
        if (now > end) break;
        faces += r.faces;
        latenciesMs.push(now - t);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  latenciesMs.sort((a, b) => a - b);
  return {
    facesPerS: faces / (ms / 1000),
    cpuMsPerFace: (used.user + used.system) / 1000 / allFaces,
    requests: latenciesMs.length,
    p50Ms: latenciesMs[latenciesMs.length >> 1] ?? 0,
  };
}

async function main(): Promise<void> {
  const config = loadConfig({
    TBGAN_HTTP_PORT: '0',
    TBGAN_GRPC_PORT: '0',
    TBGAN_HTTP_HOST: '127.0.0.1',
    TBGAN_BATCH_MAX_QUEUE: '1024',
  });
  const instant = values['instant-engine'];
  const server = await startServer(
    config,
    pino({ level: 'silent' }),
    instant ? { createEngine: async () => createInstantEngine(256) } : {},
  );
  const url = `http://127.0.0.1:${server.httpPort}/v1/faces:generate`;
  const proto = loadPackageDefinition(loadSync(PROTO_FILE, LOADER_OPTIONS)) as unknown as ProtoGrpcType;
  const client: FaceGeneratorClient = new proto.tbgan.v1.FaceGenerator(
    `127.0.0.1:${server.grpcPort}`,
    credentials.createInsecure(),
    { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
  );

  const calls: Record<Protocol, Call> = {
    rest: async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/zip' },
        body: REST_BODY,
      });
      const zip = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`REST ${res.status}: ${new TextDecoder().decode(zip)}`);
      return { faces: count, bytes: zip.byteLength };
    },
    grpc: () =>
      new Promise((resolve, reject) => {
        let faces = 0;
        let bytes = 0;
        client
          .generate(GRPC_REQUEST)
          .on('data', (m: { face?: { artifacts: { data?: Buffer }[] } }) => {
            faces++;
            for (const a of m.face?.artifacts ?? []) bytes += a.data?.byteLength ?? 0;
          })
          .on('error', reject)
          .on('end', () => resolve({ faces, bytes }));
      }),
  };

  const cores = cpus().length;
  const engine = instant ? 'an instant noise engine' : 'tbgan-256 on ONNX Runtime CPU';
  console.log(`${engine} (${cores} cores), ${count} face(s) per request, PNG texture+normals+shape`);
  console.log(`${rounds} rounds x ${seconds} s per protocol and concurrency; load average ${loadavg()[0].toFixed(2)}`);
  await load(calls.rest, 8, 3000); // warm-up: JIT, encoder workers, connection pools
  await load(calls.grpc, 8, 3000);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const rows: string[] = [];
  for (const concurrency of concurrencies) {
    const cells: Record<Protocol, Awaited<ReturnType<typeof load>>[]> = { rest: [], grpc: [] };
    for (let round = 0; round < rounds; round++) {
      const order: Protocol[] = round % 2 === 0 ? ['rest', 'grpc'] : ['grpc', 'rest'];
      for (const protocol of order) {
        const r = await load(calls[protocol], concurrency, seconds * 1000);
        cells[protocol].push(r);
        console.log(
          `  c=${concurrency} round ${round + 1} ${protocol.padEnd(4)} ${r.facesPerS.toFixed(2)} faces/s, ${r.cpuMsPerFace.toFixed(1)} CPU ms/face, ${r.requests} requests, p50 ${r.p50Ms.toFixed(0)} ms, load ${loadavg()[0].toFixed(2)}`,
        );
      }
    }
    const of = (p: Protocol, key: 'facesPerS' | 'cpuMsPerFace' | 'p50Ms') => median(cells[p].map((c) => c[key]));
    const ratios = cells.grpc.map((c, i) => c.facesPerS / (cells.rest[i]?.facesPerS as number));
    rows.push(
      [
        concurrency,
        of('rest', 'facesPerS').toFixed(2),
        of('grpc', 'facesPerS').toFixed(2),
        `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
        of('rest', 'cpuMsPerFace').toFixed(1),
        of('grpc', 'cpuMsPerFace').toFixed(1),
        (of('rest', 'cpuMsPerFace') / of('grpc', 'cpuMsPerFace')).toFixed(3),
        of('rest', 'p50Ms').toFixed(0),
        of('grpc', 'p50Ms').toFixed(0),
      ].join(' | '),
    );
  }
  console.log(
    '\n| c | REST zip faces/s | gRPC faces/s | gRPC / REST faces/s, median of rounds (range) | REST CPU ms/face | gRPC CPU ms/face | REST / gRPC CPU | REST p50 ms | gRPC p50 ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row} |`);
  console.log(`(medians over ${rounds} rounds; load average at the end ${loadavg()[0].toFixed(2)})`);
  client.close();
  await server.shutdown('bench done');
}

await main();
