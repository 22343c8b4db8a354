export {
  BUILTIN_TOPOLOGY_NAMES,
  type BuiltinTopologyName,
  builtinTopology,
  isBuiltinTopologyName,
  mediapipeCanonicalTopology,
} from './builtin-topologies.js';
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
