import type { MxArray } from './array.js';
import { type DtypeLike, toDtype } from './dtype.js';
import { BinaryOp, ReduceOp, UnaryOp } from './opcodes.js';
import { backendOf, type Operand, withHandles, wrap } from './operands.js';

const binary = (name: string, op: BinaryOp, a: Operand, b: Operand): MxArray =>
  withHandles(name, [a, b], (backend, [ha, hb]) => wrap(backend, backend.binary(op, ha!, hb!)));

const unary = (name: string, op: UnaryOp, a: Operand): MxArray =>
  withHandles(name, [a], (backend, [h]) => wrap(backend, backend.unary(op, h!)));

/** Element-wise a + b with broadcasting and MLX's type promotion. */
export const add = (a: Operand, b: Operand): MxArray => binary('add', BinaryOp.add, a, b);
/** Element-wise a - b. */
export const subtract = (a: Operand, b: Operand): MxArray => binary('subtract', BinaryOp.subtract, a, b);
/** Element-wise a * b. */
export const multiply = (a: Operand, b: Operand): MxArray => binary('multiply', BinaryOp.multiply, a, b);
/** Element-wise a / b (true division: integer inputs give a float result). */
export const divide = (a: Operand, b: Operand): MxArray => binary('divide', BinaryOp.divide, a, b);

/** Element-wise -a. */
export const negative = (a: Operand): MxArray => unary('negative', UnaryOp.negative, a);
/** Element-wise e^a. */
export const exp = (a: Operand): MxArray => unary('exp', UnaryOp.exp, a);
/** Element-wise natural logarithm. */
export const log = (a: Operand): MxArray => unary('log', UnaryOp.log, a);
/** Element-wise hyperbolic tangent. */
export const tanh = (a: Operand): MxArray => unary('tanh', UnaryOp.tanh, a);

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

const reduce = (name: string, op: ReduceOp, x: Operand, axis: Axis | ReduceOptions, keepdims?: boolean): MxArray => {
  const [axes, keep] = reduceArgs(axis, keepdims);
  return withHandles(name, [x], (backend, [h]) => wrap(backend, backend.reduce(op, h!, axes, keep)));
};

/** Sum over `axis` (all axes when omitted); `keepdims` keeps reduced axes as size 1. */
export const sum = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('sum', ReduceOp.sum, x, axis, keepdims);
/** Mean over `axis` (all axes when omitted). */
export const mean = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('mean', ReduceOp.mean, x, axis, keepdims);
/** Maximum over `axis` (all axes when omitted). */
export const max = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('max', ReduceOp.max, x, axis, keepdims);

/** The same values with a new shape (one dimension may be -1). */
export function reshape(x: MxArray, shape: number | readonly number[]): MxArray {
  const backend = backendOf('reshape', x);
  return wrap(backend, backend.reshape(x.handle, typeof shape === 'number' ? [shape] : shape));
}

/** Permutes the axes (reverses them when `axes` is omitted). */
export function transpose(x: MxArray, axes?: readonly number[] | null): MxArray {
  const backend = backendOf('transpose', x);
  return wrap(backend, backend.transpose(x.handle, axes ?? null));
}

/** Broadcasts `x` to `shape` (NumPy rules). */
export function broadcastTo(x: Operand, shape: number | readonly number[]): MxArray {
  const s = typeof shape === 'number' ? [shape] : shape;
  return withHandles('broadcast_to', [x], (backend, [h]) => wrap(backend, backend.broadcastTo(h!, s)));
}

/** Converts to `dtype` (C-style casts: floats truncate toward zero into integers). */
export function astype(x: MxArray, dtype: DtypeLike): MxArray {
  const backend = backendOf('astype', x);
  return wrap(backend, backend.astype(x.handle, toDtype(dtype).code));
}

/** Matrix product with NumPy semantics: 1-D operands are promoted, batch dims broadcast. */
export function matmul(a: MxArray, b: MxArray): MxArray {
  const backend = backendOf('matmul', a, b);
  return wrap(backend, backend.matmul(a.handle, b.handle));
}
