import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolateLabel, interpolateLatent } from './interpolation.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-6) =>
  assert.ok(
    Array.from(a).every((v, i) => Math.abs(v - (b[i] as number)) < eps),
    `${Array.from(a)} vs ${Array.from(b)}`,
  );

test('slerp keeps the ends, follows the great circle and falls back to lerp for parallel vectors', () => {
  const a = new Float32Array([1, 0]);
  const b = new Float32Array([0, 1]);
  close(interpolateLatent(a, b, 0, 'slerp'), a);
  close(interpolateLatent(a, b, 1, 'slerp'), b);
  close(interpolateLatent(a, b, 0.5, 'slerp'), [Math.SQRT1_2, Math.SQRT1_2]);
  close(interpolateLatent(a, b, 0.5, 'lerp'), [0.5, 0.5]);
  close(interpolateLatent(a, new Float32Array([2, 0]), 0.5, 'slerp'), [1.5, 0]);
});

test('labels interpolate linearly', () => {
  close(interpolateLabel(new Float32Array([1, 0]), new Float32Array([0, 1]), 0.25), [0.75, 0.25]);
});
