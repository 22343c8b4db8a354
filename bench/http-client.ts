/**
 * A lean HTTP/1.1 client for the benchmarks: node:http over keep-alive connections. fetch (undici)
 * spends about 0.5 ms of client CPU per request on its WHATWG streams (measured on the 2-core
 * machine of bench/NOTES.md), which would count against the server in "added latency".
 */
import { Agent, request } from 'node:http';

/** A response read to its end. */
export interface BenchResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** A client with up to `connections` keep-alive connections. */
export function createBenchClient(connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    post(url: string, body: string, headers: Record<string, string>): Promise<BenchResponse> {
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => {
              bytes += chunk.byteLength;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
