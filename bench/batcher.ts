/**
 * Batcher overhead and batch fill under load, with a fake engine (no model, no GPU):
 *   npm run bench:batcher
 * 1) `run` resolves at once: what the batcher itself costs per item.
 * 2) `run` sleeps 5 ms + 0.5 ms per item (a GPU-like curve): the batch sizes that paced arrivals produce
 *    (timer-paced, so the real rate tops out near 1000/s).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createBatcher } from '../src/batching/index.js';

async function overhead(requests: number, itemsPerRequest: number): Promise<void> {
  const batcher = createBatcher<number, number>({
    maxBatchSize: 32,
    maxDelayMs: 0,
    maxQueueSize: requests * itemsPerRequest,
    run: async (items) => items,
  });
  const items = Array.from({ length: itemsPerRequest }, (_, i) => i);
  const startMs = performance.now();
  await Promise.all(Array.from({ length: requests }, () => batcher.submit(items)));
  const elapsedMs = performance.now() - startMs;
  const total = requests * itemsPerRequest;
  console.log(
    `overhead: ${total} items in ${elapsedMs.toFixed(1)} ms = ${((elapsedMs * 1000) / total).toFixed(2)} us/item`,
  );
  await batcher.close();
}

async function fill(arrivalsPerSecond: number, durationMs: number): Promise<void> {
  const sizes: number[] = [];
  const waitsMs: number[] = [];
  const batcher = createBatcher<number, number>({
    maxBatchSize: 16,
    maxDelayMs: 2,
    maxQueueSize: 256,
    run: async (items) => {
      await sleep(5 + 0.5 * items.length);
      return items;
    },
    hooks: {
      onBatch: ({ size, queueWaitMs }) => {
        sizes.push(size);
        waitsMs.push(...queueWaitMs);
      },
    },
  });
  const pending: Promise<unknown>[] = [];
  const gapMs = 1000 / arrivalsPerSecond;
  for (let t = 0; t < durationMs; t += gapMs) {
    pending.push(batcher.submit([t]).catch((e: { code?: string }) => e.code));
    await sleep(gapMs);
  }
  const outcomes = await Promise.all(pending);
  const shed = outcomes.filter((o) => o === 'UNAVAILABLE').length;
  const meanSize = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  const p99WaitMs = waitsMs.sort((a, b) => a - b)[Math.floor(waitsMs.length * 0.99)] ?? 0;
  console.log(
    `${arrivalsPerSecond}/s: ${sizes.length} batches, mean size ${meanSize.toFixed(1)}, p99 queue wait ${p99WaitMs.toFixed(1)} ms, shed ${shed}`,
  );
  await batcher.drain(10_000);
}

await overhead(10_000, 4);
for (const rate of [100, 500, 1000]) await fill(rate, 2000);
