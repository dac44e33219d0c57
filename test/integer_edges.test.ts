// Integer edges with one result on every backend (docs/ops.md, "Integer arithmetic and
// float-to-integer conversion"): overflow wraps as two's complement, float -> integer
// truncates toward zero, saturates at the type's limits and maps NaN to 0.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);

describeEachBackend('integer edges', () => {
  it('int32 add, subtract, multiply and negative wrap around', () => {
    mx.tidy(() => {
      const a = mx.array([I32_MAX, I32_MIN, 65536, 46341], mx.int32);
      expect(mx.add(a, mx.array(1, mx.int32)).tolist()).toEqual([I32_MIN, I32_MIN + 1, 65537, 46342]);
      expect(mx.subtract(a, mx.array(1, mx.int32)).tolist()).toEqual([I32_MAX - 1, I32_MAX, 65535, 46340]);
      // 65536^2 = 2^32 wraps to 0; 46341^2 = 2147488281 wraps to 2147488281 - 2^32.
      expect(mx.multiply(a.index(mx.Slice(2, 4)), a.index(mx.Slice(2, 4))).tolist()).toEqual([0, 2147488281 - 2 ** 32]);
      expect(mx.negative(a).tolist()).toEqual([-I32_MAX, I32_MIN, -65536, -46341]);
      // uint16 products wrap at 2^16 (65535^2 mod 2^16 = 1).
      expect(mx.multiply(mx.array([65535], mx.uint16), mx.array([65535], mx.uint16)).tolist()).toEqual([1]);
    });
  });

  it('integer sums, products and cumulative sums wrap around', () => {
    mx.tidy(() => {
      const a = mx.full([3], I32_MAX, mx.int32);
      // 3 * (2^31 - 1) mod 2^32, as a signed int32.
      expect(mx.sum(a).item()).toBe(3 * I32_MAX - 2 ** 32);
      // Running sums: M, 2M mod 2^32 (-2 signed), 3M mod 2^32 (M - 2).
      expect(mx.cumsum(a).tolist()).toEqual([I32_MAX, -2, I32_MAX - 2]);
      expect(mx.prod(mx.full([32], 2, mx.int32)).item()).toBe(0);
      const big = mx.full([2], 2 ** 62, mx.int64);
      expect(mx.sum(big).toTypedArray()).toEqual(new BigInt64Array([-(2n ** 63n)]));
      const s = mx.scatterAdd(mx.array([I32_MAX], mx.int32), [mx.array([0, 0], mx.int32)], mx.array([[1], [1]], mx.int32), [0]);
      expect(s.tolist()).toEqual([I32_MIN + 1]);
    });
  });

  it('float -> integer: toward zero, saturating, NaN -> 0', () => {
    mx.tidy(() => {
      const x = mx.array([NaN, Infinity, -Infinity, -1e10, 300.7, -2.9, 1e10]);
      expect(x.astype(mx.int8).tolist()).toEqual([0, 127, -128, -128, 127, -2, 127]);
      expect(x.astype(mx.int32).tolist()).toEqual([0, I32_MAX, I32_MIN, I32_MIN, 300, -2, I32_MAX]);
      expect(x.astype(mx.uint8).tolist()).toEqual([0, 255, 0, 0, 255, 0, 255]);
      expect(x.astype(mx.uint32).tolist()).toEqual([0, 2 ** 32 - 1, 0, 0, 300, 0, 2 ** 32 - 1]);
      expect(x.astype(mx.int64).toTypedArray()).toEqual(new BigInt64Array([0n, 2n ** 63n - 1n, -(2n ** 63n), -10000000000n, 300n, -2n, 10000000000n]));
      expect(mx.array([1e30, -1e30, NaN], mx.float64).astype(mx.uint64).toTypedArray()).toEqual(new BigUint64Array([2n ** 64n - 1n, 0n, 0n]));
      expect(mx.array([NaN, Infinity, -3.5], mx.float16).astype(mx.int16).tolist()).toEqual([0, 32767, -3]);
      expect(x.astype(mx.bool).tolist()).toEqual([true, true, true, true, true, true, true]);
    });
  });
});
