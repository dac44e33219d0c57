/**
 * MLX's quantization ops: quantize, dequantize, quantizedMatmul, gatherQmm and qqmm (core ops,
 * core-cpp/src/ops/quantized.*), in MLX's modes: affine (the default) and the floating-point
 * mxfp4, mxfp8 and nvfp4 (docs/quantization.md). A weight's last axis is split into groups
 * of `groupSize` values; each group keeps a scale and a bias (affine, w's dtype) or one uint8
 * scale code (the floating-point modes, which have no biases), and its codes are packed into
 * uint32 words as one bit stream, element 0 in the lowest bits. Only the checks that need JS
 * values are made here (arrays, integers, the mode's name); the core checks the rest with
 * MLX's messages.
 */
import { MxArray } from '../array.js';
import { checkOptions } from '../arg-checks.js';
import { type DtypeLike, toDtype } from '../dtype.js';
import { describe } from '../operands.js';
import { callOp, callOpMulti } from './call.js';
import { isOptions } from './optional-args.js';

export type QuantizationMode = 'affine' | 'mxfp4' | 'mxfp8' | 'nvfp4';
/** The modes without biases: quantize returns [wq, scales]. */
export type FloatQuantizationMode = 'mxfp4' | 'mxfp8' | 'nvfp4';
const MODES: readonly string[] = ['affine', 'mxfp4', 'mxfp8', 'nvfp4'];

export interface QuantizeOptions {
  /** Values per scale (affine: 32, 64 or 128, default 64; mxfp4/mxfp8: 32; nvfp4: 16). */
  groupSize?: number | null;
  /** Bits per value (affine: 2, 3, 4, 5, 6 or 8, default 4; mxfp8: 8; mxfp4/nvfp4: 4). */
  bits?: number | null;
  mode?: QuantizationMode;
  /**
   * nvfp4 only (MLX's `global_scale`): a float32 scalar, typically max|w|; the scales are
   * then e4m3 codes of scale * 448 * 6 / globalScale, and dequantize multiplies them by
   * globalScale / (448 * 6) (pass the same value to both).
   */
  globalScale?: MxArray | null;
}

export interface DequantizeOptions extends QuantizeOptions {
  /** The result's dtype (default: that of scales and biases). */
  dtype?: DtypeLike | null;
}

export interface QqmmOptions {
  /** Values per scale: the mode's (nvfp4: 16, mxfp8: 32). */
  groupSize?: number | null;
  /** Bits per value: the mode's (nvfp4: 4, mxfp8: 8). */
  bits?: number | null;
  /** 'nvfp4' (the default) or 'mxfp8'. */
  mode?: QuantizationMode;
  /** nvfp4: x's global scale (a float32 scalar); given together with globalScaleW or not at all. */
  globalScaleX?: MxArray | null;
  /** nvfp4: w's global scale (the one w was quantized with, when it is quantized). */
  globalScaleW?: MxArray | null;
}

export interface QuantizedMatmulOptions extends QuantizeOptions {
  /** x @ w.T (the default, w quantized along its rows as nn.QuantizedLinear stores it) or x @ w. */
  transpose?: boolean;
}

export interface GatherQmmOptions extends QuantizedMatmulOptions {
  /** Which matrix of x (its batch axes flattened) each product uses (default: all, in order). */
  lhsIndices?: MxArray | null;
  /** Which quantized matrix of w each product uses (default: all, in order). */
  rhsIndices?: MxArray | null;
  /** MLX's hint that the indices are sorted (the result does not depend on it). */
  sortedIndices?: boolean;
}

const needArray = (op: string, x: unknown, what: string): MxArray => {
  if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  return x;
};

/** The named parameters common to the three ops, checked for what the C ABI cannot carry. */
function common(op: string, options: unknown): { groupSize?: number; bits?: number; mode: string } {
  if (options !== undefined && !isOptions(options)) {
    throw new TypeError(`[${op}] Expected the options { groupSize, bits, mode, ... } as an object.`);
  }
  const o = (options ?? {}) as QuantizeOptions;
  const mode = o.mode ?? 'affine';
  if (typeof mode !== 'string' || !MODES.includes(mode)) throw new Error(`[${op}] Invalid quantization mode '${String(mode)}'.`);
  const int = (name: string, v: number | null | undefined): number | undefined => {
    if (v == null) return undefined;
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) throw new Error(`[${op}] ${name} must be an integer but got ${v}.`);
    return v;
  };
  return { groupSize: int('groupSize', o.groupSize), bits: int('bits', o.bits), mode };
}

/** An optional array option, checked. */
function optArray(op: string, v: unknown, what: string): MxArray | null {
  if (v == null) return null;
  return needArray(op, v, what);
}

/**
 * Quantizes w [..., K] (floating, at least 2-D, K a multiple of groupSize) along its last
 * axis. affine: [wq [..., K * bits / 32] uint32, scales [..., K / groupSize], biases] with
 * MLX's rule: per group the end of larger magnitude is exact, scale = (max - min) /
 * (2^bits - 1) (negative when the maximum is that end), q = round((w - bias) / scale).
 * mxfp4 / mxfp8 / nvfp4: [wq, scales (uint8 codes)]: per group max|w| / (6 or 448) as an
 * e8m0 (rounded up) or e4m3 scale, and the values' e2m1 or e4m3 codes.
 */
