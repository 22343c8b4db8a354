/**
 * Every Prometheus metric of the service, on a registry passed in (never the global one), so each
 * test builds its own. Names follow STYLE.md §6 and Triton's set (research/serving.md §A.3), plus a
 * batch-size histogram Triton lacks. Base units: seconds, bytes, totals.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The service's metrics. */
export interface Metrics {
  registry: Registry;
  requests: Counter<'protocol' | 'route' | 'code'>;
  requestDuration: Histogram<'protocol' | 'route'>;
  queueWait: Histogram;
  inferenceDuration: Histogram;
  batchSize: Histogram;
  queueDepth: Gauge;
  facesGenerated: Counter;
  rejections: Counter<'reason'>;
  encodeDuration: Histogram<'format'>;
  modelInfo: Gauge<'name' | 'version' | 'trained' | 'precision' | 'execution_provider'>;
  ready: Gauge;
}

/** Creates every metric on `registry`, with Node's default process metrics (event-loop lag included). */
export function createMetrics(registry: Registry = new Registry()): Metrics {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'tbgan_requests_total',
      help: 'Requests by protocol, route and result code',
      labelNames: ['protocol', 'route', 'code'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'tbgan_request_duration_seconds',
      help: 'Request duration, receipt to response',
      labelNames: ['protocol', 'route'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    queueWait: new Histogram({
      name: 'tbgan_queue_wait_seconds',
      help: 'Time a face waited in the batch queue',
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    inferenceDuration: new Histogram({
      name: 'tbgan_inference_duration_seconds',
      help: 'Engine run time per batch',
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    batchSize: new Histogram({
      name: 'tbgan_batch_size',
      help: 'Faces per engine run',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    }),
    queueDepth: new Gauge({ name: 'tbgan_queue_depth', help: 'Faces waiting for the engine', registers }),
    facesGenerated: new Counter({ name: 'tbgan_faces_generated_total', help: 'Faces generated', registers }),
    rejections: new Counter({
      name: 'tbgan_rejections_total',
      help: 'Requests refused before or during queueing, by reason',
      labelNames: ['reason'],
      registers,
    }),
    encodeDuration: new Histogram({
      name: 'tbgan_encode_duration_seconds',
      help: 'Encoding time per artifact',
      labelNames: ['format'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    modelInfo: new Gauge({
      name: 'tbgan_model_info',
      help: 'The served model (value 1)',
      labelNames: ['name', 'version', 'trained', 'precision', 'execution_provider'],
      registers,
    }),
    ready: new Gauge({
      name: 'tbgan_ready',
      help: '1 when the service accepts work, 0 while starting or draining',
      registers,
    }),
  };
}
