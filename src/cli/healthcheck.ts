/**
 * `node dist/cli/healthcheck.js`: the container image's HEALTHCHECK. Exits 0 when this container's
 * server answers `/v2/health/ready` with 200, 1 otherwise (not listening yet, loading, draining).
 * It reads the same `TBGAN_*` environment as the server, so a changed port is followed; ports given
 * as command-line flags to the server are not (the healthcheck cannot see them): use the environment.
 */
import { type Config, loadConfig } from '../config.js';

/** How long one check waits for an answer; Docker's own `--timeout` is the outer bound. */
export const HEALTHCHECK_TIMEOUT_MS = 3000;

/** The readiness URL of the server this configuration describes, as seen from inside its container. */
export function readinessUrl(http: Pick<Config['http'], 'host' | 'port'>): string {
  // A wildcard listen address is reachable on loopback; a specific one only on itself.
  const host = http.host === '0.0.0.0' ? '127.0.0.1' : http.host === '::' ? '[::1]' : http.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${http.port}/v2/health/ready`;
}

/** True when the server at `url` says it is ready. */
export async function checkReady(url: string, timeoutMs = HEALTHCHECK_TIMEOUT_MS): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false; // refused, reset or timed out: not ready
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = readinessUrl(loadConfig(process.env).http);
  const ready = await checkReady(url);
  if (!ready) console.error(`not ready: ${url}`);
  process.exit(ready ? 0 : 1);
}
