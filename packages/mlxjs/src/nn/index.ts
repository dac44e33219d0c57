/**
 * mlxjs.nn: MLX's neural-network library over the public mx API (as MLX's nn is Python over
 * mlx.core). `import { nn } from 'mlxjs'` or `mx.nn`.
 */
export { Module, type Params, type ParamTree, type ModuleTree, type FreezeOptions, type WeightsSource, type WeightsFormat } from './module.js';
export { valueAndGrad } from './value-and-grad.js';
export * from './activations.js';
export * from './layers/activations.js';
export * from './layers/linear.js';
export * from './layers/containers.js';
export * from './layers/embedding.js';
export * as init from './init.js';
export * as losses from './losses.js';
export * from './layers/normalization.js';
export * from './layers/dropout.js';
export * from './layers/convolution.js';
export * from './layers/pooling.js';
export * from './layers/upsample.js';
export * from './layers/transformer.js';
export * from './layers/positional-encoding.js';
export { checkpoint } from './checkpoint.js';
export * from './layers/recurrent.js';
export { QuantizedLinear, QuantizedEmbedding, quantize, type QuantizeLayerOptions, type QuantizeModelOptions } from './layers/quantized.js';
