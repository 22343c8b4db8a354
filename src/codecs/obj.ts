/**
 * Mesh -> Wavefront OBJ + MTL + PNG textures, as zip entries (another module writes the zip).
 * OBJ's texture v points up (origin bottom-left), ours down, so `vt u (1 - v)`; `f a/a/a` since
 * positions, UVs and normals share one index. Conventions: docs/geometry.md.
 */
import type { Mesh } from '../geometry/index.js';
import { checkMesh, checkPng } from './mesh-check.js';
import type { ZipEntry } from './zip.js';

/** Options of encodeObj. */
export interface ObjOptions {
  /** The .obj and .mtl file names without extension, and the material name. */
  baseName?: string;
  /** PNG bytes of the RGB texture: `texture.png`, the MTL's map_Kd. */
  texturePng?: Uint8Array;
  /**
   * PNG bytes of a tangent-space normal map: `normal.png`, the MTL's `norm` and `map_Bump` (the names
   * Blender and the PBR MTL extension read). OBJ carries no tangents: importers derive their own.
   */
  normalMapPng?: Uint8Array;
  /** Written as `# key: value` comment lines at the top of the .obj (values as JSON). */
  metadata?: Record<string, unknown>;
}

/** File names of the entries encodeObj returns. */
export const OBJ_DEFAULTS = { baseName: 'face', textureName: 'texture.png', normalMapName: 'normal.png' } as const;

/** Decimal places: 1e-6 of the network's [-1, 1] units (or of MediaPipe's cm). */
const DECIMALS = 6;

/** Encodes a mesh as `<baseName>.obj`, `<baseName>.mtl` and the given PNGs; deterministic. */
export function encodeObj(mesh: Mesh, options: ObjOptions = {}): ZipEntry[] {
  checkMesh(mesh, 'encodeObj');
  checkPng(options.texturePng, 'options.texturePng', 'encodeObj');
  checkPng(options.normalMapPng, 'options.normalMapPng', 'encodeObj');
  const baseName = options.baseName ?? OBJ_DEFAULTS.baseName;
  const { positions, uvs, normals, indices } = mesh;
  const vertexCount = positions.length / 3;
  const f = (x: number) => x.toFixed(DECIMALS);

  const lines: string[] = ['# tbgan-serve: face mesh; +y up, +z toward the viewer, counter-clockwise faces'];
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    lines.push(`# ${key}: ${JSON.stringify(value)}`.replace(/[\r\n]/g, ' '));
  }
  lines.push(`mtllib ${baseName}.mtl`, `o ${baseName}`);
  for (let i = 0; i < vertexCount; i++) {
    lines.push(
      `v ${f(positions[3 * i] as number)} ${f(positions[3 * i + 1] as number)} ${f(positions[3 * i + 2] as number)}`,
    );
  }
  for (let i = 0; i < vertexCount; i++)
    lines.push(`vt ${f(uvs[2 * i] as number)} ${f(1 - (uvs[2 * i + 1] as number))}`);
  if (normals) {
    for (let i = 0; i < vertexCount; i++) {
      lines.push(
        `vn ${f(normals[3 * i] as number)} ${f(normals[3 * i + 1] as number)} ${f(normals[3 * i + 2] as number)}`,
      );
    }
  }
  lines.push(`usemtl ${baseName}`);
  const corner = normals ? (i: number) => `${i + 1}/${i + 1}/${i + 1}` : (i: number) => `${i + 1}/${i + 1}`;
  for (let t = 0; t < indices.length; t += 3) {
    lines.push(
      `f ${corner(indices[t] as number)} ${corner(indices[t + 1] as number)} ${corner(indices[t + 2] as number)}`,
    );
  }

  const mtl = [`newmtl ${baseName}`, 'Ka 0 0 0', 'Kd 1 1 1', 'Ks 0 0 0', 'd 1', 'illum 1'];
  const entries: ZipEntry[] = [];
  if (options.texturePng) {
    mtl.push(`map_Kd ${OBJ_DEFAULTS.textureName}`);
    entries.push({ name: OBJ_DEFAULTS.textureName, data: options.texturePng });
  }
  if (options.normalMapPng) {
    mtl.push(`norm ${OBJ_DEFAULTS.normalMapName}`, `map_Bump ${OBJ_DEFAULTS.normalMapName}`);
    entries.push({ name: OBJ_DEFAULTS.normalMapName, data: options.normalMapPng });
  }
  const text = (s: string[]) => new TextEncoder().encode(`${s.join('\n')}\n`);
  return [{ name: `${baseName}.obj`, data: text(lines) }, { name: `${baseName}.mtl`, data: text(mtl) }, ...entries];
}
