// Original file: proto/tbgan/v1/face_generator.proto


/**
 * A blend of expression classes (REST {"happiness": 0.7, "surprise": 0.3}); weights are normalised.
 */
export interface ExpressionBlend {
  'weights'?: ({[key: string]: number | string});
}

/**
 * A blend of expression classes (REST {"happiness": 0.7, "surprise": 0.3}); weights are normalised.
 */
export interface ExpressionBlend__Output {
  'weights'?: ({[key: string]: number});
}
