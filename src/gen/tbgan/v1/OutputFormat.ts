// Original file: proto/tbgan/v1/face_generator.proto

/**
 * File format of a map; UNSPECIFIED picks the output's default (texture, normals: PNG; shape, uv: NPY).
 */
export const OutputFormat = {
  OUTPUT_FORMAT_UNSPECIFIED: 'OUTPUT_FORMAT_UNSPECIFIED',
  /**
   * 8-bit PNG.
   */
  OUTPUT_FORMAT_PNG: 'OUTPUT_FORMAT_PNG',
  /**
   * 16-bit PNG.
   */
  OUTPUT_FORMAT_PNG16: 'OUTPUT_FORMAT_PNG16',
  /**
   * NumPy .npy: uint8 for 8-bit maps, float32 otherwise.
   */
  OUTPUT_FORMAT_NPY: 'OUTPUT_FORMAT_NPY',
  /**
   * NumPy .npy, float16.
   */
  OUTPUT_FORMAT_NPY_F16: 'OUTPUT_FORMAT_NPY_F16',
  /**
   * OpenEXR, float.
   */
  OUTPUT_FORMAT_EXR: 'OUTPUT_FORMAT_EXR',
} as const;

/**
 * File format of a map; UNSPECIFIED picks the output's default (texture, normals: PNG; shape, uv: NPY).
 */
export type OutputFormat =
  | 'OUTPUT_FORMAT_UNSPECIFIED'
  | 0
  /**
   * 8-bit PNG.
   */
  | 'OUTPUT_FORMAT_PNG'
  | 1
  /**
   * 16-bit PNG.
   */
  | 'OUTPUT_FORMAT_PNG16'
  | 2
  /**
   * NumPy .npy: uint8 for 8-bit maps, float32 otherwise.
   */
  | 'OUTPUT_FORMAT_NPY'
  | 3
  /**
   * NumPy .npy, float16.
   */
  | 'OUTPUT_FORMAT_NPY_F16'
  | 4
  /**
   * OpenEXR, float.
   */
  | 'OUTPUT_FORMAT_EXR'
  | 5

/**
 * File format of a map; UNSPECIFIED picks the output's default (texture, normals: PNG; shape, uv: NPY).
 */
export type OutputFormat__Output = typeof OutputFormat[keyof typeof OutputFormat]
