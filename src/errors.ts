/**
 * The one error model of the service. Codes are gRPC's canonical names, so the gRPC mapping is the
 * identity; the HTTP mapping is one exhaustive table in the HTTP adapter.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT' // request is malformed or out of range
  | 'NOT_FOUND' // unknown model, version or route
  | 'RESOURCE_EXHAUSTED' // a per-client limit or a request too large to serve
  | 'DEADLINE_EXCEEDED' // the deadline passed before a result
  | 'CANCELLED' // the client went away
  | 'UNAVAILABLE' // not ready yet, draining, or the queue is full: retry with backoff
  | 'INTERNAL'; // a bug or a runtime failure: never show the details

/** Every error code, in a stable order (docs and tests enumerate it). */
export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'RESOURCE_EXHAUSTED',
  'DEADLINE_EXCEEDED',
  'CANCELLED',
  'UNAVAILABLE',
  'INTERNAL',
];

/** Options of a ServiceError beyond the standard `cause`. */
export interface ServiceErrorOptions extends ErrorOptions {
  /** The request field at fault, as a JSON path (`outputs[1].format`). */
  field?: string;
}

/** An error whose meaning is known: it carries a code the adapters map to HTTP and gRPC statuses. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  readonly field: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ServiceErrorOptions,
  ) {
    super(message, options);
    this.field = options?.field;
  }

  /** Turns anything caught into a ServiceError; the original stays in `cause`, for logs only. */
  static from(e: unknown): ServiceError {
    if (e instanceof ServiceError) return e;
    if (e instanceof Error && e.name === 'AbortError')
      return new ServiceError('CANCELLED', 'request cancelled', { cause: e });
    return new ServiceError('INTERNAL', 'internal error', { cause: e });
  }
}

/** Queue full or draining: carries how long the client should wait before retrying. */
export class UnavailableError extends ServiceError {
  override name = 'UnavailableError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ServiceErrorOptions,
  ) {
    super('UNAVAILABLE', message, options);
  }
}

/**
 * A model package that cannot be used: a bad manifest, a missing or corrupt file, weights that do not
 * match the architecture. The message names the file, the tensor, what was expected and what was found.
 */
export class ModelPackageError extends Error {
  override name = 'ModelPackageError';
}
