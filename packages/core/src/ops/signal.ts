/**
 * Signal-processing ops of MLX's core: convolve (1-D discrete convolution through conv1d,
 * so it is differentiable and batchable like conv1d) and the window functions bartlett,
 * blackman, hamming and hanning (NumPy's formulas; float32).
 */
import { MxArray } from '../array.js';
import { float32 } from '../dtype.js';
import { tidy } from '../memory.js';
import { describe } from '../operands.js';
import { conv1d } from './conv.js';
import { array } from './creation.js';
import { isOptions } from './optional-args.js';
import { flip, pad, reshape } from './shape.js';

export type ConvolveMode = 'full' | 'same' | 'valid';

/**
 * The discrete linear convolution of two 1-D arrays, as MLX's convolve: the longer one is
 * the signal and the shorter the (flipped) filter, so the arguments may come in either
 * order. 'full' (default) has length N + M - 1, 'same' max(N, M) (centred; an even filter
 * pads one more on the left), 'valid' max(N, M) - min(N, M) + 1. Inputs go through conv1d
 * (floating dtypes).
 */
export function convolve(a: MxArray, v: MxArray, mode: ConvolveMode | { mode?: ConvolveMode } = 'full'): MxArray {
  if (isOptions(mode)) return convolve(a, v, mode.mode ?? 'full');
  const op = 'convolve';
  for (const [x, what] of [[a, 'a'], [v, 'v']] as const) {
    if (!(x instanceof MxArray)) throw new TypeError(`[${op}] Expected ${what} to be an array, got ${describe(x)}.`);
  }
  if (a.ndim !== 1 || v.ndim !== 1) throw new Error(`[${op}] Inputs must be 1-D, got ${a.ndim}-D and ${v.ndim}-D.`);
  if (a.size === 0 || v.size === 0) throw new Error(`[${op}] Inputs cannot be empty.`);
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') {
    throw new Error(`[${op}] Invalid mode ${JSON.stringify(mode)}: expected 'full', 'same' or 'valid'.`);
  }
  // MLX swaps the arguments when v is the longer one.
  const [signal, filter] = a.size < v.size ? [v, a] : [a, v];
  const m = filter.size;
  return tidy(() => {
    let input = reshape(signal, [1, -1, 1]);
    const weight = reshape(flip(filter), [1, -1, 1]);
    let padding = 0;
    if (mode === 'full') padding = m - 1;
    else if (mode === 'same') {
      if (m % 2 === 1) padding = (m - 1) / 2;
      else input = pad(input, [[0, 0], [m / 2, m / 2 - 1], [0, 0]]);
    }
    return reshape(conv1d(input, weight, 1, padding), [-1]);
  });
}

/** A window of length M from w(k, M) for k in [0, M): empty for M < 1, [1] for M = 1. */
function windowOf(op: string, M: number, w: (k: number, m1: number) => number): MxArray {
  if (typeof M !== 'number' || !Number.isInteger(M)) throw new TypeError(`[${op}] M must be an integer, got ${describe(M)}.`);
  if (M < 1) return array(new Float32Array(0));
  if (M > 2 ** 31 - 1) throw new Error(`[${op}] M = ${M} is larger than the largest size, ${2 ** 31 - 1}.`);
  if (M === 1) return array(Float32Array.of(1));
  // Computed in double and rounded once to float32.
  return array(Float32Array.from({ length: M }, (_, k) => w(k, M - 1)), float32);
}

/** The Bartlett (triangular) window: 1 - |2k / (M - 1) - 1|. */
export function bartlett(M: number): MxArray {
  return windowOf('bartlett', M, (k, m1) => 1 - Math.abs((2 * k) / m1 - 1));
}

/** The Blackman window: 0.42 - 0.5 cos(2 pi k / (M - 1)) + 0.08 cos(4 pi k / (M - 1)). */
export function blackman(M: number): MxArray {
  return windowOf('blackman', M, (k, m1) => 0.42 - 0.5 * Math.cos((2 * Math.PI * k) / m1) + 0.08 * Math.cos((4 * Math.PI * k) / m1));
}

/** The Hamming window: 0.54 - 0.46 cos(2 pi k / (M - 1)). */
export function hamming(M: number): MxArray {
  return windowOf('hamming', M, (k, m1) => 0.54 - 0.46 * Math.cos((2 * Math.PI * k) / m1));
}

/** The Hann window (MLX's and NumPy's hanning): 0.5 - 0.5 cos(2 pi k / (M - 1)). */
export function hanning(M: number): MxArray {
  return windowOf('hanning', M, (k, m1) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / m1));
}
