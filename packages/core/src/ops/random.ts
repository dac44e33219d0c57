/**
 * mx.random: counter-based random numbers as in MLX. A key is a uint32 array of shape [2]
 * (`key(seed)`); the same key gives the same numbers on every backend. Functions whose
 * `key` is omitted split the global key and advance it, as MLX does. The global key starts
 * as key(0), so a program's random numbers are reproducible run to run until `seed()`.
 */
import { MxArray } from '../array.js';
import type { Backend, Handle } from '../backend.js';
import { Dtype, type DtypeLike, float32, int32, toDtype } from '../dtype.js';
import { backendOf, describe, type Operand, wrap } from '../operands.js';
import { axesParam, listParam } from '../params.js';
import { currentBackend } from '../registry.js';

type ShapeLike = number | readonly number[];
const toShape = (s: ShapeLike): readonly number[] => (typeof s === 'number' ? [s] : s);

/** A trailing options object (not an array, a dtype or a JS list). */
const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !(x instanceof MxArray) && !(x instanceof Dtype) && !Array.isArray(x);

/**
 * Runs core op `name` on operands where JS numbers become 0-d arrays of `numberDtype`
 * (the dtype the op samples in, as MLX casts its scalar bounds), then the key if given.
 */
function run(
  name: string,
  operands: readonly Operand[],
  key: MxArray | undefined,
  numberDtype: Dtype,
  ints: readonly number[],
  reals?: readonly number[],
): MxArray {
  if (key !== undefined && !(key instanceof MxArray)) {
    throw new TypeError(`[${name.replace('random_', '')}] The key must be an array, got ${describe(key)}.`);
  }
  const backend: Backend = operands.length || key ? backendOf(name, ...operands, key) : currentBackend();
  const handles: Handle[] = [];
  const temps: Handle[] = [];
  try {
    for (const x of operands) {
      if (x instanceof MxArray) handles.push(x.handle);
      else if (typeof x === 'number' || typeof x === 'boolean') {
        const h = backend.scalar(Number(x), numberDtype.code);
        temps.push(h);
        handles.push(h);
      } else {
        throw new TypeError(`[${name.replace('random_', '')}] Expected an array or number, got ${describe(x)}.`);
      }
    }
    if (key !== undefined) handles.push(key.handle);
    return wrap(backend, backend.op1(name, handles, ints, reals));
  } finally {
    for (const h of temps) backend.free(h);
  }
}

/** Sets the global key to key(s). */
export function seed(s: number): void {
  currentBackend().op('random_seed', [], [], [s]);
}

/** The key of `seed`: uint32 [seed >> 32, seed & 0xffffffff] (seed an integer in [0, 2^53]). */
export function key(seed: number): MxArray {
  const backend = currentBackend();
  return wrap(backend, backend.op1('random_key', [], [], [seed]));
}

/** `num` new keys from `key`, as a uint32 array of shape [num, 2]. */
export function split(key: MxArray, num = 2): MxArray {
  return run('random_split', [key], undefined, float32, [num]);
}

/** Random bits of `shape`: uint32 (width 4), or uint8/uint16/uint64 for widths 1/2/8. */
export function bits(shape: ShapeLike = [], width = 4, key?: MxArray): MxArray {
  return run('random_bits', [], key, float32, [...listParam(toShape(shape)), width]);
}

export interface UniformOptions {
  low?: Operand;
  high?: Operand;
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Uniform samples in [low, high) of `shape` (low/high broadcast into it), float32 by default. */
export function uniform(
  low: Operand | UniformOptions = 0,
  high: Operand = 1,
  shape: ShapeLike = [],
  dtype: DtypeLike = float32,
  key?: MxArray,
): MxArray {
  if (isOptions(low)) {
    const o = low as UniformOptions;
    return uniform(o.low ?? 0, o.high ?? 1, o.shape ?? [], o.dtype ?? float32, o.key);
  }
  const d = toDtype(dtype);
  return run('random_uniform', [low as Operand, high], key, d, [...listParam(toShape(shape)), d.code]);
}

export interface NormalOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  loc?: Operand;
  scale?: Operand;
  key?: MxArray;
}
/** Normal samples with mean `loc` (0) and standard deviation `scale` (1). */
export function normal(
  shape: ShapeLike | NormalOptions = [],
  dtype: DtypeLike = float32,
  loc?: Operand | null,
  scale?: Operand | null,
  key?: MxArray,
): MxArray {
  if (isOptions(shape)) {
    const o = shape as NormalOptions;
    return normal(o.shape ?? [], o.dtype ?? float32, o.loc, o.scale, o.key);
  }
  const d = toDtype(dtype);
  const operands: Operand[] = [];
  if (loc !== undefined && loc !== null) operands.push(loc);
  if (scale !== undefined && scale !== null) operands.push(scale);
  const hasLoc = loc !== undefined && loc !== null ? 1 : 0;
  const hasScale = scale !== undefined && scale !== null ? 1 : 0;
  return run('random_normal', operands, key, d, [...listParam(toShape(shape as ShapeLike)), d.code, hasLoc, hasScale]);
}

