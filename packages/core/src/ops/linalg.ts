/**
 * mx.linalg: norm (vector and matrix norms as compositions of existing reductions and svd, so vjp,
 * jvp and vmap come from the parts), and inv, solve, cholesky, qr, svd (core ops with a CPU kernel,
 * float32/float64, batched over leading axes). Exported as the `linalg` namespace.
 */
import { MxArray } from '../array.js';
import { float32, isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { astype, max, sum, transpose } from '../ops.js';
import { describe, withHandles, wrap } from '../operands.js';
import { notEqual } from './compare.js';
import { abs, power, sqrt, square } from './elementwise.js';
import { min } from './reduce.js';
import { expandDims, squeeze } from './shape.js';
import { isOptions } from './optional-args.js';

export type NormOrd = number | 'fro' | 'nuc';

export interface NormOptions {
  ord?: NormOrd | null;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

const OP = 'linalg::norm';

function vectorNorm(x: MxArray, ord: NormOrd | null, axis: number[] | null, keepdims: boolean): MxArray {
  if (typeof ord === 'string') throw new Error(`[${OP}] Norm type '${ord}' is not supported for vectors.`);
  const ax = axis ?? undefined;
  if (ord === null || ord === 2) return sqrt(sum(square(x), ax, keepdims));
  if (ord === Infinity) return max(abs(x), ax, keepdims);
  if (ord === -Infinity) return min(abs(x), ax, keepdims);
  if (ord === 0) return astype(sum(notEqual(x, 0), ax, keepdims), x.dtype);
  if (ord === 1) return sum(abs(x), ax, keepdims);
  if (Number.isNaN(ord)) throw new Error(`[${OP}] Invalid ord NaN for vector norm.`);
  return power(sum(power(abs(x), ord), ax, keepdims), 1 / ord);
}

function matrixNorm(x: MxArray, ord: NormOrd | null, axis: [number, number], keepdims: boolean): MxArray {
  const [row, col] = axis;
  if (ord === null || ord === 'fro') return sqrt(sum(square(x), axis, keepdims));
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // From the singular values of the matrices in (row, col), moved last.
    const rest = x.shape.map((_, i) => i).filter((i) => i !== row && i !== col);
    const s = svd(transpose(x, [...rest, row, col]), false);
    const r = ord === 'nuc' ? sum(s, -1) : ord === 2 ? max(s, -1) : min(s, -1);
    return keepdims ? expandDims(r, [row, col].sort((a, b) => a - b)) : r;
  }
  // Sum |x| over one axis, then the max or min over the other; kept dims so the axes stay put.
  let reduced: MxArray;
  if (ord === 1) reduced = max(sum(abs(x), row, true), col, true);
  else if (ord === -1) reduced = min(sum(abs(x), row, true), col, true);
  else if (ord === Infinity) reduced = max(sum(abs(x), col, true), row, true);
  else if (ord === -Infinity) reduced = min(sum(abs(x), col, true), row, true);
  else throw new Error(`[${OP}] Invalid ord ${ord} for matrix norm.`);
  return keepdims ? reduced : squeeze(reduced, [row, col]);
}

/**
 * Vector or matrix norm. Without `ord` and `axis`: the 2-norm of the flattened array. `axis`
 * (one axis: vector norm, two: matrix norm; default all axes of a 1-D or 2-D input when
 * `ord` is given). Vector ords: 2 (default), 1, Infinity, -Infinity, 0 (count of non-zeros),
 * any p. Matrix ords: 'fro' (default), 'nuc', 2, -2 (singular values), 1, -1, Infinity, -Infinity. Integer inputs are
 * computed in float32.
 */
export function norm(
  x: MxArray,
  ord?: NormOrd | null | NormOptions,
  axis?: number | readonly number[] | null | NormOptions,
  keepdims?: boolean | NormOptions,
): MxArray {
  if (!(x instanceof MxArray)) throw new TypeError(`[${OP}] Expected an array, got ${describe(x)}.`);
  const args = [ord, axis, keepdims];
  const at = args.findIndex((a) => isOptions(a));
  const o: NormOptions = at < 0 ? {} : (args[at] as NormOptions);
  const pick = <T>(i: number, k: keyof NormOptions): T | undefined =>
    (at < 0 || i < at) && args[i] !== undefined ? (args[i] as T) : (o[k] as T | undefined);
  const ordV = pick<NormOrd | null>(0, 'ord') ?? null;
  const axisV = pick<number | readonly number[] | null>(1, 'axis') ?? null;
  const keep = pick<boolean>(2, 'keepdims') ?? false;
  if (ordV !== null && typeof ordV !== 'number' && ordV !== 'fro' && ordV !== 'nuc') {
    throw new Error(`[${OP}] Invalid ord ${JSON.stringify(ordV)}.`);
  }
  let axes: number[] | null = axisV === null ? null : typeof axisV === 'number' ? [axisV] : [...axisV];
  if (axes !== null) {
    if (axes.length === 0 || axes.length > 2) throw new Error(`[${OP}] Received ${axes.length} axes: a norm is over 1 or 2 axes.`);
    axes = axes.map((a) => {
      if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) throw new Error(`[${OP}] Invalid axis ${a} for array with ${x.ndim} dimensions.`);
      return a < 0 ? a + x.ndim : a;
    });
    if (axes.length === 2 && axes[0] === axes[1]) throw new Error(`[${OP}] Received repeated axes.`);
  }
  return tidy(() => {
    const xf = isFloating(x.dtype) ? x : astype(x, float32);
    if (axes === null) {
      if (ordV === null) {
        // 2-norm of everything (Frobenius for matrices).
        return sqrt(sum(square(xf), undefined, keep));
      }
      if (x.ndim === 1) return vectorNorm(xf, ordV, [0], keep);
      if (x.ndim === 2) return matrixNorm(xf, ordV, [0, 1], keep);
      throw new Error(`[${OP}] Received array with ${x.ndim} dimensions: ord needs a 1-D or 2-D array or an explicit axis.`);
    }
    return axes.length === 1 ? vectorNorm(xf, ordV, axes, keep) : matrixNorm(xf, ordV, axes as [number, number], keep);
  });
}

