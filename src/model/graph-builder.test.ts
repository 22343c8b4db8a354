import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestPackage, randomSeed, tempDir } from '../../test/model-fixtures.js';
import { conv2d, fusedUpConv, type Map3, referenceForward, upscale2d } from '../../test/reference/tbgan-reference.js';
import { createOnnxEngine, type Engine } from '../engine/index.js';
import { featureMaps, variablePlan } from './architecture.js';
import {
  BRANCH_MODES,
  buildGeneratorGraph,
  GRAPH_DEFAULTS,
  type GraphOptions,
  UPSAMPLE_MODES,
} from './graph-builder.js';
import { ensureGeneratorGraph } from './graph-cache.js';
import type { ModelPackage } from './package.js';
import { PRESETS } from './presets.js';
import { createUint32Stream, fillNormal } from './seeds.js';

const TINY = PRESETS['tbgan-tiny'];
const L = TINY.latentSize;
const R = TINY.resolution;

function randomInputs(seed: number, n: number): { z: Float32Array; labels: Float32Array } {
  const next = createUint32Stream(seed);
  const z = new Float32Array(n * L);
  fillNormal(next, z);
  const labels = new Float32Array(n * 7).map(() => next() / 2 ** 32);
  return { z, labels };
}

async function run(engine: Engine, z: Float32Array, labels: Float32Array, fetches: string[]) {
  const n = z.length / L;
  return engine.run({ z: { data: z, dims: [n, L] }, labels: { data: labels, dims: [n, 7] } }, fetches);
}

/** Over one channel range of every sample: max |a - b| / max |b|, and the RMS ratio ||a - b|| / ||b||. */
function relativeError(
  actual: Float32Array,
  expected: Float64Array[],
  c0: number,
  c1: number,
): { max: number; rms: number } {
  let maxDiff = 0;
  let maxRef = 0;
  let sumDiff = 0;
  let sumRef = 0;
  const plane = R * R;
  expected.forEach((ref, s) => {
    for (let i = c0 * plane; i < c1 * plane; i++) {
      const d = (actual[s * 9 * plane + i] as number) - (ref[i] as number);
      maxDiff = Math.max(maxDiff, Math.abs(d));
      maxRef = Math.max(maxRef, Math.abs(ref[i] as number));
      sumDiff += d * d;
      sumRef += (ref[i] as number) ** 2;
    }
  });
  return { max: maxDiff / maxRef, rms: Math.sqrt(sumDiff / sumRef) };
}

/**
 * fp32: the largest difference is below 1e-4 of the largest value. fp16: the RMS difference is below
 * 1e-2 of the RMS value (measured ~1e-3), and the largest below 5e-2: in float16 the largest relative
 * error is 2.7e-3 for the median draw of random weights (4.1e-3 the worst of 40), but a rare draw
 * has a pixel where PixelNorm scales float16 rounding up (1.4e-2 seen once); the bound still catches
 * any layout or conversion bug, which gives errors of order 1.
 */
const TOLERANCE = { fp32: { max: 1e-4, rms: 1e-4 }, fp16: { max: 5e-2, rms: 1e-2 } } as const;

