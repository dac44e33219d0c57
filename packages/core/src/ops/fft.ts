/**
 * mx.fft: MLX's discrete Fourier transforms (core ops, core-cpp/src/ops/fft.cpp, one FFT
 * primitive each). Real input is promoted to complex64 (rfft* take float32, irfft* give
 * float32); `n` / `s` cut or zero-pad the transformed axes; `norm` is MLX's and NumPy's
 * ('backward' default, 'ortho', 'forward'). As in MLX, the 1-D functions take `n` and `axis`
 * (default -1), the 2-D ones `s` and `axes` (default [-2, -1]), the n-D ones `s` and `axes`
 * (default every axis); `axes: null` is every axis. Arguments are positional or a trailing
 * options object. See docs/fft.md.
 */
import { MxArray } from '../array.js';
import { describe } from '../operands.js';
import { currentBackend } from '../registry.js';
import { wrap } from '../operands.js';
import { callOp, runOp1 } from './call.js';
import { optionalArgs } from './optional-args.js';

export type FFTNorm = 'backward' | 'ortho' | 'forward';

export interface FFTOptions {
  /** Size of the transformed axis: the input is cut or zero-padded to it. */
  n?: number | null;
  /** The axis to transform (default -1). */
  axis?: number;
  norm?: FFTNorm;
}

export interface FFTNOptions {
  /** Sizes of the transformed axes (requires `axes` unless the default axes apply). */
  s?: readonly number[] | null;
  /** The axes to transform; null: every axis. */
  axes?: readonly number[] | null;
  norm?: FFTNorm;
}

const NORMS: readonly string[] = ['backward', 'ortho', 'forward'];

function needArray(op: string, a: unknown): MxArray {
  if (!(a instanceof MxArray)) throw new TypeError(`[${op}] Expected an array, got ${describe(a)}.`);
  return a;
}

function checkNorm(op: string, norm: unknown): FFTNorm {
  if (norm === undefined || norm === null) return 'backward';
  if (typeof norm !== 'string' || !NORMS.includes(norm)) {
    throw new Error(`[${op}] Invalid norm ${JSON.stringify(norm)}: expected "backward", "ortho" or "forward".`);
  }
  return norm as FFTNorm;
}

type Kind = { real: boolean; inverse: boolean };

function oneDim(op: string, kind: Kind, a: unknown, args: unknown[]): MxArray {
  const x = needArray(op, a);
  const o = optionalArgs<FFTOptions>(['n', 'axis', 'norm'], args);
  const axis = o.axis ?? -1;
  const norm = checkNorm(op, o.norm);
  return callOp('fftn', [x], { n: o.n == null ? null : [o.n], axes: [axis], ...kind, norm }, op);
}

function nDim(op: string, kind: Kind, defaultAxes: readonly number[] | null, a: unknown, args: unknown[]): MxArray {
  const x = needArray(op, a);
  const o = optionalArgs<FFTNOptions>(['s', 'axes', 'norm'], args);
  const axes = 'axes' in o ? (o.axes ?? null) : defaultAxes;
  const s = o.s ?? null;
  if (axes === null && s !== null) throw new Error(`[${op}] \`axes\` should not be null if \`s\` is not null.`);
  const norm = checkNorm(op, o.norm);
  return callOp('fftn', [x], { n: s, axes, ...kind, norm }, op);
}

const C2C: Kind = { real: false, inverse: false };
const IC2C: Kind = { real: false, inverse: true };
const R2C: Kind = { real: true, inverse: false };
const C2R: Kind = { real: true, inverse: true };
const LAST_TWO = [-2, -1] as const;

type OneDimArgs = [n?: number | null | FFTOptions, axis?: number | FFTOptions, norm?: FFTNorm | FFTOptions];
type NDimArgs = [
  s?: readonly number[] | null | FFTNOptions,
  axes?: readonly number[] | null | FFTNOptions,
  norm?: FFTNorm | FFTNOptions,
];

