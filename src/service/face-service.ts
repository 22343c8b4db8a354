/**
 * The face service: protocol-neutral use cases (generate, interpolate, one cacheable artifact),
 * readiness and drain. Requests become faces (latent + label + the generator outputs they need),
 * faces go through the one dynamic batcher, and each face's maps are encoded on the encoder pool.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Batcher } from '../batching/index.js';
import type { EncodeJob } from '../codecs/index.js';
import { UnavailableError } from '../errors.js';
import { type Expression, GENERATOR_OUTPUTS, labelVector, latentFromSeed, type Manifest } from '../model/index.js';
import type { Logger, Metrics } from '../observability/index.js';
import type { FaceItem } from './generator-runner.js';
import { interpolateLabel, interpolateLatent } from './interpolation.js';
import { artifactJob, engineOutputFor, type FaceMaps, FORMATS_BY_OUTPUT } from './outputs.js';
import type { Artifact, FaceResult, GenerateRequest, InterpolateRequest, ModelInfo, OutputRequest } from './types.js';
import { type RequestLimits, validateGenerate, validateInterpolate, validateOutputs } from './validate.js';

/** Bump when artifact bytes for the same inputs change (encoder settings, decoding): part of every ETag. */
export const ARTIFACT_VERSION = 1;

/** Anything that encodes jobs (the worker pool, or a direct call in tests). */
export interface Encoder {
  encode(job: EncodeJob): Promise<Uint8Array>;
}

/** Per-call options: the signal combines client disconnect, deadline and shutdown. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Absolute deadline, epoch ms. */
  deadline?: number;
}

/** What the face service needs. */
export interface FaceServiceDeps {
  manifest: Manifest;
  weightsSha256: string;
  precision: 'fp32' | 'fp16';
  executionProvider: string;
  /** Identifies everything that shapes the output bits (graph cache key, provider): part of every ETag. */
  engineIdentity: string;
  batcher: Batcher<FaceItem, FaceMaps>;
  encoder: Encoder;
  limits: RequestLimits;
  metrics: Metrics;
  logger: Logger;
}

/** Lifecycle of the service. */
export type ServiceState = 'starting' | 'ready' | 'draining' | 'stopped';

