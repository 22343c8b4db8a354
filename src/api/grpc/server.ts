/**
 * The gRPC server: tbgan.v1.FaceGenerator, grpc.health.v1 and server reflection on one port, with
 * explicit message-size limits (research/serving.md §A.10), keepalive and optional TLS.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { FaceService } from '../../service/index.js';
import { createHandlers, type GrpcHandlerDeps } from './handlers.js';
import { loadContract, SERVICE_NAME } from './proto.js';

/** How the gRPC server listens, and what its handlers need. */
export interface GrpcServerOptions extends GrpcHandlerDeps {
  host: string;
  /** 0: any free port. */
  port: number;
  maxReceiveBytes: number;
  /** One message is one face. */
  maxSendBytes: number;
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
  /** PEM certificate chain and private key; absent: plaintext. */
  tls?: { certChain: Buffer; privateKey: Buffer };
}

/** A listening gRPC server. */
export interface GrpcServer {
  /** The bound port. */
  readonly port: number;
  /** Health of tbgan.v1.FaceGenerator: SERVING once warm, NOT_SERVING before and while draining. */
  setServing(serving: boolean): void;
  /** Stops accepting calls and waits for open ones until `deadline` (epoch ms), then cancels the rest: true if none was cut. */
  close(deadline: number): Promise<boolean>;
}

/** Creates the server and binds it; the FaceGenerator health is NOT_SERVING until `setServing(true)`. */
export async function createGrpcServer(service: FaceService, options: GrpcServerOptions): Promise<GrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxReceiveBytes,
    'grpc.max_send_message_length': options.maxSendBytes,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs,
  });
  const contract = loadContract();
  server.addService(contract.service, createHandlers(service, options));
  // gRFC L106: "" is the whole server (live while the process runs); the service name is readiness.
  const health = new HealthImplementation({ '': 'SERVING', [SERVICE_NAME]: 'NOT_SERVING' });
  health.addToServer(server);
  new ReflectionService(contract.reflected).addToServer(server);

  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.certChain, private_key: options.tls.privateKey }])
    : ServerCredentials.createInsecure();
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
  });

  let closing: Promise<boolean> | undefined;
  return {
    port,
    setServing(serving) {
      health.setStatus(SERVICE_NAME, serving ? 'SERVING' : 'NOT_SERVING');
    },
    close(deadline) {
      closing ??= new Promise<boolean>((resolve) => {
        health.setStatus(SERVICE_NAME, 'NOT_SERVING');
        const timer = setTimeout(
          () => {
            server.forceShutdown(); // cancels open calls; tryShutdown's callback then runs
            resolve(false);
          },
          Math.max(0, deadline - Date.now()),
        );
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      return closing;
    },
  };
}
