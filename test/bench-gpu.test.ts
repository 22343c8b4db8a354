/**
 * The GPU harness cannot rot unnoticed: its CPU dry run (tbgan-tiny, CPU provider, torch on the CPU)
 * runs every phase end to end, and the results it writes have every field the GPU run will fill.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/bench-gpu-dry-run/', import.meta.url));
const python = [process.env.PYTHON, 'python3', '/usr/bin/python3'].find(
  (p) => p !== undefined && spawnSync(p, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0,
);

type Json = Record<string, unknown>;
const rowsOf = (value: unknown) => value as Json[];
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

test('bench/gpu/run.sh --dry-run measures every phase and reports every field', {
  skip: python === undefined && 'needs a Python with torch and numpy',
  timeout: 120_000,
}, () => {
  rmSync(OUT, { recursive: true, force: true });
  const run = spawnSync('bash', ['bench/gpu/run.sh', '--dry-run', OUT], {
    cwd: ROOT,
    env: { ...process.env, PYTHON: python },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const results = JSON.parse(readFileSync(`${OUT}results.json`, 'utf8')) as Json;
  assert.deepEqual(
    rowsOf(results.phases).map((p) => [p.phase, p.status]),
    ['engine', 'torch', 'parity', 'served-fp16', 'served-fp32'].map((p) => [p, 'ok']),
  );
  // engine: both precisions, every batch x fetch set, GPU-busy null without a GPU
  const engine = rowsOf(results.engine).flatMap((r) => rowsOf(r.rows).map((row) => ({ ...r, ...row })));
  assert.deepEqual(
    engine.map((r) => `${r.precision} ${r.batch} ${(r.fetch as string[]).join('+')}`),
    ['fp16', 'fp32'].flatMap((p) => [1, 2].flatMap((b) => [`${p} ${b} uv`, `${p} ${b} texture+shape`])),
  );
  for (const r of engine) {
    for (const key of ['msPerFace', 'facesPerSecond', 'warmupMs', 'loadMs']) assert.ok(isNumber(r[key]), key);
    assert.equal(r.gpuBusyFraction, null);
  }
  // torch: eager fp32 timed; the CUDA-only modes listed as skipped
  const torch = results.torch as Json;
  assert.deepEqual(
    rowsOf(torch.rows).map((r) => [r.mode, r.batch, isNumber(r.msPerFace), isNumber(r.msPerFaceWithCopy)]),
    [
      ['eager-fp32', 1, true, true],
      ['eager-fp32', 2, true, true],
    ],
  );
  assert.deepEqual(
    rowsOf(torch.skipped).map((s) => s.mode),
    ['eager-fp16', 'eager-fp16-cl', 'cudagraph-fp16-cl'],
  );
  // parity: the ONNX graph against PyTorch, and PyTorch against the float64 reference
  const parity = Object.fromEntries(
    rowsOf((results.parity as Json).rows).map((r) => [`${r.name} vs ${r.against}`, r.maxRelativeError as number]),
  );
  assert.deepEqual(Object.keys(parity), [
    'onnx-cpu-fp32 vs torch-fp32',
    'onnx-cpu-fp16 vs torch-fp32',
    'torch-fp32 vs numpy-float64',
  ]);
  assert.ok((parity['onnx-cpu-fp32 vs torch-fp32'] as number) <= 1e-4);
  assert.ok((parity['onnx-cpu-fp16 vs torch-fp32'] as number) < 1e-2);
  assert.ok((parity['torch-fp32 vs numpy-float64'] as number) <= 1e-5);
  // served: each precision at each concurrency
  for (const precision of ['fp16', 'fp32']) {
    const served = results[`served-${precision}`] as Json;
    assert.ok(isNumber(served.serverReadyMs) && isNumber(served.saturationFacesPerSecond));
    assert.deepEqual(
      rowsOf(served.served).map((r) => r.concurrency),
      [1, 2],
    );
    for (const r of rowsOf(served.served)) {
      for (const key of ['facesPerSecond', 'p50Ms', 'p99Ms', 'engineBusyFraction', 'serverCpuCores', 'meanBatchSize'])
        assert.ok(isNumber(r[key]), `${precision} ${key}`);
      assert.equal(r.gpuBusyFraction, null);
    }
  }
  // targets: every one named, with a limit; measured where the dry run's batches allow
  const targets = rowsOf(results.targets);
  assert.ok(targets.length >= 15);
  for (const t of targets) assert.ok(typeof t.name === 'string' && typeof t.limit === 'string');
  assert.ok(targets.filter((t) => t.pass !== null).length >= 9);
  assert.ok(existsSync(`${OUT}results.md`) && existsSync(`${OUT}run.log`));
});
