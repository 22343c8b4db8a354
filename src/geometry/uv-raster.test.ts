import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Topology } from './topology.js';
import { bakeUvMap, rasterizeUvMask, rasterizeUvTriangles } from './uv-raster.js';

// biome-ignore format: one vertex per pair
const lowerLeft: Topology = { name: 'half', uvs: new Float32Array([0,0, 0,1, 1,1]), indices: new Uint32Array([0, 1, 2]) };

test('the mask holds the texel centres inside the triangles, edges included', () => {
  // texel centres at 1/8, 3/8, 5/8, 7/8: inside where v >= u (the diagonal itself included)
  // biome-ignore format: a 4x4 image
  assert.deepEqual(Array.from(rasterizeUvMask(lowerLeft, 4)), [
    1, 0, 0, 0,
    1, 1, 0, 0,
    1, 1, 1, 0,
    1, 1, 1, 1,
  ]);
});

test('baking interpolates per-vertex values linearly in UV space', () => {
  // value = u + 10 v at each vertex, so the bake is exact at every covered texel centre
  const values = new Float32Array([0, 10, 11]);
  const map = bakeUvMap(lowerLeft, values, 1, 4, -1);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const expected = col <= row ? (col + 0.5) / 4 + (10 * (row + 0.5)) / 4 : -1;
      assert.ok(Math.abs((map[row * 4 + col] as number) - expected) < 1e-5, `texel ${row}, ${col}`);
    }
  }
});

test('baking rejects values of the wrong length', () => {
  assert.throws(() => bakeUvMap(lowerLeft, new Float32Array(4), 1, 4), /values must hold \[V, 1\] = 3, has 4/);
  assert.throws(() => rasterizeUvMask(lowerLeft, 0), /resolutionPx must be a positive integer/);
});

test('reverse visits the same texels with the same weights, last triangle first', () => {
  // two triangles sharing the diagonal: its texel centres are visited by both
  // biome-ignore format: one vertex per pair
  const square: Topology = { name: 'square', uvs: new Float32Array([0,0, 0,1, 1,1, 1,0]), indices: new Uint32Array([0, 1, 2, 0, 2, 3]) };
  const visits = (reverse: boolean) => {
    const seen: [number, number, number, number, number][] = [];
    rasterizeUvTriangles(square.uvs, square.indices, 4, (texel, t, w) => seen.push([texel, t, ...w] as never), {
      reverse,
    });
    return seen;
  };
  const forward = visits(false);
  const backward = visits(true);
  assert.equal(forward.length, 16 + 4, 'the four diagonal texels twice');
  assert.deepEqual(
    [...backward].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    [...forward].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
  );
  assert.equal(backward[0]?.[1], 1, 'the last triangle first');
  // "the later triangle wins" forward equals "the first visit wins" in reverse
  const winner = (seen: typeof forward, firstWins: boolean) => {
    const owner = new Array<number>(16).fill(-1);
    for (const [texel, t] of seen) if (!firstWins || owner[texel] === -1) owner[texel] = t;
    return owner;
  };
  assert.deepEqual(winner(backward, true), winner(forward, false));
});
