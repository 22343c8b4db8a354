import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flatPositions } from '../../test/mesh-fixtures.js';
import { mediapipeCanonicalTopology } from './builtin-topologies.js';
import { computeVertexNormals, sampleVertexNormals } from './normals.js';
import { createUvGridTopology } from './uv-grid.js';

test('a flat grid facing the viewer has +z normals everywhere (CCW winding)', () => {
  const grid = createUvGridTopology(4);
  const normals = computeVertexNormals(flatPositions(grid.uvs), grid.indices);
  for (let i = 0; i < normals.length; i += 3) assert.deepEqual(Array.from(normals.subarray(i, i + 3)), [0, 0, 1]);
});

test('normals weight faces by area; unused vertices get +z', () => {
  // biome-ignore format: a big face in the xy plane and a small one in the xz plane share vertex 0
  const positions = new Float32Array([0,0,0, 2,0,0, 0,2,0, 0,0,1, 1,0,0, 9,9,9]);
  const normals = computeVertexNormals(positions, new Uint32Array([0, 1, 2, 0, 3, 4]));
  const [x, y, z] = normals.subarray(0, 3) as unknown as [number, number, number];
  // big face: cross = (0, 0, 4); small: cross((0,0,1), (1,0,0)) = (0, 1, 0); sum (0, 1, 4)
  assert.ok(Math.abs(x) < 1e-7 && Math.abs(y - 1 / Math.sqrt(17)) < 1e-7 && Math.abs(z - 4 / Math.sqrt(17)) < 1e-7);
  assert.deepEqual(Array.from(normals.subarray(15, 18)), [0, 0, 1]);
});

test('the MediaPipe template has unit normals and the nose tip looks at the viewer', () => {
  const face = mediapipeCanonicalTopology();
  const normals = computeVertexNormals(face.positions as Float32Array, face.indices);
  for (let i = 0; i < normals.length; i += 3) {
    assert.ok(Math.abs(Math.hypot(...normals.subarray(i, i + 3)) - 1) < 1e-6);
  }
  assert.ok((normals[3 * 4 + 2] as number) > 0.9, 'vertex 4, the nose tip, has a +z normal');
});

test('normals sampled from a map are decoded from 8 bits or taken raw from floats, then renormalised', () => {
  const uvs = new Float32Array([0.25, 0.25, 0.75, 0.75]);
  // biome-ignore format: a 2x2 map, one texel per row
  const u8 = new Uint8Array([255,128,128, 0,0,0, 0,0,0, 128,128,0]);
  const fromU8 = sampleVertexNormals(u8, 2, uvs);
  assert.ok(Math.abs((fromU8[0] as number) - 1) < 1e-4 && Math.abs((fromU8[5] as number) + 1) < 1e-4);
  // biome-ignore format: a 2x2 map, one texel per row
  const f32 = new Float32Array([0,0,2, 0,0,0, 0,0,0, 0,0,0]);
  assert.deepEqual(Array.from(sampleVertexNormals(f32, 2, uvs)), [0, 0, 1, 0, 0, 1]); // a zero texel: +z
  assert.throws(() => sampleVertexNormals(u8, 3, uvs), /normalMap must hold \[R, R, 3\] = 27 values, has 12/);
});
