/**
 * Batching, error paths and lifecycle over real gRPC, with the fake engine held at a gate so each
 * test decides when a batch finishes: overload, deadlines, cancellation (queued and mid-stream),
 * isolation, health transitions and drain.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { pino } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import type { FaceGeneratorClient } from '../../src/gen/tbgan/v1/FaceGenerator.js';
import type { GenerateRequest } from '../../src/gen/tbgan/v1/GenerateRequest.js';
import type { GenerateResponse__Output } from '../../src/gen/tbgan/v1/GenerateResponse.js';
import { startServer } from '../../src/main.js';
import { latentFromSeed } from '../../src/model/index.js';
import { createFakeEngine, createGate, startTestServer, until } from '../fakes.js';
import { checkHealth, collect, createFaceClient } from '../grpc-client.js';
import { createTestPackage } from '../model-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  env: Record<string, string>,
  engineOptions: Parameters<typeof createFakeEngine>[0] = {},
): Promise<Awaited<ReturnType<typeof startTestServer>> & Extras> {
  const gate = createGate();
  const engine = createFakeEngine({ gate: gate.wait, ...engineOptions });
  const server = await startTestServer(env, engine);
  cleanups.push(server.stop);
  const client = createFaceClient(server.grpcAddress);
  cleanups.push(() => client.close());
  gate.close(); // warm-up has run; from here on each test opens the gate
  const queueDepth = async () =>
    Number(/^tbgan_queue_depth (\d+)/m.exec((await request(server.url).get('/metrics')).text)?.[1]);
  const generate = (req: GenerateRequest, deadline?: Date) =>
    collect<GenerateResponse__Output>(client.generate(req, new Metadata(), deadline ? { deadline } : {}));
  return { ...server, gate, engine, client, queueDepth, generate };
}
interface Extras {
  gate: ReturnType<typeof createGate>;
  engine: ReturnType<typeof createFakeEngine>;
  client: FaceGeneratorClient;
  queueDepth: () => Promise<number>;
  generate: (req: GenerateRequest, deadline?: Date) => ReturnType<typeof collect<GenerateResponse__Output>>;
}

const RETRY_CONFIG = JSON.stringify({
  methodConfig: [
    {
      name: [{ service: 'tbgan.v1.FaceGenerator' }],
      retryPolicy: {
        maxAttempts: 3,
        initialBackoff: '0.01s',
        maxBackoff: '0.01s',
        backoffMultiplier: 1,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
  ],
});
const firstOf = (seed: number) => latentFromSeed(seed, 48)[0] as number;
const trailer = (md: Metadata, key: string) => md.get(key)[0];

test('a full queue answers UNAVAILABLE with the retry hint in trailers; accepted calls complete', async () => {
  const { gate, generate, queueDepth } = await serve({
    TBGAN_BATCH_MAX_SIZE: '1',
    TBGAN_BATCH_MAX_QUEUE: '2',
    TBGAN_BATCH_MAX_DELAY_MS: '0',
  });
  const running = generate({ seed: 1 });
  await until(() => gate.waiting() === 1);
  const queued = [generate({ seed: 2 }), generate({ seed: 3 })];
  await until(async () => (await queueDepth()) === 2);
  const refused = await generate({ seed: 4 });
  assert.equal(refused.status.code, status.UNAVAILABLE);
  assert.match(String(trailer(refused.status.metadata, 'retry-after-ms')), /^[1-9]\d*$/);
  assert.equal(
    trailer(refused.status.metadata, 'grpc-retry-pushback-ms'),
    trailer(refused.status.metadata, 'retry-after-ms'),
  );
  gate.open();
  for (const r of await Promise.all([running, ...queued])) assert.equal(r.status.code, status.OK);
});

test('the gRPC deadline becomes the batcher deadline: DEADLINE_EXCEEDED while queued', async () => {
  const { gate, generate, url } = await serve({ TBGAN_MAX_REQUEST_TIMEOUT_MS: '300', TBGAN_REQUEST_TIMEOUT_MS: '300' });
  const slow = generate({ seed: 1 });
  await until(() => gate.waiting() === 1);
  const timedOut = await generate({ seed: 2 }, new Date(Date.now() + 200));
  assert.equal(timedOut.status.code, status.DEADLINE_EXCEEDED);
  gate.open();
  assert.equal((await slow).status.code, status.OK);
  gate.close();
  const started = Date.now();
  const capped = await generate({ seed: 3 }, new Date(Date.now() + 3_600_000));
  assert.equal(capped.status.code, status.DEADLINE_EXCEEDED, 'a longer client deadline is cut to the maximum');
  assert.ok(Date.now() - started < 3000);
  gate.open();
  // the server counts a call once it has finished with it, which can be just after the client sees the status
  const counted = /tbgan_requests_total\{protocol="grpc",route="generate",code="DEADLINE_EXCEEDED"\} 2/;
  let seen = '';
  const metrics = async () => {
    const text = (await request(url).get('/metrics')).text;
    seen = text.match(/^tbgan_requests_total\{protocol="grpc".*$/gm)?.join('; ') ?? '';
    return text;
  };
  await until(
    async () => counted.test(await metrics()),
    5000,
    () => seen,
  );
});

test('a cancelled call has its queued faces dropped before they run', async () => {
  const { gate, engine, client, generate, queueDepth } = await serve({ TBGAN_BATCH_MAX_SIZE: '1' });
  const first = generate({ seed: 1 });
  await until(() => gate.waiting() === 1);
  const call = client.generate({ seed: 555, count: 2 });
  const abandoned = collect(call);
  await until(async () => (await queueDepth()) === 2);
  call.cancel();
  assert.equal((await abandoned).status.code, status.CANCELLED);
  await until(async () => (await queueDepth()) === 0);
  const after = generate({ seed: 9 });
  gate.open();
  assert.equal((await first).status.code, status.OK);
  assert.equal((await after).status.code, status.OK);
  const seen = engine.runs.flat();
  assert.ok(!seen.includes(firstOf(555)) && !seen.includes(firstOf(556)), 'the abandoned faces never ran');
});

test('a call cancelled mid-stream stops sending; the server goes on serving', async () => {
  // 64 faces of 36 KB (uv, float32 9 x 32 x 32) overrun HTTP/2 flow control and the client's buffer.
  const { gate, client, generate, url } = await serve({});
  gate.open();
  const call = client.generate({ seed: 1, count: 64, outputs: [{ output: 'OUTPUT_KIND_UV' }] });
  let received = 0;
  const done = collect(call);
  call.once('data', () => {
    received++;
    call.cancel();
  });
  assert.equal((await done).status.code, status.CANCELLED);
  assert.equal(received, 1);
  const metric = /tbgan_requests_total\{protocol="grpc",route="generate",code="CANCELLED"\} 1/;
  await until(async () => metric.test((await request(url).get('/metrics')).text));
  assert.equal((await generate({ seed: 2 })).status.code, status.OK);
});

test('a failing call never fails another in the same batch; INTERNAL shows no internals', async () => {
  const poison = firstOf(666);
  const { gate, generate } = await serve(
    { TBGAN_BATCH_MAX_DELAY_MS: '50' },
    {
      failWith: (firsts) => (firsts.includes(poison) ? new Error('kernel exploded at 0xdeadbeef') : undefined),
    },
  );
  gate.open();
  const [bad, good] = await Promise.all([generate({ seed: 666 }), generate({ seed: 7 })]);
  assert.equal(good.status.code, status.OK);
  assert.equal(bad.status.code, status.INTERNAL);
  assert.equal(bad.status.details, 'internal error');
});

test('health: NOT_SERVING before warm-up, SERVING when ready, NOT_SERVING while draining; "" is live throughout', async () => {
  const pkg = await createTestPackage({ seed: 11, biasStd: 0.1 });
  cleanups.push(pkg.cleanup);
  const gate = createGate();
  gate.close(); // holds the warm-up
  const engine = createFakeEngine({ gate: gate.wait });
  let grpcPort = 0;
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg: string; port?: number };
        if (entry.msg === 'grpc listening') grpcPort = entry.port as number;
      },
    },
  );
  const config = loadConfig({
    TBGAN_HTTP_PORT: '0',
    TBGAN_GRPC_PORT: '0',
    TBGAN_HTTP_HOST: '127.0.0.1',
    TBGAN_MODEL_DIR: pkg.dir,
    TBGAN_ENCODE_THREADS: '1',
    TBGAN_BATCH_MAX_SIZE: '1',
  });
  const starting = startServer(config, logger, { createEngine: async () => engine });
  await until(() => grpcPort > 0);
  const address = `127.0.0.1:${grpcPort}`;
  const client = createFaceClient(address);
  cleanups.push(() => client.close());
  assert.equal(await checkHealth(address, ''), 'SERVING');
  assert.equal(await checkHealth(address, 'tbgan.v1.FaceGenerator'), 'NOT_SERVING');
  const early = await collect(client.generate({ seed: 1 }));
  assert.equal(early.status.code, status.UNAVAILABLE);
  assert.equal(trailer(early.status.metadata, 'retry-after-ms'), '1000');
  assert.equal(early.headers, undefined, 'a trailers-only answer, which clients may retry');
  // A client with a retry policy waits the pushback (1 s), retries, and is served once warm.
  const retrying = createFaceClient(address, credentials.createInsecure(), { 'grpc.service_config': RETRY_CONFIG });
  cleanups.push(() => retrying.close());
  const retriedAt = Date.now();
  const retried = collect(retrying.generate({ seed: 1 }));

  gate.open();
  const server = await starting;
  const afterRetry = await retried;
  assert.equal(afterRetry.status.code, status.OK);
  assert.equal(afterRetry.messages.length, 1);
  assert.ok(Date.now() - retriedAt >= 900, 'the retry waited the pushback, not the 10 ms backoff');
  assert.equal(await checkHealth(address, 'tbgan.v1.FaceGenerator'), 'SERVING');
  assert.equal(await checkHealth(address, 'tbgan.v1.Unknown'), `error ${status.NOT_FOUND}`);

  gate.close();
  const accepted = [1, 2].map((seed) => collect(client.generate({ seed, count: 2 })));
  await until(() => gate.waiting() === 1);
  const stopped = server.shutdown('test');
  await until(async () => (await checkHealth(address, 'tbgan.v1.FaceGenerator')) === 'NOT_SERVING');
  assert.equal(await checkHealth(address, ''), 'SERVING');
  const refused = await collect(client.generate({ seed: 3 }));
  assert.equal(refused.status.code, status.UNAVAILABLE);
  assert.equal(trailer(refused.status.metadata, 'retry-after-ms'), '0');
  gate.open();
  for (const r of await Promise.all(accepted)) {
    assert.equal(r.status.code, status.OK);
    assert.equal(r.messages.length, 2);
  }
  assert.equal(await stopped, true);
  assert.match(await checkHealth(address, ''), new RegExp(`^error ${status.UNAVAILABLE}$`), 'the listener is closed');
});
