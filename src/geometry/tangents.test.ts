import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flatPositions } from '../../test/mesh-fixtures.js';
import { mediapipeCanonicalTopology } from './builtin-topologies.js';
import { computeVertexNormals } from './normals.js';
import { computeTangents } from './tangents.js';
import { createUvGridTopology } from './uv-grid.js';

test('on a flat grid (x = u, y = -v) tangents point along +x with w = +1', () => {
  const grid = createUvGridTopology(3);
  const positions = flatPositions(grid.uvs);
  const tangents = computeTangents({ ...grid, positions, normals: computeVertexNormals(positions, grid.indices) });
  for (let i = 0; i < tangents.length; i += 4) assert.deepEqual(Array.from(tangents.subarray(i, i + 4)), [1, 0, 0, 1]);
});

test('mirrored UVs (x = -u) flip the handedness to w = -1', () => {
  const grid = createUvGridTopology(3);
  const positions = flatPositions(grid.uvs, true);
  const indices = grid.indices.slice();
  for (let t = 0; t < indices.length; t += 3)
    indices.set([indices[t] as number, indices[t + 2] as number, indices[t + 1] as number], t); // keep facing +z
  const normals = computeVertexNormals(positions, indices);
  assert.equal(normals[2], 1);
  const tangents = computeTangents({ uvs: grid.uvs, indices, positions, normals });
  for (let i = 0; i < tangents.length; i += 4)
    assert.deepEqual(Array.from(tangents.subarray(i, i + 4)), [-1, 0, 0, -1]);
});

test('MediaPipe tangents are unit, orthogonal to the normals, right-handed', () => {
  const face = mediapipeCanonicalTopology();
  const positions = face.positions as Float32Array;
  const normals = computeVertexNormals(positions, face.indices);
  const tangents = computeTangents({ ...face, positions, normals });
  for (let v = 0; v < 468; v++) {
    const t = tangents.subarray(4 * v, 4 * v + 3);
    const n = normals.subarray(3 * v, 3 * v + 3);
    assert.ok(Math.abs(Math.hypot(...t) - 1) < 1e-6, `vertex ${v} unit`);
    assert.ok(
      Math.abs(
        (t[0] as number) * (n[0] as number) + (t[1] as number) * (n[1] as number) + (t[2] as number) * (n[2] as number),
      ) < 1e-6,
    );
    assert.equal(tangents[4 * v + 3], 1, `vertex ${v}: u runs along +x and v down along -y, as in a photo`);
  }
});

test('needs normals', () => {
  const grid = createUvGridTopology(2);
  assert.throws(() => computeTangents({ ...grid, positions: flatPositions(grid.uvs) }), /mesh\.normals is required/);
});
