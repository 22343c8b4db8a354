/**
 * Extracts the MediaPipe canonical face mesh (468 vertices, 898 triangles, UVs) from the npm package
 * `@mediapipe/face_mesh` (a devDependency), as `research/assets.md` §1.1 describes: an Emscripten
 * file package whose table of contents is in the loader script; the mesh is field 1 (`Mesh3d`) of a
 * `GeometryPipelineMetadata` protobuf. The test compares the result with the committed
 * `src/geometry/data/mediapipe-canonical.ts`; run this file to regenerate that module:
 *
 *   node --import tsx test/mediapipe-extract.ts > src/geometry/data/mediapipe-canonical.ts && npx biome format --write src/geometry/data
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MEDIAPIPE_PACKAGE = '@mediapipe/face_mesh';
export const MEDIAPIPE_VERSION = '0.4.1657299874';
const INNER_FILE = '/third_party/mediapipe/modules/face_geometry/data/geometry_pipeline_metadata_landmarks.binarypb';

/** The canonical mesh as stored: xyz in cm, uv with v image-down, uint32 triangle indices. */
export interface MediapipeMesh {
  positions: number[];
  uvs: number[];
  indices: number[];
}

type Field = { field: number; wireType: number; value: bigint | number | Uint8Array };

/** Reads the varint at `start`; returns it and the offset after it. */
function readVarint(bytes: Uint8Array, start: number): [bigint, number] {
  let result = 0n;
  let p = start;
  for (let shift = 0n; ; shift += 7n) {
    const byte = bytes[p++] as number;
    result |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [result, p];
  }
}

/** Decodes one level of a protobuf message (varint, 32-bit and length-delimited fields only). */
function decodeFields(bytes: Uint8Array): Field[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  let p = 0;
  const varint = (): bigint => {
    const [value, next] = readVarint(bytes, p);
    p = next;
    return value;
  };
  while (p < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 5) {
      fields.push({ field, wireType, value: view.getFloat32(p, true) });
      p += 4;
    } else if (wireType === 2) {
      const n = Number(varint());
      fields.push({ field, wireType, value: bytes.subarray(p, p + n) });
      p += n;
    } else throw new Error(`unsupported protobuf wire type ${wireType} at byte ${p}`);
  }
  return fields;
}

/** Reads `repeated float` field values, packed or not. */
function floats(fields: Field[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields.filter((x) => x.field === field)) {
    if (typeof f.value === 'number') out.push(f.value);
    else if (f.value instanceof Uint8Array) {
      const view = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
      for (let i = 0; i < f.value.byteLength; i += 4) out.push(view.getFloat32(i, true));
    }
  }
  return out;
}

/** Reads `repeated uint32` field values, packed or not. */
function uints(fields: Field[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields.filter((x) => x.field === field)) {
    if (typeof f.value === 'bigint') out.push(Number(f.value));
    else if (f.value instanceof Uint8Array) {
      for (let p = 0; p < f.value.length; ) {
        const [value, next] = readVarint(f.value, p);
        out.push(Number(value));
        p = next;
      }
    }
  }
  return out;
}

/** Extracts the canonical mesh from an installed `@mediapipe/face_mesh` (default: resolved from here). */
export function extractMediapipeCanonical(packageDir = defaultPackageDir()): MediapipeMesh {
  const loader = readFileSync(join(packageDir, 'face_mesh_solution_packed_assets_loader.js'), 'utf8');
  const toc = loader.match(/loadPackage\((\{.*?\})\)/s)?.[1];
  if (!toc) throw new Error('no loadPackage({...}) table of contents in the loader script');
  const entry = (JSON.parse(toc) as { files: { filename: string; start: number; end: number }[] }).files.find(
    (f) => f.filename === INNER_FILE,
  );
  if (!entry) throw new Error(`${INNER_FILE} is not in the package`);
  const data = readFileSync(join(packageDir, 'face_mesh_solution_packed_assets.data'));
  const metadata = decodeFields(new Uint8Array(data.buffer, data.byteOffset + entry.start, entry.end - entry.start));
  const meshBytes = metadata.find((f) => f.field === 1)?.value;
  if (!(meshBytes instanceof Uint8Array)) throw new Error('GeometryPipelineMetadata has no canonical_mesh');
  const mesh = decodeFields(meshBytes);
  const vertexBuffer = floats(mesh, 3); // VERTEX_PT: x, y, z, u, v per vertex
  const positions: number[] = [];
  const uvs: number[] = [];
  for (let i = 0; i < vertexBuffer.length; i += 5) {
    positions.push(...vertexBuffer.slice(i, i + 3));
    uvs.push(...vertexBuffer.slice(i + 3, i + 5));
  }
  return { positions, uvs, indices: uints(mesh, 4) };
}

function defaultPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${MEDIAPIPE_PACKAGE}/package.json`));
}

/** The shortest decimal that reads back as the same float32 (keeps the committed module small and exact). */
export function float32Literal(x: number): string {
  for (let digits = 1; digits <= 9; digits++) {
    const s = String(Number(x.toPrecision(digits)));
    if (Math.fround(Number(s)) === x) return s;
  }
  return String(x);
}

/** Renders the committed data module (formatted afterwards by biome). */
export function renderDataModule(mesh: MediapipeMesh): string {
  const list = (xs: number[], f: (x: number) => string) => `[${xs.map(f).join(', ')}]`;
  return `/**
 * GENERATED by test/mediapipe-extract.ts from the npm package ${MEDIAPIPE_PACKAGE}@${MEDIAPIPE_VERSION},
 * file ${INNER_FILE},
 * field canonical_mesh. Do not edit; see NOTICE and LICENSE-Apache-2.0 in this folder.
 *
 * The MediaPipe canonical face mesh. Copyright The MediaPipe Authors. Licensed under the Apache License,
 * Version 2.0. Modified: converted from the protobuf Mesh3d to this tbgan-topology object; values unchanged.
 */
import type { TopologyFile } from '../topology-file.js';

/** 468 vertices (xyz in cm, +y up, +z toward the viewer), UVs with v image-down, 898 CCW triangles. */
export const MEDIAPIPE_CANONICAL_FILE: TopologyFile = {
  format: 'tbgan-topology',
  formatVersion: 1,
  name: 'mediapipe-canonical',
  vFlip: false,
  positions: ${list(mesh.positions, float32Literal)},
  uvs: ${list(mesh.uvs, float32Literal)},
  indices: ${list(mesh.indices, String)},
};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(renderDataModule(extractMediapipeCanonical()));
}
