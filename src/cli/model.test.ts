import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/model-fixtures.js';
import { referenceForward } from '../../test/reference/tbgan-reference.js';
import { decodeNpy, encodeNpy } from '../codecs/index.js';
import { latentsFromSeed, loadModelPackage, variablePlan } from '../model/index.js';
import { runModelCli } from './model.js';

async function cli(args: string[]): Promise<string> {
  const lines: string[] = [];
  assert.equal(await runModelCli(args, (l) => lines.push(l)), 0);
  return lines.join('\n');
}

test('init, inspect --json and build a package end to end', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const pkg = join(dir, 'tiny');
    assert.match(await cli(['init', '--preset', 'tbgan-tiny', '--seed', '7', '--out', pkg]), /untrained/);
    const info = JSON.parse(await cli(['inspect', pkg, '--json']));
    assert.equal(info.trained, false);
    assert.equal(info.resolution, 32);
    assert.equal(info.parameters, 132633);
    assert.equal(info.weightsDtype, 'float32');
    const built = await cli(['build', pkg, '--fp16', '--upsample', 'conv-transpose']);
    assert.match(built, /^built in \d+ ms: .*generator-fp16-conv-transpose-grouped-[0-9a-f]{16}\.onnx$/);
    assert.ok(existsSync(built.split(': ')[1] as string));
    assert.match(await cli(['build', pkg, '--fp16', '--upsample', 'conv-transpose']), /^cached: /);
  } finally {
    await cleanup();
  }
});

test('inspect --preset reports the official counts without weights', async () => {
  const text = await cli(['inspect', '--preset', 'tbgan-512']);
  assert.match(text, /parameters {4}206,893,161 \(inference\), 206,959,465 \(checkpoint\)/);
  assert.match(text, /GFLOP\/face {4}462\.95/);
});

test('generate writes the raw uv output as .npy, equal to the float64 reference forward', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const pkg = join(dir, 'tiny');
    await cli(['init', '--preset', 'tbgan-tiny', '--seed', '3', '--out', pkg]);
    const z = latentsFromSeed(40, 3, 48);
    const labels = new Float32Array(21).map((_, i) => (i % 7) / 3);
    await writeFile(join(dir, 'z.npy'), encodeNpy(z, [3, 48], '<f4'));
    await writeFile(join(dir, 'labels.npy'), encodeNpy(labels, [3, 7], '<f4'));
    const args = ['generate', pkg, '--latents', join(dir, 'z.npy'), '--labels', join(dir, 'labels.npy')];
    const printed = await cli([...args, '--out', join(dir, 'uv.npy'), '--batch-size', '2']);
    assert.equal(printed, `wrote ${join(dir, 'uv.npy')}: uv [3, 9, 32, 32] float32 (fp32, phase, grouped, cpu)`);
    const uv = decodeNpy(await readFile(join(dir, 'uv.npy')));
    assert.deepStrictEqual([uv.dtype, uv.shape], ['<f4', [3, 9, 32, 32]]);
    const model = await loadModelPackage(pkg);
    const vars = new Map<string, Float32Array>();
    for (const v of variablePlan(model.manifest.architecture)) vars.set(v.name, await model.readVariable(v.name));
    const read = (name: string) => vars.get(name) as Float32Array;
    for (let i = 0; i < 3; i++) {
      const ref = referenceForward(
        model.manifest.architecture,
        0,
        read,
        z.subarray(i * 48, (i + 1) * 48),
        labels.subarray(i * 7, (i + 1) * 7),
      );
      const face = (uv.data as Float32Array).subarray(i * ref.length, (i + 1) * ref.length);
      const error = Math.max(...face.map((v, j) => Math.abs(v - (ref[j] as number))));
      assert.ok(error < 1e-4, `face ${i}: ${error}`);
    }
  } finally {
    await cleanup();
  }
});

