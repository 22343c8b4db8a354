/**
 * Errors over gRPC (STYLE.md §4): ErrorCode names are gRPC's canonical codes, so the status is
 * `status[err.code]`. The field at fault and the retry hint travel in trailers; INTERNAL never
 * shows its cause.
 */
import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import { type ErrorCode, type ServiceError, UnavailableError } from '../../errors.js';

/** Trailer naming the request field at fault (`outputs[1].format`), as REST's problem `field`. */
export const FIELD_TRAILER = 'tbgan-field';

/** Trailer with how long to wait before retrying an UNAVAILABLE call, in integer milliseconds. */
export const RETRY_AFTER_TRAILER = 'retry-after-ms';

/** gRFC A6 server pushback: grpc clients with a retry policy wait this many ms before the next attempt. */
export const PUSHBACK_TRAILER = 'grpc-retry-pushback-ms';

/** The gRPC status of each error code: the identity (compile-time checked for every ErrorCode). */
export const GRPC_STATUS: Readonly<Record<ErrorCode, status>> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  CANCELLED: status.CANCELLED,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
};

/** The status a call ends with for `err`: code, details (`field: message`) and trailers. */
export function toGrpcStatus(err: ServiceError): StatusObject {
  const metadata = new Metadata();
  if (err.field !== undefined) metadata.set(FIELD_TRAILER, err.field);
  if (err instanceof UnavailableError) {
    const ms = String(Math.max(0, Math.ceil(err.retryAfterMs)));
    metadata.set(RETRY_AFTER_TRAILER, ms);
    metadata.set(PUSHBACK_TRAILER, ms);
  }
  const details = err.field === undefined ? err.message : `${err.field}: ${err.message}`;
  return { code: GRPC_STATUS[err.code], details, metadata };
}
