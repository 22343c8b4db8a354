export {
  BUILTIN_TOPOLOGY_NAMES,
  type BuiltinTopologyName,
  builtinTopology,
  isBuiltinTopologyName,
  mediapipeCanonicalTopology,
} from './builtin-topologies.js';
export { GAUSSIAN_TRUNCATE, gaussianBlurMap, gaussianKernel1d } from './gaussian-blur.js';
export { computeVertexNormals, FALLBACK_NORMAL, sampleVertexNormals } from './normals.js';
export { TANGENT_SPACE_DEFAULTS, type TangentSpaceOptions, toTangentSpaceNormalMap } from './tangent-space.js';
export { computeTangents } from './tangents.js';
export { assertMesh, assertTopology, type Mesh, type Topology } from './topology.js';
export {
  parseTopologyFile,
  TOPOLOGY_FILE_FORMAT,
  TOPOLOGY_FILE_FORMAT_VERSION,
  type TopologyFile,
  toTopologyFile,
} from './topology-file.js';
export { createUvGridTopology, type UvGridOptions } from './uv-grid.js';
export { bakeUvMap, rasterizeUvMask } from './uv-raster.js';
export { type SampleMode, sampleMap, sampleVertexColors } from './uv-sample.js';
export {
  officialSigmaPx,
  UV_TO_MESH_DEFAULTS,
  UV_TO_MESH_MODES,
  type UvToMeshMode,
  type UvToMeshOptions,
  uvToMesh,
} from './uv-to-mesh.js';
