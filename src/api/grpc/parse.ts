/**
 * gRPC messages -> the service's protocol-neutral requests. Only wire types are handled here (enum
 * values, oneofs, unset fields); ranges and model rules are checked in `service/` for both protocols.
 */
import { ServiceError } from '../../errors.js';
import type { Endpoint__Output } from '../../gen/tbgan/v1/Endpoint.js';
import type { Expression__Output } from '../../gen/tbgan/v1/Expression.js';
import type { GenerateRequest__Output } from '../../gen/tbgan/v1/GenerateRequest.js';
import type { InterpolateRequest__Output } from '../../gen/tbgan/v1/InterpolateRequest.js';
import type { InterpolationMethod__Output } from '../../gen/tbgan/v1/InterpolationMethod.js';
import type { MeshFormat__Output } from '../../gen/tbgan/v1/MeshFormat.js';
import type { OutputFormat__Output } from '../../gen/tbgan/v1/OutputFormat.js';
import type { OutputKind__Output } from '../../gen/tbgan/v1/OutputKind.js';
import type { OutputSpec__Output } from '../../gen/tbgan/v1/OutputSpec.js';
import {
  DEFAULT_FORMAT,
  DEFAULT_OUTPUTS,
  DEFAULT_STEPS,
  type Endpoint,
  type GenerateRequest,
  type InterpolateRequest,
  type OutputFormat,
  type OutputKind,
  type OutputRequest,
} from '../../service/index.js';

type Expression = NonNullable<GenerateRequest['expression']>;

/** Wire output kinds. */
export const OUTPUT_KINDS: Readonly<Record<OutputKind__Output, string | undefined>> = {
  OUTPUT_KIND_UNSPECIFIED: undefined,
  OUTPUT_KIND_TEXTURE: 'texture',
  OUTPUT_KIND_NORMALS: 'normals',
  OUTPUT_KIND_SHAPE: 'shape',
  OUTPUT_KIND_UV: 'uv',
  OUTPUT_KIND_MESH: 'mesh',
};

/** Wire formats; UNSPECIFIED means the output's default format. */
export const OUTPUT_FORMATS: Readonly<Record<OutputFormat__Output, OutputFormat | undefined>> = {
  OUTPUT_FORMAT_UNSPECIFIED: undefined,
  OUTPUT_FORMAT_PNG: 'png',
  OUTPUT_FORMAT_PNG16: 'png16',
  OUTPUT_FORMAT_NPY: 'npy',
  OUTPUT_FORMAT_NPY_F16: 'npy-f16',
  OUTPUT_FORMAT_EXR: 'exr',
};

const METHODS: Readonly<Record<InterpolationMethod__Output, InterpolateRequest['method']>> = {
  INTERPOLATION_METHOD_UNSPECIFIED: 'slerp',
  INTERPOLATION_METHOD_SLERP: 'slerp',
  INTERPOLATION_METHOD_LERP: 'lerp',
};

const invalid = (field: string, message: string) => new ServiceError('INVALID_ARGUMENT', message, { field });

/** Looks an enum value up; a number the contract does not define (a newer client) is INVALID_ARGUMENT. */
function lookUp<K extends string, V>(table: Readonly<Record<K, V>>, value: K | undefined, first: K, field: string): V {
  const key = value ?? first;
  if (!Object.hasOwn(table, key)) throw invalid(field, `unknown enum value ${String(key)}`);
  return table[key];
}

const MESH_FORMATS: Readonly<Record<MeshFormat__Output, OutputFormat>> = {
  MESH_FORMAT_UNSPECIFIED: 'glb',
  MESH_FORMAT_GLB: 'glb',
  MESH_FORMAT_OBJ: 'obj',
  MESH_FORMAT_PLY: 'ply',
};

