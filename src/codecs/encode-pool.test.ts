import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type EncodeJob, runEncodeJob } from './encode-job.js';
import { createEncodePool } from './encode-pool.js';

const pool = createEncodePool({ threads: 2 });
after(() => pool.close());

/** One job of each kind, built fresh each call (transfers detach arrays). */
function jobs(): EncodeJob[] {
  const rgb = new Uint8Array(8 * 6 * 3).map((_, i) => (i * 37) % 256);
  const xyz = new Float32Array(8 * 6 * 3).map((_, i) => Math.sin(i));
  return [
    { kind: 'png', pixels: rgb, width: 8, height: 6, channels: 3 },
    { kind: 'png', pixels: new Uint16Array(8 * 6).map((_, i) => i * 1000), width: 8, height: 6, channels: 1 },
    { kind: 'npy', data: xyz, shape: [6, 8, 3], dtype: '<f4' },
    { kind: 'exr', data: xyz, width: 8, height: 6, channels: 3 },
    { kind: 'exr', data: xyz, width: 8, height: 6, channels: 3, half: true },
    { kind: 'zip', entries: [{ name: 'a.npy', data: rgb }], compress: true },
  ];
}

for (const job of jobs()) {
  test(`encodes ${job.kind} in a worker to the same bytes as the direct call`, async () => {
    const expected = await runEncodeJob(job);
    assert.deepStrictEqual(await pool.encode(job), expected);
  });
}

test('copies the inputs by default, so the caller keeps its arrays', async () => {
  const pixels = new Uint8Array(12).fill(9);
  await pool.encode({ kind: 'png', pixels, width: 2, height: 2, channels: 3 });
  assert.deepStrictEqual(pixels, new Uint8Array(12).fill(9));
});

test('with transfer: true moves an array that owns its buffer to the worker', async () => {
  const data = new Float32Array(4 * 4 * 3).fill(0.5);
  const expected = await runEncodeJob({ kind: 'exr', data: data.slice(), width: 4, height: 4, channels: 3 });
  const bytes = await pool.encode({ kind: 'exr', data, width: 4, height: 4, channels: 3 }, { transfer: true });
  assert.equal(data.length, 0); // detached: it went to another thread
  assert.deepStrictEqual(bytes, expected);
});

test('with transfer: true still copies a view into a larger buffer', async () => {
  const batch = new Uint8Array(2 * 12).fill(4); // two 2x2 RGB images in one buffer
  await pool.encode({ kind: 'png', pixels: batch.subarray(12), width: 2, height: 2, channels: 3 }, { transfer: true });
  assert.equal(batch.length, 24);
});

test('rejects with the encoder error message from the worker', async () => {
  const job: EncodeJob = { kind: 'png', pixels: new Uint8Array(5), width: 2, height: 2, channels: 3 };
  await assert.rejects(pool.encode(job), /encodePng: pixels has 5 elements/);
});

test('close() waits for running and queued jobs, then ends its worker threads', async () => {
  const own = createEncodePool({ threads: 2 });
  const job: EncodeJob = { kind: 'npy', data: new Uint8Array([1]), shape: [1], dtype: '|u1' };
  const queued = Array.from({ length: 9 }, () => own.encode(job)); // more than the 4 handed to piscina at once
  assert.equal(own.threads, 2);
  await own.close();
  assert.deepStrictEqual(
    (await Promise.all(queued)).map((b) => b.length),
    Array(9).fill(129),
  );
  assert.equal(own.threads, 0);
  await assert.rejects(own.encode(job), /encode pool is closed/);
});

test('rejects a thread count that is not a positive integer', () => {
  assert.throws(() => createEncodePool({ threads: 0 }), /threads must be a positive integer, got 0/);
});
