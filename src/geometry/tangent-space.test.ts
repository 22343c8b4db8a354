import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceMaps, flatPositions } from '../../test/mesh-fixtures.js';
import { mediapipeCanonicalTopology } from './builtin-topologies.js';
import { computeVertexNormals } from './normals.js';
import { toTangentSpaceNormalMap } from './tangent-space.js';
import { computeTangents } from './tangents.js';
import type { Mesh } from './topology.js';
import { createUvGridTopology } from './uv-grid.js';
import { rasterizeUvTriangles } from './uv-raster.js';
import { uvToMesh } from './uv-to-mesh.js';

/** A flat 8x8-vertex grid facing +z (x = u, y = -v) with normals and tangents. */
function flatMesh(): Mesh {
  const grid = createUvGridTopology(8);
  const positions = flatPositions(grid.uvs);
  const normals = computeVertexNormals(positions, grid.indices);
  return { ...grid, positions, normals, tangents: computeTangents({ ...grid, positions, normals }) };
}

/** An [R, R, 3] 8-bit object-space map holding one direction everywhere. */
function uniformMap(resolutionPx: number, direction: [number, number, number]): Uint8Array {
  const length = Math.hypot(...direction);
  const encoded = direction.map((x) => Math.round((x / length + 1) * 127.5));
  const map = new Uint8Array(resolutionPx * resolutionPx * 3);
  for (let i = 0; i < map.length; i += 3) map.set(encoded, i);
  return map;
}

test('on a flat mesh facing +z, object-space +z, +x and +y become tangent-space +z, +x (right) and +y (up)', () => {
  const mesh = flatMesh();
  const texel = (map: Uint8Array, row: number, col: number) =>
    Array.from(map.subarray((row * 16 + col) * 3, (row * 16 + col) * 3 + 3));
  assert.deepEqual(texel(toTangentSpaceNormalMap(uniformMap(16, [0, 0, 1]), 16, mesh), 8, 8), [128, 128, 255]);
  assert.deepEqual(texel(toTangentSpaceNormalMap(uniformMap(16, [1, 0, 1]), 16, mesh), 8, 8), [218, 128, 218]);
  // +y (up on the face, toward the top of the image) is the green channel's +: the glTF/OpenGL convention
  assert.deepEqual(texel(toTangentSpaceNormalMap(uniformMap(16, [0, 1, 1]), 16, mesh), 8, 8), [128, 218, 218]);
});

test('texels away from the mesh are flat; a padding ring copies the edge', () => {
  const mesh = flatMesh(); // vertices at u = 1/16 .. 15/16: texel columns 2 .. 29 of a 32 px map
  const at = (map: Uint8Array, row: number, col: number) =>
    Array.from(map.subarray((row * 32 + col) * 3, (row * 32 + col) * 3 + 3));
  const map = toTangentSpaceNormalMap(uniformMap(32, [1, 0, 1]), 32, mesh, { paddingPx: 0 });
  assert.deepEqual(at(map, 16, 2), [218, 128, 218]);
  assert.deepEqual(at(map, 16, 1), [128, 128, 255]);
  const padded = toTangentSpaceNormalMap(uniformMap(32, [1, 0, 1]), 32, mesh, { paddingPx: 1 });
  assert.deepEqual(at(padded, 16, 1), [218, 128, 218]);
  assert.deepEqual(at(padded, 16, 0), [128, 128, 255]);
});

type V3 = [number, number, number];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: V3): V3 => a.map((x) => x / Math.sqrt(dot(a, a))) as V3;
const mix = (vs: V3[], ws: number[]): V3 =>
  [0, 1, 2].map((i) => vs.reduce((s, v, j) => s + (v[i] as number) * (ws[j] as number), 0)) as V3;
const read = (xs: ArrayLike<number>, at: number, scale = 1, offset = 0): V3 =>
  [0, 1, 2].map((k) => (xs[at + k] as number) * scale + offset) as V3;

test("on the MediaPipe face a viewer shading with the file's TBN gets the object normals back", () => {
  const face = mediapipeCanonicalTopology();
  const r = 256;
  const maps = faceMaps(r);
  const mesh0 = uvToMesh(maps.shape, r, face);
  const normals = computeVertexNormals(mesh0.positions, face.indices);
  const tangents = computeTangents({ ...mesh0, normals });
  const baked = toTangentSpaceNormalMap(maps.normals, r, { ...mesh0, normals, tangents });
  // the glTF Sample Viewer: B = cross(N, T) * w per vertex; T, B, N interpolated and normalised per
  // fragment; n = normalize(T * x + B * y + N * z) with (x, y, z) = texel * 2 - 1
  const frameOf = (v: number): [V3, V3, V3] => {
    const n = read(normals, 3 * v);
    const t = read(tangents, 4 * v);
    return [t, cross(n, t).map((c) => c * (tangents[4 * v + 3] as number)) as V3, n];
  };
  let worst = 1;
  let count = 0;
  rasterizeUvTriangles(face.uvs, face.indices, r, (texel, tri, [w0 = 0, w1 = 0, w2 = 0]) => {
    const corners = [0, 1, 2].map((i) => frameOf(face.indices[3 * tri + i] as number));
    const [t, b, n] = [0, 1, 2].map((k) =>
      unit(
        mix(
          corners.map((f) => f[k] as V3),
          [w0, w1, w2],
        ),
      ),
    ) as [V3, V3, V3];
    const shaded = unit(mix([t, b, n], read(baked, 3 * texel, 1 / 127.5, -1)));
    worst = Math.min(worst, dot(shaded, unit(read(maps.normals, 3 * texel, 1 / 127.5, -1))));
    count++;
  });
  assert.ok(count > 0.6 * r * r);
  assert.ok(worst > Math.cos(Math.PI / 180), `worst angle ${(Math.acos(worst) * 180) / Math.PI} degrees`); // 8-bit rounding
});

test('needs normals and tangents, and a map of the right size', () => {
  const { tangents: _, ...mesh } = flatMesh();
  assert.throws(
    () => toTangentSpaceNormalMap(uniformMap(4, [0, 0, 1]), 4, mesh),
    /mesh\.normals and mesh\.tangents are required/,
  );
  assert.throws(
    () => toTangentSpaceNormalMap(new Uint8Array(5), 4, flatMesh()),
    /objectNormals must hold \[R, R, 3\] = 48 values/,
  );
});
