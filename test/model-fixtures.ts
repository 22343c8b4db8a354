/** Tiny model packages built in tests by `model/` itself, in temporary directories. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Architecture } from '../src/model/architecture.js';
import {
  type InitOptions,
  initModelPackage,
  loadModelPackage,
  type ModelPackage,
  PRESETS,
} from '../src/model/index.js';

/** A temporary directory removed by `cleanup`. */
export async function tempDir(prefix = 'tbgan-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Builds and loads a random package of the tiny preset (or another architecture). */
export async function createTestPackage(
  options: Partial<InitOptions> & { architecture?: Architecture } = {},
): Promise<{ pkg: ModelPackage; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir();
  const pkgDir = join(dir, 'model');
  await initModelPackage(pkgDir, {
    architecture: PRESETS['tbgan-tiny'],
    preset: 'tbgan-tiny',
    seed: 1,
    name: 'tiny-test',
    ...options,
  });
  return { pkg: await loadModelPackage(pkgDir), dir: pkgDir, cleanup };
}

/** A uniformly random uint32, printed in assertion messages so a failure can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
