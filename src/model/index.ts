export {
  type Architecture,
  type ArchitectureStats,
  architectureProblems,
  architectureStats,
  BRANCHES,
  featureMaps,
  type LayerSpec,
  layerPlan,
  type VariableSpec,
  variablePlan,
  weightScale,
} from './architecture.js';
export { float16ToFloat32, float32ToFloat16 } from './float16.js';
export {
  BRANCH_MODES,
  type BranchMode,
  buildGeneratorGraph,
  GENERATOR_OUTPUTS,
  type GeneratorOutput,
  GRAPH_BUILDER_VERSION,
  GRAPH_DEFAULTS,
  type GraphOptions,
  type GraphSource,
  type Precision,
  UPSAMPLE_MODES,
  type UpsampleMode,
} from './graph-builder.js';
export { type CachedGraph, ensureGeneratorGraph, graphCacheKey } from './graph-cache.js';
export { type InitOptions, initModelPackage } from './init.js';
export { type Expression, labelVector } from './labels.js';
export {
  EXPRESSION_NAMES,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  manifestJsonSchema,
  parseManifest,
} from './manifest.js';
export { loadModelPackage, type ModelPackage, sha256File, writeModelPackage } from './package.js';
export { isPresetName, PRESET_NAMES, PRESETS, type PresetName } from './presets.js';
export { isSeed, latentFromSeed, latentsFromSeed } from './seeds.js';
