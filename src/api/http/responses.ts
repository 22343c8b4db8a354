/**
 * Face results on the wire: JSON with base64 artifacts (the default), or for bulk clients a zip of
 * the files plus a `manifest.json` (no base64 inflation), chosen by the `Accept` header.
 */
import type { Request, Response } from 'express';
import type { Artifact, FaceResult, FaceService } from '../../service/index.js';

/** Media type of the bulk response. */
export const ZIP_MEDIA_TYPE = 'application/zip';

function artifactMeta(a: Artifact) {
  return {
    output: a.output,
    format: a.format,
    mediaType: a.mediaType,
    shape: a.shape,
    dtype: a.dtype,
    ...(a.topology !== undefined && { topology: a.topology, triangles: a.triangles }),
    bytes: a.bytes.byteLength,
  };
}

function faceMeta(face: FaceResult) {
  return {
    index: face.index,
    ...(face.seed !== undefined && { seed: face.seed }),
    label: face.label,
    truncation: face.truncation,
  };
}

/** File name of an artifact inside a face's folder: `texture.png`, `texture.png16.png`, `shape.npy`. */
export function artifactFileName(a: Artifact): string {
  return a.format === a.extension ? `${a.output}.${a.extension}` : `${a.output}.${a.format}.${a.extension}`;
}

/** Sends faces as JSON or as a zip, as the client's Accept header prefers (JSON by default). */
export async function sendFaces(req: Request, res: Response, service: FaceService, faces: FaceResult[]): Promise<void> {
  const model = { name: service.model.name, version: service.model.version, trained: service.model.trained };
  if (req.accepts(['application/json', ZIP_MEDIA_TYPE]) === ZIP_MEDIA_TYPE && req.get('accept') !== undefined) {
    const entries: { name: string; data: Uint8Array }[] = [];
    const manifest = {
      model,
      faces: faces.map((face) => {
        const dir = `face-${String(face.index).padStart(4, '0')}`;
        return {
          ...faceMeta(face),
          artifacts: face.artifacts.map((a) => {
            const file = `${dir}/${artifactFileName(a)}`;
            entries.push({ name: file, data: a.bytes });
            return { ...artifactMeta(a), file };
          }),
        };
      }),
    };
    entries.unshift({ name: 'manifest.json', data: new TextEncoder().encode(JSON.stringify(manifest, null, 2)) });
    const zip = await service.zip(entries);
    res.type(ZIP_MEDIA_TYPE).setHeader('Content-Disposition', 'attachment; filename="faces.zip"');
    res.send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    return;
  }
  const payloads: Uint8Array[] = [];
  const body = {
    model,
    faces: faces.map((face) => ({
      ...faceMeta(face),
      artifacts: face.artifacts.map((a) => {
        payloads.push(a.bytes);
        return { ...artifactMeta(a), encoding: 'base64', data: '' };
      }),
    })),
  };
  res.type('application/json').send(jsonWithBase64(body, payloads));
}

/** A `data` field up to its value's first character, and the whole field when empty, as JSON.stringify writes them. */
const DATA_OPEN = '"data":"';
const EMPTY_DATA = `${DATA_OPEN}"`;

/**
 * `body` as JSON text, with the i-th `"data":""` holding payloads[i] in base64: the bytes
 * JSON.stringify gives with the base64 inline, without its cost. JSON.stringify scans every
 * character of a string for escapes (about 1.4 ms for a face's two 256 px PNGs, bench/NOTES.md),
 * and base64 never needs one. The marker cannot occur anywhere else: inside a JSON string every
 * quote is escaped.
 */
export function jsonWithBase64(body: unknown, payloads: readonly Uint8Array[]): Buffer {
  const parts = JSON.stringify(body).split(EMPTY_DATA);
  if (parts.length !== payloads.length + 1)
    throw new Error(`response body: ${parts.length - 1} empty data fields for ${payloads.length} payloads`);
  const encoded = payloads.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
  const size =
    parts.reduce((n, p) => n + Buffer.byteLength(p), 0) + encoded.reduce((n, e) => n + e.length + EMPTY_DATA.length, 0);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(parts[0] as string);
  encoded.forEach((b64, i) => {
    at += out.write(DATA_OPEN, at, 'latin1');
    at += out.write(b64, at, 'latin1');
    at += out.write('"', at, 'latin1');
    at += out.write(parts[i + 1] as string, at);
  });
  return out;
}
