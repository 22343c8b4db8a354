// Original file: proto/tbgan/v1/face_generator.proto

/**
 * What a face map is of.
 */
export const OutputKind = {
  OUTPUT_KIND_UNSPECIFIED: 'OUTPUT_KIND_UNSPECIFIED',
  /**
   * RGB texture.
   */
  OUTPUT_KIND_TEXTURE: 'OUTPUT_KIND_TEXTURE',
  /**
   * Object-space unit normals.
   */
  OUTPUT_KIND_NORMALS: 'OUTPUT_KIND_NORMALS',
  /**
   * XYZ shape (position) map.
   */
  OUTPUT_KIND_SHAPE: 'OUTPUT_KIND_SHAPE',
  /**
   * The 9 raw generator channels [9, R, R]: texture, shape, normals.
   */
  OUTPUT_KIND_UV: 'OUTPUT_KIND_UV',
  /**
   * A textured triangle mesh built from the maps (mesh_format, topology).
   */
  OUTPUT_KIND_MESH: 'OUTPUT_KIND_MESH',
} as const;

/**
 * What a face map is of.
 */
export type OutputKind =
  | 'OUTPUT_KIND_UNSPECIFIED'
  | 0
  /**
   * RGB texture.
   */
  | 'OUTPUT_KIND_TEXTURE'
  | 1
  /**
   * Object-space unit normals.
   */
  | 'OUTPUT_KIND_NORMALS'
  | 2
  /**
   * XYZ shape (position) map.
   */
  | 'OUTPUT_KIND_SHAPE'
  | 3
  /**
   * The 9 raw generator channels [9, R, R]: texture, shape, normals.
   */
  | 'OUTPUT_KIND_UV'
  | 4
  /**
   * A textured triangle mesh built from the maps (mesh_format, topology).
   */
  | 'OUTPUT_KIND_MESH'
  | 5

/**
 * What a face map is of.
 */
export type OutputKind__Output = typeof OutputKind[keyof typeof OutputKind]
