import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createXoshiro128ss, isSeed, latentFromSeed, latentsFromSeed } from './seeds.js';

const VECTORS = JSON.parse(
  readFileSync(new URL('../../test/fixtures/latent-vectors.json', import.meta.url), 'utf8'),
) as {
  latentSize: number;
  vectors: { seed: number; first: string[]; last: string; sha256: string }[];
};

const hexBits = (values: Float32Array) =>
  Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length), (b) => b.toString(16).padStart(8, '0'));

test('xoshiro128** matches the reference implementation seeded with {1, 2, 3, 4}', () => {
  const next = createXoshiro128ss([1, 2, 3, 4]);
  assert.deepEqual(
    Array.from({ length: 8 }, next),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849],
  );
});

for (const v of VECTORS.vectors) {
  test(`seed ${v.seed} gives the committed latent, bit for bit`, () => {
    const latent = latentFromSeed(v.seed, VECTORS.latentSize);
    assert.deepEqual(hexBits(latent.subarray(0, 8)), v.first);
    assert.deepEqual(hexBits(latent.subarray(-1)), [v.last]);
    assert.equal(createHash('sha256').update(new Uint8Array(latent.buffer)).digest('hex'), v.sha256);
  });
}

test('face i of a request uses seed + i, wrapping at 2^32', () => {
  const latents = latentsFromSeed(2 ** 32 - 1, 2, 16);
  assert.deepEqual(latents.subarray(0, 16), latentFromSeed(2 ** 32 - 1, 16));
  assert.deepEqual(latents.subarray(16), latentFromSeed(0, 16));
});

test('a shorter latent is a prefix of a longer one (odd lengths included)', () => {
  assert.deepEqual(latentFromSeed(5, 7), latentFromSeed(5, 64).subarray(0, 7));
});

test('latents are standard normal: mean ~0, variance ~1 over many values', () => {
  const values = latentsFromSeed(99, 64, 1536);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
});

test('isSeed accepts uint32 values only', () => {
  const table: [unknown, boolean][] = [
    [0, true],
    [4294967295, true],
    [4294967296, false],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
    ['1', false],
    [null, false],
  ];
  for (const [input, expected] of table) assert.equal(isSeed(input), expected, String(input));
});
