/**
 * NPY format v1.0 (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * `\x93NUMPY`, version 1.0, a little-endian uint16 header length, then an ASCII Python dict literal
 * padded with spaces and ended by `\n` so that the data starts at a multiple of 64 bytes, then the
 * raw C-order data. `np.load` reads our files (checked by hand with numpy 2.4.6).
 */
import { assertLength, assertPositiveInt } from './check-args.js';

/** The dtypes we write: float32, uint8, float16 (carried as its bits in a Uint16Array). */
export type NpyDtype = '<f4' | '|u1' | '<f2';

/** An array read back from NPY bytes. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Uint8Array | Uint16Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN_BYTES = 64; // numpy's ARRAY_ALIGN
const PREAMBLE_BYTES = 10; // magic (6) + version (2) + header length (2)
const ARRAY_TYPE = { '<f4': Float32Array, '|u1': Uint8Array, '<f2': Uint16Array } as const;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes a C-order array as NPY v1.0; for '<f2', `data` holds float16 bits. */
export function encodeNpy(data: Float32Array | Uint8Array | Uint16Array, shape: number[], dtype: NpyDtype): Uint8Array {
  const fn = 'encodeNpy';
  const Type = ARRAY_TYPE[dtype];
  if (Type === undefined) throw new RangeError(`${fn}: dtype must be '<f4', '|u1' or '<f2', got ${String(dtype)}`);
  if (!(data instanceof Type)) throw new TypeError(`${fn}: data for dtype '${dtype}' must be a ${Type.name}`);
  for (const [i, n] of shape.entries()) assertPositiveInt(fn, `shape[${i}]`, n);
  const count = shape.reduce((a, b) => a * b, 1);
  assertLength(fn, 'data', data, count, `the product of shape [${shape.join(', ')}]`);
  if (!LITTLE_ENDIAN) throw new Error(`${fn}: big-endian hosts are not supported`);

  // Python's repr of a tuple: (), (5,), (2, 3)
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1; // + '\n'
  const headerBytes = dict.length + 1 + ((ALIGN_BYTES - (unpadded % ALIGN_BYTES)) % ALIGN_BYTES);
  if (headerBytes > 0xffff) throw new RangeError(`${fn}: shape has too many dimensions for NPY v1.0`);

  const out = new Uint8Array(PREAMBLE_BYTES + headerBytes + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = headerBytes & 0xff;
  out[9] = headerBytes >> 8;
  const header = `${dict.padEnd(headerBytes - 1, ' ')}\n`;
  for (let i = 0; i < header.length; i++) out[PREAMBLE_BYTES + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), PREAMBLE_BYTES + headerBytes);
  return out;
}

/** Parses NPY v1.x/2.x/3.x bytes of the dtypes we write (C order only); the data is copied out. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const fn = 'decodeNpy';
  if (bytes.length < PREAMBLE_BYTES || MAGIC.some((b, i) => bytes[i] !== b))
    throw new RangeError(`${fn}: bytes do not start with the NPY magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const wide = major === 2 || major === 3; // v2+ has a uint32 header length
  if (major !== 1 && !wide) throw new RangeError(`${fn}: unsupported NPY version ${major}`);
  const headerStart = wide ? 12 : PREAMBLE_BYTES;
  const headerBytes = wide ? view.getUint32(8, true) : view.getUint16(8, true);
  const dataStart = headerStart + headerBytes;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new RangeError(`${fn}: malformed header ${JSON.stringify(header)}`);
  if (!(descr in ARRAY_TYPE)) throw new RangeError(`${fn}: unsupported dtype '${descr}'`);
  if (fortran === 'True') throw new RangeError(`${fn}: fortran_order arrays are not supported`);
  const dtype = descr as NpyDtype;
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const Type = ARRAY_TYPE[dtype];
  const byteLength = count * Type.BYTES_PER_ELEMENT;
  if (dataStart + byteLength !== bytes.length)
    throw new RangeError(`${fn}: expected ${byteLength} data bytes, found ${bytes.length - dataStart}`);
  // Copy into a fresh, aligned buffer. Not `bytes.slice()`: on a Node Buffer (what fs.readFile gives)
  // slice() is a view into a shared pool, so `raw.buffer` would not start at the data.
  const raw = Uint8Array.prototype.slice.call(bytes, dataStart);
  return { dtype, shape, data: new Type(raw.buffer, 0, count) };
}
