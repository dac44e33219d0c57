/**
 * mx.random: counter-based random numbers as in MLX. A key is a uint32 array of shape [2]
 * (`key(seed)`); the same key gives the same numbers on every backend. Functions whose
 * `key` is omitted split the global key and advance it, as MLX does. The global key starts
 * as key(0), so a program's random numbers are reproducible run to run until `seed()`.
 */
import { MxArray } from '../array.js';
import type { Backend, Handle } from '../backend.js';
import { type Dtype, type DtypeLike, float32, int32, toDtype } from '../dtype.js';
import { backendOf, describe, type Operand, wrap } from '../operands.js';
import { type OpParams, runOp, runOp1 } from './call.js';
import { optionalArgs } from './optional-args.js';
import { currentBackend } from '../registry.js';
import { nextKey, seedState } from '../random-state.js';
import { tidy } from '../memory.js';
import { abs, add, astype, log1p, multiply, negative, sign, sqrt } from './elementwise.js';
import { matmul, svd } from './linalg.js';
import { broadcastShapes, expandDims, reshape, squeeze } from './shape.js';
import { slice } from './slice.js';

export { state } from '../random-state.js';

/** split(k) as two keys of shape [2] (MLX's KeySequence::next takes the rows). */
function splitInTwo(k: MxArray): [MxArray, MxArray] {
  const both = split(k);
  const row = (i: number): MxArray => {
    const r = slice(both, [i, 0], [i + 1, 2]);
    const out = reshape(r, [2]);
    r.dispose();
    return out;
  };
  const out: [MxArray, MxArray] = [row(0), row(1)];
  both.dispose();
  return out;
}

type ShapeLike = number | readonly number[];
const toShape = (s: ShapeLike): readonly number[] => (typeof s === 'number' ? [s] : s);

/**
 * Runs core op `name` on operands where JS numbers become 0-d arrays of `numberDtype`
 * (the dtype the op samples in, as MLX casts its scalar bounds), then the key if given.
 */
function run(
  name: string,
  operands: readonly Operand[],
  key: MxArray | undefined,
  numberDtype: Dtype,
  params: OpParams,
): MxArray {
  if (key !== undefined && !(key instanceof MxArray)) {
    throw new TypeError(`[${name.replace('random_', '')}] The key must be an array, got ${describe(key)}.`);
  }
  const backend: Backend = operands.length || key ? backendOf(name, ...operands, key) : currentBackend();
  const handles: Handle[] = [];
  const temps: Handle[] = [];
  // Without a key, the next key of mx.random.state (freed once the op is built).
  const globalKey = key === undefined && name !== 'random_split' ? nextKey(splitInTwo) : undefined;
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
    const k = key ?? globalKey;
    if (k !== undefined) handles.push(k.handle);
    return wrap(backend, runOp1(backend, name, handles, params));
  } finally {
    for (const h of temps) backend.free(h);
    globalKey?.dispose();
  }
}

/** Sets the global key to key(s). */
export function seed(s: number): void {
  const backend = currentBackend();
  for (const h of runOp(backend, 'random_seed', [], { seed: s })) backend.free(h);
  seedState(key(s));
}

/** The key of `seed`: uint32 [seed >> 32, seed & 0xffffffff] (seed an integer in [0, 2^53]). */
export function key(seed: number): MxArray {
  const backend = currentBackend();
  return wrap(backend, runOp1(backend, 'random_key', [], { seed }));
}

/** `num` (2) new keys from `key`, as a uint32 array of shape [num, 2]. */
export function split(key: MxArray, num: number | { num?: number } = 2): MxArray {
  const o = optionalArgs<{ num: number }>(['num'], [num]);
  return run('random_split', [key], undefined, float32, { num: o.num ?? 2 });
}

export interface BitsOptions {
  shape?: ShapeLike;
  width?: number;
  key?: MxArray;
}
/** Random bits of `shape`: uint32 (width 4), or uint8/uint16/uint64 for widths 1/2/8. */
export function bits(
  shape?: ShapeLike | BitsOptions,
  width?: number | BitsOptions,
  key?: MxArray | BitsOptions,
): MxArray {
  const o = optionalArgs<BitsOptions>(['shape', 'width', 'key'], [shape, width, key]);
  return run('random_bits', [], o.key, float32, { shape: toShape(o.shape ?? []), width: o.width ?? 4 });
}

