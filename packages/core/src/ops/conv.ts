/**
 * Convolution family: conv1d, conv2d, conv3d and convGeneral in MLX's channels-last layouts
 * (input [N, ...spatial, C_in], weight [C_out, ...kernel, C_in / groups]) and argument order,
 * and the transposed convolutions built on them. Like MLX this is a cross-correlation (the
 * kernel is not flipped unless convGeneral's `flip`). float32 runs on the core's direct
 * convolution primitive (conv_direct, 1 to 3 spatial axes: input patches packed straight into
 * the GEMM, no im2col; its gradients are the composition's below); other floating dtypes are
 * built from existing core ops: pad, one strided slice per kernel tap stacked into patches (an
 * im2col), and a batched matmul per group, so vjp, jvp and vmap come from those parts.
 */
import { MxArray } from '../array.js';
import { float32 } from '../dtype.js';
import { tidy } from '../memory.js';
import { callOp } from './call.js';
import { checkConvOperands, checkGroups, perAxis, shapeStr, type Pair } from './conv-args.js';
import { matmul } from './linalg.js';
import { optionalArgs } from './optional-args.js';
import { expandDims, flip, pad, reshape, stack, transpose } from './shape.js';
import { slice } from './slice.js';

/** A checked convolution: per spatial axis stride, low/high padding (>= 0) and dilation. */
interface ConvPlan {
  stride: number[];
  lo: number[];
  hi: number[];
  dilation: number[];
  groups: number;
}

/**
 * The shared n-D cross-correlation (n = number of spatial axes) of operands already checked
 * by checkConvOperands/checkGroups; throws MLX's error when the padded input is smaller than
 * the dilated kernel.
 */
function convCore(op: string, x: MxArray, w: MxArray, n: number, plan: ConvPlan): MxArray {
  const { stride, lo, hi, dilation, groups } = plan;
  const cIn = x.shape[n + 1]!;
  const cOut = w.shape[0]!;
  const batch = x.shape[0]!;
  const kernel = w.shape.slice(1, n + 1);
  const outSpatial: number[] = [];
  for (let d = 0; d < n; d++) {
    const padded = x.shape[d + 1]! + lo[d]! + hi[d]!;
    const span = dilation[d]! * (kernel[d]! - 1) + 1;
    if (padded < span) {
      const padding = lo.every((v, i) => v === hi[i]) ? JSON.stringify(lo) : `${JSON.stringify(lo)} | ${JSON.stringify(hi)}`;
      throw new Error(`[${op}] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis ${d} for input with shape ${shapeStr(x.shape)}, padding ${padding}, kernel dilation ${JSON.stringify(dilation)} and weight with shape ${shapeStr(w.shape)}.`);
    }
    outSpatial.push(Math.floor((padded - span) / stride[d]!) + 1);
  }
  if (x.dtype === float32 && w.dtype === float32) {
    return callOp('conv_direct', [x, w], { stride, paddingLo: lo, paddingHi: hi, dilation, groups }, op);
  }
  const cg = cIn / groups;
  const og = cOut / groups;
  const taps = kernel.reduce((p, k) => p * k, 1);
  const rows = batch * outSpatial.reduce((p, k) => p * k, 1);
  return tidy(() => {
    const padded = lo.some((p) => p > 0) || hi.some((p) => p > 0);
    const xp = padded ? pad(x, [[0, 0], ...lo.map((p, d) => [p, hi[d]!] as [number, number]), [0, 0]]) : x;
    // One strided view per kernel tap (row-major over the kernel axes, as the weight is laid out).
    const views: MxArray[] = [];
    for (let t = 0; t < taps; t++) {
      const start = [0];
      const stop = [batch];
      const steps = [1];
      let rest = t;
      const tap: number[] = [];
      for (let d = n - 1; d >= 0; d--) {
        tap[d] = rest % kernel[d]!;
        rest = Math.floor(rest / kernel[d]!);
      }
      for (let d = 0; d < n; d++) {
        const s = tap[d]! * dilation[d]!;
        start.push(s);
        stop.push(s + (outSpatial[d]! - 1) * stride[d]! + 1);
        steps.push(stride[d]!);
      }
      start.push(0);
      stop.push(cIn);
      steps.push(1);
      views.push(slice(xp, start, stop, steps));
    }
    // patches [rows, taps, groups, cg] -> [groups, rows, taps * cg]
    const patches = reshape(stack(views, n + 1), [rows, taps, groups, cg]);
    const cols = reshape(transpose(patches, [2, 0, 1, 3]), [groups, rows, taps * cg]);
    // weight [cOut, ...kernel, cg] -> [groups, taps * cg, og]
    const wg = transpose(reshape(w, [groups, og, taps * cg]), [0, 2, 1]);
    const out = matmul(cols, wg); // [groups, rows, og]
    return reshape(transpose(out, [1, 0, 2]), [batch, ...outSpatial, cOut]);
  });
}

