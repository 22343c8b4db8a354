/**
 * Expressions -> label vectors, as the manifest's `labels` section describes (docs/model-package.md):
 * a class name or a `{ name: weight }` blend becomes a probability vector p; with intensity t the
 * label is scale * ((1 - t) * onehot(neutral) + t * p), or scale * (t * p) for a model without a
 * neutral class; no expression gives the manifest's default; a raw vector is used as is.
 */
import { ServiceError } from '../errors.js';
import type { Manifest } from './manifest.js';

/** An expression as requests give it: a class name, a blend of classes, or a raw label vector. */
export type Expression = string | Readonly<Record<string, number>> | readonly number[];

/** The label vector for an expression (field names in errors are relative to `field`). */
export function labelVector(
  labels: Manifest['labels'],
  expression: Expression | undefined,
  intensity?: number,
  field = 'expression',
): Float32Array {
  const n = labels.names.length;
  if (intensity !== undefined && !(Number.isFinite(intensity) && intensity >= 0 && intensity <= 1)) {
    throw new ServiceError('INVALID_ARGUMENT', 'intensity must be a number in [0, 1]', { field: 'intensity' });
  }
  if (expression === undefined) {
    if (intensity !== undefined)
      throw new ServiceError('INVALID_ARGUMENT', 'intensity needs an expression', { field: 'intensity' });
    return Float32Array.from(labels.default);
  }
  if (Array.isArray(expression)) {
    if (intensity !== undefined) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        'intensity applies to named expressions; a raw label vector is used as is',
        { field: 'intensity' },
      );
    }
    if (expression.length !== n)
      throw new ServiceError('INVALID_ARGUMENT', `a raw label vector needs ${n} numbers, got ${expression.length}`, {
        field,
      });
    expression.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new ServiceError('INVALID_ARGUMENT', 'must be a finite number', { field: `${field}[${i}]` });
    });
    return Float32Array.from(expression);
  }
  const p = new Float64Array(n);
  const blend: Record<string, number> =
    typeof expression === 'string' ? { [expression]: 1 } : (expression as Record<string, number>);
  const entries = Object.entries(blend);
  if (entries.length === 0)
    throw new ServiceError('INVALID_ARGUMENT', 'a blend needs at least one expression', { field });
  for (const [name, weight] of entries) {
    const index = labels.names.indexOf(name);
    const at = typeof expression === 'string' ? field : `${field}.${name}`;
    if (index < 0)
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `unknown expression '${name}'; this model has: ${labels.names.join(', ')}`,
        { field: at },
      );
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ServiceError('INVALID_ARGUMENT', 'blend weights must be finite numbers >= 0', { field: at });
    }
    p[index] = (p[index] as number) + weight;
  }
  const total = p.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new ServiceError('INVALID_ARGUMENT', 'blend weights must not all be zero', { field });
  const t = intensity ?? 1;
  const neutral = labels.neutral === null ? -1 : labels.names.indexOf(labels.neutral);
  return Float32Array.from(p, (v, i) => (labels.scale[i] as number) * (t * (v / total) + (i === neutral ? 1 - t : 0)));
}
