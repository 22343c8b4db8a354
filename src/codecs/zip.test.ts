import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { createZip, type ZipEntry } from './zip.js';

const text = (s: string) => new TextEncoder().encode(s);
const entries: ZipEntry[] = [
  { name: 'manifest.json', data: text('{"faces":[{"seed":7}]}') },
  { name: 'faces/7/texture.png', data: new Uint8Array(1000).fill(3) },
  { name: 'faces/7/shape.npy', data: new Uint8Array(1000).fill(5) },
];

/** The compression method of each entry, in archive order (0 stored, 8 deflated). */
function methods(zip: Uint8Array): Record<string, number> {
  const out: Record<string, number> = {};
  unzipSync(zip, {
    filter: (file) => {
      out[file.name] = file.compression;
      return false;
    },
  });
  return out;
}

for (const compress of [false, true]) {
  test(`roundtrips every entry through fflate's unzip (compress: ${compress})`, () => {
    const files = unzipSync(createZip(entries, { compress }));
    assert.deepStrictEqual(files, Object.fromEntries(entries.map((e) => [e.name, e.data])));
  });
}

test('keeps the given entry order', () => {
  assert.deepStrictEqual(Object.keys(methods(createZip(entries))), [
    'manifest.json',
    'faces/7/texture.png',
    'faces/7/shape.npy',
  ]);
});

test('stores PNG entries and deflates the others when compress is on', () => {
  assert.deepStrictEqual(methods(createZip(entries, { compress: true })), {
    'manifest.json': 8,
    'faces/7/texture.png': 0,
    'faces/7/shape.npy': 8,
  });
  assert.deepStrictEqual(Object.values(methods(createZip(entries))), [0, 0, 0]);
});

test('gives identical bytes for identical input, in any time zone', () => {
  const tz = process.env.TZ;
  try {
    process.env.TZ = 'UTC';
    const utc = createZip(entries, { compress: true });
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30: a Date built from UTC fields would shift the DOS time
    assert.deepStrictEqual(createZip(entries, { compress: true }), utc);
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
  // local file header: DOS time 00:00:00 at offset 10, DOS date 1980-01-01 at offset 12
  assert.deepStrictEqual(Array.from(createZip(entries).subarray(10, 14)), [0, 0, 0x21, 0]);
});

const unsafe: [string, RegExp][] = [
  ['../etc/passwd', /must not contain \. or \.\. segments/],
  ['faces/../../x', /must not contain \. or \.\. segments/],
  ['./a.png', /must not contain \. or \.\. segments/],
  ['/etc/passwd', /must be a relative path/],
  ['C:/x.png', /must be a relative path/],
  ['faces\\7\\a.png', /must use \/ as the separator/],
  ['', /must be a non-empty string/],
  ['faces//a.png', /must not contain empty segments/],
  ['faces/', /must not contain empty segments or end with \//],
  ['a\u0000.png', /must not contain control characters/],
  ['__proto__', /is reserved/],
];
for (const [name, message] of unsafe) {
  test(`rejects the unsafe entry name ${JSON.stringify(name)}`, () => {
    assert.throws(() => createZip([{ name, data: new Uint8Array(1) }]), message);
  });
}

test('rejects duplicate names and data that is not a Uint8Array', () => {
  const a = { name: 'a.bin', data: new Uint8Array(1) };
  assert.throws(() => createZip([a, a]), /duplicate entry name a\.bin/);
  assert.throws(
    () => createZip([{ name: 'b', data: [1] as unknown as Uint8Array }]),
    /entries\[0\]\.data must be a Uint8Array/,
  );
});
