/**
 * Bad gRPC requests, table-driven: every row is answered INVALID_ARGUMENT with the field at fault in
 * the `tbgan-field` trailer and in the details (the same fields REST names), and afterwards the
 * server is still healthy and serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type StatusObject, status } from '@grpc/grpc-js';
import type { FaceGeneratorClient } from '../../src/gen/tbgan/v1/FaceGenerator.js';
import type { GenerateRequest } from '../../src/gen/tbgan/v1/GenerateRequest.js';
import type { InterpolateRequest } from '../../src/gen/tbgan/v1/InterpolateRequest.js';
import { startTestServer } from '../fakes.js';
import { checkHealth, collect, createFaceClient } from '../grpc-client.js';

let client: FaceGeneratorClient;
let address: string;
let stop: () => Promise<void>;
before(async () => {
  let grpcAddress: string;
  ({ grpcAddress, stop } = await startTestServer({
    TBGAN_MAX_FACES_PER_REQUEST: '8',
    TBGAN_MAX_INTERPOLATION_STEPS: '16',
    TBGAN_GRPC_MAX_RECEIVE_BYTES: '65536',
  }));
  address = grpcAddress;
  client = createFaceClient(address);
});
after(async () => {
  client.close();
  await stop();
});

const latent = (n: number, last = 0.5) => ({ values: [...Array.from({ length: n - 1 }, () => 0.5), last] });
/** An enum number this contract does not define, as a newer client could send. */
const unknownEnum = (n: number) => n as never;

interface Row {
  name: string;
  generate?: GenerateRequest;
  interpolate?: InterpolateRequest;
  code?: status;
  field?: string;
}

