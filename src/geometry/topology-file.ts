/**
 * The topology file of a model package (manifest `topology: { kind: 'file', path }`): JSON that the
 * official-checkpoint converter writes from `512_UV_dict.pkl` and that our own training may ship.
 *
 *   {
 *     "format": "tbgan-topology", "formatVersion": 1,
 *     "name": "tbgan-official-crop",   // optional; defaults to the file name
 *     "vFlip": true,                   // optional, default false; true: v in this file points UP
 *                                      //   (origin bottom-left, as menpo tcoords and OBJ); we store 1 - v
 *     "uvs": [u0, v0, u1, v1, ...],    // flat, [V, 2], in [0, 1]
 *     "indices": [a0, b0, c0, ...],    // flat, [T, 3], integers in [0, V), counter-clockwise from outside
 *     "positions": [x0, y0, z0, ...]   // optional template xyz, flat [V, 3]
 *   }
 *
 * Flat arrays because they map one to one onto typed arrays and numpy's `ravel().tolist()`.
 */
import { z } from 'zod';
import { assertTopology, type Topology } from './topology.js';

export const TOPOLOGY_FILE_FORMAT = 'tbgan-topology';
export const TOPOLOGY_FILE_FORMAT_VERSION = 1;

const TopologyFileSchema = z.strictObject({
  format: z.literal(TOPOLOGY_FILE_FORMAT),
  formatVersion: z.literal(TOPOLOGY_FILE_FORMAT_VERSION),
  name: z.string().min(1).optional(),
  vFlip: z.boolean().optional(),
  uvs: z.array(z.number().min(0).max(1)).min(2),
  indices: z.array(z.number().int().nonnegative()).min(3),
  positions: z.array(z.number().finite()).optional(),
});

/** The JSON form of a topology, as written in a model package. */
export type TopologyFile = z.infer<typeof TopologyFileSchema>;

/**
 * Validates a parsed topology file and returns its Topology (v turned image-down). Throws one
 * TypeError that names `source` and lists every problem, with JSON paths.
 */
export function parseTopologyFile(json: unknown, source = 'topology.json'): Topology {
  const parsed = TopologyFileSchema.safeParse(json);
  const problems = parsed.success
    ? fileProblems(parsed.data)
    : parsed.error.issues.slice(0, 20).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new TypeError(`${source}: invalid topology file:\n- ${problems.join('\n- ')}`);
  }
  const file = parsed.data;
  const uvs = Float32Array.from(file.uvs);
  if (file.vFlip) for (let i = 1; i < uvs.length; i += 2) uvs[i] = 1 - (file.uvs[i] as number);
  const topology: Topology = {
    name: file.name ?? source.replace(/^.*[/\\]/, '').replace(/\.json$/, ''),
    uvs,
    indices: Uint32Array.from(file.indices),
    ...(file.positions ? { positions: Float32Array.from(file.positions) } : {}),
  };
  assertTopology(topology, source);
  return topology;
}

/** Problems the schema cannot see: lengths and index ranges. */
function fileProblems(file: TopologyFile): string[] {
  const problems: string[] = [];
  const vertexCount = Math.floor(file.uvs.length / 2);
  if (file.uvs.length % 2 !== 0) problems.push(`uvs: needs [V, 2] values, has ${file.uvs.length}`);
  if (file.indices.length % 3 !== 0) problems.push(`indices: needs [T, 3] values, has ${file.indices.length}`);
  const bad = file.indices.findIndex((i) => i >= vertexCount);
  if (bad >= 0) problems.push(`indices.${bad}: ${file.indices[bad]} is out of range (the file has ${vertexCount} uvs)`);
  if (file.positions && file.positions.length !== vertexCount * 3) {
    problems.push(`positions: needs [V, 3] = ${vertexCount * 3} values, has ${file.positions.length}`);
  }
  return problems;
}

/** The file form of a topology (v image-down, so `vFlip: false`); the inverse of parseTopologyFile. */
export function toTopologyFile(topology: Topology): TopologyFile {
  return {
    format: TOPOLOGY_FILE_FORMAT,
    formatVersion: TOPOLOGY_FILE_FORMAT_VERSION,
    name: topology.name,
    vFlip: false,
    uvs: Array.from(topology.uvs),
    indices: Array.from(topology.indices),
    ...(topology.positions ? { positions: Array.from(topology.positions) } : {}),
  };
}
