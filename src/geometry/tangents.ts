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
    const e1x = (p[3 * ib] as number) - (p[3 * ia] as number);
    const e1y = (p[3 * ib + 1] as number) - (p[3 * ia + 1] as number);
    const e1z = (p[3 * ib + 2] as number) - (p[3 * ia + 2] as number);
    const e2x = (p[3 * ic] as number) - (p[3 * ia] as number);
    const e2y = (p[3 * ic + 1] as number) - (p[3 * ia + 1] as number);
    const e2z = (p[3 * ic + 2] as number) - (p[3 * ia + 2] as number);
    const du1 = (uvs[2 * ib] as number) - (uvs[2 * ia] as number);
    const dv1 = (uvs[2 * ib + 1] as number) - (uvs[2 * ia + 1] as number);
    const du2 = (uvs[2 * ic] as number) - (uvs[2 * ia] as number);
    const dv2 = (uvs[2 * ic + 1] as number) - (uvs[2 * ia + 1] as number);
    const det = du1 * dv2 - du2 * dv1;
    if (Math.abs(det) < 1e-20) continue; // no UV area: the face says nothing about the tangent frame
    // e = dP/du * du + dP/dv * dv for both edges, solved for dP/du and dP/dv (v down; we keep -dP/dv)
    const tx = (e1x * dv2 - e2x * dv1) / det;
    const ty = (e1y * dv2 - e2y * dv1) / det;
    const tz = (e1z * dv2 - e2z * dv1) / det;
    const bx = -(e2x * du1 - e1x * du2) / det;
    const by = -(e2y * du1 - e1y * du2) / det;
    const bz = -(e2z * du1 - e1z * du2) / det;
    const cx = e1y * e2z - e1z * e2y;
    const cy = e1z * e2x - e1x * e2z;
    const cz = e1x * e2y - e1y * e2x;
    const area = Math.sqrt(cx * cx + cy * cy + cz * cz);
    const tScale = area / (Math.sqrt(tx * tx + ty * ty + tz * tz) || 1);
    const bScale = area / (Math.sqrt(bx * bx + by * by + bz * bz) || 1);
    for (const v of [3 * ia, 3 * ib, 3 * ic]) {
      tan[v] = (tan[v] as number) + tx * tScale;
      tan[v + 1] = (tan[v + 1] as number) + ty * tScale;
      tan[v + 2] = (tan[v + 2] as number) + tz * tScale;
      bit[v] = (bit[v] as number) + bx * bScale;
      bit[v + 1] = (bit[v + 1] as number) + by * bScale;
      bit[v + 2] = (bit[v + 2] as number) + bz * bScale;
    }
  }
  const tangents = new Float32Array(vertexCount * 4);
  for (let v = 0; v < vertexCount; v++) {
    const nx = normals[3 * v] as number;
    const ny = normals[3 * v + 1] as number;
    const nz = normals[3 * v + 2] as number;
    const ax = tan[3 * v] as number;
    const ay = tan[3 * v + 1] as number;
    const az = tan[3 * v + 2] as number;
    const nDotT = nx * ax + ny * ay + nz * az;
    let [tx, ty, tz] = [ax - nx * nDotT, ay - ny * nDotT, az - nz * nDotT]; // Gram-Schmidt against n
    let length = Math.sqrt(tx * tx + ty * ty + tz * tz);
    if (!(length > 1e-12)) {
      // no UV gradient here: any direction in the tangent plane
      [tx, ty, tz] = Math.abs(nx) < 0.9 ? [0, -nz, ny] : [nz, 0, -nx]; // cross((1,0,0) or (0,1,0), n)
      length = Math.sqrt(tx * tx + ty * ty + tz * tz);
    }
    tx /= length;
    ty /= length;
    tz /= length;
    // w: does cross(n, t) point along the accumulated -dP/dv?
    const side =
      (ny * tz - nz * ty) * (bit[3 * v] as number) +
      (nz * tx - nx * tz) * (bit[3 * v + 1] as number) +
      (nx * ty - ny * tx) * (bit[3 * v + 2] as number);
    tangents[4 * v] = tx;
    tangents[4 * v + 1] = ty;
    tangents[4 * v + 2] = tz;
    tangents[4 * v + 3] = side < 0 ? -1 : 1;
  }
  return tangents;
}
