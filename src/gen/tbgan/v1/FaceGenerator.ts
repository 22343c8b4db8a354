// Original file: proto/tbgan/v1/face_generator.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GenerateRequest as _tbgan_v1_GenerateRequest, GenerateRequest__Output as _tbgan_v1_GenerateRequest__Output } from '../../tbgan/v1/GenerateRequest.js';
import type { GenerateResponse as _tbgan_v1_GenerateResponse, GenerateResponse__Output as _tbgan_v1_GenerateResponse__Output } from '../../tbgan/v1/GenerateResponse.js';
import type { GetModelRequest as _tbgan_v1_GetModelRequest, GetModelRequest__Output as _tbgan_v1_GetModelRequest__Output } from '../../tbgan/v1/GetModelRequest.js';
import type { GetModelResponse as _tbgan_v1_GetModelResponse, GetModelResponse__Output as _tbgan_v1_GetModelResponse__Output } from '../../tbgan/v1/GetModelResponse.js';
import type { InterpolateRequest as _tbgan_v1_InterpolateRequest, InterpolateRequest__Output as _tbgan_v1_InterpolateRequest__Output } from '../../tbgan/v1/InterpolateRequest.js';
import type { InterpolateResponse as _tbgan_v1_InterpolateResponse, InterpolateResponse__Output as _tbgan_v1_InterpolateResponse__Output } from '../../tbgan/v1/InterpolateResponse.js';

/**
 * Generates coupled texture, shape and normal UV maps of 3D faces.
 */
export interface FaceGeneratorClient extends grpc.Client {
  /**
   * Generates `count` faces; the stream carries one GenerateResponse per face, in index order.
   */
  Generate(argument: _tbgan_v1_GenerateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_GenerateResponse__Output>;
  Generate(argument: _tbgan_v1_GenerateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_GenerateResponse__Output>;
  /**
   * Generates `count` faces; the stream carries one GenerateResponse per face, in index order.
   */
  generate(argument: _tbgan_v1_GenerateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_GenerateResponse__Output>;
  generate(argument: _tbgan_v1_GenerateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_GenerateResponse__Output>;
  
  /**
   * Describes the served model: expressions, outputs, formats and limits.
   */
  GetModel(argument: _tbgan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _tbgan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _tbgan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _tbgan_v1_GetModelRequest, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Describes the served model: expressions, outputs, formats and limits.
   */
  getModel(argument: _tbgan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _tbgan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _tbgan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _tbgan_v1_GetModelRequest, callback: grpc.requestCallback<_tbgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Walks from one face to another; one InterpolateResponse per frame, both ends included.
   */
  Interpolate(argument: _tbgan_v1_InterpolateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_InterpolateResponse__Output>;
  Interpolate(argument: _tbgan_v1_InterpolateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_InterpolateResponse__Output>;
  /**
   * Walks from one face to another; one InterpolateResponse per frame, both ends included.
   */
  interpolate(argument: _tbgan_v1_InterpolateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_InterpolateResponse__Output>;
  interpolate(argument: _tbgan_v1_InterpolateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tbgan_v1_InterpolateResponse__Output>;
  
}

/**
 * Generates coupled texture, shape and normal UV maps of 3D faces.
 */
export interface FaceGeneratorHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Generates `count` faces; the stream carries one GenerateResponse per face, in index order.
   */
  Generate: grpc.handleServerStreamingCall<_tbgan_v1_GenerateRequest__Output, _tbgan_v1_GenerateResponse>;
  
  /**
   * Describes the served model: expressions, outputs, formats and limits.
   */
  GetModel: grpc.handleUnaryCall<_tbgan_v1_GetModelRequest__Output, _tbgan_v1_GetModelResponse>;
  
  /**
   * Walks from one face to another; one InterpolateResponse per frame, both ends included.
   */
  Interpolate: grpc.handleServerStreamingCall<_tbgan_v1_InterpolateRequest__Output, _tbgan_v1_InterpolateResponse>;
  
}

export interface FaceGeneratorDefinition extends grpc.ServiceDefinition {
  Generate: MethodDefinition<_tbgan_v1_GenerateRequest, _tbgan_v1_GenerateResponse, _tbgan_v1_GenerateRequest__Output, _tbgan_v1_GenerateResponse__Output>
  GetModel: MethodDefinition<_tbgan_v1_GetModelRequest, _tbgan_v1_GetModelResponse, _tbgan_v1_GetModelRequest__Output, _tbgan_v1_GetModelResponse__Output>
  Interpolate: MethodDefinition<_tbgan_v1_InterpolateRequest, _tbgan_v1_InterpolateResponse, _tbgan_v1_InterpolateRequest__Output, _tbgan_v1_InterpolateResponse__Output>
}
