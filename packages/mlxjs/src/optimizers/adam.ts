/** Adam, AdamW and Adamax: MLX's formulas. */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface AdamOptions {
  betas?: readonly [number, number];
  eps?: number;
  biasCorrection?: boolean;
}

/**
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, w = w - lr m / (sqrt(v) + eps). MLX's
 * default has no bias correction; `biasCorrection: true` divides m by 1 - b1^t and v by
 * 1 - b2^t (PyTorch's Adam).
 */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly biasCorrection: boolean;

  constructor(learningRate: LearningRate, { betas = [0.9, 0.999], eps = 1e-8, biasCorrection = false }: AdamOptions = {}) {
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.betas = betas;
    this.eps = eps;
    this.biasCorrection = biasCorrection;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'm', mx.zerosLike(parameter));
    this.put(state, 'v', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state.m as mx.Array), mx.multiply(1 - b1, gradient));
    const v = mx.add(mx.multiply(b2, state.v as mx.Array), mx.multiply(1 - b2, mx.square(gradient)));
    this.put(state, 'm', m);
    this.put(state, 'v', v);
    if (this.biasCorrection) {
      const step = this.step;
      const c1 = mx.astype(mx.divide(lr, mx.subtract(1, mx.power(b1, step))), gradient.dtype);
      const c2 = mx.astype(mx.rsqrt(mx.subtract(1, mx.power(b2, step))), gradient.dtype);
      const numerator = mx.multiply(c1, m);
      const denominator = mx.add(mx.multiply(mx.sqrt(v), c2), this.eps);
      return mx.subtract(parameter, mx.divide(numerator, denominator));
    }
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, m), mx.add(mx.sqrt(v), this.eps)));
  }
}

export interface AdamWOptions extends AdamOptions {
  weightDecay?: number;
}

/** Adam on w (1 - lr * weightDecay): decoupled weight decay (default 0.01), as MLX. */
export class AdamW extends Adam {
  readonly weightDecay: number;

  constructor(learningRate: LearningRate, { weightDecay = 0.01, ...rest }: AdamWOptions = {}) {
    super(learningRate, rest);
    this.weightDecay = weightDecay;
  }

  protected override applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    return super.applySingle(gradient, mx.multiply(parameter, mx.subtract(1, mx.multiply(lr, this.weightDecay))), state);
  }
}

export interface AdamaxOptions {
  betas?: readonly [number, number];
  eps?: number;
}

/** m = b1 m + (1 - b1) g, v = max(b2 v, |g|), w = w - lr m / (v + eps) (MLX: no bias correction). */
export class Adamax extends Adam {
  constructor(learningRate: LearningRate, { betas = [0.9, 0.999], eps = 1e-8 }: AdamaxOptions = {}) {
    if (!(eps >= 0)) throw new Error(`[Adamax] Epsilon value should be >=0, ${eps} was provided instead.`);
    super(learningRate, { betas, eps });
  }

  protected override applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const lr = mx.astype(this.learningRate, gradient.dtype);
    const [b1, b2] = this.betas;
    const m = mx.add(mx.multiply(b1, state.m as mx.Array), mx.multiply(1 - b1, gradient));
    const v = mx.maximum(mx.multiply(b2, state.v as mx.Array), mx.abs(gradient));
    this.put(state, 'm', m);
    this.put(state, 'v', v);
    return mx.subtract(parameter, mx.divide(mx.multiply(lr, m), mx.add(v, this.eps)));
  }
}
