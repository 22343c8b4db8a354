/**
 * DESIGN NOTES: one generic dynamic batcher (DESIGN.md decision 6; research/serving.md A.1, A.5, A.6, A.8).
 *
 * - Unit of work is the item; a request ("ticket") submits several. The queue is FIFO over tickets and
 *   a batch takes items from its head, so a ticket may be split across runs (count > maxBatchSize, or
 *   a partly full batch) and several tickets share one run. A ticket resolves once all its items have.
 * - When a batch starts (Triton `max_queue_delay_microseconds`, Ray `batch_wait_timeout_s`): when
 *   `maxBatchSize` items wait, or the oldest has waited `maxDelayMs`, and never while
 *   `maxConcurrentBatches` runs are in flight; items keep arriving meanwhile, so under load batches
 *   fill up. The check runs in a microtask, so submits of the same tick share a batch even with
 *   `maxDelayMs: 0`. While draining, nothing more can arrive, so queued items start at once.
 * - Load shedding (Triton `max_queue_size`, A.8): the bound counts waiting items, not requests or
 *   running items. A submit that would pass it fails at once with UNAVAILABLE and
 *   `retryAfterMs = ceil((inFlightBatches + ceil(queueDepth / maxBatchSize)) / maxConcurrentBatches)
 *   * runMsEstimate`: the batches ahead of it, spread over the runners, times an exponential moving
 *   average of run time (alpha 0.2; 1000 ms before the first run). A request larger than the whole
 *   queue can never fit: RESOURCE_EXHAUSTED, retrying will not help.
 * - Cancellation (A.6, STYLE.md §11.5): the abort signal and the deadline (a timer, always cleared when
 *   the ticket settles) reject the ticket at once with CANCELLED or DEADLINE_EXCEEDED and remove its
 *   queued items. Items already running cannot be recalled: the run finishes for the others and the
 *   ticket's outputs are dropped. A signal aborted with a `TimeoutError` (AbortSignal.timeout) counts
 *   as a deadline.
 * - Isolation: if `run` rejects for a batch that held items of more than one ticket, each still-live
 *   ticket's items are re-run alone, one after another in the same runner slot, so only the tickets
 *   whose own items fail get the error, unchanged (the adapters map it with ServiceError.from). Cost:
 *   when the whole engine is down, a failed batch of k tickets costs k more runs. Considered and
 *   rejected: failing the whole batch (one bad request fails strangers) and bisecting (fewer runs,
 *   but more code for a case that should be rare).
 * - Timing: a request may ask for its own `onTiming` (queue wait until its first batch, then the span
 *   to the end of its last), called once before it resolves: the adapters' Server-Timing.
 * - Drain (A.5) stops admission (UNAVAILABLE, retryAfterMs 0: another replica can take it) and
 *   resolves true once every accepted ticket has settled, or false at `timeoutMs` with work left;
 *   `close()` then rejects what is left with UNAVAILABLE and waits for the runs still in flight.
 */
import { ServiceError, UnavailableError } from '../errors.js';
import {
  assertBatcherLimits,
  BATCHER_DEFAULTS,
  type BatcherHooks,
  type BatcherLimits,
  type BatcherOptions,
  type RejectReason,
  type SubmitOptions,
} from './batcher-options.js';
import { SYSTEM_CLOCK } from './clock.js';

/** A running dynamic batcher. */
export interface Batcher<I, O> {
  /** Queues the items of one request; resolves with their outputs, in order, once all have run. */
  submit(items: readonly I[], options?: SubmitOptions): Promise<O[]>;
  /** Items waiting to run. */
  readonly queueDepth: number;
  /** Runs in flight, at most `maxConcurrentBatches`. */
  readonly inFlightBatches: number;
  /** Stops admission and finishes all accepted work: true once idle, false if `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops admission, rejects every pending request with UNAVAILABLE, and waits for runs in flight. */
  close(): Promise<void>;
}