export function quantize(w: MxArray, options?: QuantizeOptions & { mode?: 'affine' }): [MxArray, MxArray, MxArray];
export function quantize(w: MxArray, options: QuantizeOptions & { mode: FloatQuantizationMode }): [MxArray, MxArray];
export function quantize(w: MxArray, options?: QuantizeOptions): MxArray[];
export function quantize(w: MxArray, options: QuantizeOptions = {}): MxArray[] {
  needArray('quantize', w, 'w');
  const p = common('quantize', options);
  const g = optArray('quantize', (options as QuantizeOptions).globalScale, 'globalScale');
  return callOpMulti('quantize', g ? [w, g] : [w], { ...p, hasGlobalScale: g !== null });
}

/**
 * scales * q + biases per group (affine), value(q) * scale (the floating-point modes, no
 * biases; default dtype bfloat16, as MLX): the inverse of quantize up to its rounding.
 */
export function dequantize(wq: MxArray, scales: MxArray, biases: MxArray | null | undefined,
  options: DequantizeOptions = {}): MxArray {
  needArray('dequantize', wq, 'w');
  needArray('dequantize', scales, 'scales');
  if (biases != null) needArray('dequantize', biases, 'biases');
  const p = common('dequantize', options);
  const d = (options as DequantizeOptions).dtype;
  const g = optArray('dequantize', (options as DequantizeOptions).globalScale, 'globalScale');
  const inputs = biases != null ? [wq, scales, biases] : [wq, scales];
  if (g) inputs.push(g);
  return callOp('dequantize', inputs, {
    hasBiases: biases != null, ...p, dtype: d == null ? undefined : toDtype(d), hasGlobalScale: g !== null,
  });
}

/**
 * x @ dequantize(w).T (transpose, the default) or x @ dequantize(w), computed from the packed
 * words without dequantizing w in memory. x [..., K]; the result [..., N] has the promoted
 * dtype of x, scales and biases. Differentiable with respect to x, scales and biases.
 */
export function quantizedMatmul(x: MxArray, w: MxArray, scales: MxArray, biases: MxArray | null | undefined,
  options: QuantizedMatmulOptions = {}): MxArray {
  needArray('quantized_matmul', x, 'x');
  needArray('quantized_matmul', w, 'w');
  needArray('quantized_matmul', scales, 'scales');
  if (biases != null) needArray('quantized_matmul', biases, 'biases');
  const p = common('quantized_matmul', options);
  const transpose = (options as QuantizedMatmulOptions).transpose ?? true;
  const inputs = biases != null ? [x, w, scales, biases] : [x, w, scales];
  return callOp('quantized_matmul', inputs, { hasBiases: biases != null, transpose: !!transpose, ...p });
}

/**
 * MLX's gather_qmm: for every entry i of the broadcast index arrays, the product of matrix
 * lhsIndices[i] of x (x [..., M, K], its batch axes flattened) with quantized matrix
 * rhsIndices[i] of w (as quantizedMatmul: transposed by default). The result has shape
 * [...indices shape, M, N]. Without indices it is quantizedMatmul. Differentiable with
 * respect to x.
 */
export function gatherQmm(x: MxArray, w: MxArray, scales: MxArray, biases: MxArray | null | undefined,
  options: GatherQmmOptions = {}): MxArray {
  needArray('gather_qmm', x, 'x');
  needArray('gather_qmm', w, 'w');
  needArray('gather_qmm', scales, 'scales');
  if (biases != null) needArray('gather_qmm', biases, 'biases');
  const p = common('gather_qmm', options);
  const o = options as GatherQmmOptions;
  const lhs = o.lhsIndices ?? null;
  const rhs = o.rhsIndices ?? null;
  if (lhs !== null) needArray('gather_qmm', lhs, 'lhsIndices');
  if (rhs !== null) needArray('gather_qmm', rhs, 'rhsIndices');
  const inputs = [x, w, scales];
  if (biases != null) inputs.push(biases);
  if (lhs !== null) inputs.push(lhs);
  if (rhs !== null) inputs.push(rhs);
  return callOp('gather_qmm', inputs, {
    hasBiases: biases != null, hasLhs: lhs !== null, hasRhs: rhs !== null, transpose: !!(o.transpose ?? true), ...p,
    sortedIndices: !!o.sortedIndices,
  });
}

/**
 * MLX's qqmm: x @ w.T with x quantized on the fly ('nvfp4', the default, or 'mxfp8') and w
 * either quantized already (uint32 codes with its uint8 `scales`, quantized in the same
 * mode) or floating [N, K] and quantized on the fly too. x is [M, K] (a vector, or more
 * axes with a 2-D w, are rows as well); the result has x's dtype. Gradients (a floating w
 * for w's) are MLX's straight-through products: dx = qqmm(g, w.T), dw = qqmm(g.T, x.T).
 */
export function qqmm(x: MxArray, w: MxArray, scales?: MxArray | null, opts?: QqmmOptions): MxArray {
  const op = 'qqmm';
  const options = checkOptions<QqmmOptions>(op, opts);
  needArray(op, x, 'x');
  needArray(op, w, 'w');
  if (scales != null) needArray(op, scales, 'scales');
  const p = common(op, { ...options, mode: options?.mode ?? 'nvfp4' });
  const gx = optArray(op, options.globalScaleX, 'globalScaleX');
  const gw = optArray(op, options.globalScaleW, 'globalScaleW');
  const inputs = [x, w];
  if (scales != null) inputs.push(scales);
  if (gx) inputs.push(gx);
  if (gw) inputs.push(gw);
  return callOp(op, inputs, {
    hasScales: scales != null, ...p, hasGlobalScaleX: gx !== null, hasGlobalScaleW: gw !== null,
  });
}
