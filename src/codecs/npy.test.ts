import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeNpy, encodeNpy, type NpyArray, type NpyDtype } from './npy.js';

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

test('writes the v1.0 preamble and a space-padded header that ends at byte 128', () => {
  const npy = encodeNpy(new Float32Array(24), [2, 3, 4], '<f4');
  const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }";
  // the same bytes as numpy 2.4.6's np.save for a float32 array of shape (2, 3, 4)
  assert.equal(ascii(npy.subarray(0, 128)), `\x93NUMPY\x01\x00\x76\x00${dict.padEnd(117, ' ')}\n`);
  assert.equal(npy.length, 128 + 24 * 4);
});

test('writes Python tuple syntax for 0-d, 1-d and n-d shapes', () => {
  const header = (shape: number[], n: number) => ascii(encodeNpy(new Uint8Array(n), shape, '|u1').subarray(10, 80));
  assert.match(header([], 1), /'shape': \(\), }/);
  assert.match(header([5], 5), /'shape': \(5,\), }/);
  assert.match(header([2, 1, 3], 6), /'shape': \(2, 1, 3\), }/);
});

const cases: NpyArray[] = [
  { dtype: '<f4', shape: [2, 2, 3], data: new Float32Array(12).map((_, i) => i / 3 - 1.5) },
  { dtype: '|u1', shape: [3, 1], data: new Uint8Array([0, 127, 255]) },
  { dtype: '<f2', shape: [4], data: new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]) }, // 1, -2, 65504, 2^-24
  { dtype: '<f4', shape: [9, 2, 2], data: new Float32Array(36).map((_, i) => Math.sin(i)) }, // a [9, R, R] uv map
];
for (const array of cases) {
  test(`roundtrips ${array.dtype} of shape [${array.shape}] exactly, data 64-byte aligned`, () => {
    const npy = encodeNpy(array.data, array.shape, array.dtype);
    const headerBytes = new DataView(npy.buffer).getUint16(8, true);
    assert.equal((10 + headerBytes) % 64, 0);
    assert.equal(npy[10 + headerBytes - 1], 0x0a); // '\n'
    assert.deepStrictEqual(decodeNpy(npy), array);
  });
}

test('encodes only the bytes of a view, not its whole buffer', () => {
  const batch = new Float32Array([1, 2, 3, 4, 5, 6]);
  const npy = encodeNpy(batch.subarray(3), [3], '<f4');
  assert.deepStrictEqual(decodeNpy(npy).data, new Float32Array([4, 5, 6]));
});

test('decodes a Node Buffer (what fs.readFile gives), whose slice() is a view, not a copy', () => {
  const npy = encodeNpy(new Float32Array([1, 2, 3]), [3], '<f4');
  const pooled = Buffer.from(npy); // small Buffers share one pooled ArrayBuffer, at an offset
  assert.deepStrictEqual(decodeNpy(pooled).data, new Float32Array([1, 2, 3]));
  assert.deepStrictEqual(decodeNpy(Buffer.concat([npy])).data, new Float32Array([1, 2, 3]));
});

test('gives identical bytes for identical input', () => {
  const data = new Float32Array([1.5, -2, 3]);
  assert.deepStrictEqual(encodeNpy(data, [3], '<f4'), encodeNpy(data.slice(), [3], '<f4'));
});

const bad: [string, () => unknown, RegExp][] = [
  [
    'data shorter than the shape',
    () => encodeNpy(new Float32Array(5), [2, 3], '<f4'),
    /data has 5 elements, expected the product of shape \[2, 3\] = 6/,
  ],
  [
    'a zero dimension',
    () => encodeNpy(new Uint8Array(0), [0, 3], '|u1'),
    /shape\[0\] must be a positive integer, got 0/,
  ],
  [
    'a negative dimension',
    () => encodeNpy(new Uint8Array(3), [3, -1], '|u1'),
    /shape\[1\] must be a positive integer, got -1/,
  ],
  [
    'a Float32Array for <f2',
    () => encodeNpy(new Float32Array(1), [1], '<f2'),
    /data for dtype '<f2' must be a Uint16Array/,
  ],
  [
    'a Uint8Array for <f4',
    () => encodeNpy(new Uint8Array(4), [1], '<f4'),
    /data for dtype '<f4' must be a Float32Array/,
  ],
  [
    'an unknown dtype',
    () => encodeNpy(new Uint8Array(1), [1], '<i8' as NpyDtype),
    /dtype must be '<f4', '\|u1' or '<f2', got <i8/,
  ],
  ['bytes without the magic (decode)', () => decodeNpy(new Uint8Array(16)), /do not start with the NPY magic/],
  [
    'truncated data (decode)',
    () => decodeNpy(encodeNpy(new Uint8Array(4), [4], '|u1').subarray(0, 130)),
    /expected 4 data bytes, found 2/,
  ],
];
for (const [name, call, message] of bad) {
  test(`rejects ${name} with a message naming the argument`, () => {
    assert.throws(call, message);
  });
}
