import type { Dtype } from './dtype.js';
import { bfloat16Bits, bfloat16Value, float16Bits, float16Value } from './half.js';

/**
 * Host-side element layouts: JS values <-> the bytes of each dtype. Kept apart from the
 * Array class so the conversions (float16, bfloat16, 64-bit ints, bool) live in one place.
 */

/** What `toTypedArray()` returns for each dtype (see `readTypedArray`). */
export type HostTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** One complex64 element: `{ re, im }` (how `tolist()` returns them; `mx.array` accepts them). */
export interface Complex {
  re: number;
  im: number;
}

/** A JS value for one element: number, boolean for bool arrays, `{ re, im }` for complex64. */
export type Scalar = number | boolean | Complex;

/** True for a `{ re, im }` object with number parts (a complex element). */
export function isComplexValue(v: unknown): v is Complex {
  return typeof v === 'object' && v !== null && typeof (v as Complex).re === 'number' && typeof (v as Complex).im === 'number';
}

/**
 * Encodes flat JS values in `dtype`'s byte layout (integers wrap like C casts). A complex
 * value in a real dtype keeps its real part, as MLX's cast; a real value in complex64 has
 * imaginary part 0.
 */
export function encodeValues(values: readonly Scalar[], dtype: Dtype): ArrayBufferView {
  const n = values.length;
  const num = (i: number): number => {
    const v = values[i]!;
    return isComplexValue(v) ? v.re : Number(v);
  };
  switch (dtype.name) {
    case 'complex64': {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (isComplexValue(v)) {
          out[2 * i] = v.re;
          out[2 * i + 1] = v.im;
        } else {
          out[2 * i] = Number(v);
        }
      }
      return out;
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        out[i] = (isComplexValue(v) ? v.re !== 0 || v.im !== 0 : v) ? 1 : 0;
      }
      return out;
    }
    case 'float16':
    case 'bfloat16': {
      const toBits = dtype.name === 'float16' ? float16Bits : bfloat16Bits;
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = toBits(num(i));
      return out;
    }
    case 'int64':
    case 'uint64': {
      const out = dtype.name === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
      // BigInt() rejects fractions and non-finite values; truncate as a C cast does.
      for (let i = 0; i < n; i++) {
        const v = num(i);
        out[i] = BigInt(Number.isFinite(v) ? Math.trunc(v) : 0);
      }
      return out;
    }
    default: {
      const Ctor = numericConstructors[dtype.name];
      const out = new Ctor(n);
      for (let i = 0; i < n; i++) out[i] = num(i);
      return out;
    }
  }
}

const numericConstructors = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/**
 * Views raw element bytes (a fresh, aligned buffer from the backend) as the host typed
 * array of `dtype`: float16/bfloat16 are widened to Float32Array, bool stays Uint8Array
 * (0/1), int64/uint64 are BigInt64Array/BigUint64Array (exact), complex64 is a
 * Float32Array of twice the length (real and imaginary parts interleaved).
 */
export function readTypedArray(bytes: Uint8Array, dtype: Dtype): HostTypedArray {
  // Backends hand out fresh, non-shared buffers (Backend.read), so this view is safe.
  const buf = bytes.buffer as ArrayBuffer;
  const off = bytes.byteOffset;
  const n = bytes.byteLength / dtype.size;
  switch (dtype.name) {
    case 'bool':
      return new Uint8Array(buf, off, n);
    case 'float16':
    case 'bfloat16': {
      const bits = new Uint16Array(buf, off, n);
      const toValue = dtype.name === 'float16' ? float16Value : bfloat16Value;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = toValue(bits[i]!);
      return out;
    }
    case 'int64':
      return new BigInt64Array(buf, off, n);
    case 'uint64':
      return new BigUint64Array(buf, off, n);
    case 'complex64':
      return new Float32Array(buf, off, 2 * n);
    default:
      return new numericConstructors[dtype.name](buf, off, n);
  }
}

/**
 * Flat JS values: numbers (int64/uint64 converted with Number(), exact up to 2^53),
 * booleans for bool, `{ re, im }` objects for complex64.
 */
export function readValues(bytes: Uint8Array, dtype: Dtype): Scalar[] {
  const typed = readTypedArray(bytes, dtype);
  if (dtype.name === 'complex64') {
    const out: Scalar[] = new globalThis.Array(typed.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = { re: typed[2 * i] as number, im: typed[2 * i + 1] as number };
    return out;
  }
  const out: Scalar[] = new globalThis.Array(typed.length);
  if (dtype.name === 'bool') {
    for (let i = 0; i < typed.length; i++) out[i] = typed[i] !== 0;
  } else {
    for (let i = 0; i < typed.length; i++) out[i] = Number(typed[i]);
  }
  return out;
}

/** The dtype matching a TypedArray's element type, or null for unsupported kinds. */
export function dtypeNameOfTypedArray(v: ArrayBufferView): Dtype['name'] | null {
  if (v instanceof Float32Array) return 'float32';
  if (v instanceof Float64Array) return 'float64';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Int16Array) return 'int16';
  if (v instanceof Int8Array) return 'int8';
  if (v instanceof Uint8Array || v instanceof Uint8ClampedArray) return 'uint8';
  if (v instanceof Uint16Array) return 'uint16';
  if (v instanceof Uint32Array) return 'uint32';
  if (v instanceof BigInt64Array) return 'int64';
  if (v instanceof BigUint64Array) return 'uint64';
  // Float16Array exists in newer runtimes only; look it up without assuming it.
  const F16 = (globalThis as { Float16Array?: new () => unknown }).Float16Array;
  if (F16 !== undefined && v instanceof F16) return 'float16';
  return null;
}
