/**
 * The gRPC API end to end: a real grpc-js client against the server on port 0, the real ONNX
 * Runtime on a tiny package, and the REST API of the same server to compare bytes with.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { credentials, loadPackageDefinition, Metadata, type ServiceClientConstructor, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import request from 'supertest';
import { parseServerTiming } from '../../src/api/server-timing.js';
import { decodeNpy } from '../../src/codecs/index.js';
import type { FaceGeneratorClient } from '../../src/gen/tbgan/v1/FaceGenerator.js';
import type { GenerateRequest } from '../../src/gen/tbgan/v1/GenerateRequest.js';
import type { GenerateResponse__Output } from '../../src/gen/tbgan/v1/GenerateResponse.js';
import { startTestServer } from '../fakes.js';
import { collect, createFaceClient, unary } from '../grpc-client.js';

let url: string;
let address: string;
let client: FaceGeneratorClient;
let stop: () => Promise<void>;

before(async () => {
  let grpcAddress: string;
  ({ url, grpcAddress, stop } = await startTestServer({ TBGAN_BATCH_MAX_DELAY_MS: '30' }));
  address = grpcAddress;
  client = createFaceClient(address);
});
after(async () => {
  client.close();
  await stop();
});

const generate = (req: GenerateRequest, metadata = new Metadata()) =>
  collect<GenerateResponse__Output>(client.generate(req, metadata));
const bytesOf = (data: string) => new Uint8Array(Buffer.from(data, 'base64'));

describe('Generate', () => {
  test('streams one message per face, in order, with the artifacts asked for', async () => {
    const { messages, status: s } = await generate({
      seed: 42,
      count: 3,
      outputs: [
        { output: 'OUTPUT_KIND_TEXTURE' },
        { output: 'OUTPUT_KIND_SHAPE', format: 'OUTPUT_FORMAT_NPY' },
        { output: 'OUTPUT_KIND_UV', format: 'OUTPUT_FORMAT_NPY_F16' },
      ],
    });
    assert.equal(s.code, status.OK);
    assert.deepEqual(
      messages.map((m) => [m.face?.index, m.face?.seed]),
      [
        [0, 42],
        [1, 43],
        [2, 44],
      ],
    );
    const [texture, shape, uv] = messages[0]?.face?.artifacts ?? [];
    assert.deepEqual(
      { ...texture, data: undefined },
      {
        output: 'OUTPUT_KIND_TEXTURE',
        format: 'OUTPUT_FORMAT_PNG',
        mediaType: 'image/png',
        extension: 'png',
        shape: [32, 32, 3],
        dtype: 'DTYPE_UINT8',
        data: undefined,
      },
    );
    assert.deepEqual(decodeNpy(new Uint8Array(shape?.data ?? [])).shape, [32, 32, 3]);
    assert.equal(decodeNpy(new Uint8Array(uv?.data ?? [])).dtype, '<f2');
    assert.deepEqual(messages[0]?.face?.label, [1, 0, 0, 0, 0, 0, 0]);
  });

  test('is byte-identical to REST for the same seed, expression and outputs', async () => {
    const rest = await request(url)
      .post('/v1/faces:generate')
      .send({
        seed: 7,
        count: 2,
        expression: { happiness: 0.7, surprise: 0.3 },
        intensity: 0.5,
        truncation: 0.7,
        outputs: ['texture', { output: 'normals', format: 'exr' }, { output: 'shape', format: 'png16' }, 'uv'],
      })
      .expect(200);
    const { messages } = await generate({
      seed: 7,
      count: 2,
      expression: { blend: { weights: { happiness: 0.7, surprise: 0.3 } } },
      intensity: 0.5,
      truncation: 0.7,
      outputs: [
        { output: 'OUTPUT_KIND_TEXTURE' },
        { output: 'OUTPUT_KIND_NORMALS', format: 'OUTPUT_FORMAT_EXR' },
        { output: 'OUTPUT_KIND_SHAPE', format: 'OUTPUT_FORMAT_PNG16' },
        { output: 'OUTPUT_KIND_UV' },
      ],
    });
    assert.equal(messages.length, 2);
    for (const [i, face] of rest.body.faces.entries()) {
      const wire = messages[i]?.face;
      assert.deepEqual(wire?.label, face.label);
      assert.equal(wire?.truncation, face.truncation);
      for (const [k, a] of face.artifacts.entries())
        assert.deepEqual(new Uint8Array(wire?.artifacts[k]?.data ?? []), bytesOf(a.data), `face ${i} artifact ${k}`);
    }
  });

  test('meshes come as REST serves them: format, topology and the same bytes', async () => {
    const { messages, status: st } = await generate({
      seed: 21,
      outputs: [{ output: 'OUTPUT_KIND_MESH', meshFormat: 'MESH_FORMAT_PLY', topology: 'mediapipe-grid-64' }],
    });
    assert.equal(st.code, status.OK);
    const mesh = messages[0]?.face?.artifacts[0];
    assert.equal(mesh?.output, 'OUTPUT_KIND_MESH');
    assert.equal(mesh?.meshFormat, 'MESH_FORMAT_PLY');
    assert.equal(mesh?.topology, 'mediapipe-grid-64');
    assert.ok((mesh?.triangles ?? 0) > 0);
    const rest = await request(url)
      .post('/v1/faces:generate')
      .send({ seed: 21, outputs: [{ output: 'mesh', format: 'ply' }], topology: 'mediapipe-grid-64' })
      .expect(200);
    assert.deepEqual(new Uint8Array(mesh?.data as Buffer), bytesOf(rest.body.faces[0].artifacts[0].data));
  });

  test('explicit latents and a raw label vector are used as given', async () => {
    const latent = Array.from({ length: 48 }, (_, i) => Math.fround(Math.sin(i)));
    const label = [0, 0.25, 0, 0.75, 0, 0, 0];
    const body = { latents: [latent], expression: label, outputs: [{ output: 'uv', format: 'npy' }] };
    const rest = await request(url).post('/v1/faces:generate').send(body).expect(200);
    const { messages } = await generate({
      latents: { latents: [{ values: latent }] },
      expression: { vector: { values: label } },
      outputs: [{ output: 'OUTPUT_KIND_UV', format: 'OUTPUT_FORMAT_NPY' }],
    });
    assert.equal(messages[0]?.face?.seed, undefined);
    assert.deepEqual(
      new Uint8Array(messages[0]?.face?.artifacts[0]?.data ?? []),
      bytesOf(rest.body.faces[0].artifacts[0].data),
    );
  });

  test('without a seed, a random one is drawn; the request id and server timing come back in the headers', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'abc-123');
    const { messages, headers } = await generate({}, metadata);
    assert.ok(Number.isInteger(messages[0]?.face?.seed));
    assert.equal(messages[0]?.face?.artifacts[0]?.format, 'OUTPUT_FORMAT_PNG');
    assert.deepEqual(headers?.get('x-request-id'), ['abc-123']);
    const timing = parseServerTiming(String(headers?.get('server-timing')[0]));
    assert.deepEqual(Object.keys(timing), ['queue', 'inference', 'encode']);
    assert.ok(Object.values(timing).every((ms) => ms >= 0) && (timing.inference as number) > 0);
  });

  test('gRPC and REST faces share batches (visible in the batch-size histogram)', async () => {
    const runsBefore = await metric('tbgan_batch_size_count');
    await Promise.all([
      ...[1, 2, 3].map((seed) => generate({ seed: 200 + seed })),
      ...[1, 2, 3].map((seed) =>
        request(url)
          .post('/v1/faces:generate')
          .send({ seed: 300 + seed })
          .expect(200),
      ),
    ]);
    const runs = (await metric('tbgan_batch_size_count')) - runsBefore;
    assert.ok(runs < 6, `6 concurrent faces took ${runs} engine runs`);
    const text = (await request(url).get('/metrics')).text;
    assert.match(text, /tbgan_requests_total\{protocol="grpc",route="generate",code="OK"\} [1-9]/);
  });
});

test('Interpolate walks from one face to another; the ends equal generated faces', async () => {
  const { messages, status: s } = await collect(
    client.interpolate({
      from: { seed: 3 },
      to: { seed: 4, expression: { name: 'surprise' } },
      steps: 3,
      method: 'INTERPOLATION_METHOD_LERP',
    }),
  );
  assert.equal(s.code, status.OK);
  assert.equal(messages.length, 3);
  assert.deepEqual(messages[1]?.face?.label, [0.5, 0, 0, 0, 0, 0, 0.5]);
  const first = await generate({ seed: 3 });
  const last = await generate({ seed: 4, expression: { name: 'surprise' } });
  assert.deepEqual(messages[0]?.face?.artifacts[0]?.data, first.messages[0]?.face?.artifacts[0]?.data);
  assert.deepEqual(messages[2]?.face?.artifacts[0]?.data, last.messages[0]?.face?.artifacts[0]?.data);
  const slerp = await collect(client.interpolate({ from: { seed: 3 }, to: { seed: 4 } }));
  assert.equal(slerp.messages.length, 8, 'slerp and 8 steps by default');
});

test('GetModel describes the model as REST does', async () => {
  const { response } = await unary(client.getModel.bind(client), {});
  const rest = (await request(url).get('/v1/model').expect(200)).body;
  const m = response?.model;
  assert.equal(m?.name, rest.name);
  assert.equal(m?.trained, false);
  assert.equal(m?.latentSize, 48);
  assert.deepEqual(m?.expressions, rest.expressions);
  assert.deepEqual(m?.formats.find((f) => f.output === 'OUTPUT_KIND_UV')?.formats, [
    'OUTPUT_FORMAT_NPY',
    'OUTPUT_FORMAT_NPY_F16',
  ]);
  assert.deepEqual(m?.limits, { maxFacesPerRequest: 64, maxInterpolationSteps: 64 });
});

test('server reflection lists the service and the health service, and describes FaceGenerator', async () => {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const definition = loadSync(join(pkgDir, 'build/proto/grpc/reflection/v1/reflection.proto'), { oneofs: true });
  const loaded = loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: ServiceClientConstructor } } };
  };
  const reflection = new loaded.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  const ask = (req: object) =>
    new Promise<Record<string, { service?: { name: string }[]; fileDescriptorProto?: Buffer[] }>>((resolve, reject) => {
      const call = reflection.ServerReflectionInfo();
      call.on('data', (res: never) => {
        resolve(res);
        call.end();
      });
      call.on('error', reject);
      call.write(req);
    });
  const listed = await ask({ listServices: '*' });
  const names = listed.listServicesResponse?.service?.map((s) => s.name);
  assert.ok(names?.includes('tbgan.v1.FaceGenerator'), String(names));
  assert.ok(names?.includes('grpc.health.v1.Health'), String(names));
  const file = await ask({ fileContainingSymbol: 'tbgan.v1.FaceGenerator' });
  const descriptors = Buffer.concat(file.fileDescriptorResponse?.fileDescriptorProto ?? []).toString('latin1');
  // proto-loader regroups files by package (tbgan_v1.proto); the descriptor holds the whole contract.
  for (const name of ['FaceGenerator', 'tbgan.v1.GenerateRequest', 'tbgan.v1.GenerateResponse', 'OUTPUT_KIND_MESH'])
    assert.ok(descriptors.includes(name), name);
  reflection.close();
});

async function metric(name: string): Promise<number> {
  const { text } = await request(url).get('/metrics');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}
