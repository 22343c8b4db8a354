import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Artifact as _tbgan_v1_Artifact, Artifact__Output as _tbgan_v1_Artifact__Output } from './tbgan/v1/Artifact.js';
import type { Endpoint as _tbgan_v1_Endpoint, Endpoint__Output as _tbgan_v1_Endpoint__Output } from './tbgan/v1/Endpoint.js';
import type { Expression as _tbgan_v1_Expression, Expression__Output as _tbgan_v1_Expression__Output } from './tbgan/v1/Expression.js';
import type { ExpressionBlend as _tbgan_v1_ExpressionBlend, ExpressionBlend__Output as _tbgan_v1_ExpressionBlend__Output } from './tbgan/v1/ExpressionBlend.js';
import type { Face as _tbgan_v1_Face, Face__Output as _tbgan_v1_Face__Output } from './tbgan/v1/Face.js';
import type { FaceGeneratorClient as _tbgan_v1_FaceGeneratorClient, FaceGeneratorDefinition as _tbgan_v1_FaceGeneratorDefinition } from './tbgan/v1/FaceGenerator.js';
import type { GenerateRequest as _tbgan_v1_GenerateRequest, GenerateRequest__Output as _tbgan_v1_GenerateRequest__Output } from './tbgan/v1/GenerateRequest.js';
import type { GenerateResponse as _tbgan_v1_GenerateResponse, GenerateResponse__Output as _tbgan_v1_GenerateResponse__Output } from './tbgan/v1/GenerateResponse.js';
import type { GetModelRequest as _tbgan_v1_GetModelRequest, GetModelRequest__Output as _tbgan_v1_GetModelRequest__Output } from './tbgan/v1/GetModelRequest.js';
import type { GetModelResponse as _tbgan_v1_GetModelResponse, GetModelResponse__Output as _tbgan_v1_GetModelResponse__Output } from './tbgan/v1/GetModelResponse.js';
import type { InterpolateRequest as _tbgan_v1_InterpolateRequest, InterpolateRequest__Output as _tbgan_v1_InterpolateRequest__Output } from './tbgan/v1/InterpolateRequest.js';
import type { InterpolateResponse as _tbgan_v1_InterpolateResponse, InterpolateResponse__Output as _tbgan_v1_InterpolateResponse__Output } from './tbgan/v1/InterpolateResponse.js';
import type { LabelVector as _tbgan_v1_LabelVector, LabelVector__Output as _tbgan_v1_LabelVector__Output } from './tbgan/v1/LabelVector.js';
import type { Latent as _tbgan_v1_Latent, Latent__Output as _tbgan_v1_Latent__Output } from './tbgan/v1/Latent.js';
import type { LatentList as _tbgan_v1_LatentList, LatentList__Output as _tbgan_v1_LatentList__Output } from './tbgan/v1/LatentList.js';
import type { Licence as _tbgan_v1_Licence, Licence__Output as _tbgan_v1_Licence__Output } from './tbgan/v1/Licence.js';
import type { Limits as _tbgan_v1_Limits, Limits__Output as _tbgan_v1_Limits__Output } from './tbgan/v1/Limits.js';
import type { Model as _tbgan_v1_Model, Model__Output as _tbgan_v1_Model__Output } from './tbgan/v1/Model.js';
import type { OutputFormats as _tbgan_v1_OutputFormats, OutputFormats__Output as _tbgan_v1_OutputFormats__Output } from './tbgan/v1/OutputFormats.js';
import type { OutputSpec as _tbgan_v1_OutputSpec, OutputSpec__Output as _tbgan_v1_OutputSpec__Output } from './tbgan/v1/OutputSpec.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tbgan: {
    v1: {
      Artifact: MessageTypeDefinition<_tbgan_v1_Artifact, _tbgan_v1_Artifact__Output>
      Dtype: EnumTypeDefinition
      Endpoint: MessageTypeDefinition<_tbgan_v1_Endpoint, _tbgan_v1_Endpoint__Output>
      Expression: MessageTypeDefinition<_tbgan_v1_Expression, _tbgan_v1_Expression__Output>
      ExpressionBlend: MessageTypeDefinition<_tbgan_v1_ExpressionBlend, _tbgan_v1_ExpressionBlend__Output>
      Face: MessageTypeDefinition<_tbgan_v1_Face, _tbgan_v1_Face__Output>
      /**
       * Generates coupled texture, shape and normal UV maps of 3D faces.
       */
      FaceGenerator: SubtypeConstructor<typeof grpc.Client, _tbgan_v1_FaceGeneratorClient> & { service: _tbgan_v1_FaceGeneratorDefinition }
      GenerateRequest: MessageTypeDefinition<_tbgan_v1_GenerateRequest, _tbgan_v1_GenerateRequest__Output>
      GenerateResponse: MessageTypeDefinition<_tbgan_v1_GenerateResponse, _tbgan_v1_GenerateResponse__Output>
      GetModelRequest: MessageTypeDefinition<_tbgan_v1_GetModelRequest, _tbgan_v1_GetModelRequest__Output>
      GetModelResponse: MessageTypeDefinition<_tbgan_v1_GetModelResponse, _tbgan_v1_GetModelResponse__Output>
      InterpolateRequest: MessageTypeDefinition<_tbgan_v1_InterpolateRequest, _tbgan_v1_InterpolateRequest__Output>
      InterpolateResponse: MessageTypeDefinition<_tbgan_v1_InterpolateResponse, _tbgan_v1_InterpolateResponse__Output>
      InterpolationMethod: EnumTypeDefinition
      LabelVector: MessageTypeDefinition<_tbgan_v1_LabelVector, _tbgan_v1_LabelVector__Output>
      Latent: MessageTypeDefinition<_tbgan_v1_Latent, _tbgan_v1_Latent__Output>
      LatentList: MessageTypeDefinition<_tbgan_v1_LatentList, _tbgan_v1_LatentList__Output>
      Licence: MessageTypeDefinition<_tbgan_v1_Licence, _tbgan_v1_Licence__Output>
      Limits: MessageTypeDefinition<_tbgan_v1_Limits, _tbgan_v1_Limits__Output>
      MeshFormat: EnumTypeDefinition
      Model: MessageTypeDefinition<_tbgan_v1_Model, _tbgan_v1_Model__Output>
      OutputFormat: EnumTypeDefinition
      OutputFormats: MessageTypeDefinition<_tbgan_v1_OutputFormats, _tbgan_v1_OutputFormats__Output>
      OutputKind: EnumTypeDefinition
      OutputSpec: MessageTypeDefinition<_tbgan_v1_OutputSpec, _tbgan_v1_OutputSpec__Output>
    }
  }
}

