import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTopologyFile, toTopologyFile } from './topology-file.js';

const file = (extra: Record<string, unknown> = {}) => ({
  format: 'tbgan-topology',
  formatVersion: 1,
  uvs: [0, 0, 1, 0, 0, 1, 1, 1],
  indices: [0, 2, 1, 1, 2, 3],
  ...extra,
});

test('parses a topology file into typed arrays, named after the file by default', () => {
  const topology = parseTopologyFile(file(), 'models/x/face.topology.json');
  assert.equal(topology.name, 'face.topology');
  assert.deepEqual(topology.uvs, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]));
  assert.deepEqual(topology.indices, new Uint32Array([0, 2, 1, 1, 2, 3]));
  assert.equal(topology.positions, undefined);
});

test('vFlip turns v-up files (menpo, OBJ) image-down', () => {
  const topology = parseTopologyFile(file({ uvs: [0, 0.25, 1, 0, 0, 1, 1, 0.75], vFlip: true, name: 'flipped' }));
  assert.deepEqual(Array.from(topology.uvs), [0, 0.75, 1, 1, 0, 0, 1, 0.25]);
  assert.equal(topology.name, 'flipped');
});

test('round-trips through toTopologyFile', () => {
  const topology = parseTopologyFile(file({ positions: [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0], name: 'sq' }));
  assert.deepEqual(parseTopologyFile(toTopologyFile(topology)), topology);
});

test('rejects bad files with one error that names the source and every problem', () => {
  const cases: [unknown, RegExp][] = [
    [file({ indices: [0, 2, 9] }), /indices\.2: 9 is out of range \(the file has 4 uvs\)/],
    [file({ indices: [0, 2, 1, 1] }), /indices: needs \[T, 3\] values, has 4/],
    [file({ uvs: [0, 0, 1, 0, 0, 1, 1] }), /uvs: needs \[V, 2\] values, has 7/],
    [file({ uvs: [0, 0, 1, 0, 0, 1, 1, 2] }), /uvs\.7: /],
    [file({ positions: [1, 2] }), /positions: needs \[V, 3\] = 12 values, has 2/],
    [file({ formatVersion: 2 }), /formatVersion/],
    [file({ triangles: [] }), /triangles|Unrecognized key/],
    [{ uvs: [], indices: [] }, /format/],
    [null, /\(root\)/],
  ];
  for (const [json, message] of cases) {
    assert.throws(
      () => parseTopologyFile(json, 'pkg/topology.json'),
      (e: Error) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^pkg\/topology\.json: invalid topology file:/);
        assert.match(e.message, message);
        return true;
      },
    );
  }
});
