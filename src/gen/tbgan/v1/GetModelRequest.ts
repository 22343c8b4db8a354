// Original file: proto/tbgan/v1/face_generator.proto


/**
 * Asks for the model description.
 */
export interface GetModelRequest {
}

/**
 * Asks for the model description.
 */
export interface GetModelRequest__Output {
}
