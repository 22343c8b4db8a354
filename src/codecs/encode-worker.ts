/** Worker-thread entry of the encode pool (piscina calls the default export once per job). */
import { move } from 'piscina';
import { type EncodeJob, runEncodeJob } from './encode-job.js';

/** Encodes one job and moves (transfers, not copies) the bytes back to the caller's thread. */
export default async function encodeInWorker(job: EncodeJob): Promise<unknown> {
  let bytes = await runEncodeJob(job);
  // Transfer only a buffer the bytes own whole: a view into a larger (or pooled) buffer is copied first.
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
  return move(bytes);
}
