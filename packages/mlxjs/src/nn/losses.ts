/**
 * nn.losses: MLX's loss functions (mlx/nn/losses.py), formulas, defaults and errors.
 * MLX's keyword arguments are a trailing options object. Each runs in mx.tidy so its
 * intermediates are freed at once.
 */
import * as mx from '@mlxjs/core';

export type Reduction = 'none' | 'mean' | 'sum';

const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: mx.Array, b: mx.Array): boolean => a.ndim === b.ndim && a.shape.every((d, i) => d === b.shape[i]);

function reduce(op: string, loss: mx.Array, reduction: Reduction): mx.Array {
  if (reduction === 'mean') return mx.mean(loss);
  if (reduction === 'sum') return mx.sum(loss);
  if (reduction === 'none') return loss;
  throw new Error(`[${op}] Invalid reduction. Must be 'none', 'mean', or 'sum'.`);
}

function applyWeights(op: string, loss: mx.Array, weights: mx.Array | null | undefined): mx.Array {
  if (weights === undefined || weights === null) return loss;
  if (!sameShape(weights, loss)) {
    throw new Error(`[${op}] Weights with shape ${shapeStr(weights.shape)} is not the same as output loss with shape ${shapeStr(loss.shape)}.`);
  }
  return mx.multiply(loss, weights);
}

function expectSameShape(op: string, a: mx.Array, b: mx.Array, what: [string, string]): void {
  if (!sameShape(a, b)) {
    throw new Error(`[${op}] ${what[0]} shape ${shapeStr(a.shape)} does not match ${what[1]} shape ${shapeStr(b.shape)}.`);
  }
}

export interface CrossEntropyOptions {
  weights?: mx.Array | null;
  axis?: number;
  labelSmoothing?: number;
  reduction?: Reduction;
}

/**
 * logsumexp(logits) - score: targets are class indices (logits' shape without `axis`) or
 * probabilities (logits' shape). Default reduction 'none'.
 */
export function crossEntropy(logits: mx.Array, targets: mx.Array, options: CrossEntropyOptions = {}): mx.Array {
  const op = 'cross_entropy';
  const { weights = null, axis = -1, labelSmoothing = 0.0, reduction = 'none' } = options;
  if (labelSmoothing < 0 || labelSmoothing >= 1) throw new Error(`[${op}] Label smoothing must in [0, 1), got ${labelSmoothing}.`);
  const asProbs = targets.ndim === logits.ndim;
  const ax = axis < 0 ? axis + logits.ndim : axis;
  const dropped = logits.shape.filter((_d, i) => i !== ax);
  const ok = asProbs ? sameShape(targets, logits) : targets.ndim === dropped.length && targets.shape.every((d, i) => d === dropped[i]);
  if (!ok) throw new Error(`[${op}] Targets shape ${shapeStr(targets.shape)} does not match logits shape ${shapeStr(logits.shape)}.`);
  return mx.tidy(() => {
    const score = asProbs
      ? mx.sum(mx.multiply(logits, targets), ax)
      : mx.squeeze(mx.takeAlongAxis(logits, mx.expandDims(targets, ax), ax), ax);
    const lse = mx.logsumexp(logits, ax);
    let loss: mx.Array;
    if (labelSmoothing > 0) {
      const adjusted = mx.multiply(1 - labelSmoothing, score);
      const smoothed = mx.multiply(mx.negative(mx.mean(logits, ax)), labelSmoothing);
      loss = mx.add(mx.subtract(lse, adjusted), smoothed);
    } else loss = mx.subtract(lse, score);
    return reduce(op, applyWeights(op, loss, weights), reduction);
  });
}

export interface BinaryCrossEntropyOptions {
  weights?: mx.Array | null;
  withLogits?: boolean;
  reduction?: Reduction;
}

