/**
 * Comparison family: element-wise predicates (bool results, broadcasting, MLX's promotion of
 * the inputs), where, isclose / allclose / arrayEqual, and their Array methods.
 */
import { MxArray } from '../array.js';
import { type Operand, withHandles, wrap } from '../operands.js';
import { type OpParams, callOp, runOp1 } from './call.js';

const apply = (name: string, operands: readonly Operand[], params?: OpParams): MxArray => callOp(name, operands, params);

/** Element-wise a == b (NaN equals nothing). */
export const equal = (a: Operand, b: Operand): MxArray => apply('equal', [a, b]);
/** Element-wise a != b. */
export const notEqual = (a: Operand, b: Operand): MxArray => apply('not_equal', [a, b]);
/** Element-wise a > b. */
export const greater = (a: Operand, b: Operand): MxArray => apply('greater', [a, b]);
/** Element-wise a >= b. */
export const greaterEqual = (a: Operand, b: Operand): MxArray => apply('greater_equal', [a, b]);
/** Element-wise a < b. */
export const less = (a: Operand, b: Operand): MxArray => apply('less', [a, b]);
/** Element-wise a <= b. */
export const lessEqual = (a: Operand, b: Operand): MxArray => apply('less_equal', [a, b]);

/**
 * `condition ? x : y` element-wise, broadcasting all three; x and y are promoted together (a JS
 * number among them is weak with respect to the other, not to the condition, as in MLX).
 */
export const where = (condition: Operand, x: Operand, y: Operand): MxArray =>
  withHandles('where', [x, y], (backend, [hx, hy]) =>
    withHandles('where', [condition], (_, [hc]) => wrap(backend, runOp1(backend, 'where', [hc!, hx!, hy!]))),
  );

export interface IsCloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

function closeArgs(rtol: number | IsCloseOptions | undefined, atol?: number, equalNan?: boolean): OpParams {
  const o: IsCloseOptions = typeof rtol === 'object' && rtol !== null ? rtol : { rtol: rtol ?? undefined, atol, equalNan };
  return { rtol: o.rtol ?? 1e-5, atol: o.atol ?? 1e-8, equalNan: !!o.equalNan };
}

/** Element-wise |a - b| <= atol + rtol * |b| (NumPy's rule; NaN is close to NaN only with equalNan). */
export function isclose(a: Operand, b: Operand, rtol?: number | IsCloseOptions, atol?: number, equalNan?: boolean): MxArray {
  return apply('isclose', [a, b], closeArgs(rtol, atol, equalNan));
}

/** Whether isclose holds for every element (a 0-d bool array). */
export function allclose(a: Operand, b: Operand, rtol?: number | IsCloseOptions, atol?: number, equalNan?: boolean): MxArray {
  return apply('allclose', [a, b], closeArgs(rtol, atol, equalNan));
}

/** Whether a and b have the same shape and equal values (a 0-d bool array; false for different shapes). */
export function arrayEqual(a: Operand, b: Operand, equalNan?: boolean | { equalNan?: boolean }): MxArray {
  const flag = typeof equalNan === 'object' && equalNan !== null ? equalNan.equalNan : equalNan;
  return apply('array_equal', [a, b], { equalNan: !!flag });
}

declare module '../array.js' {
  interface MxArray {
    equal(other: Operand): MxArray;
    notEqual(other: Operand): MxArray;
    greater(other: Operand): MxArray;
    greaterEqual(other: Operand): MxArray;
    less(other: Operand): MxArray;
    lessEqual(other: Operand): MxArray;
  }
}

const proto = MxArray.prototype;
proto.equal = function (other) { return equal(this, other); };
proto.notEqual = function (other) { return notEqual(this, other); };
proto.greater = function (other) { return greater(this, other); };
proto.greaterEqual = function (other) { return greaterEqual(this, other); };
proto.less = function (other) { return less(this, other); };
proto.lessEqual = function (other) { return lessEqual(this, other); };
