import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Batcher, createBatcher, estimateRetryAfterMs } from './batcher.js';
import type { BatcherOptions, BatchInfo, RejectReason, SubmitOptions, TicketTiming } from './batcher-options.js';
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
function createFakeClock(): Clock & {
  advance(ms: number): void;
  readonly pendingTimers: number;
  readonly timersSet: number;
} {
  let nowMs = 1_000;
  let lastId = 0;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  return {
    now: () => nowMs,
    setTimeout(callback, delayMs) {
      const dueInMs = delayMs > 2 ** 31 - 1 ? 1 : delayMs; // as Node's setTimeout does
      timers.set(++lastId, { atMs: nowMs + dueInMs, callback });
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
    get timersSet() {
      return lastId;
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

describe('admission and load shedding', () => {
  type Case = {
    name: string;
    code: string;
    reason: RejectReason;
    /** Puts the batcher in the state under test before the refused submit. */
    arrange?: (batcher: Batcher<string, string>) => Promise<unknown>;
    items?: string[];
    options?: SubmitOptions;
  };
  const timedOut = new DOMException('timed out', 'TimeoutError');
  const fillQueue = async (b: Batcher<string, string>) => {
    void b.submit(['a']); // running
    await settle();
    void b.submit(['b', 'c', 'd']); // queued: 3 of 3
  };
  // biome-ignore format: one case per line
  const cases: Case[] = [
    { name: 'draining', code: 'UNAVAILABLE', reason: 'draining', arrange: (b) => b.drain(1) },
    { name: 'closed', code: 'UNAVAILABLE', reason: 'closed', arrange: (b) => b.close() },
    { name: 'the signal is aborted', code: 'CANCELLED', reason: 'cancelled', options: { signal: AbortSignal.abort() } },
    { name: 'the signal timed out', code: 'DEADLINE_EXCEEDED', reason: 'deadline', options: { signal: AbortSignal.abort(timedOut) } },
    { name: 'the deadline has passed', code: 'DEADLINE_EXCEEDED', reason: 'deadline', options: { deadline: Date.now() - 1 } },
    { name: 'it holds more items than the queue', code: 'RESOURCE_EXHAUSTED', reason: 'too_large', items: ['x', 'y', 'z', 'w'] },
    { name: 'the queue is full', code: 'UNAVAILABLE', reason: 'queue_full', arrange: fillQueue },
  ];
  for (const { name, code, reason, arrange, items = ['x'], options } of cases) {
    test(`refuses a submit at once with ${code} when ${name}`, async () => {
      const h = createHarness({ maxBatchSize: 1, maxQueueSize: 3 });
      await arrange?.(h.batcher);
      await assert.rejects(h.batcher.submit(items, options), { code });
      assert.deepStrictEqual(h.rejects, [reason]);
      assert.ok(!h.calls.flat().includes('x'));
    });
  }

  test('rejects with UNAVAILABLE and a retryAfterMs from the batches ahead and the measured run time', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 2, maxQueueSize: 3, clock });
    const a = h.batcher.submit(['a1', 'a2']);
    await settle();
    const b = h.batcher.submit(['b1', 'b2', 'b3']);
    // 1 running + ceil(3 / 2) queued = 3 batches ahead, no run measured yet: 3 x 1000 ms.
    await assert.rejects(h.batcher.submit(['c1']), {
      name: 'UnavailableError',
      code: 'UNAVAILABLE',
      retryAfterMs: 3000,
    });
    clock.advance(40);
    h.release(0);
    await settle();
    // [b1, b2] running, [b3] queued: 2 batches ahead x 40 ms.
    await assert.rejects(h.batcher.submit(['c1', 'c2', 'c3']), { code: 'UNAVAILABLE', retryAfterMs: 80 });
    h.release(1);
    await settle();
    h.release(2);
    assert.deepStrictEqual(await Promise.all([a, b]), [
      ['A1', 'A2'],
      ['B1', 'B2', 'B3'],
    ]);
  });

  const retryCases = [
    { queueDepth: 0, inFlightBatches: 0, maxBatchSize: 16, maxConcurrentBatches: 1, runMs: 100, retryAfterMs: 1 },
    { queueDepth: 16, inFlightBatches: 1, maxBatchSize: 16, maxConcurrentBatches: 1, runMs: 100, retryAfterMs: 200 },
    { queueDepth: 17, inFlightBatches: 1, maxBatchSize: 16, maxConcurrentBatches: 1, runMs: 100, retryAfterMs: 300 },
    { queueDepth: 32, inFlightBatches: 2, maxBatchSize: 16, maxConcurrentBatches: 2, runMs: 100, retryAfterMs: 200 },
    { queueDepth: 1, inFlightBatches: 0, maxBatchSize: 16, maxConcurrentBatches: 1, runMs: 7.3, retryAfterMs: 8 },
  ];
  for (const { queueDepth, inFlightBatches, runMs, retryAfterMs, ...limits } of retryCases) {
    test(`estimates retryAfterMs ${retryAfterMs} for ${queueDepth} queued, ${inFlightBatches} running, ${runMs} ms/run`, () => {
      assert.equal(estimateRetryAfterMs(queueDepth, inFlightBatches, limits, runMs), retryAfterMs);
    });
  }

  test('refuses limits out of range, naming each', () => {
    const run = async (items: string[]) => items;
    assert.throws(() => createBatcher({ maxBatchSize: 0, maxQueueSize: 0.5, run }), {
      name: 'RangeError',
      message: 'invalid batcher limits: maxBatchSize 0: need >= 1; maxQueueSize 0.5: need >= 1',
    });
  });
});

describe('cancellation and deadlines', () => {
  test('drops the queued items of an aborted request and rejects it with CANCELLED', async () => {
    const h = createHarness({ maxBatchSize: 3 });
    const a = h.batcher.submit(['a1']);
    await settle();
    const controller = new AbortController();
    const b = h.batcher.submit(['b1', 'b2'], { signal: controller.signal });
    const c = h.batcher.submit(['c1']);
    controller.abort();
    await assert.rejects(b, { code: 'CANCELLED' });
    assert.equal(h.batcher.queueDepth, 1);
    h.release(0);
    await settle();
    h.release(1);
    assert.deepStrictEqual(await Promise.all([a, c]), [['A1'], ['C1']]);
    assert.deepStrictEqual([h.calls, h.rejects], [[['a1'], ['c1']], ['cancelled']]);
  });

  test('rejects a request aborted mid-run at once; the run still completes for the others', async () => {
    const h = createHarness({ maxBatchSize: 3 });
    const controller = new AbortController();
    const a = h.batcher.submit(['a1', 'a2', 'a3', 'a4'], { signal: controller.signal });
    const b = h.batcher.submit(['b1']);
    const c = h.batcher.submit(['c1']);
    await settle();
    assert.deepStrictEqual(h.calls, [['a1', 'a2', 'a3']]);
    controller.abort();
    await assert.rejects(a, { code: 'CANCELLED' }); // before the run settles
    assert.deepStrictEqual([h.batcher.inFlightBatches, h.batcher.queueDepth], [1, 2]);
    h.release(0);
    await settle();
    h.release(1);
    assert.deepStrictEqual(await Promise.all([b, c]), [['B1'], ['C1']]);
    assert.deepStrictEqual(h.calls, [
      ['a1', 'a2', 'a3'],
      ['b1', 'c1'],
    ]);
  });

  test('after a cancellation, measures maxDelayMs from the oldest item still queued', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 3, maxDelayMs: 10, clock });
    const controller = new AbortController();
    const a = h.batcher.submit(['a1'], { signal: controller.signal });
    clock.advance(6);
    const b = h.batcher.submit(['b1']);
    await settle();
    controller.abort();
    await assert.rejects(a, { code: 'CANCELLED' });
    clock.advance(4); // a would have waited 10 ms, b has waited 4
    assert.deepStrictEqual(h.calls, []);
    clock.advance(6);
    assert.deepStrictEqual(h.calls, [['b1']]);
    h.release(0);
    assert.deepStrictEqual(await b, ['B1']);
  });

  test('fails a queued request with DEADLINE_EXCEEDED when its deadline timer fires', async () => {
    const clock = createFakeClock();
    const h = createHarness({ clock });
    const a = h.batcher.submit(['a1']);
    await settle();
    const b = h.batcher.submit(['b1'], { deadline: clock.now() + 50 });
    const bRejected = assert.rejects(b, { code: 'DEADLINE_EXCEEDED' });
    clock.advance(49);
    await settle();
    assert.equal(h.batcher.queueDepth, 1);
    clock.advance(1);
    await bRejected;
    assert.deepStrictEqual([h.batcher.queueDepth, clock.pendingTimers, h.rejects], [0, 0, ['deadline']]);
    h.release(0);
    await a;
    await settle();
    assert.deepStrictEqual(h.calls, [['a1']]);
  });

  test('re-arms the deadline timer for deadlines beyond what one Node timer can hold', async () => {
    const clock = createFakeClock();
    const h = createHarness({ clock });
    void h.batcher.submit(['a1']); // keeps the runner busy
    await settle();
    const b = h.batcher.submit(['b1'], { deadline: clock.now() + 2 ** 31 + 10 });
    const bRejected = assert.rejects(b, { code: 'DEADLINE_EXCEEDED' });
    clock.advance(1);
    assert.equal(clock.timersSet, 1); // not a 1 ms overflow timer that keeps firing
    clock.advance(2 ** 31 - 1);
    await settle();
    assert.deepStrictEqual([h.batcher.queueDepth, clock.pendingTimers], [1, 1]);
    clock.advance(10);
    await bRejected;
  });

  test('clears the deadline timer and the abort listener when a request completes', async () => {
    const clock = createFakeClock();
    const h = createHarness({ clock });
    const controller = new AbortController();
    const a = h.batcher.submit(['a1'], { deadline: clock.now() + 50, signal: controller.signal });
    await settle();
    assert.equal(clock.pendingTimers, 1);
    h.release(0);
    assert.deepStrictEqual(await a, ['A1']);
    assert.equal(clock.pendingTimers, 0);
    controller.abort(); // must not reach the settled request
    assert.deepStrictEqual(h.rejects, []);
  });

  test('leaves no timer running with the system clock after a request with a deadline completes', async () => {
    const countTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = countTimeouts();
    const h = createHarness({ maxDelayMs: 60_000, maxBatchSize: 1 });
    const a = h.batcher.submit(['a1'], { deadline: Date.now() + 60_000 });
    assert.equal(countTimeouts(), before + 1);
    await settle();
    h.release(0);
    assert.deepStrictEqual(await a, ['A1']);
    assert.equal(countTimeouts(), before);
  });
});

