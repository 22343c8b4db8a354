/**
 * Which formats each output comes in, which generator output each needs, and how one face's maps
 * become an encoding job. Images are NHWC, top row first.
 *
 * | output  | png (8-bit)        | png16              | npy            | npy-f16 | exr           |
 * |---------|--------------------|--------------------|----------------|---------|---------------|
 * | texture | RGB                | RGB                | uint8 [R,R,3]  | [0, 1]  | [0, 1] float  |
 * | normals | (n + 1) / 2        | (n + 1) / 2        | uint8 [R,R,3]  | unit n  | unit n        |
 * | shape   | (xyz + 1) / 2 clip | (xyz + 1) / 2 clip | float32 [R,R,3]| xyz     | xyz           |
 * | uv      | -                  | -                  | float32 [9,R,R]| raw     | -             |
 *
 * Meshes (`mesh`: glb, obj (a zip of OBJ + MTL + PNGs), ply) are built from shape, texture and normals
 * by the encoder (codecs/mesh.ts).
 */
import type { EncodeJob } from '../codecs/index.js';
import type { Topology } from '../geometry/index.js';
import { float32ToFloat16, type GeneratorOutput } from '../model/index.js';
import type { Artifact, OutputFormat, OutputKind, OutputRequest } from './types.js';

/** Formats each output can be encoded in. */
export const FORMATS_BY_OUTPUT: Readonly<Record<OutputKind, readonly OutputFormat[]>> = {
  texture: ['png', 'png16', 'npy', 'npy-f16', 'exr'],
  normals: ['png', 'png16', 'npy', 'npy-f16', 'exr'],
  shape: ['png', 'png16', 'npy', 'npy-f16', 'exr'],
  uv: ['npy', 'npy-f16'],
  mesh: ['glb', 'obj', 'ply'],
};

/** The format used when a request names an output without one. */
export const DEFAULT_FORMAT: Readonly<Record<OutputKind, OutputFormat>> = {
  texture: 'png',
  normals: 'png',
  shape: 'npy',
  uv: 'npy',
  mesh: 'glb',
};

const MEDIA: Record<OutputFormat, { mediaType: string; extension: string }> = {
  png: { mediaType: 'image/png', extension: 'png' },
  png16: { mediaType: 'image/png', extension: 'png' },
  npy: { mediaType: 'application/x-npy', extension: 'npy' },
  'npy-f16': { mediaType: 'application/x-npy', extension: 'npy' },
  exr: { mediaType: 'image/x-exr', extension: 'exr' },
  glb: { mediaType: 'model/gltf-binary', extension: 'glb' },
  obj: { mediaType: 'application/zip', extension: 'obj.zip' },
  ply: { mediaType: 'application/x-ply', extension: 'ply' },
};

/** Media type and extension of a format. */
export function formatMedia(format: OutputFormat): { mediaType: string; extension: string } {
  return MEDIA[format];
}

/** The generator outputs an artifact is made from: uint8 maps decoded in the graph where they suffice. */
export function engineOutputsFor(o: OutputRequest): GeneratorOutput[] {
  if (o.output === 'mesh') return ['shape', 'texture', 'normals'];
  if (o.output === 'uv' || o.output === 'shape') return [o.output];
  return [o.format === 'png' || o.format === 'npy' ? o.output : 'uv'];
}

/** A mesh output's topology, resolved by the service, and the metadata written into the file. */
export interface MeshTarget {
  /** The topology's name, and what the encoder gets: a built-in name or the topology itself. */
  name: string;
  topology: string | Topology;
  vertices: number;
  triangles: number;
  metadata: Record<string, unknown>;
}

/** One face's generator outputs: images [R, R, 3], raw uv [9, R, R]. */
export type FaceMaps = Partial<{ texture: Uint8Array; normals: Uint8Array; shape: Float32Array; uv: Float32Array }>;

/** What an artifact will be once its job is encoded. */
export type ArtifactInfo = Omit<Artifact, 'bytes'>;

