/**
 * Batching and error paths over real HTTP, with the fake engine held at a gate so each test decides
 * when a batch finishes: overload, deadlines, cancellation, isolation and drain.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import request from 'supertest';
import { latentFromSeed } from '../../src/model/index.js';
import { createFakeEngine, createGate, startTestServer, until } from '../fakes.js';

const GEN = '/v1/faces:generate';
let stopServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopServer?.();
  stopServer = undefined;
});

async function serve(env: Record<string, string>, failWith?: (firsts: number[]) => Error | undefined) {
  const gate = createGate();
  const engine = createFakeEngine({ gate: gate.wait, ...(failWith && { failWith }) });
  const server = await startTestServer(env, engine);
  stopServer = server.stop;
  gate.close(); // warm-up has run; from here on each test opens the gate
  return { ...server, gate, engine };
}

const firstOf = (seed: number) => latentFromSeed(seed, 48)[0] as number;
const post = (url: string, body: object) => request(url).post(GEN).send(body);

test('a full queue answers 503 with Retry-After; every accepted request completes', async () => {
  const { url, gate } = await serve({
    TBGAN_BATCH_MAX_SIZE: '1',
    TBGAN_BATCH_MAX_QUEUE: '2',
    TBGAN_MAX_FACES_PER_REQUEST: '2',
    TBGAN_BATCH_MAX_DELAY_MS: '0',
  });
  const running = post(url, { seed: 1 }).then((r) => r);
  await until(() => gate.waiting() === 1);
  const queued = [post(url, { seed: 2 }).then((r) => r), post(url, { seed: 3 }).then((r) => r)];
  await until(async () => (await request(url).get('/metrics')).text.includes('tbgan_queue_depth 2'));
  const refused = await post(url, { seed: 4 });
  assert.equal(refused.status, 503);
  assert.equal(JSON.parse(refused.text).code, 'UNAVAILABLE');
  assert.match(refused.headers['retry-after'] as string, /^[1-9]\d*$/);
  gate.open();
  for (const r of await Promise.all([running, ...queued])) assert.equal(r.status, 200);
  assert.match((await request(url).get('/metrics')).text, /tbgan_rejections_total\{reason="queue_full"\} 1/);
});

test('a request whose deadline passes while queued gets 504 DEADLINE_EXCEEDED', async () => {
  const { url, gate } = await serve({});
  const slow = post(url, { seed: 1 }).then((r) => r);
  await until(() => gate.waiting() === 1);
  const timedOut = await post(url, { seed: 2, timeoutMs: 50 });
  assert.equal(timedOut.status, 504);
  assert.equal(JSON.parse(timedOut.text).code, 'DEADLINE_EXCEEDED');
  const header = await request(url).post(GEN).set('request-timeout', '0.05').send({ seed: 3 });
  assert.equal(header.status, 504);
  gate.open();
  assert.equal((await slow).status, 200);
});

test('a client that disconnects has its queued faces dropped before they run', async () => {
  const { url, gate, engine } = await serve({ TBGAN_BATCH_MAX_SIZE: '1' });
  const first = post(url, { seed: 1 }).then((r) => r);
  await until(() => gate.waiting() === 1);
  const controller = new AbortController();
  const abandoned = fetch(`${url}${GEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seed: 555, count: 2 }),
    signal: controller.signal,
  });
  await until(async () => (await request(url).get('/metrics')).text.includes('tbgan_queue_depth 2'));
  controller.abort();
  await assert.rejects(abandoned);
  await until(async () => (await request(url).get('/metrics')).text.includes('tbgan_queue_depth 0'));
  const after = post(url, { seed: 9 }).then((r) => r);
  gate.open();
  assert.equal((await first).status, 200);
  assert.equal((await after).status, 200);
  const seen = engine.runs.flat();
  assert.ok(!seen.includes(firstOf(555)) && !seen.includes(firstOf(556)), 'the abandoned faces never ran');
  assert.ok(seen.includes(firstOf(9)));
});

test('a failing request never fails another in the same batch; internals are not shown', async () => {
  const poison = firstOf(666);
  const { url, gate } = await serve({ TBGAN_BATCH_MAX_DELAY_MS: '50' }, (firsts) =>
    firsts.includes(poison) ? new Error('kernel exploded at 0xdeadbeef') : undefined,
  );
  gate.open();
  const [bad, good] = await Promise.all([post(url, { seed: 666 }), post(url, { seed: 7 })]);
  assert.equal(good.status, 200);
  assert.equal(bad.status, 500);
  const problem = JSON.parse(bad.text);
  assert.equal(problem.code, 'INTERNAL');
  assert.equal(problem.detail, 'internal error');
  assert.doesNotMatch(bad.text, /deadbeef/);
});

test('drain: not ready, new work refused with 503, accepted work completes, then the server stops', async () => {
  const { url, gate, server } = await serve({ TBGAN_BATCH_MAX_SIZE: '1' });
  const accepted = [1, 2, 3].map((seed) => post(url, { seed, count: 2 }).then((r) => r));
  await until(
    async () => gate.waiting() === 1 && (await request(url).get('/metrics')).text.includes('tbgan_queue_depth 5'),
  );
  const stopped = server.shutdown('test');
  await until(async () => (await request(url).get('/v2/health/ready')).status === 503);
  const refused = await post(url, { seed: 4 });
  assert.equal(refused.status, 503);
  assert.equal(refused.headers['retry-after'], '0');
  await request(url).get('/v2/health/live').expect(200);
  gate.open();
  for (const r of await Promise.all(accepted)) {
    assert.equal(r.status, 200);
    assert.equal(r.body.faces.length, 2);
  }
  assert.equal(await stopped, true);
  await assert.rejects(fetch(`${url}/v2/health/live`), 'the listener is closed');
});
