import { MxArray } from './array.js';
import { bool, type Dtype, type DtypeLike, float32, int32, toDtype } from './dtype.js';
import { dtypeNameOfTypedArray, encodeValues, type Scalar } from './elements.js';
import { backendOf, describe, wrap } from './operands.js';
import { listParam } from './params.js';
import { currentBackend } from './registry.js';

/** Nested JS arrays of numbers/booleans (rectangular). */
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
 * booleans to bool, a TypedArray to its own dtype.
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
    return wrap(backend, dtype === undefined ? backend.retain(value.handle) : backend.op1('astype', [value.handle], [dtype.code]));
  }
  if (ArrayBuffer.isView(value)) return fromTypedArray(value, shape, dtype);
  if (shape !== undefined) throw new Error('[array] A shape can only be given with flat TypedArray data.');
  const { flat, shape: inferred } = flattenNested(value);
  const target = dtype ?? (flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? bool : float32);
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
    return wrap(backend, backend.op1('astype', [h], [dtype.code]));
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
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new TypeError(
          Array.isArray(v)
            ? '[array] Initialization encountered non-uniform nesting depth (ragged input).'
            : `[array] Unsupported element ${describe(v)}; expected numbers or booleans.`,
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
  const backend = backendOf('full', value);
  if (value instanceof MxArray) {
    const d = dtype === undefined ? value.dtype : toDtype(dtype);
    return wrap(backend, backend.op1('full', [value.handle], [...listParam(toShape(shape)), d.code]));
  }
  const d = dtype === undefined ? (typeof value === 'boolean' ? bool : float32) : toDtype(dtype);
  const v = backend.scalar(Number(value), d.code);
  try {
    return wrap(backend, backend.op1('full', [v], [...listParam(toShape(shape)), d.code]));
  } finally {
    backend.free(v);
  }
}

/** An array of zeros (float32 unless `dtype` says otherwise). */
export function zeros(shape: ShapeLike, dtype: DtypeLike = float32): MxArray {
  return full(shape, 0, dtype);
}

/** An array of ones (float32 unless `dtype` says otherwise). */
export function ones(shape: ShapeLike, dtype: DtypeLike = float32): MxArray {
  return full(shape, 1, dtype);
}

/** Zeros with the shape and (unless given) dtype of `x`. */
export function zerosLike(x: MxArray, dtype?: DtypeLike): MxArray {
  return full(x.shape, 0, dtype ?? x.dtype);
}

/** Ones with the shape and (unless given) dtype of `x`. */
export function onesLike(x: MxArray, dtype?: DtypeLike): MxArray {
  return full(x.shape, 1, dtype ?? x.dtype);
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
  return wrap(backend, backend.op1('arange', [], [d.code], [start, stop, step]));
}
