// Original file: proto/tbgan/v1/face_generator.proto

import type { Latent as _tbgan_v1_Latent, Latent__Output as _tbgan_v1_Latent__Output } from '../../tbgan/v1/Latent.js';
import type { Expression as _tbgan_v1_Expression, Expression__Output as _tbgan_v1_Expression__Output } from '../../tbgan/v1/Expression.js';

/**
 * One end of an interpolation.
 */
export interface Endpoint {
  'seed'?: (number);
  'latent'?: (_tbgan_v1_Latent | null);
  'expression'?: (_tbgan_v1_Expression | null);
  'intensity'?: (number | string);
  /**
   * Exactly one of seed or latent.
   */
  'source'?: "seed"|"latent";
  '_intensity'?: "intensity";
}

/**
 * One end of an interpolation.
 */
export interface Endpoint__Output {
  'seed'?: (number);
  'latent'?: (_tbgan_v1_Latent__Output);
  'expression'?: (_tbgan_v1_Expression__Output);
  'intensity'?: (number);
  /**
   * Exactly one of seed or latent.
   */
  'source'?: "seed"|"latent";
  '_intensity'?: "intensity";
}
