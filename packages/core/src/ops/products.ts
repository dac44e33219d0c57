/**
 * Products family: addmm, inner, outer, tensordot. Each is a composition of existing core ops
 * (matmul, transpose, reshape, multiply, add), so vjp, jvp and vmap come from the parts.
 */
import { MxArray } from '../array.js';
import { tidy } from '../memory.js';
import { add, matmul, multiply, reshape, transpose } from '../ops.js';
import { describe } from '../operands.js';
import { optionalArgs } from './optional-args.js';

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};

/** `axis` in [-ndim, ndim) as a non-negative index, else an error naming the op. */
function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new Error(`[${op}] Invalid axis ${axis} for array with ${ndim} dimensions.`);
  }
  return axis < 0 ? axis + ndim : axis;
}

export interface AddmmOptions {
  alpha?: number;
  beta?: number;
}

/** alpha * (a @ b) + beta * c, with matmul's 1-D promotion and batch broadcasting. */
export function addmm(
  c: MxArray,
  a: MxArray,
  b: MxArray,
  alpha?: number | AddmmOptions,
  beta?: number | AddmmOptions,
): MxArray {
  needArray('addmm', c, 'c');
  needArray('addmm', a, 'a');
  needArray('addmm', b, 'b');
  const o = optionalArgs<AddmmOptions>(['alpha', 'beta'], [alpha, beta]);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error('[addmm] Got 0 dimension input. Inputs must have at least one dimension.');
  }
  const al = o.alpha ?? 1;
  const be = o.beta ?? 1;
  return tidy(() => {
    // The product is float (matmul checks); c joins its dtype by promotion.
    let ab = matmul(a, b);
    if (al !== 1) ab = multiply(ab, al);
    const cc = be === 1 ? c : multiply(c, be);
    return add(ab, cc);
  });
}

/** The axes of `a` and `b` tensordot contracts: the last n of a with the first n of b, or two lists. */
export type TensordotAxes = number | readonly [readonly number[], readonly number[]] | readonly [number, number];

/**
 * Sums the products of `a` and `b` over the given axes: `axes` = n contracts the last n axes
 * of a with the first n of b (2 by default); `[axesA, axesB]` pairs them one by one.
 */
export function tensordot(a: MxArray, b: MxArray, axes: TensordotAxes | { axes?: TensordotAxes } = 2): MxArray {
  needArray('tensordot', a, 'a');
  needArray('tensordot', b, 'b');
  const spec: TensordotAxes =
    typeof axes === 'object' && axes !== null && !Array.isArray(axes) ? ((axes as { axes?: TensordotAxes }).axes ?? 2) : (axes as TensordotAxes);
  let axA: number[];
  let axB: number[];
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0) throw new Error('[tensordot] axes must be a non-negative integer.');
    if (spec > a.ndim || spec > b.ndim) {
      throw new Error(`[tensordot] axes ${spec} exceeds the number of dimensions of a (${a.ndim}) or b (${b.ndim}).`);
    }
    axA = Array.from({ length: spec }, (_, i) => a.ndim - spec + i);
    axB = Array.from({ length: spec }, (_, i) => i);
  } else {
    if (!Array.isArray(spec) || spec.length !== 2) throw new Error('[tensordot] axes must be an integer or a pair of axis lists.');
    const [x, y] = spec as readonly unknown[];
    const asList = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? [...(v as number[])] : []);
    axA = asList(x);
    axB = asList(y);
    if (axA.length !== axB.length) throw new Error('[tensordot] a and b must have the same number of contracted axes.');
    axA = axA.map((ax) => normAxis('tensordot', ax, a.ndim));
    axB = axB.map((ax) => normAxis('tensordot', ax, b.ndim));
    if (new Set(axA).size !== axA.length || new Set(axB).size !== axB.length) {
      throw new Error('[tensordot] Repeated axis.');
    }
  }
  for (let i = 0; i < axA.length; i++) {
    if (a.shape[axA[i]!] !== b.shape[axB[i]!]) {
      throw new Error('[tensordot] a and b must have the same shape on the contracted axes.');
    }
  }
  const freeA = a.shape.map((_, i) => i).filter((i) => !axA.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !axB.includes(i));
  const prod = (xs: number[]): number => xs.reduce((p, v) => p * v, 1);
  const k = prod(axA.map((i) => a.shape[i]!));
  const m = prod(freeA.map((i) => a.shape[i]!));
  const n = prod(freeB.map((i) => b.shape[i]!));
  const outShape = [...freeA.map((i) => a.shape[i]!), ...freeB.map((i) => b.shape[i]!)];
  return tidy(() => {
    // Contracted axes last in a and first in b, so the sum is one [m, k] @ [k, n] product.
    const a2 = reshape(transpose(a, [...freeA, ...axA]), [m, k]);
    const b2 = reshape(transpose(b, [...axB, ...freeB]), [k, n]);
    return reshape(matmul(a2, b2), outShape);
  });
}

/** Ordinary inner product of vectors; in general a sum over the last axes of a and b. */
export function inner(a: MxArray, b: MxArray): MxArray {
  needArray('inner', a, 'a');
  needArray('inner', b, 'b');
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) {
    throw new Error(
      `[inner] Last dimension of inputs must match but got shapes (${a.shape.join(',')}) and (${b.shape.join(',')}).`,
    );
  }
  return tensordot(a, b, [[-1], [-1]]);
}

/** Outer product of the flattened a and b: out[i, j] = a[i] * b[j]. */
export function outer(a: MxArray, b: MxArray): MxArray {
  needArray('outer', a, 'a');
  needArray('outer', b, 'b');
  return tidy(() => multiply(reshape(a, [-1, 1]), reshape(b, [-1])));
}
