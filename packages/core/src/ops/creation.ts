/**
 * Creation extras: linspace, eye, identity, tri, tril, triu, meshgrid (MLX names, argument
 * order and defaults), with the Array methods MLX has (none of these are methods in MLX,
 * so only the functions exist).
 */
import { MxArray } from '../array.js';
import { type DtypeLike, float32, toDtype } from '../dtype.js';
import { backendOf, describe, wrap } from '../operands.js';
import { currentBackend } from '../registry.js';

/** `num` (50) evenly spaced values from start to stop, both included (float32 default). */
export function linspace(start: number, stop: number, num = 50, dtype: DtypeLike = float32): MxArray {
  const backend = currentBackend();
  return wrap(backend, backend.op1('linspace', [], [num, toDtype(dtype).code], [start, stop]));
}

/** An n x m (m defaults to n) array with ones on diagonal k and zeros elsewhere. */
export function eye(n: number, m?: number | null, k = 0, dtype: DtypeLike = float32): MxArray {
  const backend = currentBackend();
  return wrap(backend, backend.op1('eye', [], [n, m ?? n, k, toDtype(dtype).code]));
}

/** The n x n identity matrix. */
export function identity(n: number, dtype: DtypeLike = float32): MxArray {
  if (n < 0) throw new Error('[identity] N must be a non-negative integer.');
  return eye(n, n, 0, dtype);
}

/** An n x m (m defaults to n) array with ones on and below diagonal k. */
export function tri(n: number, m?: number | null, k = 0, dtype: DtypeLike = float32): MxArray {
  const backend = currentBackend();
  return wrap(backend, backend.op1('tri', [], [n, m ?? n, k, toDtype(dtype).code]));
}

const triMask = (name: string, x: MxArray, k: number): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${name}] Expected an array, got ${describe(x)}.`);
  return wrap(x.backend, x.backend.op1(name, [x.handle], [k]));
};
/** The lower triangle of the last two axes (on and below diagonal k); the rest is zero. */
export const tril = (x: MxArray, k = 0): MxArray => triMask('tril', x, k);
/** The upper triangle of the last two axes (on and above diagonal k); the rest is zero. */
export const triu = (x: MxArray, k = 0): MxArray => triMask('triu', x, k);

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
    options = last;
    args = args.slice(0, -1);
  }
  const arrays = args as MxArray[];
  for (const a of arrays) {
    if (!(a instanceof MxArray)) throw new TypeError(`[meshgrid] Expected arrays, got ${describe(a)}.`);
  }
  const indexing = options.indexing ?? 'xy';
  const code = indexing === 'xy' ? 0 : indexing === 'ij' ? 1 : 2;
  const backend = backendOf('meshgrid', ...arrays);
  return backend
    .op('meshgrid', arrays.map((a) => a.handle), [options.sparse ? 1 : 0, code])
    .map((h) => wrap(backend, h));
}
