export {
  ARTIFACT_VERSION,
  type ArtifactParams,
  type CallOptions,
  type CallTiming,
  createFaceService,
  type Encoder,
  type FaceService,
  type FaceServiceDeps,
  randomSeed,
  type ServiceState,
} from './face-service.js';
export { createGeneratorRunner, type FaceItem } from './generator-runner.js';
export { DEFAULT_FORMAT, type FaceMaps, FORMATS_BY_OUTPUT, formatMedia } from './outputs.js';
export * from './types.js';
export type { RequestLimits } from './validate.js';
