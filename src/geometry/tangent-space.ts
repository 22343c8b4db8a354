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

/** The flat tangent-space normal and its 8-bit encoding. */
const FLAT_DIRECTION = [0, 0, 1] as const;
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

  // per vertex T, B = cross(N, T) * w (as a viewer's vertex shader makes it) and N, [V, 3] float64 each
  const vertexCount = mesh.uvs.length / 2;
  const t3 = new Float64Array(vertexCount * 3);
  const b3 = new Float64Array(vertexCount * 3);
  const n3 = Float64Array.from(normals);
  for (let v = 0; v < vertexCount; v++) {
    const [nx, ny, nz] = [normals[3 * v] as number, normals[3 * v + 1] as number, normals[3 * v + 2] as number];
    const [tx, ty, tz] = [tangents[4 * v] as number, tangents[4 * v + 1] as number, tangents[4 * v + 2] as number];
    const w = tangents[4 * v + 3] as number;
    t3.set([tx, ty, tz], 3 * v);
    b3.set([(ny * tz - nz * ty) * w, (nz * tx - nx * tz) * w, (nx * ty - ny * tx) * w], 3 * v);
  }

  const out = new Uint8Array(resolutionPx * resolutionPx * 3);
  const covered = new Uint8Array(resolutionPx * resolutionPx);
  const n = new Float64Array(3);
  const frame = new Float64Array(9); // T, B, N
  rasterizeUvTriangles(mesh.uvs, indices, resolutionPx, (texel, t, w0, w1, w2) => {
    const a = indices[3 * t] as number;
    const b = indices[3 * t + 1] as number;
    const c = indices[3 * t + 2] as number;
    interpolateUnit(t3, a, b, c, w0, w1, w2, frame, 0);
    interpolateUnit(b3, a, b, c, w0, w1, w2, frame, 3);
    interpolateUnit(n3, a, b, c, w0, w1, w2, frame, 6);
    decodeNormalTexel(objectNormals, texel, n);
    solveFrame(frame, n);
    for (let k = 0; k < 3; k++) out[3 * texel + k] = Math.round(((n[k] as number) + 1) * 127.5);
    covered[texel] = 1;
  });
  dilate(out, covered, resolutionPx, paddingPx);
  for (let texel = 0; texel < covered.length; texel++) if (!covered[texel]) out.set(FLAT, 3 * texel);
  return out;
}

/** frame[at .. at + 2] = normalize(w0 * x[a] + w1 * x[b] + w2 * x[c]) for [V, 3] vectors x. */
function interpolateUnit(
  x: Float64Array,
  a: number,
  b: number,
  c: number,
  w0: number,
  w1: number,
  w2: number,
  frame: Float64Array,
  at: number,
): void {
  const vx = w0 * (x[3 * a] as number) + w1 * (x[3 * b] as number) + w2 * (x[3 * c] as number);
  const vy = w0 * (x[3 * a + 1] as number) + w1 * (x[3 * b + 1] as number) + w2 * (x[3 * c + 1] as number);
  const vz = w0 * (x[3 * a + 2] as number) + w1 * (x[3 * b + 2] as number) + w2 * (x[3 * c + 2] as number);
  const length = Math.sqrt(vx * vx + vy * vy + vz * vz) || 1;
  frame[at] = vx / length;
  frame[at + 1] = vy / length;
  frame[at + 2] = vz / length;
}

/** Solves [T B N] t = n (columns T, B, N) by Cramer's rule into `n`, normalised; (0, 0, 1) if singular. */
function solveFrame(f: Float64Array, n: Float64Array): void {
  const tx = f[0] as number;
  const ty = f[1] as number;
  const tz = f[2] as number;
  const bx = f[3] as number;
  const by = f[4] as number;
  const bz = f[5] as number;
  const nx = f[6] as number;
  const ny = f[7] as number;
  const nz = f[8] as number;
  const px = n[0] as number;
  const py = n[1] as number;
  const pz = n[2] as number;
  // det[a b c] = a . (b x c); cofactors of the B, N columns are shared by the x solution and det
  const bnx = by * nz - bz * ny;
  const bny = bz * nx - bx * nz;
  const bnz = bx * ny - by * nx;
  const det = tx * bnx + ty * bny + tz * bnz;
  if (Math.abs(det) < 1e-9) {
    n.set(FLAT_DIRECTION);
    return;
  }
  const x = (px * bnx + py * bny + pz * bnz) / det;
  const y = (tx * (py * nz - pz * ny) + ty * (pz * nx - px * nz) + tz * (px * ny - py * nx)) / det;
  const z = (tx * (by * pz - bz * py) + ty * (bz * px - bx * pz) + tz * (bx * py - by * px)) / det;
  const length = Math.sqrt(x * x + y * y + z * z) || 1;
  n[0] = x / length;
  n[1] = y / length;
  n[2] = z / length;
}

/** Grows the covered region by `rings` texels, each new texel copying a covered 4-neighbour. */
function dilate(out: Uint8Array, covered: Uint8Array, resolutionPx: number, rings: number): void {
  const r = resolutionPx;
  const grown: number[] = [];
  for (let ring = 0; ring < rings; ring++) {
    grown.length = 0;
    for (let texel = 0; texel < covered.length; texel++) {
      if (covered[texel]) continue;
      const col = texel % r;
      let from = -1;
      if (col > 0 && covered[texel - 1]) from = texel - 1;
      else if (col < r - 1 && covered[texel + 1]) from = texel + 1;
      else if (texel >= r && covered[texel - r]) from = texel - r;
      else if (texel + r < covered.length && covered[texel + r]) from = texel + r;
      if (from >= 0) grown.push(texel, from);
    }
    // applied after the scan, so a ring only copies from texels covered before it
    for (let i = 0; i < grown.length; i += 2) {
      const to = grown[i] as number;
      const from = grown[i + 1] as number;
      out.copyWithin(3 * to, 3 * from, 3 * from + 3);
      covered[to] = 1;
    }
  }
}
