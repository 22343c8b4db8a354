export { encodeGlb, GLB_DEFAULTS, type GlbMetadata, type GlbOptions } from './glb.js';
export { encodeObj, OBJ_DEFAULTS, type ObjOptions, type ZipEntry } from './obj.js';
export { encodePly, type PlyOptions } from './ply.js';
