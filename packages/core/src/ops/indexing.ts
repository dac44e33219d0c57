/**
 * Integer-array indexing: take, takeAlongAxis, putAlongAxis, the scatter family, and the
 * NumPy-style helpers on arrays, `x.index(...)` (reads) and `x.at(...).add(v)` (updates
 * that return new arrays, as MLX's `x.at[...]`).
 */
import { describeValue } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { array } from './creation.js';
import { int32 } from '../dtype.js';
import { tidy } from '../memory.js';
import type { Operand } from '../operands.js';
import { callOp as run } from './call.js';
import { where } from './compare.js';
import { divide, maximum, minimum, multiply, negative, add } from './elementwise.js';
import { maskForTarget, maskedValues } from './masked-scatter.js';
import { broadcastTo, reshape, transpose } from './shape.js';
import { slice, sliceUpdate } from './slice.js';

/** Nested JS integer lists usable as index arrays. */
export type IntList = number | readonly IntList[];
/** Index arrays: an integer mx array or JS integers (nested lists). */
export type IndicesLike = MxArray | IntList;

/** A Python-style slice (start:stop:step); omitted parts take their defaults. */
export class IndexSlice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
}

/** `mx.Slice(1, 3)` is `1:3`, `mx.Slice(null, null, -1)` is `::-1`. */
export function Slice(start?: number | null, stop?: number | null, step?: number | null): IndexSlice {
  return new IndexSlice(start ?? null, stop ?? null, step ?? null);
}

/** One entry of `x.index(...)` / `x.at(...)`: an integer, a slice (object or '1:3' string),
 *  `null` (new axis), '...' (ellipsis) or an integer array (advanced indexing). */
export type ArrayIndex = number | IndexSlice | string | null | MxArray | readonly IntList[];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Index arrays as mx arrays (JS integers become int32); the caller owns the result. */
function toIndices(op: string, idx: IndicesLike): MxArray {
  if (idx instanceof MxArray) return idx;
  const check = (v: IntList): void => {
    if (Array.isArray(v)) (v as readonly IntList[]).forEach(check);
    else if (!isInt(v)) throw new Error(`[${op}] Indices must be integers, got ${String(v)}.`);
  };
  check(idx);
  return array(idx as number, int32);
}


/** Runs `body` with the index arrays as mx arrays, freeing the ones made from JS values. */
function withIndices<T>(op: string, idx: readonly IndicesLike[], body: (arrays: MxArray[]) => T): T {
  if (!Array.isArray(idx)) throw new Error(`[${op}] indices must be an array or a list of arrays (one per axis), got ${describeValue(idx)}.`);
  const made: MxArray[] = [];
  try {
    const arrays = idx.map((i) => {
      const a = toIndices(op, i);
      if (a !== i) made.push(a);
      return a;
    });
    return body(arrays);
  } finally {
    for (const a of made) a.dispose();
  }
}

const axisOption = (axis: number | { axis?: number } | undefined): number | undefined =>
  typeof axis === 'object' && axis !== null ? axis.axis : axis;

/** The elements of `a` at `indices` along `axis` (negative indices count from the end);
 *  without an axis, `a` is flattened first. */
export function take(a: MxArray, indices: IndicesLike, axis?: number | { axis?: number }): MxArray {
  const ax = axisOption(axis);
  return withIndices('take', [indices], ([i]) => run('take', [a, i!], { axis: ax }));
}

/** NumPy's take_along_axis: picks `a`'s elements along `axis` at `indices` (same ndim as `a`). */
export function takeAlongAxis(a: MxArray, indices: IndicesLike, axis: number | { axis: number }): MxArray {
  const ax = axisOption(axis)!;
  return withIndices('take_along_axis', [indices], ([i]) => run('take_along_axis', [a, i!], { axis: ax }));
}

/** NumPy's put_along_axis, returning a new array: `a` with `values` written at `indices` along `axis`. */
export function putAlongAxis(a: MxArray, indices: IndicesLike, values: Operand, axis: number | { axis: number }): MxArray {
  const ax = axisOption(axis)!;
  return withIndices('put_along_axis', [indices], ([i]) => run('put_along_axis', [a, i!, values], { axis: ax }));
}

type ScatterName = 'scatter' | 'scatter_add' | 'scatter_prod' | 'scatter_max' | 'scatter_min';

