/**
 * float16 and bfloat16 <-> number conversion. JS has no 16-bit float type (Float16Array is
 * not everywhere yet), so host data in these dtypes goes through uint16 bit patterns.
 * Encoding rounds to nearest, ties to even, like the hardware conversions MLX relies on.
 * Values are rounded to float32 first, so a float64 that lies within a float32 ulp of a
 * float16 tie may round differently from a direct float64 -> float16 conversion.
 */

import { describeValue } from './arg-checks.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float16Bits(value: number): number {
  if (typeof value !== 'number') throw new Error(`[float16Bits] value must be a number, got ${describeValue(value)}.`);
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0); // inf / NaN
  const e = exp - 127 + 15; // the float16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    // Subnormal (or zero) in float16: the value is m * 2^-24 with m = M >> (14 - e).
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    let m = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (m & 1) !== 0)) m++;
    return sign | m; // a carry into bit 10 correctly yields the smallest normal
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) !== 0)) h++; // carries may reach inf: correct
  return sign | h;
}

export function float16Value(bits: number): number {
  if (typeof bits !== 'number') throw new Error(`[float16Value] bits must be a number, got ${describeValue(bits)}.`);
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m !== 0 ? NaN : sign * Infinity;
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

export function bfloat16Bits(value: number): number {
  if (typeof value !== 'number') throw new Error(`[bfloat16Bits] value must be a number, got ${describeValue(value)}.`);
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  // bfloat16 is the top half of a float32: round the dropped half to nearest even.
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16Value(bits: number): number {
  if (typeof bits !== 'number') throw new Error(`[bfloat16Value] bits must be a number, got ${describeValue(bits)}.`);
  u32[0] = (bits & 0xffff) << 16;
  return f32[0]!;
}
