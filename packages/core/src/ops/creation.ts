/**
 * The creation family: array (from JS data), full, zeros, ones, zerosLike, onesLike, arange,
 * linspace, eye, identity, tri, tril, triu, meshgrid (MLX names, argument order and
 * defaults). None of these are Array methods in MLX, so only the functions exist.
 */
import { checkOptions } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { bool, complex64, type Dtype, type DtypeLike, float32, int32, toDtype } from '../dtype.js';
import { dtypeNameOfTypedArray, encodeValues, isComplexValue, type Scalar } from '../elements.js';
import { backendOf, describe, operandError, wrap } from '../operands.js';
import { currentBackend } from '../registry.js';
import { callOpMulti, encodeParams, runOp1 } from './call.js';
import { optionalArgs } from './optional-args.js';

/** Nested JS arrays of numbers, booleans or `{ re, im }` complex values (rectangular). */
export type NestedInput = Scalar | readonly NestedInput[];

/** Anything mx.array() accepts as data. */
export type ArrayInput = NestedInput | ArrayBufferView | MxArray;

/** Shape and dtype for building an array from flat data. */
export interface ArrayOptions {
  shape?: readonly number[];
  dtype?: DtypeLike;
}

/**
 * Creates an array: `array(value, dtype?)` from a number, boolean, nested JS arrays, a 1-D
 * TypedArray or another array; `array(typed, shape, dtype?)` or
 * `array(typed, {shape, dtype})` from flat row-major data. JS numbers default to float32,
 * booleans to bool, a TypedArray to its own dtype; any `{ re, im }` element makes the array
 * complex64 (`mx.array([{ re: 1, im: 2 }, 3])` is `[1+2j, 3+0j]`).
 */
export function array(value: ArrayInput, dtype?: DtypeLike): MxArray;
export function array(value: ArrayInput, shape: readonly number[], dtype?: DtypeLike): MxArray;
export function array(value: ArrayInput, options: ArrayOptions): MxArray;
export function array(
  value: ArrayInput,
  second?: DtypeLike | readonly number[] | ArrayOptions,
  third?: DtypeLike,
): MxArray {
  let shape: readonly number[] | undefined;
  let dtypeLike: DtypeLike | undefined;
  if (Array.isArray(second)) {
    shape = second as readonly number[];
    dtypeLike = third;
  } else if (typeof second === 'object' && second !== null && !('code' in second)) {
    shape = (second as ArrayOptions).shape;
    dtypeLike = (second as ArrayOptions).dtype;
  } else {
    dtypeLike = second as DtypeLike | undefined;
  }
  const dtype = dtypeLike === undefined ? undefined : toDtype(dtypeLike);

  if (value instanceof MxArray) {
    if (shape !== undefined) throw new Error('[array] A shape can only be given with flat TypedArray data.');
    const backend = value.backend;
    return wrap(backend, dtype === undefined ? backend.retain(value.handle) : runOp1(backend, 'astype', [value.handle], { dtype }));
  }
  if (ArrayBuffer.isView(value)) return fromTypedArray(value, shape, dtype);
  if (shape !== undefined) throw new Error('[array] A shape can only be given with flat TypedArray data.');
  const { flat, shape: inferred } = flattenNested(value);
  const target =
    dtype ??
    (flat.some(isComplexValue) ? complex64 : flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? bool : float32);
  const backend = currentBackend();
  return wrap(backend, backend.fromData(encodeValues(flat, target), inferred, target.code));
}

function fromTypedArray(data: ArrayBufferView, shape: readonly number[] | undefined, dtype: Dtype | undefined): MxArray {
  const own = dtypeNameOfTypedArray(data);
  if (own === null) throw new TypeError(`[array] Unsupported data type ${describe(data)}.`);
  const n = data.byteLength / toDtype(own).size;
  const finalShape = shape ?? [n];
  const expected = finalShape.reduce((a, b) => a * b, 1);
  if (expected !== n) {
    throw new Error(`[array] Data of ${n} elements cannot have shape (${finalShape.join(',')}).`);
  }
  const backend = currentBackend();
  const h = backend.fromData(data, finalShape, toDtype(own).code);
  if (dtype === undefined || dtype.name === own) return wrap(backend, h);
  try {
    return wrap(backend, runOp1(backend, 'astype', [h], { dtype }));
  } finally {
    backend.free(h);
  }
}

