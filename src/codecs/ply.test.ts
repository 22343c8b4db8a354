import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceOutputs } from '../../test/mesh-fixtures.js';
import { encodePly } from './ply.js';

/** A binary little-endian PLY reader written for this test (float, uchar and uint list properties). */
function parsePly(bytes: Uint8Array) {
  const end = Buffer.from(bytes).indexOf('end_header\n') + 'end_header\n'.length;
  const header = new TextDecoder().decode(bytes.subarray(0, end)).split('\n');
  assert.equal(header[1], 'format binary_little_endian 1.0');
  const elements: { name: string; count: number; properties: string[][] }[] = [];
  for (const line of header) {
    const words = line.split(' ');
    if (words[0] === 'element') elements.push({ name: words[1] as string, count: Number(words[2]), properties: [] });
    if (words[0] === 'property') elements.at(-1)?.properties.push(words.slice(1));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = end;
  const read = (type: string) => {
    const value =
      type === 'float' ? view.getFloat32(p, true) : type === 'uint' ? view.getUint32(p, true) : view.getUint8(p);
    p += type === 'uchar' ? 1 : 4;
    return value;
  };
  const data: Record<string, Record<string, number | number[]>[]> = {};
  for (const element of elements) {
    data[element.name] = Array.from({ length: element.count }, () => {
      const row: Record<string, number | number[]> = {};
      for (const property of element.properties) {
        if (property[0] === 'list') {
          const n = read(property[1] as string);
          row[property[3] as string] = Array.from({ length: n }, () => read(property[2] as string));
        } else row[property[1] as string] = read(property[0] as string);
      }
      return row;
    });
  }
  assert.equal(p, bytes.length, 'no trailing bytes');
  return { header, vertex: data.vertex ?? [], face: data.face ?? [] };
}

test('reads back with positions, unit normals, colours and 898 triangles in range', () => {
  const { mesh } = faceOutputs(64);
  const ply = parsePly(encodePly(mesh, { metadata: { seed: 3 } }));
  assert.ok(ply.header.includes('comment seed: 3'));
  assert.equal(ply.vertex.length, 468);
  assert.equal(ply.face.length, 898);
  ply.vertex.forEach((v, i) => {
    assert.deepEqual([v.x, v.y, v.z], Array.from(mesh.positions.subarray(3 * i, 3 * i + 3)));
    assert.ok(Math.abs(Math.hypot(v.nx as number, v.ny as number, v.nz as number) - 1) < 1e-6);
  });
  for (const f of ply.face) {
    const indices = f.vertex_indices as number[];
    assert.equal(indices.length, 3);
    for (const i of indices) assert.ok(i >= 0 && i < 468);
  }
  assert.deepEqual(
    ply.face.flatMap((f) => f.vertex_indices),
    Array.from(mesh.indices),
  );
});

test("vertex colours put the texture's red left half on the viewer's left (x < 0)", () => {
  const { mesh } = faceOutputs(64);
  for (const v of parsePly(encodePly(mesh)).vertex) {
    if (Math.abs(v.x as number) < 0.1) continue;
    assert.equal(v.red === 255 && v.green === 0, (v.x as number) < 0, `vertex at x = ${v.x}`);
  }
});

test('leaves out the properties a mesh lacks', () => {
  const { mesh } = faceOutputs(32);
  const ply = parsePly(encodePly({ positions: mesh.positions, uvs: mesh.uvs, indices: mesh.indices }));
  assert.deepEqual(Object.keys(ply.vertex[0] ?? {}), ['x', 'y', 'z']);
});

test('rejects colours of the wrong length, naming the field', () => {
  const { mesh } = faceOutputs(32);
  assert.throws(() => encodePly({ ...mesh, colors: new Uint8Array(3) }), {
    code: 'INTERNAL',
    message: /encodePly: mesh\.colors must hold \[V, 3\] = 1404 values, has 3/,
  });
});