/** One-dimensional discrete Fourier transform along `axis` (default -1). */
export const fft = (a: MxArray, ...args: OneDimArgs): MxArray => oneDim('fft', C2C, a, args);
/** One-dimensional inverse discrete Fourier transform. */
export const ifft = (a: MxArray, ...args: OneDimArgs): MxArray => oneDim('ifft', IC2C, a, args);
/** Transform of a real input (cast to float32): n / 2 + 1 complex outputs along `axis`. */
export const rfft = (a: MxArray, ...args: OneDimArgs): MxArray => oneDim('rfft', R2C, a, args);
/** The inverse of rfft: n real outputs (default n = 2 (m - 1)) from m = n / 2 + 1 inputs. */
export const irfft = (a: MxArray, ...args: OneDimArgs): MxArray => oneDim('irfft', C2R, a, args);

/** Two-dimensional transform over `axes` (default [-2, -1]). */
export const fft2 = (a: MxArray, ...args: NDimArgs): MxArray => nDim('fft2', C2C, LAST_TWO, a, args);
export const ifft2 = (a: MxArray, ...args: NDimArgs): MxArray => nDim('ifft2', IC2C, LAST_TWO, a, args);
/** Two-dimensional real transform: the last of `axes` keeps s[-1] / 2 + 1 entries. */
export const rfft2 = (a: MxArray, ...args: NDimArgs): MxArray => nDim('rfft2', R2C, LAST_TWO, a, args);
export const irfft2 = (a: MxArray, ...args: NDimArgs): MxArray => nDim('irfft2', C2R, LAST_TWO, a, args);

/** n-dimensional transform over `axes` (default every axis). */
export const fftn = (a: MxArray, ...args: NDimArgs): MxArray => nDim('fftn', C2C, null, a, args);
export const ifftn = (a: MxArray, ...args: NDimArgs): MxArray => nDim('ifftn', IC2C, null, a, args);
export const rfftn = (a: MxArray, ...args: NDimArgs): MxArray => nDim('rfftn', R2C, null, a, args);
export const irfftn = (a: MxArray, ...args: NDimArgs): MxArray => nDim('irfftn', C2R, null, a, args);

const axesList = (axes: number | readonly number[] | null | undefined): readonly number[] | null =>
  axes == null ? null : typeof axes === 'number' ? [axes] : axes;

/** The zero frequency moved to the centre along `axes` (default every axis). */
export function fftshift(a: MxArray, axes?: number | readonly number[] | null | { axes?: number | readonly number[] | null }): MxArray {
  const ax = axes !== null && typeof axes === 'object' && !Array.isArray(axes) ? (axes as { axes?: number | readonly number[] | null }).axes : axes;
  return callOp('fftshift', [needArray('fftshift', a)], { axes: axesList(ax as number | readonly number[] | null | undefined) });
}

/** The inverse of fftshift (differs from it on odd lengths). */
export function ifftshift(a: MxArray, axes?: number | readonly number[] | null | { axes?: number | readonly number[] | null }): MxArray {
  const ax = axes !== null && typeof axes === 'object' && !Array.isArray(axes) ? (axes as { axes?: number | readonly number[] | null }).axes : axes;
  return callOp('ifftshift', [needArray('ifftshift', a)], { axes: axesList(ax as number | readonly number[] | null | undefined) });
}

function freq(op: string, n: number, d: number | { d?: number }): MxArray {
  const spacing = typeof d === 'object' && d !== null ? (d.d ?? 1) : d;
  if (!Number.isInteger(n)) throw new Error(`[${op}] n must be an integer, got ${n}.`);
  const backend = currentBackend();
  return wrap(backend, runOp1(backend, op, [], { n, d: spacing }));
}

/** Sample frequencies of an n-point transform with spacing d, float32. */
export const fftfreq = (n: number, d: number | { d?: number } = 1): MxArray => freq('fftfreq', n, d);
/** rfft's sample frequencies [0, ..., n / 2] / (d n), float32. */
export const rfftfreq = (n: number, d: number | { d?: number } = 1): MxArray => freq('rfftfreq', n, d);
