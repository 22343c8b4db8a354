/**
 * The JSON bodies of the REST API: wire types only (unknown fields rejected), parsed into the
 * service's protocol-neutral requests. Ranges and model-specific rules are checked in `service/`.
 */
import { z } from 'zod';
import { ServiceError } from '../../errors.js';
import {
  DEFAULT_FORMAT,
  DEFAULT_OUTPUTS,
  DEFAULT_STEPS,
  type Endpoint,
  type GenerateRequest,
  type InterpolateRequest,
  OUTPUT_KINDS,
  type OutputFormat,
  type OutputKind,
  type OutputRequest,
} from '../../service/index.js';

const ExpressionSchema = z.union([z.string(), z.array(z.number()), z.record(z.string(), z.number())]);
const OutputSchema = z.union([z.string(), z.strictObject({ output: z.string(), format: z.string().optional() })]);
const common = {
  expression: ExpressionSchema.optional(),
  intensity: z.number().optional(),
  truncation: z.number().optional(),
  outputs: z.array(OutputSchema).optional(),
  meshFormat: z.string().optional(),
  topology: z.string().optional(),
  timeoutMs: z.number().optional(),
};

const GenerateBody = z.strictObject({
  count: z.number().optional(),
  seed: z.number().optional(),
  latents: z.array(z.array(z.number())).optional(),
  ...common,
});

const EndpointBody = z.strictObject({
  seed: z.number().optional(),
  latent: z.array(z.number()).optional(),
  expression: ExpressionSchema.optional(),
  intensity: z.number().optional(),
});

const InterpolateBody = z.strictObject({
  from: EndpointBody,
  to: EndpointBody,
  steps: z.number().optional(),
  method: z.string().optional(),
  truncation: z.number().optional(),
  outputs: z.array(OutputSchema).optional(),
  meshFormat: z.string().optional(),
  topology: z.string().optional(),
  timeoutMs: z.number().optional(),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ServiceError('INVALID_ARGUMENT', 'the body must be a JSON object', { field: '(body)' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0] as z.core.$ZodIssue;
  const field = fieldPath(first.code === 'unrecognized_keys' ? [...first.path, first.keys[0] as string] : first.path);
  const detail = issues.map((i) => `${fieldPath(i.path) || '(body)'}: ${i.message}`).join('; ');
  throw new ServiceError('INVALID_ARGUMENT', detail, { field: field || '(body)' });
}

/** `['outputs', 1, 'format']` -> `outputs[1].format`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

/** Outputs as requested; a `mesh` without its own format takes `meshFormat` (default glb). */
function parseOutputs(
  outputs: z.infer<typeof OutputSchema>[] | undefined,
  meshFormat: string | undefined,
): OutputRequest[] {
  if (outputs === undefined) outputs = meshFormat === undefined ? DEFAULT_OUTPUTS.map((o) => o.output) : ['mesh'];
  return outputs.map((o) => {
    const output = (typeof o === 'string' ? o : o.output) as OutputKind;
    const given = typeof o === 'string' ? undefined : o.format;
    const format = given ?? (output === 'mesh' ? meshFormat : undefined) ?? DEFAULT_FORMAT[output] ?? 'png';
    return { output, format: format as OutputFormat };
  });
}

/** Parsed request plus its own timeout, if it set one. */
export interface Parsed<T> {
  request: T;
  timeoutMs?: number;
}

/** `POST /v1/faces:generate` body -> GenerateRequest. */
export function parseGenerateBody(body: unknown): Parsed<GenerateRequest> {
  const b = parse(GenerateBody, body);
  if (b.seed !== undefined && b.latents !== undefined)
    throw new ServiceError('INVALID_ARGUMENT', 'give seed or latents, not both', { field: 'latents' });
  const request: GenerateRequest = {
    count: b.count ?? b.latents?.length ?? 1,
    outputs: parseOutputs(b.outputs, b.meshFormat),
  };
  if (b.topology !== undefined) request.topology = b.topology;
  if (b.seed !== undefined) request.source = { seed: b.seed };
  if (b.latents !== undefined) request.source = { latents: b.latents };
  if (b.expression !== undefined) request.expression = b.expression;
  if (b.intensity !== undefined) request.intensity = b.intensity;
  if (b.truncation !== undefined) request.truncation = b.truncation;
  return b.timeoutMs === undefined ? { request } : { request, timeoutMs: b.timeoutMs };
}

function parseEndpoint(e: z.infer<typeof EndpointBody>, field: string): Endpoint {
  if ((e.seed === undefined) === (e.latent === undefined)) {
    throw new ServiceError('INVALID_ARGUMENT', 'give exactly one of seed or latent', { field });
  }
  const endpoint: Endpoint = { source: e.seed !== undefined ? { seed: e.seed } : { latent: e.latent as number[] } };
  if (e.expression !== undefined) endpoint.expression = e.expression;
  if (e.intensity !== undefined) endpoint.intensity = e.intensity;
  return endpoint;
}

/** `POST /v1/faces:interpolate` body -> InterpolateRequest. */
export function parseInterpolateBody(body: unknown): Parsed<InterpolateRequest> {
  const b = parse(InterpolateBody, body);
  const request: InterpolateRequest = {
    from: parseEndpoint(b.from, 'from'),
    to: parseEndpoint(b.to, 'to'),
    steps: b.steps ?? DEFAULT_STEPS,
    method: (b.method ?? 'slerp') as InterpolateRequest['method'],
    outputs: parseOutputs(b.outputs, b.meshFormat),
  };
  if (b.truncation !== undefined) request.truncation = b.truncation;
  if (b.topology !== undefined) request.topology = b.topology;
  return b.timeoutMs === undefined ? { request } : { request, timeoutMs: b.timeoutMs };
}

/** Parses `?expression=` of a GET: a class name, or `name:weight,name:weight`. */
export function parseExpressionQuery(value: unknown): string | Record<string, number> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new ServiceError('INVALID_ARGUMENT', 'must be a class name or name:weight,...', { field: 'expression' });
  if (!value.includes(':') && !value.includes(',')) return value;
  const blend: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [name, weight, extra] = part.split(':');
    const w = Number(weight);
    if (!name || weight === undefined || extra !== undefined || weight.trim() === '' || !Number.isFinite(w)) {
      throw new ServiceError('INVALID_ARGUMENT', `'${part}' is not name:weight`, { field: 'expression' });
    }
    blend[name] = w;
  }
  return blend;
}

/** Parses a numeric query parameter. */
export function parseNumberQuery(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new ServiceError('INVALID_ARGUMENT', 'must be a number', { field });
  return n;
}

/** Whether `name` is an output kind. */
export function isOutputKind(name: string): name is OutputKind {
  return (OUTPUT_KINDS as readonly string[]).includes(name);
}
