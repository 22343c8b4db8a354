// Original file: proto/tbgan/v1/face_generator.proto

/**
 * How an interpolation moves between the two latents.
 */
export const InterpolationMethod = {
  /**
   * SLERP, the default.
   */
  INTERPOLATION_METHOD_UNSPECIFIED: 'INTERPOLATION_METHOD_UNSPECIFIED',
  /**
   * Spherical linear interpolation.
   */
  INTERPOLATION_METHOD_SLERP: 'INTERPOLATION_METHOD_SLERP',
  /**
   * Linear interpolation.
   */
  INTERPOLATION_METHOD_LERP: 'INTERPOLATION_METHOD_LERP',
} as const;

/**
 * How an interpolation moves between the two latents.
 */
export type InterpolationMethod =
  /**
   * SLERP, the default.
   */
  | 'INTERPOLATION_METHOD_UNSPECIFIED'
  | 0
  /**
   * Spherical linear interpolation.
   */
  | 'INTERPOLATION_METHOD_SLERP'
  | 1
  /**
   * Linear interpolation.
   */
  | 'INTERPOLATION_METHOD_LERP'
  | 2

/**
 * How an interpolation moves between the two latents.
 */
export type InterpolationMethod__Output = typeof InterpolationMethod[keyof typeof InterpolationMethod]