/** conv1d/2d/3d: symmetric padding, no input dilation, no flip. */
function convNd(
  op: string,
  x: MxArray,
  w: MxArray,
  n: number,
  strideArg: Pair | undefined,
  paddingArg: Pair | undefined,
  dilationArg: Pair | undefined,
  groupsArg: number | undefined,
): MxArray {
  checkConvOperands(op, x, w, n);
  const stride = perAxis(op, 'stride', strideArg, n, 1, 1);
  const padding = perAxis(op, 'padding', paddingArg, n, 0, 0);
  const dilation = perAxis(op, 'dilation', dilationArg, n, 1, 1);
  const groups = checkGroups(op, x, w, n, groupsArg);
  return convCore(op, x, w, n, { stride, lo: padding, hi: padding, dilation, groups });
}

export interface ConvOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

/**
 * 1-D convolution (cross-correlation) of input [N, L, C_in] with weight [C_out, K, C_in / groups]:
 * out [N, L_out, C_out]. Optional stride (1), padding (0, both sides), dilation (1), groups (1).
 */
export function conv1d(
  input: MxArray,
  weight: MxArray,
  stride?: number | ConvOptions,
  padding?: number | ConvOptions,
  dilation?: number | ConvOptions,
  groups?: number | ConvOptions,
): MxArray {
  const o = optionalArgs<ConvOptions>(['stride', 'padding', 'dilation', 'groups'], [stride, padding, dilation, groups]);
  return convNd('conv1d', input, weight, 1, o.stride, o.padding, o.dilation, o.groups);
}

/**
 * 2-D convolution (cross-correlation) of input [N, H, W, C_in] with weight [C_out, KH, KW,
 * C_in / groups]: out [N, H_out, W_out, C_out]. stride, padding and dilation are a number or
 * an [h, w] pair; groups (1) splits the channels.
 */
export function conv2d(
  input: MxArray,
  weight: MxArray,
  stride?: Pair | ConvOptions,
  padding?: Pair | ConvOptions,
  dilation?: Pair | ConvOptions,
  groups?: number | ConvOptions,
): MxArray {
  const o = optionalArgs<ConvOptions>(['stride', 'padding', 'dilation', 'groups'], [stride, padding, dilation, groups]);
  return convNd('conv2d', input, weight, 2, o.stride, o.padding, o.dilation, o.groups);
}

/**
 * 3-D convolution (cross-correlation) of input [N, D, H, W, C_in] with weight [C_out, KD, KH,
 * KW, C_in / groups]: out [N, D_out, H_out, W_out, C_out]. stride, padding and dilation are a
 * number or a [d, h, w] triple; groups (1) splits the channels.
 */
export function conv3d(
  input: MxArray,
  weight: MxArray,
  stride?: Pair | ConvOptions,
  padding?: Pair | ConvOptions,
  dilation?: Pair | ConvOptions,
  groups?: number | ConvOptions,
): MxArray {
  const o = optionalArgs<ConvOptions>(['stride', 'padding', 'dilation', 'groups'], [stride, padding, dilation, groups]);
  return convNd('conv3d', input, weight, 3, o.stride, o.padding, o.dilation, o.groups);
}

// ---- the general convolution ----

/** convGeneral's padding: a number, one per spatial axis, or [low[], high[]]. */
export type ConvPadding = number | readonly number[] | readonly [readonly number[], readonly number[]];

export interface ConvGeneralOptions {
  stride?: Pair;
  padding?: ConvPadding;
  kernelDilation?: Pair;
  inputDilation?: Pair;
  groups?: number;
  flip?: boolean;
}

/** As perAxis, but a one-entry list also applies to every axis (MLX's conv_general). */
function perAxisOrOne(op: string, name: string, v: Pair | undefined, n: number, dflt: number, min: number): number[] {
  const one = Array.isArray(v) && v.length === 1 ? (v[0] as number) : v;
  return perAxis(op, name, one as Pair | undefined, n, dflt, min);
}

/** `x` with s - 1 zeros between consecutive elements along `axis` (length (L - 1) s + 1). */
function dilate(x: MxArray, axis: number, s: number): MxArray {
  if (s === 1) return x;
  const len = x.shape[axis]!;
  const e = expandDims(x, axis + 1);
  const widths = e.shape.map((_, i) => (i === axis + 1 ? [0, s - 1] : [0, 0]) as [number, number]);
  const merged = reshape(pad(e, widths), [...x.shape.slice(0, axis), len * s, ...x.shape.slice(axis + 1)]);
  const stop = merged.shape.map((d, i) => (i === axis ? (len - 1) * s + 1 : d));
  return slice(merged, merged.shape.map(() => 0), stop);
}

