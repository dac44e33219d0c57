/**
 * Shape and data-movement ops (MLX semantics): reshape, transpose, broadcastTo, flatten,
 * unflatten, squeeze, expandDims, swapaxes, moveaxis, atleast1d/2d/3d, broadcastArrays,
 * concatenate, stack, split, tile, repeat, pad, roll, flip, diag, diagonal, trace; and their
 * Array methods.
 */
import { describeValue } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { type DtypeLike, toDtype } from '../dtype.js';
import { describe, type Operand } from '../operands.js';
import { callOp as one, callOpMulti as many } from './call.js';
import { slice } from './slice.js';


const asList = (x: number | readonly number[]): readonly number[] => (typeof x === 'number' ? [x] : x);
const optionalList = (x: number | readonly number[] | null | undefined): readonly number[] | null =>
  x === undefined || x === null ? null : asList(x);
/** A trailing options object (not null, a list or an array). */
const isOptions = <T extends object>(x: T | number | string | null | undefined | readonly unknown[]): x is T =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof MxArray);

/** The same values with a new shape (one dimension may be -1). */
export function reshape(x: MxArray, shape: number | readonly number[]): MxArray {
  return one('reshape', [x], { shape: asList(shape) });
}

/** Permutes the axes (reverses them when `axes` is omitted). */
export function transpose(x: MxArray, axes?: readonly number[] | null): MxArray {
  return one('transpose', [x], { axes });
}

/** Broadcasts `x` to `shape` (NumPy rules). */
export function broadcastTo(x: Operand, shape: number | readonly number[]): MxArray {
  return one('broadcast_to', [x], { shape: asList(shape) });
}

/** Merges axes startAxis..endAxis (inclusive) into one; a 0-d array becomes shape [1]. */
export function flatten(a: MxArray, startAxis: number | { startAxis?: number; endAxis?: number } = 0, endAxis = -1): MxArray {
  if (isOptions(startAxis)) return flatten(a, startAxis.startAxis ?? 0, startAxis.endAxis ?? -1);
  return one('flatten', [a], { startAxis, endAxis });
}

/** Splits `axis` into `shape` (one entry may be -1). */
export function unflatten(a: MxArray, axis: number, shape: readonly number[]): MxArray {
  return one('unflatten', [a], { axis, shape });
}

/** Removes size-1 axes: the given ones (an error if one is not size 1), else all of them. */
export function squeeze(a: MxArray, axis?: number | readonly number[] | null): MxArray {
  return one('squeeze', [a], { axes: optionalList(axis) });
}

/** Inserts size-1 axes at the given positions of the result. */
export function expandDims(a: Operand, axis: number | readonly number[]): MxArray {
  return one('expand_dims', [a], { axes: asList(axis) });
}

/** Swaps two axes (a view). */
export function swapaxes(a: MxArray, axis1: number, axis2: number): MxArray {
  return one('swapaxes', [a], { axis1, axis2 });
}

/** Moves axis `source` to position `destination` (a view). */
export function moveaxis(a: MxArray, source: number, destination: number): MxArray {
  return one('moveaxis', [a], { source, destination });
}

type AtLeast = {
  (a: Operand): MxArray;
  (...arrays: Operand[]): MxArray | MxArray[];
};
const atleast = (name: string): AtLeast =>
  ((...arrays: Operand[]) => {
    const out = arrays.map((x) => one(name, [x]));
    return out.length === 1 ? out[0]! : out;
  }) as AtLeast;
/** Arrays with at least one dimension (0-d becomes [1]); several inputs give a list. */
export const atleast1d: AtLeast = atleast('atleast_1d');
/** Arrays with at least two dimensions ([n] becomes [1, n]); several inputs give a list. */
export const atleast2d: AtLeast = atleast('atleast_2d');
/** Arrays with at least three dimensions ([n] becomes [1, n, 1], [m, n] becomes [m, n, 1]). */
export const atleast3d: AtLeast = atleast('atleast_3d');

/** Broadcasts every input to their common shape; returns a list. */
export function broadcastArrays(...arrays: Operand[] | [readonly Operand[]]): MxArray[] {
  const xs = (arrays.length === 1 && Array.isArray(arrays[0]) ? arrays[0] : arrays) as readonly Operand[];
  return many('broadcast_arrays', xs);
}

/** Joins arrays along an existing axis (default 0; null joins the flattened arrays), promoting dtypes. */
export function concatenate(arrays: readonly MxArray[], axis: number | null | { axis?: number | null } = 0): MxArray {
  if (isOptions(axis)) return concatenate(arrays, axis.axis === undefined ? 0 : axis.axis);
  return one('concatenate', arrays, { axis });
}

/** MLX's concat: the same as concatenate (the Array API name). */
export function concat(arrays: readonly MxArray[], axis: number | null | { axis?: number | null } = 0): MxArray {
  return concatenate(arrays, axis);
}

/** MLX's permute_dims: the same as transpose (the Array API name). */
export function permuteDims(x: MxArray, axes?: readonly number[] | null | { axes?: readonly number[] | null }): MxArray {
  if (isOptions(axes)) return transpose(x, axes.axes);
  return transpose(x, axes);
}