const ROWS: Row[] = [
  { name: 'count is zero', generate: { count: 0 }, field: 'count' },
  { name: 'count above the configured maximum', generate: { count: 9 }, field: 'count' },
  { name: 'an empty latent list', generate: { latents: { latents: [] } }, field: 'count' },
  {
    name: 'count disagrees with latents',
    generate: { count: 2, latents: { latents: [latent(48)] } },
    field: 'latents',
  },
  { name: 'latent of the wrong length', generate: { latents: { latents: [latent(47)] } }, field: 'latents[0]' },
  { name: 'NaN in a latent', generate: { latents: { latents: [latent(48, Number.NaN)] } }, field: 'latents[0][47]' },
  {
    name: 'Infinity in a latent',
    generate: { latents: { latents: [latent(48, Number.POSITIVE_INFINITY)] } },
    field: 'latents[0][47]',
  },
  { name: 'unknown expression', generate: { expression: { name: 'grumpy' } }, field: 'expression' },
  { name: 'an expression with nothing set', generate: { expression: {} }, field: 'expression' },
  {
    name: 'negative blend weight',
    generate: { expression: { blend: { weights: { happiness: -1 } } } },
    field: 'expression.happiness',
  },
  { name: 'an empty blend', generate: { expression: { blend: { weights: {} } } }, field: 'expression' },
  {
    name: 'label vector of the wrong length',
    generate: { expression: { vector: { values: [1, 0] } } },
    field: 'expression',
  },
  {
    name: 'intensity above 1',
    generate: { expression: { name: 'happiness' }, intensity: 1.5 },
    field: 'intensity',
  },
  { name: 'intensity without an expression', generate: { intensity: 0.5 }, field: 'intensity' },
  { name: 'truncation zero', generate: { truncation: 0 }, field: 'truncation' },
  { name: 'truncation above 1', generate: { truncation: 1.5 }, field: 'truncation' },
  { name: 'truncation NaN', generate: { truncation: Number.NaN }, field: 'truncation' },
  { name: 'an output with no kind', generate: { outputs: [{}] }, field: 'outputs[0].output' },
  {
    name: 'unknown output enum value',
    generate: { outputs: [{ output: unknownEnum(99) }] },
    field: 'outputs[0].output',
  },
  {
    name: 'unknown format enum value',
    generate: { outputs: [{ output: 'OUTPUT_KIND_TEXTURE', format: unknownEnum(42) }] },
    field: 'outputs[0].format',
  },
  {
    name: 'format the output does not come in',
    generate: { outputs: [{ output: 'OUTPUT_KIND_UV', format: 'OUTPUT_FORMAT_PNG' }] },
    field: 'outputs[0].format',
  },
  {
    name: 'duplicate outputs',
    generate: { outputs: [{ output: 'OUTPUT_KIND_TEXTURE' }, { output: 'OUTPUT_KIND_TEXTURE' }] },
    field: 'outputs[1]',
  },
  {
    name: 'a mesh on an unknown topology',
    generate: { outputs: [{ output: 'OUTPUT_KIND_MESH', meshFormat: 'MESH_FORMAT_GLB', topology: 'teapot' }] },
    field: 'topology',
  },
  {
    name: 'two mesh outputs on different topologies',
    generate: {
      outputs: [
        { output: 'OUTPUT_KIND_MESH', topology: 'mediapipe-canonical' },
        { output: 'OUTPUT_KIND_MESH', meshFormat: 'MESH_FORMAT_PLY', topology: 'mediapipe-grid-64' },
      ],
    },
    field: 'outputs[1].topology',
  },
  { name: 'interpolate: missing to', interpolate: { from: { seed: 1 } }, field: 'to' },
  {
    name: 'interpolate: endpoint with neither seed nor latent',
    interpolate: { from: {}, to: { seed: 1 } },
    field: 'from',
  },
  { name: 'interpolate: one step', interpolate: { from: { seed: 1 }, to: { seed: 2 }, steps: 1 }, field: 'steps' },
  { name: 'interpolate: zero steps', interpolate: { from: { seed: 1 }, to: { seed: 2 }, steps: 0 }, field: 'steps' },
  {
    name: 'interpolate: steps above the configured maximum',
    interpolate: { from: { seed: 1 }, to: { seed: 2 }, steps: 17 },
    field: 'steps',
  },
  {
    name: 'interpolate: unknown method enum value',
    interpolate: { from: { seed: 1 }, to: { seed: 2 }, method: unknownEnum(7) },
    field: 'method',
  },
  {
    name: 'interpolate: bad endpoint expression',
    interpolate: { from: { seed: 1 }, to: { seed: 2, expression: { name: 'grumpy' } } },
    field: 'to.expression',
  },
  {
    name: 'interpolate: latent of the wrong length',
    interpolate: { from: { latent: latent(3) }, to: { seed: 2 } },
    field: 'from.latent',
  },
  {
    name: 'a message over the receive limit',
    generate: { expression: { vector: { values: new Array(20_000).fill(0) } } },
    code: status.RESOURCE_EXHAUSTED,
  },
];

for (const row of ROWS) {
  test(`${row.name}: ${status[row.code ?? status.INVALID_ARGUMENT]}${row.field ? ` at ${row.field}` : ''}`, async () => {
    const call = row.interpolate ? client.interpolate(row.interpolate) : client.generate(row.generate ?? {});
    const { messages, status: s } = await collect<unknown>(call);
    assert.equal(messages.length, 0);
    assert.equal(s.code, row.code ?? status.INVALID_ARGUMENT, s.details);
    if (row.field !== undefined) {
      assert.deepEqual(s.metadata.get('tbgan-field'), [row.field]);
      assert.ok(s.details.startsWith(`${row.field}: `), s.details);
    }
  });
}

test('after all that the server is healthy and serving', async () => {
  assert.equal(await checkHealth(address, 'tbgan.v1.FaceGenerator'), 'SERVING');
  const { messages, status: s } = await collect<unknown>(client.generate({ seed: 1 }));
  assert.equal((s as StatusObject).code, status.OK);
  assert.equal(messages.length, 1);
});
