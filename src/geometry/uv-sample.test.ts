import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bilinearTaps, nearestTaps, sampleMap, sampleVertexColors } from './uv-sample.js';

test('nearest taps truncate u * R and v * R, clamped to the last texel', () => {
  const taps = nearestTaps(new Float32Array([0, 0, 0.49, 0.51, 1, 1]), 4);
  assert.deepEqual(Array.from(taps.texels), [0, 2 * 4 + 1, 15]);
  assert.deepEqual(Array.from(taps.weights), [1, 1, 1]);
});

test('bilinear taps weight the four nearest texel centres and clamp at the border', () => {
  const taps = bilinearTaps(new Float32Array([0.5, 0.25, 0, 0]), 4);
  // u = 0.5 and v = 0.25 lie halfway between the centres of columns 1, 2 and of rows 0, 1
  assert.deepEqual(Array.from(taps.texels.subarray(0, 4)), [1, 2, 5, 6]);
  assert.deepEqual(Array.from(taps.weights.subarray(0, 4)), [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(Array.from(taps.texels.subarray(4)), [0, 0, 0, 0]); // (-0.5, -0.5) clamps to texel 0
});

test('vertex colours are bilinear samples of the texture, rounded', () => {
  // biome-ignore format: a 2x2 RGB texture, one texel per row
  const texture = new Uint8Array([255,0,0, 0,0,255, 255,0,0, 0,0,255]);
  assert.deepEqual(
    Array.from(sampleVertexColors(texture, 2, new Float32Array([0.5, 0.5, 0.1, 0.9]))),
    [128, 0, 128, 255, 0, 0],
  );
  assert.deepEqual(Array.from(sampleMap(texture, 2, 3, new Float32Array([0.9, 0.1]), 'nearest')), [0, 0, 255]);
  assert.throws(
    () => sampleVertexColors(texture, 3, new Float32Array(2)),
    /texture must hold \[R, R, 3\] = 27 values, has 12/,
  );
});
