/**
 * A face's UV maps to a mesh file in one step (the mesh encoding job): the official UV -> mesh
 * (docs/geometry.md), geometric vertex normals (consistent with the positions, so shading never
 * contradicts the silhouette), and the generated normal map attached for detail: converted to
 * tangent space for GLB and OBJ (glTF's convention), sampled texture colours for PLY.
 *
 * DESIGN NOTES: this module makes `codecs/` call geometry functions, not only its types. A mesh file
 * is an encoding of the maps like a PNG is, and it is the CPU-heavy kind (8-80 ms a face), so it has
 * to run on the encoder threads; putting it here keeps one worker pool and one job type.
 */
import {
  builtinTopology,
  computeTangents,
  computeVertexNormals,
  type Mesh,
  sampleVertexColors,
  type Topology,
  toTangentSpaceNormalMap,
  uvToMesh,
} from '../geometry/index.js';
import { encodeGlb, type GlbMetadata } from './glb.js';
import { encodeObj } from './obj.js';
import { encodePly } from './ply.js';
import { encodePng } from './png.js';
import { createZip } from './zip.js';

/** Mesh file formats: binary glTF, OBJ + MTL + PNGs in a zip, binary PLY. */
export type MeshFormat = 'glb' | 'obj' | 'ply';

/** What a mesh file is made from: one face's maps, [R, R, 3] each, top row first. */
export interface MeshJob {
  kind: 'mesh';
  format: MeshFormat;
  resolution: number;
  shape: Float32Array;
  texture: Uint8Array;
  normals: Uint8Array;
  /** A built-in topology's name, or the topology itself (a model's own template). */
  topology: string | Topology;
  metadata: GlbMetadata;
}

/** Encodes one face as a mesh file. */
export async function encodeMesh(job: MeshJob): Promise<Uint8Array> {
  const R = job.resolution;
  const topology = typeof job.topology === 'string' ? builtinTopology(job.topology) : job.topology;
  const base = uvToMesh(job.shape, R, topology, { mode: 'official' });
  const mesh: Mesh = { ...base, normals: computeVertexNormals(base.positions, base.indices) };
  if (job.format === 'ply')
    return encodePly({ ...mesh, colors: sampleVertexColors(job.texture, R, mesh.uvs) }, { metadata: job.metadata });
  const withTangents: Mesh = { ...mesh, tangents: computeTangents(mesh) };
  const [texturePng, normalMapPng] = await Promise.all([
    encodePng(job.texture, R, R, 3),
    encodePng(toTangentSpaceNormalMap(job.normals, R, withTangents), R, R, 3),
  ]);
  if (job.format === 'glb') return encodeGlb(withTangents, { texturePng, normalMapPng, metadata: job.metadata });
  return createZip(encodeObj(withTangents, { texturePng, normalMapPng, metadata: job.metadata }));
}
