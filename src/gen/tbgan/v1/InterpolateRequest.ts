// Original file: proto/tbgan/v1/face_generator.proto

import type { Endpoint as _tbgan_v1_Endpoint, Endpoint__Output as _tbgan_v1_Endpoint__Output } from '../../tbgan/v1/Endpoint.js';
import type { InterpolationMethod as _tbgan_v1_InterpolationMethod, InterpolationMethod__Output as _tbgan_v1_InterpolationMethod__Output } from '../../tbgan/v1/InterpolationMethod.js';
import type { OutputSpec as _tbgan_v1_OutputSpec, OutputSpec__Output as _tbgan_v1_OutputSpec__Output } from '../../tbgan/v1/OutputSpec.js';

/**
 * A walk from one face to another (REST `POST /v1/faces:interpolate`).
 */
export interface InterpolateRequest {
  'from'?: (_tbgan_v1_Endpoint | null);
  'to'?: (_tbgan_v1_Endpoint | null);
  /**
   * Frames, both ends included; unset: 8.
   */
  'steps'?: (number);
  'method'?: (_tbgan_v1_InterpolationMethod);
  'truncation'?: (number | string);
  /**
   * Unset: one 8-bit PNG texture.
   */
  'outputs'?: (_tbgan_v1_OutputSpec)[];
  '_steps'?: "steps";
  '_truncation'?: "truncation";
}

/**
 * A walk from one face to another (REST `POST /v1/faces:interpolate`).
 */
export interface InterpolateRequest__Output {
  'from'?: (_tbgan_v1_Endpoint__Output);
  'to'?: (_tbgan_v1_Endpoint__Output);
  /**
   * Frames, both ends included; unset: 8.
   */
  'steps'?: (number);
  'method'?: (_tbgan_v1_InterpolationMethod__Output);
  'truncation'?: (number);
  /**
   * Unset: one 8-bit PNG texture.
   */
  'outputs': (_tbgan_v1_OutputSpec__Output)[];
  '_steps'?: "steps";
  '_truncation'?: "truncation";
}
