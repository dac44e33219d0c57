/**
 * mx.fast: rmsNorm, layerNorm, rope, scaledDotProductAttention. MLX defines these by their
 * reference implementations (fused kernels are an optimisation); here they are those
 * compositions of existing core ops, so vjp, jvp and vmap come from the parts. 16-bit
 * floats compute in float32 (as MLX's references do); float64 stays in float64.
 */
import { MxArray } from '../array.js';
import { type Dtype, float32, float64, isFloating } from '../dtype.js';
import { tidy } from '../memory.js';
import { add, astype, exp, matmul, mean, multiply, reshape, subtract } from '../ops.js';
import { describe } from '../operands.js';
import { arange } from '../creation.js';
import { greaterEqual, where } from './compare.js';
import { cos, rsqrt, sin, square } from './elementwise.js';
import { softmax } from './reduce.js';
import { concatenate, expandDims, stack, swapaxes } from './shape.js';
import { slice } from './slice.js';
import { isOptions } from './optional-args.js';

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};

/** The dtype a computation runs in: float32 for 16-bit floats, else the dtype itself. */
const computeType = (d: Dtype): Dtype => (d.size < 4 ? float32 : d);

/** The promoted dtype of `xs`: the core's rules, applied to an add of empty slices of them. */
function resultType(xs: readonly MxArray[]): Dtype {
  return tidy(() => xs.map((x) => reshape(slice(x, x.shape.map(() => 0), x.shape.map(() => 0)), [0])).reduce((a, b) => add(a, b)).dtype);
}

function checkNormWeight(op: string, x: MxArray, w: MxArray, what: string): void {
  needArray(op, w, what);
  if (w.ndim !== 1) throw new Error(`[${op}] ${what} must have 1 dimension but has ${w.ndim} dimensions.`);
  if (w.shape[0] !== x.shape[x.ndim - 1]) {
    throw new Error(`[${op}] ${what} must have the same size as the last dimension of x but has ${w.shape[0]} elements.`);
  }
}

function checkNormInput(op: string, x: MxArray): void {
  needArray(op, x, 'x');
  if (x.ndim === 0) throw new Error(`[${op}] Input must have at least 1 dimension but got input with 0 dimensions.`);
}

/** x / sqrt(mean(x^2, -1) + eps) * weight (weight may be null), over the last axis. */
export function rmsNorm(x: MxArray, weight: MxArray | null | undefined, eps = 1e-5): MxArray {
  checkNormInput('rms_norm', x);
  if (weight != null) checkNormWeight('rms_norm', x, weight, 'weight');
  const outType = weight != null ? resultType([x, weight]) : x.dtype;
  if (!isFloating(outType)) throw new Error(`[rms_norm] Received unsupported type ${outType}.`);
  return tidy(() => {
    const xc = astype(x, computeType(outType));
    const y = astype(multiply(xc, rsqrt(add(mean(square(xc), -1, true), eps))), outType);
    return weight != null ? multiply(y, weight) : y;
  });
}

/** (x - mean) / sqrt(var + eps) * weight + bias over the last axis (weight, bias optional). */
export function layerNorm(x: MxArray, weight: MxArray | null | undefined, bias: MxArray | null | undefined, eps = 1e-5): MxArray {
  checkNormInput('layer_norm', x);
  if (weight != null) checkNormWeight('layer_norm', x, weight, 'weight');
  if (bias != null) checkNormWeight('layer_norm', x, bias, 'bias');
  const outType = resultType([x, ...(weight != null ? [weight] : []), ...(bias != null ? [bias] : [])]);
  if (!isFloating(outType)) throw new Error(`[layer_norm] Received unsupported type ${outType}.`);
  return tidy(() => {
    const xf = astype(x, computeType(outType));
    const xc = subtract(xf, mean(xf, -1, true));
    let y = astype(multiply(xc, rsqrt(add(mean(square(xc), -1, true), eps))), outType);
    if (weight != null) y = multiply(y, weight);
    if (bias != null) y = add(y, bias);
    return y;
  });
}

/** x[..., start:stop:step] */
function lastAxis(x: MxArray, start: number, stop: number, step = 1): MxArray {
  const n = x.ndim;
  return slice(
    x,
    x.shape.map((_, i) => (i === n - 1 ? start : 0)),
    x.shape.map((s, i) => (i === n - 1 ? stop : s)),
    x.shape.map((_, i) => (i === n - 1 ? step : 1)),
  );
}

export interface RopeOptions {
  traditional?: boolean;
  base?: number;
  scale?: number;
  offset?: number;
}

/**
 * Rotary positional encoding of the first `dims` features of x [..., L, D]: position
 * offset + i (times `scale`) rotates feature pairs by angle position * base^(-2j/dims).
 * `traditional` pairs consecutive features (0,1),(2,3)...; otherwise the halves (j, j + dims/2).
 * Defaults: traditional false, base 10000, scale 1, offset 0.
 */
