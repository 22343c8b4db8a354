/**
 * Errors over HTTP: the one exhaustive code -> status table (STYLE.md §4) and RFC 9457 problem+json
 * bodies carrying the code, the field at fault and the request id. INTERNAL never shows its cause.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { type ErrorCode, ServiceError, UnavailableError } from '../../errors.js';
import type { Logger } from '../../observability/index.js';

/** HTTP status of each error code (connect-es `codeToHttpStatus`). */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  CANCELLED: 499,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const TITLES: Readonly<Record<ErrorCode, string>> = {
  INVALID_ARGUMENT: 'Invalid argument',
  NOT_FOUND: 'Not found',
  RESOURCE_EXHAUSTED: 'Resource exhausted',
  DEADLINE_EXCEEDED: 'Deadline exceeded',
  CANCELLED: 'Cancelled',
  UNAVAILABLE: 'Unavailable',
  INTERNAL: 'Internal error',
};

/** Writes a problem+json response for `err` (already a ServiceError). */
export function sendProblem(res: Response, err: ServiceError, instance: string): void {
  const status = HTTP_STATUS[err.code];
  if (err instanceof UnavailableError) res.setHeader('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: TITLES[err.code],
    status,
    code: err.code,
    detail: err.message,
    instance,
  };
  if (err.field !== undefined) body.field = err.field;
  const requestId = res.getHeader('x-request-id');
  if (requestId !== undefined) body.requestId = requestId;
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

/** Maps errors thrown by body parsing (express.json) onto our codes. */
function fromParserError(e: unknown, bodyLimitBytes: number): ServiceError | undefined {
  const type = (e as { type?: string } | null)?.type;
  if (type === 'entity.too.large')
    return new ServiceError('INVALID_ARGUMENT', `request body exceeds ${bodyLimitBytes} bytes`, { field: '(body)' });
  if (type === 'entity.parse.failed')
    return new ServiceError('INVALID_ARGUMENT', `malformed JSON: ${(e as Error).message}`, { field: '(body)' });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new ServiceError('INVALID_ARGUMENT', (e as Error).message, { field: '(body)' });
  if (type === 'request.aborted') return new ServiceError('CANCELLED', 'the client closed the request');
  return undefined;
}

/** The last middleware: every error becomes problem+json; INTERNAL is logged with its cause. */
export function errorHandler(logger: Logger, bodyLimitBytes: number): ErrorRequestHandler {
  return (e, req, res, _next) => {
    const err = fromParserError(e, bodyLimitBytes) ?? ServiceError.from(e);
    const reqId = res.getHeader('x-request-id');
    if (err.code === 'INTERNAL') logger.error({ err: e, reqId, path: req.path }, 'request failed');
    else logger.info({ code: err.code, field: err.field, reqId, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, err, req.originalUrl);
  };
}
