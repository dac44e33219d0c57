/**
 * Convolution family: conv1d and conv2d in MLX's channels-last layouts (input [N, ...spatial,
 * C_in], weight [C_out, ...kernel, C_in / groups]) and argument order. Like MLX this is a
 * cross-correlation (the kernel is not flipped). float32 runs on the core's direct conv2d
 * primitive (conv2d_direct: input patches packed straight into the GEMM, no im2col; its
 * gradients are the composition's below); other floating dtypes are built from existing core
 * ops: pad, one strided slice per kernel tap stacked into patches (an im2col), and a batched
 * matmul per group, so vjp, jvp and vmap come from those parts.
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



/** The shared n-D convolution (n = number of spatial axes). */
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
  const cIn = x.shape[n + 1]!;
  const cOut = w.shape[0]!;
  const batch = x.shape[0]!;
  const kernel = w.shape.slice(1, n + 1);
  const outSpatial: number[] = [];
  for (let d = 0; d < n; d++) {
    const padded = x.shape[d + 1]! + 2 * padding[d]!;
    const span = dilation[d]! * (kernel[d]! - 1) + 1;
    if (padded < span) {
      throw new Error(`[${op}] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis ${d} for input with shape ${shapeStr(x.shape)}, padding ${JSON.stringify(padding)}, kernel dilation ${JSON.stringify(dilation)} and weight with shape ${shapeStr(w.shape)}.`);
    }
    outSpatial.push(Math.floor((padded - span) / stride[d]!) + 1);
  }
  if (x.dtype === float32 && w.dtype === float32) {
    // conv1d is a conv2d over a height of 1.
    const two = (v: number[], one: number): number[] => (n === 1 ? [one, v[0]!] : v);
    const params = { stride: two(stride, 1), padding: two(padding, 0), dilation: two(dilation, 1), groups };
    return tidy(() => {
      const x2 = n === 1 ? reshape(x, [batch, 1, ...x.shape.slice(1)]) : x;
      const w2 = n === 1 ? reshape(w, [cOut, 1, ...w.shape.slice(1)]) : w;
      const out = callOp('conv2d_direct', [x2, w2], params, op);
      return n === 1 ? reshape(out, [batch, ...outSpatial, cOut]) : out;
    });
  }
  const cg = cIn / groups;
  const og = cOut / groups;
  const taps = kernel.reduce((p, k) => p * k, 1);
  const rows = batch * outSpatial.reduce((p, k) => p * k, 1);
  return tidy(() => {
    const xp = padding.some((p) => p > 0) ? pad(x, [[0, 0], ...padding.map((p) => [p, p] as [number, number]), [0, 0]]) : x;
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

// ---- transposed convolutions ----
// convTranspose1d / convTranspose2d in MLX's layouts (input [N, ...spatial, C_in], weight
// [C_out, ...kernel, C_in / groups]) and argument order (stride, padding, dilation,
// outputPadding, groups). As MLX computes it: a convolution with stride 1 of the input with
// stride - 1 zeros inserted between elements, padded by dilation * (K - 1) - padding (plus
// outputPadding at the end), with the kernel flipped. Equivalently out[i * stride + k *
// dilation - padding] += x[i] w[k]. Built from pad, reshape, slice, flip and conv, so vjp,
// jvp and vmap come from the parts.
/** `x` with lo/hi added (positive: zeros) or removed (negative) along `axis`. */
function padOrCrop(x: MxArray, axis: number, lo: number, hi: number): MxArray {
  const widths = x.shape.map((_, i) => (i === axis ? [Math.max(lo, 0), Math.max(hi, 0)] : [0, 0]) as [number, number]);
  let y = lo > 0 || hi > 0 ? pad(x, widths) : x;
  if (lo < 0 || hi < 0) {
    const start = y.shape.map((_, i) => (i === axis ? Math.max(-lo, 0) : 0));
    const stop = y.shape.map((d, i) => (i === axis ? d - Math.max(-hi, 0) : d));
    y = slice(y, start, stop);
  }
  return y;
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
  return tidy(() => {
    let xd = x;
    for (let d = 0; d < n; d++) {
      const lo = dilation[d]! * (kernel[d]! - 1) - padding[d]!;
      xd = padOrCrop(dilate(xd, d + 1, stride[d]!), d + 1, lo, lo + outputPadding[d]!);
    }
    const wf = flip(w, Array.from({ length: n }, (_, d) => d + 1));
    const opts = { stride: 1, padding: 0, dilation, groups };
    return n === 1 ? conv1d(xd, wf, opts) : conv2d(xd, wf, opts);
  });
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
