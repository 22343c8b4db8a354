// Original file: proto/tbgan/v1/face_generator.proto

/**
 * File format of a mesh output.
 */
export const MeshFormat = {
  MESH_FORMAT_UNSPECIFIED: 'MESH_FORMAT_UNSPECIFIED',
  /**
   * Binary glTF 2.0.
   */
  MESH_FORMAT_GLB: 'MESH_FORMAT_GLB',
  /**
   * Wavefront OBJ with its MTL.
   */
  MESH_FORMAT_OBJ: 'MESH_FORMAT_OBJ',
  /**
   * Binary PLY.
   */
  MESH_FORMAT_PLY: 'MESH_FORMAT_PLY',
} as const;

/**
 * File format of a mesh output.
 */
export type MeshFormat =
  | 'MESH_FORMAT_UNSPECIFIED'
  | 0
  /**
   * Binary glTF 2.0.
   */
  | 'MESH_FORMAT_GLB'
  | 1
  /**
   * Wavefront OBJ with its MTL.
   */
  | 'MESH_FORMAT_OBJ'
  | 2
  /**
   * Binary PLY.
   */
  | 'MESH_FORMAT_PLY'
  | 3

/**
 * File format of a mesh output.
 */
export type MeshFormat__Output = typeof MeshFormat[keyof typeof MeshFormat]
