/**
 * NumPy's "products and differences" that MLX has as composite ops: kron, vecdot and diff.
 * Each is built from existing core ops (reshape, multiply, sum, slice, subtract, concatenate),
 * so vjp, jvp and vmap come from the parts.
 */
import { MxArray } from '../array.js';
import { tidy } from '../memory.js';
import { describe, type Operand } from '../operands.js';
import { array } from './creation.js';
import { notEqual } from './compare.js';
import { multiply, subtract } from './elementwise.js';
import { isOptions } from './optional-args.js';
import { sum } from './reduce.js';
import { broadcastTo, concatenate, reshape } from './shape.js';
import { slice } from './slice.js';

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};

/**
 * The Kronecker product: blocks a[i...] * b, of shape a.shape[k] * b.shape[k] per axis (the
 * shorter shape padded with leading 1s), as MLX's kron (an error for empty inputs).
 */
export function kron(a: MxArray, b: MxArray): MxArray {
  needArray('kron', a, 'a');
  needArray('kron', b, 'b');
  if (a.size === 0 || b.size === 0) throw new Error('[kron] Input arrays cannot be empty.');
  const nd = Math.max(a.ndim, b.ndim);
  const aShape = [...Array(nd - a.ndim).fill(1), ...a.shape] as number[];
  const bShape = [...Array(nd - b.ndim).fill(1), ...b.shape] as number[];
  // a on the even axes, b on the odd ones: their product interleaves into the blocks.
  const aSplit = aShape.flatMap((d) => [d, 1]);
  const bSplit = bShape.flatMap((d) => [1, d]);
  return tidy(() => reshape(multiply(reshape(a, aSplit), reshape(b, bSplit)), aShape.map((d, i) => d * bShape[i]!)));
}

/**
 * The dot product of vectors along `axis` (default -1) after broadcasting a and b:
 * sum(a * b, axis), MLX's vecdot (the first operand is conjugated there; mlxjs has no
 * complex dtype yet).
 */
export function vecdot(a: MxArray, b: MxArray, axis: number | { axis?: number } = -1): MxArray {
  if (isOptions(axis)) return vecdot(a, b, axis.axis ?? -1);
  needArray('vecdot', a, 'a');
  needArray('vecdot', b, 'b');
  return tidy(() => sum(multiply(a, b), axis));
}

export interface DiffOptions {
  n?: number;
  axis?: number;
  /** NumPy's prepend (not in MLX's diff): values joined before `a` along `axis` first. */
  prepend?: Operand | null;
  /** NumPy's append (not in MLX's diff): values joined after `a` along `axis` first. */
  append?: Operand | null;
}

/**
 * The n-th discrete difference along `axis` (default -1): out[i] = a[i + 1] - a[i], applied
 * `n` (1) times; bool inputs use a[i + 1] != a[i] as NumPy does. `prepend` / `append`
 * (NumPy's, also accepted here) are joined to `a` along the axis first; a scalar or 0-d
 * array fills one slice.
 */
export function diff(a: MxArray, n: number | DiffOptions = 1, axis: number | DiffOptions = -1): MxArray {
  if (isOptions(n)) return diffImpl(a, n as DiffOptions);
  if (isOptions(axis)) return diffImpl(a, { ...(axis as DiffOptions), n: n as number });
  return diffImpl(a, { n: n as number, axis: axis as number });
}

function diffImpl(a: MxArray, o: DiffOptions): MxArray {
  const op = 'diff';
  needArray(op, a, 'the input');
  const n = o.n ?? 1;
  const axis = o.axis ?? -1;
  if (!Number.isInteger(n) || n < 0) throw new Error(`[${op}] Order n must be a non-negative integer, got ${n}.`);
  if (a.ndim === 0) throw new Error(`[${op}] Requires an input with at least one dimension.`);
  if (!Number.isInteger(axis) || axis < -a.ndim || axis >= a.ndim) {
    throw new Error(`[${op}] Invalid axis ${axis} for array with ${a.ndim} dimensions.`);
  }
  const ax = axis < 0 ? axis + a.ndim : axis;
  if (n === 0 && o.prepend == null && o.append == null) return array(a);
  return tidy(() => {
    // A scalar (or 0-d array) edge fills one slice of a's shape along the axis.
    const edge = (x: Operand): MxArray => {
      const arr = x instanceof MxArray ? x : array(x, a.dtype);
      return arr.ndim === 0 ? broadcastTo(arr, a.shape.map((d, i) => (i === ax ? 1 : d))) : arr;
    };
    const parts = [...(o.prepend == null ? [] : [edge(o.prepend)]), a, ...(o.append == null ? [] : [edge(o.append)])];
    let x = parts.length === 1 ? a : concatenate(parts, ax);
    const starts = x.shape.map(() => 0);
    for (let k = 0; k < n; k++) {
      const len = x.shape[ax]!;
      if (len === 0) break;
      const hiStart = starts.map((s, i) => (i === ax ? 1 : s));
      const loStop = x.shape.map((d, i) => (i === ax ? len - 1 : d));
      const hi = slice(x, hiStart, x.shape);
      const lo = slice(x, starts, loStop);
      x = x.dtype.kind === 'bool' ? notEqual(hi, lo) : subtract(hi, lo);
    }
    return x === a ? array(a) : x;
  });
}
