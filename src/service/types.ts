/**
 * The protocol-neutral requests and results of the face service. The HTTP and gRPC adapters parse
 * their wire formats into these and encode these back; every rule about them lives in `service/`.
 */
import type { Expression } from '../model/index.js';

/**
 * What a face comes as: its maps (research/tbgan.md §1.7: RGB texture, XYZ shape, unit normals, or all
 * 9 raw channels) or a textured mesh built from them (docs/geometry.md).
 */
export const OUTPUT_KINDS = ['texture', 'normals', 'shape', 'uv', 'mesh'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** File formats of a map. */
export const OUTPUT_FORMATS = ['png', 'png16', 'npy', 'npy-f16', 'exr', 'glb', 'obj', 'ply'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One requested artifact of each face. */
export interface OutputRequest {
  output: OutputKind;
  format: OutputFormat;
}

/** The outputs of a request that names none: one 8-bit PNG texture per face. */
export const DEFAULT_OUTPUTS: readonly OutputRequest[] = [{ output: 'texture', format: 'png' }];

/** Frames of an interpolation that sets no `steps`, both ends included. */
export const DEFAULT_STEPS = 8;

/** Where a face's latent comes from: a seed (face i of the request uses seed + i) or explicit latents. */
export type LatentSource = { seed: number } | { latents: readonly (readonly number[])[] };

/** A request for `count` faces. */
export interface GenerateRequest {
  count: number;
  /** Absent: a random seed is drawn (and returned with each face). */
  source?: LatentSource;
  expression?: Expression;
  intensity?: number;
  /** Latent scale in (0, 1]: z * truncation (1 = none). */
  truncation?: number;
  outputs: readonly OutputRequest[];
  /** Mesh topology for `mesh` outputs (a name from ModelInfo.topologies); the model's default if absent. */
  topology?: string;
}

/** One end of an interpolation. */
export interface Endpoint {
  source: { seed: number } | { latent: readonly number[] };
  expression?: Expression;
  intensity?: number;
}

/** A walk from one face to another, `steps` frames including both ends. */
export interface InterpolateRequest {
  from: Endpoint;
  to: Endpoint;
  steps: number;
  method: 'slerp' | 'lerp';
  truncation?: number;
  outputs: readonly OutputRequest[];
  topology?: string;
}

/** One encoded file of a face. */
export interface Artifact {
  output: OutputKind;
  format: OutputFormat;
  mediaType: string;
  /** File extension without the dot. */
  extension: string;
  /** Shape of the encoded array, e.g. [256, 256, 3] or [9, 256, 256]; meshes: [vertices, 3]. */
  shape: number[];
  dtype: 'uint8' | 'uint16' | 'float16' | 'float32';
  /** Meshes: the topology and its triangle count. */
  topology?: string;
  triangles?: number;
  bytes: Uint8Array;
}

/** A generated face: where it came from and its artifacts. */
export interface FaceResult {
  index: number;
  /** The face's seed, when it came from one. */
  seed?: number;
  /** The label vector fed to the generator. */
  label: number[];
  truncation: number;
  artifacts: Artifact[];
}

/** What clients may know of the served model. */
export interface ModelInfo {
  name: string;
  version: string;
  trained: boolean;
  description: string;
  resolution: number;
  latentSize: number;
  expressions: string[];
  neutralExpression: string | null;
  outputs: OutputKind[];
  formats: Record<OutputKind, OutputFormat[]>;
  /** Mesh topologies on offer, and the one used when a request names none. */
  topologies: string[];
  defaultTopology: string;
  licence: { name: string; redistributable: boolean };
  /** sha256 of the weights (the model's identity in ETags). */
  weightsSha256: string;
  precision: 'fp32' | 'fp16';
  executionProvider: string;
  limits: { maxFacesPerRequest: number; maxInterpolationSteps: number };
}
