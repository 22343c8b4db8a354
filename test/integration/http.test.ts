/**
 * The REST API end to end: a real HTTP server on port 0, the real ONNX Runtime on a tiny package.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import request from 'supertest';
import { parseServerTiming } from '../../src/api/server-timing.js';
import { decodeNpy } from '../../src/codecs/index.js';
import { startTestServer } from '../fakes.js';

let url: string;
let stop: () => Promise<void>;

before(async () => {
  ({ url, stop } = await startTestServer({ TBGAN_BATCH_MAX_DELAY_MS: '30' }));
});
after(() => stop());

const generate = (body: unknown) =>
  request(url)
    .post('/v1/faces:generate')
    .send(body as object);
const bytesOf = (data: string) => new Uint8Array(Buffer.from(data, 'base64'));

describe('health, model and metrics', () => {
  test('live and ready answer 200 once warm; the model is named', async () => {
    await request(url).get('/v2/health/live').expect(200, { live: true });
    await request(url).get('/v2/health/ready').expect(200, { ready: true, state: 'ready' });
    await request(url).get('/v2/models/tiny-test/ready').expect(200, { name: 'tiny-test', ready: true });
    const unknown = await request(url).get('/v2/models/other/ready').expect(404);
    assert.equal(unknown.body.code, 'NOT_FOUND');
  });

  test('GET /v1/model describes the model, its expressions, outputs and formats', async () => {
    const { body } = await request(url).get('/v1/model').expect(200);
    assert.equal(body.name, 'tiny-test');
    assert.equal(body.trained, false);
    assert.equal(body.resolution, 32);
    assert.equal(body.latentSize, 48);
    assert.deepEqual(body.expressions, ['neutral', 'happiness', 'sadness', 'anger', 'fear', 'disgust', 'surprise']);
    assert.deepEqual(body.formats.uv, ['npy', 'npy-f16']);
  });

  test('/metrics exposes the tbgan_ metrics in Prometheus text format', async () => {
    const { text } = await request(url).get('/metrics').expect(200);
    for (const name of [
      'tbgan_requests_total',
      'tbgan_batch_size_bucket',
      'tbgan_queue_depth',
      'tbgan_model_info',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.match(text, new RegExp(`^${name}`, 'm'), name);
    }
  });
});

describe('generate', () => {
  test('returns one face per seed with its artifacts as base64 JSON', async () => {
    const { body } = await generate({
      seed: 42,
      count: 2,
      outputs: ['texture', { output: 'shape', format: 'npy' }, { output: 'uv', format: 'npy-f16' }],
    })
      .expect(200)
      .expect('content-type', /application\/json/);
    assert.deepEqual(body.model, { name: 'tiny-test', version: '0.0.0-random.11', trained: false });
    assert.deepEqual(
      body.faces.map((f: { seed: number }) => f.seed),
      [42, 43],
    );
    const [texture, shape, uv] = body.faces[0].artifacts;
    assert.deepEqual(
      await sharp(bytesOf(texture.data))
        .metadata()
        .then((m) => [m.width, m.height, m.channels]),
      [32, 32, 3],
    );
    assert.deepEqual(decodeNpy(bytesOf(shape.data)).shape, [32, 32, 3]);
    assert.equal(decodeNpy(bytesOf(uv.data)).dtype, '<f2');
    assert.deepEqual(body.faces[0].label, [1, 0, 0, 0, 0, 0, 0]);
  });

  test('says where its time went in Server-Timing: queue, inference, encode', async () => {
    const res = await generate({ seed: 1, outputs: ['texture', 'normals'] }).expect(200);
    const timing = parseServerTiming(res.get('server-timing') as string);
    assert.deepEqual(Object.keys(timing), ['queue', 'inference', 'encode']);
    assert.ok(Object.values(timing).every((ms) => ms >= 0) && (timing.inference as number) > 0);
    const artifact = await request(url).get('/v1/faces/5/texture.png').expect(200);
    assert.deepEqual(Object.keys(parseServerTiming(artifact.get('server-timing') as string)), [
      'queue',
      'inference',
      'encode',
    ]);
  });

  test('is deterministic: the same request gives the same bytes', async () => {
    const body = {
      seed: 7,
      outputs: [
        { output: 'texture', format: 'png16' },
        { output: 'normals', format: 'exr' },
      ],
      expression: 'happiness',
      intensity: 0.5,
    };
    const a = await generate(body).expect(200);
    const b = await generate(body).expect(200);
    assert.deepEqual(a.body.faces, b.body.faces);
    assert.deepEqual(a.body.faces[0].label, [0.5, 0.5, 0, 0, 0, 0, 0]);
  });

  test('explicit latents are used as given; truncation scales them', async () => {
    const latent = Array.from({ length: 48 }, (_, i) => Math.sin(i));
    const a = await generate({ latents: [latent], outputs: [{ output: 'uv', format: 'npy' }] }).expect(200);
    const b = await generate({
      latents: [latent.map((v) => v * 0.5)],
      outputs: [{ output: 'uv', format: 'npy' }],
    }).expect(200);
    const c = await generate({ latents: [latent], truncation: 0.5, outputs: [{ output: 'uv', format: 'npy' }] }).expect(
      200,
    );
    assert.equal(a.body.faces[0].seed, undefined);
    assert.equal(c.body.faces[0].artifacts[0].data, b.body.faces[0].artifacts[0].data);
  });

  test('without a seed, a random one is drawn and returned', async () => {
    const { body } = await generate({}).expect(200);
    assert.ok(Number.isInteger(body.faces[0].seed));
  });

  test('bulk clients get a zip of files and a manifest with Accept: application/zip', async () => {
    const res = await generate({
      seed: 1,
      count: 2,
      outputs: ['texture', { output: 'texture', format: 'png16' }, 'shape'],
    })
      .set('accept', 'application/zip')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'application/zip');
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    assert.deepEqual(Object.keys(files).sort(), [
      'face-0000/shape.npy',
      'face-0000/texture.png',
      'face-0000/texture.png16.png',
      'face-0001/shape.npy',
      'face-0001/texture.png',
      'face-0001/texture.png16.png',
      'manifest.json',
    ]);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    assert.equal(manifest.faces[1].seed, 2);
    assert.equal(manifest.faces[1].artifacts[2].file, 'face-0001/shape.npy');
    const json = await generate({ seed: 1, count: 2, outputs: ['texture'] }).expect(200);
    assert.deepEqual(files['face-0001/texture.png'], bytesOf(json.body.faces[1].artifacts[0].data));
  });
});

describe('GET /v1/faces/{seed}/{output}.{ext}', () => {
  test('is byte-identical on every call, with a strong ETag, immutable caching and 304', async () => {
    const a = await request(url)
      .get('/v1/faces/42/texture.png?expression=anger&intensity=0.25')
      .expect(200)
      .expect('content-type', 'image/png');
    const b = await request(url).get('/v1/faces/42/texture.png?expression=anger&intensity=0.25').expect(200);
    assert.deepEqual(a.body, b.body);
    assert.match(a.headers.etag as string, /^"[A-Za-z0-9_-]{43}"$/);
    assert.equal(a.headers.etag, b.headers.etag);
    assert.equal(a.headers['cache-control'], 'public, max-age=31536000, immutable');
    const notModified = await request(url)
      .get('/v1/faces/42/texture.png?expression=anger&intensity=0.25')
      .set('if-none-match', a.headers.etag as string)
      .expect(304);
    assert.equal(notModified.headers.etag, a.headers.etag);
    const other = await request(url).get('/v1/faces/42/texture.png?expression=anger&intensity=0.5').expect(200);
    assert.notEqual(other.headers.etag, a.headers.etag);
  });

  test('equals the same face from POST generate, and serves every extension', async () => {
    const post = await generate({ seed: 9, outputs: [{ output: 'normals', format: 'png' }] }).expect(200);
    const get = await request(url).get('/v1/faces/9/normals.png').expect(200);
    assert.deepEqual(new Uint8Array(get.body), bytesOf(post.body.faces[0].artifacts[0].data));
    for (const [path, type] of [
      ['/v1/faces/9/shape.exr', 'image/x-exr'],
      ['/v1/faces/9/uv.npy?format=npy-f16', 'application/x-npy'],
      ['/v1/faces/9/texture.png?format=png16', 'image/png'],
    ] as const) {
      await request(url).get(path).expect(200).expect('content-type', type);
    }
  });
});

describe('interpolate', () => {
  test('walks from one face to another; the ends equal the generated faces', async () => {
    const { body } = await request(url)
      .post('/v1/faces:interpolate')
      .send({
        from: { seed: 3 },
        to: { seed: 4, expression: 'surprise' },
        steps: 3,
        method: 'lerp',
        outputs: ['texture'],
      })
      .expect(200);
    assert.equal(body.faces.length, 3);
    assert.deepEqual(body.faces[1].label, [0.5, 0, 0, 0, 0, 0, 0.5]);
    const first = await generate({ seed: 3, outputs: ['texture'] }).expect(200);
    const last = await generate({ seed: 4, expression: 'surprise', outputs: ['texture'] }).expect(200);
    assert.equal(body.faces[0].artifacts[0].data, first.body.faces[0].artifacts[0].data);
    assert.equal(body.faces[2].artifacts[0].data, last.body.faces[0].artifacts[0].data);
    const slerp = await request(url)
      .post('/v1/faces:interpolate')
      .send({ from: { seed: 3 }, to: { seed: 4 } })
      .expect(200);
    assert.equal(slerp.body.faces.length, 8, 'slerp and 8 steps by default');
  });
});

test('concurrent requests share batches (visible in the batch-size histogram)', async () => {
  const before = await batchSizeSum();
  const runsBefore = await batchCount();
  await Promise.all(Array.from({ length: 6 }, (_, i) => generate({ seed: 100 + i }).expect(200)));
  const faces = (await batchSizeSum()) - before;
  const runs = (await batchCount()) - runsBefore;
  assert.equal(faces, 6);
  assert.ok(runs < 6, `6 concurrent faces took ${runs} engine runs`);
});

async function metric(name: string): Promise<number> {
  const { text } = await request(url).get('/metrics');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}
const batchSizeSum = () => metric('tbgan_batch_size_sum');
const batchCount = () => metric('tbgan_batch_size_count');
