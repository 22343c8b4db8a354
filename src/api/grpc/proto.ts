/**
 * The contract at run time: `proto/tbgan/v1/face_generator.proto` loaded by @grpc/proto-loader
 * (protobufjs underneath), typed by the interfaces `npm run gen` writes to `src/gen/`.
 *
 * DESIGN NOTES: dynamic loading with generated types, not static protobufjs code.
 * - Options: (a) @grpc/proto-loader at start-up + `proto-loader-gen-types` for TypeScript types;
 *   (b) protobufjs-cli `pbjs -t static-module` + `pbts` into src/gen, with a hand-written grpc-js
 *   service definition; (c) @bufbuild/protobuf + connect-node (a different server stack).
 * - Reflection decides it: @grpc/reflection and grpc-health-check take proto-loader
 *   `PackageDefinition`s (they need the file descriptors proto-loader builds). With (b) the same
 *   .proto would also have to be loaded by proto-loader for reflection, so two protobufjs runtimes
 *   (pbjs 2.x wants protobufjs 8, proto-loader ships 7) would describe one contract. (c) is not grpc-js.
 * - Speed is not a reason either way: protobufjs compiles the same encoder functions at load time
 *   that pbjs writes out. Messages are plain objects; `bytes` go out as the service's Uint8Array,
 *   not copied until the frame is written.
 * - Cost: the .proto ships beside the code (`proto/`, found relative to this file: three levels
 *   up from both src/api/grpc and dist/api/grpc) and is parsed once at start-up (a few ms).
 * - The generated types must describe the objects these options produce: `npm run gen` passes
 *   the same flags (a test compares them), and `npm run gen:check` keeps src/gen in step.
 */
import { fileURLToPath } from 'node:url';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as HEALTH_PROTO_PATH } from 'grpc-health-check';
import type { FaceGeneratorDefinition } from '../../gen/tbgan/v1/FaceGenerator.js';

/** The directory holding `tbgan/v1/face_generator.proto`. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** The contract's file, relative to PROTO_ROOT. */
export const PROTO_FILE = 'tbgan/v1/face_generator.proto';

/** Fully qualified name of the service (also its health-check name). */
export const SERVICE_NAME = 'tbgan.v1.FaceGenerator';

/** How messages become objects: camelCase fields, enums as names, oneof names, [] for empty repeated fields. */
export const LOADER_OPTIONS: Readonly<Options> = {
  keepCase: false,
  longs: String,
  enums: String,
  arrays: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** The loaded contract: the FaceGenerator service definition and, for reflection, the health service too. */
export interface LoadedContract {
  service: FaceGeneratorDefinition;
  /** Everything the server exposes, for @grpc/reflection. */
  reflected: PackageDefinition;
}

/** Parses the contract (once per server). */
export function loadContract(): LoadedContract {
  const reflected = loadSync([PROTO_FILE, HEALTH_PROTO_PATH], LOADER_OPTIONS);
  return { service: reflected[SERVICE_NAME] as unknown as FaceGeneratorDefinition, reflected };
}
