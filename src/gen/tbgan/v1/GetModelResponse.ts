// Original file: proto/tbgan/v1/face_generator.proto

import type { Model as _tbgan_v1_Model, Model__Output as _tbgan_v1_Model__Output } from '../../tbgan/v1/Model.js';

/**
 * The served model (REST `GET /v1/model`).
 */
export interface GetModelResponse {
  'model'?: (_tbgan_v1_Model | null);
}

/**
 * The served model (REST `GET /v1/model`).
 */
export interface GetModelResponse__Output {
  'model'?: (_tbgan_v1_Model__Output);
}
