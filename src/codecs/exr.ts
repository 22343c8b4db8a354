/**
 * OpenEXR (scanline, ZIP compression) with three's EXRExporter (pure JS, deflate by fflate).
 *
 * DESIGN NOTES
 * - No standalone EXR writer exists on npm; sharp has no EXR output and mangles float TIFFs
 *   (research/assets.md §3.1). three@0.187.0's exporter writes valid files, checked by hand with Debian
 *   openexr 3.1.5: `exrheader` reads ours (channels A, B, G, R; zip; increasing y), `exrmaketiled`
 *   decodes every pixel, and a Python decode of the ZIP blocks finds our row 0 in scanline y = 0.
 * - The exporter only takes RGBA and only writes RGBA, so the fourth channel is A = 1.
 * - It writes row 0 of its input as the bottom scanline (GL convention), so we fill the RGBA buffer
 *   bottom row first: our row 0 becomes the file's first scanline, y = 0, the top in OpenEXR.
 * - `half: true` converts with three's `DataUtils.toHalfFloat`, which rounds toward zero and clamps
 *   to ±65504: the error is under one half-precision ulp (relative 2^-10), not round-to-nearest.
 * - three is imported on the first EXR, not at startup: it is 2.1 MB of JS (55-65 ms to load here) that
 *   most processes never need. Also, under `node --import tsx` on Node 20.20, worker threads load our
 *   .ts as CommonJS (tsx's ESM hooks do not reach workers: an ESM import of a .ts file fails there
 *   with ERR_UNKNOWN_FILE_EXTENSION), so a static import becomes `require('three')`, three's
 *   deprecated CJS entry, which prints a DeprecationWarning. A dynamic import() stays an ESM import.
 * - ZIP compression (deflate per 16 scanlines), as OpenEXR's own default. Exporter alone, 512x512
 *   RGBA shape map, this 2-core box, two runs:
 *
 *   |        | float32           | half             |
 *   |--------|-------------------|------------------|
 *   | NONE   | 10-14 ms, 4104 K  | 14-22 ms, 2056 K |
 *   | ZIPS   | 176-220 ms, 3106 K| 120-198 ms, 734 K|
 *   | ZIP    | 161-194 ms, 2963 K| 95-110 ms, 647 K |
 *   | PIZ    | 295-458 ms, 2832 K| 64-81 ms, 720 K  |
 *
 *   ZIP is the smallest for half and within 5% of PIZ for float32 at half PIZ's time. NONE is
 *   15x faster but 1.4x (float32) to 3.2x (half) larger; the encode pool keeps ZIP off the event loop.
 */
import { assertLength, assertPositiveInt } from './check-args.js';

type Three = typeof import('three');
type ExporterModule = typeof import('three/examples/jsm/exporters/EXRExporter.js');
let threeModules: Promise<[Three, ExporterModule]> | undefined;

/** three's ESM build and the exporter, loaded once, on the first EXR (see DESIGN NOTES). */
function loadThree(): Promise<[Three, ExporterModule]> {
  threeModules ??= Promise.all([import('three'), import('three/examples/jsm/exporters/EXRExporter.js')]);
  return threeModules;
}

/** Options of encodeExr. */
export interface ExrOptions {
  /** Store half floats (16-bit) instead of float32: about half the size, ~3 significant digits. */
  half?: boolean;
}

/** Defaults of encodeExr. */
export const EXR_DEFAULTS: Required<ExrOptions> = { half: false };

/** Encodes a row-major, top-row-first float image [height, width, 3] as an RGBA OpenEXR file (A = 1). */
export async function encodeExr(
  data: Float32Array,
  width: number,
  height: number,
  channels: 3,
  options: ExrOptions = {},
): Promise<Uint8Array> {
  const fn = 'encodeExr';
  if (!(data instanceof Float32Array)) throw new TypeError(`${fn}: data must be a Float32Array`);
  assertPositiveInt(fn, 'width', width);
  assertPositiveInt(fn, 'height', height);
  if (channels !== 3) throw new RangeError(`${fn}: channels must be 3, got ${channels}`);
  assertLength(fn, 'data', data, width * height * 3, `width*height*3 (${width}*${height}*3)`);
  const { half } = { ...EXR_DEFAULTS, ...options };

  // [height, width, 4], bottom row first, as the exporter expects
  const rgba = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    let src = y * width * 3;
    let dst = (height - 1 - y) * width * 4;
    for (let x = 0; x < width; x++, src += 3, dst += 4) {
      rgba[dst] = data[src] as number;
      rgba[dst + 1] = data[src + 1] as number;
      rgba[dst + 2] = data[src + 2] as number;
      rgba[dst + 3] = 1;
    }
  }
  const [{ DataTexture, FloatType, HalfFloatType, RGBAFormat }, { EXRExporter, ZIP_COMPRESSION }] = await loadThree();
  const texture = new DataTexture(rgba, width, height, RGBAFormat, FloatType);
  const exr = await new EXRExporter().parse(texture, {
    type: half ? HalfFloatType : FloatType,
    compression: ZIP_COMPRESSION, // from the exporter module: three's own ZIP constant is undefined here
  });
  return exr;
}
