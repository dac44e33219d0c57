// The float64 reference's arrays and MLX's dtype rules, written independently of the core:
// a tensor is a shape, a dtype name and row-major float64 values. `round` puts a float64
// value into a dtype the way a kernel's store does (round to nearest even for floats, two's
// complement wrap for integers), so the reference rounds after every op exactly where the
// core rounds. With `exact` set the reference skips the float rounding (pure float64), which
// the comparison uses to tell ill-conditioned elements from wrong ones.

export type Dt = 'bool' | 'uint8' | 'int32' | 'uint32' | 'float16' | 'bfloat16' | 'float32';

/** The dtypes programs start from (uint32 only appears as argmax's and uint8 sum's result). */
export const INPUT_DTYPES: readonly Dt[] = ['float32', 'float16', 'bfloat16', 'int32', 'bool', 'uint8'];

export interface Tensor {
  shape: number[];
  dtype: Dt;
  data: Float64Array;
}

export const isFloat = (d: Dt): boolean => d === 'float32' || d === 'float16' || d === 'bfloat16';
export const isInt = (d: Dt): boolean => d === 'uint8' || d === 'int32' || d === 'uint32';

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Strides (in elements) of a row-major shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k]!;
  }
  return s;
}

/** Round half to even. */
function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Rounds to a binary float with `mant` fraction bits, smallest normal exponent `emin` and largest finite `max`. */
function roundFloat(x: number, mant: number, emin: number, max: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  const e = Math.max(Math.floor(Math.log2(a)), emin);
  // log2 can be off by one at exact powers of two; fix the exponent so 2^e <= a < 2^(e+1).
  let ee = e;
  if (ee > emin && 2 ** ee > a) ee--;
  else if (2 ** (ee + 1) <= a) ee++;
  const step = 2 ** (ee - mant);
  const r = rint(a / step) * step;
  // Values at or past max + half an ulp become infinity (round to nearest).
  if (r > max) return x > 0 ? Infinity : -Infinity;
  return x < 0 ? -r : r;
}

export function round(d: Dt, x: number, exact = false): number {
  switch (d) {
    case 'float32':
      return exact ? x : Math.fround(x);
    case 'float16':
      return exact ? x : roundFloat(x, 10, -14, 65504);
    case 'bfloat16':
      return exact ? x : roundFloat(x, 7, -126, 3.3895313892515355e38);
    case 'int32':
      return x | 0;
    case 'uint32':
      return x >>> 0;
    case 'uint8':
      return x & 255;
    case 'bool':
      return x !== 0 ? 1 : 0;
  }
}

/**
 * Float -> integer conversion as the core defines it (docs/ops.md): truncate toward zero,
 * saturate at the target's range, NaN -> 0. Programs only convert small exact values.
 */
export function floatToInt(d: Dt, x: number): number {
  if (Number.isNaN(x)) return 0;
  const t = Math.trunc(x);
  if (d === 'int32') return Math.min(2147483647, Math.max(-2147483648, t));
  if (d === 'uint32') return Math.min(4294967295, Math.max(0, t));
  if (d === 'uint8') return Math.min(255, Math.max(0, t));
  return x !== 0 ? 1 : 0;
}

/** Converts a value of dtype `from` to dtype `to` (astype). */
export function convert(from: Dt, to: Dt, x: number, exact = false): number {
  if (to === 'bool') return x !== 0 ? 1 : 0;
  if (isFloat(from) && !isFloat(to)) return floatToInt(to, x);
  return round(to, x, exact);
}

/** MLX's promotion table, restricted to the program dtypes; null where MLX would leave them (int64). */
export function promote(a: Dt, b: Dt): Dt | null {
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  const fa = isFloat(a);
  const fb = isFloat(b);
  if (fa && fb) return 'float32'; // float32 with a 16-bit float, or float16 with bfloat16
  if (fa) return a;
  if (fb) return b;
  // Both integers, different.
  if (a === 'uint8') return b;
  if (b === 'uint8') return a;
  return null; // int32 with uint32 -> int64 in MLX: not a program dtype
}

/** A JS number next to an array (MLX's weak scalar: integer-valued numbers act as Python ints). */
export function promoteScalar(a: Dt, v: number): Dt {
  if (isFloat(a)) return a;
  if (!Number.isInteger(v)) return 'float32';
  return a === 'bool' ? 'int32' : a;
}

/** The dtype unary math (exp, sin, ...) computes in: floats stay, everything else float32. */
export const toFloating = (d: Dt): Dt => (isFloat(d) ? d : 'float32');

/** NumPy broadcasting of two shapes, or null. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const x = a[a.length - n + k] ?? 1;
    const y = b[b.length - n + k] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out[k] = x === 1 ? y : x;
  }
  return out;
}

/** The values of `t` broadcast to `shape` (row-major). */
export function broadcastData(t: Tensor, shape: readonly number[]): Float64Array {
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  const off = shape.length - t.shape.length;
  const ts = stridesOf(t.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let k = 0; k < t.shape.length; k++) if (t.shape[k] !== 1) src += idx[k + off]! * ts[k]!;
    out[i] = t.data[src]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Calls `f(outIndex, multiIndex)` for every element of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], f: (i: number, idx: readonly number[]) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(i, idx);
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
}

/** The element offset of a multi-index in a row-major shape. */
export function offsetOf(shape: readonly number[], idx: readonly number[]): number {
  let o = 0;
  for (let k = 0; k < shape.length; k++) o = o * shape[k]! + idx[k]!;
  return o;
}
