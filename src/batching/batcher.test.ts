import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBatcher } from './batcher.js';
import type { BatcherOptions, RejectReason } from './batcher-options.js';
import type { Clock } from './clock.js';

/** Lets every queued microtask and promise callback run; never waits on wall-clock time. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const upper = (items: string[]) => items.map((s) => s.toUpperCase());

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A clock that moves only when the test advances it; `advance` fires the timers that fall due, in order. */
function createFakeClock(): Clock & { advance(ms: number): void; readonly pendingTimers: number } {
  let nowMs = 1_000;
  let lastId = 0;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  return {
    now: () => nowMs,
    setTimeout(callback, delayMs) {
      timers.set(++lastId, { atMs: nowMs + delayMs, callback });
      return lastId;
    },
    clearTimeout: (timer) => timers.delete(timer as number),
    advance(ms) {
      nowMs += ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.atMs <= nowMs).sort(([, a], [, b]) => a.atMs - b.atMs)[0];
        if (!due) return;
        timers.delete(due[0]);
        due[1].callback();
      }
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}

/** A batcher over a fake engine that upper-cases its items and holds every run until the test settles it. */
function createHarness(options: Partial<BatcherOptions<string, string>> = {}) {
  const calls: string[][] = [];
  const runs: Deferred<string[]>[] = [];
  const rejects: RejectReason[] = [];
  const batcher = createBatcher<string, string>({
    maxBatchSize: 3,
    maxDelayMs: 0,
    maxQueueSize: 100,
    hooks: { onReject: (reason) => rejects.push(reason) },
    ...options,
    run: (items) => {
      calls.push(items);
      const run = deferred<string[]>();
      runs.push(run);
      return run.promise;
    },
  });
  return {
    batcher,
    calls,
    rejects,
    release: (i: number) => runs[i]?.resolve(upper(calls[i] ?? [])),
    fail: (i: number, error: unknown) => runs[i]?.reject(error),
  };
}

describe('batch formation', () => {
  test('coalesces concurrent requests FIFO into shared batches, splitting a request across runs', async () => {
    const h = createHarness({ maxBatchSize: 3 });
    const a = h.batcher.submit(['a1', 'a2']);
    let bDone = false;
    const b = h.batcher.submit(['b1', 'b2']).finally(() => {
      bDone = true;
    });
    await settle();
    assert.deepStrictEqual(h.calls, [['a1', 'a2', 'b1']]);
    h.release(0);
    assert.deepStrictEqual(await a, ['A1', 'A2']);
    await settle();
    assert.equal(bDone, false);
    assert.deepStrictEqual(h.calls, [['a1', 'a2', 'b1'], ['b2']]);
    h.release(1);
    assert.deepStrictEqual(await b, ['B1', 'B2']);
  });

  test('runs a request larger than maxBatchSize as consecutive batches, outputs in order', async () => {
    const h = createHarness({ maxBatchSize: 2 });
    const x = h.batcher.submit(['x1', 'x2', 'x3', 'x4', 'x5']);
    for (let i = 0; i < 3; i++) {
      await settle();
      h.release(i);
    }
    assert.deepStrictEqual(await x, ['X1', 'X2', 'X3', 'X4', 'X5']);
    assert.deepStrictEqual(h.calls, [['x1', 'x2'], ['x3', 'x4'], ['x5']]);
  });

  test('fills the next batch with what arrived while the runner was busy', async () => {
    const h = createHarness({ maxBatchSize: 4 });
    const requests = [h.batcher.submit(['a'])];
    await settle();
    requests.push(...['b', 'c', 'd', 'e', 'f'].map((x) => h.batcher.submit([x])));
    await settle();
    assert.deepStrictEqual(h.calls, [['a']]);
    assert.equal(h.batcher.queueDepth, 5);
    for (let i = 0; i < 3; i++) {
      h.release(i);
      await settle();
    }
    assert.deepStrictEqual(await Promise.all(requests), [['A'], ['B'], ['C'], ['D'], ['E'], ['F']]);
    assert.deepStrictEqual(h.calls, [['a'], ['b', 'c', 'd', 'e'], ['f']]);
  });

  test('runs at most maxConcurrentBatches batches at once', async () => {
    const h = createHarness({ maxBatchSize: 1, maxConcurrentBatches: 2 });
    const requests = ['a', 'b', 'c'].map((x) => h.batcher.submit([x]));
    await settle();
    assert.deepStrictEqual([h.calls, h.batcher.inFlightBatches], [[['a'], ['b']], 2]);
    h.release(1);
    await settle();
    assert.deepStrictEqual(h.calls, [['a'], ['b'], ['c']]);
    h.release(0);
    h.release(2);
    assert.deepStrictEqual(await Promise.all(requests), [['A'], ['B'], ['C']]);
  });

  const startCases = [
    { name: 'a lone item waits for company', maxDelayMs: 10, items: ['a'], advanceMs: 9, started: false },
    {
      name: 'a lone item starts once it has waited maxDelayMs',
      maxDelayMs: 10,
      items: ['a'],
      advanceMs: 10,
      started: true,
    },
    { name: 'a full batch starts at once', maxDelayMs: 10, items: ['a', 'b', 'c'], advanceMs: 0, started: true },
    { name: 'maxDelayMs 0 starts at once', maxDelayMs: 0, items: ['a'], advanceMs: 0, started: true },
  ];
  for (const { name, maxDelayMs, items, advanceMs, started } of startCases) {
    test(`start rule: ${name}`, async () => {
      const clock = createFakeClock();
      const h = createHarness({ maxBatchSize: 3, maxDelayMs, clock });
      const request = h.batcher.submit(items);
      await settle();
      clock.advance(advanceMs);
      assert.equal(h.calls.length, started ? 1 : 0);
      clock.advance(maxDelayMs); // by now every item has waited long enough
      h.release(0);
      assert.deepStrictEqual(await request, upper(items));
      assert.equal(clock.pendingTimers, 0);
    });
  }

  test('measures maxDelayMs from the oldest queued item', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 3, maxDelayMs: 10, clock });
    const a = h.batcher.submit(['a']);
    await settle();
    clock.advance(6);
    const b = h.batcher.submit(['b']);
    await settle();
    clock.advance(3);
    assert.deepStrictEqual(h.calls, []);
    clock.advance(1);
    assert.deepStrictEqual(h.calls, [['a', 'b']]);
    h.release(0);
    assert.deepStrictEqual(await Promise.all([a, b]), [['A'], ['B']]);
  });

  test('resolves an empty request at once without running', async () => {
    const h = createHarness();
    assert.deepStrictEqual(await h.batcher.submit([]), []);
    assert.deepStrictEqual(h.calls, []);
  });
});
