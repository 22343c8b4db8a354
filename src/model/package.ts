/**
 * Model packages on disk: `model.json` + `weights.safetensors` (+ optional topology). Loading checks
 * everything before anything is used (manifest schema and version, every file's size and sha256,
 * tensor names, shapes, dtypes and finiteness) and fails with one message naming the file, the tensor,
 * what was expected and what was found. A package that fails is never half-loaded.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelPackageError } from '../errors.js';
import { type ArchitectureStats, architectureStats, variablePlan } from './architecture.js';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits } from './float16.js';
import { type Manifest, parseManifest } from './manifest.js';
import {
  readSafetensorsBytes,
  readSafetensorsHeader,
  type SafetensorsDtype,
  type SafetensorsHeader,
  type SafetensorsTensorSpec,
  writeSafetensors,
} from './safetensors.js';

/** A verified model package. Weights stay on disk and are read one tensor at a time. */
export interface ModelPackage {
  dir: string;
  manifest: Manifest;
  weightsPath: string;
  /** sha256 of the weights file: the identity of the weights (graph cache key, ETags). */
  weightsSha256: string;
  /** Fade-in factor stored with the weights (tbgan.md §1.9): 0, or in (0, 1) for a mid-transition snapshot. */
  lod: number;
  stats: ArchitectureStats;
  /** Reads one variable as float32 (converted from float16 if stored so), in TBGAN's layout. */
  readVariable(name: string): Promise<Float32Array>;
}

