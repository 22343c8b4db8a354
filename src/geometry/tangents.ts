/**
 * Per-vertex tangents for normal mapping, in glTF's convention: tangent.xyz points along +u,
 * bitangent = cross(normal, tangent.xyz) * tangent.w points along -v (our v is image-down, so that is
 * "up" in the texture, the +Y of a tangent-space normal map), w = ±1 records the UV handedness.
 *
 * DESIGN NOTES
 * - MikkTSpace-like, not MikkTSpace: per-face dP/du and dP/dv from the UV derivatives, summed per vertex
 *   with area weights (MikkTSpace uses angle weights and splits vertices where the tangent frame is
 *   discontinuous; we never split, so a mesh keeps its topology's vertex count). The normal map baked by
 *   toTangentSpaceNormalMap uses these exact tangents, so a viewer that reads TANGENT from the file
 *   reconstructs our normals whatever MikkTSpace would have said.
 */
import type { Mesh } from './topology.js';

/** [V, 4] unit tangents (xyz orthogonal to the vertex normal) with handedness w = ±1. */
export function computeTangents(mesh: Pick<Mesh, 'positions' | 'uvs' | 'indices' | 'normals'>): Float32Array {
  const { positions: p, uvs, indices, normals } = mesh;
  if (!normals) throw new TypeError('computeTangents: mesh.normals is required');
  const vertexCount = uvs.length / 2;
  const tan = new Float64Array(vertexCount * 3); // sum of area-weighted unit dP/du
  const bit = new Float64Array(vertexCount * 3); // sum of area-weighted unit dP/d(-v)
  for (let t = 0; t < indices.length; t += 3) {
    const ia = indices[t] as number;
    const ib = indices[t + 1] as number;
    const ic = indices[t + 2] as number;
    const e1 = [0, 1, 2].map((k) => (p[3 * ib + k] as number) - (p[3 * ia + k] as number));
    const e2 = [0, 1, 2].map((k) => (p[3 * ic + k] as number) - (p[3 * ia + k] as number));
    const du1 = (uvs[2 * ib] as number) - (uvs[2 * ia] as number);
    const dv1 = (uvs[2 * ib + 1] as number) - (uvs[2 * ia + 1] as number);
    const du2 = (uvs[2 * ic] as number) - (uvs[2 * ia] as number);
    const dv2 = (uvs[2 * ic + 1] as number) - (uvs[2 * ia + 1] as number);
    const det = du1 * dv2 - du2 * dv1;
    if (Math.abs(det) < 1e-20) continue; // no UV area: the face says nothing about the tangent frame
    // e = dP/du * du + dP/dv * dv for both edges, solved for dP/du and dP/dv
    const dPdu = [0, 1, 2].map((k) => ((e1[k] as number) * dv2 - (e2[k] as number) * dv1) / det);
    const dPdvUp = [0, 1, 2].map((k) => -((e2[k] as number) * du1 - (e1[k] as number) * du2) / det);
    const cx = (e1[1] as number) * (e2[2] as number) - (e1[2] as number) * (e2[1] as number);
    const cy = (e1[2] as number) * (e2[0] as number) - (e1[0] as number) * (e2[2] as number);
    const cz = (e1[0] as number) * (e2[1] as number) - (e1[1] as number) * (e2[0] as number);
    const area = Math.sqrt(cx * cx + cy * cy + cz * cz);
    const tScale = area / (Math.hypot(...dPdu) || 1);
    const bScale = area / (Math.hypot(...dPdvUp) || 1);
    for (const v of [ia, ib, ic]) {
      for (let k = 0; k < 3; k++) {
        tan[3 * v + k] = (tan[3 * v + k] as number) + (dPdu[k] as number) * tScale;
        bit[3 * v + k] = (bit[3 * v + k] as number) + (dPdvUp[k] as number) * bScale;
      }
    }
  }
  const tangents = new Float32Array(vertexCount * 4);
  for (let v = 0; v < vertexCount; v++) {
    const n = [normals[3 * v] as number, normals[3 * v + 1] as number, normals[3 * v + 2] as number];
    let t = [tan[3 * v] as number, tan[3 * v + 1] as number, tan[3 * v + 2] as number];
    const nDotT = dot(n, t);
    t = t.map((x, k) => x - (n[k] as number) * nDotT); // Gram-Schmidt against the normal
    let length = Math.hypot(...t);
    if (!(length > 1e-12)) {
      t = anyPerpendicular(n);
      length = 1;
    }
    t = t.map((x) => x / length);
    const b = [bit[3 * v] as number, bit[3 * v + 1] as number, bit[3 * v + 2] as number];
    const w = dot(cross(n, t), b) < 0 ? -1 : 1;
    tangents.set([t[0] as number, t[1] as number, t[2] as number, w], 4 * v);
  }
  return tangents;
}

function dot(a: number[], b: number[]): number {
  return (
    (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number) + (a[2] as number) * (b[2] as number)
  );
}

function cross(a: number[], b: number[]): number[] {
  const [ax, ay, az] = a as [number, number, number];
  const [bx, by, bz] = b as [number, number, number];
  return [ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx];
}

/** A unit vector perpendicular to unit `n` (used where the UVs give no tangent direction). */
function anyPerpendicular(n: number[]): number[] {
  const [x, y, z] = n as [number, number, number];
  const helper = Math.abs(x) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const t = cross(helper, [x, y, z]);
  const length = Math.hypot(...t);
  return t.map((c) => c / length);
}