const core = (name: string, op: string, xs: readonly MxArray[], ints: readonly number[] = []): MxArray => {
  xs.forEach((x) => {
    if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected an array, got ${describe(x)}.`);
  });
  return withHandles(op, xs, (backend, handles) => wrap(backend, backend.op1(name, handles, ints)));
};

/** The inverse of each square matrix in the last two axes (an Error if one is singular). */
export const inv = (a: MxArray): MxArray => core('linalg_inv', 'linalg::inv', [a]);

/** x with a x = b for square a [..., n, n] and b a vector [..., n] or matrix [..., n, k]. */
export const solve = (a: MxArray, b: MxArray): MxArray => core('linalg_solve', 'linalg::solve', [a, b]);

/**
 * The Cholesky factor of each symmetric positive-definite matrix: lower L with a = L L^T, or
 * with `upper` U = L^T. Only the lower triangle of `a` is read; an Error if not positive definite.
 */
export function cholesky(a: MxArray, upper: boolean | { upper?: boolean } = false): MxArray {
  const u = typeof upper === 'object' && upper !== null ? (upper.upper ?? false) : upper;
  return core('linalg_cholesky', 'linalg::cholesky', [a], [u ? 1 : 0]);
}

/**
 * The QR factorization of each matrix in the last two axes: [q [..., m, k], r [..., k, n]]
 * with k = min(m, n), q with orthonormal columns and r upper triangular (Householder).
 */
export function qr(a: MxArray): [MxArray, MxArray] {
  if (!(a instanceof MxArray)) throw new TypeError(`[linalg::qr] Expected an array, got ${describe(a)}.`);
  return withHandles('linalg::qr', [a], (backend, handles) => {
    const [q, r] = backend.op('linalg_qr', handles);
    return [wrap(backend, q!), wrap(backend, r!)];
  });
}

/**
 * The singular value decomposition of each matrix in the last two axes: [u [..., m, m], s
 * [..., k] (descending), vt [..., n, n]] with a = u[:, :k] diag(s) vt[:k], or only s when
 * `computeUv` is false (the form that has vjp and jvp).
 */
export function svd(a: MxArray, computeUv?: true | { computeUv?: true }): [MxArray, MxArray, MxArray];
export function svd(a: MxArray, computeUv: false | { computeUv: false }): MxArray;
export function svd(a: MxArray, computeUv: boolean | { computeUv?: boolean } = true): [MxArray, MxArray, MxArray] | MxArray {
  if (!(a instanceof MxArray)) throw new TypeError(`[linalg::svd] Expected an array, got ${describe(a)}.`);
  const uv = typeof computeUv === 'object' && computeUv !== null ? (computeUv.computeUv ?? true) : computeUv;
  return withHandles('linalg::svd', [a], (backend, handles) => {
    const outs = backend.op('linalg_svd', handles, [uv ? 1 : 0]);
    if (!uv) return wrap(backend, outs[0]!);
    return [wrap(backend, outs[0]!), wrap(backend, outs[1]!), wrap(backend, outs[2]!)] as [MxArray, MxArray, MxArray];
  });
}