/** With logits (default): log(1 + e^x) - x t; else -(t log p + (1 - t) log(1 - p)), logs clipped at -100. Default 'mean'. */
export function binaryCrossEntropy(inputs: mx.Array, targets: mx.Array, options: BinaryCrossEntropyOptions = {}): mx.Array {
  const op = 'binary_cross_entropy';
  const { weights = null, withLogits = true, reduction = 'mean' } = options;
  expectSameShape(op, inputs, targets, ['Inputs', 'targets']);
  return mx.tidy(() => {
    let loss: mx.Array;
    if (withLogits) loss = mx.subtract(mx.logaddexp(0.0, inputs), mx.multiply(inputs, targets));
    else {
      const logP = mx.clip(mx.log(inputs), -100, null);
      const log1mP = mx.clip(mx.log(mx.subtract(1, inputs)), -100, null);
      loss = mx.negative(mx.add(mx.multiply(targets, logP), mx.multiply(mx.subtract(1, targets), log1mP)));
    }
    return reduce(op, applyWeights(op, loss, weights), reduction);
  });
}

export interface ReductionOptions {
  reduction?: Reduction;
}

/** |p - t|. Default 'mean'. */
export function l1Loss(predictions: mx.Array, targets: mx.Array, { reduction = 'mean' }: ReductionOptions = {}): mx.Array {
  expectSameShape('l1_loss', predictions, targets, ['Predictions', 'targets']);
  return mx.tidy(() => reduce('l1_loss', mx.abs(mx.subtract(predictions, targets)), reduction));
}

/** (p - t)^2. Default 'mean'. */
export function mseLoss(predictions: mx.Array, targets: mx.Array, { reduction = 'mean' }: ReductionOptions = {}): mx.Array {
  expectSameShape('mse_loss', predictions, targets, ['Predictions', 'targets']);
  return mx.tidy(() => reduce('mse_loss', mx.square(mx.subtract(predictions, targets)), reduction));
}

/** -inputs[target] along `axis` (inputs are log-probabilities). Default 'none'. */
export function nllLoss(inputs: mx.Array, targets: mx.Array, { axis = -1, reduction = 'none' }: { axis?: number; reduction?: Reduction } = {}): mx.Array {
  return mx.tidy(() => {
    const picked = mx.takeAlongAxis(inputs, mx.expandDims(targets, -1), axis);
    return reduce('nll_loss', mx.negative(mx.squeeze(picked, -1)), reduction);
  });
}

