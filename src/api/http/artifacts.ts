/**
 * `GET /v1/faces/{seed}/{output}.{ext}` and `GET /v1/faces/{seed}.{glb|obj.zip|ply}`: one artifact of
 * one face. Its bytes never change for the same model and parameters, so it carries a strong ETag
 * computed before anything is generated, is cacheable forever, and a matching If-None-Match is
 * answered 304 without running the model.
 */
import type { Request, Response } from 'express';
import { ServiceError } from '../../errors.js';
import type { ArtifactParams, CallOptions, FaceService, OutputFormat, OutputRequest } from '../../service/index.js';
import { formatServerTiming } from '../server-timing.js';
import { isOutputKind, parseExpressionQuery, parseNumberQuery } from './schemas.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const MAP_EXTENSIONS: Record<string, OutputFormat[]> = { png: ['png', 'png16'], npy: ['npy', 'npy-f16'], exr: ['exr'] };
const MESH_EXTENSIONS: Record<string, OutputFormat> = { glb: 'glb', 'obj.zip': 'obj', ply: 'ply' };
const MAP_QUERY = ['expression', 'intensity', 'truncation', 'format'];
const MESH_QUERY = ['expression', 'intensity', 'truncation', 'topology'];

const invalid = (field: string, message: string) => new ServiceError('INVALID_ARGUMENT', message, { field });

/** `{seed}` of a path: an integer in [0, 2^32). */
function parseSeed(text: string): number {
  const seed = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seed >= 0 && seed < 2 ** 32)) throw invalid('seed', 'must be an integer in [0, 4294967295]');
  return seed;
}

/** `texture.png` (+ optional `?format=png16`) -> the map it names. */
export function parseMapFile(file: string, formatQuery: unknown): OutputRequest {
  const dot = file.indexOf('.');
  const name = dot < 0 ? file : file.slice(0, dot);
  const ext = dot < 0 ? '' : file.slice(dot + 1);
  if (!isOutputKind(name) || name === 'mesh')
    throw invalid('output', `unknown output '${name}'; one of texture, normals, shape, uv`);
  const formats = MAP_EXTENSIONS[ext];
  if (formats === undefined)
    throw invalid('extension', `unknown extension '${ext}'; one of ${Object.keys(MAP_EXTENSIONS).join(', ')}`);
  if (formatQuery === undefined) return { output: name, format: formats[0] as OutputFormat };
  if (typeof formatQuery !== 'string' || !formats.includes(formatQuery as OutputFormat)) {
    throw invalid('format', `format must match the extension .${ext}: one of ${formats.join(', ')}`);
  }
  return { output: name, format: formatQuery as OutputFormat };
}

/** `42.glb` -> seed and mesh format. */
export function parseMeshFile(file: string): { seed: number; output: OutputRequest } {
  const dot = file.indexOf('.');
  const ext = dot < 0 ? '' : file.slice(dot + 1);
  const format = MESH_EXTENSIONS[ext];
  if (format === undefined)
    throw invalid('extension', `unknown mesh extension '${ext}'; one of ${Object.keys(MESH_EXTENSIONS).join(', ')}`);
  return { seed: parseSeed(dot < 0 ? file : file.slice(0, dot)), output: { output: 'mesh', format } };
}

function parseParams(req: Request, allowed: string[]): ArtifactParams {
  const unknown = Object.keys(req.query).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw invalid(unknown, `unknown query parameter; allowed: ${allowed.join(', ')}`);
  const params: ArtifactParams = {};
  const expression = parseExpressionQuery(req.query.expression);
  const intensity = parseNumberQuery(req.query.intensity, 'intensity');
  const truncation = parseNumberQuery(req.query.truncation, 'truncation');
  if (expression !== undefined) params.expression = expression;
  if (intensity !== undefined) params.intensity = intensity;
  if (truncation !== undefined) params.truncation = truncation;
  if (req.query.topology !== undefined) {
    if (typeof req.query.topology !== 'string') throw invalid('topology', 'must be a topology name');
    params.topology = req.query.topology;
  }
  return params;
}

/** Serves one artifact (or 304) for the request's path and query. */
export async function sendArtifact(
  req: Request,
  res: Response,
  service: FaceService,
  callOptions: () => CallOptions,
): Promise<void> {
  const params = req.params as Record<string, string>;
  const { seed, output } =
    params.seed === undefined
      ? parseMeshFile(params.file as string)
      : { seed: parseSeed(params.seed), output: parseMapFile(params.file as string, req.query.format) };
  const query = parseParams(req, output.output === 'mesh' ? MESH_QUERY : MAP_QUERY);
  const etag = service.artifactEtag(seed, output, query);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', IMMUTABLE);
  if (ifNoneMatch(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  const options = callOptions();
  const [face] = await service.generate({ count: 1, source: { seed }, outputs: [output], ...query }, options);
  const artifact = face?.artifacts[0];
  if (!artifact) throw new Error('generate returned no artifact');
  res.setHeader('Server-Timing', formatServerTiming(options.timing ?? {}));
  if (output.output === 'mesh')
    res.setHeader('Content-Disposition', `inline; filename="${seed}.${artifact.extension}"`);
  res
    .type(artifact.mediaType)
    .send(Buffer.from(artifact.bytes.buffer, artifact.bytes.byteOffset, artifact.bytes.byteLength));
}

/** RFC 9110 If-None-Match: `*` or a list of entity tags (weak comparison). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
