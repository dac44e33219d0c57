/**
 * Sorting ops: sort, argsort, partition, argpartition, topk (MLX names and argument order;
 * MLX arrays have no methods for them, so neither do ours). `axis` defaults to -1; `null`
 * works on the flattened array. Indices are uint32, as in MLX; NaNs sort last, as in NumPy.
 * sort, partition and topk are differentiable in their values (the gradient follows the
 * permutation); the index outputs have a zero gradient.
 */
import type { MxArray } from '../array.js';
import type { Operand } from '../operands.js';
import { type OpParams, callOp } from './call.js';
import { optionalArgs } from './optional-args.js';

const apply = (name: string, a: Operand, params: OpParams): MxArray => callOp(name, [a], params);

/** `axis` (default -1; null flattens) positionally or as `{axis}`. */
export interface SortOptions {
  axis?: number | null;
}
type AxisArg = number | null | SortOptions;

/** The axis parameter: null (not given to the core) flattens. */
function axisOf(arg: AxisArg | undefined): number | null {
  const { axis } = optionalArgs<SortOptions>(['axis'], [arg]);
  return axis === null ? null : (axis ?? -1);
}

/** The values sorted along `axis` (stable; NaNs last). */
export const sort = (a: Operand, axis?: AxisArg): MxArray => apply('sort', a, { axis: axisOf(axis) });
/** The uint32 indices that sort `a` along `axis` (stable). */
export const argsort = (a: Operand, axis?: AxisArg): MxArray => apply('argsort', a, { axis: axisOf(axis) });
/**
 * The values rearranged so that position `kth` holds the value it would hold sorted, with no
 * larger values before it and no smaller ones after (each side in unspecified order).
 */
export const partition = (a: Operand, kth: number, axis?: AxisArg): MxArray =>
  apply('partition', a, { kth, axis: axisOf(axis) });
/** The uint32 indices of partition(a, kth, axis). */
export const argpartition = (a: Operand, kth: number, axis?: AxisArg): MxArray =>
  apply('argpartition', a, { kth, axis: axisOf(axis) });
/**
 * The k largest values along `axis`. MLX leaves their order unspecified; mlxjs returns them
 * in ascending order (the last k of sort(a, axis)).
 */
export const topk = (a: Operand, k: number, axis?: AxisArg): MxArray => apply('topk', a, { k, axis: axisOf(axis) });
