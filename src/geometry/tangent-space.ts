/**
 * Object-space normal map -> tangent-space normal map for a mesh, as glTF's `normalTexture` requires.
 *
 * DESIGN NOTES
 * - glTF 2.0 has no object-space normal maps (the core spec's normalTexture is tangent space; there is
 *   no ratified extension). Options: (a) drop the generated map and rely on vertex normals (loses the
 *   detail TBGAN generates); (b) ship it as an extra, unreferenced image (viewers ignore it); (c) bake it
 *   into tangent space against the very TBN the file carries. Chosen: (c), keeping the object-space PNG
 *   for the formats that take it as is (OBJ zip, raw maps).
 * - The bake inverts what a viewer does (the glTF Sample Viewer: T, B = cross(N, T) * w and N interpolated
 *   per fragment and normalised, n = normalize([T B N] * t)): per texel centre inside a triangle in UV
 *   space, interpolate T, B and N barycentrically, normalise, and solve [T B N] t = n_object. So the
 *   viewer gets n_object back at texel centres, up to 8-bit rounding.
 * - Texels outside the mesh get the flat normal (0, 0, 1), after `paddingPx` rings of edge dilation so
 *   bilinear filtering and mipmaps at the boundary read face texels, not flat ones.
 */
import { decodeNormalTexel } from './normals.js';
import { assertMap, assertMesh, assertResolution, type Mesh } from './topology.js';
import { rasterizeUvTriangles } from './uv-raster.js';

/** Options of toTangentSpaceNormalMap. */
export interface TangentSpaceOptions {
  /** Rings of texels around the mesh's UV footprint filled from the nearest baked texel. */
  paddingPx?: number;
}

/** Defaults of toTangentSpaceNormalMap. */
export const TANGENT_SPACE_DEFAULTS: Required<TangentSpaceOptions> = { paddingPx: 4 };

/** 8-bit encoding of the flat tangent-space normal (0, 0, 1). */
const FLAT = [128, 128, 255] as const;

/**
 * [R, R, 3] 8-bit tangent-space normal map ((t + 1) / 2 * 255, +Y toward -v: "up" in the image, the
 * OpenGL/glTF convention) that reproduces `objectNormals` on `mesh` with its normals and tangents.
 * @param objectNormals [R, R, 3] object-space normals: Uint8 (n + 1) / 2 * 255, or Float32 components.
 */
export function toTangentSpaceNormalMap(
  objectNormals: Uint8Array | Float32Array,
  resolutionPx: number,
  mesh: Mesh,
  options: TangentSpaceOptions = {},
): Uint8Array {
  assertResolution(resolutionPx);
  assertMap(objectNormals, resolutionPx, 3, 'objectNormals');
  assertMesh(mesh);
  const { normals, tangents, indices } = mesh;
  if (!normals || !tangents)
    throw new TypeError('toTangentSpaceNormalMap: mesh.normals and mesh.tangents are required');
  const { paddingPx } = { ...TANGENT_SPACE_DEFAULTS, ...options };

  const vertexCount = mesh.uvs.length / 2;
  const bitangents = new Float64Array(vertexCount * 3); // per vertex, as a viewer's vertex shader makes it
  for (let v = 0; v < vertexCount; v++) {
    const [nx, ny, nz] = [normals[3 * v] as number, normals[3 * v + 1] as number, normals[3 * v + 2] as number];
    const [tx, ty, tz, w] = [0, 1, 2, 3].map((k) => tangents[4 * v + k] as number) as [number, number, number, number];
    bitangents.set([(ny * tz - nz * ty) * w, (nz * tx - nx * tz) * w, (nx * ty - ny * tx) * w], 3 * v);
  }

  const out = new Uint8Array(resolutionPx * resolutionPx * 3);
  const covered = new Uint8Array(resolutionPx * resolutionPx);
  const n = new Float64Array(3);
  const frame = new Float64Array(9); // T, B, N
  rasterizeUvTriangles(mesh.uvs, indices, resolutionPx, (texel, t, w0, w1, w2) => {
    const a = indices[3 * t] as number;
    const b = indices[3 * t + 1] as number;
    const c = indices[3 * t + 2] as number;
    interpolateUnit(tangents, 4, a, b, c, w0, w1, w2, frame, 0);
    interpolateUnit(bitangents, 3, a, b, c, w0, w1, w2, frame, 3);
    interpolateUnit(normals, 3, a, b, c, w0, w1, w2, frame, 6);
    decodeNormalTexel(objectNormals, texel, n);
    solveFrame(frame, n);
    for (let k = 0; k < 3; k++) out[3 * texel + k] = Math.round(((n[k] as number) + 1) * 127.5);
    covered[texel] = 1;
  });
  dilate(out, covered, resolutionPx, paddingPx);
  for (let texel = 0; texel < covered.length; texel++) if (!covered[texel]) out.set(FLAT, 3 * texel);
  return out;
}

