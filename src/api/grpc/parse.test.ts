import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGenerateRequest, parseInterpolateRequest } from './parse.js';

const TEXTURE_PNG = [{ output: 'texture', format: 'png' }];

test('unset fields become the REST defaults; what was set is passed as given', () => {
  // biome-ignore format: one row per case
  const rows: [string, Parameters<typeof parseGenerateRequest>[0], unknown][] = [
    ['nothing set', { outputs: [] }, { count: 1, outputs: TEXTURE_PNG }],
    ['a seed', { source: 'seed', seed: 0, outputs: [] }, { count: 1, source: { seed: 0 }, outputs: TEXTURE_PNG }],
    ['latents give the count', { source: 'latents', latents: { latents: [{ values: [1] }, { values: [2] }] }, outputs: [] },
      { count: 2, source: { latents: [[1], [2]] }, outputs: TEXTURE_PNG }],
    ['an explicit count 0 stays 0', { count: 0, outputs: [] }, { count: 0, outputs: TEXTURE_PNG }],
    ['default formats per output', { outputs: [{ output: 'OUTPUT_KIND_SHAPE' }, { output: 'OUTPUT_KIND_NORMALS', format: 'OUTPUT_FORMAT_UNSPECIFIED' }] },
      { count: 1, outputs: [{ output: 'shape', format: 'npy' }, { output: 'normals', format: 'png' }] }],
    ['npy-f16', { outputs: [{ output: 'OUTPUT_KIND_UV', format: 'OUTPUT_FORMAT_NPY_F16' }] }, { count: 1, outputs: [{ output: 'uv', format: 'npy-f16' }] }],
    ['a blend with intensity and truncation', { expression: { kind: 'blend', blend: { weights: { anger: 2 } } }, intensity: 0, truncation: 0.5, outputs: [] },
      { count: 1, outputs: TEXTURE_PNG, expression: { anger: 2 }, intensity: 0, truncation: 0.5 }],
    ['a label vector', { expression: { kind: 'vector', vector: { values: [0, 1] } }, outputs: [] }, { count: 1, outputs: TEXTURE_PNG, expression: [0, 1] }],
  ];
  for (const [name, wire, expected] of rows) assert.deepEqual(parseGenerateRequest(wire), expected, name);
});

test('interpolation: 8 steps and slerp unless set; endpoints keep their expression', () => {
  assert.deepEqual(
    parseInterpolateRequest({
      from: { source: 'seed', seed: 3 },
      to: { source: 'latent', latent: { values: [0.5] }, expression: { kind: 'name', name: 'fear' }, intensity: 0.5 },
      outputs: [],
    }),
    {
      from: { source: { seed: 3 } },
      to: { source: { latent: [0.5] }, expression: 'fear', intensity: 0.5 },
      steps: 8,
      method: 'slerp',
      outputs: TEXTURE_PNG,
    },
  );
  assert.equal(
    parseInterpolateRequest({
      from: { source: 'seed' },
      to: { source: 'seed' },
      method: 'INTERPOLATION_METHOD_LERP',
      outputs: [],
    }).method,
    'lerp',
  );
});

test('wire values with no meaning are INVALID_ARGUMENT naming the field', () => {
  assert.throws(() => parseGenerateRequest({ outputs: [{ format: 'OUTPUT_FORMAT_PNG' }] }), {
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].output',
  });
  assert.throws(() => parseGenerateRequest({ outputs: [{ output: 12 as never }] }), { field: 'outputs[0].output' });
  assert.throws(() => parseInterpolateRequest({ from: { source: 'seed' }, outputs: [] }), { field: 'to' });
});