export interface UniformOptions {
  low?: Operand;
  high?: Operand;
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Uniform samples in [low (0), high (1)) of `shape` (the bounds broadcast into it), float32. */
export function uniform(
  low?: Operand | UniformOptions,
  high?: Operand | UniformOptions,
  shape?: ShapeLike | UniformOptions,
  dtype?: DtypeLike | UniformOptions,
  key?: MxArray | UniformOptions,
): MxArray {
  const o = optionalArgs<UniformOptions>(['low', 'high', 'shape', 'dtype', 'key'], [low, high, shape, dtype, key]);
  const d = toDtype(o.dtype ?? float32);
  return run('random_uniform', [o.low ?? 0, o.high ?? 1], o.key, d, { shape: toShape(o.shape ?? []), dtype: d });
}

export interface NormalOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  loc?: Operand | null;
  scale?: Operand | null;
  key?: MxArray;
}
/** Normal samples with mean `loc` (0) and standard deviation `scale` (1), float32. */
export function normal(
  shape?: ShapeLike | NormalOptions,
  dtype?: DtypeLike | NormalOptions,
  loc?: Operand | null | NormalOptions,
  scale?: Operand | null | NormalOptions,
  key?: MxArray | NormalOptions,
): MxArray {
  const o = optionalArgs<NormalOptions>(['shape', 'dtype', 'loc', 'scale', 'key'], [shape, dtype, loc, scale, key]);
  const d = toDtype(o.dtype ?? float32);
  const operands: Operand[] = [];
  const hasLoc = o.loc !== undefined && o.loc !== null;
  const hasScale = o.scale !== undefined && o.scale !== null;
  if (hasLoc) operands.push(o.loc as Operand);
  if (hasScale) operands.push(o.scale as Operand);
  return run('random_normal', operands, o.key, d, { shape: toShape(o.shape ?? []), dtype: d, hasLoc, hasScale });
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
  shape?: ShapeLike | RandintOptions,
  dtype?: DtypeLike | RandintOptions,
  key?: MxArray | RandintOptions,
): MxArray {
  const o = optionalArgs<RandintOptions>(['shape', 'dtype', 'key'], [shape, dtype, key]);
  const d = toDtype(o.dtype ?? int32);
  // JS numbers become the output dtype (int32 for bool), exact for 64-bit ranges up to 2^53.
  const numbers = d.kind === 'bool' ? int32 : d;
  return run('random_randint', [low, high], o.key, numbers, { shape: toShape(o.shape ?? []), dtype: d });
}

export interface BernoulliOptions {
  p?: Operand;
  shape?: ShapeLike | null;
  key?: MxArray;
}
/** Booleans that are true with probability `p` (0.5); the shape defaults to p's. */
export function bernoulli(
  p?: Operand | BernoulliOptions,
  shape?: ShapeLike | null | BernoulliOptions,
  key?: MxArray | BernoulliOptions,
): MxArray {
  const o = optionalArgs<BernoulliOptions>(['p', 'shape', 'key'], [p, shape, key]);
  const s = o.shape === undefined || o.shape === null ? null : toShape(o.shape);
  return run('random_bernoulli', [o.p ?? 0.5], o.key, float32, { shape: s });
}

export interface TruncatedNormalOptions {
  shape?: ShapeLike | null;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Normal samples truncated to [lower, upper]; the shape defaults to the bounds' broadcast shape. */
export function truncatedNormal(
  lower: Operand,
  upper: Operand,
  shape?: ShapeLike | null | TruncatedNormalOptions,
  dtype?: DtypeLike | TruncatedNormalOptions,
  key?: MxArray | TruncatedNormalOptions,
): MxArray {
  const o = optionalArgs<TruncatedNormalOptions>(['shape', 'dtype', 'key'], [shape, dtype, key]);
  const d = toDtype(o.dtype ?? float32);
  const s = o.shape === undefined || o.shape === null ? null : toShape(o.shape);
  return run('random_truncated_normal', [lower, upper], o.key, d, { shape: s, dtype: d });
}

export interface GumbelOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/** Samples of the standard Gumbel distribution (float32). */
export function gumbel(
  shape?: ShapeLike | GumbelOptions,
  dtype?: DtypeLike | GumbelOptions,
  key?: MxArray | GumbelOptions,
): MxArray {
  const o = optionalArgs<GumbelOptions>(['shape', 'dtype', 'key'], [shape, dtype, key]);
  const d = toDtype(o.dtype ?? float32);
  return run('random_gumbel', [], o.key, d, { shape: toShape(o.shape ?? []), dtype: d });
}

export interface CategoricalOptions {
  axis?: number;
  shape?: ShapeLike | null;
  numSamples?: number | null;
  key?: MxArray;
}
/**
 * Indices (uint32) sampled from the unnormalised log-probabilities `logits` along `axis`
 * (-1) by the Gumbel-max trick. `shape` is the output shape; `numSamples` instead appends
 * an axis of that many samples. No gradient flows to the logits.
 */
export function categorical(
  logits: MxArray,
  axis?: number | CategoricalOptions,
  shape?: ShapeLike | null | CategoricalOptions,
  numSamples?: number | null | CategoricalOptions,
  key?: MxArray | CategoricalOptions,
): MxArray {
  const o = optionalArgs<CategoricalOptions>(['axis', 'shape', 'numSamples', 'key'], [axis, shape, numSamples, key]);
  const s = o.shape === undefined || o.shape === null ? null : toShape(o.shape);
  const given = o.numSamples !== undefined && o.numSamples !== null;
  if (given && (o.numSamples as number) < 0) throw new Error('[categorical] num_samples must be non-negative.');
  return run('random_categorical', [logits], o.key, float32, { axis: o.axis ?? -1, shape: s, numSamples: o.numSamples });
}

export interface PermutationOptions {
  axis?: number;
  key?: MxArray;
}
/** A random permutation of `x` along `axis` (0), or of arange(x) for an integer x. */
export function permutation(
  x: MxArray | number,
  axis?: number | PermutationOptions,
  key?: MxArray | PermutationOptions,
): MxArray {
  const o = optionalArgs<PermutationOptions>(['axis', 'key'], [axis, key]);
  if (typeof x === 'number') {
    if (!Number.isInteger(x)) throw new TypeError('[permutation] Expected an integer or an array.');
    return run('random_permutation_n', [], o.key, float32, { n: x });
  }
  return run('random_permutation', [x], o.key, float32, { axis: o.axis ?? 0 });
}

export interface LaplaceOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  loc?: number;
  scale?: number;
  key?: MxArray;
}
/**
 * Samples of the Laplace distribution with location `loc` (0) and scale `scale` (1), as MLX:
 * u uniform in (-1, 1) (float32; the low end one ulp above -1 so log1p stays finite), then
 * the inverse CDF sign(u) * log1p(-|u|), cast to `dtype`, times scale plus loc.
 */
