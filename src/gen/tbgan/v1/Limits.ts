// Original file: proto/tbgan/v1/face_generator.proto


/**
 * Per-request limits of this server.
 */
export interface Limits {
  'maxFacesPerRequest'?: (number);
  'maxInterpolationSteps'?: (number);
}

/**
 * Per-request limits of this server.
 */
export interface Limits__Output {
  'maxFacesPerRequest'?: (number);
  'maxInterpolationSteps'?: (number);
}
