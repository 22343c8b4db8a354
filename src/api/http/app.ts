/**
 * The REST API (express 5): `/v1` faces and model, Open Inference Protocol health under `/v2`, and
 * `/metrics`. Routes parse, call the service, and encode; nothing else happens here (STYLE.md §11.3).
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ServiceError } from '../../errors.js';
import type { Logger, Metrics } from '../../observability/index.js';
import {
  type CallOptions,
  type FaceService,
  formatMedia,
  type OutputFormat,
  type OutputRequest,
} from '../../service/index.js';
import { errorHandler, sendProblem } from './problems.js';
import { sendFaces } from './responses.js';
import {
  isOutputKind,
  parseExpressionQuery,
  parseGenerateBody,
  parseInterpolateBody,
  parseNumberQuery,
} from './schemas.js';

/** What the HTTP app needs besides the service. */
export interface HttpAppDeps {
  metrics: Metrics;
  logger: Logger;
  bodyLimitBytes: number;
  /** Deadline of requests that set none. */
  defaultTimeoutMs: number;
  /** Largest deadline a request may ask for. */
  maxTimeoutMs: number;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const EXTENSION_FORMATS: Record<string, OutputFormat[]> = {
  png: ['png', 'png16'],
  npy: ['npy', 'npy-f16'],
  exr: ['exr'],
};
const ARTIFACT_QUERY = new Set(['expression', 'intensity', 'truncation', 'format']);

/** Creates the express app serving `service`. */
export function createHttpApp(service: FaceService, deps: HttpAppDeps): express.Express {
  const { metrics, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // artifact ETags are ours: strong, and known before the face exists

  // Request id, metrics and the route label of every request.
  app.use((req, res, next) => {
    const reqId = req.get('x-request-id') ?? randomUUID();
    res.setHeader('x-request-id', reqId);
    res.locals.route = 'unknown';
    const end = metrics.requestDuration.startTimer();
    res.on('finish', () => {
      const route = res.locals.route as string;
      end({ protocol: 'http', route });
      metrics.requests.inc({
        protocol: 'http',
        route,
        code: (res.locals.code as string | undefined) ?? (res.statusCode < 400 ? 'OK' : String(res.statusCode)),
      });
    });
    next();
  });
  const route = (name: string) => (_req: Request, res: Response, next: NextFunction) => {
    res.locals.route = name;
    next();
  };

  // Health (Open Inference Protocol): live while the process runs; ready once warm and until draining.
  app.get('/v2/health/live', route('health'), (_req, res) => {
    res.json({ live: true });
  });
  app.get('/v2/health/ready', route('health'), (_req, res) => {
    res.status(service.state === 'ready' ? 200 : 503).json({ ready: service.state === 'ready', state: service.state });
  });
  app.get('/v2/models/:name/ready', route('health'), (req, res) => {
    if (req.params.name !== service.model.name)
      throw new ServiceError(
        'NOT_FOUND',
        `no model named '${req.params.name}'; this server serves '${service.model.name}'`,
        { field: 'name' },
      );
    res
      .status(service.state === 'ready' ? 200 : 503)
      .json({ name: service.model.name, ready: service.state === 'ready' });
  });
  app.get('/v1/model', route('model'), (_req, res) => {
    res.json(service.model);
  });
  app.get('/metrics', route('metrics'), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const json = express.json({ limit: deps.bodyLimitBytes, strict: true });
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.is('application/json')) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `Content-Type must be application/json, got '${req.get('content-type') ?? 'none'}'`,
        { field: '(headers).content-type' },
      );
    }
    next();
  };

  app.post('/v1/faces\\:generate', route('generate'), requireJson, json, async (req, res) => {
    const { request, timeoutMs } = parseGenerateBody(req.body);
    const faces = await service.generate(request, callOptions(req, res, timeoutMs));
    await sendFaces(req, res, service, faces);
  });

  app.post('/v1/faces\\:interpolate', route('interpolate'), requireJson, json, async (req, res) => {
    const { request, timeoutMs } = parseInterpolateBody(req.body);
    const faces = await service.interpolate(request, callOptions(req, res, timeoutMs));
    await sendFaces(req, res, service, faces);
  });

  // One artifact of one seed: byte-identical on every call, so cacheable forever (strong ETag, 304).
  app.get('/v1/faces/:seed/:file', route('artifact'), async (req, res) => {
    const unknown = Object.keys(req.query).find((k) => !ARTIFACT_QUERY.has(k));
    if (unknown !== undefined)
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `unknown query parameter; allowed: ${[...ARTIFACT_QUERY].join(', ')}`,
        { field: unknown },
      );
    const seedText = req.params.seed as string;
    const seed = /^\d{1,10}$/.test(seedText) ? Number(seedText) : Number.NaN;
    if (!(seed >= 0 && seed < 2 ** 32))
      throw new ServiceError('INVALID_ARGUMENT', 'must be an integer in [0, 4294967295]', { field: 'seed' });
    const output = parseArtifactFile(req.params.file as string, req.query.format);
    const expression = parseExpressionQuery(req.query.expression);
    const intensity = parseNumberQuery(req.query.intensity, 'intensity');
    const truncation = parseNumberQuery(req.query.truncation, 'truncation');
    const etag = service.artifactEtag(seed, output, expression, intensity, truncation);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    if (ifNoneMatch(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    const request = {
      count: 1,
      source: { seed },
      outputs: [output],
      ...(expression !== undefined && { expression }),
      ...(intensity !== undefined && { intensity }),
      ...(truncation !== undefined && { truncation }),
    };
    const [face] = await service.generate(request, callOptions(req, res, undefined));
    const artifact = face?.artifacts[0];
    if (!artifact) throw new Error('generate returned no artifact');
    res
      .type(artifact.mediaType)
      .send(Buffer.from(artifact.bytes.buffer, artifact.bytes.byteOffset, artifact.bytes.byteLength));
  });

  app.use((req, res) => {
    sendProblem(res, new ServiceError('NOT_FOUND', `no route for ${req.method} ${req.path}`), req.originalUrl);
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    res.locals.code = ServiceError.from(err).code;
    next(err);
  });
  app.use(errorHandler(logger.child({ module: 'http' }), deps.bodyLimitBytes));

  /** The deadline (body `timeoutMs`, else `Request-Timeout` seconds, else the default) and a signal that fires if the client goes away. */
  function callOptions(req: Request, res: Response, bodyTimeoutMs: number | undefined): CallOptions {
    let timeoutMs = bodyTimeoutMs;
    let field = 'timeoutMs';
    const header = req.get('request-timeout');
    if (timeoutMs === undefined && header !== undefined) {
      timeoutMs = header.trim() === '' ? Number.NaN : Number(header) * 1000;
      field = '(headers).request-timeout';
    }
    timeoutMs ??= deps.defaultTimeoutMs;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= deps.maxTimeoutMs)) {
      throw new ServiceError('INVALID_ARGUMENT', `the deadline must be in (0, ${deps.maxTimeoutMs}] ms`, { field });
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new DOMException('the client closed the connection', 'AbortError'));
    });
    return { signal: controller.signal, deadline: Date.now() + timeoutMs };
  }

  return app;
}