describe('failure isolation', () => {
  /** A batcher whose engine fails any run that contains a poisoned item. */
  function createPoisonedBatcher(poisoned: string, error: Error) {
    const calls: string[][] = [];
    const batcher = createBatcher<string, string>({
      maxBatchSize: 4,
      maxDelayMs: 0,
      run: async (items) => {
        calls.push(items);
        if (items.includes(poisoned)) throw error;
        return upper(items);
      },
    });
    return { batcher, calls };
  }

  test('re-runs each request of a failed batch alone, so only the failing request gets the error', async () => {
    const poison = new Error('bad latent');
    const { batcher, calls } = createPoisonedBatcher('b1', poison);
    const results = await Promise.allSettled([
      batcher.submit(['a1']),
      batcher.submit(['b1', 'b2']),
      batcher.submit(['c1']),
    ]);
    assert.deepStrictEqual(calls, [['a1', 'b1', 'b2', 'c1'], ['a1'], ['b1', 'b2'], ['c1']]);
    assert.deepStrictEqual(results, [
      { status: 'fulfilled', value: ['A1'] },
      { status: 'rejected', reason: poison },
      { status: 'fulfilled', value: ['C1'] },
    ]);
    assert.equal((results[1] as PromiseRejectedResult).reason, poison); // the same object, unwrapped
  });

  test('passes a lone request its error unchanged without a re-run and drops its queued items', async () => {
    const h = createHarness({ maxBatchSize: 2 });
    const a = h.batcher.submit(['a1', 'a2', 'a3']);
    await settle();
    const error = new Error('engine fell over');
    h.fail(0, error);
    await assert.rejects(a, (e) => e === error);
    await settle();
    assert.deepStrictEqual([h.calls, h.batcher.queueDepth], [[['a1', 'a2']], 0]);
  });

  test('re-runs the survivors when a request cancelled mid-run held the failing item', async () => {
    const { batcher, calls } = createPoisonedBatcher('b1', new Error('bad latent'));
    const controller = new AbortController();
    const a = batcher.submit(['a1']);
    const b = batcher.submit(['b1'], { signal: controller.signal });
    queueMicrotask(() => controller.abort()); // after the run has started, before it fails
    await assert.rejects(b, { code: 'CANCELLED' });
    assert.deepStrictEqual(await a, ['A1']);
    assert.deepStrictEqual(calls, [['a1', 'b1'], ['a1']]);
  });

  const badRuns = [
    {
      name: 'throws synchronously',
      run: (): Promise<string[]> => {
        throw new Error('sync');
      },
      message: 'sync',
    },
    { name: 'returns too few outputs', run: async () => ['A1'], message: 'run returned 1 outputs for 2 items' },
  ];
  for (const { name, run, message } of badRuns) {
    test(`rejects the request when run ${name}`, async () => {
      const batcher = createBatcher<string, string>({ maxDelayMs: 0, run });
      await assert.rejects(batcher.submit(['a1', 'a2']), { message });
      assert.equal(batcher.inFlightBatches, 0);
    });
  }
});

