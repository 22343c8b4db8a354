import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createTestPackage, tempDir } from '../../test/model-fixtures.js';
import { GRAPH_DEFAULTS } from './graph-builder.js';
import { ensureGeneratorGraph, graphCacheKey } from './graph-cache.js';
import { loadModelPackage } from './package.js';

test('builds the graph once, next to the package, and reuses it', async () => {
  const { pkg, dir, cleanup } = await createTestPackage();
  try {
    const first = await ensureGeneratorGraph(pkg, GRAPH_DEFAULTS);
    assert.equal(first.built, true);
    assert.equal(dirname(first.graphPath), join(dir, '.cache'));
    const again = await ensureGeneratorGraph(await loadModelPackage(dir), GRAPH_DEFAULTS);
    assert.deepEqual(again, { graphPath: first.graphPath, built: false, buildMs: 0 });
    const files = (await readdir(join(dir, '.cache'))).sort();
    assert.equal(files.length, 2, `graph + external data only, no leftovers: ${files}`);
    assert.ok((await stat(`${first.graphPath}.data`)).size > 100_000, 'weights live in the external data file');
  } finally {
    await cleanup();
  }
});

test('the key changes with the weights, the options and nothing else', async () => {
  const a = await createTestPackage({ seed: 1 });
  const b = await createTestPackage({ seed: 2 });
  const a2 = await createTestPackage({ seed: 1 });
  try {
    const fp32 = GRAPH_DEFAULTS;
    assert.equal(graphCacheKey(a.pkg, fp32), graphCacheKey(a2.pkg, fp32), 'same weights, same key');
    assert.notEqual(graphCacheKey(a.pkg, fp32), graphCacheKey(b.pkg, fp32));
    assert.notEqual(graphCacheKey(a.pkg, fp32), graphCacheKey(a.pkg, { ...fp32, precision: 'fp16' }));
    assert.notEqual(graphCacheKey(a.pkg, fp32), graphCacheKey(a.pkg, { ...fp32, upsample: 'resize-conv' }));
    assert.notEqual(graphCacheKey(a.pkg, fp32), graphCacheKey(a.pkg, { ...fp32, branches: 'split' }));
  } finally {
    await Promise.all([a.cleanup(), b.cleanup(), a2.cleanup()]);
  }
});

test('an explicit cache directory is used instead of the package directory', async () => {
  const { pkg, cleanup } = await createTestPackage();
  const cache = await tempDir();
  try {
    const g = await ensureGeneratorGraph(
      pkg,
      { precision: 'fp16', upsample: 'conv-transpose', branches: 'grouped' },
      cache.dir,
    );
    assert.equal(dirname(g.graphPath), cache.dir);
    assert.match(g.graphPath, /generator-fp16-conv-transpose-grouped-[0-9a-f]{16}\.onnx$/);
  } finally {
    await Promise.all([cleanup(), cache.cleanup()]);
  }
});
