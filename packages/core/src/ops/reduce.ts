/**
 * Reduce family: prod, min, all, any, var, std, argmin, argmax, logsumexp, softmax and the
 * scans (cumsum, cumprod, cummax, cummin, logcumsumexp), with their Array methods. Each takes
 * its optional arguments positionally in MLX's order or as a trailing options object.
 */
import { MxArray } from '../array.js';
import { type Operand, withHandles, wrap } from '../operands.js';
import type { Axis, ReduceOptions } from '../ops.js';
import { axesParam } from '../params.js';

const apply = (name: string, x: Operand, ints: readonly number[]): MxArray =>
  withHandles(name, [x], (backend, handles) => wrap(backend, backend.op1(name, handles, ints)));

const isOptions = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const axesOf = (axis: Axis): readonly number[] | null =>
  axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : axis;

const flag = (b: boolean | undefined): number => (b ? 1 : 0);

/** An optional single axis as op parameters: given (0/1), then the axis. */
const axisParam = (axis: number | null | undefined): number[] =>
  axis === undefined || axis === null ? [0, 0] : [1, axis];

const reduce = (name: string, x: Operand, axis: Axis | ReduceOptions, keepdims?: boolean): MxArray => {
  const o: ReduceOptions = isOptions(axis) ? (axis as ReduceOptions) : { axis: axis as Axis, keepdims };
  return apply(name, x, [...axesParam(axesOf(o.axis)), flag(o.keepdims)]);
};

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
  return apply(name, x, [...axesParam(axesOf(o.axis)), flag(o.keepdims), o.ddof ?? 0]);
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
  return apply(name, x, [...axisParam(o.axis), flag(o.keepdims)]);
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
  return apply('softmax', x, [...axesParam(axesOf(o.axis)), flag(o.precise)]);
}

export interface ScanOptions {
  axis?: number | null;
  reverse?: boolean;
  inclusive?: boolean;
}

const scan = (name: string, x: Operand, axis: number | null | undefined | ScanOptions, reverse?: boolean, inclusive?: boolean): MxArray => {
  const o: ScanOptions = isOptions(axis) ? (axis as ScanOptions) : { axis: axis as number | null | undefined, reverse, inclusive };
  return apply(name, x, [...axisParam(o.axis), flag(o.reverse), flag(o.inclusive ?? true)]);
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

declare module '../array.js' {
  interface MxArray {
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
