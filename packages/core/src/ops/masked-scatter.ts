/**
 * `x.at(mask).set(v)` with a boolean mask: MLX's masked_scatter. The k-th true position of
 * the mask (in row-major order) takes the k-th element of v flattened; the other positions
 * keep x. Built from ordinary ops (a running count of the mask picks each position's
 * element of v), so it has no data-dependent shape and grad, vmap and compile go through.
 */
import type { MxArray } from '../array.js';
import { callOp } from './call.js';
import { astype, minimum } from './elementwise.js';
import { cumsum } from './reduce.js';
import { broadcastTo, reshape } from './shape.js';
import { int32 } from '../dtype.js';

/** The mask as x's shape: its axes are x's leading axes (NumPy), broadcast over the rest. */
export function maskForTarget(op: string, x: MxArray, mask: MxArray): MxArray {
  if (mask.ndim === 0) throw new Error(`[${op}] Scalar masks are not supported.`);
  if (mask.ndim > x.ndim) {
    throw new Error(`[${op}] The mask cannot have more dimensions than the target (${mask.ndim} > ${x.ndim}).`);
  }
  mask.shape.forEach((d, i) => {
    if (d !== x.shape[i] && d !== 1) {
      throw new Error(
        `[${op}] A mask of shape (${mask.shape.join(',')}) does not match the leading axes of an array of shape (${x.shape.join(',')}).`,
      );
    }
  });
  const trailing = Array(x.ndim - mask.ndim).fill(1) as number[];
  return broadcastTo(reshape(mask, [...mask.shape, ...trailing]), x.shape);
}

/**
 * The values scattered to the true positions of `mask` (x's shape, already broadcast): at a
 * true position, the element of `src` (flattened) whose index is the number of true
 * positions before it; false positions hold an arbitrary element of src (the caller selects).
 * A source with fewer elements than true positions repeats its last element there (MLX
 * leaves those positions unspecified).
 */
export function maskedValues(x: MxArray, mask: MxArray, src: MxArray): MxArray {
  const flat = reshape(astype(src, x.dtype), [-1]);
  if (flat.size === 0) throw new Error('[masked_scatter] The source has no elements.');
  const before = cumsum(astype(reshape(mask, [-1]), int32), { axis: 0, inclusive: false });
  const index = minimum(before, flat.size - 1);
  return reshape(callOp('take', [flat, index], { axis: 0 }), x.shape);
}
