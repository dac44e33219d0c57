/**
 * Slicing: `slice` (a view of the input) and `sliceUpdate` (a copy with a region replaced),
 * each in MLX's two forms: static (start/stop/strides lists, Python-style) and dynamic (an
 * array of start indices on some axes, MLX's DynamicSlice / DynamicSliceUpdate, so the start
 * may be computed inside compile or vmap without retracing).
 */
import { MxArray } from '../array.js';
import { describe, type Operand } from '../operands.js';
import { callOp } from './call.js';

// A start that is not a list is left to the schema encoder, whose error names the argument.
const stepsOrOnes = (start: readonly number[], strides?: readonly number[]): readonly number[] | undefined =>
  strides ?? (Array.isArray(start) ? start.map(() => 1) : undefined);

const needList = (op: string, x: unknown, what: string): readonly number[] => {
  if (!Array.isArray(x)) throw new TypeError(`[${op}] Expected ${what} to be a list of integers, got ${describe(x)}.`);
  return x as readonly number[];
};

/**
 * Static form: a Python-style slice of every axis. `start`, `stop` and optional `strides`
 * have one entry per axis; negative indices count from the end, out-of-range ones are
 * clamped, and a negative step walks backwards. `mx.slice(x, [0, 1], [2, 3])` is `x[0:2, 1:3]`.
 *
 * Dynamic form (MLX's `slice(a, start_indices, axes, slice_size)`): `start` is an integer
 * array (0-d or 1-D) holding the start on each of `axes`; the result has shape `sliceSize`
 * (one entry per axis of a; other axes start at 0). Starts are clamped so the region lies
 * inside `a`.
 */
export function slice(a: MxArray, start: readonly number[], stop: readonly number[], strides?: readonly number[]): MxArray;
export function slice(a: MxArray, start: MxArray, axes: readonly number[], sliceSize: readonly number[]): MxArray;
export function slice(
  a: MxArray,
  start: readonly number[] | MxArray,
  stopOrAxes: readonly number[],
  third?: readonly number[],
): MxArray {
  if (start instanceof MxArray) {
    const axes = needList('slice', stopOrAxes, 'axes');
    const sliceSize = needList('slice', third, 'sliceSize');
    return callOp('slice_dynamic', [a, start], { axes, sliceSize });
  }
  const steps = stepsOrOnes(start, third);
  return callOp('slice', [a], { start, stop: stopOrAxes, strides: steps ?? start });
}

/**
 * Static form: `src` with the region `slice(src, start, stop, strides)` replaced by `update`
 * (broadcast to it). Dynamic form (MLX's `slice_update(src, update, start_indices, axes)`):
 * the region of update's shape starting at the integer array `start` on `axes` (0 elsewhere;
 * clamped to fit) replaced by `update`.
 */
export function sliceUpdate(
  src: MxArray,
  update: Operand,
  start: readonly number[],
  stop: readonly number[],
  strides?: readonly number[],
): MxArray;
export function sliceUpdate(src: MxArray, update: Operand, start: MxArray, axes: readonly number[]): MxArray;
export function sliceUpdate(
  src: MxArray,
  update: Operand,
  start: readonly number[] | MxArray,
  stopOrAxes: readonly number[],
  strides?: readonly number[],
): MxArray {
  if (start instanceof MxArray) {
    const axes = needList('slice_update', stopOrAxes, 'axes');
    return callOp('slice_update_dynamic', [src, update, start], { axes });
  }
  const steps = stepsOrOnes(start, strides);
  return callOp('slice_update', [src, update], { start, stop: stopOrAxes, strides: steps });
}
