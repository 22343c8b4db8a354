/**
 * The face service: protocol-neutral use cases (generate, interpolate, one cacheable artifact),
 * readiness and drain. Requests become faces (latent + label + the generator outputs they need),
 * faces go through the one dynamic batcher, and each face's maps are encoded on the encoder pool.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Batcher, TicketTiming } from '../batching/index.js';
import type { EncodeJob } from '../codecs/index.js';
import { UnavailableError } from '../errors.js';
import type { Topology } from '../geometry/index.js';
import { type Expression, labelVector, latentFromSeed, type Manifest } from '../model/index.js';
import type { Logger, Metrics } from '../observability/index.js';
import type { FaceItem } from './generator-runner.js';
import { interpolateLabel, interpolateLatent } from './interpolation.js';
import { artifactJob, engineOutputsFor, type FaceMaps, FORMATS_BY_OUTPUT } from './outputs.js';
import { createTopologies } from './topologies.js';
import {
  type Artifact,
  type FaceResult,
  type GenerateRequest,
  type InterpolateRequest,
  type ModelInfo,
  OUTPUT_KINDS,
  type OutputRequest,
} from './types.js';
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
  /** Filled in as the call succeeds: where its time went (the adapters send it as Server-Timing). */
  timing?: CallTiming;
}

/** Where a call's time went, in milliseconds. */
export interface CallTiming {
  /** Waiting for the engine: queued until the first batch holding its faces started. */
  queueMs?: number;
  /** Engine runs, from that start to the end of the last batch holding its faces. */
  inferenceMs?: number;
  /** Encoding every artifact of every face (in parallel on the encoder pool). */
  encodeMs?: number;
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
  /** The package's own mesh template (manifest topology `file`), offered as topology `model`. */
  modelTopology?: Topology;
  limits: RequestLimits;
  metrics: Metrics;
  logger: Logger;
}

/** Lifecycle of the service. */
export type ServiceState = 'starting' | 'ready' | 'draining' | 'stopped';

/** What a single cacheable artifact depends on besides its seed and output. */
export interface ArtifactParams {
  expression?: Expression;
  intensity?: number;
  truncation?: number;
  topology?: string;
}

/** The face service. */
export interface FaceService {
  readonly model: ModelInfo;
  readonly state: ServiceState;
  /** Runs one face through the whole pipeline, then marks the service ready. */
  warmUp(): Promise<void>;
  generate(request: GenerateRequest, options?: CallOptions): Promise<FaceResult[]>;
  interpolate(request: InterpolateRequest, options?: CallOptions): Promise<FaceResult[]>;
  /** The strong ETag of one artifact of one seed, known before generating it (validates the parameters). */
  artifactEtag(seed: number, output: OutputRequest, params: ArtifactParams): string;
  /** A zip archive of named files (for bulk responses). */
  zip(entries: { name: string; data: Uint8Array }[]): Promise<Uint8Array>;
  /** Stops admission (not ready), finishes accepted work: true when everything finished in time. */
  drain(timeoutMs: number): Promise<boolean>;
}

interface Face {
  z: Float32Array;
  label: Float32Array;
  seed?: number;
  truncation: number;
}