/** The encoding job and description of one artifact of one face. */
export function artifactJob(
  o: OutputRequest,
  maps: FaceMaps,
  resolution: number,
  mesh?: MeshTarget,
): { job: EncodeJob; info: ArtifactInfo } {
  const R = resolution;
  const media = MEDIA[o.format];
  const info = (shape: number[], dtype: Artifact['dtype']): ArtifactInfo => ({
    output: o.output,
    format: o.format,
    ...media,
    shape,
    dtype,
  });
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`generator output '${name}' missing for ${o.output}.${o.format}`);
    return value;
  };
  if (o.output === 'mesh') {
    if (!mesh) throw new Error('a mesh output needs its topology');
    const format = o.format as 'glb' | 'obj' | 'ply';
    const { topology, metadata } = mesh;
    const job: EncodeJob = {
      kind: 'mesh',
      format,
      resolution: R,
      shape: need(maps.shape, 'shape'),
      texture: need(maps.texture, 'texture'),
      normals: need(maps.normals, 'normals'),
      topology,
      metadata,
    };
    return { job, info: { ...info([mesh.vertices, 3], 'float32'), topology: mesh.name, triangles: mesh.triangles } };
  }
  if (o.output === 'uv') {
    const uv = need(maps.uv, 'uv');
    return o.format === 'npy'
      ? { job: { kind: 'npy', data: uv, shape: [9, R, R], dtype: '<f4' }, info: info([9, R, R], 'float32') }
      : {
          job: { kind: 'npy', data: float32ToFloat16(uv), shape: [9, R, R], dtype: '<f2' },
          info: info([9, R, R], 'float16'),
        };
  }
  const hwc = [R, R, 3];
  if ((o.output === 'texture' || o.output === 'normals') && (o.format === 'png' || o.format === 'npy')) {
    const pixels = need(maps[o.output], o.output);
    return o.format === 'png'
      ? { job: { kind: 'png', pixels, width: R, height: R, channels: 3 }, info: info(hwc, 'uint8') }
      : { job: { kind: 'npy', data: pixels, shape: hwc, dtype: '|u1' }, info: info(hwc, 'uint8') };
  }
  // Float maps: texture in [0, 1], unit normals, shape XYZ.
  const values = o.output === 'shape' ? need(maps.shape, 'shape') : decodeFloat(o.output, need(maps.uv, 'uv'), R);
  // Unit range for 8/16-bit images: texture is [0, 1] already; normals and shape map [-1, 1] -> [0, 1].
  const unit = (v: number) => Math.min(1, Math.max(0, o.output === 'texture' ? v : (v + 1) / 2));
  switch (o.format) {
    case 'png':
      return {
        job: {
          kind: 'png',
          pixels: Uint8Array.from(values, (v) => Math.round(unit(v) * 255)),
          width: R,
          height: R,
          channels: 3,
        },
        info: info(hwc, 'uint8'),
      };
    case 'png16':
      return {
        job: {
          kind: 'png',
          pixels: Uint16Array.from(values, (v) => Math.round(unit(v) * 65535)),
          width: R,
          height: R,
          channels: 3,
        },
        info: info(hwc, 'uint16'),
      };
    case 'npy':
      return { job: { kind: 'npy', data: values, shape: hwc, dtype: '<f4' }, info: info(hwc, 'float32') };
    case 'npy-f16':
      return {
        job: { kind: 'npy', data: float32ToFloat16(values), shape: hwc, dtype: '<f2' },
        info: info(hwc, 'float16'),
      };
    case 'exr':
      return { job: { kind: 'exr', data: values, width: R, height: R, channels: 3 }, info: info(hwc, 'float32') };
    default:
      throw new Error(`${o.output} does not come as ${o.format}`);
  }
}

/** Texture (clip(x / 2 + 0.5, 0, 1)) or unit normals (n / |n|) as float [R, R, 3] from the raw [9, R, R]. */
function decodeFloat(output: 'texture' | 'normals', uv: Float32Array, R: number): Float32Array {
  const plane = R * R;
  const out = new Float32Array(plane * 3);
  const c0 = output === 'texture' ? 0 : 6;
  for (let p = 0; p < plane; p++) {
    const a = uv[c0 * plane + p] as number;
    const b = uv[(c0 + 1) * plane + p] as number;
    const c = uv[(c0 + 2) * plane + p] as number;
    if (output === 'texture') {
      out[p * 3] = Math.min(1, Math.max(0, a / 2 + 0.5));
      out[p * 3 + 1] = Math.min(1, Math.max(0, b / 2 + 0.5));
      out[p * 3 + 2] = Math.min(1, Math.max(0, c / 2 + 0.5));
    } else {
      const k = 1 / Math.sqrt(a * a + b * b + c * c + 1e-8); // the graph's epsilon
      out[p * 3] = a * k;
      out[p * 3 + 1] = b * k;
      out[p * 3 + 2] = c * k;
    }
  }
  return out;
}
