// Original file: proto/tbgan/v1/face_generator.proto

import type { OutputKind as _tbgan_v1_OutputKind, OutputKind__Output as _tbgan_v1_OutputKind__Output } from '../../tbgan/v1/OutputKind.js';
import type { OutputFormats as _tbgan_v1_OutputFormats, OutputFormats__Output as _tbgan_v1_OutputFormats__Output } from '../../tbgan/v1/OutputFormats.js';
import type { Licence as _tbgan_v1_Licence, Licence__Output as _tbgan_v1_Licence__Output } from '../../tbgan/v1/Licence.js';
import type { Limits as _tbgan_v1_Limits, Limits__Output as _tbgan_v1_Limits__Output } from '../../tbgan/v1/Limits.js';
import type { MeshFormat as _tbgan_v1_MeshFormat, MeshFormat__Output as _tbgan_v1_MeshFormat__Output } from '../../tbgan/v1/MeshFormat.js';

/**
 * What clients may know of the served model.
 */
export interface Model {
  'name'?: (string);
  'version'?: (string);
  /**
   * False for random weights: such a model generates noise, not faces.
   */
  'trained'?: (boolean);
  'description'?: (string);
  /**
   * Maps are resolution x resolution.
   */
  'resolution'?: (number);
  'latentSize'?: (number);
  /**
   * Expression class names, in label order.
   */
  'expressions'?: (string)[];
  /**
   * The neutral class; empty when the model has none.
   */
  'neutralExpression'?: (string);
  'outputs'?: (_tbgan_v1_OutputKind)[];
  /**
   * The formats each output comes in.
   */
  'formats'?: (_tbgan_v1_OutputFormats)[];
  'licence'?: (_tbgan_v1_Licence | null);
  /**
   * sha256 of the weights, hex.
   */
  'weightsSha256'?: (string);
  /**
   * "fp32" or "fp16".
   */
  'precision'?: (string);
  /**
   * ONNX Runtime execution provider, e.g. "cpu".
   */
  'executionProvider'?: (string);
  'limits'?: (_tbgan_v1_Limits | null);
  /**
   * Mesh topologies on offer, and the one used when a request names none.
   */
  'topologies'?: (string)[];
  'defaultTopology'?: (string);
  /**
   * The file formats of mesh outputs.
   */
  'meshFormats'?: (_tbgan_v1_MeshFormat)[];
}

/**
 * What clients may know of the served model.
 */
export interface Model__Output {
  'name'?: (string);
  'version'?: (string);
  /**
   * False for random weights: such a model generates noise, not faces.
   */
  'trained'?: (boolean);
  'description'?: (string);
  /**
   * Maps are resolution x resolution.
   */
  'resolution'?: (number);
  'latentSize'?: (number);
  /**
   * Expression class names, in label order.
   */
  'expressions': (string)[];
  /**
   * The neutral class; empty when the model has none.
   */
  'neutralExpression'?: (string);
  'outputs': (_tbgan_v1_OutputKind__Output)[];
  /**
   * The formats each output comes in.
   */
  'formats': (_tbgan_v1_OutputFormats__Output)[];
  'licence'?: (_tbgan_v1_Licence__Output);
  /**
   * sha256 of the weights, hex.
   */
  'weightsSha256'?: (string);
  /**
   * "fp32" or "fp16".
   */
  'precision'?: (string);
  /**
   * ONNX Runtime execution provider, e.g. "cpu".
   */
  'executionProvider'?: (string);
  'limits'?: (_tbgan_v1_Limits__Output);
  /**
   * Mesh topologies on offer, and the one used when a request names none.
   */
  'topologies': (string)[];
  'defaultTopology'?: (string);
  /**
   * The file formats of mesh outputs.
   */
  'meshFormats': (_tbgan_v1_MeshFormat__Output)[];
}
