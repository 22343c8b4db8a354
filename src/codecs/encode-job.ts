/**
 * One encoding request as plain data, so that it can cross a worker boundary, and the function that
 * runs it (on whatever thread calls it).
 */
import { encodeExr } from './exr.js';
import { encodeMesh, type MeshJob } from './mesh.js';
import { encodeNpy, type NpyDtype } from './npy.js';
import { encodePng, type PngChannels } from './png.js';
import { createZip, type ZipEntry } from './zip.js';

/** A PNG, NPY, EXR, ZIP or mesh encoding, with the same arguments as the direct functions. */
export type EncodeJob =
  | MeshJob
  | { kind: 'png'; pixels: Uint8Array | Uint16Array; width: number; height: number; channels: PngChannels }
  | { kind: 'npy'; data: Float32Array | Uint8Array | Uint16Array; shape: number[]; dtype: NpyDtype }
  | { kind: 'exr'; data: Float32Array; width: number; height: number; channels: 3; half?: boolean }
  | { kind: 'zip'; entries: ZipEntry[]; compress?: boolean };

/** Typed arrays a job may carry. */
export type JobArray = Uint8Array | Uint16Array | Float32Array;

/** Runs a job on the current thread. */
export async function runEncodeJob(job: EncodeJob): Promise<Uint8Array> {
  switch (job.kind) {
    case 'png':
      return encodePng(job.pixels, job.width, job.height, job.channels);
    case 'npy':
      return encodeNpy(job.data, job.shape, job.dtype);
    case 'exr':
      return encodeExr(job.data, job.width, job.height, job.channels, { half: job.half ?? false });
    case 'zip':
      return createZip(job.entries, { compress: job.compress ?? false });
    case 'mesh':
      return encodeMesh(job);
    default:
      throw new RangeError(`runEncodeJob: unknown job kind ${JSON.stringify((job as { kind: unknown }).kind)}`);
  }
}

/** The same job with every typed array replaced by `map(array)`. */
export function mapJobArrays(job: EncodeJob, map: <T extends JobArray>(array: T) => T): EncodeJob {
  switch (job.kind) {
    case 'png':
      return { ...job, pixels: map(job.pixels) };
    case 'npy':
      return { ...job, data: map(job.data) };
    case 'exr':
      return { ...job, data: map(job.data) };
    case 'zip':
      return { ...job, entries: job.entries.map((e) => ({ ...e, data: map(e.data) })) };
    case 'mesh':
      // the topology is shared between jobs: it is cloned, never transferred
      return { ...job, shape: map(job.shape), texture: map(job.texture), normals: map(job.normals) };
    default:
      return job;
  }
}
