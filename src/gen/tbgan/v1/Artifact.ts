// Original file: proto/tbgan/v1/face_generator.proto

import type { OutputKind as _tbgan_v1_OutputKind, OutputKind__Output as _tbgan_v1_OutputKind__Output } from '../../tbgan/v1/OutputKind.js';
import type { OutputFormat as _tbgan_v1_OutputFormat, OutputFormat__Output as _tbgan_v1_OutputFormat__Output } from '../../tbgan/v1/OutputFormat.js';
import type { Dtype as _tbgan_v1_Dtype, Dtype__Output as _tbgan_v1_Dtype__Output } from '../../tbgan/v1/Dtype.js';
import type { MeshFormat as _tbgan_v1_MeshFormat, MeshFormat__Output as _tbgan_v1_MeshFormat__Output } from '../../tbgan/v1/MeshFormat.js';

/**
 * One encoded file of a face: the same bytes the REST API returns.
 */
export interface Artifact {
  'output'?: (_tbgan_v1_OutputKind);
  'format'?: (_tbgan_v1_OutputFormat);
  /**
   * e.g. "image/png".
   */
  'mediaType'?: (string);
  /**
   * File extension without the dot, e.g. "png".
   */
  'extension'?: (string);
  /**
   * Shape of the encoded array, e.g. [256, 256, 3] or [9, 256, 256].
   */
  'shape'?: (number)[];
  'dtype'?: (_tbgan_v1_Dtype);
  /**
   * The file.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Meshes: the file format, topology and triangle count (shape is [vertices, 3]).
   */
  'meshFormat'?: (_tbgan_v1_MeshFormat);
  'topology'?: (string);
  'triangles'?: (number);
}

/**
 * One encoded file of a face: the same bytes the REST API returns.
 */
export interface Artifact__Output {
  'output'?: (_tbgan_v1_OutputKind__Output);
  'format'?: (_tbgan_v1_OutputFormat__Output);
  /**
   * e.g. "image/png".
   */
  'mediaType'?: (string);
  /**
   * File extension without the dot, e.g. "png".
   */
  'extension'?: (string);
  /**
   * Shape of the encoded array, e.g. [256, 256, 3] or [9, 256, 256].
   */
  'shape': (number)[];
  'dtype'?: (_tbgan_v1_Dtype__Output);
  /**
   * The file.
   */
  'data'?: (Buffer);
  /**
   * Meshes: the file format, topology and triangle count (shape is [vertices, 3]).
   */
  'meshFormat'?: (_tbgan_v1_MeshFormat__Output);
  'topology'?: (string);
  'triangles'?: (number);
}
