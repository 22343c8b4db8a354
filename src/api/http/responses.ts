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
  res.json({
    model,
    faces: faces.map((face) => ({
      ...faceMeta(face),
      artifacts: face.artifacts.map((a) => ({
        ...artifactMeta(a),
        encoding: 'base64',
        data: Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength).toString('base64'),
      })),
    })),
  });
}
