// Original file: proto/tbgan/v1/face_generator.proto

/**
 * Element type of an artifact's encoded array.
 */
export const Dtype = {
  DTYPE_UNSPECIFIED: 'DTYPE_UNSPECIFIED',
  DTYPE_UINT8: 'DTYPE_UINT8',
  DTYPE_UINT16: 'DTYPE_UINT16',
  DTYPE_FLOAT16: 'DTYPE_FLOAT16',
  DTYPE_FLOAT32: 'DTYPE_FLOAT32',
} as const;

/**
 * Element type of an artifact's encoded array.
 */
export type Dtype =
  | 'DTYPE_UNSPECIFIED'
  | 0
  | 'DTYPE_UINT8'
  | 1
  | 'DTYPE_UINT16'
  | 2
  | 'DTYPE_FLOAT16'
  | 3
  | 'DTYPE_FLOAT32'
  | 4

/**
 * Element type of an artifact's encoded array.
 */
export type Dtype__Output = typeof Dtype[keyof typeof Dtype]
