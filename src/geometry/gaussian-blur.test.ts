import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formulaMap } from '../../test/mesh-fixtures.js';
import { gaussianBlurMap, gaussianBlurTexels, gaussianKernel1d, reflectIndex } from './gaussian-blur.js';

/** scipy.ndimage.gaussian_filter(x, sigma=(s, s, 0)) written literally: one 2D sum per output, float64. */
function literalGaussianFilter(map: Float32Array, size: number, sigmaPx: number): Float64Array {
  const radius = Math.trunc(4 * sigmaPx + 0.5); // truncate=4
  const phi = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-0.5 * ((i - radius) / sigmaPx) ** 2));
  const sum = phi.reduce((a, b) => a + b, 0);
  const weights = phi.map((p) => p / sum);
  const reflect = (i: number) => {
    let j = i;
    while (j < 0 || j >= size) j = j < 0 ? -j - 1 : 2 * size - 1 - j; // d c b a | a b c d | d c b a
    return j;
  };
  const out = new Float64Array(map.length);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      for (let k = 0; k < 3; k++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++) {
          for (let j = -radius; j <= radius; j++) {
            const value = map[(reflect(row + i) * size + reflect(col + j)) * 3 + k] as number;
            acc += (weights[i + radius] as number) * (weights[j + radius] as number) * value;
          }
        }
        out[(row * size + col) * 3 + k] = acc;
      }
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

test('the kernel is scipy _gaussian_kernel1d: radius int(4 sigma + 0.5), normalised, symmetric', () => {
  assert.equal(gaussianKernel1d(3).length, 25); // the official sigma at 512: 25 taps
  assert.equal(gaussianKernel1d(1.5).length, 13);
  assert.deepEqual(Array.from(gaussianKernel1d(0)), [1]);
  assert.deepEqual(Array.from(gaussianKernel1d(0.1)), [1]); // radius int(0.9) = 0
  const w = gaussianKernel1d(3);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  for (let i = 0; i < 12; i++) assert.equal(w[i], w[24 - i]);
});

test("reflect is scipy's half-sample symmetric mode, also more than one period out", () => {
  const n = 4; // a b c d
  const padded = Array.from({ length: 16 }, (_, i) => reflectIndex(i - 6, n));
  assert.deepEqual(padded, [2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1]);
});

test('the blur equals a literal 2D scipy gaussian_filter within 1e-6 (dense and per texel)', () => {
  for (const [size, sigmaPx] of [
    [7, 0.5],
    [7, 3],
    [16, 1.5],
    [32, 3],
    [5, 7.9],
  ] as const) {
    const map = formulaMap(size);
    const expected = literalGaussianFilter(map, size, sigmaPx);
    const dense = gaussianBlurMap(map, size, sigmaPx);
    assert.ok(maxAbsDiff(dense, expected) < 1e-6, `dense, size ${size}, sigma ${sigmaPx}`);
    const texels = Array.from({ length: size * size }, (_, i) => i);
    const sparse = gaussianBlurTexels(map, size, sigmaPx, texels);
    assert.deepEqual(sparse, dense, `per texel equals dense bit for bit, size ${size}, sigma ${sigmaPx}`);
  }
});

test('blurring chosen texels only gives the whole-map values there, bit for bit', () => {
  const size = 64;
  const map = formulaMap(size);
  const odd = Array.from({ length: (size / 2) ** 2 }, (_, i) => (2 * Math.floor(i / 32) + 1) * size + 2 * (i % 32) + 1);
  const few = [0, 63, 64 * 63, 64 * 64 - 1, 2080, 1000, 1001, 1065];
  for (const sigmaPx of [0, 0.375, 1.5, 3]) {
    const dense = gaussianBlurMap(map, size, sigmaPx);
    for (const texels of [odd, few]) {
      const expected = new Float32Array(texels.flatMap((t) => [0, 1, 2].map((k) => dense[3 * t + k] as number)));
      assert.deepEqual(gaussianBlurTexels(map, size, sigmaPx, texels), expected, `sigma ${sigmaPx}`);
    }
  }
});

test('the blur matches values computed by scipy itself (test/fixtures/scipy-gaussian.json)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/scipy-gaussian.json', import.meta.url), 'utf8'));
  for (const { size, sigmaPx, values } of fixture.blur as { size: number; sigmaPx: number; values: number[] }[]) {
    const diff = maxAbsDiff(gaussianBlurMap(formulaMap(size), size, sigmaPx), values);
    assert.ok(diff < 1e-6, `sigma ${sigmaPx}: max difference ${diff}`);
  }
});

test('sigma 0 returns an unblurred copy', () => {
  const map = formulaMap(4);
  const blurred = gaussianBlurMap(map, 4, 0);
  assert.deepEqual(blurred, map);
  assert.notEqual(blurred, map);
});

test('rejects a negative or non-finite sigma', () => {
  assert.throws(() => gaussianKernel1d(-1), /sigmaPx must be >= 0/);
  assert.throws(() => gaussianKernel1d(Number.NaN), /sigmaPx/);
});