export function laplace(
  shape?: ShapeLike | LaplaceOptions,
  dtype?: DtypeLike | LaplaceOptions,
  loc?: number | LaplaceOptions,
  scale?: number | LaplaceOptions,
  key?: MxArray | LaplaceOptions,
): MxArray {
  const o = optionalArgs<LaplaceOptions>(['shape', 'dtype', 'loc', 'scale', 'key'], [shape, dtype, loc, scale, key]);
  const d = toDtype(o.dtype ?? float32);
  if (d.kind !== 'float') throw new Error(`[laplace] dtype must be a floating point type, got ${d.name}.`);
  const l = o.loc ?? 0;
  const s = o.scale ?? 1;
  return tidy(() => {
    // nextafter(-1, 0) in float32.
    const low = -1 + 2 ** -24;
    const u = uniform(low, 1, o.shape ?? [], float32, o.key);
    let x = astype(multiply(sign(u), log1p(negative(abs(u)))), d);
    if (s !== 1) x = multiply(x, s);
    if (l !== 0) x = add(x, l);
    return x;
  });
}

export interface MultivariateNormalOptions {
  shape?: ShapeLike;
  dtype?: DtypeLike;
  key?: MxArray;
}
/**
 * Jointly normal samples with mean `mean` (..., n) and covariance `cov` (..., n, n), as MLX:
 * the square root of cov from its SVD (U diag(sqrt(S)) V^T, float32), then z @ root + mean
 * for standard normal z. The result has shape broadcast(shape, mean.shape[:-1],
 * cov.shape[:-2]) + [n]. cov must be positive semi-definite (otherwise the result is
 * meaningless, as in MLX); only float32 is supported, as in MLX.
 */
export function multivariateNormal(
  mean: MxArray,
  cov: MxArray,
  shape?: ShapeLike | MultivariateNormalOptions,
  dtype?: DtypeLike | MultivariateNormalOptions,
  key?: MxArray | MultivariateNormalOptions,
): MxArray {
  const op = 'multivariate_normal';
  const o = optionalArgs<MultivariateNormalOptions>(['shape', 'dtype', 'key'], [shape, dtype, key]);
  const d = toDtype(o.dtype ?? float32);
  if (d !== float32) throw new Error(`[${op}] dtype must be float32, got ${d.name}.`);
  if (!(mean instanceof MxArray)) throw new TypeError(`[${op}] Expected mean to be an array, got ${describe(mean)}.`);
  if (!(cov instanceof MxArray)) throw new TypeError(`[${op}] Expected cov to be an array, got ${describe(cov)}.`);
  if (mean.ndim < 1) throw new Error(`[${op}] mean must have at least one dimension.`);
  if (cov.ndim < 2) throw new Error(`[${op}] cov must have at least two dimensions.`);
  const n = mean.shape[mean.ndim - 1]!;
  if (cov.shape[cov.ndim - 1] !== cov.shape[cov.ndim - 2]) throw new Error(`[${op}] The last two dimensions of cov must be equal.`);
  if (cov.shape[cov.ndim - 1] !== n) throw new Error(`[${op}] mean and cov must have compatible shapes.`);
  let batch: number[];
  try {
    batch = broadcastShapes(toShape(o.shape ?? []), mean.shape.slice(0, -1), cov.shape.slice(0, -2));
  } catch {
    throw new Error(`[${op}] shape, mean.shape[:-1] and cov.shape[:-2] must be broadcast-compatible.`);
  }
  return tidy(() => {
    const [u, s, vt] = svd(astype(cov, float32));
    const root = matmul(multiply(u, expandDims(sqrt(s), -2)), vt);
    const z = normal({ shape: [...batch, n], dtype: float32, key: o.key });
    return add(mean, squeeze(matmul(expandDims(z, -2), root), -2));
  });
}