const MANIFEST_FILE = 'model.json';
const STORAGE_DTYPE: Record<Manifest['weights']['dtype'], SafetensorsDtype> = { float32: 'F32', float16: 'F16' };

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads and verifies a model package. */
export async function loadModelPackage(dir: string): Promise<ModelPackage> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    throw new ModelPackageError(
      `${manifestPath}: cannot read the manifest (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelPackageError(`${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  const manifest = parseManifest(json, manifestPath);

  const hashes = new Map<string, string>();
  for (const [file, expected] of Object.entries(manifest.files)) {
    const path = join(dir, file);
    let bytes: number;
    try {
      bytes = (await stat(path)).size;
    } catch {
      throw new ModelPackageError(`${path}: listed in model.json but missing`);
    }
    if (bytes !== expected.bytes) {
      throw new ModelPackageError(`${path}: size mismatch: model.json says ${expected.bytes} bytes, found ${bytes}`);
    }
    const sha = await sha256File(path);
    if (sha !== expected.sha256) {
      throw new ModelPackageError(`${path}: sha256 mismatch: model.json says ${expected.sha256}, found ${sha}`);
    }
    hashes.set(file, sha);
  }

  const weightsPath = join(dir, manifest.weights.file);
  const header = await readSafetensorsHeader(weightsPath);
  checkVariables(weightsPath, header, manifest);
  const readVariable = async (name: string): Promise<Float32Array> => {
    const entry = header.tensors.get(name);
    if (!entry) throw new ModelPackageError(`${weightsPath}: tensor '${name}' is missing`);
    const bytes = await readSafetensorsBytes(weightsPath, header, name);
    return entry.dtype === 'F32' ? new Float32Array(bytes.buffer) : float16ToFloat32(new Uint16Array(bytes.buffer));
  };
  await checkFinite(weightsPath, header);
  const lod = (await readVariable('lod'))[0] as number;
  if (!(lod >= 0 && lod < 1)) {
    throw new ModelPackageError(
      `${weightsPath}: tensor 'lod': expected a value in [0, 1) (a full-resolution snapshot), found ${lod}`,
    );
  }
  return {
    dir,
    manifest,
    weightsPath,
    weightsSha256: hashes.get(manifest.weights.file) as string,
    lod,
    stats: architectureStats(manifest.architecture),
    readVariable,
  };
}

/** Chunk of the finiteness scan: one buffer, reused, however large the weights. */
const SCAN_CHUNK_BYTES = 16 * 1024 * 1024;

/** Every value of every tensor is finite; reads the file in fixed chunks, so memory stays flat. */
async function checkFinite(path: string, header: SafetensorsHeader): Promise<void> {
  const buffer = new Uint8Array(SCAN_CHUNK_BYTES);
  const fh = await open(path, 'r');
  try {
    for (const [name, entry] of header.tensors) {
      const size = entry.dtype === 'F32' ? 4 : 2;
      for (let start = entry.begin; start < entry.end; start += SCAN_CHUNK_BYTES) {
        const length = Math.min(SCAN_CHUNK_BYTES, entry.end - start);
        await fh.read(buffer, 0, length, header.dataOffset + start);
        const bad = firstNonFinite(buffer, length, entry.dtype);
        if (bad >= 0) {
          const index = (start - entry.begin) / size + bad;
          const value =
            entry.dtype === 'F32'
              ? new Float32Array(buffer.buffer, bad * 4, 1)[0]
              : fromFloat16Bits(new Uint16Array(buffer.buffer, bad * 2, 1)[0] as number);
          throw new ModelPackageError(
            `${path}: tensor '${name}': expected finite values, found ${value} at flat index ${index}`,
          );
        }
      }
    }
  } finally {
    await fh.close();
  }
}

function firstNonFinite(bytes: Uint8Array, length: number, dtype: SafetensorsDtype): number {
  if (dtype === 'F32') {
    const values = new Float32Array(bytes.buffer, 0, length / 4);
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return i;
    return -1;
  }
  const bits = new Uint16Array(bytes.buffer, 0, length / 2);
  for (let i = 0; i < bits.length; i++) if (((bits[i] as number) & 0x7c00) === 0x7c00) return i; // exponent all ones: inf or NaN
  return -1;
}

function checkVariables(path: string, header: SafetensorsHeader, manifest: Manifest): void {
  const expected = variablePlan(manifest.architecture);
  const dtype = STORAGE_DTYPE[manifest.weights.dtype];
  const missing = expected.filter((v) => !header.tensors.has(v.name)).map((v) => v.name);
  if (missing.length > 0) {
    throw new ModelPackageError(
      `${path}: ${missing.length} tensor(s) missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`,
    );
  }
  const known = new Set(expected.map((v) => v.name));
  const extra = [...header.tensors.keys()].filter((n) => !known.has(n));
  if (extra.length > 0) {
    throw new ModelPackageError(
      `${path}: ${extra.length} unexpected tensor(s) for this architecture: ${extra.slice(0, 8).join(', ')}`,
    );
  }
  for (const v of expected) {
    const entry = header.tensors.get(v.name);
    if (!entry) continue;
    if (JSON.stringify(entry.shape) !== JSON.stringify(v.shape)) {
      throw new ModelPackageError(
        `${path}: tensor '${v.name}': expected shape ${JSON.stringify(v.shape)}, found ${JSON.stringify(entry.shape)}`,
      );
    }
    if (entry.dtype !== dtype) {
      throw new ModelPackageError(
        `${path}: tensor '${v.name}': expected dtype ${dtype} (model.json weights.dtype), found ${entry.dtype}`,
      );
    }
  }
}

/** What `writeModelPackage` needs: the manifest without its `files` table, and the tensors. */
export interface ModelPackageContents {
  manifest: Omit<Manifest, 'files'>;
  /** Produces each checkpoint variable as float32 in TBGAN's layout, called once per variable in plan order. */
  variable: (name: string, shape: number[]) => Float32Array | Promise<Float32Array>;
  /** Other files to include (e.g. a topology), by file name. */
  extraFiles?: Record<string, Uint8Array>;
}

/**
 * Writes a model package: the weights (streamed, one tensor at a time), any extra files, then
 * `model.json` with the sha256 of each, last, so a crash never leaves a manifest without its files.
 */
export async function writeModelPackage(dir: string, contents: ModelPackageContents): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const { manifest } = contents;
  const dtype = STORAGE_DTYPE[manifest.weights.dtype];
  const specs: SafetensorsTensorSpec[] = variablePlan(manifest.architecture).map((v) => ({
    name: v.name,
    dtype,
    shape: v.shape,
  }));
  const weightsPath = join(dir, manifest.weights.file);
  await writeSafetensors(
    weightsPath,
    specs,
    async (spec) => {
      const values = await contents.variable(spec.name, spec.shape);
      const data = dtype === 'F32' ? values : float32ToFloat16(values);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },
    { format: 'tbgan', layout: 'tbgan-tf' },
  );
  const files: Manifest['files'] = {};
  for (const [name, bytes] of Object.entries(contents.extraFiles ?? {})) {
    await writeFile(join(dir, name), bytes);
    files[name] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
  }
  files[manifest.weights.file] = { sha256: await sha256File(weightsPath), bytes: (await stat(weightsPath)).size };
  const full = parseManifest({ ...manifest, files }, join(dir, MANIFEST_FILE));
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(full, null, 2)}\n`);
  await rename(tmp, join(dir, MANIFEST_FILE));
  return full;
}
