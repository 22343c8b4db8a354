/**
 * The `Server-Timing` value of a call (W3C Server Timing; gRPC sends it as `server-timing` response
 * metadata): where the server spent its time, so clients and benchmarks can tell the engine and the
 * encoders apart from the network and their own work. Only phases the call reached are listed.
 */
import type { CallTiming } from '../service/index.js';

const METRICS: readonly [keyof CallTiming, string][] = [
  ['queueMs', 'queue'],
  ['inferenceMs', 'inference'],
  ['encodeMs', 'encode'],
];

/** `queue;dur=0.12, inference;dur=41.3, encode;dur=9.87` (durations in ms). */
export function formatServerTiming(timing: CallTiming): string {
  return METRICS.flatMap(([key, name]) => {
    const ms = timing[key];
    return ms === undefined ? [] : [`${name};dur=${Number(ms.toFixed(2))}`];
  }).join(', ');
}

/** Parses a Server-Timing value into durations by metric name (entries without `dur` are skipped). */
export function parseServerTiming(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of value.split(',')) {
    const [name, ...params] = entry.split(';').map((s) => s.trim());
    const dur = params.find((p) => p.startsWith('dur='));
    if (name && dur) out[name] = Number(dur.slice(4));
  }
  return out;
}