describe('generator graph vs the float64 reference forward', () => {
  for (const lodKind of ['lod 0', 'lod fade-in'] as const) {
    for (const precision of ['fp32', 'fp16'] as const) {
      for (const [upsample, branches] of UPSAMPLE_MODES.flatMap((u) => BRANCH_MODES.map((b) => [u, b] as const))) {
        const tolerance = TOLERANCE[precision];
        test(`${precision} ${upsample} ${branches} ${lodKind}: all 9 channels agree (max ${tolerance.max}, RMS ${tolerance.rms} relative)`, async () => {
          const seed = randomSeed();
          const lod = lodKind === 'lod 0' ? 0 : 0.05 + (seed % 90) / 100;
          const { pkg, cleanup } = await createTestPackage({ seed, biasStd: 0.2, lod });
          try {
            const options: GraphOptions = { precision, upsample, branches };
            const engine = await createOnnxEngine({ modelPath: (await ensureGeneratorGraph(pkg, options)).graphPath });
            const { z, labels } = randomInputs(seed + 1, 3);
            const uv = (await run(engine, z, labels, ['uv'])).uv?.data as Float32Array;
            await engine.close();
            const weights = await readAll(pkg);
            const expected = [0, 1, 2].map((s) =>
              referenceForward(
                TINY,
                lod,
                (n) => weights.get(n) as Float32Array,
                z.subarray(s * L, (s + 1) * L),
                labels.subarray(s * 7, (s + 1) * 7),
              ),
            );
            for (const [name, c0] of [
              ['texture', 0],
              ['shape', 3],
              ['normals', 6],
            ] as const) {
              const err = relativeError(uv, expected, c0, c0 + 3);
              const where = `${name} channels (seed ${seed}, lod ${lod})`;
              assert.ok(err.max < tolerance.max, `${where}: max relative error ${err.max} >= ${tolerance.max}`);
              assert.ok(err.rms < tolerance.rms, `${where}: RMS relative error ${err.rms} >= ${tolerance.rms}`);
            }
          } finally {
            await cleanup();
          }
        });
      }
    }
  }
});

async function readAll(pkg: ModelPackage): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const v of variablePlan(pkg.manifest.architecture)) out.set(v.name, await pkg.readVariable(v.name));
  return out;
}

test('nearest x2 + conv with the flipped kernel equals TF conv2d_transpose of the padded-and-summed 4x4 kernel', () => {
  const next = createUint32Stream(randomSeed());
  const [h, w, cin, cout] = [5, 4, 3, 2];
  const input: Map3 = { h, w, c: cin, data: Float64Array.from({ length: h * w * cin }, () => next() / 2 ** 31 - 1) };
  const kernel = new Float32Array(9 * cout * cin); // [3, 3, out, in], the fused up-conv layout
  fillNormal(next, kernel);
  const bias = new Float32Array(cout);
  fillNormal(next, bias);
  const flipped = new Float32Array(9 * cin * cout); // [3, 3, in, out] spatially flipped
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 3; x++)
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++)
          flipped[(((2 - y) * 3 + (2 - x)) * cin + c) * cout + o] = kernel[
            ((y * 3 + x) * cout + o) * cin + c
          ] as number;
  const tf = fusedUpConv(input, kernel, bias, cout);
  const ours = conv2d(upscale2d(input), flipped, bias, 3, cout);
  assert.equal(ours.data.length, tf.data.length);
  const maxDiff = Math.max(...ours.data.map((v, i) => Math.abs(v - (tf.data[i] as number))));
  assert.ok(maxDiff < 1e-12, `max difference ${maxDiff}`);
  // and the unflipped kernel does not give the same result: the flip matters
  const unflipped = new Float32Array(9 * cin * cout);
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 3; x++)
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++)
          unflipped[((y * 3 + x) * cin + c) * cout + o] = kernel[((y * 3 + x) * cout + o) * cin + c] as number;
  const wrong = conv2d(upscale2d(input), unflipped, bias, 3, cout);
  assert.ok(Math.max(...wrong.data.map((v, i) => Math.abs(v - (tf.data[i] as number)))) > 1e-3);
});