/** Flattens rectangular nested arrays row-major and infers their shape. */
function flattenNested(value: NestedInput): { flat: Scalar[]; shape: number[] } {
  const shape: number[] = [];
  for (let v: NestedInput = value; Array.isArray(v); v = (v as readonly NestedInput[])[0]!) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const flat: Scalar[] = [];
  const visit = (v: NestedInput, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean' && !isComplexValue(v)) {
        throw new TypeError(
          Array.isArray(v)
            ? '[array] Initialization encountered non-uniform nesting depth (ragged input).'
            : `[array] Unsupported element ${describe(v)}; expected numbers, booleans or { re, im } objects.`,
        );
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(
        `[array] Initialization encountered non-uniform length (ragged input): expected ${shape[depth]} elements at depth ${depth}.`,
      );
    }
    for (const c of v as readonly NestedInput[]) visit(c, depth + 1);
  };
  visit(value, 0);
  return { flat, shape };
}

type ShapeLike = number | readonly number[];
const toShape = (s: ShapeLike): readonly number[] => (typeof s === 'number' ? [s] : s);

/** An array of `shape` filled with `value` (a number, boolean or array broadcast to it). */
export function full(shape: ShapeLike, value: MxArray | number | boolean, dtype?: DtypeLike): MxArray {
  return filled('full', shape, value, dtype);
}

