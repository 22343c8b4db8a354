// Original file: proto/tbgan/v1/face_generator.proto

import type { Face as _tbgan_v1_Face, Face__Output as _tbgan_v1_Face__Output } from '../../tbgan/v1/Face.js';

/**
 * One frame of an Interpolate stream.
 */
export interface InterpolateResponse {
  'face'?: (_tbgan_v1_Face | null);
}

/**
 * One frame of an Interpolate stream.
 */
export interface InterpolateResponse__Output {
  'face'?: (_tbgan_v1_Face__Output);
}