/** frame[at .. at + 2] = normalize(w0 * x[a] + w1 * x[b] + w2 * x[c]) for vectors of `stride` values. */
function interpolateUnit(
  x: ArrayLike<number>,
  stride: number,
  a: number,
  b: number,
  c: number,
  w0: number,
  w1: number,
  w2: number,
  frame: Float64Array,
  at: number,
): void {
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    const value =
      w0 * (x[stride * a + k] as number) + w1 * (x[stride * b + k] as number) + w2 * (x[stride * c + k] as number);
    frame[at + k] = value;
    sum += value * value;
  }
  const length = Math.sqrt(sum) || 1;
  for (let k = 0; k < 3; k++) frame[at + k] = (frame[at + k] as number) / length;
}

/** Solves [T B N] t = n (columns T, B, N) by Cramer's rule into `n`, normalised; (0, 0, 1) if singular. */
function solveFrame(f: Float64Array, n: Float64Array): void {
  const [tx, ty, tz, bx, by, bz, nx, ny, nz] = f as unknown as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [px, py, pz] = [n[0] as number, n[1] as number, n[2] as number];
  // det[c0 c1 c2] = c0 . (c1 x c2)
  const det3 = (
    ax: number,
    ay: number,
    az: number,
    bx_: number,
    by_: number,
    bz_: number,
    cx: number,
    cy: number,
    cz: number,
  ) => ax * (by_ * cz - bz_ * cy) + ay * (bz_ * cx - bx_ * cz) + az * (bx_ * cy - by_ * cx);
  const det = det3(tx, ty, tz, bx, by, bz, nx, ny, nz);
  if (Math.abs(det) < 1e-9) {
    n.set([0, 0, 1]);
    return;
  }
  const x = det3(px, py, pz, bx, by, bz, nx, ny, nz) / det;
  const y = det3(tx, ty, tz, px, py, pz, nx, ny, nz) / det;
  const z = det3(tx, ty, tz, bx, by, bz, px, py, pz) / det;
  const length = Math.sqrt(x * x + y * y + z * z) || 1;
  n.set([x / length, y / length, z / length]);
}

/** Grows the covered region by `rings` texels, each new texel copying a covered 4-neighbour. */
function dilate(out: Uint8Array, covered: Uint8Array, resolutionPx: number, rings: number): void {
  const r = resolutionPx;
  for (let ring = 0; ring < rings; ring++) {
    const grown: number[] = [];
    for (let texel = 0; texel < covered.length; texel++) {
      if (covered[texel]) continue;
      const row = Math.floor(texel / r);
      const col = texel - row * r;
      const neighbours = [
        col > 0 ? texel - 1 : -1,
        col < r - 1 ? texel + 1 : -1,
        row > 0 ? texel - r : -1,
        row < r - 1 ? texel + r : -1,
      ];
      const from = neighbours.find((i) => i >= 0 && covered[i] === 1);
      if (from !== undefined) grown.push(texel, from);
    }
    // applied after the scan, so a ring only copies from texels covered before it
    for (let i = 0; i < grown.length; i += 2) {
      out.copyWithin(3 * (grown[i] as number), 3 * (grown[i + 1] as number), 3 * (grown[i + 1] as number) + 3);
      covered[grown[i] as number] = 1;
    }
  }
}
