import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertMesh, assertTopology, type Topology } from './topology.js';

// biome-ignore format: one vertex per pair
const square = (): Topology => ({ name: 'square', uvs: new Float32Array([0,0, 1,0, 0,1, 1,1]), indices: new Uint32Array([0,2,1, 1,2,3]) });

test('accepts a well-formed topology and mesh', () => {
  assertTopology(square());
  assertMesh({
    ...square(),
    positions: new Float32Array(12),
    normals: new Float32Array(12),
    colors: new Uint8Array(12),
  });
});

test('rejects bad topologies with errors naming the argument', () => {
  const cases: [Partial<Topology>, RegExp][] = [
    [
      { indices: new Uint32Array([0, 2, 4]) },
      /topology\.indices\[2\] = 4 is out of range: the topology has 4 vertices/,
    ],
    [{ indices: new Uint32Array([0, 2]) }, /topology\.indices must hold \[T \* 3\] values/],
    [{ uvs: new Float32Array([0, 0, 1]) }, /topology\.uvs must hold \[V, 2\] values/],
    [{ uvs: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1.5]) }, /topology\.uvs\[7\] = 1\.5 is outside \[0, 1\]/],
    [{ uvs: new Float32Array([0, 0, 1, 0, 0, 1, 1, Number.NaN]) }, /topology\.uvs\[7\] = NaN/],
    [{ positions: new Float32Array(11) }, /topology\.positions must hold \[V, 3\] = 12 values, has 11/],
    [{ indices: [0, 1, 2] as unknown as Uint32Array }, /topology\.indices must be a Uint32Array/],
  ];
  for (const [change, message] of cases) assert.throws(() => assertTopology({ ...square(), ...change }), message);
});

test('rejects a mesh whose attributes disagree on the vertex count', () => {
  assert.throws(
    () => assertMesh({ ...square(), positions: new Float32Array(12), tangents: new Float32Array(12) }),
    /mesh\.tangents must hold \[V, 4\] = 16 values, has 12/,
  );
  assert.throws(
    () => assertMesh({ ...square(), positions: new Float32Array(9) }),
    /mesh\.positions must hold \[V, 3\]/,
  );
});
