import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';

test('converts to binary16 bits with round-to-nearest-even', () => {
  const table: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest finite
    [65520, 0x7c00], // rounds up to infinity
    [Number.POSITIVE_INFINITY, 0x7c00],
    [Number.NEGATIVE_INFINITY, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // a tie: rounds to even (zero)
    [3 * 2 ** -25, 0x0002], // a tie: rounds to even (2)
    [1 + 2 ** -11, 0x3c00], // tie between 1 and the next value: rounds to even
    [1 + 3 * 2 ** -11, 0x3c02],
    [0.1, 0x2e66],
  ];
  for (const [value, bits] of table) assert.equal(toFloat16Bits(value), bits, `${value}`);
  assert.equal(toFloat16Bits(Number.NaN) & 0x7c00, 0x7c00);
  assert.notEqual(toFloat16Bits(Number.NaN) & 0x3ff, 0);
});

test('every finite binary16 value survives a round trip through float32', () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const back = float32ToFloat16(float16ToFloat32(all));
  for (let i = 0; i < 65536; i++) {
    const nan = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
    if (!nan) assert.equal(back[i], i, `bits ${i.toString(16)}`);
  }
});

test('decodes special values', () => {
  assert.equal(fromFloat16Bits(0x7c00), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(fromFloat16Bits(0x7e00)));
  assert.equal(fromFloat16Bits(0x0001), 2 ** -24);
  assert.equal(Object.is(fromFloat16Bits(0x8000), -0), true);
});