/**
 * The slices of `a` along `axis` (default 0), each without that axis: the inverse of stack.
 * A list of a.shape[axis] arrays (views of a).
 */
export function unstack(a: MxArray, axis: number | { axis?: number } = 0): MxArray[] {
  if (isOptions(axis)) return unstack(a, axis.axis ?? 0);
  if (!(a instanceof MxArray)) throw new TypeError(`[unstack] Expected an array, got ${describe(a)}.`);
  if (a.ndim === 0) throw new Error('[unstack] No axis to unstack in a 0-dimensional array.');
  if (!Number.isInteger(axis) || axis < -a.ndim || axis >= a.ndim) {
    throw new Error(`[unstack] Invalid axis ${describeValue(axis)} for array with ${a.ndim} dimensions.`);
  }
  const ax = axis < 0 ? axis + a.ndim : axis;
  const n = a.shape[ax]!;
  if (n === 0) return [];
  const parts = n === 1 ? [a] : split(a, n, ax);
  const out = parts.map((p) => squeeze(p, ax));
  if (n > 1) parts.forEach((p) => p.dispose());
  return out;
}

/**
 * The shape the given shapes broadcast to (NumPy rules), as MLX's broadcast_shapes; an
 * error naming both shapes when two of them cannot broadcast.
 */
export function broadcastShapes(...shapes: (number | readonly number[])[]): number[] {
  if (shapes.length === 0) throw new Error('[broadcast_shapes] No input shapes provided.');
  const str = (s: readonly number[]): string => `(${s.join(',')})`;
  const shapeArg = (s: unknown, i: number): readonly number[] => {
    const list = typeof s === 'number' ? [s] : s;
    if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`[broadcast_shapes] Shape ${i} must be a list of sizes, got ${describeValue(s)}.`);
    }
    return list as readonly number[];
  };
  let out: number[] = [...shapeArg(shapes[0], 0)];
  for (let k = 1; k < shapes.length; k++) {
    const b = shapeArg(shapes[k], k);
    const n = Math.max(out.length, b.length);
    const merged: number[] = [];
    for (let i = 0; i < n; i++) {
      const da = i < n - out.length ? 1 : out[i - (n - out.length)]!;
      const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
      if (da !== db && da !== 1 && db !== 1) {
        throw new Error(`[broadcast_shapes] Shapes ${str(out)} and ${str(b)} cannot be broadcast.`);
      }
      merged.push(da === 1 ? db : da);
    }
    out = merged;
  }
  return out;
}

/** Joins same-shaped arrays along a new axis (default 0). */
export function stack(arrays: readonly MxArray[], axis: number | { axis?: number } = 0): MxArray {
  if (isOptions(axis)) return stack(arrays, axis.axis ?? 0);
  return one('stack', arrays, { axis });
}

/**
 * Splits along `axis` (default 0) into `n` equal parts (an error if the axis does not
 * divide evenly) or at the given indices (NumPy semantics). Returns a list.
 */
export function split(a: MxArray, indicesOrSections: number | readonly number[], axis: number | { axis?: number } = 0): MxArray[] {
  if (isOptions(axis)) return split(a, indicesOrSections, axis.axis ?? 0);
  if (typeof indicesOrSections === 'number') return many('split', [a], { sections: indicesOrSections, axis });
  return many('split', [a], { indices: indicesOrSections, axis });
}

/** Repeats the whole array `reps` times along each axis (NumPy's tile). */
export function tile(a: MxArray, reps: number | readonly number[]): MxArray {
  return one('tile', [a], { reps: asList(reps) });
}

/** Repeats each element `repeats` times along `axis` (of the flattened array when omitted). */
export function repeat(a: MxArray, repeats: number, axis?: number | null | { axis?: number | null }): MxArray {
  if (isOptions(axis)) return repeat(a, repeats, axis.axis);
  return one('repeat', [a], { repeats, axis });
}

export type PadWidth = number | readonly [number, number] | readonly (readonly [number, number])[] | readonly number[][];
export type PadMode = 'constant' | 'edge';
export interface PadOptions {
  mode?: PadMode;
  constantValues?: Operand;
}

/** Per-axis (before, after) pairs, flattened: one pair stands for every axis. */
function padWidths(width: PadWidth): number[] {
  if (typeof width === 'number') return [width, width];
  if (!Array.isArray(width)) {
    throw new Error(`[pad] padWidth must be a number, [before, after] or one pair per axis, got ${describeValue(width)}.`);
  }
  if (width.length > 0 && typeof width[0] === 'number') {
    const w = width as readonly number[];
    if (w.length === 1) return [w[0]!, w[0]!];
    if (w.length === 2) return [w[0]!, w[1]!];
    throw new Error(`[pad] Invalid padding width: expected a number, [before, after] or one pair per axis.`);
  }
  return (width as readonly (readonly number[])[]).flatMap((p) => {
    if (!Array.isArray(p)) throw new Error(`[pad] Invalid padding width: each axis takes [before, after], got ${describeValue(p)}.`);
    if (p.length === 1) return [p[0]!, p[0]!];
    if (p.length !== 2) throw new Error(`[pad] Invalid padding width: each axis takes [before, after].`);
    return [p[0]!, p[1]!];
  });
}

