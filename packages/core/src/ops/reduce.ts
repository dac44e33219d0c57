/**
 * Reduce family: sum, mean, max, prod, min, all, any, var, std, argmin, argmax, logsumexp,
 * softmax and the scans (cumsum, cumprod, cummax, cummin, logcumsumexp), with their Array
 * methods. Each takes its optional arguments positionally in MLX's order or as a trailing
 * options object.
 */
import { MxArray } from '../array.js';
import { float32, int32, isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe, type Operand } from '../operands.js';
import { callOp } from './call.js';
import { notEqual, where } from './compare.js';
import { astype, isnan } from './elementwise.js';
import { reshape, transpose } from './shape.js';
import { describeValue } from '../arg-checks.js';
import { isOptions } from './optional-args.js';
import { slice } from './slice.js';
import { sort } from './sort.js';

/** Axes to reduce: one, several, or all when omitted / null. */
export type Axis = number | readonly number[] | null | undefined;
export interface ReduceOptions {
  axis?: Axis;
  keepdims?: boolean;
}


const axesOf = (axis: Axis): readonly number[] | null =>
  axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : axis;

const reduce = (name: string, x: Operand, axis: Axis | ReduceOptions, keepdims?: boolean): MxArray => {
  if (isOptions(axis)) {
    const o = axis as ReduceOptions;
    return callOp(name, [x], { axes: axesOf(o.axis), keepdims: !!o.keepdims });
  }
  return callOp(name, [x], { axes: axesOf(axis as Axis), keepdims: !!keepdims });
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

/** Product over `axis` (all axes when omitted); bool and small ints accumulate in int32/uint32. */
export const prod = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('prod', x, axis, keepdims);
/** Minimum over `axis` (all axes when omitted); NaN wins. */
export const min = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('min', x, axis, keepdims);
/** Whether every element over `axis` is non-zero (bool). */
export const all = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('all', x, axis, keepdims);
/** Whether any element over `axis` is non-zero (bool). */
export const any = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('any', x, axis, keepdims);
/** log(sum(exp(x))) over `axis`, computed stably. */
export const logsumexp = (x: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray =>
  reduce('logsumexp', x, axis, keepdims);

export interface VarOptions extends ReduceOptions {
  ddof?: number;
}

const moment = (name: string, x: Operand, axis: Axis | VarOptions, keepdims?: boolean, ddof?: number): MxArray => {
  const o: VarOptions = isOptions(axis) ? (axis as VarOptions) : { axis: axis as Axis, keepdims, ddof };
  return callOp(name, [x], { axes: axesOf(o.axis), keepdims: !!o.keepdims, ddof: o.ddof ?? 0 });
};

/** Variance over `axis`: sum((x - mean)^2) / (N - ddof). Exported as `var`. */
const variance = (x: Operand, axis?: Axis | VarOptions, keepdims?: boolean, ddof?: number): MxArray =>
  moment('var', x, axis, keepdims, ddof);
export { variance as var };
/** Standard deviation over `axis` (square root of the variance with `ddof`). */
export const std = (x: Operand, axis?: Axis | VarOptions, keepdims?: boolean, ddof?: number): MxArray =>
  moment('std', x, axis, keepdims, ddof);

export interface ArgReduceOptions {
  axis?: number | null;
  keepdims?: boolean;
}

const argReduce = (name: string, x: Operand, axis: number | null | undefined | ArgReduceOptions, keepdims?: boolean): MxArray => {
  const o: ArgReduceOptions = isOptions(axis) ? (axis as ArgReduceOptions) : { axis: axis as number | null | undefined, keepdims };
  return callOp(name, [x], { axis: o.axis, keepdims: !!o.keepdims });
};

/** Index (uint32) of the first minimum along `axis` (of the flattened array when omitted). */
export const argmin = (x: Operand, axis?: number | null | ArgReduceOptions, keepdims?: boolean): MxArray =>
  argReduce('argmin', x, axis, keepdims);
/** Index (uint32) of the first maximum along `axis` (of the flattened array when omitted); NaN wins. */
export const argmax = (x: Operand, axis?: number | null | ArgReduceOptions, keepdims?: boolean): MxArray =>
  argReduce('argmax', x, axis, keepdims);

export interface SoftmaxOptions {
  axis?: Axis;
  precise?: boolean;
}

/** exp(x) / sum(exp(x)) over `axis` (all axes when omitted); `precise` computes 16-bit floats in float32. */
export function softmax(x: Operand, axis?: Axis | SoftmaxOptions, precise?: boolean): MxArray {
  const o: SoftmaxOptions = isOptions(axis) ? (axis as SoftmaxOptions) : { axis: axis as Axis, precise };
  return callOp('softmax', [x], { axes: axesOf(o.axis), precise: !!o.precise });
}

export interface ScanOptions {
  axis?: number | null;
  reverse?: boolean;
  inclusive?: boolean;
}

const scan = (name: string, x: Operand, axis: number | null | undefined | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray => {
  const o: ScanOptions = isOptions(axis) ? (axis as ScanOptions) : { axis: axis as number | null | undefined, reverse, inclusive };
  return callOp(name, [x], { axis: o.axis, reverse: !!o.reverse, inclusive: o.inclusive ?? true });
};

type ScanFn = (x: Operand, axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean) => MxArray;

/** Cumulative sum along `axis` (of the flattened array when omitted); `reverse`, `inclusive` (default true). */
export const cumsum: ScanFn = (x, axis, reverse, inclusive) => scan('cumsum', x, axis, reverse, inclusive);
/** Cumulative product along `axis`. */
export const cumprod: ScanFn = (x, axis, reverse, inclusive) => scan('cumprod', x, axis, reverse, inclusive);
/** Cumulative maximum along `axis` (NaN propagates). */
export const cummax: ScanFn = (x, axis, reverse, inclusive) => scan('cummax', x, axis, reverse, inclusive);
/** Cumulative minimum along `axis` (NaN propagates). */
export const cummin: ScanFn = (x, axis, reverse, inclusive) => scan('cummin', x, axis, reverse, inclusive);
/** Cumulative log(sum(exp(x))) along `axis`, computed stably. */
export const logcumsumexp: ScanFn = (x, axis, reverse, inclusive) => scan('logcumsumexp', x, axis, reverse, inclusive);

// ---- median: the middle value along the axes (NumPy's definition: the mean of the two
// middle values for an even count), NaN where a reduced slice holds a NaN. Built from sort,
// slice, mean and where, so vjp, jvp and vmap come from those parts; integers are computed
// in float32.
export interface MedianOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** The median over `axis` (all axes when omitted or null), optionally keeping reduced axes as size 1. */
export function median(
  x: MxArray,
  axis?: number | readonly number[] | null | MedianOptions,
  keepdims?: boolean,
): MxArray {
  const op = 'median';
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected an array, got ${describe(x)}.`);
  const opts: MedianOptions =
    typeof axis === 'object' && axis !== null && !Array.isArray(axis) ? (axis as MedianOptions) : { axis: axis as MedianOptions['axis'], keepdims };
  const axisV = opts.axis ?? null;
  if (axisV !== null && typeof axisV !== 'number' && !Array.isArray(axisV)) {
    throw new Error(`[${op}] axis must be an integer or a list of integers, got ${describeValue(axisV)}.`);
  }
  const keep = opts.keepdims ?? false;
  const list = axisV === null ? x.shape.map((_, i) => i) : typeof axisV === 'number' ? [axisV] : [...axisV];
  const axes = list.map((a) => {
    if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) {
      throw new Error(`[${op}] Invalid axis ${a} for array with ${x.ndim} dimensions.`);
    }
    return a < 0 ? a + x.ndim : a;
  });
  if (new Set(axes).size !== axes.length) throw new Error(`[${op}] Received duplicate axes.`);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const outShape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape;
  return tidy(() => {
    const xf = isFloating(x.dtype) ? x : astype(x, float32);
    // The reduced axes last, merged into one of length n.
    const lined = reshape(transpose(xf, [...kept, ...axes]), [...keptShape, n]);
    const sorted = sort(lined, -1);
    const k = Math.floor(n / 2);
    const [lo, hi] = n === 0 ? [0, 0] : n % 2 === 1 ? [k, k + 1] : [k - 1, k + 1];
    const starts = [...keptShape.map(() => 0), lo];
    const stops = [...keptShape, hi];
    let m = mean(slice(sorted, starts, stops), -1);
    // Any NaN in the slice makes the median NaN (NumPy's rule).
    if (n > 0) m = where(any(isnan(lined), -1), NaN, m);
    return reshape(m, outShape);
  });
}

/**
 * The number of non-zero elements over `axis` (all axes when omitted), as int32: MLX's
 * count_nonzero. NaN counts as non-zero (it is not equal to zero).
 */
export function countNonzero(a: Operand, axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray {
  const o: ReduceOptions = isOptions(axis) ? (axis as ReduceOptions) : { axis: axis as Axis, keepdims };
  return tidy(() => astype(sum(notEqual(a, 0), o.axis, !!o.keepdims), int32));
}

declare module '../array.js' {
  interface MxArray {
    sum(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    mean(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    max(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    prod(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    min(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    all(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    any(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    logsumexp(axis?: Axis | ReduceOptions, keepdims?: boolean): MxArray;
    var(axis?: Axis | VarOptions, keepdims?: boolean, ddof?: number): MxArray;
    std(axis?: Axis | VarOptions, keepdims?: boolean, ddof?: number): MxArray;
    argmin(axis?: number | null | ArgReduceOptions, keepdims?: boolean): MxArray;
    argmax(axis?: number | null | ArgReduceOptions, keepdims?: boolean): MxArray;
    cumsum(axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray;
    cumprod(axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray;
    cummax(axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray;
    cummin(axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray;
    logcumsumexp(axis?: number | null | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray;
  }
}

const proto = MxArray.prototype;
proto.sum = function (axis, keepdims) { return sum(this, axis, keepdims); };
proto.mean = function (axis, keepdims) { return mean(this, axis, keepdims); };
proto.max = function (axis, keepdims) { return max(this, axis, keepdims); };
proto.prod = function (axis, keepdims) { return prod(this, axis, keepdims); };
proto.min = function (axis, keepdims) { return min(this, axis, keepdims); };
proto.all = function (axis, keepdims) { return all(this, axis, keepdims); };
proto.any = function (axis, keepdims) { return any(this, axis, keepdims); };
proto.logsumexp = function (axis, keepdims) { return logsumexp(this, axis, keepdims); };
proto.var = function (axis, keepdims, ddof) { return variance(this, axis, keepdims, ddof); };
proto.std = function (axis, keepdims, ddof) { return std(this, axis, keepdims, ddof); };
proto.argmin = function (axis, keepdims) { return argmin(this, axis, keepdims); };
proto.argmax = function (axis, keepdims) { return argmax(this, axis, keepdims); };
proto.cumsum = function (axis, reverse, inclusive) { return cumsum(this, axis, reverse, inclusive); };
proto.cumprod = function (axis, reverse, inclusive) { return cumprod(this, axis, reverse, inclusive); };
proto.cummax = function (axis, reverse, inclusive) { return cummax(this, axis, reverse, inclusive); };
proto.cummin = function (axis, reverse, inclusive) { return cummin(this, axis, reverse, inclusive); };
proto.logcumsumexp = function (axis, reverse, inclusive) { return logcumsumexp(this, axis, reverse, inclusive); };
