import assert from 'node:assert/strict';
import { cp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestPackage, tempDir } from '../../test/model-fixtures.js';
import { ModelPackageError } from '../errors.js';
import { variablePlan } from './architecture.js';
import { loadModelPackage, sha256File } from './package.js';
import { PRESETS } from './presets.js';
import {
  readSafetensorsBytes,
  readSafetensorsHeader,
  type SafetensorsTensorSpec,
  writeSafetensors,
} from './safetensors.js';

type Tensors = { spec: SafetensorsTensorSpec; data: Uint8Array }[];

/** Rewrites the package's weights from an edited list of tensors. */
async function rewriteWeights(dir: string, edit: (tensors: Tensors) => Tensors): Promise<void> {
  const path = join(dir, 'weights.safetensors');
  const header = await readSafetensorsHeader(path);
  const tensors: Tensors = [];
  for (const [name, entry] of header.tensors) {
    tensors.push({
      spec: { name, dtype: entry.dtype, shape: entry.shape },
      data: await readSafetensorsBytes(path, header, name),
    });
  }
  const edited = edit(tensors);
  await writeSafetensors(
    path,
    edited.map((t) => t.spec),
    (spec) => edited.find((t) => t.spec.name === spec.name)?.data as Uint8Array,
  );
}

/** Updates model.json's size and sha256 of every file after an edit. */
async function rehash(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  for (const file of Object.keys(manifest.files)) {
    const data = await readFile(join(dir, file));
    manifest.files[file] = { sha256: await sha256File(join(dir, file)), bytes: data.length };
  }
  await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
}

async function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  edit(manifest);
  await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
}

async function patchBytes(path: string, position: number, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'r+');
  await fh.write(bytes, 0, bytes.length, position);
  await fh.close();
}

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const weights = (dir: string) => join(dir, 'weights.safetensors');