export function rope(x: MxArray, dims: number, options: RopeOptions = {}): MxArray {
  needArray('rope', x, 'x');
  if (!isOptions(options as unknown)) throw new TypeError('[rope] Expected the options { traditional, base, scale, offset } as an object.');
  const { traditional = false, base = 10000, scale = 1, offset = 0 } = options;
  if (x.ndim < 3) throw new Error(`[rope] Input must have at least 3 dimensions but got input with ${x.ndim} dimensions.`);
  if (!isFloating(x.dtype)) throw new Error(`[rope] Input must be a floating type but got ${x.dtype}.`);
  const d = x.shape[x.ndim - 1]!;
  if (!Number.isInteger(dims) || dims <= 0 || dims % 2 !== 0 || dims > d) {
    throw new Error(`[rope] dims must be a positive even number no larger than the last dimension (${d}) but got ${dims}.`);
  }
  if (!Number.isInteger(offset)) throw new Error(`[rope] offset must be an integer but got ${offset}.`);
  const n = x.shape[x.ndim - 2]!;
  const half = dims / 2;
  return tidy(() => {
    const t = x.dtype === float64 ? float64 : float32;
    const positions = multiply(arange(offset, offset + n, t), scale);
    const invFreqs = exp(multiply(arange(0, half, t), -Math.log(base) / half));
    const theta = multiply(reshape(positions, [n, 1]), reshape(invFreqs, [1, half]));
    const c = astype(cos(theta), x.dtype);
    const s = astype(sin(theta), x.dtype);
    const x1 = traditional ? lastAxis(x, 0, dims, 2) : lastAxis(x, 0, half);
    const x2 = traditional ? lastAxis(x, 1, dims, 2) : lastAxis(x, half, dims);
    const r1 = subtract(multiply(x1, c), multiply(x2, s));
    const r2 = add(multiply(x1, s), multiply(x2, c));
    const parts = traditional
      ? [reshape(stack([r1, r2], -1), [...x.shape.slice(0, -1), dims])]
      : [r1, r2];
    if (dims < d) parts.push(lastAxis(x, dims, d));
    return parts.length === 1 ? parts[0]! : concatenate(parts, -1);
  });
}

export interface AttentionOptions {
  /** Multiplies q before q k^T (default 1 / sqrt(D)). */
  scale?: number;
  /** An additive array, a boolean array (false = masked out) broadcast to the scores, or 'causal'. */
  mask?: MxArray | 'causal' | null;
}

const SDPA = 'scaled_dot_product_attention';

/**
 * softmax(scale * q k^T + mask) v for q [B, Hq, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv];
 * Hq may be a multiple of Hkv (grouped-query attention). The softmax runs in float32 for
 * 16-bit inputs.
 */
export function scaledDotProductAttention(q: MxArray, k: MxArray, v: MxArray, options: AttentionOptions = {}): MxArray {
  needArray(SDPA, q, 'queries');
  needArray(SDPA, k, 'keys');
  needArray(SDPA, v, 'values');
  for (const a of [q, k, v]) {
    if (a.ndim !== 4) throw new Error(`[${SDPA}] input with shape (${a.shape.join(',')}) expected to be rank 4`);
  }
  const [b, hq, lq, dq] = q.shape as [number, number, number, number];
  const [bk, hkv, lk, dk] = k.shape as [number, number, number, number];
  if (bk !== b || v.shape[0] !== b) throw new Error(`[${SDPA}] mismatching batch dimension for queries, keys and values.`);
  if (dk !== dq) {
    throw new Error(`[${SDPA}] query, keys expected to have matching last dimension; found query shape (${q.shape.join(',')}) for keys shape (${k.shape.join(',')}).`);
  }
  if (v.shape[1] !== hkv || v.shape[2] !== lk) {
    throw new Error(`[${SDPA}] keys and values must have the same number of heads and sequence length; found keys shape (${k.shape.join(',')}) and values shape (${v.shape.join(',')}).`);
  }
  if (hkv === 0 || hq % hkv !== 0) {
    throw new Error(`[${SDPA}] number of heads in query (${hq}) must be divisible by number of heads in keys / values (${hkv}).`);
  }
  if (!isOptions(options as unknown)) throw new TypeError(`[${SDPA}] Expected the options { scale, mask } as an object.`);
  const { mask = null } = options;
  const scale = options.scale ?? 1 / Math.sqrt(dq);
  if (mask !== null && mask !== 'causal' && !(mask instanceof MxArray)) {
    throw new Error(`[${SDPA}] Invalid mask ${describe(mask)}: expected an array or 'causal'.`);
  }
  const rep = hq / hkv;
  return tidy(() => {
    let qs = multiply(q, scale);
    let ks = k;
    let vs = v;
    if (rep > 1) {
      // Heads sharing a key/value head form one broadcast batch axis.
      qs = reshape(qs, [b, hkv, rep, lq, dq]);
      ks = expandDims(k, 2);
      vs = expandDims(v, 2);
    }
    let scores = matmul(qs, swapaxes(ks, -1, -2));
    if (mask === 'causal') {
      const rows = reshape(add(arange(0, lq, float32), lk - lq), [lq, 1]);
      const keep = greaterEqual(rows, reshape(arange(0, lk, float32), [1, lk]));
      scores = where(keep, scores, -Infinity);
    } else if (mask instanceof MxArray) {
      let m = mask;
      if (rep > 1 && m.ndim >= 3) {
        const h = m.shape[m.ndim - 3]!;
        m = h === 1 ? expandDims(m, -3) : reshape(m, [...m.shape.slice(0, -3), hkv, rep, ...m.shape.slice(-2)]);
      }
      scores = m.dtype.kind === 'bool' ? where(m, scores, -Infinity) : add(scores, m);
    }
    const probs = softmax(scores, -1, true);
    const out = matmul(probs, vs);
    return rep > 1 ? reshape(out, [b, hq, lq, v.shape[3]!]) : out;
  });
}
