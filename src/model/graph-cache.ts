/**
 * Built graphs are cached next to the model package (`<package>/.cache/`), keyed by the weights'
 * sha256, the architecture, the graph options and the builder version, so a server starts from the
 * cache and any change to the weights or the builder rebuilds. Where the package directory is
 * read-only (a container's read-only root filesystem) the cache goes to the directory given, or the
 * system's temporary directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGeneratorGraph, GRAPH_BUILDER_VERSION, type GraphOptions } from './graph-builder.js';
import type { ModelPackage } from './package.js';

/** Where a built graph is, and whether this call built it. */
export interface CachedGraph {
  graphPath: string;
  built: boolean;
  buildMs: number;
}

/** The cache key of a package's graph with these options. */
export function graphCacheKey(pkg: ModelPackage, options: GraphOptions): string {
  const key = JSON.stringify({
    builder: GRAPH_BUILDER_VERSION,
    weights: pkg.weightsSha256,
    architecture: pkg.manifest.architecture,
    lod: pkg.lod,
    options,
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Returns the built graph for `pkg`, building and caching it first if needed. */
export async function ensureGeneratorGraph(
  pkg: ModelPackage,
  options: GraphOptions,
  cacheDir?: string,
): Promise<CachedGraph> {
  const fileBase = `generator-${options.precision}-${options.upsample}-${options.branches}-${graphCacheKey(pkg, options)}`;
  const dirs =
    cacheDir !== undefined
      ? [cacheDir]
      : [join(pkg.dir, '.cache'), join(tmpdir(), 'tbgan-serve-cache', pkg.manifest.name)];
  for (const dir of dirs) {
    const graphPath = join(dir, `${fileBase}.onnx`);
    if (await exists(graphPath)) return { graphPath, built: false, buildMs: 0 };
  }
  let lastError: unknown;
  for (const dir of dirs) {
    try {
      return await buildInto(pkg, options, dir, fileBase);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
      lastError = e; // read-only: try the next directory
    }
  }
  throw lastError;
}

async function buildInto(
  pkg: ModelPackage,
  options: GraphOptions,
  dir: string,
  fileBase: string,
): Promise<CachedGraph> {
  const start = performance.now();
  await mkdir(dir, { recursive: true });
  // Build in a private directory, then move the data file and the graph into place (graph last):
  // a graph file in the cache is always complete, even with several processes building at once.
  const work = join(dir, `.build-${randomBytes(6).toString('hex')}`);
  await mkdir(work);
  try {
    const source = { architecture: pkg.manifest.architecture, lod: pkg.lod, readVariable: pkg.readVariable };
    await buildGeneratorGraph(source, options, work, fileBase);
    await rename(join(work, `${fileBase}.onnx.data`), join(dir, `${fileBase}.onnx.data`));
    await rename(join(work, `${fileBase}.onnx`), join(dir, `${fileBase}.onnx`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { graphPath: join(dir, `${fileBase}.onnx`), built: true, buildMs: performance.now() - start };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    await access(`${path}.data`);
    return true;
  } catch {
    return false;
  }
}