/** The run-time estimate used before any run has finished. */
const INITIAL_RUN_MS_ESTIMATE = 1000;
const RUN_MS_EWMA_ALPHA = 0.2;
/** Node's setTimeout fires after 1 ms for longer delays, so far deadlines re-arm in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** How long a client turned away by a full queue should wait: batches ahead / runners x run time. */
export function estimateRetryAfterMs(
  queueDepth: number,
  inFlightBatches: number,
  limits: Pick<BatcherLimits, 'maxBatchSize' | 'maxConcurrentBatches'>,
  runMsEstimate: number,
): number {
  const batchesAhead = inFlightBatches + Math.ceil(queueDepth / limits.maxBatchSize);
  return Math.max(1, Math.ceil(Math.ceil(batchesAhead / limits.maxConcurrentBatches) * runMsEstimate));
}

/** One request in the batcher. Its items [nextIndex, length) are queued; the rest ran or are running. */
interface Ticket<I, O> {
  items: readonly I[];
  outputs: O[];
  nextIndex: number;
  doneCount: number;
  enqueuedAtMs: number;
  /** Start of the first batch that held its items. */
  startedAtMs?: number;
  onTiming?: SubmitOptions['onTiming'];
  resolve(outputs: O[]): void;
  reject(error: unknown): void;
  /** Removes the abort listener and clears the deadline timer. */
  release(): void;
}

/** Items [start, end) of one ticket inside one batch. */
interface Segment<I, O> {
  ticket: Ticket<I, O>;
  start: number;
  end: number;
}

type Attempt<O> = { ok: true; outputs: O[] } | { ok: false; error: unknown };

