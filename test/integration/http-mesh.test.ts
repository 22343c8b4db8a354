/**
 * Meshes over the REST API: real server, real ONNX Runtime on a tiny package. Every GLB passes the
 * Khronos glTF validator with no errors and no warnings.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { validateBytes } from 'gltf-validator';
import request from 'supertest';
import { startTestServer } from '../fakes.js';

let url: string;
let stop: () => Promise<void>;
before(async () => {
  ({ url, stop } = await startTestServer());
});
after(() => stop());

const binary = (req: request.Test) =>
  req.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });

async function assertValidGlb(bytes: Uint8Array): Promise<void> {
  const report = await validateBytes(bytes, { maxIssues: 100 });
  assert.equal(report.issues.numErrors, 0, JSON.stringify(report.issues.messages));
  assert.equal(report.issues.numWarnings, 0, JSON.stringify(report.issues.messages));
}

test('the model offers the built-in topologies, MediaPipe canonical by default', async () => {
  const { body } = await request(url).get('/v1/model').expect(200);
  assert.deepEqual(body.formats.mesh, ['glb', 'obj', 'ply']);
  assert.equal(body.defaultTopology, 'mediapipe-canonical');
  assert.ok(body.topologies.includes('mediapipe-grid-64'));
});

test('generate with outputs ["mesh"] returns validator-clean GLBs with the face metadata', async () => {
  const { body } = await request(url)
    .post('/v1/faces:generate')
    .send({ seed: 5, count: 2, outputs: ['mesh'] })
    .expect(200);
  for (const face of body.faces) {
    const [mesh] = face.artifacts;
    assert.equal(mesh.mediaType, 'model/gltf-binary');
    assert.equal(mesh.topology, 'mediapipe-canonical');
    assert.deepEqual(mesh.shape, [468, 3]);
    assert.equal(mesh.triangles, 898);
    const glb = new Uint8Array(Buffer.from(mesh.data, 'base64'));
    await assertValidGlb(glb);
    const json = JSON.parse(
      new TextDecoder().decode(glb.subarray(20, 20 + new DataView(glb.buffer, glb.byteOffset).getUint32(12, true))),
    );
    assert.equal(json.asset.extras.seed, face.seed);
    assert.equal(json.asset.extras.model, 'tiny-test');
  }
});

test('meshFormat and topology choose the file format and the template', async () => {
  const obj = await request(url)
    .post('/v1/faces:generate')
    .send({ seed: 5, outputs: ['mesh'], meshFormat: 'obj', topology: 'mediapipe-grid-64' })
    .expect(200);
  const files = unzipSync(new Uint8Array(Buffer.from(obj.body.faces[0].artifacts[0].data, 'base64')));
  assert.deepEqual(Object.keys(files).sort(), ['face.mtl', 'face.obj', 'normal.png', 'texture.png']);
  const text = new TextDecoder().decode(files['face.obj']);
  const vertices = text.split('\n').filter((l) => l.startsWith('v ')).length;
  assert.equal(vertices, obj.body.faces[0].artifacts[0].shape[0]);
  const ply = await request(url)
    .post('/v1/faces:generate')
    .send({ seed: 5, outputs: [{ output: 'mesh', format: 'ply' }, 'texture'] })
    .expect(200);
  const header = Buffer.from(ply.body.faces[0].artifacts[0].data, 'base64').subarray(0, 1000).toString('latin1');
  assert.match(header, /^ply\nformat binary_little_endian 1\.0\n/);
  assert.match(header, /element vertex 468\n/);
  assert.equal(ply.body.faces[0].artifacts[1].output, 'texture');
});

test('GET /v1/faces/{seed}.glb is deterministic and cacheable; .obj.zip and .ply too', async () => {
  const a = await binary(request(url).get('/v1/faces/77.glb?expression=happiness&topology=mediapipe-grid-64'))
    .expect(200)
    .expect('content-type', 'model/gltf-binary');
  const b = await binary(request(url).get('/v1/faces/77.glb?expression=happiness&topology=mediapipe-grid-64')).expect(
    200,
  );
  assert.deepEqual(a.body, b.body);
  await assertValidGlb(new Uint8Array(a.body as Buffer));
  await request(url)
    .get('/v1/faces/77.glb?expression=happiness&topology=mediapipe-grid-64')
    .set('if-none-match', a.headers.etag as string)
    .expect(304);
  const other = await request(url).get('/v1/faces/77.glb?expression=happiness').expect(200);
  assert.notEqual(other.headers.etag, a.headers.etag, 'the topology is part of the ETag');
  await request(url).get('/v1/faces/77.obj.zip').expect(200).expect('content-type', 'application/zip');
  await request(url).get('/v1/faces/77.ply').expect(200).expect('content-type', 'application/x-ply');
});

test('bad mesh parameters are answered 400 with the field', async () => {
  const table: [string, string][] = [
    ['/v1/faces/77.stl', 'extension'],
    ['/v1/faces/77.glb?topology=teapot', 'topology'],
    ['/v1/faces/77.glb?format=png', 'format'],
    ['/v1/faces/x.glb', 'seed'],
  ];
  for (const [path, field] of table) {
    const res = await request(url).get(path).expect(400);
    assert.equal(JSON.parse(res.text).field, field, path);
  }
  const post = await request(url)
    .post('/v1/faces:generate')
    .send({ outputs: ['mesh'], meshFormat: 'stl' })
    .expect(400);
  assert.equal(JSON.parse(post.text).field, 'outputs[0].format');
  const topo = await request(url)
    .post('/v1/faces:generate')
    .send({ outputs: ['mesh'], topology: 'teapot' })
    .expect(400);
  assert.equal(JSON.parse(topo.text).field, 'topology');
});