test('generate --seed S --count N is --latents of those seeds with the default label', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const pkg = join(dir, 'tiny');
    await cli(['init', '--preset', 'tbgan-tiny', '--seed', '3', '--out', pkg]);
    await cli(['generate', pkg, '--seed', '9', '--count', '2', '--out', join(dir, 'a.npy')]);
    await writeFile(join(dir, 'z.npy'), encodeNpy(latentsFromSeed(9, 2, 48), [2, 48], '<f4'));
    const labels = new Float32Array(14).map((_, i) => (i % 7 === 0 ? 1 : 0)); // the default: onehot(neutral)
    await writeFile(join(dir, 'labels.npy'), encodeNpy(labels, [2, 7], '<f4'));
    const args = ['--latents', join(dir, 'z.npy'), '--labels', join(dir, 'labels.npy')];
    await cli(['generate', pkg, ...args, '--out', join(dir, 'b.npy')]);
    assert.deepStrictEqual(await readFile(join(dir, 'a.npy')), await readFile(join(dir, 'b.npy')));
  } finally {
    await cleanup();
  }
});

test('generate refuses inputs of the wrong dtype or shape, naming the file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const pkg = join(dir, 'tiny');
    await cli(['init', '--preset', 'tbgan-tiny', '--seed', '3', '--out', pkg]);
    const file = async (name: string, bytes: Uint8Array) => {
      await writeFile(join(dir, name), bytes);
      return join(dir, name);
    };
    const z3 = await file('z3.npy', encodeNpy(new Float32Array(3 * 48), [3, 48], '<f4'));
    const z40 = await file('z40.npy', encodeNpy(new Float32Array(2 * 40), [2, 40], '<f4'));
    const l2 = await file('l2.npy', encodeNpy(new Float32Array(2 * 7), [2, 7], '<f4'));
    const u8 = await file('u8.npy', encodeNpy(new Uint8Array(48), [1, 48], '|u1'));
    const out = ['--out', join(dir, 'x.npy')];
    const table: [string[], RegExp][] = [
      [['--latents', z40, ...out], /--latents .*z40\.npy: expected float32 \[N, 48\], found <f4 \[2, 40\]/],
      [['--latents', u8, ...out], /--latents .*u8\.npy: expected float32 \[N, 48\], found \|u1 \[1, 48\]/],
      [['--latents', z3, '--labels', l2, ...out], /--labels has 2 rows, the latents 3/],
      [['--latents', z3, '--seed', '1', ...out], /give --latents or --seed \[--count\], not both/],
      [['--seed', '1', '--count', '0', ...out], /--count must be a positive integer/],
      [['--seed', '1'], /--out FILE\.npy is required/],
      [out, /generate needs --latents FILE\.npy or --seed S \[--count N\]/],
    ];
    for (const [args, error] of table)
      await assert.rejects(
        runModelCli(['generate', pkg, ...args], () => {}),
        error,
      );
    assert.ok(!existsSync(join(dir, 'x.npy')));
  } finally {
    await cleanup();
  }
});

test('bad command lines are refused with the reason', async () => {
  const table: [string[], RegExp][] = [
    [[], /no command given/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [
      ['init', '--preset', 'nope', '--seed', '1', '--out', 'x'],
      /--preset must be one of tbgan-512, tbgan-256, tbgan-tiny/,
    ],
    [
      ['init', '--preset', 'tbgan-tiny', '--seed', '4294967296', '--out', 'x'],
      /--seed must be an integer in \[0, 2\^32\)/,
    ],
    [['init', '--preset', 'tbgan-tiny', '--seed', '1'], /--out DIR is required/],
    [
      ['init', '--preset', 'tbgan-tiny', '--seed', '1', '--out', 'x', '--dtype', 'int8'],
      /--dtype must be float32 or float16/,
    ],
    [['build'], /build needs a package directory/],
    [
      ['generate', 'x', '--seed', '1', '--out', 'x.npy', '--ep', 'tpu'],
      /--ep must be one of cpu, cuda, tensorrt, webgpu/,
    ],
    [['inspect', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, error] of table)
    await assert.rejects(
      runModelCli(args, () => {}),
      error,
      args.join(' '),
    );
});
