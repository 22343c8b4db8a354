import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Architecture,
  architectureProblems,
  architectureStats,
  featureMaps,
  layerPlan,
  variablePlan,
  weightScale,
} from './architecture.js';
import { PRESETS } from './presets.js';

const OFFICIAL = PRESETS['tbgan-512'];

test('tbgan-512 has the official parameter counts and about 463 GFLOP per face', () => {
  const stats = architectureStats(OFFICIAL);
  assert.equal(stats.checkpointParameters, 206_959_465);
  assert.equal(stats.inferenceParameters, 206_893_161);
  assert.equal(Math.round(stats.flopsPerFace / 1e9), 463);
});

test('tbgan-512 widths are 3x ProGAN: 1536 x4, 768, 384, then 3 x 64 and 3 x 32', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((s) => featureMaps(OFFICIAL, s)),
    [1536, 1536, 1536, 1536, 768, 384, 192, 96],
  );
});

test('tbgan-512 variables have TBGAN names, layouts and shapes (research/tbgan.md §4.3)', () => {
  const shapes = new Map(variablePlan(OFFICIAL).map((v) => [v.name, v.shape]));
  const table: [string, number[]][] = [
    ['lod', []],
    ['4x4/Dense/weight', [1543, 24576]],
    ['4x4/Dense/bias', [1536]],
    ['4x4/Conv/weight', [3, 3, 1536, 1536]],
    ['ToRGB_lod7/weight', [1, 1, 1536, 9]],
    ['ToRGB_lod7/bias', [9]],
    ['8x8/Conv0_up/weight', [3, 3, 1536, 1536]],
    ['64x64/Conv0_up/weight', [3, 3, 768, 1536]], // [k, k, out, in]
    ['64x64/Conv1/weight', [3, 3, 768, 768]],
    ['128x128/Conv0_up/weight', [3, 3, 384, 768]],
    ['ToRGB_lod2/weight', [1, 1, 384, 9]],
    ['256x256/tex/Conv0_up/weight', [3, 3, 64, 128]],
    ['256x256/nor/Conv1/weight', [3, 3, 64, 64]],
    ['ToRGB_lod1/shp/weight', [1, 1, 64, 3]],
    ['512x512/shp/Conv0_up/weight', [3, 3, 32, 64]],
    ['512x512/tex/Conv1/weight', [3, 3, 32, 32]],
    ['ToRGB_lod0/nor/weight', [1, 1, 32, 3]],
    ['ToRGB_lod0/nor/bias', [3]],
  ];
  for (const [name, shape] of table) assert.deepEqual(shapes.get(name), shape, name);
  assert.equal(shapes.size, 73);
  assert.equal(variablePlan(OFFICIAL)[0]?.name, 'lod');
});

test('equalized learning-rate constants match the official gains and fan-ins (research/tbgan.md §1.5)', () => {
  const scale = new Map(layerPlan(OFFICIAL).map((l) => [l.scope, weightScale(l)]));
  const table: [string, number][] = [
    ['4x4/Dense', 0.009001],
    ['4x4/Conv', 0.012028],
    ['64x64/Conv1', 0.01701],
    ['128x128/Conv1', 0.024056],
    ['256x256/tex/Conv0_up', 0.041667],
    ['256x256/shp/Conv1', 0.058926],
    ['512x512/nor/Conv0_up', 0.058926],
    ['512x512/tex/Conv1', 0.083333],
    ['ToRGB_lod0/tex', 0.176777],
    ['ToRGB_lod1/shp', 0.125],
  ];
  for (const [scope, expected] of table)
    assert.ok(Math.abs((scale.get(scope) as number) - expected) < 5e-7, `${scope}: ${scale.get(scope)}`);
});

test('the CPU preset stays under 15 GFLOP per face at 256 px or more; the tiny preset under 1 MB', () => {
  const cpu = PRESETS['tbgan-256'];
  assert.ok(cpu.resolution >= 256);
  assert.ok(architectureStats(cpu).flopsPerFace <= 15e9);
  assert.ok(architectureStats(PRESETS['tbgan-tiny']).checkpointParameters * 4 < 1_000_000);
});

test('every preset is a valid architecture; broken ones are explained', () => {
  for (const preset of Object.values(PRESETS)) assert.deepEqual(architectureProblems(preset), []);
  const table: [Partial<Architecture>, RegExp][] = [
    [{ resolution: 500 }, /resolution must be a power of two >= 8, got 500/],
    [{ lodSep: 9 }, /lodSep must be an integer in \[2, log2\(resolution\) - 1\], got 9/],
    [{ numChannels: 6 }, /numChannels must be 9/],
    [{ latentSize: 0 }, /latentSize must be a positive integer, got 0/],
    [{ widthMultiplier: 2 }, /must split into 3 branches/],
  ];
  for (const [change, message] of table)
    assert.match(architectureProblems({ ...OFFICIAL, ...change }).join('; '), message);
});
