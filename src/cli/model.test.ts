import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/model-fixtures.js';
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
    assert.match(built, /^built in \d+ ms: .*generator-fp16-conv-transpose-[0-9a-f]{16}\.onnx$/);
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
    [['inspect', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, error] of table)
    await assert.rejects(
      runModelCli(args, () => {}),
      error,
      args.join(' '),
    );
});
