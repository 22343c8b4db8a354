/** Bytes out: PNG, NPY, EXR, ZIP, GLB, OBJ and PLY encoders, and the pool that runs them in workers. */
export { type EncodeJob, runEncodeJob } from './encode-job.js';
export {
  createEncodePool,
  ENCODE_POOL_DEFAULTS,
  type EncodeOptions,
  type EncodePool,
  type EncodePoolOptions,
} from './encode-pool.js';
export { EXR_DEFAULTS, type ExrOptions, encodeExr } from './exr.js';
export { encodeGlb, GLB_DEFAULTS, type GlbMetadata, type GlbOptions } from './glb.js';
export { encodeMesh, type MeshFormat, type MeshJob } from './mesh.js';
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype } from './npy.js';
export { encodeObj, OBJ_DEFAULTS, type ObjOptions } from './obj.js';
export { encodePly, type PlyOptions } from './ply.js';
export { encodePng, PNG_OPTIONS, type PngChannels } from './png.js';
export { assertSafeZipName, createZip, ZIP_DEFAULTS, type ZipArchiveOptions, type ZipEntry } from './zip.js';
