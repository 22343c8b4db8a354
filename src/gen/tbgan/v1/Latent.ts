// Original file: proto/tbgan/v1/face_generator.proto


/**
 * A latent vector: the model's latent size, float32 as the generator uses it.
 */
export interface Latent {
  'values'?: (number | string)[];
}

/**
 * A latent vector: the model's latent size, float32 as the generator uses it.
 */
export interface Latent__Output {
  'values': (number)[];
}
