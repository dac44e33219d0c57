/** Muon: MLX's formula (momentum, then Newton-Schulz orthogonalisation of matrix updates). */
import * as mx from '@mlxjs/core';
import { type LearningRate, Optimizer, type OptimizerState } from './optimizer.js';

export interface MuonOptions {
  momentum?: number;
  weightDecay?: number;
  nesterov?: boolean;
  nsSteps?: number;
}

/** The quintic Newton-Schulz iteration towards the nearest semi-orthogonal matrix. */
function zeropowerViaNewtonSchulz5(x0: mx.Array, steps: number): mx.Array {
  const [a, b, c] = [3.4445, -4.775, 2.0315];
  let x = x0;
  const transpose = x.shape[x.ndim - 2]! > x.shape[x.ndim - 1]!;
  if (transpose) x = mx.swapaxes(x, -1, -2);
  x = mx.divide(x, mx.add(mx.linalg.norm(x, { keepdims: true }), 1e-7));
  for (let i = 0; i < steps; i++) {
    const A = mx.matmul(x, mx.swapaxes(x, -1, -2));
    const B = mx.addmm(mx.multiply(b, A), A, A, { beta: 1.0, alpha: c });
    x = mx.addmm(x, B, x, { beta: a, alpha: 1.0 });
  }
  return transpose ? mx.swapaxes(x, -1, -2) : x;
}

/**
 * v = momentum v + (1 - momentum) g (g + wd w with weight decay); the update (Nesterov:
 * (1 - momentum) g + momentum v) of a parameter with two or more axes is orthogonalised
 * (flattened to [rows, -1] first) and its step scaled by sqrt(max(1, rows / cols)).
 */
export class Muon extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly nsSteps: number;

  constructor(learningRate: LearningRate, { momentum = 0.95, weightDecay = 0.01, nesterov = true, nsSteps = 5 }: MuonOptions = {}) {
    super();
    this.maybeSchedule('learning_rate', learningRate);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
    this.nsSteps = nsSteps;
  }

  protected initSingle(parameter: mx.Array, state: OptimizerState): void {
    this.put(state, 'v', mx.zerosLike(parameter));
  }

  protected applySingle(gradient: mx.Array, parameter: mx.Array, state: OptimizerState): mx.Array {
    let g = gradient;
    if (this.weightDecay !== 0) g = mx.add(g, mx.multiply(this.weightDecay, parameter));
    const v = mx.add(mx.multiply(this.momentum, state.v as mx.Array), mx.multiply(1 - this.momentum, g));
    this.put(state, 'v', v);
    let update = this.nesterov ? mx.add(mx.multiply(g, 1 - this.momentum), mx.multiply(v, this.momentum)) : v;
    let lr: mx.Array | number = mx.astype(this.learningRate, g.dtype);
    if (update.ndim >= 2) {
      const shape = update.shape;
      const reshape = update.ndim > 2;
      if (reshape) update = mx.reshape(update, [shape[0]!, -1]);
      update = zeropowerViaNewtonSchulz5(update, this.nsSteps);
      if (reshape) update = mx.reshape(update, shape);
      lr = mx.multiply(lr, Math.max(1, shape[shape.length - 2]! / shape[shape.length - 1]!) ** 0.5);
    }
    return mx.subtract(parameter, mx.multiply(lr, update));
  }
}
