// Original file: proto/tbgan/v1/face_generator.proto

import type { OutputKind as _tbgan_v1_OutputKind, OutputKind__Output as _tbgan_v1_OutputKind__Output } from '../../tbgan/v1/OutputKind.js';
import type { OutputFormat as _tbgan_v1_OutputFormat, OutputFormat__Output as _tbgan_v1_OutputFormat__Output } from '../../tbgan/v1/OutputFormat.js';
import type { MeshFormat as _tbgan_v1_MeshFormat, MeshFormat__Output as _tbgan_v1_MeshFormat__Output } from '../../tbgan/v1/MeshFormat.js';

/**
 * One requested artifact of each face (REST: "texture" or {"output", "format"}).
 */
export interface OutputSpec {
  /**
   * Which map (or mesh).
   */
  'output'?: (_tbgan_v1_OutputKind);
  /**
   * Format of a map; UNSPECIFIED: the output's default.
   */
  'format'?: (_tbgan_v1_OutputFormat);
  /**
   * Format of a mesh output (REST `meshFormat`); unused by maps.
   */
  'meshFormat'?: (_tbgan_v1_MeshFormat);
  /**
   * Topology of a mesh output (REST `topology`), e.g. "mediapipe-canonical"; empty: the model's default.
   * All mesh outputs of one request use one topology.
   */
  'topology'?: (string);
}

/**
 * One requested artifact of each face (REST: "texture" or {"output", "format"}).
 */
export interface OutputSpec__Output {
  /**
   * Which map (or mesh).
   */
  'output'?: (_tbgan_v1_OutputKind__Output);
  /**
   * Format of a map; UNSPECIFIED: the output's default.
   */
  'format'?: (_tbgan_v1_OutputFormat__Output);
  /**
   * Format of a mesh output (REST `meshFormat`); unused by maps.
   */
  'meshFormat'?: (_tbgan_v1_MeshFormat__Output);
  /**
   * Topology of a mesh output (REST `topology`), e.g. "mediapipe-canonical"; empty: the model's default.
   * All mesh outputs of one request use one topology.
   */
  'topology'?: (string);
}
