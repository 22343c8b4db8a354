import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateBytes } from 'gltf-validator';
import {
  encodeTestPng,
  faceOutputs,
  flatPositions,
  glbAccessor,
  leftRedTexture,
  readGlb,
} from '../../test/mesh-fixtures.js';
import { computeVertexNormals, createUvGridTopology } from '../geometry/index.js';
import { encodeGlb } from './glb.js';

/** Fails with the validator's messages unless it reports no errors and no warnings. */
async function assertValidGltf(glb: Uint8Array): Promise<void> {
  const report = await validateBytes(glb, { maxIssues: 100 });
  const problems = report.issues.messages
    .filter((m) => m.severity <= 1)
    .map((m) => `${m.code} ${m.pointer}: ${m.message}`);
  assert.deepEqual(problems, []);
  assert.equal(report.issues.numErrors + report.issues.numWarnings, 0);
}

const metadata = { seed: 42, expression: 'happiness', model: { name: 'tbgan-512', version: '1.0.0' } };

test('a face with texture, tangent-space normal map and tangents passes the glTF validator', async () => {
  const { mesh, texturePng, normalMapPng } = faceOutputs(128);
  await assertValidGltf(await encodeGlb(mesh, { texturePng, normalMapPng, metadata }));
});

test('a bare mesh (positions, UVs) and one with normals only pass the validator too', async () => {
  const { mesh } = faceOutputs(64);
  await assertValidGltf(await encodeGlb({ positions: mesh.positions, uvs: mesh.uvs, indices: mesh.indices }));
  await assertValidGltf(
    await encodeGlb({ ...mesh, tangents: undefined }, { texturePng: encodeTestPng(leftRedTexture(8), 8, 8) }),
  );
});

test('a 65536-vertex grid uses uint32 indices; the 468-vertex face uint16', async () => {
  const grid = createUvGridTopology(256);
  const positions = flatPositions(grid.uvs);
  const big = await encodeGlb({ ...grid, positions, normals: computeVertexNormals(positions, grid.indices) });
  await assertValidGltf(big);
  const bigJson = readGlb(big).json;
  assert.equal(bigJson.accessors[bigJson.meshes[0]?.primitives[0]?.indices as number]?.componentType, 5125);
  const small = readGlb(await encodeGlb(faceOutputs(64).mesh)).json;
  assert.equal(small.accessors[small.meshes[0]?.primitives[0]?.indices as number]?.componentType, 5123);
});

test('writes the same bytes for the same input, with metadata in asset and scene extras', async () => {
  const { mesh, texturePng, normalMapPng } = faceOutputs(64);
  const a = await encodeGlb(mesh, { texturePng, normalMapPng, metadata });
  const b = await encodeGlb(mesh, { texturePng, normalMapPng, metadata });
  assert.deepEqual(a, b);
  const { json } = readGlb(a);
  assert.deepEqual(json.asset.extras, metadata);
  assert.deepEqual(json.scenes[0]?.extras, metadata);
  assert.deepEqual(
    json.images.map((i) => i.mimeType),
    ['image/png', 'image/png'],
  );
});

test("UVs are stored as is (top-left origin): vertices on the viewer's left read the red left half", async () => {
  const { mesh, texturePng } = faceOutputs(64);
  const glb = readGlb(await encodeGlb(mesh, { texturePng }));
  const attributes = glb.json.meshes[0]?.primitives[0]?.attributes ?? {};
  const positions = glbAccessor(glb, attributes.POSITION as number);
  const uvs = glbAccessor(glb, attributes.TEXCOORD_0 as number);
  assert.deepEqual(uvs, mesh.uvs);
  const texture = leftRedTexture(64); // what texturePng holds
  for (let i = 0; i < positions.length / 3; i++) {
    const x = positions[3 * i] as number;
    if (Math.abs(x) < 0.1) continue; // the midline
    const texel: number = Math.floor((uvs[2 * i + 1] as number) * 64) * 64 + Math.floor((uvs[2 * i] as number) * 64);
    assert.equal(texture[3 * texel] === 255 && texture[3 * texel + 1] === 0, x < 0, `vertex ${i} at x = ${x}`);
  }
});

test('rejects inconsistent meshes and non-PNG images with INTERNAL errors naming the field', async () => {
  const { mesh, normalMapPng } = faceOutputs(32);
  const cases: [Parameters<typeof encodeGlb>, RegExp][] = [
    [
      [{ ...mesh, tangents: undefined }, { normalMapPng }],
      /options\.normalMapPng needs mesh\.normals and mesh\.tangents/,
    ],
    [[mesh, { texturePng: new Uint8Array([1, 2, 3]) }], /options\.texturePng must be PNG bytes/],
    [[{ ...mesh, indices: new Uint32Array([0, 1, 468]) }], /mesh\.indices\[2\] = 468 is out of range for 468 vertices/],
    [[{ ...mesh, uvs: mesh.uvs.subarray(2) }], /mesh\.uvs must hold \[V, 2\] = 936 values, has 934/],
  ];
  for (const [args, message] of cases) await assert.rejects(encodeGlb(...args), { code: 'INTERNAL', message });
});
