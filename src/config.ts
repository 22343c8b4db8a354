/**
 * Configuration: `TBGAN_*` environment variables and `--kebab-case` command-line flags (flags win),
 * validated once in `main.ts`. Every problem is reported together, unknown `TBGAN_*` names included,
 * then the result is deep-frozen. The only reader of process.env is main.ts, which passes it here.
 */
import { availableParallelism } from 'node:os';

/** The whole configuration. Values that describe the model come from model.json, not from here. */
export interface Config {
  http: { host: string; port: number; bodyLimitBytes: number };
  grpc: {
    port: number;
    maxReceiveBytes: number;
    maxSendBytes: number;
    keepaliveTimeMs: number;
    keepaliveTimeoutMs: number;
    /** PEM files; both empty: plaintext. */
    tlsCertFile: string;
    tlsKeyFile: string;
  };
  model: {
    dir: string;
    /** Where built graphs are cached; empty: next to the package, else the temp directory. */
    cacheDir: string;
    precision: 'fp32' | 'fp16';
    upsample: 'phase' | 'conv-transpose' | 'resize-conv';
    branches: 'grouped' | 'split';
  };
  engine: {
    executionProvider: 'cpu' | 'cuda' | 'tensorrt' | 'webgpu';
    intraOpThreads: number;
    deviceId: number;
    cpuMemArena: boolean;
  };
  batch: { maxBatchSize: number; maxDelayMs: number; maxQueueSize: number; maxConcurrentBatches: number };
  limits: { maxFacesPerRequest: number; maxInterpolationSteps: number; defaultTimeoutMs: number; maxTimeoutMs: number };
  encode: { threads: number };
  drainTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Defaults, each with its reason where not obvious. */
export const DEFAULTS: Config = {
  // all interfaces: the service runs in a container behind a Service/load balancer
  http: { host: '0.0.0.0', port: 8080, bodyLimitBytes: 8 * 1024 * 1024 }, // 8 MiB: 64 explicit 1536-d latents as JSON is ~2 MB
  grpc: {
    port: 8081,
    maxReceiveBytes: 4 * 1024 * 1024, // grpc-js' default; 64 latents of 1536 floats are 0.4 MB
    maxSendBytes: 64 * 1024 * 1024, // one message is one face: all maps of a 512 px face fit (uv alone is 9.4 MB)
    keepaliveTimeMs: 60_000, // ping each connection every minute: dead peers and idle-closing balancers show up
    keepaliveTimeoutMs: 20_000, // grpc-js' default
    tlsCertFile: '',
    tlsKeyFile: '',
  },
  // the embedded default model, relative to the working directory (npm start runs in the repo root)
  model: { dir: 'models/tbgan-256', cacheDir: '', precision: 'fp32', upsample: 'phase', branches: 'grouped' },
  // 0 threads: ONNX Runtime uses one per core; the arena is faster, off it keeps peak memory near weights + one batch
  engine: { executionProvider: 'cpu', intraOpThreads: 0, deviceId: 0, cpuMemArena: true },
  // 0 ms (Triton's default): a batch starts as soon as the engine is free with whatever has queued,
  // so a lone request waits for nothing, and under load batches fill while the engine is busy
  batch: { maxBatchSize: 16, maxDelayMs: 0, maxQueueSize: 256, maxConcurrentBatches: 1 },
  limits: { maxFacesPerRequest: 64, maxInterpolationSteps: 64, defaultTimeoutMs: 60_000, maxTimeoutMs: 600_000 },
  encode: { threads: Math.max(1, availableParallelism() - 1) }, // leave a core for the event loop and the engine's feeding
  drainTimeoutMs: 30_000, // Triton's --exit-timeout-secs default; Kubernetes' grace period must exceed it
  logLevel: 'info',
};

type Parser = (raw: string) => unknown;
const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Parser =>
  (raw) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new Error(`must be an integer in [${min}, ${max}]`);
    return n;
  };
