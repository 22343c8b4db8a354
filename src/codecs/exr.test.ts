import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FloatType } from 'three';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { encodeExr } from './exr.js';

/**
 * Decodes with three's EXRLoader into our layout [height, width, 3], top row first. The loader, like
 * the exporter, puts the file's bottom scanline at row 0 (GL convention), so rows are flipped back.
 */
function decode(exr: Uint8Array) {
  const loader = new EXRLoader().setDataType(FloatType);
  const { width, height, data } = loader.parse(exr.slice().buffer) as {
    width: number;
    height: number;
    data: Float32Array;
  };
  const rgb = new Float32Array(width * height * 3);
  const alpha = new Set<number>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const src = ((height - 1 - y) * width + x) * 4;
      rgb.set(data.subarray(src, src + 3), (y * width + x) * 3);
      alpha.add(data[src + 3] as number);
    }
  return { width, height, rgb, alpha: [...alpha] };
}

/** Width 5, height 3 (non-square, so a transposition shows), values of both signs and magnitudes. */
const data = new Float32Array(5 * 3 * 3).map((_, i) => Math.sin(i * 1.7) * 10 ** ((i % 7) - 3));

test('roundtrips float32 exactly, with alpha 1', async () => {
  const decoded = decode(await encodeExr(data, 5, 3, 3));
  assert.deepStrictEqual(decoded, { width: 5, height: 3, rgb: data, alpha: [1] });
});

test('roundtrips half within one half-precision ulp', async () => {
  const { rgb } = decode(await encodeExr(data, 5, 3, 3, { half: true }));
  for (const [i, v] of data.entries()) {
    const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.abs(v))) - 10)); // subnormal floor 2^-24
    assert.ok(Math.abs((rgb[i] as number) - v) < ulp, `element ${i}: ${rgb[i]} vs ${v}`);
  }
});

test('puts the first array pixel at the top-left of the image', async () => {
  const image = new Float32Array(4 * 2 * 3); // [2 rows, 4 columns, 3]
  image.set([7, 8, 9], 0); // row 0, column 0
  const exr = await encodeExr(image, 4, 2, 3);
  // OpenEXR's y grows downwards and lineOrder is INCREASING_Y, so the file's first scanline is the top;
  // the loader returns it as its last row, which decode() flips back to row 0.
  assert.deepStrictEqual(Array.from(decode(exr).rgb.subarray(0, 3)), [7, 8, 9]);
  assert.ok(Array.from(decode(exr).rgb.subarray(3)).every((v) => v === 0));
});

test('starts with the OpenEXR magic and gives identical bytes for identical input', async () => {
  const a = await encodeExr(data, 5, 3, 3);
  assert.deepStrictEqual(Array.from(a.subarray(0, 4)), [0x76, 0x2f, 0x31, 0x01]);
  assert.deepStrictEqual(a, await encodeExr(data.slice(), 5, 3, 3));
});

const bad: [string, () => Promise<Uint8Array>, RegExp][] = [
  [
    'data of the wrong length',
    () => encodeExr(new Float32Array(44), 5, 3, 3),
    /data has 44 elements, expected width\*height\*3/,
  ],
  ['zero height', () => encodeExr(new Float32Array(0), 5, 0, 3), /height must be a positive integer, got 0/],
  ['negative width', () => encodeExr(new Float32Array(3), -1, 1, 3), /width must be a positive integer, got -1/],
  ['4 channels', () => encodeExr(new Float32Array(4), 1, 1, 4 as 3), /channels must be 3, got 4/],
  [
    'a Uint8Array',
    () => encodeExr(new Uint8Array(3) as unknown as Float32Array, 1, 1, 3),
    /data must be a Float32Array/,
  ],
];
for (const [name, call, message] of bad) {
  test(`rejects ${name} with a message naming the argument`, async () => {
    await assert.rejects(call, message);
  });
}
