/** Bytes out: PNG, NPY, EXR and ZIP encoders (pure: typed arrays in, bytes out) and the pool that runs them in workers. */
export { type EncodeJob, runEncodeJob } from './encode-job.js';
export {
  createEncodePool,
  ENCODE_POOL_DEFAULTS,
  type EncodeOptions,
  type EncodePool,
  type EncodePoolOptions,
} from './encode-pool.js';
export { EXR_DEFAULTS, type ExrOptions, encodeExr } from './exr.js';
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype } from './npy.js';
export { encodePng, PNG_OPTIONS, type PngChannels } from './png.js';
export { assertSafeZipName, createZip, ZIP_DEFAULTS, type ZipArchiveOptions, type ZipEntry } from './zip.js';
