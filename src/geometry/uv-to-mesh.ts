/**
 * UV shape map -> mesh positions. The official TBGAN test code (research/tbgan.md §3.4) blurs the
 * shape map with scipy's gaussian_filter (sigma 3 px at 512, mode 'reflect', truncate 4) and reads one
 * texel per vertex, truncating (1 - v_up) * R and u * R toward zero. `official` mode reproduces that;
 * `bilinear` interpolates the (optionally blurred) map between texel centres instead.
 */
import { gaussianBlurTexels } from './gaussian-blur.js';
import { assertMap, assertResolution, assertTopology, type Mesh, type Topology } from './topology.js';
import { gatherTaps, sampleTaps } from './uv-sample.js';

/** `official`: blur, then nearest texel (TBGAN's code). `bilinear`: blur, then bilinear interpolation. */
export type UvToMeshMode = 'official' | 'bilinear';

/** The modes uvToMesh accepts. */
export const UV_TO_MESH_MODES: readonly UvToMeshMode[] = ['official', 'bilinear'];

/** Options of uvToMesh. */
export interface UvToMeshOptions {
  mode?: UvToMeshMode;
  /** Gaussian sigma in texels of this map; default officialSigmaPx(R); 0 turns the blur off. */
  sigmaPx?: number;
}

/** Defaults of uvToMesh: the official sigma is 3 px at 512 px, scaled with the map's resolution. */
export const UV_TO_MESH_DEFAULTS = { mode: 'official', sigmaPxAt512: 3 } as const;

/** The official blur sigma for an R x R map: 3 px at 512, proportional to R (1.5 px at 256). */
export function officialSigmaPx(resolutionPx: number): number {
  return (UV_TO_MESH_DEFAULTS.sigmaPxAt512 * resolutionPx) / 512;
}

// topologies are immutable by contract and built once, so each is validated once (a 256 grid: 250k indices)
const checkedTopologies = new WeakSet<Topology>();

/**
 * Turns a generated shape map into a mesh on `topology`: positions [V, 3] in the map's units; uvs and
 * indices are the topology's own arrays (shared, not copied).
 * @param shape [R, R, 3] float32 XYZ per texel, row-major, row 0 at the top (v = 0).
 */
export function uvToMesh(
  shape: Float32Array,
  resolutionPx: number,
  topology: Topology,
  options: UvToMeshOptions = {},
): Mesh {
  if (!(shape instanceof Float32Array)) throw new TypeError('uvToMesh: shape must be a Float32Array [R, R, 3]');
  assertResolution(resolutionPx);
  assertMap(shape, resolutionPx, 3, 'shape');
  if (!checkedTopologies.has(topology)) {
    assertTopology(topology);
    checkedTopologies.add(topology);
  }
  const mode = options.mode ?? UV_TO_MESH_DEFAULTS.mode;
  if (!UV_TO_MESH_MODES.includes(mode)) {
    throw new TypeError(`uvToMesh: options.mode must be one of ${UV_TO_MESH_MODES.join(', ')}, got '${mode}'`);
  }
  const sigmaPx = options.sigmaPx ?? officialSigmaPx(resolutionPx);
  if (!(Number.isFinite(sigmaPx) && sigmaPx >= 0)) {
    throw new RangeError(`uvToMesh: options.sigmaPx must be a finite number >= 0, got ${sigmaPx}`);
  }

  const taps = sampleTaps(topology.uvs, resolutionPx, mode === 'official' ? 'nearest' : 'bilinear');
  const blurred = gaussianBlurTexels(shape, resolutionPx, sigmaPx, taps.texels); // [taps, 3]
  const positions = gatherTaps(blurred, 3, taps, 'tap');

  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) {
      const vertex = Math.floor(i / 3);
      throw new RangeError(`uvToMesh: shape gives vertex ${vertex} a non-finite position (NaN or Infinity in the map)`);
    }
  }
  return { positions, uvs: topology.uvs, indices: topology.indices };
}
