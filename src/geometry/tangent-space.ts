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
import { FALLBACK_NORMAL } from './normals.js';
import { assertMap, assertMesh, assertResolution, type Mesh } from './topology.js';
import { rasterizeUvTriangles, type TexelVisitor } from './uv-raster.js';

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

  // per vertex T, B = cross(N, T) * w (as a viewer's vertex shader makes it) and N: [V, 9] float64
  const vertexCount = mesh.uvs.length / 2;
  const frames = new Float64Array(vertexCount * 9);
  for (let v = 0; v < vertexCount; v++) {
    const nx = normals[3 * v] as number;
    const ny = normals[3 * v + 1] as number;
    const nz = normals[3 * v + 2] as number;
    const tx = tangents[4 * v] as number;
    const ty = tangents[4 * v + 1] as number;
    const tz = tangents[4 * v + 2] as number;
    const w = tangents[4 * v + 3] as number;
    frames.set(
      [tx, ty, tz, (ny * tz - nz * ty) * w, (nz * tx - nx * tz) * w, (nx * ty - ny * tx) * w, nx, ny, nz],
      9 * v,
    );
  }

  const out = new Uint8Array(resolutionPx * resolutionPx * 3);
  const covered = new Uint8Array(resolutionPx * resolutionPx);
  // object normals decode as (value * scale + offset): 8-bit (n + 1) / 2 * 255, or float components
  const scale = objectNormals instanceof Uint8Array ? 1 / 127.5 : 1;
  const offset = objectNormals instanceof Uint8Array ? -1 : 0;
  // The per-texel work is written out flat, with no helper calls or scratch arrays: it runs for every
  // covered texel (42,567 for the MediaPipe face at 256 px), and with helpers the bake took 1.25-1.45x
  // as long (bench/NOTES.md).
  // The later triangle wins a texel on a shared edge: visiting last triangle first, keep the first
  // visit (a dense grid visits each vertex texel six times).
  const visit: TexelVisitor = (texel, t, weights) => {
    if (covered[texel]) return;
    const w0 = weights[0] as number;
    const w1 = weights[1] as number;
    const w2 = weights[2] as number;
    const a = 9 * (indices[3 * t] as number);
    const b = 9 * (indices[3 * t + 1] as number);
    const c = 9 * (indices[3 * t + 2] as number);
    const f = frames;
    // T, B and N interpolated barycentrically and normalised, as a viewer's fragment shader does
    let tx = w0 * (f[a] as number) + w1 * (f[b] as number) + w2 * (f[c] as number);
    let ty = w0 * (f[a + 1] as number) + w1 * (f[b + 1] as number) + w2 * (f[c + 1] as number);
    let tz = w0 * (f[a + 2] as number) + w1 * (f[b + 2] as number) + w2 * (f[c + 2] as number);
    let length = Math.sqrt(tx * tx + ty * ty + tz * tz) || 1;
    tx /= length;
    ty /= length;
    tz /= length;
    let bx = w0 * (f[a + 3] as number) + w1 * (f[b + 3] as number) + w2 * (f[c + 3] as number);
    let by = w0 * (f[a + 4] as number) + w1 * (f[b + 4] as number) + w2 * (f[c + 4] as number);
    let bz = w0 * (f[a + 5] as number) + w1 * (f[b + 5] as number) + w2 * (f[c + 5] as number);
    length = Math.sqrt(bx * bx + by * by + bz * bz) || 1;
    bx /= length;
    by /= length;
    bz /= length;
    let nx = w0 * (f[a + 6] as number) + w1 * (f[b + 6] as number) + w2 * (f[c + 6] as number);
    let ny = w0 * (f[a + 7] as number) + w1 * (f[b + 7] as number) + w2 * (f[c + 7] as number);
    let nz = w0 * (f[a + 8] as number) + w1 * (f[b + 8] as number) + w2 * (f[c + 8] as number);
    length = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    nx /= length;
    ny /= length;
    nz /= length;
    // the object normal, unit (the fallback normal where the map holds a zero vector)
    let px = (objectNormals[3 * texel] as number) * scale + offset;
    let py = (objectNormals[3 * texel + 1] as number) * scale + offset;
    let pz = (objectNormals[3 * texel + 2] as number) * scale + offset;
    length = Math.sqrt(px * px + py * py + pz * pz);
    if (length > 1e-12) {
      px /= length;
      py /= length;
      pz /= length;
    } else [px, py, pz] = FALLBACK_NORMAL;
    // solve [T B N] x = p by Cramer's rule; the B x N cofactors serve both x and the determinant
    let x = FLAT_DIRECTION[0];
    let y = FLAT_DIRECTION[1];
    let z = FLAT_DIRECTION[2];
    const bnx = by * nz - bz * ny;
    const bny = bz * nx - bx * nz;
    const bnz = bx * ny - by * nx;
    const det = tx * bnx + ty * bny + tz * bnz;
    if (Math.abs(det) >= 1e-9) {
      x = (px * bnx + py * bny + pz * bnz) / det;
      y = (tx * (py * nz - pz * ny) + ty * (pz * nx - px * nz) + tz * (px * ny - py * nx)) / det;
      z = (tx * (by * pz - bz * py) + ty * (bz * px - bx * pz) + tz * (bx * py - by * px)) / det;
      length = Math.sqrt(x * x + y * y + z * z) || 1;
      x /= length;
      y /= length;
      z /= length;
    }
    out[3 * texel] = Math.round((x + 1) * 127.5);
    out[3 * texel + 1] = Math.round((y + 1) * 127.5);
    out[3 * texel + 2] = Math.round((z + 1) * 127.5);
    covered[texel] = 1;
  };
  rasterizeUvTriangles(mesh.uvs, indices, resolutionPx, visit, { reverse: true });
  dilate(out, covered, resolutionPx, paddingPx);
  for (let texel = 0; texel < covered.length; texel++) {
    if (covered[texel]) continue;
    out[3 * texel] = FLAT[0];
    out[3 * texel + 1] = FLAT[1];
    out[3 * texel + 2] = FLAT[2];
  }
  return out;
}

/** Grows the covered region by `rings` texels, each new texel copying a covered 4-neighbour. */
function dilate(out: Uint8Array, covered: Uint8Array, resolutionPx: number, rings: number): void {
  const r = resolutionPx;
  const grown = new Int32Array(2 * r * r);
  for (let ring = 0; ring < rings; ring++) {
    let count = 0;
    for (let row = 0, texel = 0; row < r; row++) {
      for (let col = 0; col < r; col++, texel++) {
        if (covered[texel]) continue;
        let from = -1;
        if (col > 0 && covered[texel - 1]) from = texel - 1;
        else if (col < r - 1 && covered[texel + 1]) from = texel + 1;
        else if (row > 0 && covered[texel - r]) from = texel - r;
        else if (row < r - 1 && covered[texel + r]) from = texel + r;
        if (from >= 0) {
          grown[count++] = texel;
          grown[count++] = from;
        }
      }
    }
    if (count === 0) return;
    // applied after the scan, so a ring only copies from texels covered before it
    for (let i = 0; i < count; i += 2) {
      const to = grown[i] as number;
      const from = grown[i + 1] as number;
      out[3 * to] = out[3 * from] as number;
      out[3 * to + 1] = out[3 * from + 1] as number;
      out[3 * to + 2] = out[3 * from + 2] as number;
      covered[to] = 1;
    }
  }
}
