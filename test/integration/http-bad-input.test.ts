/**
 * Bad input, table-driven: every row is answered 4xx problem+json with a code and the field at
 * fault, and afterwards the server is still healthy and serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { startTestServer } from '../fakes.js';

let url: string;
let stop: () => Promise<void>;
before(async () => {
  ({ url, stop } = await startTestServer({ TBGAN_HTTP_BODY_LIMIT_BYTES: '65536', TBGAN_MAX_FACES_PER_REQUEST: '8' }));
});
after(() => stop());

const latent = (n: number) => Array.from({ length: n }, () => 0.5);
const GEN = '/v1/faces:generate';
const INTERP = '/v1/faces:interpolate';

interface Row {
  name: string;
  method?: 'get' | 'post';
  path?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  field?: string;
}

const ROWS: Row[] = [
  { name: 'count is a string', body: { count: '2' }, status: 400, code: 'INVALID_ARGUMENT', field: 'count' },
  { name: 'count is zero', body: { count: 0 }, status: 400, code: 'INVALID_ARGUMENT', field: 'count' },
  { name: 'count is negative', body: { count: -3 }, status: 400, code: 'INVALID_ARGUMENT', field: 'count' },
  { name: 'count is huge', body: { count: 1e9 }, status: 400, code: 'INVALID_ARGUMENT', field: 'count' },
  { name: 'count is fractional', body: { count: 1.5 }, status: 400, code: 'INVALID_ARGUMENT', field: 'count' },
  {
    name: 'count above the configured maximum',
    body: { count: 9 },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'count',
  },
  { name: 'seed is negative', body: { seed: -1 }, status: 400, code: 'INVALID_ARGUMENT', field: 'seed' },
  { name: 'seed is 2^32', body: { seed: 4294967296 }, status: 400, code: 'INVALID_ARGUMENT', field: 'seed' },
  { name: 'seed is a string', body: { seed: '42' }, status: 400, code: 'INVALID_ARGUMENT', field: 'seed' },
  {
    name: 'seed and latents together',
    body: { seed: 1, latents: [latent(48)] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'latents',
  },
  {
    name: 'latent of the wrong length',
    body: { latents: [latent(47)] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'latents[0]',
  },
  {
    name: 'latent with a string inside',
    body: { latents: [[...latent(47), 'x']] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'latents[0][47]',
  },
  {
    name: 'latent with NaN (as null)',
    body: { latents: [[...latent(47), null]] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'latents[0][47]',
  },
  {
    name: 'Infinity in a latent (not JSON)',
    raw: `{"latents": [[${[...latent(47), 'Infinity'].join(',')}]]}`,
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: '(body)',
  },
  {
    name: 'NaN literal (not JSON)',
    raw: '{"truncation": NaN}',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: '(body)',
  },
  {
    name: 'count disagrees with latents',
    body: { count: 2, latents: [latent(48)] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'latents',
  },
  {
    name: 'unknown expression',
    body: { expression: 'grumpy' },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'expression',
  },
  {
    name: 'negative blend weight',
    body: { expression: { happiness: -1 } },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'expression.happiness',
  },
  {
    name: 'label vector of the wrong length',
    body: { expression: [1, 0] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'expression',
  },
  {
    name: 'intensity above 1',
    body: { expression: 'anger', intensity: 2 },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'intensity',
  },
  { name: 'truncation zero', body: { truncation: 0 }, status: 400, code: 'INVALID_ARGUMENT', field: 'truncation' },
  { name: 'truncation above 1', body: { truncation: 1.5 }, status: 400, code: 'INVALID_ARGUMENT', field: 'truncation' },
  {
    name: 'unknown output',
    body: { outputs: ['hair'] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].output',
  },
  {
    name: 'unknown format',
    body: { outputs: [{ output: 'texture', format: 'jpeg' }] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].format',
  },
  {
    name: 'format the output does not come in',
    body: { outputs: [{ output: 'uv', format: 'png' }] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].format',
  },
  { name: 'empty outputs', body: { outputs: [] }, status: 400, code: 'INVALID_ARGUMENT', field: 'outputs' },
  {
    name: 'duplicate outputs',
    body: { outputs: ['texture', 'texture'] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[1]',
  },
  { name: 'unknown field', body: { seed: 1, colour: 'red' }, status: 400, code: 'INVALID_ARGUMENT', field: 'colour' },
  {
    name: 'unknown field inside an output',
    body: { outputs: [{ output: 'texture', quality: 9 }] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].quality',
  },
  { name: 'body is an array', body: [1, 2], status: 400, code: 'INVALID_ARGUMENT', field: '(body)' },
  { name: 'malformed JSON', raw: '{"seed": 1,', status: 400, code: 'INVALID_ARGUMENT', field: '(body)' },
  {
    name: 'wrong content type',
    raw: 'seed=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: '(headers).content-type',
  },
  {
    name: 'oversized body',
    body: { latents: [Array.from({ length: 20000 }, () => 0.123456789)] },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: '(body)',
  },
  { name: 'timeoutMs zero', body: { timeoutMs: 0 }, status: 400, code: 'INVALID_ARGUMENT', field: 'timeoutMs' },
  {
    name: 'timeoutMs beyond the maximum',
    body: { timeoutMs: 1e12 },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'timeoutMs',
  },
  {
    name: 'Request-Timeout header not a number',
    body: {},
    headers: { 'request-timeout': 'soon' },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: '(headers).request-timeout',
  },
  {
    name: 'interpolate: endpoint with seed and latent',
    path: INTERP,
    body: { from: { seed: 1, latent: latent(48) }, to: { seed: 2 } },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'from',
  },
  {
    name: 'interpolate: missing to',
    path: INTERP,
    body: { from: { seed: 1 } },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'to',
  },
  {
    name: 'interpolate: one step',
    path: INTERP,
    body: { from: { seed: 1 }, to: { seed: 2 }, steps: 1 },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'steps',
  },
  {
    name: 'interpolate: unknown method',
    path: INTERP,
    body: { from: { seed: 1 }, to: { seed: 2 }, method: 'cubic' },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'method',
  },
  {
    name: 'interpolate: bad endpoint expression',
    path: INTERP,
    body: { from: { seed: 1, expression: 'x' }, to: { seed: 2 } },
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'from.expression',
  },
  {
    name: 'GET: seed not a number',
    method: 'get',
    path: '/v1/faces/abc/texture.png',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'seed',
  },
  {
    name: 'GET: seed beyond uint32',
    method: 'get',
    path: '/v1/faces/4294967296/texture.png',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'seed',
  },
  {
    name: 'GET: path traversal in the seed',
    method: 'get',
    path: '/v1/faces/..%2F..%2Fetc/passwd.png',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'seed',
  },
  {
    name: 'GET: unknown output',
    method: 'get',
    path: '/v1/faces/1/passwd.png',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'output',
  },
  {
    name: 'GET: unknown extension',
    method: 'get',
    path: '/v1/faces/1/texture.jpg',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'extension',
  },
  {
    name: 'GET: format not matching the extension',
    method: 'get',
    path: '/v1/faces/1/texture.png?format=exr',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'format',
  },
  {
    name: 'GET: uv as png',
    method: 'get',
    path: '/v1/faces/1/uv.png',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'outputs[0].format',
  },
  {
    name: 'GET: unknown query parameter',
    method: 'get',
    path: '/v1/faces/1/texture.png?size=9000',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'size',
  },
  {
    name: 'GET: malformed blend',
    method: 'get',
    path: '/v1/faces/1/texture.png?expression=anger:lots',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'expression',
  },
  {
    name: 'GET: intensity not a number',
    method: 'get',
    path: '/v1/faces/1/texture.png?expression=anger&intensity=x',
    status: 400,
    code: 'INVALID_ARGUMENT',
    field: 'intensity',
  },
  { name: 'unknown route', method: 'get', path: '/v1/nothing', status: 404, code: 'NOT_FOUND' },
  { name: 'path traversal route', method: 'get', path: '/v1/../../etc/passwd', status: 404, code: 'NOT_FOUND' },
  { name: 'wrong method', method: 'get', path: GEN, status: 404, code: 'NOT_FOUND' },
];

test(`a table of ${ROWS.length} bad inputs: each answered 4xx problem+json naming the field`, async (t) => {
  assert.ok(ROWS.length >= 30);
  for (const row of ROWS) {
    await t.test(row.name, async () => {
      const path = row.path ?? GEN;
      let req = row.method === 'get' ? request(url).get(path) : request(url).post(path);
      for (const [k, v] of Object.entries(row.headers ?? {})) req = req.set(k, v);
      if (row.raw !== undefined)
        req = req.set('content-type', row.headers?.['content-type'] ?? 'application/json').send(row.raw);
      else if (row.method !== 'get') req = req.send(row.body as object);
      const res = await req;
      assert.equal(res.status, row.status, JSON.stringify(res.body));
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      const problem = JSON.parse(res.text);
      assert.equal(problem.status, row.status);
      assert.equal(problem.code, row.code);
      assert.equal(typeof problem.detail, 'string');
      assert.ok(problem.detail.length > 5, problem.detail);
      if (row.field !== undefined) assert.equal(problem.field, row.field, problem.detail);
      assert.ok(problem.requestId, 'carries the request id');
    });
  }
  // the server is still healthy and serving
  await request(url).get('/v2/health/ready').expect(200);
  await request(url).post(GEN).send({ seed: 1 }).expect(200);
});

test('client errors never leak internals; a caller-supplied request id is echoed', async () => {
  const res = await request(url).post(GEN).set('x-request-id', 'abc-123').send({ seed: -1 }).expect(400);
  assert.equal(res.headers['x-request-id'], 'abc-123');
  assert.equal(JSON.parse(res.text).requestId, 'abc-123');
  assert.doesNotMatch(res.text, /at .*\.ts:\d+/);
});
