/** SGD: MLX's formula (momentum, dampening, Nesterov, weight decay), step by step as MLX. */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface SGDOptions {
  momentum?: number;
  weightDecay?: number;
  dampening?: number;
  nesterov?: boolean;
}

/**
 * v = momentum * v + (1 - dampening) * g (g + weightDecay * w with weight decay; dampening
 * applies from the first step, as in MLX), w = w - lr * (nesterov ? g + momentum * v : v);
 * without momentum, w = w - lr * g.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly dampening: number;
  readonly nesterov: boolean;

  constructor(learningRate: LearningRate, { momentum = 0, weightDecay = 0, dampening = 0, nesterov = false }: SGDOptions = {}) {
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error('[SGD] Nesterov momentum requires a momentum and zero dampening.');
    }
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.dampening = dampening;
    this.nesterov = nesterov;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'v', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    let g = gradient;
    if (this.weightDecay !== 0) g = mx.add(g, mx.multiply(this.weightDecay, parameter));
    const lr = mx.astype(this.learningRate, g.dtype);
    if (this.momentum <= 0) return mx.subtract(parameter, mx.multiply(lr, g));
    let v = mx.multiply(this.momentum, state.v as mx.Array);
    v = this.dampening > 0 ? mx.add(v, mx.multiply(1 - this.dampening, g)) : mx.add(v, g);
    const update = this.nesterov ? mx.add(g, mx.multiply(this.momentum, v)) : v;
    this.put(state, 'v', v);
    return mx.subtract(parameter, mx.multiply(lr, update));
  }
}
