// Issue #18's dtype utilities (resultType, canCast, isdtype, finfo, iinfo; checked against
// the core's own promotion and NumPy's limits in fixtures/core_ops.json), random.laplace and
// random.multivariateNormal (moments with fixed keys), enableCompile / disableCompile, and
// einsumPath (MLX's greedy path einsum uses and its cost report).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import coreOpsFixture from './fixtures/core_ops.json';

const limits = coreOpsFixture as unknown as {
  finfo: Record<string, { min: number; max: number; eps: number; tiny: number }>;
  iinfo: Record<string, { min: string; max: string }>;
};

const stats = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

describeEachBackend('dtype utilities, random distributions, compile switch, einsumPath', () => {
  it('resultType and canCast follow the core\'s own promotion for every pair of dtypes', () => {
    mx.tidy(() => {
      for (const a of mx.dtypes) {
        for (const b of mx.dtypes) {
          // concatenate promotes its inputs with the core's promote_types.
          const joined = mx.concatenate([mx.zeros([0], a), mx.zeros([0], b)]).dtype;
          expect(mx.resultType(a, b), `${a} ${b}`).toBe(joined);
          expect(mx.resultType(mx.zeros([1], a), b.name), `${a} ${b} (array, name)`).toBe(joined);
          expect(mx.canCast(a, b), `canCast ${a} -> ${b}`).toBe(joined === b);
        }
      }
    });
    expect(mx.resultType(mx.int8, mx.uint8, mx.float16)).toBe(mx.float16);
    expect(mx.resultType(mx.bool)).toBe(mx.bool);
    expect(mx.canCast(mx.int32, mx.float32)).toBe(true);
    expect(mx.canCast(mx.float32, mx.int32)).toBe(false);
    expect(mx.canCast(mx.uint64, mx.int64)).toBe(false);
    expect(() => mx.resultType()).toThrow(/^\[result_type\]/);
    expect(() => mx.canCast(3 as unknown as mx.Dtype, mx.int32)).toThrow(/^\[can_cast\]/);
  });

  it('isdtype takes a dtype, an Array API kind or a list of them', () => {
    expect(mx.isdtype(mx.float32, mx.float32)).toBe(true);
    expect(mx.isdtype(mx.float32, mx.float64)).toBe(false);
    expect(mx.isdtype(mx.float16, 'real floating')).toBe(true);
    expect(mx.isdtype(mx.bfloat16, 'numeric')).toBe(true);
    expect(mx.isdtype(mx.complex64, 'complex floating')).toBe(true);
    expect(mx.isdtype(mx.complex64, 'real floating')).toBe(false);
    expect(mx.isdtype(mx.float32, 'complex floating')).toBe(false);
    expect(mx.isdtype(mx.complex64, 'numeric')).toBe(true);
    expect(mx.isdtype(mx.bool, 'numeric')).toBe(false);
    expect(mx.isdtype(mx.bool, 'bool')).toBe(true);
    expect(mx.isdtype(mx.uint8, 'integral')).toBe(true);
    expect(mx.isdtype(mx.uint8, 'signed integer')).toBe(false);
    expect(mx.isdtype(mx.int64, ['unsigned integer', mx.int64])).toBe(true);
    expect(mx.isdtype(mx.float32, ['integral', 'complex floating'])).toBe(false);
    expect(() => mx.isdtype(mx.float32, 'real' as mx.DtypeKindName)).toThrow(/^\[isdtype\] Unknown kind "real"/);
  });

  it('finfo and iinfo give NumPy\'s limits', () => {
    for (const [name, want] of Object.entries(limits.finfo)) {
      const f = new mx.finfo(name as mx.DtypeName);
      expect([f.min, f.max, f.eps, f.tiny], name).toEqual([want.min, want.max, want.eps, want.tiny]);
      expect(f.dtype.name).toBe(name);
    }
    // complex64: float32's limits, and float32 as the dtype (NumPy's finfo(complex64) says so too).
    const c = new mx.finfo(mx.complex64);
    const f32 = new mx.finfo(mx.float32);
    expect([c.min, c.max, c.eps, c.tiny, c.dtype]).toEqual([f32.min, f32.max, f32.eps, f32.tiny, mx.float32]);
    // bfloat16 (not a NumPy dtype): 8 exponent bits like float32, 7 stored significand bits.
    const bf = new mx.finfo(mx.bfloat16);
    expect([bf.max, bf.eps, bf.tiny]).toEqual([3.3895313892515355e38, 0.0078125, 1.1754943508222875e-38]);
    for (const [name, want] of Object.entries(limits.iinfo)) {
      const i = new mx.iinfo(name as mx.DtypeName);
      const big = name.endsWith('64');
      expect([i.min, i.max], name).toEqual(big ? [BigInt(want.min), BigInt(want.max)] : [Number(want.min), Number(want.max)]);
    }
    mx.tidy(() => expect(new mx.finfo(mx.zeros([1], mx.float16)).max).toBe(65504));
    expect(() => new mx.finfo(mx.int32)).toThrow('[finfo] dtype int32 is not inexact.');
    expect(() => new mx.iinfo(mx.float32)).toThrow('[iinfo] dtype float32 is not integral.');
    expect(() => new mx.iinfo(mx.bool)).toThrow('[iinfo] dtype bool is not integral.');
  });

  it('random.laplace: fixed keys repeat, moments match Laplace(loc, scale)', () => {
    mx.tidy(() => {
      const key = mx.random.key(18);
      const x = mx.random.laplace([20000], mx.float32, 1.5, 2, key);
      expect([x.shape, String(x.dtype)]).toEqual([[20000], 'float32']);
      expect(mx.arrayEqual(x, mx.random.laplace({ shape: [20000], loc: 1.5, scale: 2, key })).item()).toBe(true);
      const v = stats(x);
      const mean = v.reduce((s, t) => s + t, 0) / v.length;
      const variance = v.reduce((s, t) => s + (t - mean) ** 2, 0) / v.length;
      // Laplace(b): mean loc, variance 2 b^2, median |x - loc| = b ln 2.
      expect(Math.abs(mean - 1.5)).toBeLessThan(0.08);
      expect(Math.abs(variance - 8)).toBeLessThan(0.5);
      const within = v.filter((t) => Math.abs(t - 1.5) < 2 * Math.LN2).length / v.length;
      expect(Math.abs(within - 0.5)).toBeLessThan(0.02);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(String(mx.random.laplace([3], mx.float16, { key }).dtype)).toBe('float16');
      expect(mx.random.laplace().shape).toEqual([]);
      expect(() => mx.random.laplace([2], mx.int32)).toThrow(/^\[laplace\]/);
    });
  });

  it('random.multivariateNormal: samples have the given mean and covariance', () => {
    mx.tidy(() => {
      const mean = mx.array([1, -2]);
      const cov = mx.array([[2, 0.6], [0.6, 1]]);
      const key = mx.random.key(3);
      const x = mx.random.multivariateNormal(mean, cov, [20000], mx.float32, key);
      expect([x.shape, String(x.dtype)]).toEqual([[20000, 2], 'float32']);
      expect(mx.arrayEqual(x, mx.random.multivariateNormal(mean, cov, { shape: [20000], key })).item()).toBe(true);
      const m = stats(mx.mean(x, 0));
      expect(Math.abs(m[0]! - 1)).toBeLessThan(0.05);
      expect(Math.abs(m[1]! + 2)).toBeLessThan(0.05);
      const centered = mx.subtract(x, mx.mean(x, 0));
      const c = stats(mx.divide(mx.matmul(centered.T, centered), 20000));
      [2, 0.6, 0.6, 1].forEach((want, i) => expect(Math.abs(c[i]! - want), `cov[${i}]`).toBeLessThan(0.08));
      // Batch shapes broadcast: means (3, 2) with one covariance.
      const means = mx.array([[0, 0], [5, 5], [-5, 0]]);
      const y = mx.random.multivariateNormal(means, cov, [4000, 3], { key });
      expect(y.shape).toEqual([4000, 3, 2]);
      expect(mx.allclose(mx.mean(y, 0), means, 0, 0.1).item()).toBe(true);
      expect(mx.random.multivariateNormal(means, cov).shape).toEqual([3, 2]);
      expect(() => mx.random.multivariateNormal(mean, cov, [2], mx.float16)).toThrow('[multivariate_normal] dtype must be float32, got float16.');
      expect(() => mx.random.multivariateNormal(mean, mx.eye(3))).toThrow(/^\[multivariate_normal\] mean and cov/);
      expect(() => mx.random.multivariateNormal(mean, mx.ones([2, 3]))).toThrow(/^\[multivariate_normal\]/);
      expect(() => mx.random.multivariateNormal(means, cov, [4])).toThrow(/^\[multivariate_normal\] shape/);
    });
  });

  it('disableCompile makes compiled functions run uncompiled until enableCompile', () => {
    mx.tidy(() => {
      let calls = 0;
      const f = mx.compile((x: mx.Array) => {
        calls++;
        return mx.multiply(x, 2);
      });
      const x = mx.array([1, 2]);
      f(x);
      f(x);
      expect(calls).toBe(1);
      mx.disableCompile();
      try {
        expect((f(x) as mx.Array).tolist()).toEqual([2, 4]);
        f(x);
        expect(calls).toBe(3);
        // Uncompiled, values can be read inside (a compiled trace has only placeholders).
        const g = mx.compile((y: mx.Array) => mx.multiply(y, (mx.max(y).item() as number)));
        expect((g(x) as mx.Array).tolist()).toEqual([2, 4]);
        g.dispose();
      } finally {
        mx.enableCompile();
      }
      f(x);
      expect(calls).toBe(3);
      f.dispose();
    });
  });

  it('einsumPath gives MLX\'s greedy path and its cost', () => {
    mx.tidy(() => {
      const a = mx.ones([2, 3]);
      const b = mx.ones([3, 4]);
      const c = mx.ones([4, 5]);
      const [path, report] = mx.einsumPath('ij,jk,kl->il', a, b, c);
      // jk,kl->jl leaves 15 of 32 elements (removes 17), ij,jk->ik leaves 8 of 18 (removes 10):
      // the greedy rule takes the pair that removes the most first.
      expect(path).toEqual([[1, 2], [0, 1]]);
      // Naive: one step over i,j,k,l (120 products) with 3 terms and a sum: 120 * 3 = 360.
      // The path: jk,kl->jl over j,k,l (60 * 2) then ij,jl->il over i,j,l (30 * 2) = 180.
      expect(report).toContain('Complete contraction:  ij,jk,kl->il');
      expect(report).toContain('Naive scaling:  4');
      expect(report).toContain('Optimized scaling:  3');
      expect(report).toContain('Naive FLOP count:  360');
      expect(report).toContain('Optimized FLOP count:  180');
      const [path4] = mx.einsumPath('ab,bc,cd,de', mx.ones([2, 2]), mx.ones([2, 2]), mx.ones([2, 2]), mx.ones([2, 2]));
      expect(path4).toEqual([[0, 1], [0, 1], [0, 1]]);
      expect(mx.einsumPath('ii->i', mx.ones([3, 3]))[0]).toEqual([[0]]);
      expect(mx.einsumPath('...ij,...jk', mx.ones([2, 2, 3]), mx.ones([3, 4]))[0]).toEqual([[0, 1]]);
      expect(() => mx.einsumPath('ij,jk', a)).toThrow(/^\[einsum\]/);
    });
  });
});
