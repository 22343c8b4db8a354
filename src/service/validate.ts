/**
 * Range and consistency rules of requests, shared by every protocol (the adapters check only wire
 * types). Each violation is an INVALID_ARGUMENT naming the field.
 */
import { ServiceError } from '../errors.js';
import { isSeed } from '../model/index.js';
import { FORMATS_BY_OUTPUT } from './outputs.js';
import {
  type GenerateRequest,
  type InterpolateRequest,
  OUTPUT_FORMATS,
  OUTPUT_KINDS,
  type OutputRequest,
} from './types.js';

/** Limits that requests are checked against. */
export interface RequestLimits {
  maxFacesPerRequest: number;
  maxInterpolationSteps: number;
}

const invalid = (field: string, message: string) => new ServiceError('INVALID_ARGUMENT', message, { field });

/** Checks a generate request against the limits and the model's latent size. */
export function validateGenerate(r: GenerateRequest, limits: RequestLimits, latentSize: number): void {
  if (!(Number.isInteger(r.count) && r.count >= 1 && r.count <= limits.maxFacesPerRequest)) {
    throw invalid('count', `must be an integer in [1, ${limits.maxFacesPerRequest}]`);
  }
  if (r.source === undefined) {
    // a random seed is drawn
  } else if ('seed' in r.source) {
    if (!isSeed(r.source.seed)) throw invalid('seed', 'must be an integer in [0, 4294967295]');
  } else {
    if (r.source.latents.length !== r.count)
      throw invalid('latents', `needs one latent per face: ${r.count} expected, ${r.source.latents.length} given`);
    for (const [i, latent] of r.source.latents.entries()) validateLatent(latent, latentSize, `latents[${i}]`);
  }
  validateTruncation(r.truncation);
  validateOutputs(r.outputs);
}

/** Checks an interpolation request. */
export function validateInterpolate(r: InterpolateRequest, limits: RequestLimits, latentSize: number): void {
  if (!(Number.isInteger(r.steps) && r.steps >= 2 && r.steps <= limits.maxInterpolationSteps)) {
    throw invalid('steps', `must be an integer in [2, ${limits.maxInterpolationSteps}] (frames, both ends included)`);
  }
  for (const end of ['from', 'to'] as const) {
    const source = r[end].source;
    if ('seed' in source) {
      if (!isSeed(source.seed)) throw invalid(`${end}.seed`, 'must be an integer in [0, 4294967295]');
    } else validateLatent(source.latent, latentSize, `${end}.latent`);
  }
  if (r.method !== 'slerp' && r.method !== 'lerp') throw invalid('method', "must be 'slerp' or 'lerp'");
  validateTruncation(r.truncation);
  validateOutputs(r.outputs);
}

function validateLatent(latent: readonly number[], latentSize: number, field: string): void {
  if (latent.length !== latentSize)
    throw invalid(field, `must have ${latentSize} numbers (this model's latent size), has ${latent.length}`);
  const bad = latent.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw invalid(`${field}[${bad}]`, 'must be a finite number');
}

function validateTruncation(truncation: number | undefined): void {
  if (truncation !== undefined && !(Number.isFinite(truncation) && truncation > 0 && truncation <= 1)) {
    throw invalid('truncation', 'must be a number in (0, 1]');
  }
}

/** Checks outputs: known names, a format each output comes in, no duplicates. */
export function validateOutputs(outputs: readonly OutputRequest[]): void {
  if (outputs.length === 0) throw invalid('outputs', 'must name at least one output');
  const seen = new Set<string>();
  outputs.forEach((o, i) => {
    if (!(OUTPUT_KINDS as readonly string[]).includes(o.output)) {
      throw invalid(`outputs[${i}].output`, `unknown output '${o.output}'; one of ${OUTPUT_KINDS.join(', ')}`);
    }
    if (!(OUTPUT_FORMATS as readonly string[]).includes(o.format)) {
      throw invalid(`outputs[${i}].format`, `unknown format '${o.format}'; one of ${OUTPUT_FORMATS.join(', ')}`);
    }
    if (!FORMATS_BY_OUTPUT[o.output].includes(o.format)) {
      throw invalid(
        `outputs[${i}].format`,
        `${o.output} comes as ${FORMATS_BY_OUTPUT[o.output].join(', ')}, not ${o.format}`,
      );
    }
    const key = `${o.output}.${o.format}`;
    if (seen.has(key)) throw invalid(`outputs[${i}]`, `${key} is requested twice`);
    seen.add(key);
  });
}
