/**
 * Composition root: config -> model package -> graph -> engine -> batcher -> encoder pool -> face
 * service -> HTTP and gRPC servers -> warm-up -> ready; SIGTERM/SIGINT -> drain -> exit 0.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createGrpcServer } from './api/grpc/index.js';
import { createHttpApp } from './api/http/app.js';
import { createBatcher } from './batching/index.js';
import { createEncodePool } from './codecs/index.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createOnnxEngine, type Engine } from './engine/index.js';
import { ModelPackageError } from './errors.js';
import { parseTopologyFile, type Topology } from './geometry/index.js';
import { ensureGeneratorGraph, graphCacheKey, loadModelPackage, type Manifest } from './model/index.js';
import { createLogger, createMetrics, type Logger } from './observability/index.js';
import { createFaceService, createGeneratorRunner } from './service/index.js';

/** A running server and how to stop it. */
export interface RunningServer {
  httpPort: number;
  grpcPort: number;
  /** Drains and closes everything; resolves true if all accepted work finished in time. */
  shutdown(reason: string): Promise<boolean>;
}

/** Replaceable parts, for tests: a fake engine stands in for ONNX Runtime in batching and error-path tests. */
export interface ServerOverrides {
  createEngine?: (modelPath: string) => Promise<Engine>;
}

/** Starts the whole service from a configuration. */
export async function startServer(
  config: Readonly<Config>,
  logger: Logger,
  overrides: ServerOverrides = {},
): Promise<RunningServer> {
  const metrics = createMetrics();
  const started = performance.now();
  const pkg = await loadModelPackage(config.model.dir);
  const graphOptions = {
    precision: config.model.precision,
    upsample: config.model.upsample,
    branches: config.model.branches,
  };
  const graph = await ensureGeneratorGraph(
    pkg,
    graphOptions,
    config.model.cacheDir === '' ? undefined : config.model.cacheDir,
  );
  const engine = overrides.createEngine
    ? await overrides.createEngine(graph.graphPath)
    : await createOnnxEngine({
        modelPath: graph.graphPath,
        executionProvider: config.engine.executionProvider,
        intraOpThreads: config.engine.intraOpThreads,
        deviceId: config.engine.deviceId,
        cpuMemArena: config.engine.cpuMemArena,
      });
  const m = pkg.manifest;
  const modelTopology = await loadModelTopology(pkg.dir, m);
  logger.info(
    {
      model: m.name,
      version: m.version,
      trained: m.trained,
      graph: graph.graphPath,
      built: graph.built,
      loadMs: Math.round(performance.now() - started),
    },
    m.trained ? 'model loaded' : 'model loaded: UNTRAINED weights, it generates noise, not faces',
  );
  metrics.modelInfo.set(
    {
      name: m.name,
      version: m.version,
      trained: String(m.trained),
      precision: config.model.precision,
      execution_provider: config.engine.executionProvider,
    },
    1,
  );

  const batcher = createBatcher({
    ...config.batch,
    run: createGeneratorRunner(engine, m.architecture),
    hooks: {
      onBatch: ({ size, queueWaitMs, runMs }) => {
        metrics.batchSize.observe(size);
        metrics.inferenceDuration.observe(runMs / 1000);
        for (const ms of queueWaitMs) metrics.queueWait.observe(ms / 1000);
      },
      onReject: (reason) => metrics.rejections.inc({ reason }),
      onQueueDepth: (depth) => metrics.queueDepth.set(depth),
    },
  });
  const encoder = createEncodePool({ threads: config.encode.threads });
  const service = createFaceService({
    manifest: m,
    weightsSha256: pkg.weightsSha256,
    precision: config.model.precision,
    executionProvider: config.engine.executionProvider,
    engineIdentity: `${graphCacheKey(pkg, graphOptions)}/${config.engine.executionProvider}`,
    batcher,
    encoder,
    ...(modelTopology && { modelTopology }),
    limits: config.limits,
    metrics,
    logger,
  });
  const app = createHttpApp(service, {
    metrics,
    logger,
    bodyLimitBytes: config.http.bodyLimitBytes,
    defaultTimeoutMs: config.limits.defaultTimeoutMs,
    maxTimeoutMs: config.limits.maxTimeoutMs,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once('error', reject);
  });
  server.requestTimeout = config.limits.maxTimeoutMs + 10_000; // our deadlines answer first, with a 504
  const address = server.address();
  const httpPort = typeof address === 'object' && address !== null ? address.port : config.http.port;
  logger.info({ port: httpPort, host: config.http.host }, 'http listening');
  const { grpc: g } = config;
  const grpc = await createGrpcServer(service, {
    host: config.http.host,
    port: g.port,
    maxReceiveBytes: g.maxReceiveBytes,
    maxSendBytes: g.maxSendBytes,
    keepaliveTimeMs: g.keepaliveTimeMs,
    keepaliveTimeoutMs: g.keepaliveTimeoutMs,
    ...(g.tlsCertFile !== '' && {
      tls: { certChain: await readFile(g.tlsCertFile), privateKey: await readFile(g.tlsKeyFile) },
    }),
    defaultTimeoutMs: config.limits.defaultTimeoutMs,
    maxTimeoutMs: config.limits.maxTimeoutMs,
    metrics,
    logger,
  });
  logger.info({ port: grpc.port, host: config.http.host, tls: g.tlsCertFile !== '' }, 'grpc listening');
  await service.warmUp();
  grpc.setServing(true);

  // Drain (research/serving.md §A.5): readiness turns 503 / NOT_SERVING and new work is refused
  // with UNAVAILABLE + a retry hint while the listeners stay open (clients and probes get an answer,
  // not a refused connection); accepted work finishes; then both listeners close, waiting for
  // responses in flight until the drain deadline, and cut what is left.
  let stopping: Promise<boolean> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      const deadline = Date.now() + config.drainTimeoutMs;
      logger.info({ reason, drainTimeoutMs: config.drainTimeoutMs }, 'shutting down');
      grpc.setServing(false); // before the service refuses work: balancers watching health move first
      const drained = await service.drain(config.drainTimeoutMs);
      const closeBy = drained ? deadline : Date.now();
      const [httpClosed, grpcClosed] = await Promise.all([closeHttp(server, closeBy), grpc.close(closeBy)]);
      const finished = drained && httpClosed && grpcClosed;
      await encoder.close();
      await engine.close();
      logger.info({ finished }, 'stopped');
      return finished;
    })();
    return stopping;
  };
  return { httpPort, grpcPort: grpc.port, shutdown };
}

/** Closes the HTTP listener, waiting for responses in flight until `deadline`: true if none was cut. */
async function closeHttp(server: Server, deadline: number): Promise<boolean> {
  const closed = new Promise<true>((resolve) => server.close(() => resolve(true)));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  const finished = await Promise.race([closed, timeout]);
  clearTimeout(timer);
  server.closeAllConnections();
  return finished;
}

/** The package's own mesh template, when its manifest names a topology file. */
async function loadModelTopology(dir: string, manifest: Manifest): Promise<Topology | undefined> {
  if (manifest.topology?.kind !== 'file') return undefined;
  const path = join(dir, manifest.topology.path);
  try {
    return parseTopologyFile(JSON.parse(await readFile(path, 'utf8')), path);
  } catch (e) {
    throw new ModelPackageError(`${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  let server: RunningServer;
  try {
    server = await startServer(config, logger);
  } catch (e) {
    logger.fatal({ err: e }, e instanceof ModelPackageError ? `cannot load the model: ${e.message}` : 'startup failed');
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.shutdown(signal).then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