describe('graph semantics on the tiny preset', () => {
  let pkg: ModelPackage;
  let engine: Engine;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ pkg, cleanup } = await createTestPackage({ seed: randomSeed(), biasStd: 0.2 }));
    engine = await createOnnxEngine({
      modelPath: (await ensureGeneratorGraph(pkg, GRAPH_DEFAULTS)).graphPath,
    });
  });
  after(async () => {
    await engine.close();
    await cleanup();
  });

  test('PixelNorm covers the whole concat(z, labels): scaling both keeps the output, scaling z alone does not', async () => {
    const { z, labels } = randomInputs(randomSeed(), 1);
    const base = (await run(engine, z, labels, ['uv'])).uv?.data as Float32Array;
    const both = (
      await run(
        engine,
        z.map((v) => v * 3),
        labels.map((v) => v * 3),
        ['uv'],
      )
    ).uv?.data as Float32Array;
    const zOnly = (
      await run(
        engine,
        z.map((v) => v * 3),
        labels,
        ['uv'],
      )
    ).uv?.data as Float32Array;
    const scale = Math.max(...base.map(Math.abs));
    const diff = (a: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - (base[i] as number)))) / scale;
    assert.ok(diff(both) < 1e-5, `joint scaling changed the output by ${diff(both)} relative`);
    assert.ok(diff(zOnly) > 1e-3, 'scaling z alone should change the normalisation');
  });

  test('decoded outputs are the raw output decoded: uint8 texture and unit normals, float shape, NHWC', async () => {
    const { z, labels } = randomInputs(randomSeed(), 2);
    const out = await run(engine, z, labels, ['uv', 'texture', 'normals', 'shape']);
    const uv = out.uv?.data as Float32Array;
    assert.deepEqual(out.texture?.dims, [2, R, R, 3]);
    assert.deepEqual(out.normals?.dims, [2, R, R, 3]);
    assert.deepEqual(out.shape?.dims, [2, R, R, 3]);
    const tex = out.texture?.data as Uint8Array;
    const nor = out.normals?.data as Uint8Array;
    const shp = out.shape?.data as Float32Array;
    let exact = 0;
    for (let s = 0; s < 2; s++)
      for (let p = 0; p < R * R; p++) {
        const at = (c: number) => uv[(s * 9 + c) * R * R + p] as number;
        const nhwc = (s * R * R + p) * 3;
        const n = [at(6), at(7), at(8)];
        const len = Math.hypot(...n);
        for (let c = 0; c < 3; c++) {
          const t = Math.min(255, Math.max(0, at(c) * 127.5 + 127.5));
          const got = tex[nhwc + c] as number;
          assert.ok(Math.abs(got - t) <= 0.5 + 1e-3, `texture ${got} vs ${t}`);
          if (got === Math.round(t)) exact++;
          assert.equal(shp[nhwc + c], at(3 + c));
          const decoded = (nor[nhwc + c] as number) / 127.5 - 1;
          assert.ok(
            Math.abs(decoded - (n[c] as number) / len) <= 0.5 / 127.5 + 1e-6,
            `normal ${decoded} vs ${(n[c] as number) / len}`,
          );
        }
      }
    assert.ok(exact >= 2 * R * R * 3 - 3, 'texture rounding should agree except at exact .5 ties');
  });
});

test('the Dense output index j maps to NCHW (c = j / 16, y = j % 16 / 4, x = j % 4)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const C = featureMaps(TINY, 1);
    const zeros = new Map(
      variablePlan(TINY).map((v) => [v.name, new Float32Array(v.shape.reduce((a, b) => a * b, 1))]),
    );
    const dense = zeros.get('4x4/Dense/weight') as Float32Array;
    for (let j = 0; j < 16 * C; j++) dense[j] = j + 1; // row 0 of [in, 16C]: input 0 feeds output j with weight j + 1
    const source = { architecture: TINY, lod: 0, readVariable: async (n: string) => zeros.get(n) as Float32Array };
    const graphPath = await buildGeneratorGraph(source, GRAPH_DEFAULTS, dir, 'dense', ['4x4/Dense']);
    const engine = await createOnnxEngine({ modelPath: graphPath });
    const z = new Float32Array(L);
    z[0] = 1;
    const out = (await run(engine, z, new Float32Array(7), ['4x4/Dense']))['4x4/Dense'];
    await engine.close();
    assert.deepEqual(out?.dims, [1, C, 4, 4]);
    const got = out?.data as Float32Array;
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) {
        // before PixelNorm, channel c at (y, x) holds (c*16 + y*4 + x + 1) times a positive constant
        const raw = Array.from({ length: C }, (_, c) => c * 16 + y * 4 + x + 1);
        const rms = Math.sqrt(raw.reduce((s, v) => s + v * v, 0) / C);
        for (let c = 0; c < C; c++) {
          const v = got[(c * 4 + y) * 4 + x] as number;
          assert.ok(
            Math.abs(v - (raw[c] as number) / rms) < 1e-5,
            `(c ${c}, y ${y}, x ${x}): ${v} vs ${(raw[c] as number) / rms}`,
          );
        }
      }
  } finally {
    await cleanup();
  }
});
