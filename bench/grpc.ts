/**
 * gRPC vs the REST binary path, served faces per second, in one run:
 *   npm run bench:grpc [-- --seconds 15 --rounds 3 --concurrency 8,32 --count 1]
 * Starts the real server in-process (the embedded models/tbgan-256, real ONNX Runtime, default
 * config), then for each concurrency keeps that many calls in flight, alternating the protocols
 * (A B, then B A, so drift cancels) for `rounds` rounds of `seconds` each:
 * - REST: `POST /v1/faces:generate` with `Accept: application/zip` (fetch, keep-alive);
 * - gRPC: `Generate` server-streaming (grpc-js client, one channel).
 * Every request asks for `count` faces with texture, normals and shape as 8-bit PNG. The clients run in
 * the same process, so their CPU counts against the server's: both protocols pay that.
 */
import { parseArgs } from 'node:util';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { pino } from 'pino';
import { LOADER_OPTIONS, PROTO_FILE } from '../src/api/grpc/index.js';
import { loadConfig } from '../src/config.js';
import type { ProtoGrpcType } from '../src/gen/face_generator.js';
import type { FaceGeneratorClient } from '../src/gen/tbgan/v1/FaceGenerator.js';
import { startServer } from '../src/main.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8,32' },
    count: { type: 'string', default: '1' },
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
 * Keeps `concurrency` calls in flight for `ms`: faces/s counts the calls that finished inside the
 * window (the ones still running at its end are waited for, not counted), requests, p50 latency.
 */
async function load(call: Call, concurrency: number, ms: number) {
  const start = performance.now();
  const end = start + ms;
  let faces = 0;
  const latenciesMs: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await call();
        const now = performance.now();
        if (now > end) break;
        faces += r.faces;
        latenciesMs.push(now - t);
      }
    }),
  );
  latenciesMs.sort((a, b) => a - b);
  return {
    facesPerS: faces / (ms / 1000),
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
  const server = await startServer(config, pino({ level: 'silent' }));
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

  console.log(
    `tbgan-256 on CPU, ${count} face(s) per request, PNG texture+normals+shape, ${rounds} x ${seconds} s per cell`,
  );
  await load(calls.rest, 8, 3000); // warm-up: JIT, encoder workers, connection pools
  await load(calls.grpc, 8, 3000);

  const rows: string[] = [];
  for (const concurrency of concurrencies) {
    const totals: Record<Protocol, { facesPerS: number[]; p50Ms: number[] }> = {
      rest: { facesPerS: [], p50Ms: [] },
      grpc: { facesPerS: [], p50Ms: [] },
    };
    for (let round = 0; round < rounds; round++) {
      const order: Protocol[] = round % 2 === 0 ? ['rest', 'grpc'] : ['grpc', 'rest'];
      for (const protocol of order) {
        const r = await load(calls[protocol], concurrency, seconds * 1000);
        totals[protocol].facesPerS.push(r.facesPerS);
        totals[protocol].p50Ms.push(r.p50Ms);
        console.log(
          `  c=${concurrency} round ${round + 1} ${protocol.padEnd(4)} ${r.facesPerS.toFixed(2)} faces/s, ${r.requests} requests, p50 ${r.p50Ms.toFixed(0)} ms`,
        );
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rest = mean(totals.rest.facesPerS);
    const grpc = mean(totals.grpc.facesPerS);
    rows.push(
      `| ${concurrency} | ${rest.toFixed(2)} | ${grpc.toFixed(2)} | ${(grpc / rest).toFixed(3)} | ${mean(totals.rest.p50Ms).toFixed(0)} | ${mean(totals.grpc.p50Ms).toFixed(0)} |`,
    );
  }
  console.log('\n| concurrency | REST zip faces/s | gRPC faces/s | gRPC / REST | REST p50 ms | gRPC p50 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  client.close();
  await server.shutdown('bench done');
}

await main();
