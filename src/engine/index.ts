export type { Engine, EngineTensor, ExecutionProvider } from './engine.js';
export { EXECUTION_PROVIDERS } from './engine.js';
export { createOnnxEngine, ONNX_ENGINE_DEFAULTS, type OnnxEngineOptions } from './onnx-engine.js';
