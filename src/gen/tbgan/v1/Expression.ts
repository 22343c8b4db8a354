// Original file: proto/tbgan/v1/face_generator.proto

import type { ExpressionBlend as _tbgan_v1_ExpressionBlend, ExpressionBlend__Output as _tbgan_v1_ExpressionBlend__Output } from '../../tbgan/v1/ExpressionBlend.js';
import type { LabelVector as _tbgan_v1_LabelVector, LabelVector__Output as _tbgan_v1_LabelVector__Output } from '../../tbgan/v1/LabelVector.js';

/**
 * An expression: a class name, a blend of classes, or a raw label vector.
 */
export interface Expression {
  /**
   * A class name of the model (GetModel lists them).
   */
  'name'?: (string);
  'blend'?: (_tbgan_v1_ExpressionBlend | null);
  'vector'?: (_tbgan_v1_LabelVector | null);
  'kind'?: "name"|"blend"|"vector";
}

/**
 * An expression: a class name, a blend of classes, or a raw label vector.
 */
export interface Expression__Output {
  /**
   * A class name of the model (GetModel lists them).
   */
  'name'?: (string);
  'blend'?: (_tbgan_v1_ExpressionBlend__Output);
  'vector'?: (_tbgan_v1_LabelVector__Output);
  'kind'?: "name"|"blend"|"vector";
}
