/**
 * The batcher's only view of time: a clock that reads milliseconds and sets one-shot timers. Tests
 * inject a fake one and advance it by hand (Node 20's mock timers are experimental, STYLE.md §7).
 */

/** Reads time in ms and schedules one-shot timers in the same units. */
export interface Clock {
  /** Milliseconds since the Unix epoch (or any origin the caller's deadlines also use). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(timer: unknown): void;
}

/**
 * Wall-clock epoch ms with sub-ms resolution that never steps backwards: `performance.timeOrigin` is
 * fixed at start-up, so deadlines computed with `Date.now()` (gRPC deadlines) compare correctly.
 */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