/**
 * The general convolution after argument parsing (MLX's conv_general): the input dilated by
 * `inputDilation` (zeros between elements), negative padding cropped from the input, the kernel
 * flipped over its spatial axes when `flipKernel`, then convCore.
 */
function convGeneralNd(
  op: string,
  x: MxArray,
  w: MxArray,
  n: number,
  stride: number[],
  lo: number[],
  hi: number[],
  dilation: number[],
  inputDilation: number[],
  groups: number,
  flipKernel: boolean,
): MxArray {
  return tidy(() => {
    let xd = x;
    for (let d = 0; d < n; d++) xd = dilate(xd, d + 1, inputDilation[d]!);
    if (lo.some((p) => p < 0) || hi.some((p) => p < 0)) {
      const start = xd.shape.map((_, i) => (i >= 1 && i <= n ? Math.max(-lo[i - 1]!, 0) : 0));
      const stop = xd.shape.map((len, i) => (i >= 1 && i <= n ? len - Math.max(-hi[i - 1]!, 0) : len));
      if (start.some((s, i) => s > stop[i]!)) {
        throw new Error(`[${op}] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got input with shape ${shapeStr(x.shape)}, padding ${JSON.stringify(lo)} | ${JSON.stringify(hi)} and weight with shape ${shapeStr(w.shape)}.`);
      }
      xd = slice(xd, start, stop);
    }
    const wf = flipKernel ? flip(w, Array.from({ length: n }, (_, d) => d + 1)) : w;
    const plan = { stride, lo: lo.map((p) => Math.max(p, 0)), hi: hi.map((p) => Math.max(p, 0)), dilation, groups };
    return convCore(op, xd, wf, n, plan);
  });
}

/**
 * General convolution of input [N, ...spatial, C_in] (1 to 3 spatial axes) with weight
 * [C_out, ...kernel, C_in / groups], as MLX's conv_general: stride (1), padding (0; a number, one
 * per axis, or [low[], high[]]; negative values crop), kernelDilation (1), inputDilation (1: s - 1
 * zeros inserted between input elements), groups (1), flip (false: true flips the kernel, a true
 * convolution rather than a cross-correlation).
 */
export function convGeneral(
  input: MxArray,
  weight: MxArray,
  stride?: Pair | ConvGeneralOptions,
  padding?: ConvPadding | ConvGeneralOptions,
  kernelDilation?: Pair | ConvGeneralOptions,
  inputDilation?: Pair | ConvGeneralOptions,
  groups?: number | ConvGeneralOptions,
  flipKernel?: boolean | ConvGeneralOptions,
): MxArray {
  const op = 'conv_general';
  const o = optionalArgs<ConvGeneralOptions>(
    ['stride', 'padding', 'kernelDilation', 'inputDilation', 'groups', 'flip'],
    [stride, padding, kernelDilation, inputDilation, groups, flipKernel],
  );
  if (input instanceof MxArray && (input.ndim < 3 || input.ndim > 5)) {
    throw new Error(`[${op}] Only works for inputs with 1-3 spatial dimensions. The inputs must be in the format [N, ..., C_in]. Got an input with shape ${shapeStr(input.shape)}.`);
  }
  const n = input instanceof MxArray ? input.ndim - 2 : 1;
  checkConvOperands(op, input, weight, n);
  const s = perAxisOrOne(op, 'stride', o.stride, n, 1, 1);
  const p = o.padding;
  const isLoHi = Array.isArray(p) && p.length === 2 && Array.isArray(p[0]) && Array.isArray(p[1]);
  const lo = perAxisOrOne(op, 'padding', (isLoHi ? p[0] : p) as Pair | undefined, n, 0, -Infinity);
  const hi = perAxisOrOne(op, 'padding', (isLoHi ? p[1] : p) as Pair | undefined, n, 0, -Infinity);
  const kd = perAxisOrOne(op, 'kernelDilation', o.kernelDilation, n, 1, 1);
  const id = perAxisOrOne(op, 'inputDilation', o.inputDilation, n, 1, 1);
  if (o.flip !== undefined && typeof o.flip !== 'boolean') throw new Error(`[${op}] Invalid flip ${String(o.flip)}: expected a boolean.`);
  const g = checkGroups(op, input, weight, n, o.groups);
  return convGeneralNd(op, input, weight, n, s, lo, hi, kd, id, g, o.flip ?? false);
}