describe('drain and close', () => {
  test('refuses new work while draining, finishes all accepted work at once, then resolves true', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 2, maxDelayMs: 1000, clock });
    const a = h.batcher.submit(['a1', 'a2']);
    const b = h.batcher.submit(['b1']); // would wait 1000 ms for company
    await settle();
    const drained = h.batcher.drain(5000);
    await assert.rejects(h.batcher.submit(['c1']), { code: 'UNAVAILABLE', retryAfterMs: 0 });
    h.release(0);
    await settle();
    assert.deepStrictEqual(h.calls, [['a1', 'a2'], ['b1']]);
    h.release(1);
    assert.deepStrictEqual(await Promise.all([a, b]), [['A1', 'A2'], ['B1']]);
    assert.equal(await drained, true);
    assert.equal(clock.pendingTimers, 0);
  });

  test('drain resolves false at its timeout; close then rejects what is left and waits for the runs in flight', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 1, clock });
    const aRejected = assert.rejects(h.batcher.submit(['a1']), { code: 'UNAVAILABLE' });
    const bRejected = assert.rejects(h.batcher.submit(['b1']), { code: 'UNAVAILABLE' });
    await settle();
    const drained = h.batcher.drain(100);
    clock.advance(100);
    assert.equal(await drained, false);
    let closed = false;
    const closing = h.batcher.close().then(() => {
      closed = true;
    });
    await Promise.all([aRejected, bRejected]);
    await settle();
    assert.equal(closed, false); // a1 is still running
    h.release(0);
    await closing;
    assert.deepStrictEqual([h.calls, h.rejects, clock.pendingTimers], [[['a1']], ['closed', 'closed'], 0]);
  });

  test('drain of an idle batcher resolves true at once', async () => {
    const clock = createFakeClock();
    const h = createHarness({ clock });
    assert.equal(await h.batcher.drain(100), true);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('hooks', () => {
  test('reports each batch with per-item queue waits and run time, and every queue depth change', async () => {
    const clock = createFakeClock();
    const batches: BatchInfo[] = [];
    const depths: number[] = [];
    const hooks = { onBatch: (info: BatchInfo) => batches.push(info), onQueueDepth: (d: number) => depths.push(d) };
    const h = createHarness({ maxBatchSize: 2, clock, hooks });
    const a = h.batcher.submit(['a1']);
    clock.advance(5);
    const b = h.batcher.submit(['b1', 'b2']);
    await settle();
    clock.advance(30);
    h.release(0);
    await settle();
    h.release(1);
    await Promise.all([a, b]);
    assert.deepStrictEqual(batches, [
      { size: 2, queueWaitMs: [5, 0], runMs: 30, failed: false },
      { size: 1, queueWaitMs: [30], runMs: 0, failed: false },
    ]);
    assert.deepStrictEqual(depths, [1, 3, 1, 0]);
  });

  test('a throwing hook neither loses the request nor stops the batcher', async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    const hooks = {
      onQueueDepth() {
        throw new Error('metrics broke');
      },
    };
    const batcher = createBatcher<string, string>({ maxDelayMs: 0, run: async (items) => upper(items), hooks });
    assert.deepStrictEqual(await batcher.submit(['a1']), ['A1']);
    await settle();
    assert.deepStrictEqual(warnings, ['a batcher hook threw: metrics broke', 'a batcher hook threw: metrics broke']);
  });
});

describe('per-request timing', () => {
  test('reports each request its wait for its first batch and the span of its batches, before it resolves', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 2, clock });
    const timings: Record<string, TicketTiming> = {};
    const a = h.batcher.submit(['a1'], { onTiming: (t) => (timings.a = t) });
    clock.advance(5); // before the batch starts (in a microtask), so a waited 5 ms for it
    // b is split: b1 rides in a's batch, b2 in the next one
    const b = h.batcher.submit(['b1', 'b2'], { onTiming: (t) => (timings.b = t) });
    await settle();
    clock.advance(30);
    h.release(0);
    assert.deepStrictEqual(await a, ['A1']);
    assert.deepStrictEqual(timings.a, { queueMs: 5, runMs: 30 });
    await settle();
    assert.equal(timings.b, undefined, 'not before the request resolves');
    clock.advance(20);
    h.release(1);
    await b;
    assert.deepStrictEqual(timings.b, { queueMs: 0, runMs: 50 });
    const c = h.batcher.submit(['c1'], { onTiming: (t) => (timings.c = t) });
    const d = h.batcher.submit(['d1', 'd2'], { onTiming: (t) => (timings.d = t) });
    await settle();
    clock.advance(10);
    h.release(2);
    await settle();
    clock.advance(7);
    h.release(3);
    await Promise.all([c, d]);
    assert.deepStrictEqual(timings.c, { queueMs: 0, runMs: 10 });
    assert.deepStrictEqual(timings.d, { queueMs: 0, runMs: 17 }, 'd1 ran with c1, d2 in the next batch');
  });

  test('a request that waited behind a busy runner reports the wait as queue time', async () => {
    const clock = createFakeClock();
    const h = createHarness({ maxBatchSize: 1, clock });
    const first = h.batcher.submit(['a']);
    let timing: TicketTiming | undefined;
    const second = h.batcher.submit(['b'], { onTiming: (t) => (timing = t) });
    await settle();
    clock.advance(40);
    h.release(0);
    await first;
    await settle();
    clock.advance(15);
    h.release(1);
    await second;
    assert.deepStrictEqual(timing, { queueMs: 40, runMs: 15 });
  });

  test('a throwing onTiming is reported as a warning and the request still resolves', async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    const batcher = createBatcher<string, string>({ maxDelayMs: 0, run: async (items) => upper(items) });
    const onTiming = () => {
      throw new Error('timing broke');
    };
    assert.deepStrictEqual(await batcher.submit(['a1'], { onTiming }), ['A1']);
    await settle();
    assert.deepStrictEqual(warnings, ['a batcher hook threw: timing broke']);
  });

  test('a failed or cancelled request gets no timing', async () => {
    const h = createHarness();
    let calls = 0;
    const onTiming = () => calls++;
    const failing = h.batcher.submit(['x'], { onTiming });
    await settle();
    h.fail(0, new Error('engine down'));
    await assert.rejects(failing, /engine down/);
    const controller = new AbortController();
    const cancelled = h.batcher.submit(['y'], { onTiming, signal: controller.signal });
    controller.abort();
    await assert.rejects(cancelled, { code: 'CANCELLED' });
    assert.equal(calls, 0);
  });
});

