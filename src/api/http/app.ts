/**
 * The REST API (express 5): `/v1` faces and model, Open Inference Protocol health under `/v2`, and
 * `/metrics`. Routes parse, call the service, and encode; nothing else happens here (STYLE.md §11.3).
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ServiceError } from '../../errors.js';
import type { Logger, Metrics } from '../../observability/index.js';
import type { CallOptions, FaceService } from '../../service/index.js';
import { formatServerTiming } from '../server-timing.js';
import { sendArtifact } from './artifacts.js';
import { errorHandler, sendProblem } from './problems.js';
import { sendFaces } from './responses.js';
import { parseGenerateBody, parseInterpolateBody } from './schemas.js';

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
    const options = callOptions(req, res, timeoutMs);
    const faces = await service.generate(request, options);
    res.setHeader('Server-Timing', formatServerTiming(options.timing ?? {}));
    await sendFaces(req, res, service, faces);
  });

  app.post('/v1/faces\\:interpolate', route('interpolate'), requireJson, json, async (req, res) => {
    const { request, timeoutMs } = parseInterpolateBody(req.body);
    const options = callOptions(req, res, timeoutMs);
    const faces = await service.interpolate(request, options);
    res.setHeader('Server-Timing', formatServerTiming(options.timing ?? {}));
    await sendFaces(req, res, service, faces);
  });

  // One artifact of one seed: byte-identical on every call, cacheable forever (strong ETag, 304).
  app.get('/v1/faces/:seed/:file', route('artifact'), (req, res) =>
    sendArtifact(req, res, service, () => callOptions(req, res, undefined)),
  );
  app.get('/v1/faces/:file', route('mesh'), (req, res) =>
    sendArtifact(req, res, service, () => callOptions(req, res, undefined)),
  );

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
    return { signal: controller.signal, deadline: Date.now() + timeoutMs, timing: {} };
  }

  return app;
}
