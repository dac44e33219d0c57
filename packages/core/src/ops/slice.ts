/** Strided slicing: `slice` (a view of the input) and `sliceUpdate` (a copy with a region replaced). */
import type { MxArray } from '../array.js';
import type { Operand } from '../operands.js';
import { callOp } from './call.js';

// A start that is not a list is left to the schema encoder, whose error names the argument.
const stepsOrOnes = (start: readonly number[], strides?: readonly number[]): readonly number[] | undefined =>
  strides ?? (Array.isArray(start) ? start.map(() => 1) : undefined);

/**
 * Python-style slice of every axis: `start`, `stop` and optional `strides` have one entry
 * per axis; negative indices count from the end, out-of-range ones are clamped, and a
 * negative step walks backwards. `mx.slice(x, [0, 1], [2, 3])` is `x[0:2, 1:3]`.
 */
export function slice(a: MxArray, start: readonly number[], stop: readonly number[], strides?: readonly number[]): MxArray {
  const steps = stepsOrOnes(start, strides);
  return callOp('slice', [a], { start, stop, strides: steps ?? start });
}

/** `src` with the region `slice(src, start, stop, strides)` replaced by `update` (broadcast to it). */
export function sliceUpdate(
  src: MxArray,
  update: Operand,
  start: readonly number[],
  stop: readonly number[],
  strides?: readonly number[],
): MxArray {
  const steps = stepsOrOnes(start, strides);
  return callOp('slice_update', [src, update], { start, stop, strides: steps ?? start });
}
