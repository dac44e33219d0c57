/**
 * The linalg family: matmul; the products addmm, inner, outer, tensordot; and the
 * mx.linalg namespace (its members are listed in linalg-namespace.ts): norm (vector and
 * matrix norms as compositions of existing reductions and svd), and inv, solve, cholesky,
 * qr, svd, triInv, choleskyInv, solveTriangular, pinv, cross, luFactor, lu, det, slogdet,
 * eigh, eigvalsh (core ops: CPU kernels or compositions in core-cpp/src/ops/linalg.cpp,
 * float32/float64, batched over leading axes).
 *
 * The products are compositions of existing core ops (matmul, transpose, reshape, multiply,
 * add), so vjp, jvp and vmap come from the parts.
 * (einsum and einsumPath are in einsum.ts.)
 */
import { describeValue } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { float32, isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe } from '../operands.js';
import { type OpParams, callOp, callOpMulti } from './call.js';
import { notEqual } from './compare.js';
import { abs, add, astype, multiply, power, sqrt, square } from './elementwise.js';
import { isOptions, optionalArgs } from './optional-args.js';
import { max, min, sum } from './reduce.js';
import { broadcastTo, diagonal, expandDims, reshape, squeeze, transpose } from './shape.js';

/** Matrix product with NumPy semantics: 1-D operands are promoted, batch dims broadcast. */
export function matmul(a: MxArray, b: MxArray): MxArray {
  return callOp('matmul', [a, b]);
}

// ---- products ----
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
    // c must broadcast to the product's shape (MLX): it may not add axes or grow it.
    const out = ab.shape;
    const lead = out.length - c.ndim;
    if (lead < 0 || c.shape.some((d, i) => d !== 1 && d !== out[lead + i])) {
      throw new Error(`[addmm] c with shape (${c.shape.join(',')}) cannot be broadcast to the output shape (${out.join(',')}).`);
    }
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
      throw new Error(`[tensordot] axes ${describeValue(spec)} exceeds the number of dimensions of a (${a.ndim}) or b (${b.ndim}).`);
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

