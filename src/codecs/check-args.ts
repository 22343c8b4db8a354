/**
 * Argument checks shared by the encoders.
 *
 * DESIGN NOTES: a bad argument to a codec is a bug in our own pipeline (the service builds every
 * array from the model's output), not a client error, so these throw plain `RangeError` / `TypeError`
 * that `ServiceError.from` maps to INTERNAL, never a ServiceError with INVALID_ARGUMENT. Messages name
 * the function and the argument: `encodePng: width must be a positive integer, got 0`.
 */

/** Throws unless `value` is an integer in [1, 2^31). */
export function assertPositiveInt(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 0x7fffffff)
    throw new RangeError(`${fn}: ${name} must be a positive integer, got ${value}`);
}

/** Throws unless `data` holds exactly `expected` elements (`what` spells out the product). */
export function assertLength(fn: string, name: string, data: ArrayLike<unknown>, expected: number, what: string): void {
  if (data.length !== expected)
    throw new RangeError(`${fn}: ${name} has ${data.length} elements, expected ${what} = ${expected}`);
}

/** A view of the same bytes as a plain Uint8Array (not a Buffer), so results compare and clone alike. */
export function toPlainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
