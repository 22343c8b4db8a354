export { LOADER_OPTIONS, PROTO_FILE, PROTO_ROOT, SERVICE_NAME } from './proto.js';
export { createGrpcServer, type GrpcServer, type GrpcServerOptions } from './server.js';
export { FIELD_TRAILER, GRPC_STATUS, PUSHBACK_TRAILER, RETRY_AFTER_TRAILER } from './status.js';
