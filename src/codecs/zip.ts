/**
 * ZIP archives for bulk responses, with fflate's `zipSync`.
 *
 * DESIGN NOTES
 * - Deterministic: every entry gets the same DOS timestamp, 1980-01-01 00:00. fflate reads the
 *   timestamp back with local-time getters, so the Date is built from local fields, which makes the
 *   bytes independent of the server's time zone. No extra fields, no comments, OS byte 0.
 * - Entries whose bytes are already deflated (PNG, EXR and similar) are stored even when
 *   `compress` is on: deflating them again costs time and saves ~nothing.
 * - `zipSync` over fflate's streaming `Zip`: the streaming writer always sets data descriptors
 *   (flag bit 3), which some readers (Java's ZipInputStream) reject on stored entries; zipSync writes
 *   sizes and CRCs in the local headers. The price is that it takes an object, whose key order is
 *   insertion order except that integer-like keys ("7") come first; still deterministic.
 * - No ZIP64, so the archive must stay under 4 GiB.
 */
import { type ZipOptions, type Zippable, zipSync } from 'fflate';

/** One file of an archive. */
export interface ZipEntry {
  /** A relative path with `/` separators: `faces/0/texture.png`. */
  name: string;
  data: Uint8Array;
}

/** Options of createZip. */
export interface ZipArchiveOptions {
  /** Deflate entries that are not already compressed (NPY, JSON, OBJ...). */
  compress?: boolean;
}

/** Defaults of createZip. */
export const ZIP_DEFAULTS: Required<ZipArchiveOptions> = { compress: false };

/** Deflate level for compressible entries: level 6 is fflate's and zlib's default. */
const DEFLATE_LEVEL = 6 as const;
const ALREADY_COMPRESSED = /\.(png|exr|jpe?g|webp|zip|gz)$/i;
const MAX_ARCHIVE_BYTES = 0xffffffff; // checked roughly: entry sizes + headers, names counted in UTF-16 units

/** Throws unless `name` is a safe relative path: no `..` or `.` segments, no absolute or drive paths, no backslashes. */
export function assertSafeZipName(name: string): void {
  const bad = (why: string) => new RangeError(`createZip: entry name ${JSON.stringify(name)} ${why}`);
  if (typeof name !== 'string' || name.length === 0) throw bad('must be a non-empty string');
  // fflate keeps entries in a plain object, where this key would set the prototype instead
  if (name === '__proto__') throw bad('is reserved');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad('must be a relative path');
  if (name.includes('\\')) throw bad('must use / as the separator');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw bad('must not contain control characters');
  for (const segment of name.split('/')) {
    if (segment === '..' || segment === '.') throw bad('must not contain . or .. segments');
    if (segment === '') throw bad('must not contain empty segments or end with /');
  }
}

/** Builds a ZIP archive of `entries`, byte-for-byte the same for the same input. */
export function createZip(entries: ZipEntry[], options: ZipArchiveOptions = {}): Uint8Array {
  const { compress } = { ...ZIP_DEFAULTS, ...options };
  const mtime = new Date(1980, 0, 1, 0, 0, 0); // local fields: see DESIGN NOTES
  const files: Zippable = {};
  let totalBytes = 0;
  for (const [i, entry] of entries.entries()) {
    assertSafeZipName(entry.name);
    if (!(entry.data instanceof Uint8Array)) throw new TypeError(`createZip: entries[${i}].data must be a Uint8Array`);
    if (Object.hasOwn(files, entry.name)) throw new RangeError(`createZip: duplicate entry name ${entry.name}`);
    const level = compress && !ALREADY_COMPRESSED.test(entry.name) ? DEFLATE_LEVEL : 0; // 0 = stored
    const fileOptions: ZipOptions = { level, mtime };
    files[entry.name] = [entry.data, fileOptions];
    totalBytes += entry.data.length + 2 * entry.name.length + 76;
  }
  if (totalBytes > MAX_ARCHIVE_BYTES) throw new RangeError('createZip: archive would exceed 4 GiB (no ZIP64)');
  return zipSync(files);
}