/** The face service. */
export interface FaceService {
  readonly model: ModelInfo;
  readonly state: ServiceState;
  /** Runs one face through the whole pipeline, then marks the service ready. */
  warmUp(): Promise<void>;
  generate(request: GenerateRequest, options?: CallOptions): Promise<FaceResult[]>;
  interpolate(request: InterpolateRequest, options?: CallOptions): Promise<FaceResult[]>;
  /** The strong ETag of one artifact of one seed, known before generating it. */
  artifactEtag(
    seed: number,
    output: OutputRequest,
    expression: Expression | undefined,
    intensity: number | undefined,
    truncation: number | undefined,
  ): string;
  /** A zip archive of named files (for bulk responses). */
  zip(entries: { name: string; data: Uint8Array }[]): Promise<Uint8Array>;
  /** Stops admission (not ready), finishes accepted work: true when everything finished in time. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Creates the face service. */
export function createFaceService(deps: FaceServiceDeps): FaceService {
  const { manifest, batcher, encoder, metrics, limits } = deps;
  const arch = manifest.architecture;
  const log = deps.logger.child({ module: 'service' });
  let state: ServiceState = 'starting';

  const model: ModelInfo = {
    name: manifest.name,
    version: manifest.version,
    trained: manifest.trained,
    description: manifest.description,
    resolution: arch.resolution,
    latentSize: arch.latentSize,
    expressions: [...manifest.labels.names],
    neutralExpression: manifest.labels.neutral,
    outputs: ['texture', 'normals', 'shape', 'uv'],
    formats: Object.fromEntries(Object.entries(FORMATS_BY_OUTPUT).map(([k, v]) => [k, [...v]])) as ModelInfo['formats'],
    licence: { name: manifest.licence.name, redistributable: manifest.licence.redistributable },
    weightsSha256: deps.weightsSha256,
    precision: deps.precision,
    executionProvider: deps.executionProvider,
    limits: { maxFacesPerRequest: limits.maxFacesPerRequest, maxInterpolationSteps: limits.maxInterpolationSteps },
  };

  const admit = () => {
    if (state === 'ready') return;
    metrics.rejections.inc({ reason: state === 'starting' ? 'not_ready' : 'draining' });
    throw new UnavailableError(
      state === 'starting' ? 'the model is still loading' : 'the server is shutting down',
      state === 'starting' ? 1000 : 0,
    );
  };

  /** Runs faces through the batcher and encodes their artifacts. */
  async function run(
    faces: { z: Float32Array; label: Float32Array; seed?: number; truncation: number }[],
    outputs: readonly OutputRequest[],
    options: CallOptions,
  ): Promise<FaceResult[]> {
    const fetches = new Set(outputs.map(engineOutputFor));
    const items: FaceItem[] = faces.map((f) => ({ z: f.z, label: f.label, fetches }));
    const maps = await batcher.submit(items, options);
    options.signal?.throwIfAborted();
    metrics.facesGenerated.inc(faces.length);
    return Promise.all(
      faces.map(async (face, index) => {
        const artifacts = await Promise.all(outputs.map((o) => encodeArtifact(o, maps[index] as FaceMaps)));
        const result: FaceResult = { index, label: Array.from(face.label), truncation: face.truncation, artifacts };
        if (face.seed !== undefined) result.seed = face.seed;
        return result;
      }),
    );
  }

  async function encodeArtifact(o: OutputRequest, maps: FaceMaps): Promise<Artifact> {
    const { job, info } = artifactJob(o, maps, arch.resolution);
    const end = metrics.encodeDuration.startTimer({ format: o.format });
    const bytes = await encoder.encode(job);
    end();
    return { ...info, bytes };
  }

  const scaled = (z: Float32Array, truncation: number) => (truncation === 1 ? z : z.map((v) => v * truncation));

  const service: FaceService = {
    model,
    get state() {
      return state;
    },

    async warmUp() {
      const start = performance.now();
      const fetches = new Set(GENERATOR_OUTPUTS);
      const label = labelVector(manifest.labels, undefined);
      await batcher.submit([{ z: latentFromSeed(0, arch.latentSize), label, fetches }]);
      await encodeArtifact(
        { output: 'texture', format: 'png' },
        { texture: new Uint8Array(arch.resolution * arch.resolution * 3) },
      );
      state = 'ready';
      metrics.ready.set(1);
      log.info({ warmUpMs: Math.round(performance.now() - start) }, 'ready');
    },

    async generate(request, options = {}) {
      admit();
      validateGenerate(request, limits, arch.latentSize);
      const label = labelVector(manifest.labels, request.expression, request.intensity);
      const truncation = request.truncation ?? 1;
      const source = request.source ?? { seed: randomSeed() };
      const faces = Array.from({ length: request.count }, (_, i) => {
        if ('seed' in source) {
          const seed = (source.seed + i) >>> 0;
          return { z: scaled(latentFromSeed(seed, arch.latentSize), truncation), label, seed, truncation };
        }
        return { z: scaled(Float32Array.from(source.latents[i] as number[]), truncation), label, truncation };
      });
      return run(faces, request.outputs, options);
    },

    async interpolate(request, options = {}) {
      admit();
      validateInterpolate(request, limits, arch.latentSize);
      const truncation = request.truncation ?? 1;
      const end = (e: InterpolateRequest['from'], field: string) => ({
        z: 'seed' in e.source ? latentFromSeed(e.source.seed, arch.latentSize) : Float32Array.from(e.source.latent),
        label: labelVector(manifest.labels, e.expression, e.intensity, `${field}.expression`),
      });
      const a = end(request.from, 'from');
      const b = end(request.to, 'to');
      const faces = Array.from({ length: request.steps }, (_, i) => {
        const t = i / (request.steps - 1);
        return {
          z: scaled(interpolateLatent(a.z, b.z, t, request.method), truncation),
          label: interpolateLabel(a.label, b.label, t),
          truncation,
        };
      });
      return run(faces, request.outputs, options);
    },

    artifactEtag(seed, output, expression, intensity, truncation) {
      validateOutputs([output]);
      const label = Array.from(labelVector(manifest.labels, expression, intensity));
      const key = JSON.stringify([
        ARTIFACT_VERSION,
        manifest.name,
        manifest.version,
        deps.engineIdentity,
        seed,
        output.output,
        output.format,
        label,
        truncation ?? 1,
      ]);
      return `"${createHash('sha256').update(key).digest('base64url')}"`;
    },

    zip(entries) {
      return encoder.encode({ kind: 'zip', entries });
    },

    async drain(timeoutMs) {
      if (state === 'stopped') return true;
      state = 'draining';
      metrics.ready.set(0);
      log.info({ timeoutMs, queued: batcher.queueDepth }, 'draining');
      const finished = await batcher.drain(timeoutMs);
      state = 'stopped';
      return finished;
    },
  };
  return service;
}

/** A random seed for requests that give none (game backends asking for "a new face"). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32);
}