describe('invariants under a seeded random workload', () => {
  test('settles every request exactly once with its own outputs, within the batch and concurrency limits', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // LCG: the same workload on every run
      return seed / 2 ** 31;
    };
    const limits = { maxBatchSize: 4, maxConcurrentBatches: 2, maxQueueSize: 20, maxDelayMs: 0 };
    let running = 0;
    let maxRunning = 0;
    const sizes: number[] = [];
    const batcher = createBatcher<string, string>({
      ...limits,
      run: async (items) => {
        sizes.push(items.length);
        maxRunning = Math.max(maxRunning, ++running);
        for (let i = Math.floor(random() * 5); i > 0; i--) await settle();
        running--;
        if (items.some((x) => x.endsWith('!'))) throw new Error('poisoned');
        return upper(items);
      },
    });
    const outcomes = Array.from({ length: 200 }, async (_, r) => {
      for (let i = r + Math.floor(random() * 3); i > 0; i--) await settle(); // about one arrival per turn
      const poisoned = random() < 0.1;
      const items = Array.from(
        { length: 1 + Math.floor(random() * 6) },
        (_, i) => `r${r}i${i}${poisoned && i === 0 ? '!' : ''}`,
      );
      const controller = new AbortController();
      if (random() < 0.1) setImmediate(() => controller.abort());
      try {
        const outputs = await batcher.submit(items, { signal: controller.signal });
        assert.deepStrictEqual(outputs, upper(items));
        assert.ok(!poisoned);
        return 'ok';
      } catch (e) {
        return (e as { code?: string }).code ?? (e as Error).message;
      }
    });
    const counts: Record<string, number> = {};
    for (const outcome of await Promise.all(outcomes)) counts[outcome] = (counts[outcome] ?? 0) + 1;
    assert.equal(await batcher.drain(1000), true);
    assert.equal(Math.max(...sizes), limits.maxBatchSize);
    assert.equal(maxRunning, limits.maxConcurrentBatches);
    assert.deepStrictEqual(Object.keys(counts).sort(), ['CANCELLED', 'UNAVAILABLE', 'ok', 'poisoned']);
    assert.deepStrictEqual([batcher.queueDepth, batcher.inFlightBatches], [0, 0]);
  });
});
