/**
 * median as NumPy defines it: the middle value along the axes (the mean of the two middle
 * values for an even count), NaN where a reduced slice holds a NaN. Built from sort, slice,
 * mean and where, so vjp, jvp and vmap come from those parts; integers are computed in float32.
 */
import { MxArray } from '../array.js';
import { float32, isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { astype, mean, reshape, transpose } from '../ops.js';
import { describe } from '../operands.js';
import { where } from './compare.js';
import { isnan } from './elementwise.js';
import { any } from './reduce.js';
import { slice } from './slice.js';
import { sort } from './sort.js';

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
