/**
 * convTranspose1d / convTranspose2d in MLX's layouts (input [N, ...spatial, C_in], weight
 * [C_out, ...kernel, C_in / groups]) and argument order (stride, padding, dilation,
 * outputPadding, groups). As MLX computes it: a convolution with stride 1 of the input with
 * stride - 1 zeros inserted between elements, padded by dilation * (K - 1) - padding (plus
 * outputPadding at the end), with the kernel flipped. Equivalently out[i * stride + k *
 * dilation - padding] += x[i] w[k]. Built from pad, reshape, slice, flip and conv, so vjp,
 * jvp and vmap come from the parts.
 */
import { MxArray } from '../array.js';
import { tidy } from '../memory.js';
import { reshape } from '../ops.js';
import { conv1d, conv2d } from './conv.js';
import { checkConvOperands, perAxis, shapeStr, type Pair } from './conv-args.js';
import { optionalArgs } from './optional-args.js';
import { expandDims, flip, pad } from './shape.js';
import { slice } from './slice.js';

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
  const groups = o.groups ?? 1;
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
