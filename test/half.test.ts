// float16/bfloat16 host conversions (no backend needed): bit patterns from IEEE 754.
import { describe, expect, it } from 'vitest';
import { bfloat16Bits, bfloat16Value, float16Bits, float16Value } from '@mlxjs/core';

describe('float16 encoding', () => {
  it('encodes exact values', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(0)).toBe(0);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(2 ** -24)).toBe(1); // smallest subnormal
    expect(float16Bits(2 ** -14)).toBe(0x0400); // smallest normal
  });

  it('rounds to nearest, ties to even', () => {
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even (1)
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (1 + 2^-9)
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal
    expect(float16Bits(3 * 2 ** -25)).toBe(2); // tie between 1 and 2 ulps -> 2
    expect(float16Bits(65520)).toBe(0x7c00); // rounds past the max: infinity
  });

  it('handles inf and nan', () => {
    expect(float16Bits(Infinity)).toBe(0x7c00);
    expect(float16Bits(-Infinity)).toBe(0xfc00);
    expect(float16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(NaN) & 0x3ff).not.toBe(0);
  });

  it('decodes', () => {
    expect(float16Value(0x3c00)).toBe(1);
    expect(float16Value(0x3555)).toBe(0.333251953125);
    expect(float16Value(0x2e66)).toBe(0.0999755859375);
    expect(float16Value(0x0001)).toBe(2 ** -24);
    expect(float16Value(0xfc00)).toBe(-Infinity);
    expect(float16Value(0x7e00)).toBeNaN();
  });
});

describe('bfloat16 encoding', () => {
  it('keeps the top half of float32 with round-to-nearest-even', () => {
    expect(bfloat16Bits(1)).toBe(0x3f80);
    expect(bfloat16Bits(0.1)).toBe(0x3dcd); // 0x3dcccccd rounds up
    expect(bfloat16Bits(1 / 3)).toBe(0x3eab); // 0x3eaaaaab rounds up
    expect(bfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie -> even
    expect(bfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie -> even
    expect(bfloat16Value(0x3dcd)).toBe(0.10009765625);
    expect(bfloat16Value(0x3eab)).toBe(0.333984375);
    expect(bfloat16Value(0xff80)).toBe(-Infinity);
  });
});
