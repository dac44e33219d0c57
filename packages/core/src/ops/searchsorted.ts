/**
 * searchsorted (MLX's sorting family): where values would be inserted into a sorted 1-D
 * array to keep it sorted. A vectorised binary search built from existing ops (take,
 * comparisons, where): ceil(log2(n + 1)) halving steps over every value at once, so it costs
 * O(size(v) log n) and works under vmap and compile. NaN orders after every number, as
 * NumPy sorts it (so a NaN value goes after the numbers, before any NaNs of `a` on 'left').
 */
import { MxArray } from '../array.js';
import { int32, isFloating, uint32 } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe } from '../operands.js';
import { weakScalarDtype } from '../scalars.js';
import { less, where } from './compare.js';
import { full } from './creation.js';
import { add, astype, isnan, logicalAnd, logicalNot, logicalOr, minimum, rightShift } from './elementwise.js';
import { take } from './indexing.js';
import { isOptions } from './optional-args.js';

export type SearchSide = 'left' | 'right';
export interface SearchsortedOptions {
  side?: SearchSide;
  /** NumPy's sorter (not in MLX): indices that sort `a`; `a` is read as take(a, sorter). */
  sorter?: MxArray | null;
}

/**
 * For each element of `v`, the index in the sorted 1-D array `a` before which it would be
 * inserted: with side 'left' (default) the count of elements strictly less than it, with
 * 'right' the count of elements less than or equal. A uint32 array of v's shape.
 */
export function searchsorted(
  a: MxArray,
  v: MxArray | number,
  side: SearchSide | SearchsortedOptions = 'left',
  sorter?: MxArray | null,
): MxArray {
  if (isOptions(side)) {
    const o = side as SearchsortedOptions;
    return searchsorted(a, v, o.side ?? 'left', o.sorter);
  }
  const op = 'searchsorted';
  if (!(a instanceof MxArray)) throw new TypeError(`[${op}] Expected the sorted sequence to be an array, got ${describe(a)}.`);
  if (!(v instanceof MxArray) && typeof v !== 'number') {
    throw new TypeError(`[${op}] Expected the values to be an array or number, got ${describe(v)}.`);
  }
  if (a.ndim !== 1) throw new Error(`[${op}] The sorted sequence must be 1-dimensional, got ${a.ndim} dimensions.`);
  if (side !== 'left' && side !== 'right') throw new Error(`[${op}] side must be 'left' or 'right', got ${JSON.stringify(side)}.`);
  if (sorter !== undefined && sorter !== null) {
    if (!(sorter instanceof MxArray) || sorter.ndim !== 1 || sorter.shape[0] !== a.shape[0]) {
      throw new Error(`[${op}] sorter must be a 1-dimensional array of a's length.`);
    }
  }
  const n = a.shape[0]!;
  return tidy(() => {
    const values = v instanceof MxArray ? v : full([], v, weakScalarDtype(v, a.dtype));
    const seq = sorter === undefined || sorter === null ? a : take(a, sorter);
    if (n === 0) return full(values.shape, 0, uint32);
    const withNan = isFloating(a.dtype) || isFloating(values.dtype);
    const vNan = withNan ? isnan(values) : null;
    // x < y in NumPy's sort order (NaN after every number).
    const before = (x: MxArray, y: MxArray, xNan: MxArray | null, yNan: MxArray | null): MxArray =>
      xNan === null || yNan === null ? less(x, y) : logicalOr(less(x, y), logicalAnd(yNan, logicalNot(xNan)));
    let lo = full(values.shape, 0, int32);
    let hi = full(values.shape, n, int32);
    for (let span = n; span > 0; span >>= 1) {
      // Enough steps: each halves hi - lo (n + 1 candidate positions).
      const active = less(lo, hi);
      const mid = rightShift(add(lo, hi), 1);
      const at = take(seq, minimum(mid, n - 1));
      const atNan = withNan ? isnan(at) : null;
      // 'left': move right past elements < v; 'right': past elements <= v (not v < element).
      const moveRight = side === 'left' ? before(at, values, atNan, vNan) : logicalNot(before(values, at, vNan, atNan));
      lo = where(logicalAnd(active, moveRight), add(mid, 1), lo);
      hi = where(logicalAnd(active, logicalNot(moveRight)), mid, hi);
    }
    return astype(lo, uint32);
  });
}
