/** RMSprop, Adagrad and AdaDelta: MLX's formulas (PyTorch's too). */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface RMSpropOptions {
  alpha?: number;
  eps?: number;
}

/** v = alpha v + (1 - alpha) g^2, w = w - lr g / (sqrt(v) + eps). */
export class RMSprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;

  constructor(learningRate: LearningRate, { alpha = 0.99, eps = 1e-8 }: RMSpropOptions = {}) {
    if (!(alpha >= 0)) throw new Error(`[RMSprop] RMSprop alpha should be >=0, ${alpha} was provided instead.`);
    if (!(eps >= 0)) throw new Error(`[RMSprop] RMSprop epsilon should be >0, ${eps} was provided instead.`);
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.alpha = alpha;
    this.eps = eps;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'v', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const v = mx.add(mx.multiply(this.alpha, state.v as mx.Array), mx.multiply(1 - this.alpha, mx.square(gradient)));
    this.put(state, 'v', v);
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

export interface AdagradOptions {
  eps?: number;
}

/** v = v + g^2, w = w - lr g / (sqrt(v) + eps). */
export class Adagrad extends Optimizer {
  readonly eps: number;

  constructor(learningRate: LearningRate, { eps = 1e-8 }: AdagradOptions = {}) {
    if (!(eps >= 0)) throw new Error(`[Adagrad] Epsilon value should be >=0, ${eps} was provided instead.`);
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.eps = eps;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'v', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const v = mx.add(state.v as mx.Array, mx.square(gradient));
    this.put(state, 'v', v);
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, gradient), mx.add(mx.sqrt(v), this.eps)));
  }
}

export interface AdaDeltaOptions {
  rho?: number;
  eps?: number;
}

/**
 * v = rho v + (1 - rho) g^2, d = sqrt(u + eps) / sqrt(v + eps) g, u = rho u + (1 - rho) d^2,
 * w = w - lr d.
 */
export class AdaDelta extends Optimizer {
  readonly rho: number;
  readonly eps: number;

  constructor(learningRate: LearningRate, { rho = 0.9, eps = 1e-6 }: AdaDeltaOptions = {}) {
    if (!(rho >= 0)) throw new Error(`[AdaDelta] rho should be >=0, ${rho} was provided instead.`);
    if (!(eps >= 0)) throw new Error(`[AdaDelta] epsilon should be >0, ${eps} was provided instead.`);
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.rho = rho;
    this.eps = eps;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'v', mx.zerosLike(parameter));
    this.put(state, 'u', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const rho = this.rho;
    const v = mx.add(mx.multiply(rho, state.v as mx.Array), mx.multiply(1 - rho, mx.square(gradient)));
    const d = mx.multiply(mx.divide(mx.sqrt(mx.add(state.u as mx.Array, this.eps)), mx.sqrt(mx.add(v, this.eps))), gradient);
    const u = mx.add(mx.multiply(rho, state.u as mx.Array), mx.multiply(1 - rho, mx.square(d)));
    this.put(state, 'v', v);
    this.put(state, 'u', u);
    return mx.subtract(parameter, mx.multiply(lr, d));
  }
}
