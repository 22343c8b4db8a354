import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestPackage } from '../../test/model-fixtures.js';
import {
  BRANCH_MODES,
  ensureGeneratorGraph,
  GRAPH_DEFAULTS,
  latentsFromSeed,
  type ModelPackage,
  PRESETS,
  UPSAMPLE_MODES,
} from '../model/index.js';
import type { Engine } from './engine.js';
import { createOnnxEngine } from './onnx-engine.js';

const L = PRESETS['tbgan-tiny'].latentSize;
let pkg: ModelPackage;
let cleanup: () => Promise<void>;
let modelPath: string;

before(async () => {
  ({ pkg, cleanup } = await createTestPackage());
  modelPath = (await ensureGeneratorGraph(pkg, GRAPH_DEFAULTS)).graphPath;
});
after(() => cleanup());

const feeds = (n: number) => ({
  z: { data: latentsFromSeed(1, n, L), dims: [n, L] },
  labels: { data: new Float32Array(n * 7), dims: [n, 7] },
});

test('exposes the generator inputs and outputs and runs any batch size', async () => {
  const engine = await createOnnxEngine({ modelPath });
  try {
    assert.deepEqual(engine.inputNames, ['z', 'labels']);
    assert.deepEqual([...engine.outputNames].sort(), ['normals', 'shape', 'texture', 'uv']);
    assert.deepEqual(engine.executionProviders, ['cpu']);
    for (const n of [1, 3]) {
      const out = await engine.run(feeds(n), ['texture']);
      assert.deepEqual(Object.keys(out), ['texture']);
      assert.deepEqual(out.texture?.dims, [n, 32, 32, 3]);
      assert.ok(out.texture?.data instanceof Uint8Array);
    }
  } finally {
    await engine.close();
  }
});

for (const precision of ['fp32', 'fp16'] as const) {
  for (const [upsample, branches] of UPSAMPLE_MODES.flatMap((u) => BRANCH_MODES.map((b) => [u, b] as const))) {
    test(`${precision} ${upsample} ${branches}: a face's bytes do not depend on the batch it ran in`, async () => {
      const path = (await ensureGeneratorGraph(pkg, { precision, upsample, branches })).graphPath;
      const engine: Engine = await createOnnxEngine({ modelPath: path });
      try {
        const outputs = ['uv', 'texture', 'normals', 'shape'];
        const batched = await engine.run(feeds(3), outputs);
        const single = await engine.run(feeds(1), outputs);
        for (const name of outputs) {
          const one = single[name]?.data as Float32Array | Uint8Array;
          assert.deepEqual(batched[name]?.data.subarray(0, one.length), one, name);
        }
      } finally {
        await engine.close();
      }
    });
  }
}

test('a closed engine refuses to run; unknown outputs are refused', async () => {
  const engine = await createOnnxEngine({ modelPath });
  await assert.rejects(engine.run(feeds(1), ['nope']));
  await engine.close();
  await assert.rejects(engine.run(feeds(1), ['uv']), /engine is closed/);
});

test('an execution provider missing from the installation fails with a clear message', async () => {
  await assert.rejects(
    createOnnxEngine({ modelPath, executionProvider: 'cuda' }),
    /execution provider 'cuda' is not available in this installation/,
  );
});

test('runs off the event loop: the loop turns while a batch computes (the session lives in a worker)', async () => {
  const engine = await createOnnxEngine({ modelPath });
  try {
    let turned = false;
    const done = engine.run(feeds(8), ['uv']).then(() => turned);
    setImmediate(() => {
      turned = true;
    });
    assert.equal(await done, true, 'the event loop turned before the run finished');
  } finally {
    await engine.close();
  }
});

test('on the current thread the same run blocks the loop (why the worker is the default)', async () => {
  const engine = await createOnnxEngine({ modelPath, thread: 'current' });
  try {
    let turned = false;
    const done = engine.run(feeds(8), ['uv']).then(() => turned);
    setImmediate(() => {
      turned = true;
    });
    assert.equal(await done, false);
  } finally {
    await engine.close();
  }
});
