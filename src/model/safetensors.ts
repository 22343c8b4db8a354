/**
 * Reading and writing safetensors files (https://github.com/huggingface/safetensors, "Format"):
 * 8-byte little-endian header length N, N bytes of JSON header, then the tensor bytes.
 *
 * DESIGN NOTES: no maintained safetensors package exists on npm (the one named `safetensors` is a
 * 0.0.1 placeholder). The format is small and fully specified, and we need what a generic reader
 * would not give: streaming writes and per-tensor reads of files near 1 GB without holding them whole,
 * and error messages that name the file and tensor. So it is written here, strictly to the spec:
 * offsets must be contiguous, in bounds, and cover the byte buffer exactly.
 */
import { open } from 'node:fs/promises';
import { ModelPackageError } from '../errors.js';

/** Element types this project stores. */
export type SafetensorsDtype = 'F32' | 'F16';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2 };

/** Header entry of one tensor; offsets are relative to the start of the byte buffer. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A parsed header: tensors by name, free-form string metadata, and where the byte buffer starts. */
export interface SafetensorsHeader {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  dataOffset: number;
  fileBytes: number;
}

/** Largest header we accept: the official model's header is ~6 KB. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Reads and checks the header of a safetensors file. */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const fail = (why: string) => new ModelPackageError(`${path}: not a valid safetensors file: ${why}`);
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 8) throw fail(`file is ${size} bytes, shorter than the 8-byte header length`);
    const lenBuf = Buffer.alloc(8);
    await fh.read(lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
      throw fail(`header length ${headerLen} does not fit in a file of ${size} bytes (truncated?)`);
    }
    const headerBuf = Buffer.alloc(headerLen);
    await fh.read(headerBuf, 0, headerLen, 8);
    let json: unknown;
    try {
      json = JSON.parse(headerBuf.toString('utf8'));
    } catch (e) {
      throw fail(`header is not JSON (${(e as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fail('header is not a JSON object');
    return parseHeader(json as Record<string, unknown>, 8 + headerLen, size, fail);
  } finally {
    await fh.close();
  }
}

function parseHeader(
  json: Record<string, unknown>,
  dataOffset: number,
  fileBytes: number,
  fail: (why: string) => Error,
): SafetensorsHeader {
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (v.dtype !== 'F32' && v.dtype !== 'F16') {
      throw fail(`tensor '${name}': dtype ${JSON.stringify(v.dtype)} is not supported (expected F32 or F16)`);
    }
    const shape = v.shape;
    const offsets = v.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw fail(`tensor '${name}': shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      throw fail(`tensor '${name}': data_offsets ${JSON.stringify(offsets)} are not two non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[v.dtype];
    if (end - begin !== expected) {
      throw fail(
        `tensor '${name}': data_offsets span ${end - begin} bytes, shape ${JSON.stringify(shape)} ${v.dtype} needs ${expected}`,
      );
    }
    tensors.set(name, { dtype: v.dtype, shape, begin, end });
  }
  // The spec requires the tensors to tile the byte buffer exactly: no holes, no overlaps.
  const sorted = [...tensors.entries()].sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let cursor = 0;
  for (const [name, entry] of sorted) {
    if (entry.begin !== cursor)
      throw fail(`tensor '${name}' starts at byte ${entry.begin}, expected ${cursor} (hole or overlap)`);
    cursor = entry.end;
  }
  if (dataOffset + cursor !== fileBytes) {
    throw fail(
      `tensor data ends at byte ${dataOffset + cursor} but the file has ${fileBytes} bytes (truncated or trailing data)`,
    );
  }
  return { tensors, metadata, dataOffset, fileBytes };
}

/** Reads one tensor's bytes into a fresh, aligned buffer (view it as Float32Array or Uint16Array directly). */
export async function readSafetensorsBytes(path: string, header: SafetensorsHeader, name: string): Promise<Uint8Array> {
  const entry = header.tensors.get(name);
  if (!entry) throw new ModelPackageError(`${path}: tensor '${name}' is missing`);
  const buf = new Uint8Array(entry.end - entry.begin);
  const fh = await open(path, 'r');
  try {
    const { bytesRead } = await fh.read(buf, 0, buf.length, header.dataOffset + entry.begin);
    if (bytesRead !== buf.length) throw new ModelPackageError(`${path}: tensor '${name}' is truncated`);
  } finally {
    await fh.close();
  }
  return buf;
}

/** What the writer needs to know of a tensor before its bytes exist. */
export interface SafetensorsTensorSpec {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
}

/**
 * Writes a safetensors file, streaming: `produce` is called once per tensor, in order, and its bytes are
 * written before the next is produced, so a file of any size needs only one tensor in memory.
 */
export async function writeSafetensors(
  path: string,
  specs: readonly SafetensorsTensorSpec[],
  produce: (spec: SafetensorsTensorSpec) => Uint8Array | Promise<Uint8Array>,
  metadata: Record<string, string> = {},
): Promise<void> {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const spec of specs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype];
    header[spec.name] = { dtype: spec.dtype, shape: spec.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let headerJson = JSON.stringify(header);
  // Pad with spaces so the byte buffer starts 8-byte aligned (the reference implementation does the same).
  headerJson += ' '.repeat((8 - ((8 + Buffer.byteLength(headerJson)) % 8)) % 8);
  const headerBytes = Buffer.from(headerJson, 'utf8');
  const lenBuf = Buffer.alloc(8);
  lenBuf.writeBigUInt64LE(BigInt(headerBytes.length));
  const fh = await open(path, 'w');
  try {
    await fh.write(lenBuf);
    await fh.write(headerBytes);
    for (const spec of specs) {
      const data = await produce(spec);
      const expected = (header[spec.name] as { data_offsets: [number, number] }).data_offsets;
      if (data.byteLength !== expected[1] - expected[0]) {
        throw new Error(
          `tensor '${spec.name}': produced ${data.byteLength} bytes, expected ${expected[1] - expected[0]}`,
        );
      }
      await fh.write(data);
    }
  } finally {
    await fh.close();
  }
}

/** Bytes per element of a dtype. */
export function dtypeBytes(dtype: SafetensorsDtype): number {
  return DTYPE_BYTES[dtype];
}
