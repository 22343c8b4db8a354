import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LOADER_OPTIONS, loadContract, SERVICE_NAME } from './proto.js';

test('npm run gen describes the objects the server loads: the same loader flags', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const flags = new Set((pkg.scripts.gen as string).split(/\s+/).filter((a) => a.startsWith('--')));
  assert.equal(LOADER_OPTIONS.keepCase, false);
  assert.ok(!flags.has('--keepCase'));
  assert.equal(LOADER_OPTIONS.longs, String);
  assert.ok(flags.has('--longs=String'));
  assert.equal(LOADER_OPTIONS.enums, String);
  assert.ok(flags.has('--enums=String'));
  assert.deepEqual([LOADER_OPTIONS.arrays, LOADER_OPTIONS.oneofs], [true, true]);
  assert.ok(flags.has('--arrays') && flags.has('--oneofs'));
  assert.ok(!flags.has('--defaults') && LOADER_OPTIONS.defaults === undefined);
});

test('the contract loads: three RPCs, two of them server-streaming', () => {
  const { service, reflected } = loadContract();
  assert.deepEqual(
    Object.values(service).map((m) => [m.path, m.requestStream, m.responseStream]),
    [
      ['/tbgan.v1.FaceGenerator/Generate', false, true],
      ['/tbgan.v1.FaceGenerator/Interpolate', false, true],
      ['/tbgan.v1.FaceGenerator/GetModel', false, false],
    ],
  );
  assert.ok(SERVICE_NAME in reflected && 'grpc.health.v1.Health' in reflected);
});