/**
 * Pads with `constantValues` (default 0, cast to a's dtype) or, in 'edge' mode, with the
 * edge values. `padWidth`: a number, [before, after] for every axis, or one pair per axis.
 */
export function pad(a: MxArray, padWidth: PadWidth, mode: PadMode | PadOptions = 'constant', constantValues: Operand = 0): MxArray {
  if (isOptions(mode)) return pad(a, padWidth, mode.mode ?? 'constant', mode.constantValues ?? 0);
  return one('pad', [a, constantValues], { padWidth: padWidths(padWidth), mode });
}

/** Shifts elements along `axis` (one shift per axis, or one for all), wrapping around; the flattened array when axis is omitted. */
export function roll(a: MxArray, shift: number | readonly number[], axis?: number | readonly number[] | null): MxArray {
  return one('roll', [a], { shift: asList(shift), axes: optionalList(axis) });
}

/** Reverses the order of elements along `axis` (every axis when omitted): a view. */
export function flip(a: MxArray, axis?: number | readonly number[] | null): MxArray {
  return one('flip', [a], { axes: optionalList(axis) });
}

/** 1-D input: a square matrix with it on diagonal k; 2-D input: its k-th diagonal. */
export function diag(a: MxArray, k: number | { k?: number } = 0): MxArray {
  if (isOptions(k)) return diag(a, k.k ?? 0);
  return one('diag', [a], { k });
}

export interface DiagonalOptions {
  offset?: number;
  axis1?: number;
  axis2?: number;
}

/** The diagonal of each (axis1, axis2) plane, as the last axis of the result. */
export function diagonal(a: MxArray, offset: number | DiagonalOptions = 0, axis1 = 0, axis2 = 1): MxArray {
  if (isOptions(offset)) return diagonal(a, offset.offset ?? 0, offset.axis1 ?? 0, offset.axis2 ?? 1);
  return one('diagonal', [a], { offset, axis1, axis2 });
}

/** Sum along the diagonal (see diagonal) after casting it to `dtype` (default: a's dtype), as MLX. */
export function trace(
  a: MxArray,
  offset: number | (DiagonalOptions & { dtype?: DtypeLike }) = 0,
  axis1 = 0,
  axis2 = 1,
  dtype?: DtypeLike,
): MxArray {
  if (isOptions(offset)) return trace(a, offset.offset ?? 0, offset.axis1 ?? 0, offset.axis2 ?? 1, offset.dtype);
  return one('trace', [a], { offset, axis1, axis2, dtype: dtype === undefined ? null : toDtype(dtype) });
}

declare module '../array.js' {
  interface MxArray {
    /** `x.reshape(2, 3)` or `x.reshape([2, 3])`. */
    reshape(...shape: number[] | [readonly number[]]): MxArray;
    /** `x.transpose()`, `x.transpose(1, 0)` or `x.transpose([1, 0])`. */
    transpose(...axes: number[] | [readonly number[]]): MxArray;
    /** The transpose (axes reversed). */
    readonly T: MxArray;
    broadcastTo(shape: number | readonly number[]): MxArray;
    flatten(startAxis?: number, endAxis?: number): MxArray;
    squeeze(axis?: number | readonly number[] | null): MxArray;
    swapaxes(axis1: number, axis2: number): MxArray;
    moveaxis(source: number, destination: number): MxArray;
    split(indicesOrSections: number | readonly number[], axis?: number): MxArray[];
    diag(k?: number): MxArray;
    diagonal(offset?: number, axis1?: number, axis2?: number): MxArray;
  }
}

/** Variadic-or-list arguments: (2, 3) and ([2, 3]) mean the same. */
const listArg = (args: number[] | [readonly number[]]): readonly number[] =>
  args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);

const proto = MxArray.prototype;
proto.reshape = function (...shape) { return reshape(this, listArg(shape)); };
proto.transpose = function (...axes) { return transpose(this, axes.length === 0 ? null : listArg(axes)); };
Object.defineProperty(proto, 'T', {
  get(this: MxArray) { return transpose(this, null); },
  configurable: true,
});
proto.broadcastTo = function (shape) { return broadcastTo(this, shape); };
proto.flatten = function (startAxis, endAxis) { return flatten(this, startAxis, endAxis); };
proto.squeeze = function (axis) { return squeeze(this, axis); };
proto.swapaxes = function (axis1, axis2) { return swapaxes(this, axis1, axis2); };
proto.moveaxis = function (source, destination) { return moveaxis(this, source, destination); };
proto.split = function (indicesOrSections, axis) { return split(this, indicesOrSections, axis); };
proto.diag = function (k) { return diag(this, k); };
proto.diagonal = function (offset, axis1, axis2) { return diagonal(this, offset, axis1, axis2); };
