/**
 * The FaceGenerator RPCs: parse -> service -> encode (STYLE.md §11.3), plus what every call shares:
 * request id, deadline and cancellation signal, metrics, logging and the error status.
 */
import { randomUUID } from 'node:crypto';
import { Metadata, type ServerWritableStream, type StatusObject } from '@grpc/grpc-js';
import { ServiceError } from '../../errors.js';
import type { FaceGeneratorHandlers } from '../../gen/tbgan/v1/FaceGenerator.js';
import type { GenerateResponse } from '../../gen/tbgan/v1/GenerateResponse.js';
import type { Logger, Metrics } from '../../observability/index.js';
import type { CallOptions, FaceResult, FaceService } from '../../service/index.js';
import { formatServerTiming } from '../server-timing.js';
import { toFaceMessage, toModelMessage } from './encode.js';
import { parseGenerateRequest, parseInterpolateRequest } from './parse.js';
import { toGrpcStatus } from './status.js';

/** Writes one message and waits until the transport accepted it, or the call was cancelled. */
function write<T>(call: ServerWritableStream<unknown, T>, message: T, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () =>
      reject(
        (signal.reason as Error).name === 'TimeoutError'
          ? new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded', { cause: signal.reason })
          : new ServiceError('CANCELLED', 'the client cancelled the call', { cause: signal.reason }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    call.write(message, (err: Error | null | undefined) => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    });
  });
}

/** What the handlers need besides the service. */
export interface GrpcHandlerDeps {
  metrics: Metrics;
  logger: Logger;
  /** Deadline of calls that set none. */
  defaultTimeoutMs: number;
  /** Longer client deadlines are shortened to this. */
  maxTimeoutMs: number;
}

type Route = 'generate' | 'interpolate' | 'model';

/** How far ahead of the server's copy of a client deadline a client's reset still counts as that deadline. */
const DEADLINE_SLACK_MS = 50;

/** Creates the FaceGenerator service implementation. */
export function createHandlers(service: FaceService, deps: GrpcHandlerDeps): FaceGeneratorHandlers {
  const { metrics } = deps;
  const log = deps.logger.child({ module: 'grpc' });

  /**
   * Runs one call: metrics, request id, and on failure the logged, mapped status. Response headers
   * (`x-request-id`) go out only with a result: a failed call is a trailers-only response, which
   * grpc clients may still retry (gRFC A6 commits a call once headers arrive).
   */
  async function observe(
    route: Route,
    metadata: Metadata,
    body: (headers: Metadata) => Promise<void>,
    fail: (status: StatusObject) => void,
  ): Promise<void> {
    const end = metrics.requestDuration.startTimer({ protocol: 'grpc', route });
    const reqId = String(metadata.get('x-request-id')[0] ?? randomUUID());
    const headers = new Metadata();
    headers.set('x-request-id', reqId);
    let code = 'OK';
    try {
      await body(headers);
    } catch (e) {
      const err = ServiceError.from(e);
      code = err.code;
      if (err.code === 'INTERNAL') log.error({ err: e, reqId, route }, 'request failed');
      else log.info({ code: err.code, field: err.field, reqId, route }, 'request failed');
      const status = toGrpcStatus(err);
      status.metadata.set('x-request-id', reqId);
      fail(status);
    } finally {
      end();
      metrics.requests.inc({ protocol: 'grpc', route, code });
    }
  }

  /** A server-streaming RPC: one message per face, waiting for the client when its window is full. */
  function streamFaces<Req>(
    route: Route,
    run: (request: Req, options: CallOptions) => Promise<FaceResult[]>,
  ): (call: ServerWritableStream<Req, GenerateResponse>) => void {
    return (call) => {
      void observe(
        route,
        call.metadata,
        async (headers) => {
          const options = callOptions(call);
          const faces = await run(call.request, options);
          headers.set('server-timing', formatServerTiming(options.timing ?? {}));
          call.sendMetadata(headers);
          // One face in flight at a time: each write waits until HTTP/2 flow control took it, so a
          // slow client holds one serialized face here, not the whole stream, and a cancelled call
          // is noticed (and counted as CANCELLED) before the rest is serialized.
          for (const face of faces) await write(call, { face: toFaceMessage(face) }, options.signal as AbortSignal);
          call.end();
        },
        (status) => {
          if (!call.cancelled) call.emit('error', status); // else nobody is listening
        },
      );
    };
  }

  /** The deadline (the client's, at most maxTimeoutMs, else the default) and a signal for cancellation. */
  function callOptions(call: ServerWritableStream<unknown, unknown>): CallOptions {
    const clientDeadline = call.getDeadline();
    const limit = Date.now() + deps.maxTimeoutMs;
    const requested = clientDeadline instanceof Date ? clientDeadline.getTime() : clientDeadline;
    const deadline = Number.isFinite(requested) ? Math.min(requested, limit) : Date.now() + deps.defaultTimeoutMs;
    const controller = new AbortController();
    // A client whose deadline passes resets the stream, and grpc-js ends a call whose deadline
    // passed: count both as a deadline, not a cancellation (the batcher reads a TimeoutError reason
    // as DEADLINE_EXCEEDED). The server's copy of the deadline starts when it parsed the headers, so
    // it runs a little behind the client's; a reset within DEADLINE_SLACK_MS of it is the deadline.
    const onCancelled = () => {
      const expired = Date.now() >= deadline - DEADLINE_SLACK_MS;
      const reason = new DOMException(
        expired ? 'deadline exceeded' : 'the client cancelled the call',
        expired ? 'TimeoutError' : 'AbortError',
      );
      controller.abort(reason);
    };
    if (call.cancelled) onCancelled();
    else call.once('cancelled', onCancelled);
    return { signal: controller.signal, deadline, timing: {} };
  }

  return {
    Generate: streamFaces('generate', (request, options) => service.generate(parseGenerateRequest(request), options)),
    Interpolate: streamFaces('interpolate', (request, options) =>
      service.interpolate(parseInterpolateRequest(request), options),
    ),
    GetModel: (call, callback) => {
      void observe(
        'model',
        call.metadata,
        async (headers) => {
          call.sendMetadata(headers);
          callback(null, { model: toModelMessage(service.model) });
        },
        (status) => callback(status),
      );
    },
  };
}