// ---- transposed convolutions ----
// convTranspose1d/2d/3d in MLX's layouts (input [N, ...spatial, C_in], weight [C_out, ...kernel,
// C_in / groups]) and argument order (stride, padding, dilation, outputPadding, groups). As MLX
// computes it: the general convolution with stride 1 of the input dilated by `stride`, padded by
// dilation * (K - 1) - padding (plus outputPadding at the end), with the kernel flipped.
// Equivalently out[i * stride + k * dilation - padding] += x[i] w[k].
function convTransposeNd(
  op: string,
  x: MxArray,
  w: MxArray,
  n: number,
  o: Partial<ConvTransposeOptions>,
): MxArray {
  checkConvOperands(op, x, w, n);
  const stride = perAxis(op, 'stride', o.stride, n, 1, 1);
  const padding = perAxis(op, 'padding', o.padding, n, 0, 0);
  const dilation = perAxis(op, 'dilation', o.dilation, n, 1, 1);
  const outputPadding = perAxis(op, 'outputPadding', o.outputPadding, n, 0, 0);
  const groups = checkGroups(op, x, w, n, o.groups);
  const kernel = w.shape.slice(1, n + 1);
  for (let d = 0; d < n; d++) {
    const len = x.shape[d + 1]!;
    const out = (len - 1) * stride[d]! - 2 * padding[d]! + dilation[d]! * (kernel[d]! - 1) + outputPadding[d]! + 1;
    if (len === 0 || kernel[d] === 0 || out < 1) {
      throw new Error(`[${op}] Invalid output size ${out} at axis ${d} for input with shape ${shapeStr(x.shape)}, weight with shape ${shapeStr(w.shape)}, stride ${JSON.stringify(stride)}, padding ${JSON.stringify(padding)}, dilation ${JSON.stringify(dilation)} and output padding ${JSON.stringify(outputPadding)}.`);
    }
  }
  const lo = kernel.map((k, d) => dilation[d]! * (k - 1) - padding[d]!);
  const hi = lo.map((l, d) => l + outputPadding[d]!);
  return convGeneralNd(op, x, w, n, Array<number>(n).fill(1), lo, hi, dilation, stride, groups, true);
}

export interface ConvTransposeOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  outputPadding?: Pair;
  groups?: number;
}

const NAMES = ['stride', 'padding', 'dilation', 'outputPadding', 'groups'] as const;

/**
 * 1-D transposed convolution of input [N, L, C_in] with weight [C_out, K, C_in / groups]: out
 * [N, (L - 1) stride - 2 padding + dilation (K - 1) + outputPadding + 1, C_out].
 */
export function convTranspose1d(
  input: MxArray,
  weight: MxArray,
  stride?: number | ConvTransposeOptions,
  padding?: number | ConvTransposeOptions,
  dilation?: number | ConvTransposeOptions,
  outputPadding?: number | ConvTransposeOptions,
  groups?: number | ConvTransposeOptions,
): MxArray {
  const o = optionalArgs<ConvTransposeOptions>(NAMES, [stride, padding, dilation, outputPadding, groups]);
  return convTransposeNd('conv_transpose1d', input, weight, 1, o);
}

/**
 * 2-D transposed convolution of input [N, H, W, C_in] with weight [C_out, KH, KW, C_in /
 * groups]: out [N, H_out, W_out, C_out]; stride, padding, dilation, outputPadding are a number or an [h, w] pair.
 */
export function convTranspose2d(
  input: MxArray,
  weight: MxArray,
  stride?: Pair | ConvTransposeOptions,
  padding?: Pair | ConvTransposeOptions,
  dilation?: Pair | ConvTransposeOptions,
  outputPadding?: Pair | ConvTransposeOptions,
  groups?: number | ConvTransposeOptions,
): MxArray {
  const o = optionalArgs<ConvTransposeOptions>(NAMES, [stride, padding, dilation, outputPadding, groups]);
  return convTransposeNd('conv_transpose2d', input, weight, 2, o);
}

/**
 * 3-D transposed convolution of input [N, D, H, W, C_in] with weight [C_out, KD, KH, KW, C_in /
 * groups]: out [N, D_out, H_out, W_out, C_out]; stride, padding, dilation, outputPadding are a
 * number or a [d, h, w] triple.
 */
export function convTranspose3d(
  input: MxArray,
  weight: MxArray,
  stride?: Pair | ConvTransposeOptions,
  padding?: Pair | ConvTransposeOptions,
  dilation?: Pair | ConvTransposeOptions,
  outputPadding?: Pair | ConvTransposeOptions,
  groups?: number | ConvTransposeOptions,
): MxArray {
  const o = optionalArgs<ConvTransposeOptions>(NAMES, [stride, padding, dilation, outputPadding, groups]);
  return convTransposeNd('conv_transpose3d', input, weight, 3, o);
}