/** Creates the face service. */
export function createFaceService(deps: FaceServiceDeps): FaceService {
  const { manifest, batcher, encoder, metrics, limits } = deps;
  const arch = manifest.architecture;
  const log = deps.logger.child({ module: 'service' });
  const topologies = createTopologies(manifest, deps.modelTopology);
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
    outputs: [...OUTPUT_KINDS],
    formats: Object.fromEntries(Object.entries(FORMATS_BY_OUTPUT).map(([k, v]) => [k, [...v]])) as ModelInfo['formats'],
    topologies: topologies.names,
    defaultTopology: topologies.defaultName,
    licence: { name: manifest.licence.name, redistributable: manifest.licence.redistributable },
    weightsSha256: deps.weightsSha256,
    precision: deps.precision,
    executionProvider: deps.executionProvider,
    limits: { maxFacesPerRequest: limits.maxFacesPerRequest, maxInterpolationSteps: limits.maxInterpolationSteps },
  };

  const admit = () => {
    if (state === 'ready') return;
    metrics.rejections.inc({ reason: state === 'starting' ? 'not_ready' : 'draining' });
    const starting = state === 'starting';
    throw new UnavailableError(
      starting ? 'the model is still loading' : 'the server is shutting down',
      starting ? 1000 : 0,
    );
  };

  /** Runs faces through the batcher and encodes their artifacts. */
  async function run(
    faces: Face[],
    outputs: readonly OutputRequest[],
    topology: string | undefined,
    options: CallOptions,
  ): Promise<FaceResult[]> {
    const mesh = outputs.some((o) => o.output === 'mesh') ? topologies.resolve(topology) : undefined;
    const fetches = new Set(outputs.flatMap(engineOutputsFor));
    const items: FaceItem[] = faces.map((f) => ({ z: f.z, label: f.label, fetches }));
    const { timing } = options;
    const maps = await batcher.submit(items, {
      ...(options.signal && { signal: options.signal }),
      ...(options.deadline !== undefined && { deadline: options.deadline }),
      ...(timing && {
        onTiming: (t: TicketTiming) => {
          timing.queueMs = t.queueMs;
          timing.inferenceMs = t.runMs;
        },
      }),
    });
    options.signal?.throwIfAborted();
    metrics.facesGenerated.inc(faces.length);
    const encodeStart = performance.now();
    const results = await Promise.all(
      faces.map(async (face, index) => {
        const metadata = {
          generator: 'tbgan-serve',
          model: manifest.name,
          modelVersion: manifest.version,
          trained: manifest.trained,
          ...(face.seed !== undefined && { seed: face.seed }),
          label: Array.from(face.label),
          truncation: face.truncation,
          topology: mesh?.name,
        };
        const target = mesh && { ...mesh, metadata };
        const artifacts = await Promise.all(outputs.map((o) => encodeArtifact(o, maps[index] as FaceMaps, target)));
        const result: FaceResult = { index, label: Array.from(face.label), truncation: face.truncation, artifacts };
        if (face.seed !== undefined) result.seed = face.seed;
        return result;
      }),
    );
    if (timing) timing.encodeMs = performance.now() - encodeStart;
    return results;
  }

  async function encodeArtifact(
    o: OutputRequest,
    maps: FaceMaps,
    mesh?: Parameters<typeof artifactJob>[3],
  ): Promise<Artifact> {
    const { job, info } = artifactJob(o, maps, arch.resolution, mesh);
    const end = metrics.encodeDuration.startTimer({ format: o.format });
    const bytes = await encoder.encode(job);
    end();
    return { ...info, bytes };
  }

  const scaled = (z: Float32Array, truncation: number) => (truncation === 1 ? z : z.map((v) => v * truncation));
  const checkTopology = (outputs: readonly OutputRequest[], topology: string | undefined) => {
    if (outputs.some((o) => o.output === 'mesh')) topologies.resolve(topology);
  };

  const service: FaceService = {
    model,
    get state() {
      return state;
    },

    async warmUp() {
      const start = performance.now();
      const face = {
        z: latentFromSeed(0, arch.latentSize),
        label: labelVector(manifest.labels, undefined),
        truncation: 1,
      };
      await run(
        [face],
        [
          { output: 'texture', format: 'png' },
          { output: 'mesh', format: 'glb' },
          { output: 'uv', format: 'npy' },
        ],
        undefined,
        {},
      );
      state = 'ready';
      metrics.ready.set(1);
      log.info({ warmUpMs: Math.round(performance.now() - start) }, 'ready');
    },

    async generate(request, options = {}) {
      admit();
      validateGenerate(request, limits, arch.latentSize);
      checkTopology(request.outputs, request.topology);
      const label = labelVector(manifest.labels, request.expression, request.intensity);
      const truncation = request.truncation ?? 1;
      const source = request.source ?? { seed: randomSeed() };
      const faces = Array.from({ length: request.count }, (_, i): Face => {
        if ('seed' in source) {
          const seed = (source.seed + i) >>> 0;
          return { z: scaled(latentFromSeed(seed, arch.latentSize), truncation), label, seed, truncation };
        }
        return { z: scaled(Float32Array.from(source.latents[i] as number[]), truncation), label, truncation };
      });
      return run(faces, request.outputs, request.topology, options);
    },

    async interpolate(request, options = {}) {
      admit();
      validateInterpolate(request, limits, arch.latentSize);
      checkTopology(request.outputs, request.topology);
      const truncation = request.truncation ?? 1;
      const end = (e: InterpolateRequest['from'], field: string) => ({
        z: 'seed' in e.source ? latentFromSeed(e.source.seed, arch.latentSize) : Float32Array.from(e.source.latent),
        label: labelVector(manifest.labels, e.expression, e.intensity, `${field}.expression`),
      });
      const a = end(request.from, 'from');
      const b = end(request.to, 'to');
      const faces = Array.from({ length: request.steps }, (_, i): Face => {
        const t = i / (request.steps - 1);
        return {
          z: scaled(interpolateLatent(a.z, b.z, t, request.method), truncation),
          label: interpolateLabel(a.label, b.label, t),
          truncation,
        };
      });
      return run(faces, request.outputs, request.topology, options);
    },

    artifactEtag(seed, output, params) {
      validateOutputs([output]);
      const label = Array.from(labelVector(manifest.labels, params.expression, params.intensity));
      const topology = output.output === 'mesh' ? topologies.resolve(params.topology).name : null;
      const key = [
        ARTIFACT_VERSION,
        manifest.name,
        manifest.version,
        deps.engineIdentity,
        seed,
        output.output,
        output.format,
        label,
        params.truncation ?? 1,
        topology,
      ];
      return `"${createHash('sha256').update(JSON.stringify(key)).digest('base64url')}"`;
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
