/** clipGradNorm: MLX's clip_grad_norm, consuming the gradient tree as updates do. */
import * as mx from '@mlxjs/core';
import { consumeGradients } from './optimizer.js';

/**
 * Scales the gradients so that their global L2 norm is at most `maxNorm`:
 * g * min(maxNorm / (norm + 1e-6), 1). Returns `[clipped, totalNorm]`; the given gradient
 * arrays are freed (mx.keep them to hold them).
 */
export function clipGradNorm(grads: unknown, maxNorm: number): [any, mx.Array] {
  return mx.tidy(() => {
    const normSquared = mx.utils.treeReduce((acc: mx.Array | number, g: unknown) => (g instanceof mx.Array ? mx.add(acc, mx.sum(mx.square(g))) : acc), grads, 0 as mx.Array | number);
    const totalNorm = mx.sqrt(normSquared);
    const normalizer = mx.minimum(mx.divide(maxNorm, mx.add(totalNorm, 1e-6)), 1.0);
    const clipped = mx.utils.treeMap((g: unknown) => (g instanceof mx.Array ? mx.multiply(g, normalizer) : g), grads);
    consumeGradients(grads, undefined, 'clipGradNorm');
    return [clipped, totalNorm] as [any, mx.Array];
  });
}
