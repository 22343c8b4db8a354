// Original file: proto/tbgan/v1/face_generator.proto


/**
 * A raw label vector, used as is (REST [1, 0, 0, ...]).
 */
export interface LabelVector {
  'values'?: (number | string)[];
}

/**
 * A raw label vector, used as is (REST [1, 0, 0, ...]).
 */
export interface LabelVector__Output {
  'values': (number)[];
}
