/** Maps, PNGs and readers shared by the geometry and codec tests. */
import { crc32, deflateSync } from 'node:zlib';
import {
  bakeUvMap,
  computeTangents,
  computeVertexNormals,
  type Mesh,
  mediapipeCanonicalTopology,
  sampleVertexColors,
  type Topology,
  toTangentSpaceNormalMap,
  uvToMesh,
} from '../src/geometry/index.js';

/** A minimal 8-bit RGB PNG (one IDAT, filter 0): enough for the validator and for viewers. */
export function encodeTestPng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, filter 0, no interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Positions of a grid laid flat: x = u (or -u when mirrored), y = -v (the image's up is +y), z = 0. */
export function flatPositions(uvs: Float32Array, mirror = false): Float32Array {
  const positions = new Float32Array((uvs.length / 2) * 3);
  for (let i = 0; i < uvs.length / 2; i++) {
    positions.set([(mirror ? -1 : 1) * (uvs[2 * i] as number), -(uvs[2 * i + 1] as number), 0], 3 * i);
  }
  return positions;
}

/** [R, R, 3] float32 map with values ((37 row + 101 col + 53 k) % 97) / 97 - 0.5 (as in make-scipy-fixtures.py). */
export function formulaMap(size: number): Float32Array {
  const map = new Float32Array(size * size * 3);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      for (let k = 0; k < 3; k++) map[(row * size + col) * 3 + k] = ((37 * row + 101 * col + 53 * k) % 97) / 97 - 0.5;
    }
  }
  return map;
}

/** A face as the generator would hand it over: the MediaPipe template baked into UV maps at R. */
export function faceMaps(resolutionPx: number): { shape: Float32Array; normals: Uint8Array; texture: Uint8Array } {
  const topology = mediapipeCanonicalTopology();
  const template = topology.positions as Float32Array;
  const scaled = template.map((x) => x / 10); // cm -> roughly [-1, 1], like network units
  const shape = bakeUvMap(topology, scaled, 3, resolutionPx);
  const unit = bakeUvMap(topology, computeVertexNormals(template, topology.indices), 3, resolutionPx);
  const normals = new Uint8Array(unit.length);
  for (let i = 0; i < unit.length; i += 3) {
    const length = Math.hypot(unit[i] as number, unit[i + 1] as number, unit[i + 2] as number) || 1;
    for (let k = 0; k < 3; k++) normals[i + k] = Math.round(((unit[i + k] as number) / length + 1) * 127.5);
  }
  return { shape, normals, texture: leftRedTexture(resolutionPx) };
}

/** A finished face the way the service will build it: mesh with normals, tangents, colours, and PNGs. */
export function faceOutputs(
  resolutionPx: number,
  topology: Topology = mediapipeCanonicalTopology(),
): {
  mesh: Mesh & { normals: Float32Array; tangents: Float32Array };
  texturePng: Uint8Array;
  normalMapPng: Uint8Array;
} {
  const maps = faceMaps(resolutionPx);
  const base = uvToMesh(maps.shape, resolutionPx, topology);
  const normals = computeVertexNormals(base.positions, base.indices);
  const tangents = computeTangents({ ...base, normals });
  const colors = sampleVertexColors(maps.texture, resolutionPx, base.uvs);
  const mesh = { ...base, normals, tangents, colors };
  const tangentSpace = toTangentSpaceNormalMap(maps.normals, resolutionPx, mesh);
  return {
    mesh,
    texturePng: encodeTestPng(maps.texture, resolutionPx, resolutionPx),
    normalMapPng: encodeTestPng(tangentSpace, resolutionPx, resolutionPx),
  };
}

/** [R, R, 3] RGB: red where u < 0.5 (the image's left half), grey elsewhere. */
export function leftRedTexture(resolutionPx: number): Uint8Array {
  const texture = new Uint8Array(resolutionPx * resolutionPx * 3).fill(128);
  for (let row = 0; row < resolutionPx; row++) {
    for (let col = 0; col < resolutionPx / 2; col++) texture.set([255, 0, 0], (row * resolutionPx + col) * 3);
  }
  return texture;
}

/** The JSON and BIN chunks of a GLB, read by hand (not by the library that wrote it). */
export function readGlb(glb: Uint8Array): { json: GlbJson; bin: Uint8Array } {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error('not a GLB');
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as GlbJson;
  const binLength = view.getUint32(20 + jsonLength, true);
  return { json, bin: glb.subarray(28 + jsonLength, 28 + jsonLength + binLength) };
}

/** The parts of a glTF JSON the tests read. */
export interface GlbJson {
  asset: { generator?: string; extras?: Record<string, unknown> };
  scenes: { extras?: Record<string, unknown> }[];
  accessors: { bufferView: number; byteOffset?: number; componentType: number; count: number; type: string }[];
  bufferViews: { byteOffset?: number; byteLength: number; byteStride?: number }[];
  images: { bufferView: number; mimeType: string; name?: string }[];
  meshes: { primitives: { attributes: Record<string, number>; indices: number; material: number }[] }[];
  materials: Record<string, unknown>[];
}

/** Reads accessor `index` of a GLB as a typed array (float32, uint16 or uint32), interleaved or not. */
export function glbAccessor(
  glb: { json: GlbJson; bin: Uint8Array },
  index: number,
): Float32Array | Uint16Array | Uint32Array {
  const accessor = glb.json.accessors[index];
  if (!accessor) throw new Error(`no accessor ${index}`);
  const view = glb.json.bufferViews[accessor.bufferView];
  if (!view) throw new Error(`no bufferView ${accessor.bufferView}`);
  const width = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 }[accessor.type] as number;
  const type = { 5126: Float32Array, 5123: Uint16Array, 5125: Uint32Array }[accessor.componentType];
  if (!type) throw new Error(`unexpected componentType ${accessor.componentType}`);
  const stride = view.byteStride ?? width * type.BYTES_PER_ELEMENT;
  const data = new DataView(glb.bin.buffer, glb.bin.byteOffset + (view.byteOffset ?? 0) + (accessor.byteOffset ?? 0));
  const out = new type(accessor.count * width);
  for (let i = 0; i < accessor.count; i++) {
    for (let k = 0; k < width; k++) {
      const at = i * stride + k * type.BYTES_PER_ELEMENT;
      out[i * width + k] =
        type === Float32Array
          ? data.getFloat32(at, true)
          : type === Uint16Array
            ? data.getUint16(at, true)
            : data.getUint32(at, true);
    }
  }
  return out;
}
