/**
 * The strided-view family (core ops as_strided and contiguous, as MLX's): asStrided views a's
 * elements, taken in row order, with any shape, strides and offset (in elements), sharing
 * the buffer; contiguous gives a dense layout, sharing the input when it already has one.
 * asStrided is differentiable (its vjp adds the cotangent once per read, as MLX's).
 */
import { MxArray } from '../array.js';
import { describe } from '../operands.js';
import { callOp } from './call.js';
import { optionalArgs } from './optional-args.js';

export interface AsStridedOptions {
  shape?: readonly number[] | null;
  strides?: readonly number[] | null;
  offset?: number;
}

/** Row-major strides of a shape. */
const rowStrides = (shape: readonly number[]): number[] => {
  const out = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
};

/**
 * A view of a's elements (row order) with `shape` (default a's), `strides` (default the
 * row-major strides of shape) and `offset` (0), in elements. Unlike MLX, which trusts the
 * caller, a view that would reach outside a's elements is an `[as_strided]` error.
 */
export function asStrided(
  a: MxArray,
  shape?: readonly number[] | null | AsStridedOptions,
  strides?: readonly number[] | null | AsStridedOptions,
  offset?: number | AsStridedOptions,
): MxArray {
  const o = optionalArgs<AsStridedOptions>(['shape', 'strides', 'offset'], [shape, strides, offset]);
  if (!(a instanceof MxArray)) throw new TypeError(`[as_strided] Expected an array, got ${describe(a)}.`);
  const s = o.shape ?? a.shape;
  // A shape that is not a list reaches the schema encoder, whose error names it.
  const st = o.strides ?? (Array.isArray(s) ? rowStrides(s) : (s as readonly number[]));
  return callOp('as_strided', [a], { shape: s, strides: st, offset: o.offset ?? 0 });
}

/**
 * `a` laid out row-contiguously (column-contiguous also accepted with `allowColMajor`): the
 * same buffer when it already is, else a copy. Values and gradients are a's.
 */
export function contiguous(a: MxArray, allowColMajor: boolean | { allowColMajor?: boolean } = false): MxArray {
  const o = optionalArgs<{ allowColMajor: boolean }>(['allowColMajor'], [allowColMajor]);
  return callOp('contiguous', [a], { allowColMajor: o.allowColMajor ?? false });
}
