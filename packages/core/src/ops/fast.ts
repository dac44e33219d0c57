/**
 * mx.fast: rmsNorm, layerNorm, rope, scaledDotProductAttention: core ops
 * (core-cpp/src/ops_fast.cpp), one fused primitive each with a CPU kernel (and Metal kernels),
 * whose vjp, jvp and vmap come from MLX's reference composition. 16-bit floats compute in
 * float32 (as MLX's references do); float64 stays in float64. Only the checks that need JS
 * values (array-ness, integers, option objects) are made here; the core checks the rest.
 */
import { describeValue } from '../arg-checks.js';
import { MxArray } from '../array.js';
import { describe } from '../operands.js';
import { callOp as apply } from './call.js';
import { isOptions } from './optional-args.js';

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};


/** x / sqrt(mean(x^2, -1) + eps) * weight (weight may be null), over the last axis. */
export function rmsNorm(x: MxArray, weight: MxArray | null | undefined, eps = 1e-5): MxArray {
  needArray('rms_norm', x, 'x');
  if (weight != null) needArray('rms_norm', weight, 'weight');
  return apply('rms_norm', weight != null ? [x, weight] : [x], { hasWeight: weight != null, eps });
}

/** (x - mean) / sqrt(var + eps) * weight + bias over the last axis (weight, bias optional). */
export function layerNorm(x: MxArray, weight: MxArray | null | undefined, bias: MxArray | null | undefined, eps = 1e-5): MxArray {
  needArray('layer_norm', x, 'x');
  if (weight != null) needArray('layer_norm', weight, 'weight');
  if (bias != null) needArray('layer_norm', bias, 'bias');
  const inputs = [x, ...(weight != null ? [weight] : []), ...(bias != null ? [bias] : [])];
  return apply('layer_norm', inputs, { hasWeight: weight != null, hasBias: bias != null, eps });
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
  // The core checks the rest; integers are checked here because the C ABI passes int32s.
  if (!Number.isInteger(dims) || Math.abs(dims) > 2 ** 31 - 1) {
    const d = x.ndim > 0 ? x.shape[x.ndim - 1]! : 0;
    throw new Error(`[rope] dims must be a positive even number no larger than the last dimension (${d}) but got ${describeValue(dims)}.`);
  }
  if (!Number.isInteger(offset) || Math.abs(offset) > 2 ** 31 - 1) throw new Error(`[rope] offset must be an integer but got ${describeValue(offset)}.`);
  return apply('rope', [x], { dims, traditional: !!traditional, offset, base, scale });
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
 * 16-bit inputs. A core op (fused primitive) like the others.
 */
export function scaledDotProductAttention(q: MxArray, k: MxArray, v: MxArray, options: AttentionOptions = {}): MxArray {
  needArray(SDPA, q, 'queries');
  needArray(SDPA, k, 'keys');
  needArray(SDPA, v, 'values');
  if (!isOptions(options as unknown)) throw new TypeError(`[${SDPA}] Expected the options { scale, mask } as an object.`);
  const { mask = null, scale } = options;
  if (mask !== null && mask !== 'causal' && !(mask instanceof MxArray)) {
    throw new Error(`[${SDPA}] Invalid mask ${describe(mask)}: expected an array or 'causal'.`);
  }
  const inputs = mask instanceof MxArray ? [q, k, v, mask] : [q, k, v];
  return apply(SDPA, inputs, { mask: mask === null ? 'none' : mask === 'causal' ? 'causal' : 'array', scale });
}
