// Original file: proto/tbgan/v1/face_generator.proto

import type { LatentList as _tbgan_v1_LatentList, LatentList__Output as _tbgan_v1_LatentList__Output } from '../../tbgan/v1/LatentList.js';
import type { Expression as _tbgan_v1_Expression, Expression__Output as _tbgan_v1_Expression__Output } from '../../tbgan/v1/Expression.js';
import type { OutputSpec as _tbgan_v1_OutputSpec, OutputSpec__Output as _tbgan_v1_OutputSpec__Output } from '../../tbgan/v1/OutputSpec.js';

/**
 * A request for `count` faces (REST `POST /v1/faces:generate`).
 */
export interface GenerateRequest {
  /**
   * Faces to generate; unset: the number of latents, else 1.
   */
  'count'?: (number);
  /**
   * Face i uses seed + i (mod 2^32).
   */
  'seed'?: (number);
  /**
   * One latent per face.
   */
  'latents'?: (_tbgan_v1_LatentList | null);
  /**
   * Unset: the model's default label.
   */
  'expression'?: (_tbgan_v1_Expression | null);
  /**
   * In [0, 1]: how far from neutral toward the expression (named expressions and blends only).
   */
  'intensity'?: (number | string);
  /**
   * Latent scale in (0, 1]; unset: 1 (none).
   */
  'truncation'?: (number | string);
  /**
   * Unset: one 8-bit PNG texture.
   */
  'outputs'?: (_tbgan_v1_OutputSpec)[];
  '_count'?: "count";
  /**
   * Where latents come from; unset: a random seed, returned with each face.
   */
  'source'?: "seed"|"latents";
  '_intensity'?: "intensity";
  '_truncation'?: "truncation";
}

/**
 * A request for `count` faces (REST `POST /v1/faces:generate`).
 */
export interface GenerateRequest__Output {
  /**
   * Faces to generate; unset: the number of latents, else 1.
   */
  'count'?: (number);
  /**
   * Face i uses seed + i (mod 2^32).
   */
  'seed'?: (number);
  /**
   * One latent per face.
   */
  'latents'?: (_tbgan_v1_LatentList__Output);
  /**
   * Unset: the model's default label.
   */
  'expression'?: (_tbgan_v1_Expression__Output);
  /**
   * In [0, 1]: how far from neutral toward the expression (named expressions and blends only).
   */
  'intensity'?: (number);
  /**
   * Latent scale in (0, 1]; unset: 1 (none).
   */
  'truncation'?: (number);
  /**
   * Unset: one 8-bit PNG texture.
   */
  'outputs': (_tbgan_v1_OutputSpec__Output)[];
  '_count'?: "count";
  /**
   * Where latents come from; unset: a random seed, returned with each face.
   */
  'source'?: "seed"|"latents";
  '_intensity'?: "intensity";
  '_truncation'?: "truncation";
}
