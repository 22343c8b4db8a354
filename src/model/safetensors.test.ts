import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/model-fixtures.js';
import { readSafetensorsBytes, readSafetensorsHeader, writeSafetensors } from './safetensors.js';

test('writes the safetensors layout: u64 header length, JSON header padded to 8 bytes, contiguous data', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.safetensors');
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Uint16Array([0x3c00]);
    await writeSafetensors(
      path,
      [
        { name: 'a', dtype: 'F32', shape: [2, 3] },
        { name: 'b', dtype: 'F16', shape: [] },
      ],
      (spec) => (spec.name === 'a' ? new Uint8Array(a.buffer) : new Uint8Array(b.buffer)),
      { note: 'hi' },
    );
    const bytes = await readFile(path);
    const headerLen = Number(bytes.readBigUInt64LE(0));
    assert.equal((8 + headerLen) % 8, 0);
    assert.deepEqual(JSON.parse(bytes.subarray(8, 8 + headerLen).toString()), {
      __metadata__: { note: 'hi' },
      a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      b: { dtype: 'F16', shape: [], data_offsets: [24, 26] },
    });
    const header = await readSafetensorsHeader(path);
    assert.deepEqual(header.metadata, { note: 'hi' });
    assert.deepEqual(new Float32Array((await readSafetensorsBytes(path, header, 'a')).buffer), a);
    assert.deepEqual(new Uint16Array((await readSafetensorsBytes(path, header, 'b')).buffer), b);
  } finally {
    await cleanup();
  }
});

test('rejects headers whose offsets leave holes, overlap, or disagree with the shape', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const table: [Record<string, unknown>, number, RegExp][] = [
      [
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] },
        },
        16,
        /tensor 'b' starts at byte 12, expected 8/,
      ],
      [
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 12] } },
        12,
        /data_offsets span 12 bytes, shape \[2\] F32 needs 8/,
      ],
      [
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } },
        12,
        /tensor data ends at byte \d+ but the file has \d+ bytes/,
      ],
      [
        { a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } },
        8,
        /shape \[-2\] is not a list of non-negative integers/,
      ],
      [
        { a: { dtype: 'F32', shape: [2], data_offsets: [0] } },
        8,
        /data_offsets \[0\] are not two non-negative integers/,
      ],
      [{ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, 4, /dtype "BF16" is not supported/],
    ];
    for (const [header, dataBytes, error] of table) {
      const json = Buffer.from(JSON.stringify(header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      const path = join(dir, 'bad.safetensors');
      await writeFile(path, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
      await assert.rejects(readSafetensorsHeader(path), error);
    }
  } finally {
    await cleanup();
  }
});