/** `texture.png` (+ optional `?format=png16`) -> the artifact it names. */
function parseArtifactFile(file: string, formatQuery: unknown): OutputRequest {
  const dot = file.indexOf('.');
  const name = dot < 0 ? file : file.slice(0, dot);
  const ext = dot < 0 ? '' : file.slice(dot + 1);
  if (!isOutputKind(name))
    throw new ServiceError('INVALID_ARGUMENT', `unknown output '${name}'; one of texture, normals, shape, uv`, {
      field: 'output',
    });
  const formats = EXTENSION_FORMATS[ext];
  if (formats === undefined)
    throw new ServiceError('INVALID_ARGUMENT', `unknown extension '${ext}'; one of png, npy, exr`, {
      field: 'extension',
    });
  if (formatQuery === undefined) return { output: name, format: formats[0] as OutputFormat };
  if (typeof formatQuery !== 'string' || !formats.includes(formatQuery as OutputFormat)) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `format must match the extension .${ext}: one of ${formats.join(', ')}`,
      { field: 'format' },
    );
  }
  if (formatMedia(formatQuery as OutputFormat).extension !== ext)
    throw new ServiceError('INVALID_ARGUMENT', 'format does not match the extension', { field: 'format' });
  return { output: name, format: formatQuery as OutputFormat };
}

/** RFC 9110 If-None-Match: `*` or a list of entity tags (weak comparison). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
