// mx.hadamardTransform (against Sylvester's matrix built here by its recursion, and the
// defining properties of the order-12/20/28 products: +-1 entries and H H^T = n I), its vjp
// and vmap; mx.toFp8 / mx.fromFp8 against the e4m3 format's definition (all 256 codes,
// round-to-nearest-even ties, saturation); mx.depends; mx.issubdtype.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';

const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

/** Sylvester's Hadamard matrix of order n (a power of two): H_2n = [[H, H], [H, -H]]. */
function sylvester(n: number): number[][] {
  let h = [[1]];
  while (h.length < n) h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((v) => -v)])];
  return h;
}

/** e4m3fn's value of a code, from the format's definition. */
function e4m3(code: number): number {
  const sign = code & 0x80 ? -1 : 1;
  const exp = (code >> 3) & 0xf, man = code & 7;
  if (exp === 15 && man === 7) return NaN;
  return exp === 0 ? sign * man * 2 ** -9 : sign * (1 + man / 8) * 2 ** (exp - 7);
}

describeEachBackend('hadamardTransform', () => {
  it('is scale * H_n x for powers of two (Sylvester order), default scale 1/sqrt(n)', () => mx.tidy(() => {
    for (const n of [2, 8, 64]) {
      const x = mx.random.normal([3, n], mx.float64, { key: mx.random.key(n) });
      const h = mx.array(sylvester(n), mx.float64);
      const want = mx.multiply(mx.matmul(x, h), Math.fround(1 / Math.sqrt(n))); // MLX keeps the scale in float32
      const got = mx.hadamardTransform(x);
      flat(got).forEach((v, i) => expect(Math.abs(v - flat(want)[i]!)).toBeLessThan(1e-12));
      const scaled = mx.hadamardTransform(x.astype(mx.float32), { scale: 0.5 });
      flat(scaled).forEach((v, i) => expect(Math.abs(v - flat(mx.multiply(mx.matmul(x, h), 0.5))[i]!)).toBeLessThan(1e-4));
    }
  }));

  it('gives a +-1 matrix with H H^T = n I for n = 12, 20, 28 times powers of two', () => mx.tidy(() => {
    for (const n of [12, 20, 28, 24, 56, 80]) {
      const h = mx.hadamardTransform(mx.eye(n, undefined, undefined, mx.float64), { scale: 1 });
      expect(flat(h).every((v) => v === 1 || v === -1), `entries of H_${n}`).toBe(true);
      expect(flat(mx.matmul(h, mx.transpose(h)))).toEqual(flat(mx.multiply(mx.eye(n, undefined, undefined, mx.float64), n)));
    }
  }));

  it('takes integers as float32 and a size-1 axis as a multiply', () => mx.tidy(() => {
    const y = mx.hadamardTransform(mx.array([[1, 2, 3, 4]]));
    expect(y.dtype).toBe(mx.float32);
    expect(flat(y)).toEqual([5, -1, -2, 0]);
    expect(mx.hadamardTransform(mx.array([[3]]), { scale: 2 }).tolist()).toEqual([[6]]);
  }));

  it('has a vjp (its transpose) and jvp checked by finite differences, and vmaps over any axis', () => {
    checkGrads((x) => mx.hadamardTransform(x), [[2, 16]]);
    // H_20 and H_28 are not symmetric: the vjp must apply the transpose.
    for (const n of [12, 20, 28, 56]) checkGrads((x) => mx.hadamardTransform(x, { scale: 0.3 }), [[n]]);
    mx.tidy(() => {
      const x = mx.random.normal([4, 3, 8], mx.float32, { key: mx.random.key(1) });
      const loop = (axis: number): number[] =>
        flat(mx.stack([0, 1, 2].map((i) => mx.hadamardTransform(mx.take(x, mx.array(i, mx.int32), axis))), axis === 2 ? 2 : axis));
      expect(flat(mx.vmap((t: mx.Array) => mx.hadamardTransform(t), 1, 1)(x) as mx.Array)).toEqual(loop(1));
      const xs = mx.random.normal([8, 3], mx.float32, { key: mx.random.key(2) });
      const want = mx.stack([0, 1, 2].map((i) => mx.hadamardTransform(mx.take(xs, mx.array(i, mx.int32), 1))));
      expect(flat(mx.vmap((t: mx.Array) => mx.hadamardTransform(t), 1)(xs) as mx.Array)).toEqual(flat(want));
    });
  });

  it('raises MLX errors', () => mx.tidy(() => {
    expect(() => mx.hadamardTransform(mx.zeros([2, 6]))).toThrow(/\[hadamard\] Only supports n = m\*2\^k where m in \(1, 12, 20, 28\)/);
    expect(() => mx.hadamardTransform(mx.zeros([0, 4]))).toThrow(/\[hadamard_transform\] Does not support empty arrays/);
  }));
});