const oneOf =
  (...values: string[]): Parser =>
  (raw) => {
    if (!values.includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
    return raw;
  };
const text: Parser = (raw) => raw;
const bool: Parser = (raw) => {
  if (raw !== 'true' && raw !== 'false') throw new Error('must be true or false');
  return raw === 'true';
};
const nonEmpty: Parser = (raw) => {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw;
};

/** Every setting: environment name -> path in Config, parser and description (the README's table). */
export const SETTINGS: readonly { env: string; path: string; parse: Parser; unit: string; description: string }[] = [
  {
    env: 'TBGAN_HTTP_HOST',
    path: 'http.host',
    parse: nonEmpty,
    unit: '',
    description: 'listen address of HTTP and gRPC',
  },
  {
    env: 'TBGAN_HTTP_PORT',
    path: 'http.port',
    parse: int(0, 65535),
    unit: '',
    description: 'HTTP port (0: any free port)',
  },
  {
    env: 'TBGAN_HTTP_BODY_LIMIT_BYTES',
    path: 'http.bodyLimitBytes',
    parse: int(1024),
    unit: 'bytes',
    description: 'largest request body',
  },
  {
    env: 'TBGAN_GRPC_PORT',
    path: 'grpc.port',
    parse: int(0, 65535),
    unit: '',
    description: 'gRPC port (0: any free port)',
  },
  {
    env: 'TBGAN_GRPC_MAX_RECEIVE_BYTES',
    path: 'grpc.maxReceiveBytes',
    parse: int(1024, 2 ** 31 - 1),
    unit: 'bytes',
    description: 'largest gRPC request message',
  },
  {
    env: 'TBGAN_GRPC_MAX_SEND_BYTES',
    path: 'grpc.maxSendBytes',
    parse: int(1024, 2 ** 31 - 1),
    unit: 'bytes',
    description: 'largest gRPC response message (one face)',
  },
  {
    env: 'TBGAN_GRPC_KEEPALIVE_TIME_MS',
    path: 'grpc.keepaliveTimeMs',
    parse: int(1000),
    unit: 'ms',
    description: "interval of the server's HTTP/2 keepalive pings",
  },
  {
    env: 'TBGAN_GRPC_KEEPALIVE_TIMEOUT_MS',
    path: 'grpc.keepaliveTimeoutMs',
    parse: int(100),
    unit: 'ms',
    description: 'how long a keepalive ping may go unanswered before the connection is closed',
  },
  {
    env: 'TBGAN_GRPC_TLS_CERT_FILE',
    path: 'grpc.tlsCertFile',
    parse: text,
    unit: '',
    description: 'PEM certificate chain for gRPC over TLS (empty: plaintext)',
  },
  {
    env: 'TBGAN_GRPC_TLS_KEY_FILE',
    path: 'grpc.tlsKeyFile',
    parse: text,
    unit: '',
    description: 'PEM private key for gRPC over TLS (empty: plaintext)',
  },
  { env: 'TBGAN_MODEL_DIR', path: 'model.dir', parse: nonEmpty, unit: '', description: 'model package directory' },
  {
    env: 'TBGAN_CACHE_DIR',
    path: 'model.cacheDir',
    parse: text,
    unit: '',
    description: 'built-graph cache (empty: <model>/.cache, or the temp dir if read-only)',
  },
  {
    env: 'TBGAN_PRECISION',
    path: 'model.precision',
    parse: oneOf('fp32', 'fp16'),
    unit: '',
    description: 'compute precision',
  },
  {
    env: 'TBGAN_UPSAMPLE',
    path: 'model.upsample',
    parse: oneOf('phase', 'conv-transpose', 'resize-conv'),
    unit: '',
    description: 'form of the fused up-convolution (all exact; speed differs by device)',
  },
  {
    env: 'TBGAN_BRANCHES',
    path: 'model.branches',
    parse: oneOf('grouped', 'split'),
    unit: '',
    description: 'the three branches as grouped convolutions or as separate tensors (exact either way)',
  },
  {
    env: 'TBGAN_EP',
    path: 'engine.executionProvider',
    parse: oneOf('cpu', 'cuda', 'tensorrt', 'webgpu'),
    unit: '',
    description: 'ONNX Runtime execution provider',
  },
  {
    env: 'TBGAN_THREADS',
    path: 'engine.intraOpThreads',
    parse: int(0, 1024),
    unit: 'threads',
    description: 'threads per operator (0: one per core)',
  },
  {
    env: 'TBGAN_DEVICE_ID',
    path: 'engine.deviceId',
    parse: int(0, 64),
    unit: '',
    description: 'GPU index for cuda/tensorrt',
  },
  {
    env: 'TBGAN_CPU_MEM_ARENA',
    path: 'engine.cpuMemArena',
    parse: bool,
    unit: '',
    description: "ONNX Runtime's CPU memory arena (false: lower peak memory, ~3% slower)",
  },
  {
    env: 'TBGAN_BATCH_MAX_SIZE',
    path: 'batch.maxBatchSize',
    parse: int(1, 1024),
    unit: 'faces',
    description: 'faces per engine run',
  },
  {
    env: 'TBGAN_BATCH_MAX_DELAY_MS',
    path: 'batch.maxDelayMs',
    parse: int(0, 10_000),
    unit: 'ms',
    description: 'how long the oldest queued face waits for a fuller batch',
  },
  {
    env: 'TBGAN_BATCH_MAX_QUEUE',
    path: 'batch.maxQueueSize',
    parse: int(1),
    unit: 'faces',
    description: 'queued faces before 503 + Retry-After',
  },
  {
    env: 'TBGAN_BATCH_CONCURRENCY',
    path: 'batch.maxConcurrentBatches',
    parse: int(1, 16),
    unit: 'batches',
    description: 'engine runs in flight at once',
  },
  {
    env: 'TBGAN_MAX_FACES_PER_REQUEST',
    path: 'limits.maxFacesPerRequest',
    parse: int(1, 100_000),
    unit: 'faces',
    description: 'largest `count` of one request',
  },
  {
    env: 'TBGAN_MAX_INTERPOLATION_STEPS',
    path: 'limits.maxInterpolationSteps',
    parse: int(2, 100_000),
    unit: 'frames',
    description: 'largest `steps` of one interpolation',
  },
  {
    env: 'TBGAN_REQUEST_TIMEOUT_MS',
    path: 'limits.defaultTimeoutMs',
    parse: int(1),
    unit: 'ms',
    description: 'deadline of a request that sets none',
  },
  {
    env: 'TBGAN_MAX_REQUEST_TIMEOUT_MS',
    path: 'limits.maxTimeoutMs',
    parse: int(1),
    unit: 'ms',
    description: 'largest deadline a request may ask for',
  },
  {
    env: 'TBGAN_ENCODE_THREADS',
    path: 'encode.threads',
    parse: int(1, 256),
    unit: 'threads',
    description: 'worker threads encoding PNG, EXR, NPY, meshes',
  },
  {
    env: 'TBGAN_DRAIN_TIMEOUT_MS',
    path: 'drainTimeoutMs',
    parse: int(0),
    unit: 'ms',
    description: 'on SIGTERM, how long in-flight work may take before exit',
  },
  {
    env: 'TBGAN_LOG_LEVEL',
    path: 'logLevel',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    unit: '',
    description: 'pino log level',
  },
];

/** One error listing every configuration problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** `TBGAN_HTTP_PORT` -> `--http-port`. */
export function flagName(env: string): string {
  return `--${env
    .replace(/^TBGAN_/, '')
    .toLowerCase()
    .replaceAll('_', '-')}`;
}

/** Parses the environment and flags (`--name value` or `--name=value`) into a frozen Config. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[] = [],
): Readonly<Config> {
  const problems: string[] = [];
  const byEnv = new Map(SETTINGS.map((s) => [s.env, s]));
  const byFlag = new Map(SETTINGS.map((s) => [flagName(s.env), s]));
  const raw = new Map<string, { value: string; source: string }>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TBGAN_') || value === undefined) continue;
    if (!byEnv.has(name)) problems.push(`${name}: unknown setting`);
    else raw.set(name, { value, source: name });
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const setting = byFlag.get(flag);
    if (!setting) {
      problems.push(flag.startsWith('--') ? `${flag}: unknown flag` : `${flag}: unexpected argument`);
      if (flag.startsWith('--') && inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--'))
        i++; // its value
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`${flag}: needs a value`);
    else raw.set(setting.env, { value, source: flag });
  }
  const config = structuredClone(DEFAULTS) as unknown as Record<string, Record<string, unknown>>;
  for (const [name, { value, source }] of raw) {
    const setting = byEnv.get(name);
    if (!setting) continue;
    try {
      const [section, key] = setting.path.split('.') as [string, string | undefined];
      const parsed = setting.parse(value);
      if (key === undefined) (config as Record<string, unknown>)[section] = parsed;
      else (config[section] as Record<string, unknown>)[key] = parsed;
    } catch (e) {
      problems.push(`${source}=${JSON.stringify(value)}: ${(e as Error).message}`);
    }
  }
  const c = config as unknown as Config;
  if (c.limits.defaultTimeoutMs > c.limits.maxTimeoutMs)
    problems.push('TBGAN_REQUEST_TIMEOUT_MS: must not exceed TBGAN_MAX_REQUEST_TIMEOUT_MS');
  if (c.http.port !== 0 && c.http.port === c.grpc.port)
    problems.push('TBGAN_GRPC_PORT: must differ from TBGAN_HTTP_PORT');
  if ((c.grpc.tlsCertFile === '') !== (c.grpc.tlsKeyFile === ''))
    problems.push('TBGAN_GRPC_TLS_CERT_FILE, TBGAN_GRPC_TLS_KEY_FILE: give both or neither');
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(c);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