export interface GaussianNllOptions {
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/** 0.5 (log v + (t - x)^2 / v), v = max(vars, eps), plus 0.5 log(2 pi) when `full`. Default 'mean'. */
export function gaussianNllLoss(inputs: mx.Array, targets: mx.Array, vars: mx.Array, options: GaussianNllOptions = {}): mx.Array {
  const op = 'gaussian_nll_loss';
  const { full = false, eps = 1e-6, reduction = 'mean' } = options;
  expectSameShape(op, inputs, targets, ['Inputs', 'targets']);
  expectSameShape(op, inputs, vars, ['Inputs', 'vars']);
  return mx.tidy(() => {
    const v = mx.maximum(vars, eps);
    let loss = mx.multiply(0.5, mx.add(mx.log(v), mx.divide(mx.square(mx.subtract(targets, inputs)), v)));
    if (full) loss = mx.add(loss, 0.5 * Math.log(2 * Math.PI));
    return reduce(op, loss, reduction);
  });
}

/** sum(e^t (t - x), axis) for log-probabilities x and t. Default 'none'. */
export function klDivLoss(inputs: mx.Array, targets: mx.Array, { axis = -1, reduction = 'none' }: { axis?: number; reduction?: Reduction } = {}): mx.Array {
  return mx.tidy(() => reduce('kl_div_loss', mx.sum(mx.multiply(mx.exp(targets), mx.subtract(targets, inputs)), axis), reduction));
}

/** 0.5 d^2 / beta where d = |p - t| < beta, else d - 0.5 beta. Default 'mean'. */
export function smoothL1Loss(predictions: mx.Array, targets: mx.Array, { beta = 1.0, reduction = 'mean' }: { beta?: number; reduction?: Reduction } = {}): mx.Array {
  expectSameShape('smooth_l1_loss', predictions, targets, ['Predictions', 'targets']);
  return mx.tidy(() => {
    const d = mx.abs(mx.subtract(predictions, targets));
    const loss = mx.where(mx.less(d, beta), mx.divide(mx.multiply(0.5, mx.square(d)), beta), mx.subtract(d, 0.5 * beta));
    return reduce('smooth_l1_loss', loss, reduction);
  });
}

export interface TripletOptions {
  axis?: number;
  p?: number;
  margin?: number;
  eps?: number;
  reduction?: Reduction;
}

/** max(sqrt(sum((a - p)^p) + eps) - sqrt(sum((a - n)^p) + eps) + margin, 0). Default 'none'. */
export function tripletLoss(anchors: mx.Array, positives: mx.Array, negatives: mx.Array, options: TripletOptions = {}): mx.Array {
  const { axis = -1, p = 2, margin = 1.0, eps = 1e-6, reduction = 'none' } = options;
  return mx.tidy(() => {
    const dist = (b: mx.Array): mx.Array => mx.sqrt(mx.add(mx.sum(mx.power(mx.subtract(anchors, b), p), axis), eps));
    const loss = mx.maximum(mx.add(mx.subtract(dist(positives), dist(negatives)), margin), 0);
    return reduce('triplet_loss', loss, reduction);
  });
}

/** max(1 - x t, 0). Default 'none'. */
export function hingeLoss(inputs: mx.Array, targets: mx.Array, { reduction = 'none' }: ReductionOptions = {}): mx.Array {
  return mx.tidy(() => reduce('hinge_loss', mx.maximum(mx.subtract(1, mx.multiply(inputs, targets)), 0), reduction));
}

/** 0.5 q^2 + delta (|e| - q), q = min(|e|, delta), e = x - t. Default 'none'. */
export function huberLoss(inputs: mx.Array, targets: mx.Array, { delta = 1.0, reduction = 'none' }: { delta?: number; reduction?: Reduction } = {}): mx.Array {
  return mx.tidy(() => {
    const abs = mx.abs(mx.subtract(inputs, targets));
    const quadratic = mx.minimum(abs, delta);
    const linear = mx.subtract(abs, quadratic);
    return reduce('huber_loss', mx.add(mx.multiply(0.5, mx.square(quadratic)), mx.multiply(delta, linear)), reduction);
  });
}

/** log(cosh(x - t)) as logaddexp(e, -e) - log 2. Default 'none'. */
export function logCoshLoss(inputs: mx.Array, targets: mx.Array, { reduction = 'none' }: ReductionOptions = {}): mx.Array {
  return mx.tidy(() => {
    const e = mx.subtract(inputs, targets);
    return reduce('log_cosh_loss', mx.subtract(mx.logaddexp(e, mx.negative(e)), Math.log(2)), reduction);
  });
}

/** sum(x1 x2, axis) / max(|x1| |x2|, eps). Default axis 1, 'none'. */
export function cosineSimilarityLoss(x1: mx.Array, x2: mx.Array, { axis = 1, eps = 1e-8, reduction = 'none' }: { axis?: number; eps?: number; reduction?: Reduction } = {}): mx.Array {
  return mx.tidy(() => {
    const n1 = mx.linalg.norm(x1, null, axis);
    const n2 = mx.linalg.norm(x2, null, axis);
    const loss = mx.divide(mx.sum(mx.multiply(x1, x2), axis), mx.maximum(mx.multiply(n1, n2), eps));
    return reduce('cosine_similarity_loss', loss, reduction);
  });
}

/** max(0, -t (x1 - x2) + margin). Default 'none'. */
export function marginRankingLoss(inputs1: mx.Array, inputs2: mx.Array, targets: mx.Array, { margin = 0.0, reduction = 'none' }: { margin?: number; reduction?: Reduction } = {}): mx.Array {
  if (!sameShape(inputs1, inputs2) || !sameShape(inputs1, targets)) {
    throw new Error(
      `[margin_ranking_loss] The shapes of the arguments do not match. The provided shapes are inputs1.shape=${shapeStr(inputs1.shape)}, inputs2.shape=${shapeStr(inputs2.shape)}, and targets.shape=${shapeStr(targets.shape)}.`,
    );
  }
  return mx.tidy(() => {
    const loss = mx.maximum(0, mx.add(mx.multiply(mx.negative(targets), mx.subtract(inputs1, inputs2)), margin));
    return reduce('margin_ranking_loss', loss, reduction);
  });
}