/** One broken package per row: how to break it, and what the error must say. */
const BAD_PACKAGES: { name: string; breakIt: (dir: string) => Promise<void>; error: RegExp }[] = [
  {
    name: 'truncated weights file',
    breakIt: async (dir) => writeFile(weights(dir), (await readFile(weights(dir))).subarray(0, -100)),
    error: /weights\.safetensors: size mismatch: model\.json says \d+ bytes, found \d+/,
  },
  {
    name: 'truncated weights file with a matching manifest',
    breakIt: async (dir) => {
      await writeFile(weights(dir), (await readFile(weights(dir))).subarray(0, -100));
      await rehash(dir);
    },
    error:
      /weights\.safetensors: not a valid safetensors file: tensor data ends at byte \d+ but the file has \d+ bytes/,
  },
  {
    name: 'corrupt byte in the weights (hash mismatch)',
    breakIt: async (dir) => patchBytes(weights(dir), 5000, new Uint8Array([1, 2, 3, 4])),
    error: /weights\.safetensors: sha256 mismatch: model\.json says [0-9a-f]{64}, found [0-9a-f]{64}/,
  },
  {
    name: 'header that is not JSON',
    breakIt: async (dir) => {
      await patchBytes(weights(dir), 8, new TextEncoder().encode('}}}'));
      await rehash(dir);
    },
    error: /weights\.safetensors: not a valid safetensors file: header is not JSON/,
  },
  {
    name: 'header length beyond the file',
    breakIt: async (dir) => {
      await patchBytes(weights(dir), 0, new Uint8Array([0xff, 0xff, 0xff, 0, 0, 0, 0, 0]));
      await rehash(dir);
    },
    error: /weights\.safetensors: not a valid safetensors file: header length \d+ does not fit/,
  },
  {
    name: 'missing tensor',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) => t.filter((x) => x.spec.name !== 'ToRGB_lod0/tex/bias'));
      await rehash(dir);
    },
    error: /weights\.safetensors: 1 tensor\(s\) missing: ToRGB_lod0\/tex\/bias/,
  },
  {
    name: 'extra tensor',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) => [
        ...t,
        { spec: { name: 'extra/weight', dtype: 'F32', shape: [2] }, data: f32([1, 2]) },
      ]);
      await rehash(dir);
    },
    error: /weights\.safetensors: 1 unexpected tensor\(s\) for this architecture: extra\/weight/,
  },
  {
    name: 'tensor of the wrong shape',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) =>
        t.map((x) => (x.spec.name === '4x4/Conv/bias' ? { spec: { ...x.spec, shape: [6, 8] }, data: x.data } : x)),
      );
      await rehash(dir);
    },
    error: /tensor '4x4\/Conv\/bias': expected shape \[48\], found \[6,8\]/,
  },
  {
    name: 'tensor of the wrong dtype',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) =>
        t.map((x) =>
          x.spec.name === 'lod' ? { spec: { ...x.spec, dtype: 'F16' as const }, data: new Uint8Array(2) } : x,
        ),
      );
      await rehash(dir);
    },
    error: /tensor 'lod': expected dtype F32 \(model\.json weights\.dtype\), found F16/,
  },
  {
    name: 'unsupported dtype',
    breakIt: async (dir) => {
      const buf = await readFile(weights(dir));
      const text = buf.toString('latin1').replace('"dtype":"F32"', '"dtype":"I32"');
      await writeFile(weights(dir), Buffer.from(text, 'latin1'));
      await rehash(dir);
    },
    error: /tensor '[^']+': dtype "I32" is not supported \(expected F32 or F16\)/,
  },
  {
    name: 'NaN weight',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) =>
        t.map((x) =>
          x.spec.name === '8x8/Conv1/bias'
            ? { ...x, data: f32(Array.from({ length: 48 }, (_, i) => (i === 7 ? Number.NaN : 0))) }
            : x,
        ),
      );
      await rehash(dir);
    },
    error: /tensor '8x8\/Conv1\/bias': expected finite values, found NaN at flat index 7/,
  },
  {
    name: 'infinite weight',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) =>
        t.map((x) =>
          x.spec.name === '8x8/Conv1/bias'
            ? { ...x, data: f32(Array.from({ length: 48 }, () => Number.POSITIVE_INFINITY)) }
            : x,
        ),
      );
      await rehash(dir);
    },
    error: /tensor '8x8\/Conv1\/bias': expected finite values, found Infinity at flat index 0/,
  },
  {
    name: 'lod of a lower-resolution snapshot',
    breakIt: async (dir) => {
      await rewriteWeights(dir, (t) => t.map((x) => (x.spec.name === 'lod' ? { ...x, data: f32([1.5]) } : x)));
      await rehash(dir);
    },
    error: /tensor 'lod': expected a value in \[0, 1\) \(a full-resolution snapshot\), found 1\.5/,
  },
  {
    name: 'unknown manifest version',
    breakIt: (dir) => editManifest(dir, (m) => (m.formatVersion = 2)),
    error: /model\.json: manifest formatVersion 2 is not supported: this server reads version 1/,
  },
  {
    name: 'manifest that is not JSON',
    breakIt: (dir) => writeFile(join(dir, 'model.json'), '{"format": '),
    error: /model\.json: not valid JSON/,
  },
  {
    name: 'missing manifest',
    breakIt: (dir) => rm(join(dir, 'model.json')),
    error: /model\.json: cannot read the manifest \(ENOENT\)/,
  },
  {
    name: 'manifest with several invalid fields',
    breakIt: (dir) =>
      editManifest(dir, (m) => {
        m.trained = 'yes';
        m.unknownField = 1;
      }),
    error:
      /invalid manifest:\n {2}trained: Invalid input: expected boolean, received string\n {2}\(root\): Unrecognized key: "unknownField"/,
  },
  {
    name: 'manifest whose label names do not match the label size',
    breakIt: (dir) => editManifest(dir, (m) => (m.labels as { names: string[] }).names.pop()),
    error: /invalid manifest:\n {2}labels\.names: needs 7 entries \(labelSize\), has 6/,
  },
  {
    name: 'weights file missing',
    breakIt: (dir) => rm(weights(dir)),
    error: /weights\.safetensors: listed in model\.json but missing/,
  },
  {
    name: 'architecture that does not match the weights',
    breakIt: (dir) => editManifest(dir, (m) => ((m.architecture as { fmapMax: number }).fmapMax = 8)),
    error: /tensor '4x4\/Dense\/weight': expected shape \[55,384\], found \[55,768\]/,
  },
];

describe('loading a model package', () => {
  let source: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir: source, cleanup } = await createTestPackage()));
  after(() => cleanup());

  test('loads a valid package with every checkpoint variable', async () => {
    const pkg = await loadModelPackage(source);
    assert.equal(pkg.manifest.trained, false);
    assert.equal(pkg.lod, 0);
    assert.equal(pkg.stats.checkpointParameters, 133669);
    assert.deepEqual((await pkg.readVariable('4x4/Conv/bias')).length, 48);
    assert.equal(variablePlan(PRESETS['tbgan-tiny']).length, 49);
  });

  for (const row of BAD_PACKAGES) {
    test(`refuses a ${row.name} with a clear message`, async () => {
      const { dir, cleanup: done } = await tempDir();
      try {
        await cp(source, dir, { recursive: true });
        await row.breakIt(dir);
        await assert.rejects(loadModelPackage(dir), (e: Error) => {
          assert.ok(e instanceof ModelPackageError, `${e.name}: ${e.message}`);
          assert.match(e.message, row.error);
          return true;
        });
      } finally {
        await done();
      }
    });
  }
});

test('float16 packages load as float32 values equal to the float16 weights', async () => {
  const { pkg, cleanup } = await createTestPackage({ dtype: 'float16', seed: 3 });
  try {
    const w = await pkg.readVariable('4x4/Conv/weight');
    assert.equal(w.length, 3 * 3 * 48 * 48);
    assert.ok(w.every((v) => Number.isFinite(v)));
    assert.equal(pkg.manifest.weights.dtype, 'float16');
  } finally {
    await cleanup();
  }
});
