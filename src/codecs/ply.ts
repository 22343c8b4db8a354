/**
 * Mesh -> binary little-endian PLY: float32 x y z, float32 nx ny nz (when the mesh has normals),
 * uint8 red green blue (when it has colours, e.g. geometry `sampleVertexColors` of the texture), and
 * faces as `list uchar uint vertex_indices`. Conventions: docs/geometry.md.
 */
import type { Mesh } from '../geometry/index.js';
import { checkMesh } from './mesh-check.js';

/** Options of encodePly. */
export interface PlyOptions {
  /** Written as `comment key: value` header lines (values as JSON). */
  metadata?: Record<string, unknown>;
}

/** Encodes a mesh as binary little-endian PLY bytes; deterministic. */
export function encodePly(mesh: Mesh, options: PlyOptions = {}): Uint8Array {
  checkMesh(mesh, 'encodePly');
  const { positions, normals, colors, indices } = mesh;
  const vertexCount = positions.length / 3;
  const faceCount = indices.length / 3;
  const header = ['ply', 'format binary_little_endian 1.0', 'comment tbgan-serve: +y up, +z toward the viewer'];
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    header.push(`comment ${key}: ${JSON.stringify(value)}`.replace(/[\r\n]/g, ' '));
  }
  header.push(`element vertex ${vertexCount}`, 'property float x', 'property float y', 'property float z');
  if (normals) header.push('property float nx', 'property float ny', 'property float nz');
  if (colors) header.push('property uchar red', 'property uchar green', 'property uchar blue');
  header.push(`element face ${faceCount}`, 'property list uchar uint vertex_indices', 'end_header');
  const headerBytes = new TextEncoder().encode(`${header.join('\n')}\n`);

  const vertexBytes = 12 + (normals ? 12 : 0) + (colors ? 3 : 0);
  const out = new Uint8Array(headerBytes.length + vertexCount * vertexBytes + faceCount * 13);
  out.set(headerBytes);
  const view = new DataView(out.buffer);
  let p = headerBytes.length;
  for (let i = 0; i < vertexCount; i++) {
    for (let k = 0; k < 3; k++, p += 4) view.setFloat32(p, positions[3 * i + k] as number, true);
    if (normals) for (let k = 0; k < 3; k++, p += 4) view.setFloat32(p, normals[3 * i + k] as number, true);
    if (colors) for (let k = 0; k < 3; k++) out[p++] = colors[3 * i + k] as number;
  }
  for (let t = 0; t < faceCount; t++) {
    out[p++] = 3;
    for (let k = 0; k < 3; k++, p += 4) view.setUint32(p, indices[3 * t + k] as number, true);
  }
  return out;
}
