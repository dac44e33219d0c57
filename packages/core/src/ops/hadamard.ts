/** mx.hadamardTransform: the Walsh-Hadamard transform along the last axis (core op, ops/hadamard.cpp). */
import type { MxArray } from '../array.js';
import { callOp } from './call.js';
import { isOptions } from './optional-args.js';

export interface HadamardTransformOptions {
  /** The factor applied to the product; default 1/sqrt(n). */
  scale?: number | null;
}

/**
 * `scale * H @ x` over the last axis of size n = m * 2^k, m in 1, 12, 20, 28 (MLX's sizes;
 * H is Sylvester's matrix, times one of MLX's order-12/20/28 matrices). Integer inputs
 * compute in float32.
 */
export function hadamardTransform(a: MxArray, scale?: number | null | HadamardTransformOptions): MxArray {
  const s = isOptions(scale) ? (scale as HadamardTransformOptions).scale : (scale as number | null | undefined);
  return callOp('hadamard_transform', [a], { scale: s ?? null });
}