function scatterOp(name: ScatterName, a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray {
  const list = indices instanceof MxArray || !Array.isArray(axes) ? [indices as IndicesLike] : (indices as IndicesLike[]);
  const axisList = typeof axes === 'number' ? [axes] : axes;
  return withIndices(name, list, (idx) => run(name, [a, ...idx, updates], { axes: axisList }));
}

/** MLX's scatter: `a` with the slices of `updates` (shape: index shape + a slice of a.ndim
 *  axes) written at the positions the index arrays (one per axis in `axes`) pick. */
export const scatter = (a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray => scatterOp('scatter', a, indices, updates, axes);
/** Like scatter, but adds the updates (repeated indices accumulate). */
export const scatterAdd = (a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray => scatterOp('scatter_add', a, indices, updates, axes);
/** Like scatter, but multiplies by the updates. */
export const scatterProd = (a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray => scatterOp('scatter_prod', a, indices, updates, axes);
/** Like scatter, but keeps the maximum. */
export const scatterMax = (a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray => scatterOp('scatter_max', a, indices, updates, axes);
/** Like scatter, but keeps the minimum. */
export const scatterMin = (a: MxArray, indices: IndicesLike | readonly IndicesLike[], updates: Operand,
  axes: number | readonly number[]): MxArray => scatterOp('scatter_min', a, indices, updates, axes);

// ---- x.index(...) and x.at(...) ----------------------------------------------------------

type Entry =
  | { kind: 'int'; axis: number; value: number }
  | { kind: 'slice'; axis: number }
  | { kind: 'new' }
  | { kind: 'array'; axis: number; value: IndicesLike };

/** How an index tuple applies to an array: one strided slice of every axis (the basic
 *  part), then the advanced part (integer arrays, and integers when arrays are present). */
interface Plan {
  start: number[];
  stop: number[];
  steps: number[];
  entries: Entry[];
  advanced: boolean;
}

function parseSlice(s: string): IndexSlice {
  const parts = s.split(':');
  if (parts.length > 3) throw new Error(`[index] Invalid slice ${describeValue(s)}.`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new Error(`[index] Invalid slice ${describeValue(s)}.`);
    return v;
  };
  return new IndexSlice(num(parts[0]), num(parts[1]), num(parts[2]));
}

function plan(x: MxArray, idx: readonly ArrayIndex[]): Plan {
  const shape = x.shape;
  const consumes = (e: ArrayIndex): boolean => e !== null && e !== '...';
  const used = idx.filter(consumes).length;
  if (idx.filter((e) => e === '...').length > 1) throw new Error('[index] An index can only have a single ellipsis.');
  if (used > shape.length) {
    throw new Error(`[index] Too many indices (${used}) for array with ${shape.length} dimensions.`);
  }
  const p: Plan = { start: [], stop: [], steps: [], entries: [], advanced: false };
  const full = (axis: number): void => {
    p.start.push(0);
    p.stop.push(shape[axis]!);
    p.steps.push(1);
  };
  let axis = 0;
  const expanded: ArrayIndex[] = [];
  for (const e of idx) {
    if (e === '...') for (let k = 0; k < shape.length - used; k++) expanded.push(':');
    else expanded.push(e);
  }
  while (expanded.filter(consumes).length < shape.length) expanded.push(':');
  for (const e of expanded) {
    if (e === null) {
      p.entries.push({ kind: 'new' });
    } else if (typeof e === 'number') {
      const n = shape[axis]!;
      if (!Number.isInteger(e)) throw new Error(`[index] Indices must be integers, got ${describeValue(e)}.`);
      if (e < -n || e >= n) throw new Error(`[index] Index ${e} is out of bounds for axis ${axis} with size ${n}.`);
      const v = e < 0 ? e + n : e;
      p.entries.push({ kind: 'int', axis, value: v });
      p.start.push(v);
      p.stop.push(v + 1);
      p.steps.push(1);
      axis++;
    } else if (typeof e === 'string' || e instanceof IndexSlice) {
      const s = typeof e === 'string' ? parseSlice(e) : e;
      const n = shape[axis]!;
      const step = s.step ?? 1;
      if (!Number.isInteger(step) || step === 0) throw new Error('[index] Slice step cannot be zero.');
      // Defaults as in Python; -(n + 1) means "before the first element" to the core.
      p.start.push(s.start ?? (step > 0 ? 0 : n - 1));
      p.stop.push(s.stop ?? (step > 0 ? n : -(n + 1)));
      p.steps.push(step);
      p.entries.push({ kind: 'slice', axis });
      axis++;
    } else if (e instanceof MxArray || Array.isArray(e)) {
      p.entries.push({ kind: 'array', axis, value: e as IndicesLike });
      p.advanced = true;
      full(axis);
      axis++;
    } else {
      throw new Error(`[index] Cannot index with ${typeof e === 'object' ? 'this object' : typeof e}.`);
    }
  }
  return p;
}

/** The advanced part of a plan: index arrays, their axes, and where their shape lands. */
interface Advanced {
  arrays: MxArray[];
  axes: number[];
  /** Shape after dropping the advanced axes and adding the new ones (index dims first). */
  rest: number[];
  /** Where the index dims go in the result (0 unless the advanced entries are adjacent). */
  position: number;
}

function advancedPart(p: Plan, view: MxArray): Advanced {
  const arrays: MxArray[] = [];
  const axes: number[] = [];
  const rest: number[] = [];
  const positions: number[] = [];
  p.entries.forEach((e, k) => {
    if (e.kind === 'new') rest.push(1);
    else if (e.kind === 'slice') rest.push(view.shape[e.axis]!);
    else {
      // NumPy: with arrays present, integers are advanced indices too (0-d arrays); the
      // basic slice already narrowed their axis to the one element, at position 0.
      arrays.push(e.kind === 'int' ? array(0, int32) : toIndices('index', e.value));
      axes.push(e.axis);
      positions.push(k);
    }
  });
  const adjacent = positions.every((q, i) => i === 0 || q === positions[i - 1]! + 1);
  const before = p.entries.slice(0, positions[0]).filter((e) => e.kind === 'new' || e.kind === 'slice').length;
  return { arrays, axes, rest, position: adjacent ? before : 0 };
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Moves a block of `len` axes from `from` to `to` (a transpose; identity skipped). */
function moveBlock(x: MxArray, from: number, to: number, len: number): MxArray {
  if (from === to || len === 0) return x;
  const others = range(x.ndim).filter((i) => i < from || i >= from + len);
  const perm = [...others.slice(0, to), ...range(len, from), ...others.slice(to)];
  return transpose(x, perm);
}

function gatherView(view: MxArray, adv: Advanced): MxArray {
  const sizes = view.shape.map((d, i) => (adv.axes.includes(i) ? 1 : d));
  const g = run('gather', [view, ...adv.arrays], { axes: adv.axes, sliceSizes: sizes });
  const batch = g.shape.slice(0, g.ndim - view.ndim);
  return moveBlock(reshape(g, [...batch, ...adv.rest]), 0, adv.position, batch.length);
}

function basicShape(p: Plan, view: MxArray): number[] {
  const out: number[] = [];
  for (const e of p.entries) {
    if (e.kind === 'new') out.push(1);
    else if (e.kind === 'slice') out.push(view.shape[e.axis]!);
  }
  return out;
}

/** NumPy indexing of `x`: basic entries give views (slice + reshape), integer arrays gather. */
export function index(x: MxArray, ...idx: ArrayIndex[]): MxArray {
  if (!(x instanceof MxArray)) throw new TypeError(`[index] Expected an array, got ${describeValue(x)}.`);
  return tidy(() => {
    const p = plan(x, idx);
    const view = slice(x, p.start, p.stop, p.steps);
    if (!p.advanced) return reshape(view, basicShape(p, view));
    return gatherView(view, advancedPart(p, view));
  });
}

type AtOp = 'set' | 'add' | 'subtract' | 'multiply' | 'divide' | 'maximum' | 'minimum';

/**
 * Drops the update's leading size-1 axes beyond the target's rank, as MLX does before
 * broadcasting an update to the indexed region (`x.at(1).add([[1, 2]])` on rows of 2).
 */
function dropLeadingOnes(upd: MxArray, targetNdim: number): MxArray {
  let s = 0;
  while (upd.ndim - s > targetNdim && upd.shape[s] === 1) s++;
  return s === 0 ? upd : reshape(upd, upd.shape.slice(s));
}

const isBoolMask = (idx: readonly ArrayIndex[]): idx is [MxArray] =>
  idx.length === 1 && idx[0] instanceof MxArray && String(idx[0].dtype) === 'bool';

/** `x.at(mask)`: MLX's masked_scatter, then `op` between x and the scattered values. */
function applyAtMask(x: MxArray, mask: MxArray, op: AtOp, upd: MxArray): MxArray {
  const m = maskForTarget('masked_scatter', x, mask);
  const vals = maskedValues(x, m, upd);
  const combined = op === 'set' ? vals
    : op === 'add' || op === 'subtract' ? add(x, vals)
      : op === 'multiply' || op === 'divide' ? multiply(x, vals)
        : op === 'maximum' ? maximum(x, vals) : minimum(x, vals);
  return where(m, combined, x);
}

function applyAt(x: MxArray, idx: readonly ArrayIndex[], op: AtOp, v: Operand): MxArray {
  return tidy(() => {
    // JS numbers take x's dtype (the result always has x's dtype, as in MLX).
    let upd: MxArray = v instanceof MxArray ? v : array(v as number, x.dtype);
    if (op === 'subtract') upd = negative(upd);
    if (op === 'divide') upd = divide(1, upd);
    if (isBoolMask(idx)) return applyAtMask(x, idx[0], op, upd);
    const p = plan(x, idx);
    const region = slice(x, p.start, p.stop, p.steps);
    const name: ScatterName = op === 'set' ? 'scatter'
      : op === 'add' || op === 'subtract' ? 'scatter_add'
        : op === 'multiply' || op === 'divide' ? 'scatter_prod'
          : op === 'maximum' ? 'scatter_max' : 'scatter_min';
    let updated: MxArray;
    if (!p.advanced) {
      const shape = basicShape(p, region);
      const target = broadcastTo(dropLeadingOnes(upd, shape.length), shape);
      if (op === 'set') return sliceUpdate(x, reshape(target, region.shape), p.start, p.stop, p.steps);
      // No index arrays: one slice covering the whole region.
      updated = run(name, [region, reshape(target, region.shape)], { axes: [] });
    } else {
      const adv = advancedPart(p, region);
      const batch = broadcastShapes(adv.arrays.map((a) => a.shape));
      const resultShape = [...adv.rest];
      resultShape.splice(adv.position, 0, ...batch);
      const target = moveBlock(broadcastTo(dropLeadingOnes(upd, resultShape.length), resultShape), adv.position, 0, batch.length);
      const sizes = region.shape.map((d, i) => (adv.axes.includes(i) ? 1 : d));
      updated = run(name, [region, ...adv.arrays, reshape(target, [...batch, ...sizes])], { axes: adv.axes });
    }
    return sliceUpdate(x, updated, p.start, p.stop, p.steps);
  });
}

/** NumPy broadcasting of the index shapes (mismatches are reported by the core op). */
function broadcastShapes(shapes: number[][]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return range(n).map((i) => {
    let d = 1;
    for (const s of shapes) {
      const v = s[i - (n - s.length)] ?? 1;
      if (v !== 1) d = v;
    }
    return d;
  });
}

/** `x.at(...idx)`: updates at an index that return new arrays (MLX's `x.at[idx]`);
 *  with advanced indices, repeated positions accumulate for add/multiply/maximum/minimum. */
export class ArrayAt {
  constructor(private readonly x: MxArray, private readonly idx: readonly ArrayIndex[]) {}
  /** x with the indexed elements replaced by v. */
  set(v: Operand): MxArray { return applyAt(this.x, this.idx, 'set', v); }
  /** x with v added at the index. */
  add(v: Operand): MxArray { return applyAt(this.x, this.idx, 'add', v); }
  /** x with v subtracted at the index. */
  subtract(v: Operand): MxArray { return applyAt(this.x, this.idx, 'subtract', v); }
  /** x multiplied by v at the index. */
  multiply(v: Operand): MxArray { return applyAt(this.x, this.idx, 'multiply', v); }
  /** x divided by v at the index. */
  divide(v: Operand): MxArray { return applyAt(this.x, this.idx, 'divide', v); }
  /** The maximum of x and v at the index. */
  maximum(v: Operand): MxArray { return applyAt(this.x, this.idx, 'maximum', v); }
  /** The minimum of x and v at the index. */
  minimum(v: Operand): MxArray { return applyAt(this.x, this.idx, 'minimum', v); }
}

declare module '../array.js' {
  interface MxArray {
    /** NumPy-style indexing: `x.index(0, '1:3', null, '...', [2, 0])`. */
    index(...idx: ArrayIndex[]): MxArray;
    /** Functional updates at an index: `x.at(idx).add(v)` returns a new array. */
    at(...idx: ArrayIndex[]): ArrayAt;
  }
}

const proto = MxArray.prototype;
proto.index = function (...idx) { return index(this, ...idx); };
proto.at = function (...idx) { return new ArrayAt(this, idx); };
