/** Lion: MLX's formula (sign of an interpolated momentum). */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface LionOptions {
  betas?: readonly [number, number];
  weightDecay?: number;
}

/**
 * c = b1 m + (1 - b1) g, m = b2 m + (1 - b2) g, w = w (1 - lr wd) - lr sign(c).
 */
export class Lion extends Optimizer {
  readonly betas: readonly [number, number];
  readonly weightDecay: number;

  constructor(learningRate: LearningRate, { betas = [0.9, 0.99], weightDecay = 0 }: LionOptions = {}) {
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.betas = betas;
    this.weightDecay = weightDecay;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'm', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const [b1, b2] = this.betas;
    const m = state.m as mx.Array;
    const c = mx.add(mx.multiply(b1, m), mx.multiply(1 - b1, gradient));
    this.put(state, 'm', mx.add(mx.multiply(b2, m), mx.multiply(1 - b2, gradient)));
    let p = parameter;
    if (this.weightDecay > 0) p = mx.multiply(mx.subtract(1, mx.multiply(lr, this.weightDecay)), p);
    return mx.subtract(p, mx.multiply(lr, mx.sign(c)));
  }
}