export interface RandintOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Integers uniform in [low, high) (an empty range gives low), int32 by default. */
export function randint(
  low: Operand,
  high: Operand,
  shape: ShapeLike | RandintOptions = [],
  dtype: DtypeLike = int32,
  key?: MxArray,
): MxArray {
  if (isOptions(shape)) {
    const o = shape as RandintOptions;
    return randint(low, high, o.shape ?? [], o.dtype ?? int32, o.key);
  }
  const d = toDtype(dtype);
  const numbers = d.kind === 'bool' ? int32 : d;
  return run('random_randint', [low, high], key, numbers, [...listParam(toShape(shape as ShapeLike)), d.code]);
}

export interface BernoulliOptions {
  p?: Operand;
  shape?: ShapeLike;
  key?: MxArray;
}
/** Booleans that are true with probability `p` (0.5); shape defaults to p's. */
export function bernoulli(p: Operand | BernoulliOptions = 0.5, shape?: ShapeLike | null, key?: MxArray): MxArray {
  if (isOptions(p)) {
    const o = p as BernoulliOptions;
    return bernoulli(o.p ?? 0.5, o.shape, o.key);
  }
  const s = shape === undefined || shape === null ? null : toShape(shape);
  return run('random_bernoulli', [p as Operand], key, float32, axesParam(s));
}

export interface TruncatedNormalOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Normal samples truncated to [lower, upper]; shape defaults to the bounds' broadcast shape. */
export function truncatedNormal(
  lower: Operand,
  upper: Operand,
  shape?: ShapeLike | null | TruncatedNormalOptions,
  dtype: DtypeLike = float32,
  key?: MxArray,
): MxArray {
  if (isOptions(shape)) {
    const o = shape as TruncatedNormalOptions;
    return truncatedNormal(lower, upper, o.shape, o.dtype ?? float32, o.key);
  }
  const d = toDtype(dtype);
  const s = shape === undefined || shape === null ? null : toShape(shape as ShapeLike);
  return run('random_truncated_normal', [lower, upper], key, d, [...axesParam(s), d.code]);
}

export interface GumbelOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Samples of the standard Gumbel distribution. */
export function gumbel(shape: ShapeLike | GumbelOptions = [], dtype: DtypeLike = float32, key?: MxArray): MxArray {
  if (isOptions(shape)) {
    const o = shape as GumbelOptions;
    return gumbel(o.shape ?? [], o.dtype ?? float32, o.key);
  }
  const d = toDtype(dtype);
  return run('random_gumbel', [], key, d, [...listParam(toShape(shape as ShapeLike)), d.code]);
}

export interface CategoricalOptions {
  axis?: number;
  shape?: ShapeLike;
  numSamples?: number;
  key?: MxArray;
}
/**
 * Indices (uint32) sampled from the unnormalised log-probabilities `logits` along `axis`
 * (the Gumbel-max trick). `shape` is the output shape; `numSamples` adds a trailing axis.
 */
export function categorical(
  logits: MxArray,
  axis: number | CategoricalOptions = -1,
  shape?: ShapeLike | null,
  numSamples?: number | null,
  key?: MxArray,
): MxArray {
  if (isOptions(axis)) {
    const o = axis as CategoricalOptions;
    return categorical(logits, o.axis ?? -1, o.shape, o.numSamples, o.key);
  }
  const s = shape === undefined || shape === null ? null : toShape(shape);
  const n = numSamples === undefined || numSamples === null ? -1 : numSamples;
  if (numSamples !== undefined && numSamples !== null && numSamples < 0) {
    throw new Error('[categorical] num_samples must be non-negative.');
  }
  return run('random_categorical', [logits], key, float32, [axis as number, ...axesParam(s), n]);
}

export interface PermutationOptions {
  axis?: number;
  key?: MxArray;
}
/** A random permutation of `x` along `axis` (0), or of arange(x) for an integer x. */
export function permutation(x: MxArray | number, axis: number | PermutationOptions = 0, key?: MxArray): MxArray {
  if (isOptions(axis)) {
    const o = axis as PermutationOptions;
    return permutation(x, o.axis ?? 0, o.key);
  }
  if (typeof x === 'number') {
    if (!Number.isInteger(x)) throw new TypeError('[permutation] Expected an integer or an array.');
    return run('random_permutation_n', [], key, float32, [x]);
  }
  return run('random_permutation', [x], key, float32, [axis as number]);
}