/** Outputs, and the topology their meshes use (one per request, as REST's `topology`). */
function parseOutputs(specs: readonly OutputSpec__Output[]): { outputs: OutputRequest[]; topology?: string } {
  // proto3 cannot tell an empty list from an unset one: both mean the default.
  if (specs.length === 0) return { outputs: [...DEFAULT_OUTPUTS] };
  let topology: string | undefined;
  const outputs = specs.map((spec, i) => {
    const output = lookUp(OUTPUT_KINDS, spec.output, 'OUTPUT_KIND_UNSPECIFIED', `outputs[${i}].output`);
    if (output === undefined) throw invalid(`outputs[${i}].output`, 'must be set');
    if (output === 'mesh') {
      if (spec.topology) {
        if (topology !== undefined && topology !== spec.topology)
          throw invalid(`outputs[${i}].topology`, 'all mesh outputs of a request use one topology');
        topology = spec.topology;
      }
      return {
        output: 'mesh' as const,
        format: lookUp(MESH_FORMATS, spec.meshFormat, 'MESH_FORMAT_UNSPECIFIED', `outputs[${i}].mesh_format`),
      };
    }
    const format = lookUp(OUTPUT_FORMATS, spec.format, 'OUTPUT_FORMAT_UNSPECIFIED', `outputs[${i}].format`);
    // As REST does, an unknown output name goes to the service as is, which rejects it by name.
    return { output: output as OutputKind, format: format ?? DEFAULT_FORMAT[output as OutputKind] ?? 'png' };
  });
  return topology === undefined ? { outputs } : { outputs, topology };
}

function parseExpression(e: Expression__Output | undefined, field: string): Expression | undefined {
  if (e === undefined) return undefined;
  switch (e.kind) {
    case 'name':
      return e.name ?? '';
    case 'blend':
      return e.blend?.weights ?? {};
    case 'vector':
      return e.vector?.values ?? [];
    default:
      throw invalid(field, 'set one of name, blend or vector');
  }
}

/** Expression and intensity, set only when given (the service tells unset from default). */
function labelFields(expression: Expression__Output | undefined, intensity: number | undefined, field: string) {
  const parsed = parseExpression(expression, field);
  return {
    ...(parsed !== undefined && { expression: parsed }),
    ...(intensity !== undefined && { intensity }),
  };
}

/** `Generate` request -> GenerateRequest. */
export function parseGenerateRequest(m: GenerateRequest__Output): GenerateRequest {
  const latents = m.source === 'latents' ? (m.latents?.latents ?? []).map((l) => l.values) : undefined;
  const request: GenerateRequest = {
    count: m.count ?? latents?.length ?? 1,
    ...parseOutputs(m.outputs),
    ...labelFields(m.expression, m.intensity, 'expression'),
  };
  if (m.source === 'seed') request.source = { seed: m.seed ?? 0 };
  if (latents !== undefined) request.source = { latents };
  if (m.truncation !== undefined) request.truncation = m.truncation;
  return request;
}

function parseEndpoint(e: Endpoint__Output | undefined, field: string): Endpoint {
  if (e === undefined) throw invalid(field, 'must be set');
  let source: Endpoint['source'];
  if (e.source === 'seed') source = { seed: e.seed ?? 0 };
  else if (e.source === 'latent') source = { latent: e.latent?.values ?? [] };
  else throw invalid(field, 'give exactly one of seed or latent');
  return { source, ...labelFields(e.expression, e.intensity, `${field}.expression`) };
}

/** `Interpolate` request -> InterpolateRequest. */
export function parseInterpolateRequest(m: InterpolateRequest__Output): InterpolateRequest {
  const request: InterpolateRequest = {
    from: parseEndpoint(m.from, 'from'),
    to: parseEndpoint(m.to, 'to'),
    steps: m.steps ?? DEFAULT_STEPS,
    method: lookUp(METHODS, m.method, 'INTERPOLATION_METHOD_UNSPECIFIED', 'method'),
    ...parseOutputs(m.outputs),
  };
  if (m.truncation !== undefined) request.truncation = m.truncation;
  return request;
}