/** Creates a dynamic batcher around `run` (design notes at the top of this file). */
export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  const { run, clock = SYSTEM_CLOCK, hooks = {} } = options;
  const limits: BatcherLimits = {
    maxBatchSize: options.maxBatchSize ?? BATCHER_DEFAULTS.maxBatchSize,
    maxDelayMs: options.maxDelayMs ?? BATCHER_DEFAULTS.maxDelayMs,
    maxQueueSize: options.maxQueueSize ?? BATCHER_DEFAULTS.maxQueueSize,
    maxConcurrentBatches: options.maxConcurrentBatches ?? BATCHER_DEFAULTS.maxConcurrentBatches,
  };
  assertBatcherLimits(limits);

  const queue: Ticket<I, O>[] = []; // FIFO; only the head may be partly taken
  const live = new Set<Ticket<I, O>>(); // every accepted ticket not yet settled
  const runs = new Set<Promise<void>>();
  const idleWaiters = new Set<() => void>();
  let queueDepth = 0;
  let state: 'open' | 'draining' | 'closed' = 'open';
  let delayTimer: unknown;
  let pumpScheduled = false;
  let runMsEstimate = INITIAL_RUN_MS_ESTIMATE;
  let runsFinished = 0;

  /** Calls a hook (or a request's onTiming); they only observe, so one that throws must not leave a request unsettled. */
  function notify(call: (h: BatcherHooks) => void): void {
    try {
      call(hooks);
    } catch (e) {
      process.emitWarning(`a batcher hook threw: ${e instanceof Error ? e.message : String(e)}`, 'BatcherHookWarning');
    }
  }

  function setQueueDepth(delta: number): void {
    queueDepth += delta;
    notify((h) => h.onQueueDepth?.(queueDepth));
  }

  function rejectAtAdmission(reason: RejectReason, error: ServiceError): Promise<never> {
    notify((h) => h.onReject?.(reason));
    return Promise.reject(error);
  }

  function submit(items: readonly I[], { signal, deadline, onTiming }: SubmitOptions = {}): Promise<O[]> {
    if (state !== 'open') {
      const reason = state === 'draining' ? 'draining' : 'closed';
      return rejectAtAdmission(reason, new UnavailableError(`batcher is ${state}`, 0));
    }
    if (signal?.aborted) return rejectAtAdmission(abortReason(signal), abortError(signal));
    if (deadline !== undefined && deadline <= clock.now()) return rejectAtAdmission('deadline', deadlineError());
    if (items.length === 0) return Promise.resolve([]);
    if (items.length > limits.maxQueueSize) {
      const message = `${items.length} items exceed the queue size ${limits.maxQueueSize}`;
      return rejectAtAdmission('too_large', new ServiceError('RESOURCE_EXHAUSTED', message));
    }
    if (queueDepth + items.length > limits.maxQueueSize) {
      const retryAfterMs = estimateRetryAfterMs(queueDepth, runs.size, limits, runMsEstimate);
      return rejectAtAdmission('queue_full', new UnavailableError('queue full', retryAfterMs));
    }
    return new Promise<O[]>((resolve, reject) => {
      let deadlineTimer: unknown;
      const onAbort = () => settleWithError(ticket, abortError(signal as AbortSignal), abortReason(signal));
      const armDeadline = (deadlineAt: number) => {
        const delayMs = deadlineAt - clock.now();
        if (delayMs <= 0) settleWithError(ticket, deadlineError(), 'deadline');
        else deadlineTimer = clock.setTimeout(() => armDeadline(deadlineAt), Math.min(delayMs, MAX_TIMER_DELAY_MS));
      };
      const ticket: Ticket<I, O> = {
        items,
        outputs: new Array<O>(items.length),
        nextIndex: 0,
        doneCount: 0,
        enqueuedAtMs: clock.now(),
        ...(onTiming && { onTiming }),
        resolve,
        reject,
        release() {
          signal?.removeEventListener('abort', onAbort);
          if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer);
        },
      };
      live.add(ticket);
      queue.push(ticket);
      setQueueDepth(items.length);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined && Number.isFinite(deadline)) armDeadline(deadline);
      schedulePump();
    });
  }

  /** Rejects a ticket now and drops its queued items; outputs of its running items will be ignored. */
  function settleWithError(ticket: Ticket<I, O>, error: unknown, reason?: RejectReason): void {
    if (!live.delete(ticket)) return;
    ticket.release();
    const queuedCount = ticket.items.length - ticket.nextIndex;
    if (queuedCount > 0) {
      queue.splice(queue.indexOf(ticket), 1);
      ticket.nextIndex = ticket.items.length;
      setQueueDepth(-queuedCount);
      schedulePump(); // the oldest item may have changed
    }
    if (reason) notify((h) => h.onReject?.(reason));
    ticket.reject(error);
    checkIdle();
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    queueMicrotask(pump);
  }

  /** Starts every batch that is due and a runner can take; otherwise arms the max-delay timer. */
  function pump(): void {
    pumpScheduled = false;
    if (delayTimer !== undefined) clock.clearTimeout(delayTimer);
    delayTimer = undefined;
    while (runs.size < limits.maxConcurrentBatches && queueDepth > 0) {
      const waitedMs = clock.now() - (queue[0] as Ticket<I, O>).enqueuedAtMs;
      if (state === 'open' && queueDepth < limits.maxBatchSize && waitedMs < limits.maxDelayMs) {
        delayTimer = clock.setTimeout(pump, limits.maxDelayMs - waitedMs);
        return;
      }
      startBatch(takeBatch());
    }
  }

  function takeBatch(): Segment<I, O>[] {
    const segments: Segment<I, O>[] = [];
    let size = 0;
    while (size < limits.maxBatchSize && queue.length > 0) {
      const ticket = queue[0] as Ticket<I, O>;
      const take = Math.min(limits.maxBatchSize - size, ticket.items.length - ticket.nextIndex);
      segments.push({ ticket, start: ticket.nextIndex, end: ticket.nextIndex + take });
      ticket.nextIndex += take;
      size += take;
      if (ticket.nextIndex === ticket.items.length) queue.shift();
    }
    setQueueDepth(-size);
    return segments;
  }

  function startBatch(segments: Segment<I, O>[]): void {
    const done: Promise<void> = executeBatch(segments).finally(() => {
      runs.delete(done);
      schedulePump();
      checkIdle();
    });
    runs.add(done);
  }

  async function executeBatch(segments: Segment<I, O>[]): Promise<void> {
    const startedAtMs = clock.now();
    for (const s of segments) s.ticket.startedAtMs ??= startedAtMs;
    const queueWaitMs = segments.flatMap((s) =>
      new Array<number>(s.end - s.start).fill(startedAtMs - s.ticket.enqueuedAtMs),
    );
    const first = await attempt(segments);
    const runMs = clock.now() - startedAtMs;
    runMsEstimate = runsFinished++ === 0 ? runMs : runMsEstimate + RUN_MS_EWMA_ALPHA * (runMs - runMsEstimate);
    notify((h) => h.onBatch?.({ size: queueWaitMs.length, queueWaitMs, runMs, failed: !first.ok }));
    if (first.ok) {
      deliver(segments, first.outputs);
      return;
    }
    if (segments.length === 1) {
      settleWithError((segments[0] as Segment<I, O>).ticket, first.error);
      return;
    }
    // Isolation: the batch mixed requests, so find out whose items fail by running each alone.
    for (const segment of segments) {
      if (!live.has(segment.ticket)) continue;
      const alone = await attempt([segment]);
      if (alone.ok) deliver([segment], alone.outputs);
      else settleWithError(segment.ticket, alone.error);
    }
  }

  async function attempt(segments: Segment<I, O>[]): Promise<Attempt<O>> {
    const items = segments.flatMap((s) => s.ticket.items.slice(s.start, s.end));
    try {
      const outputs = await run(items);
      if (outputs.length !== items.length)
        throw new Error(`run returned ${outputs.length} outputs for ${items.length} items`);
      return { ok: true, outputs };
    } catch (error) {
      return { ok: false, error };
    }
  }

  function deliver(segments: Segment<I, O>[], outputs: O[]): void {
    let offset = 0;
    for (const { ticket, start, end } of segments) {
      if (live.has(ticket)) {
        for (let i = start; i < end; i++) ticket.outputs[i] = outputs[offset + i - start] as O;
        ticket.doneCount += end - start;
        if (ticket.doneCount === ticket.items.length) {
          live.delete(ticket);
          ticket.release();
          const { onTiming, enqueuedAtMs, startedAtMs = enqueuedAtMs } = ticket;
          if (onTiming) {
            const endedAtMs = clock.now();
            notify(() => onTiming({ queueMs: startedAtMs - enqueuedAtMs, runMs: endedAtMs - startedAtMs }));
          }
          ticket.resolve(ticket.outputs);
        }
      }
      offset += end - start;
    }
  }

  function checkIdle(): void {
    if (live.size > 0 || runs.size > 0) return;
    for (const onIdle of idleWaiters) onIdle();
    idleWaiters.clear();
  }

  return {
    submit,
    get queueDepth() {
      return queueDepth;
    },
    get inFlightBatches() {
      return runs.size;
    },
    drain(timeoutMs) {
      if (state === 'open') state = 'draining';
      schedulePump(); // nothing more can arrive: start what waits for company
      if (live.size === 0 && runs.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = clock.setTimeout(() => {
          idleWaiters.delete(onIdle);
          resolve(false);
        }, timeoutMs);
        const onIdle = () => {
          clock.clearTimeout(timer);
          resolve(true);
        };
        idleWaiters.add(onIdle);
      });
    },
    async close() {
      state = 'closed';
      if (delayTimer !== undefined) clock.clearTimeout(delayTimer);
      delayTimer = undefined;
      for (const ticket of [...live]) settleWithError(ticket, new UnavailableError('batcher is closed', 0), 'closed');
      await Promise.allSettled([...runs]);
    },
  };
}

function abortReason(signal: AbortSignal | undefined): RejectReason {
  return signal?.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'deadline' : 'cancelled';
}

function abortError(signal: AbortSignal): ServiceError {
  return abortReason(signal) === 'deadline'
    ? new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded', { cause: signal.reason })
    : new ServiceError('CANCELLED', 'request cancelled', { cause: signal.reason });
}

function deadlineError(): ServiceError {
  return new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded');
}
