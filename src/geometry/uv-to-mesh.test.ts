import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { faceMaps, formulaMap } from '../../test/mesh-fixtures.js';
import { mediapipeCanonicalTopology } from './builtin-topologies.js';
import type { Topology } from './topology.js';
import { createUvGridTopology } from './uv-grid.js';
import { officialSigmaPx, uvToMesh } from './uv-to-mesh.js';

/** 4x4 shape map whose texel (row, col) holds (col, row, 10 row + col). */
function tinyShape(): Float32Array {
  const shape = new Float32Array(4 * 4 * 3);
  for (let row = 0; row < 4; row++)
    for (let col = 0; col < 4; col++) shape.set([col, row, 10 * row + col], (row * 4 + col) * 3);
  return shape;
}

test('official mode on a 2x2 grid reads texels (1, 1), (1, 3), (3, 1), (3, 3) of a 4x4 map', () => {
  const mesh = uvToMesh(tinyShape(), 4, createUvGridTopology(2)); // sigma 3 * 4 / 512: a 1-tap kernel
  // biome-ignore format: one vertex per row
  assert.deepEqual(Array.from(mesh.positions), [
    1, 1, 11,
    3, 1, 13,
    1, 3, 31,
    3, 3, 33,
  ]);
  assert.deepEqual(Array.from(mesh.indices), [0, 2, 1, 1, 2, 3]);
});

test('bilinear mode interpolates between texel centres', () => {
  const mesh = uvToMesh(tinyShape(), 4, createUvGridTopology(2), { mode: 'bilinear' });
  // biome-ignore format: one vertex per row
  assert.deepEqual(Array.from(mesh.positions), [
    0.5, 0.5, 5.5,
    2.5, 0.5, 7.5,
    0.5, 2.5, 25.5,
    2.5, 2.5, 27.5,
  ]);
});

test('official lookup truncates toward zero and clamps v = 1 and u = 1 to the last texel', () => {
  // biome-ignore format: one vertex per pair
  const topology: Topology = { name: 'edges', uvs: new Float32Array([0,0, 0.2499,0.5, 1,1]), indices: new Uint32Array([0, 1, 2]) };
  const mesh = uvToMesh(tinyShape(), 4, topology, { sigmaPx: 0 });
  assert.deepEqual(Array.from(mesh.positions), [0, 0, 0, 0, 2, 20, 3, 3, 33]);
});

test('official mode equals the official numpy/scipy code (test/fixtures/scipy-gaussian.json)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/scipy-gaussian.json', import.meta.url), 'utf8'));
  const face = mediapipeCanonicalTopology();
  for (const { size, sigmaPx, vertices, positions } of fixture.official as {
    size: number;
    sigmaPx: number;
    vertices: number[];
    positions: number[];
  }[]) {
    const options = sigmaPx === officialSigmaPx(size) ? {} : { sigmaPx };
    const mesh = uvToMesh(formulaMap(size), size, face, options);
    vertices.forEach((v, i) => {
      for (let k = 0; k < 3; k++) {
        const diff = Math.abs((mesh.positions[3 * v + k] as number) - (positions[3 * i + k] as number));
        assert.ok(diff < 1e-6, `sigma ${sigmaPx}, vertex ${v}: off by ${diff}`);
      }
    });
  }
});

test('the sigma scales with resolution: 3 px at 512, 1.5 px at 256', () => {
  assert.equal(officialSigmaPx(512), 3);
  assert.equal(officialSigmaPx(256), 1.5);
});

test('a bump in the top half of the shape map lands on the top (+y) of the face', () => {
  const face = mediapipeCanonicalTopology();
  const { shape } = faceMaps(128);
  const bumped = shape.slice();
  for (let i = 0; i < (128 * 128) / 2; i++) bumped[3 * i + 2] = (bumped[3 * i + 2] as number) + 0.5; // rows 0-63
  const before = uvToMesh(shape, 128, face).positions;
  const after = uvToMesh(bumped, 128, face).positions;
  const raised = (i: number) => (after[3 * i + 2] as number) - (before[3 * i + 2] as number) > 0.25;
  const ys = { raised: [] as number[], flat: [] as number[] };
  for (let i = 0; i < 468; i++) (raised(i) ? ys.raised : ys.flat).push(before[3 * i + 1] as number);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(ys.raised.length > 100 && ys.flat.length > 100);
  assert.ok(mean(ys.raised) > mean(ys.flat) + 0.3, `raised mean y ${mean(ys.raised)}, flat ${mean(ys.flat)}`);
  assert.ok(Math.min(...ys.raised) > Math.min(...ys.flat), 'the chin stays flat');
  assert.ok(Math.max(...ys.raised) === Math.max(...ys.raised, ...ys.flat), 'the forehead top is raised');
});

test("a map holding each texel centre's own (u, v) gives back vertex UVs (bilinear) or texel centres (official)", () => {
  const face = mediapipeCanonicalTopology();
  const r = 512;
  const shape = new Float32Array(r * r * 3);
  for (let row = 0; row < r; row++)
    for (let col = 0; col < r; col++) shape.set([(col + 0.5) / r, (row + 0.5) / r, 1], (row * r + col) * 3);
  const bilinear = uvToMesh(shape, r, face, { mode: 'bilinear', sigmaPx: 0 }).positions;
  const official = uvToMesh(shape, r, face, { sigmaPx: 0 }).positions;
  for (let i = 0; i < 468; i++) {
    const [u, v] = [face.uvs[2 * i] as number, face.uvs[2 * i + 1] as number];
    assert.ok(Math.abs((bilinear[3 * i] as number) - u) < 1e-6 && Math.abs((bilinear[3 * i + 1] as number) - v) < 1e-6);
    assert.equal(official[3 * i], Math.fround((Math.trunc(u * r) + 0.5) / r));
    assert.equal(official[3 * i + 1], Math.fround((Math.trunc(v * r) + 0.5) / r));
  }
});

test('rejects bad inputs with errors naming the argument', () => {
  const grid = createUvGridTopology(2);
  const shape = tinyShape();
  const cases: [() => unknown, RegExp][] = [
    [() => uvToMesh(shape.subarray(1), 4, grid), /shape must hold \[R, R, 3\] = 48 values for R = 4, has 47/],
    [() => uvToMesh(shape, 5, grid), /shape must hold \[R, R, 3\] = 75 values for R = 5, has 48/],
    [() => uvToMesh(Array.from(shape) as unknown as Float32Array, 4, grid), /shape must be a Float32Array/],
    [() => uvToMesh(shape, 0, grid), /resolutionPx must be a positive integer, got 0/],
    [
      () => uvToMesh(shape, 4, grid, { mode: 'cubic' as 'official' }),
      /options\.mode must be one of official, bilinear, got 'cubic'/,
    ],
    [() => uvToMesh(shape, 4, grid, { sigmaPx: -1 }), /options\.sigmaPx must be a finite number >= 0, got -1/],
    [
      () => uvToMesh(shape, 4, { ...grid, indices: new Uint32Array([0, 1, 4]) }),
      /topology\.indices\[2\] = 4 is out of range/,
    ],
    [
      () =>
        uvToMesh(
          shape.map((x, i) => (i === 15 ? Number.NaN : x)),
          4,
          grid,
        ),
      /vertex 0 a non-finite position/,
    ],
  ];
  for (const [run, message] of cases) assert.throws(run, message);
});
