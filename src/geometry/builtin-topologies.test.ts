import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMediapipeCanonical } from '../../test/mediapipe-extract.js';
import { BUILTIN_TOPOLOGY_NAMES, builtinTopology, mediapipeCanonicalTopology } from './builtin-topologies.js';
import { rasterizeUvMask } from './uv-raster.js';

test('the committed MediaPipe data equals the installed @mediapipe/face_mesh, value for value', () => {
  const extracted = extractMediapipeCanonical();
  const topology = mediapipeCanonicalTopology();
  assert.deepEqual(topology.positions, Float32Array.from(extracted.positions));
  assert.deepEqual(topology.uvs, Float32Array.from(extracted.uvs));
  assert.deepEqual(topology.indices, Uint32Array.from(extracted.indices));
});

test('the canonical face has 468 vertices, 898 triangles, v image-down and +y up', () => {
  const { uvs, indices, positions } = mediapipeCanonicalTopology();
  assert.equal(uvs.length / 2, 468);
  assert.equal(indices.length / 3, 898);
  assert.equal(Math.max(...indices), 467);
  const p = positions as Float32Array;
  // the vertex nearest the top of the UV image is on the forehead (largest y), and vice versa
  const vs = Array.from({ length: 468 }, (_, i) => uvs[2 * i + 1] as number);
  const ys = Array.from({ length: 468 }, (_, i) => p[3 * i + 1] as number);
  assert.equal(ys[vs.indexOf(Math.min(...vs))], Math.max(...ys));
  // the image's left half (u < 0.5) is the viewer's left (x < 0)
  for (let i = 0; i < 468; i++) if ((uvs[2 * i] as number) < 0.45) assert.ok((p[3 * i] as number) < 0, `vertex ${i}`);
});

test('the canonical triangles are counter-clockwise seen from +z (888 of 898) and in (u, -v) (all)', () => {
  const { uvs, indices, positions } = mediapipeCanonicalTopology();
  const p = positions as Float32Array;
  let frontCcw = 0;
  let uvCcw = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = [indices[t], indices[t + 1], indices[t + 2]] as [number, number, number];
    const cross = (x: (i: number) => number, y: (i: number) => number) =>
      (x(b) - x(a)) * (y(c) - y(a)) - (x(c) - x(a)) * (y(b) - y(a));
    if (
      cross(
        (i) => p[3 * i] as number,
        (i) => p[3 * i + 1] as number,
      ) > 0
    )
      frontCcw++;
    if (
      cross(
        (i) => uvs[2 * i] as number,
        (i) => -(uvs[2 * i + 1] as number),
      ) > 0
    )
      uvCcw++;
  }
  assert.equal(frontCcw, 888); // the rest are steep triangles at the silhouette, facing sideways
  assert.equal(uvCcw, 898);
});

test('builtin grids cover the face footprint only', () => {
  const grid = builtinTopology('mediapipe-grid-64');
  assert.equal(grid.name, 'mediapipe-grid-64');
  const mask = rasterizeUvMask(mediapipeCanonicalTopology(), 64);
  for (let i = 0; i < grid.uvs.length / 2; i++) {
    const [col, row] = [Math.floor((grid.uvs[2 * i] as number) * 64), Math.floor((grid.uvs[2 * i + 1] as number) * 64)];
    assert.equal(mask[row * 64 + col], 1);
  }
  assert.equal(builtinTopology('mediapipe-grid-64'), grid, 'built once');
  assert.deepEqual(BUILTIN_TOPOLOGY_NAMES, [
    'mediapipe-canonical',
    'mediapipe-grid-64',
    'mediapipe-grid-128',
    'mediapipe-grid-256',
  ]);
});

test('rejects an unknown builtin name, listing the known ones', () => {
  assert.throws(() => builtinTopology('lsfm'), /name 'lsfm' is not one of mediapipe-canonical, mediapipe-grid-64/);
});
