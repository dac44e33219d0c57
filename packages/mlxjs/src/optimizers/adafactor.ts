/** Adafactor: MLX's formula (factored second moments for matrices, relative step sizes). */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface AdafactorOptions {
  eps?: readonly [number, number];
  clipThreshold?: number;
  decayRate?: number;
  beta1?: number | null;
  weightDecay?: number;
  scaleParameter?: boolean;
  relativeStep?: boolean;
  warmupInit?: boolean;
}

const rms = (x: mx.Array): mx.Array => mx.sqrt(mx.mean(mx.square(x)));

/**
 * Adafactor(learningRate = null, options): with `relativeStep` (default) the step size is
 * min(1e-2, 1/sqrt(t)) (or min(1e-6 t, 1/sqrt(t)) with `warmupInit`), scaled by
 * max(eps[1], rms(w)) when `scaleParameter`; otherwise the learning rate. Parameters with
 * two or more axes keep row and column means of g^2 + eps[0] (decay 1 - t^decayRate).
 */
export class Adafactor extends Optimizer {
  readonly eps: readonly [number, number];
  readonly clipThreshold: number;
  readonly decayRate: number;
  readonly beta1: number | null;
  readonly weightDecay: number;
  readonly scaleParameter: boolean;
  readonly relativeStep: boolean;
  readonly warmupInit: boolean;

  constructor(learningRate: LearningRate | null = null, options: AdafactorOptions = {}) {
    if (options.relativeStep === false && (learningRate === null || learningRate === undefined)) {
      throw new Error('[Adafactor] Without relativeStep, a learning rate is required.');
    }
    super();
    if (learningRate !== null && learningRate !== undefined) this.maybeSchedule('learning_rate', learningRate);
    this.eps = options.eps ?? [1e-30, 1e-3];
    this.clipThreshold = options.clipThreshold ?? 1.0;
    this.decayRate = options.decayRate ?? -0.8;
    this.beta1 = options.beta1 ?? null;
    this.weightDecay = options.weightDecay ?? 0;
    this.scaleParameter = options.scaleParameter ?? true;
    this.relativeStep = options.relativeStep ?? true;
    this.warmupInit = options.warmupInit ?? false;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    if (parameter.ndim >= 2) {
      const shape = parameter.shape;
      this.put(state, 'exp_avg_sq_row', mx.zeros(shape.slice(0, -1), parameter.dtype));
      this.put(state, 'exp_avg_sq_col', mx.zeros([...shape.slice(0, -2), shape[shape.length - 1]!], parameter.dtype));
    } else this.put(state, 'exp_avg_sq', mx.zerosLike(parameter));
    if (this.beta1 !== null) this.put(state, 'exp_avg', mx.zerosLike(parameter));
  }

  private computeLearningRate(step: mx.Array, parameterRms: mx.Array): mx.Array {
    let relative: mx.Array;
    if (this.relativeStep) {
      const minStep = this.warmupInit ? mx.multiply(1e-6, step) : 1e-2;
      relative = mx.minimum(minStep, mx.rsqrt(step));
    } else relative = this.learningRate;
    relative = mx.astype(relative, parameterRms.dtype);
    const scale = this.scaleParameter ? mx.maximum(this.eps[1], parameterRms) : 1.0;
    return mx.multiply(scale, relative);
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    const factored = gradient.ndim >= 2;
    const step = this.step;
    const parameterRms = rms(parameter);
    const learningRate = this.computeLearningRate(step, parameterRms);
    const beta2 = mx.subtract(1.0, mx.astype(mx.power(step, this.decayRate), parameterRms.dtype));
    const oneMinus = mx.subtract(1, beta2);
    let update = mx.add(mx.square(gradient), this.eps[0]);
    if (factored) {
      const row = mx.add(mx.multiply(beta2, state.exp_avg_sq_row as mx.Array), mx.multiply(oneMinus, mx.mean(update, -1)));
      const col = mx.add(mx.multiply(beta2, state.exp_avg_sq_col as mx.Array), mx.multiply(oneMinus, mx.mean(update, -2)));
      this.put(state, 'exp_avg_sq_row', row);
      this.put(state, 'exp_avg_sq_col', col);
      const rFactor = mx.rsqrt(mx.divide(row, mx.mean(row, -1, true)));
      const cFactor = mx.rsqrt(col);
      // MLX's matmul of r[..., :, None] by c[..., None, :] (an outer product per batch).
      update = mx.multiply(mx.matmul(mx.expandDims(rFactor, -1), mx.expandDims(cFactor, -2)), gradient);
    } else {
      const sq = mx.add(mx.multiply(beta2, state.exp_avg_sq as mx.Array), mx.multiply(oneMinus, update));
      this.put(state, 'exp_avg_sq', sq);
      update = mx.multiply(mx.rsqrt(sq), gradient);
    }
    update = mx.divide(update, mx.maximum(1.0, mx.divide(rms(update), this.clipThreshold)));
    update = mx.multiply(learningRate, update);
    if (this.beta1 !== null) {
      const avg = mx.add(mx.multiply(this.beta1, state.exp_avg as mx.Array), mx.multiply(1 - this.beta1, update));
      this.put(state, 'exp_avg', avg);
      update = avg;
    }
    let p = parameter;
    if (this.weightDecay !== 0) p = mx.add(p, mx.multiply(p, mx.multiply(-this.weightDecay, learningRate)));
    return mx.subtract(p, update);
  }
}
