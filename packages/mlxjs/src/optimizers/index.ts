/**
 * mlxjs.optimizers: MLX's optimizers, schedules and clip_grad_norm over the mx API.
 * `import { optimizers as optim } from 'mlxjs'` or `mx.optimizers`.
 */
export { Optimizer, type LearningRate, type OptimizerState, type Schedule } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { RMSprop, Adagrad, AdaDelta, type RMSpropOptions, type AdagradOptions, type AdaDeltaOptions } from './rmsprop.js';
export { Adam, AdamW, Adamax, type AdamOptions, type AdamWOptions, type AdamaxOptions } from './adam.js';
export { Lion, type LionOptions } from './lion.js';
export { Adafactor, type AdafactorOptions } from './adafactor.js';
export { Muon, type MuonOptions } from './muon.js';
export { MultiOptimizer, type ParameterFilter } from './multi.js';
export { exponentialDecay, stepDecay, cosineDecay, linearSchedule, joinSchedules } from './schedules.js';
export { clipGradNorm } from './clip.js';
