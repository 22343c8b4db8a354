// Original file: proto/tbgan/v1/face_generator.proto

import type { Latent as _tbgan_v1_Latent, Latent__Output as _tbgan_v1_Latent__Output } from '../../tbgan/v1/Latent.js';

/**
 * One latent per face.
 */
export interface LatentList {
  'latents'?: (_tbgan_v1_Latent)[];
}

/**
 * One latent per face.
 */
export interface LatentList__Output {
  'latents': (_tbgan_v1_Latent__Output)[];
}