// ---- mx.linalg ----
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
    if (typeof ordV === 'string') throw new Error(`[${OP}] Invalid ord ${JSON.stringify((ordV as string).slice(0, 40))}.`);
    throw new Error(`[${OP}] ord must be a number, 'fro' or 'nuc', got ${describeValue(ordV)}.`);
  }
  if (axisV !== null && typeof axisV !== 'number' && !Array.isArray(axisV)) {
    throw new Error(`[${OP}] axis must be an integer or a list of integers, got ${describeValue(axisV)}.`);
  }
  let axes: number[] | null = axisV === null ? null : typeof axisV === 'number' ? [axisV] : [...axisV];
  if (axes !== null) {
    if (axes.length === 0 || axes.length > 2) throw new Error(`[${OP}] Received ${axes.length} axes: a norm is over 1 or 2 axes.`);
    axes = axes.map((a) => {
      if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) throw new Error(`[${OP}] Invalid axis ${describeValue(a)} for array with ${x.ndim} dimensions.`);
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

const core = (name: string, op: string, xs: readonly MxArray[], params?: OpParams): MxArray => {
  xs.forEach((x) => {
    if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected an array, got ${describe(x)}.`);
  });
  return callOp(name, xs, params, op);
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
  return core('linalg_cholesky', 'linalg::cholesky', [a], { upper: !!u });
}

/**
 * The QR factorization of each matrix in the last two axes: [q [..., m, k], r [..., k, n]]
 * with k = min(m, n), q with orthonormal columns and r upper triangular (Householder).
 */
export function qr(a: MxArray): [MxArray, MxArray] {
  if (!(a instanceof MxArray)) throw new TypeError(`[linalg::qr] Expected an array, got ${describe(a)}.`);
  const [q, r] = callOpMulti('linalg_qr', [a], undefined, 'linalg::qr');
  return [q!, r!];
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
  const outs = callOpMulti('linalg_svd', [a], { computeUv: !!uv }, 'linalg::svd');
  if (!uv) return outs[0]!;
  return [outs[0]!, outs[1]!, outs[2]!];
}

/** `{ upper }` or a bare boolean (MLX's keyword) as a boolean. */
const upperOf = (upper: boolean | { upper?: boolean } | undefined): boolean =>
  typeof upper === 'object' && upper !== null ? !!upper.upper : !!upper;

const multi = (name: string, op: string, a: MxArray, params?: OpParams): MxArray[] => {
  if (!(a instanceof MxArray)) throw new TypeError(`[${op}] Expected an array, got ${describe(a)}.`);
  return callOpMulti(name, [a], params, op);
};

/** The inverse of each triangular matrix (lower, or upper with `upper`); only that triangle is read. */
export const triInv = (a: MxArray, upper: boolean | { upper?: boolean } = false): MxArray =>
  core('linalg_tri_inv', 'linalg::tri_inv', [a], { upper: upperOf(upper) });

/** The inverse of A = L L^T (or U^T U with `upper`) from its Cholesky factor. */
export const choleskyInv = (L: MxArray, upper: boolean | { upper?: boolean } = false): MxArray =>
  core('linalg_cholesky_inv', 'linalg::cholesky_inv', [L], { upper: upperOf(upper) });

/** x with a x = b for triangular a (lower, or upper with `upper`); b is [n] or [..., n, k]. */
export const solveTriangular = (a: MxArray, b: MxArray, upper: boolean | { upper?: boolean } = false): MxArray =>
  core('linalg_solve_triangular', 'linalg::solve_triangular', [a, b], { upper: upperOf(upper) });

/** The Moore-Penrose pseudo-inverse of each matrix, from its SVD. */
export const pinv = (a: MxArray): MxArray => core('linalg_pinv', 'linalg::pinv', [a]);

/** The cross product of 2- or 3-vectors along `axis` (default -1); broadcasts. */
export function cross(a: MxArray, b: MxArray, axis: number | { axis?: number } = -1): MxArray {
  const ax = typeof axis === 'object' && axis !== null ? (axis.axis ?? -1) : axis;
  return core('linalg_cross', 'linalg::cross', [a, b], { axis: ax });
}

/**
 * The LU factorization with partial pivoting: [LU, pivots]. LU holds L (unit diagonal, below)
 * and U (on and above the diagonal); pivots [..., min(m, n)] (uint32) says row i was swapped
 * with row pivots[i]. Singular matrices factor too.
 */
export function luFactor(a: MxArray): [MxArray, MxArray] {
  const [lu, piv] = multi('linalg_lu_factor', 'linalg::lu_factor', a);
  return [lu!, piv!];
}

/**
 * The LU factorization [P, L, U]: P [..., m] (uint32 row indices), L [..., m, k] unit lower,
 * U [..., k, n] upper (k = min(m, n)), with a = L[P] @ U (`mx.takeAlongAxis(L, P[..., None], -2) @ U`).
 */
export function lu(a: MxArray): [MxArray, MxArray, MxArray] {
  const [p, l, u] = multi('linalg_lu', 'linalg::lu', a);
  return [p!, l!, u!];
}

/** The determinant of each square matrix (integers compute in float32). */
export const det = (a: MxArray): MxArray => core('linalg_det', 'linalg::det', [a]);

/** [sign, log|det|] of each square matrix; a singular matrix gives [0, -Infinity]. */
export function slogdet(a: MxArray): [MxArray, MxArray] {
  const [s, l] = multi('linalg_slogdet', 'linalg::slogdet', a);
  return [s!, l!];
}

export interface EighOptions {
  /** The triangle read: 'L' (default) or 'U'. */
  UPLO?: 'L' | 'U';
}

const uploOf = (op: string, o: 'L' | 'U' | EighOptions | undefined): 'L' | 'U' => {
  const u = typeof o === 'object' && o !== null ? (o.UPLO ?? 'L') : (o ?? 'L');
  if (u !== 'L' && u !== 'U') throw new Error(`[${op}] UPLO must be 'L' or 'U', got ${describeValue(u)}.`);
  return u;
};

/**
 * The eigenvalues (ascending) and eigenvectors (columns, orthonormal) of each symmetric matrix
 * built from its lower (UPLO 'L') or upper ('U') triangle. In each eigenvector the entry of
 * largest magnitude is positive.
 */
export function eigh(a: MxArray, UPLO?: 'L' | 'U' | EighOptions): [MxArray, MxArray] {
  const [w, v] = multi('linalg_eigh', 'linalg::eigh', a, { uplo: uploOf('linalg::eigh', UPLO) });
  return [w!, v!];
}

/** The eigenvalues (ascending) of each symmetric matrix built from one triangle (as eigh). */
export const eigvalsh = (a: MxArray, UPLO?: 'L' | 'U' | EighOptions): MxArray =>
  core('linalg_eigvalsh', 'linalg::eigvalsh', [a], { uplo: uploOf('linalg::eigvalsh', UPLO) });

/**
 * The eigenvalues and right eigenvectors of each real square matrix (MLX's linalg.eig):
 * `[w, v]`, both complex64, with `a @ v[:, i] = w[i] * v[:, i]`. As LAPACK's geev (NumPy's
 * eig): conjugate pairs positive imaginary part first, unit 2-norm eigenvectors whose
 * largest component is real.
 */
export function eig(a: MxArray): [MxArray, MxArray] {
  const [w, v] = multi('linalg_eig', 'linalg::eig', a);
  return [w!, v!];
}

/** The eigenvalues (complex64) of each real square matrix, as `eig(a)[0]`. */
export const eigvals = (a: MxArray): MxArray => core('linalg_eigvals', 'linalg::eigvals', [a]);

declare module '../array.js' {
  interface MxArray {
    matmul(other: MxArray): MxArray;
  }
}

MxArray.prototype.matmul = function (other) { return matmul(this, other); };
