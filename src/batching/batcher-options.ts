/** Limits, defaults, hooks and per-request options of the dynamic batcher (the why is in batcher.ts). */
import type { Clock } from './clock.js';

/** The tunable limits of a batcher (the `batch` slice of the service config). */
export interface BatcherLimits {
  /** Items per engine run. */
  maxBatchSize: number;
  /** How long the oldest queued item may wait for more before a run starts; 0 = as soon as a runner is free. */
  maxDelayMs: number;
  /** Items waiting to run (not running); a submit that would exceed it is rejected UNAVAILABLE. */
  maxQueueSize: number;
  /** Runs in flight at once; a GPU may want 2 to overlap copies with compute. */
  maxConcurrentBatches: number;
}

/** Default limits: small batches and a short delay, tuned up per deployment (serving.md A.1). */
export const BATCHER_DEFAULTS: Readonly<BatcherLimits> = Object.freeze({
  maxBatchSize: 16,
  maxDelayMs: 2,
  maxQueueSize: 256,
  maxConcurrentBatches: 1,
});

/** Why the batcher turned a request away or gave up on it (run failures are not listed). */
export type RejectReason = 'queue_full' | 'too_large' | 'draining' | 'closed' | 'cancelled' | 'deadline';

/** One formed batch, reported after its first run settles (isolation re-runs are not reported). */
export interface BatchInfo {
  size: number;
  /** Per item, submit to batch start. */
  queueWaitMs: number[];
  runMs: number;
  failed: boolean;
}

/** Observers for metrics and logs; a hook that throws is reported as a process warning and ignored. */
export interface BatcherHooks {
  onBatch?(info: BatchInfo): void;
  onReject?(reason: RejectReason): void;
  onQueueDepth?(depthItems: number): void;
}

/** Options of `createBatcher`: limits (defaults in BATCHER_DEFAULTS), the runner, and observers. */
export interface BatcherOptions<I, O> extends Partial<BatcherLimits> {
  /** Runs one batch: one output per item, in order. */
  run: (items: I[]) => Promise<O[]>;
  clock?: Clock;
  hooks?: BatcherHooks;
}

/** Where one request's time went in the batcher, in `clock.now()` units (ms). */
export interface TicketTiming {
  /** From submit to the start of the first batch that held its items. */
  queueMs: number;
  /** From that start to the end of the last batch that held its items. */
  runMs: number;
}

/** Per-request options of `submit`. */
export interface SubmitOptions {
  signal?: AbortSignal;
  /** Absolute time in `clock.now()` units (epoch ms by default) after which the request fails. */
  deadline?: number;
  /** Called once, just before the request resolves, with where its time went. */
  onTiming?(timing: TicketTiming): void;
}

/** Throws a RangeError naming every limit out of range. */
export function assertBatcherLimits(limits: BatcherLimits): void {
  const problems: string[] = [];
  const { maxBatchSize, maxDelayMs, maxQueueSize, maxConcurrentBatches } = limits;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) problems.push(`maxBatchSize ${maxBatchSize}: need >= 1`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) problems.push(`maxDelayMs ${maxDelayMs}: need >= 0`);
  if (!Number.isInteger(maxQueueSize) || maxQueueSize < 1) problems.push(`maxQueueSize ${maxQueueSize}: need >= 1`);
  if (!Number.isInteger(maxConcurrentBatches) || maxConcurrentBatches < 1)
    problems.push(`maxConcurrentBatches ${maxConcurrentBatches}: need >= 1`);
  if (problems.length > 0) throw new RangeError(`invalid batcher limits: ${problems.join('; ')}`);
}
