// Original file: proto/tbgan/v1/face_generator.proto

import type { OutputKind as _tbgan_v1_OutputKind, OutputKind__Output as _tbgan_v1_OutputKind__Output } from '../../tbgan/v1/OutputKind.js';
import type { OutputFormat as _tbgan_v1_OutputFormat, OutputFormat__Output as _tbgan_v1_OutputFormat__Output } from '../../tbgan/v1/OutputFormat.js';

/**
 * The formats one output comes in.
 */
export interface OutputFormats {
  'output'?: (_tbgan_v1_OutputKind);
  'formats'?: (_tbgan_v1_OutputFormat)[];
}

/**
 * The formats one output comes in.
 */
export interface OutputFormats__Output {
  'output'?: (_tbgan_v1_OutputKind__Output);
  'formats': (_tbgan_v1_OutputFormat__Output)[];
}
