import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceOutputs, leftRedTexture } from '../../test/mesh-fixtures.js';
import { encodeObj } from './obj.js';

/** An OBJ reader written for this test: v, vt, vn, f (triangles, 1-based a/b/c), mtllib, usemtl. */
function parseObj(text: string) {
  const obj = {
    v: [] as number[][],
    vt: [] as number[][],
    vn: [] as number[][],
    f: [] as number[][][],
    other: [] as string[],
  };
  for (const line of text.split('\n')) {
    const [keyword, ...rest] = line.trim().split(/\s+/);
    if (keyword === 'v' || keyword === 'vt' || keyword === 'vn') obj[keyword].push(rest.map(Number));
    else if (keyword === 'f') obj.f.push(rest.map((corner) => corner.split('/').map(Number)));
    else if (keyword && !keyword.startsWith('#')) obj.other.push(line);
  }
  return obj;
}

const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);

test('writes face.obj, face.mtl, texture.png and normal.png, the MTL naming both maps', () => {
  const { mesh, texturePng, normalMapPng } = faceOutputs(32);
  const entries = encodeObj(mesh, { texturePng, normalMapPng, metadata: { seed: 7 } });
  assert.deepEqual(
    entries.map((e) => e.name),
    ['face.obj', 'face.mtl', 'texture.png', 'normal.png'],
  );
  assert.equal(entries[2]?.data, texturePng);
  const mtl = text(entries[1]?.data).split('\n');
  assert.ok(mtl.includes('newmtl face') && mtl.includes('map_Kd texture.png'));
  assert.ok(mtl.includes('norm normal.png') && mtl.includes('map_Bump normal.png'));
  const obj = text(entries[0]?.data);
  assert.match(obj, /^# tbgan-serve.*\n# seed: 7\nmtllib face\.mtl\n/);
  assert.deepEqual(parseObj(obj).other, ['mtllib face.mtl', 'o face', 'usemtl face']);
});

test('reads back with 468 vertices, 898 faces, indices in range, UVs in [0, 1], unit normals', () => {
  const { mesh } = faceOutputs(32);
  const obj = parseObj(text(encodeObj(mesh)[0]?.data));
  assert.equal(obj.v.length, 468);
  assert.equal(obj.vt.length, 468);
  assert.equal(obj.vn.length, 468);
  assert.equal(obj.f.length, 898);
  for (const face of obj.f) {
    assert.equal(face.length, 3);
    for (const [v, vt, vn] of face) {
      assert.ok(v !== undefined && v >= 1 && v <= 468 && vt === v && vn === v);
    }
  }
  for (const [u, v] of obj.vt)
    assert.ok((u as number) >= 0 && (u as number) <= 1 && (v as number) >= 0 && (v as number) <= 1);
  for (const n of obj.vn) assert.ok(Math.abs(Math.hypot(...n) - 1) < 1e-5);
  obj.v.forEach((p, i) => {
    for (let k = 0; k < 3; k++) assert.ok(Math.abs((p[k] as number) - (mesh.positions[3 * i + k] as number)) <= 5e-7);
  });
});

test("vt is v-up (1 - v): sampling the texture at (u, 1 - vt) gives red on the viewer's left", () => {
  const { mesh } = faceOutputs(64);
  const obj = parseObj(text(encodeObj(mesh)[0]?.data));
  const texture = leftRedTexture(64);
  obj.vt.forEach(([u, vt], i) => {
    assert.ok(Math.abs(1 - (vt as number) - (mesh.uvs[2 * i + 1] as number)) < 1e-6);
    const x = obj.v[i]?.[0] as number;
    if (Math.abs(x) < 0.1) return;
    const texel = Math.floor((1 - (vt as number)) * 64) * 64 + Math.floor((u as number) * 64);
    assert.equal(texture[3 * texel] === 255 && texture[3 * texel + 1] === 0, x < 0, `vertex ${i}`);
  });
});

test('without normals, faces are v/vt and there are no vn lines; same input, same bytes', () => {
  const { mesh } = faceOutputs(32);
  const obj = parseObj(text(encodeObj({ ...mesh, normals: undefined }, { baseName: 'x' })[0]?.data));
  assert.equal(obj.vn.length, 0);
  assert.deepEqual(obj.f[0]?.[0]?.length, 2);
  assert.deepEqual(encodeObj(mesh), encodeObj(mesh));
});

test('rejects a mesh with out-of-range indices, naming the field', () => {
  const { mesh } = faceOutputs(32);
  assert.throws(() => encodeObj({ ...mesh, indices: new Uint32Array([0, 1, 999]) }), {
    code: 'INTERNAL',
    message: /encodeObj: mesh\.indices\[2\] = 999 is out of range/,
  });
});
