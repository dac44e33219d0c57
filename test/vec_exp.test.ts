// The vectorised float32 exp / sigmoid / tanh (kernels/vec_exp: SIMD128 on wasm, the same
// operations in scalar form natively) against float64 Math functions, in float32 ulps, over
// their whole useful range; the special values; 16-bit floats; and strided inputs, which take
// the scalar path and must give the very same values.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

/** |got - want| in float32 ulps of want (subnormal spacing below the normal range). */
function ulps(got: number, want: number): number {
  const a = Math.abs(want);
  const e = a === 0 ? -149 : Math.max(Math.floor(Math.log2(a)) - 23, -149);
  return Math.abs(got - want) / 2 ** e;
}

/** n evenly spaced float32 values in [lo, hi] (n odd, so the SIMD loops have a tail). */
function sweep(lo: number, hi: number, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + ((hi - lo) * i) / (n - 1);
  return v;
}

function worstUlps(op: (x: mx.Array) => mx.Array, ref: (v: number) => number, x: Float32Array): number {
  return mx.tidy(() => {
    const y = op(mx.array(x, [x.length])).toTypedArray() as Float32Array;
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const w = ref(x[i]!);
      if (w > 3.4028234663852886e38 && y[i] === Infinity) continue;
      worst = Math.max(worst, ulps(y[i]!, w));
    }
    return worst;
  });
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describeEachBackend('vectorised exp, sigmoid, tanh', () => {
  it('float32 exp is within 2 ulps from the subnormal range to overflow', () => {
    expect(worstUlps(mx.exp, Math.exp, sweep(-110, 90, 200003))).toBeLessThanOrEqual(2);
    expect(worstUlps(mx.exp, Math.exp, sweep(-1e-3, 1e-3, 10001))).toBeLessThanOrEqual(1);
  });

  it('float32 sigmoid and tanh are within 3 ulps', () => {
    expect(worstUlps(mx.sigmoid, sigmoid, sweep(-105, 30, 100003))).toBeLessThanOrEqual(3);
    expect(worstUlps(mx.tanh, Math.tanh, sweep(-12, 12, 100003))).toBeLessThanOrEqual(3);
    expect(worstUlps(mx.tanh, Math.tanh, sweep(-1e-3, 1e-3, 1001))).toBeLessThanOrEqual(1);
  });

  it('special values as the float64 functions give them', () => {
    mx.tidy(() => {
      const x = mx.array([-Infinity, Infinity, NaN, 0, -0, -200, 200, -103, 0.5], mx.float32);
      const e = Array.from(mx.exp(x).toTypedArray() as Float32Array);
      expect(e.slice(0, 2)).toEqual([0, Infinity]);
      expect(Object.is(e[0], 0)).toBe(true);
      expect(e[2]).toBeNaN();
      expect(e.slice(3, 7)).toEqual([1, 1, 0, Infinity]);
      expect(e[7]! > 0 && e[7]! < 1e-44).toBe(true); // subnormal, not flushed to 0
      const s = Array.from(mx.sigmoid(x).toTypedArray() as Float32Array);
      expect([s[0], s[1], s[3]]).toEqual([0, 1, 0.5]);
      expect(s[2]).toBeNaN();
      const t = Array.from(mx.tanh(x).toTypedArray() as Float32Array);
      expect([t[0], t[1]]).toEqual([-1, 1]);
      expect(t[2]).toBeNaN();
      expect(Object.is(t[4], -0)).toBe(true);
    });
  });

  it('16-bit floats go through float32 and round once', () => {
    mx.tidy(() => {
      const x = sweep(-9, 9, 1001);
      for (const [dtype, rel] of [[mx.float16, 2 ** -11], [mx.bfloat16, 2 ** -8]] as const) {
        for (const [op, ref] of [[mx.exp, Math.exp], [mx.sigmoid, sigmoid], [mx.tanh, Math.tanh]] as const) {
          const xh = mx.astype(mx.array(x, [x.length]), dtype);
          const xs = mx.astype(xh, mx.float32).toTypedArray() as Float32Array;
          const y = mx.astype(op(xh), mx.float32).toTypedArray() as Float32Array;
          for (let i = 0; i < x.length; i++) {
            const w = ref(xs[i]!);
            expect(Math.abs(y[i]! - w)).toBeLessThanOrEqual(rel * Math.abs(w) * 1.01 + 6e-8);
          }
        }
      }
    });
  });

  it('strided and contiguous inputs give identical values', () => {
    mx.tidy(() => {
      const base = mx.multiply(mx.random.normal([37, 43], undefined, undefined, undefined, mx.random.key(5)), 6);
      const t = mx.transpose(base); // a strided view
      const dense = mx.add(t, 0); // the same values, row-contiguous
      for (const op of [mx.exp, mx.sigmoid, mx.tanh]) {
        expect(Array.from(op(t).toTypedArray() as Float32Array)).toEqual(Array.from(op(dense).toTypedArray() as Float32Array));
      }
    });
  });
});
