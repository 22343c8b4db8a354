/**
 * A real grpc-js client of tbgan.v1.FaceGenerator (and of the health and reflection services), built
 * from the same .proto and loader options as the server, and helpers that collect a call's messages,
 * status and trailers.
 */
import {
  type ChannelCredentials,
  type ClientReadableStream,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  type Metadata,
  type ServiceClientConstructor,
  type StatusObject,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as HEALTH_PROTO_PATH } from 'grpc-health-check';
import { LOADER_OPTIONS, PROTO_FILE } from '../src/api/grpc/index.js';
import type { ProtoGrpcType } from '../src/gen/face_generator.js';
import type { FaceGeneratorClient } from '../src/gen/tbgan/v1/FaceGenerator.js';

const definition = loadSync([PROTO_FILE, HEALTH_PROTO_PATH], LOADER_OPTIONS);
const loaded = loadPackageDefinition(definition);
const proto = loaded as unknown as ProtoGrpcType;

/** A FaceGenerator client on `address` (`host:port`). */
export function createFaceClient(
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
  options: Record<string, unknown> = {},
): FaceGeneratorClient {
  return new proto.tbgan.v1.FaceGenerator(address, creds, {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    ...options,
  });
}

/** The result of a finished call: every message, then the status with its trailers. */
export interface Collected<T> {
  messages: T[];
  status: StatusObject;
  headers: Metadata | undefined;
}

/** Reads a server stream to its end; never rejects (the status says how it ended). */
export function collect<T>(stream: ClientReadableStream<T>): Promise<Collected<T>> {
  const messages: T[] = [];
  let headers: Metadata | undefined;
  stream.on('metadata', (md) => {
    headers = md;
  });
  stream.on('data', (m: T) => messages.push(m));
  stream.on('error', () => {}); // reported by 'status' too
  return new Promise((resolve) => stream.on('status', (status) => resolve({ messages, status, headers })));
}

/** A unary call as a promise of its response or its status. */
export function unary<Req, Res>(
  call: (request: Req, callback: (err: (Error & Partial<StatusObject>) | null, res?: Res) => void) => unknown,
  request: Req,
): Promise<{ response?: Res; status?: Partial<StatusObject> }> {
  return new Promise((resolve) => {
    call(request, (err, res) => resolve(err ? { status: err } : res === undefined ? {} : { response: res }));
  });
}

const service = (path: string) => path.split('.').reduce((o: GrpcObject, k) => o[k] as GrpcObject, loaded);

/** grpc.health.v1.Health/Check of `name` ('' is the whole server): the status name, or the error code. */
export function checkHealth(address: string, name: string): Promise<string> {
  const Health = service('grpc.health.v1.Health') as unknown as ServiceClientConstructor;
  const client = new Health(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.Check({ service: name }, (err: StatusObject | null, res: { status: string }) => {
      client.close();
      resolve(err ? `error ${err.code}` : res.status);
    });
  });
}
