import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { encodePng, type PngChannels } from './png.js';

/** Decodes with pngjs (an independent decoder) and drops the RGBA expansion back to `channels`. */
function decode(png: Uint8Array, channels: PngChannels) {
  const { width, height, depth, data } = PNG.sync.read(Buffer.from(png), { skipRescale: true });
  const rgba = data as unknown as ArrayLike<number>; // Uint16Array for 16-bit files with skipRescale
  const out: number[] = [];
  for (let p = 0; p < width * height; p++) for (let c = 0; c < channels; c++) out.push(rgba[p * 4 + c] as number);
  return { width, height, depth, pixels: out };
}

/** A deterministic non-square test image: width 5, height 3 (so a transposition shows). */
function image<T extends Uint8Array | Uint16Array>(
  Type: { new (n: number): T },
  channels: PngChannels,
  max: number,
): T {
  const pixels = new Type(5 * 3 * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + 13) % (max + 1);
  return pixels;
}

for (const channels of [1, 3, 4] as const) {
  test(`roundtrips 8-bit pixels with ${channels} channel(s) exactly`, async () => {
    const pixels = image(Uint8Array, channels, 255);
    const decoded = decode(await encodePng(pixels, 5, 3, channels), channels);
    assert.deepStrictEqual(decoded, { width: 5, height: 3, depth: 8, pixels: Array.from(pixels) });
  });

  test(`roundtrips 16-bit pixels with ${channels} channel(s) exactly`, async () => {
    const pixels = image(Uint16Array, channels, 65535);
    const decoded = decode(await encodePng(pixels, 5, 3, channels), channels);
    assert.deepStrictEqual(decoded, { width: 5, height: 3, depth: 16, pixels: Array.from(pixels) });
  });
}

test('writes grey, RGB and RGBA colour types at the depth of the input array', async () => {
  const ihdr = async (pixels: Uint8Array | Uint16Array, channels: PngChannels) => {
    const png = await encodePng(pixels, 1, 1, channels);
    return [png[24], png[25]]; // IHDR bit depth, colour type (PNG spec 11.2.2)
  };
  assert.deepStrictEqual(
    [await ihdr(new Uint8Array(1), 1), await ihdr(new Uint16Array(3), 3), await ihdr(new Uint8Array(4), 4)],
    [
      [8, 0],
      [16, 2],
      [8, 6],
    ],
  );
});

test('puts the first array pixel at the top-left of the image', async () => {
  const pixels = new Uint8Array(4 * 2 * 3); // [2 rows, 4 columns, RGB], black
  pixels.set([255, 0, 0], 0); // row 0, column 0: red
  pixels.set([0, 0, 255], (1 * 4 + 3) * 3); // row 1, column 3: blue
  const { pixels: out } = decode(await encodePng(pixels, 4, 2, 3), 3);
  assert.deepStrictEqual(out.slice(0, 3), [255, 0, 0]);
  assert.deepStrictEqual(out.slice(-3), [0, 0, 255]);
});

test('gives identical bytes for identical pixels', async () => {
  const pixels = image(Uint16Array, 3, 65535);
  assert.deepStrictEqual(await encodePng(pixels, 5, 3, 3), await encodePng(pixels.slice(), 5, 3, 3));
});

test('returns a plain Uint8Array, not a Buffer', async () => {
  const png = await encodePng(new Uint8Array(3), 1, 1, 3);
  assert.equal(png.constructor, Uint8Array);
});

const bad: [string, () => Promise<Uint8Array>, RegExp][] = [
  [
    'short pixels',
    () => encodePng(new Uint8Array(44), 5, 3, 3),
    /pixels has 44 elements, expected width\*height\*channels/,
  ],
  ['long pixels', () => encodePng(new Uint16Array(46), 5, 3, 3), /pixels has 46 elements/],
  ['zero width', () => encodePng(new Uint8Array(0), 0, 3, 3), /width must be a positive integer, got 0/],
  ['negative height', () => encodePng(new Uint8Array(3), 1, -1, 3), /height must be a positive integer, got -1/],
  ['fractional width', () => encodePng(new Uint8Array(3), 1.5, 1, 3), /width must be a positive integer/],
  ['2 channels', () => encodePng(new Uint8Array(2), 1, 1, 2 as PngChannels), /channels must be 1, 3 or 4, got 2/],
  [
    'float pixels',
    () => encodePng(new Float32Array(3) as unknown as Uint8Array, 1, 1, 3),
    /pixels must be a Uint8Array/,
  ],
];
for (const [name, call, message] of bad) {
  test(`rejects ${name} with a message naming the argument`, async () => {
    await assert.rejects(call, message);
  });
}