describeEachBackend('toFp8 / fromFp8', () => {
  it('decode every code as the e4m3fn format defines it, and encode each value back to its code', () => mx.tidy(() => {
    const codes = mx.arange(256).astype(mx.uint8);
    const vals = flat(mx.fromFp8(codes, mx.float32));
    vals.forEach((v, c) => (Number.isNaN(e4m3(c)) ? expect(Number.isNaN(v), `code ${c}`).toBe(true) : expect(v, `code ${c}`).toBe(e4m3(c))));
    const finite = [...Array(256).keys()].filter((c) => !Number.isNaN(e4m3(c)) && c !== 0x80);
    const back = flat(mx.toFp8(mx.array(finite.map(e4m3), mx.float32)));
    expect(back).toEqual(finite);
    expect(mx.fromFp8(codes, mx.float16).dtype).toBe(mx.float16);
  }));

  it('rounds to nearest, ties to even, and saturates at 464 (NaN too) like MLX', () => mx.tidy(() => {
    // 1.0625 lies halfway between 1 (0x38, even mantissa) and 1.125 (0x39): ties go to 0x38;
    // 1.1875 between 1.125 (0x39) and 1.25 (0x3A) goes to 0x3A.
    const x = mx.array([1.0625, 1.1875, 1.07, 460, 464, 1e6, -1e6, NaN, 2 ** -10, 3 * 2 ** -10, -0.0], mx.float32);
    expect(flat(mx.toFp8(x))).toEqual([0x38, 0x3a, 0x39, 0x7e, 0x7e, 0x7e, 0xfe, 0x7e, 0x00, 0x02, 0x80]);
    expect(mx.toFp8(x.astype(mx.bfloat16)).dtype).toBe(mx.uint8);
  }));

  it('raises MLX errors', () => mx.tidy(() => {
    expect(() => mx.toFp8(mx.array([1], mx.int32))).toThrow(/\[to_fp8\] Only real floating types are supported but x.dtype\(\) == int32/);
    expect(() => mx.fromFp8(mx.array([1], mx.int32), mx.float32)).toThrow(/\[from_fp8\] Input must have type uint8/);
    expect(() => mx.fromFp8(mx.array([1], mx.uint8), mx.int32)).toThrow(/\[from_fp8\] Only real floating types are supported but dtype == int32/);
  }));
});

describeEachBackend('depends and issubdtype', () => {
  it('returns its inputs unchanged, with gradients flowing to them only', () => mx.tidy(() => {
    const a = mx.array([1, 2, 3]), b = mx.array([[4]]), dep = mx.array([9]);
    const [x, y] = mx.depends([a, b], [dep]);
    expect(x!.tolist()).toEqual([1, 2, 3]);
    expect(y!.tolist()).toEqual([[4]]);
    const g = <mx.Array>mx.grad((t: mx.Array) => mx.sum(mx.multiply(mx.depends([t], [mx.exp(t)])[0]!, 3)))(mx.array([1, 2]));
    expect(g.tolist()).toEqual([3, 3]);
    expect(() => mx.depends([], [dep])).toThrow(/\[depends\]/);
  }));

  it('issubdtype follows MLX categories', () => {
    expect(mx.issubdtype(mx.float16, mx.floating)).toBe(true);
    expect(mx.issubdtype(mx.uint8, mx.signedinteger)).toBe(false);
    expect(mx.issubdtype(mx.complex64, mx.inexact)).toBe(true);
  });
});
