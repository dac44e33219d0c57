/**
 * Creation extras: linspace, eye, identity, tri, tril, triu, meshgrid (MLX names, argument
 * order and defaults), with the Array methods MLX has (none of these are methods in MLX,
 * so only the functions exist).
 */
import { MxArray } from '../array.js';
import { type DtypeLike, float32, toDtype } from '../dtype.js';
import { backendOf, describe, wrap } from '../operands.js';
import { currentBackend } from '../registry.js';
import { optionalArgs } from './optional-args.js';

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
  return wrap(backend, backend.op1('linspace', [], [o.num ?? 50, toDtype(o.dtype ?? float32).code], [start, stop]));
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
  return wrap(backend, backend.op1(name, [], [n, o.m ?? n, o.k ?? 0, toDtype(o.dtype ?? float32).code]));
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
  return wrap(x.backend, x.backend.op1(name, [x.handle], [o.k ?? 0]));
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
