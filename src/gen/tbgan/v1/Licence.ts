// Original file: proto/tbgan/v1/face_generator.proto


/**
 * The model's licence.
 */
export interface Licence {
  'name'?: (string);
  'redistributable'?: (boolean);
}

/**
 * The model's licence.
 */
export interface Licence__Output {
  'name'?: (string);
  'redistributable'?: (boolean);
}
