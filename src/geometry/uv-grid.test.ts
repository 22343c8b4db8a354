import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediapipeCanonicalTopology } from './builtin-topologies.js';
import { createUvGridTopology } from './uv-grid.js';
import { rasterizeUvMask } from './uv-raster.js';

test('a 2x2 grid has its vertices at the texel centres of a 2x2 map and two CCW triangles', () => {
  const grid = createUvGridTopology(2);
  assert.equal(grid.name, 'uv-grid-2');
  assert.deepEqual(Array.from(grid.uvs), [0.25, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.75]);
  assert.deepEqual(Array.from(grid.indices), [0, 2, 1, 1, 2, 3]);
});

test('a 3x3 grid lists its cells row by row', () => {
  // biome-ignore format: two triangles per cell
  assert.deepEqual(Array.from(createUvGridTopology(3).indices), [
    0, 3, 1, 1, 3, 4,  1, 4, 2, 2, 4, 5,
    3, 6, 4, 4, 6, 7,  4, 7, 5, 5, 7, 8,
  ]);
});

test('a clipped grid keeps only cells inside the face and reindexes compactly', () => {
  const face = mediapipeCanonicalTopology();
  const grid = createUvGridTopology(32, { clipTo: face });
  assert.equal(grid.name, 'mediapipe-canonical-grid-32');
  const vertexCount = grid.uvs.length / 2;
  assert.ok(vertexCount > 0.4 * 32 * 32 && vertexCount < 0.7 * 32 * 32, `${vertexCount} vertices`);
  const mask = rasterizeUvMask(face, 32);
  const used = new Set(grid.indices);
  assert.equal(used.size, vertexCount, 'every vertex is used');
  for (let i = 0; i < vertexCount; i++) {
    const texel = Math.floor((grid.uvs[2 * i + 1] as number) * 32) * 32 + Math.floor((grid.uvs[2 * i] as number) * 32);
    assert.equal(mask[texel], 1, `vertex ${i} lies inside the face`);
  }
});

test('rejects a bad size or a clip region the grid misses', () => {
  assert.throws(() => createUvGridTopology(1), /verticesPerSide must be an integer in \[2, 4096\], got 1/);
  assert.throws(() => createUvGridTopology(2.5), /verticesPerSide/);
  // biome-ignore format: a sliver no texel centre of a 2x2 grid falls in
  const sliver = { name: 'sliver', uvs: new Float32Array([0,0, 0.1,0, 0,0.1]), indices: new Uint32Array([0, 1, 2]) };
  assert.throws(() => createUvGridTopology(2, { clipTo: sliver }), /no grid cell of 2 x 2 lies inside options\.clipTo/);
  assert.throws(
    () => createUvGridTopology(2, { clipTo: { ...sliver, indices: new Uint32Array([0, 1, 5]) } }),
    /options\.clipTo\.indices\[2\]/,
  );
});
