// Argument helpers shared by the convolutions and transposed convolutions in conv.ts (internal: not re-exported).
import { describeValue } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { isFloating } from '../dtype.js';
import { describe } from '../operands.js';

/** A spatial parameter: one number for every axis, or one per axis. */
export type Pair = number | readonly [number, number] | readonly number[];

/** Numbers and lists of numbers as JSON (as the messages always showed them); anything else described safely. */
const shown = (v: unknown): string =>
  typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number')) ? JSON.stringify(v) : describeValue(v);

/** A per-spatial-axis list from a number or a list of `n` numbers. */
export function perAxis(op: string, name: string, v: Pair | undefined, n: number, dflt: number, min: number): number[] {
  const list = v === undefined ? Array<number>(n).fill(dflt) : typeof v === 'number' ? Array<number>(n).fill(v) : Array.isArray(v) ? [...v] : [NaN];
  if (list.length !== n || list.some((x) => !Number.isInteger(x) || x < min)) {
    throw new Error(`[${op}] Invalid ${name} ${shown(v)}: expected ${n === 1 ? 'an integer' : `an integer or ${n} integers`}${min === -Infinity ? '' : ` >= ${min}`}.`);
  }
  return list;
}

export const shapeStr = (s: readonly number[]): string => `(${s.join(',')})`;

/** The checks every convolution makes of its input and weight (n spatial axes), MLX's wording. */
export function checkConvOperands(op: string, x: unknown, w: unknown, n: number): asserts x is MxArray {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected input to be an array, got ${describe(x)}.`);
  if (!(w instanceof MxArray)) throw new TypeError(`[${op}] Expected weight to be an array, got ${describe(w)}.`);
  if (x.ndim !== n + 2) {
    throw new Error(`[${op}] Invalid input array with ${x.ndim} dimensions for ${n}D convolution. Expected an array with ${n + 2} dimensions following the format [N, ..., C_in].`);
  }
  if (w.ndim !== n + 2) {
    throw new Error(`[${op}] Invalid weight array with ${w.ndim} dimensions for ${n}D convolution. Expected an array with ${n + 2} dimensions following the format [C_out, ..., C_in].`);
  }
  if (!isFloating(x.dtype) || !isFloating(w.dtype)) {
    throw new Error(`[${op}] Invalid input array with type ${!isFloating(x.dtype) ? x.dtype : w.dtype}. Convolution currently only supports floating point types.`);
  }
}

/**
 * `groups` (default 1) checked against the channels of x [N, ...spatial, C_in] and
 * w [C_out, ...kernel, C_in / groups], with MLX's messages; returns it.
 */
export function checkGroups(op: string, x: MxArray, w: MxArray, n: number, groupsArg: number | undefined): number {
  const groups = groupsArg ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`[${op}] Invalid groups ${groups}: expected a positive integer.`);
  const cIn = x.shape[n + 1]!;
  const cOut = w.shape[0]!;
  if (cIn % groups !== 0) {
    throw new Error(`[${op}] The input channels must be divisible by the number of groups. Got input with shape ${shapeStr(x.shape)} and ${groups} groups.`);
  }
  if (groups > 1 && cOut % groups !== 0) {
    throw new Error(`[${op}] If groups > 1, the output channels must be divisible by the number of groups. Got ${cOut} output channels and ${groups} groups.`);
  }
  if (cIn !== groups * w.shape[n + 1]!) {
    throw new Error(`[${op}] Expect the input channels in the input and weight array to match but got shapes - input: ${shapeStr(x.shape)} and weight: ${shapeStr(w.shape)}`);
  }
  return groups;
}