/** full() under the name of the public function (errors name it). */
function filled(name: string, shape: ShapeLike, value: MxArray | number | boolean, dtype?: DtypeLike): MxArray {
  const backend = backendOf(name, value);
  if (value instanceof MxArray) {
    const d = dtype === undefined ? value.dtype : toDtype(dtype);
    return wrap(backend, runOp1(backend, 'full', [value.handleFor(name)], { shape: toShape(shape), dtype: d }, name));
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(operandError(name, value));
  const d = dtype === undefined ? (typeof value === 'boolean' ? bool : float32) : toDtype(dtype);
  const params = { shape: toShape(shape), dtype: d };
  encodeParams(backend, 'full', params, name); // checks the shape before a scalar is made
  const v = backend.scalar(Number(value), d.code);
  try {
    return wrap(backend, runOp1(backend, 'full', [v], params, name));
  } finally {
    backend.free(v);
  }
}

/** An array of zeros (float32 unless `dtype` says otherwise). */
export function zeros(shape: ShapeLike, dtype: DtypeLike = float32): MxArray {
  return filled('zeros', shape, 0, dtype);
}

/** An array of ones (float32 unless `dtype` says otherwise). */
export function ones(shape: ShapeLike, dtype: DtypeLike = float32): MxArray {
  return filled('ones', shape, 1, dtype);
}

/** Zeros with the shape and (unless given) dtype of `x`. */
export function zerosLike(x: MxArray, dtype?: DtypeLike): MxArray {
  if (!(x instanceof MxArray)) throw new TypeError(`[zeros_like] Expected an array, got ${describe(x)}.`);
  return filled('zeros_like', x.shape, 0, dtype ?? x.dtype);
}

/** Ones with the shape and (unless given) dtype of `x`. */
export function onesLike(x: MxArray, dtype?: DtypeLike): MxArray {
  if (!(x instanceof MxArray)) throw new TypeError(`[ones_like] Expected an array, got ${describe(x)}.`);
  return filled('ones_like', x.shape, 1, dtype ?? x.dtype);
}

/**
 * An array filled with `fillValue`, with the shape of `a` and (unless given) its dtype:
 * MLX's full_like. `fillValue` may be an array that broadcasts to a's shape.
 */
export function fullLike(a: MxArray, fillValue: MxArray | number | boolean, dtype?: DtypeLike | { dtype?: DtypeLike }): MxArray {
  const o = optionalArgs<{ dtype: DtypeLike }>(['dtype'], [dtype]);
  if (!(a instanceof MxArray)) throw new TypeError(`[full_like] Expected an array, got ${describe(a)}.`);
  return full(a.shape, fillValue, o.dtype ?? a.dtype);
}

/**
 * MLX's asarray: `array(value, dtype?)`. An array of the right dtype comes back as a new
 * handle on the same core array (no copy); anything else is converted as by array().
 */
export function asarray(value: ArrayInput, dtype?: DtypeLike | { dtype?: DtypeLike }): MxArray {
  const o = optionalArgs<{ dtype: DtypeLike }>(['dtype'], [dtype]);
  if (value instanceof MxArray && o.dtype !== undefined && toDtype(o.dtype) === value.dtype) return array(value);
  return o.dtype === undefined ? array(value) : array(value, o.dtype);
}

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop, step?)`, with
 * an optional trailing dtype. As in MLX, int32 when start, stop and step are all integers
 * and no dtype is given, float32 otherwise.
 */
export function arange(...args: (number | DtypeLike | undefined)[]): MxArray {
  let dtype: Dtype | undefined;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last !== 'number') {
    dtype = toDtype(last);
    args = args.slice(0, -1);
  }
  while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
  const nums = args.filter((a): a is number => typeof a === 'number');
  if (nums.length !== args.length || nums.length === 0 || nums.length > 3) {
    throw new TypeError('[arange] Expected arange(stop) or arange(start, stop, step?) with numbers, then an optional dtype.');
  }
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  const d = dtype ?? ([start, stop, step].every(Number.isInteger) ? int32 : float32);
  const backend = currentBackend();
  return wrap(backend, runOp1(backend, 'arange', [], { start, stop, step, dtype: d }));
}

export interface LinspaceOptions {
  num?: number;
  dtype?: DtypeLike;
}
/** `num` (50) evenly spaced values from start to stop, both included (float32 default). */
export function linspace(
  start: number,
  stop: number,
  num?: number | LinspaceOptions,
  dtype?: DtypeLike | LinspaceOptions,
): MxArray {
  const o = optionalArgs<LinspaceOptions>(['num', 'dtype'], [num, dtype]);
  const backend = currentBackend();
  return wrap(backend, runOp1(backend, 'linspace', [], { start, stop, num: o.num ?? 50, dtype: toDtype(o.dtype ?? float32) }));
}

export interface EyeOptions {
  m?: number | null;
  k?: number;
  dtype?: DtypeLike;
}
type EyeArg<T> = T | EyeOptions;

const pattern = (name: string, n: number, args: unknown[]): MxArray => {
  const o = optionalArgs<EyeOptions>(['m', 'k', 'dtype'], args);
  const backend = currentBackend();
  return wrap(backend, runOp1(backend, name, [], { n, m: o.m ?? n, k: o.k ?? 0, dtype: toDtype(o.dtype ?? float32) }));
};

/** An n x m (m defaults to n) array with ones on diagonal k (0) and zeros elsewhere. */
export const eye = (
  n: number,
  m?: EyeArg<number | null>,
  k?: EyeArg<number>,
  dtype?: EyeArg<DtypeLike>,
): MxArray => pattern('eye', n, [m, k, dtype]);

/** The n x n identity matrix (float32 unless `dtype`). */
export function identity(n: number, dtype?: DtypeLike | { dtype?: DtypeLike }): MxArray {
  if (n < 0) throw new Error('[identity] N must be a non-negative integer.');
  const o = optionalArgs<{ dtype: DtypeLike }>(['dtype'], [dtype]);
  return eye(n, n, 0, o.dtype ?? float32);
}

/** An n x m (m defaults to n) array with ones on and below diagonal k (0). */
export const tri = (
  n: number,
  m?: EyeArg<number | null>,
  k?: EyeArg<number>,
  dtype?: EyeArg<DtypeLike>,
): MxArray => pattern('tri', n, [m, k, dtype]);

const triMask = (name: string, x: MxArray, k: number | { k?: number } | undefined): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${name}] Expected an array, got ${describe(x)}.`);
  const o = optionalArgs<{ k: number }>(['k'], [k]);
  return wrap(x.backend, runOp1(x.backend, name, [x.handle], { k: o.k ?? 0 }));
};
/** The lower triangle of the last two axes (on and below diagonal k); the rest is zero. */
export const tril = (x: MxArray, k?: number | { k?: number }): MxArray => triMask('tril', x, k);
/** The upper triangle of the last two axes (on and above diagonal k); the rest is zero. */
export const triu = (x: MxArray, k?: number | { k?: number }): MxArray => triMask('triu', x, k);

export interface MeshgridOptions {
  sparse?: boolean;
  indexing?: 'xy' | 'ij';
}
/**
 * Coordinate grids from 1-D arrays: `meshgrid(x, y)`, `meshgrid(x, y, {indexing: 'ij'})`.
 * 'xy' (Cartesian, the default) swaps the first two output axes; `sparse` skips broadcasting.
 */
export function meshgrid(...args: (MxArray | MeshgridOptions)[]): MxArray[] {
  let options: MeshgridOptions = {};
  const last = args[args.length - 1];
  if (last !== undefined && !(last instanceof MxArray)) {
    options = checkOptions<MeshgridOptions>('meshgrid', last);
    args = args.slice(0, -1);
  }
  const arrays = args as MxArray[];
  for (const a of arrays) {
    if (!(a instanceof MxArray)) throw new TypeError(`[meshgrid] Expected arrays, got ${describe(a)}.`);
  }
  return callOpMulti('meshgrid', arrays, { sparse: !!options.sparse, indexing: options.indexing ?? 'xy' });
}
