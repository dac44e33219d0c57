import type { MxArray } from './array.js';
import { type DtypeLike, toDtype } from './dtype.js';
import { type Operand, withHandles, wrap } from './operands.js';
import { axesParam, listParam } from './params.js';

/** Runs a core op whose operands may be JS scalars (typed by the weak-scalar rule). */
const apply = (name: string, operands: readonly Operand[], ints?: readonly number[]): MxArray =>
  withHandles(name, operands, (backend, handles) => wrap(backend, backend.op1(name, handles, ints)));

/** Element-wise a + b with broadcasting and MLX's type promotion. */
export const add = (a: Operand, b: Operand): MxArray => apply('add', [a, b]);
/** Element-wise a - b. */
export const subtract = (a: Operand, b: Operand): MxArray => apply('subtract', [a, b]);
/** Element-wise a * b. */
export const multiply = (a: Operand, b: Operand): MxArray => apply('multiply', [a, b]);
/** Element-wise a / b (true division: integer inputs give a float result). */
export const divide = (a: Operand, b: Operand): MxArray => apply('divide', [a, b]);

/** Element-wise -a. */
export const negative = (a: Operand): MxArray => apply('negative', [a]);
/** Element-wise e^a. */
export const exp = (a: Operand): MxArray => apply('exp', [a]);
/** Element-wise natural logarithm. */
export const log = (a: Operand): MxArray => apply('log', [a]);
/** Element-wise hyperbolic tangent. */
export const tanh = (a: Operand): MxArray => apply('tanh', [a]);

/** Axes to reduce: one, several, or all when omitted / null. */
export type Axis = number | readonly number[] | null | undefined;
export interface ReduceOptions {
  axis?: Axis;
  keepdims?: boolean;
}

/** Accepts both `(x, axis?, keepdims?)` and `(x, {axis, keepdims})`. */
function reduceArgs(axisOrOptions: Axis | ReduceOptions, keepdims: boolean | undefined): [readonly number[] | null, boolean] {
  if (typeof axisOrOptions === 'object' && axisOrOptions !== null && !Array.isArray(axisOrOptions)) {
    const o = axisOrOptions as ReduceOptions;
    return [normaliseAxes(o.axis), o.keepdims ?? false];
  }
  return [normaliseAxes(axisOrOptions as Axis), keepdims ?? false];
}

const normaliseAxes = (axis: Axis): readonly number[] | null =>
  axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : axis;

const reduce = (name: string, x: Operand, axis: Axis | ReduceOptions, keepdims?: boolean): MxArray => {
  const [axes, keep] = reduceArgs(axis, keepdims);
  return apply(name, [x], [...axesParam(axes), keep ? 1 : 0]);
};

/** Sum over `axis` (all axes when omitted); `keepdims` keeps reduced axes as size 1. */
export const sum = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('sum', x, axis, keepdims);
/** Mean over `axis` (all axes when omitted). */
export const mean = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('mean', x, axis, keepdims);
/** Maximum over `axis` (all axes when omitted). */
export const max = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('max', x, axis, keepdims);

/** The same values with a new shape (one dimension may be -1). */
export function reshape(x: MxArray, shape: number | readonly number[]): MxArray {
  return apply('reshape', [x], listParam(typeof shape === 'number' ? [shape] : shape));
}

/** Permutes the axes (reverses them when `axes` is omitted). */
export function transpose(x: MxArray, axes?: readonly number[] | null): MxArray {
  return apply('transpose', [x], axesParam(axes ?? null));
}

/** Broadcasts `x` to `shape` (NumPy rules). */
export function broadcastTo(x: Operand, shape: number | readonly number[]): MxArray {
  return apply('broadcast_to', [x], listParam(typeof shape === 'number' ? [shape] : shape));
}

/** Identity in value; blocks gradients (its derivative is zero). */
export const stopGradient = (x: Operand): MxArray => apply('stop_gradient', [x]);

/** The same bytes read as `dtype` (no conversion); the last axis scales by the item sizes' ratio. */
export function view(x: MxArray, dtype: DtypeLike): MxArray {
  return apply('view', [x], [toDtype(dtype).code]);
}

/** Converts to `dtype` (C-style casts: floats truncate toward zero into integers). */
export function astype(x: MxArray, dtype: DtypeLike): MxArray {
  return apply('astype', [x], [toDtype(dtype).code]);
}

/** Matrix product with NumPy semantics: 1-D operands are promoted, batch dims broadcast. */
export function matmul(a: MxArray, b: MxArray): MxArray {
  return apply('matmul', [a, b]);
}
