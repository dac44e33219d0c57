// mx.linalg against numpy.linalg: norm (vector ords 2, 1, inf, -inf, 0, p; matrix ords 'fro',
// 1, -1, inf, -inf; axes, keepdims, dtypes, 0-size, NaN) and inv, solve, cholesky (batched,
// float32 / float64, singular and non-positive-definite errors), with gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import linalgFixture from './fixtures/linalg.json';

interface Enc { shape: number[]; values: number[] }
interface Args { ord: number | string | null; axis: number | number[] | null; keepdims: boolean; upper?: boolean }
interface Case { op: string; inputs: Enc[]; args: Args; out: Enc }
const fixture = linalgFixture as unknown as { cases: Case[] };

const input = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
const ordOf = (o: number | string | null): mx.linalg.NormOrd | null =>
  o === 'inf' ? Infinity : o === '-inf' ? -Infinity : (o as mx.linalg.NormOrd | null);

describeEachBackend('linalg', () => {
  it('norm matches NumPy on every fixture case in float32, float16 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float16, 5e-3], [mx.float64, 1e-12]] as const) {
      for (const c of fixture.cases.filter((k) => k.op === 'norm')) {
        mx.tidy(() => {
          const label = `norm ${JSON.stringify(c.inputs[0]!.shape)} ${JSON.stringify(c.args)} ${dtype}`;
          const x = input(c.inputs[0]!, dtype);
          const y = mx.linalg.norm(x, ordOf(c.args.ord), c.args.axis, c.args.keepdims);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          const got = flat(y);
          c.out.values.forEach((v, i) => expect(Math.abs(got[i]! - v), `${label} at ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
          const z = mx.linalg.norm(x, { ord: ordOf(c.args.ord), axis: c.args.axis, keepdims: c.args.keepdims });
          expectClose(flat(z), got, 0);
        });
      }
    }
  });

  it('norm takes integer, strided and broadcast inputs', () => {
    mx.tidy(() => {
      const i = mx.linalg.norm(mx.array([3, 4], mx.int32));
      expect(i.dtype).toBe(mx.float32);
      expect(i.item()).toBe(5);
      const m = mx.array([[1, -2], [3, 4]]);
      expect(mx.linalg.norm(m.T, 1).item()).toBe(7); // max column sum of m.T = max row sum of m
      expect(mx.linalg.norm(m.T, Infinity).item()).toBe(6);
      expect(mx.linalg.norm(m, 1, 0).tolist()).toEqual([4, 6]);
      expect(mx.linalg.norm(m, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
      expect(mx.linalg.norm(mx.broadcastTo(mx.array(2), [4]), 0.5).item()).toBeCloseTo(32, 4);
      expect(mx.linalg.norm(mx.array([0, 2, 0], mx.float16), 0).dtype).toBe(mx.float16);
      expect(mx.linalg.norm(mx.array(-3)).item()).toBe(3);
      const n = mx.linalg.norm(mx.array([[NaN, 1], [1, 1]]), null, 1).tolist() as number[];
      expect(n.map((v) => Number.isNaN(v))).toEqual([true, false]);
    });
  });

  it('norm rejects bad ords and axes', () => {
    mx.tidy(() => {
      const x = mx.ones([2, 3, 4]);
      expect(() => mx.linalg.norm(x, 2)).toThrow('[linalg::norm] Received array with 3 dimensions');
      expect(() => mx.linalg.norm(x, null, [0, 1, 2])).toThrow('[linalg::norm] Received 3 axes');
      expect(() => mx.linalg.norm(x, null, 3)).toThrow('[linalg::norm] Invalid axis 3');
      expect(() => mx.linalg.norm(x, null, [1, -2])).toThrow('[linalg::norm] Received repeated axes.');
      expect(() => mx.linalg.norm(x, 'fro', 0)).toThrow("[linalg::norm] Norm type 'fro' is not supported for vectors.");
      expect(() => mx.linalg.norm(x, 3, [0, 1])).toThrow('[linalg::norm] Invalid ord 3 for matrix norm.');
      expect(() => mx.linalg.norm(x, 'nuc', 0)).toThrow("[linalg::norm] Norm type 'nuc' is not supported for vectors.");
      expect(() => mx.linalg.norm(x, 'max' as 'fro')).toThrow('[linalg::norm] Invalid ord "max".');
    });
  });

  it('norm has vjp and jvp that match finite differences', () => {
    mx.tidy(() => {
      checkGrads((x) => mx.linalg.norm(x), [[2, 3]]);
      checkGrads((x) => mx.linalg.norm(x, 2, 1, true), [[3, 4]]);
      checkGrads((x) => mx.linalg.norm(x, 1, 0), [[3, 4]], { range: [0.1, 1] });
      checkGrads((x) => mx.linalg.norm(x, 3, -1), [[2, 4]], { range: [0.1, 1] });
      checkGrads((x) => mx.linalg.norm(x, Infinity), [mx.array([0.3, -0.9, 0.5], mx.float64)]);
      checkGrads((x) => mx.linalg.norm(x, 'fro', [0, 2]), [[2, 3, 2]]);
      checkGrads((x) => mx.linalg.norm(x, 1), [mx.array([[0.5, -0.2], [0.9, 0.1]], mx.float64)]);
      checkGrads((x) => mx.linalg.norm(x, -Infinity, [1, 2], true), [mx.array([[[0.5, -0.2], [0.9, 0.3]]], mx.float64)]);
    });
  });

  it('inv, solve and cholesky match NumPy in float32 and float64, batched', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-12]] as const) {
      for (const c of fixture.cases.filter((k) => k.op !== 'norm')) {
        mx.tidy(() => {
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const xs = c.inputs.map((e) => input(e, dtype));
          const y = c.op === 'inv' ? mx.linalg.inv(xs[0]!)
            : c.op === 'solve' ? mx.linalg.solve(xs[0]!, xs[1]!)
              : mx.linalg.cholesky(xs[0]!, c.args.upper);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          const got = flat(y);
          c.out.values.forEach((v, i) => expect(Math.abs(got[i]! - v), `${label} at ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
        });
      }
    }
  });

  it('inv, solve and cholesky take strided inputs, promote, and read the lower triangle', () => {
    mx.tidy(() => {
      const a = mx.array([[2, 1], [0, 4]]);
      expectClose(mx.linalg.inv(a.T).tolist(), [[0.5, 0], [-0.125, 0.25]], 1e-7);
      expectClose(mx.linalg.inv(mx.broadcastTo(a, [2, 2, 2])).tolist(), [[[0.5, -0.125], [0, 0.25]], [[0.5, -0.125], [0, 0.25]]], 1e-7);
      const x = mx.linalg.solve(a, mx.array([3, 4], mx.float64));
      expect(x.dtype).toBe(mx.float64);
      expectClose(x.tolist(), [1, 1], 1e-12);
      // The upper triangle is ignored: [[4, junk], [2, 5]] factors as [[2, 0], [1, 2]].
      expect(mx.linalg.cholesky(mx.array([[4, 99], [2, 5]])).tolist()).toEqual([[2, 0], [1, 2]]);
      expect(mx.linalg.cholesky(mx.array([[4, 2], [2, 5]]), { upper: true }).tolist()).toEqual([[2, 1], [0, 2]]);
      const n = mx.linalg.inv(mx.array([[NaN, 0], [0, 1]])).tolist() as number[][];
      expect(Number.isNaN(n[0]![0]!)).toBe(true);
    });
  });

  it('inv, solve and cholesky reject bad input', () => {
    mx.tidy(() => {
      expect(() => mx.linalg.inv(mx.ones([3]))).toThrow('[linalg::inv] Arrays must have >= 2 dimensions.');
      expect(() => mx.linalg.inv(mx.ones([2, 3]))).toThrow('[linalg::inv] Expected square matrices');
      expect(() => mx.linalg.inv(mx.ones([2, 2], mx.int32))).toThrow('[linalg::inv] Arrays must have type float32 or float64.');
      expect(() => mx.linalg.inv(mx.ones([2, 2], mx.float16))).toThrow('[linalg::inv]');
      expect(() => mx.linalg.inv(mx.array([[1, 2], [2, 4]])).tolist()).toThrow('[linalg::inv] The matrix is singular');
      expect(() => mx.linalg.solve(mx.array([[1, 2], [2, 4]]), mx.ones([2])).tolist()).toThrow('[linalg::inv] The matrix is singular');
      expect(() => mx.linalg.solve(mx.eye(2), mx.ones([3]))).toThrow('[linalg::solve] Last dimension of first input');
      expect(() => mx.linalg.solve(mx.ones([2]), mx.ones([2]))).toThrow('[linalg::solve]');
      expect(() => mx.linalg.cholesky(mx.ones([2, 3]))).toThrow('[linalg::cholesky] Expected square matrices');
      expect(() => mx.linalg.cholesky(mx.array([[1, 2], [2, 1]])).tolist()).toThrow('[linalg::cholesky] The matrix is not positive definite.');
    });
  });

  it('inv, solve and cholesky have vjp and jvp that match finite differences', () => {
    const shift = (a: mx.Array): mx.Array => mx.add(a, mx.multiply(mx.eye(a.shape[a.ndim - 1]!, undefined, 0, mx.float64), 3));
    checkGrads((a) => mx.linalg.inv(shift(a)), [[3, 3]]);
    checkGrads((a) => mx.linalg.inv(shift(a)), [[2, 2, 2]]);
    checkGrads((a, b) => mx.linalg.solve(shift(a), b), [[2, 3, 3], [2, 3]]);
    checkGrads((a, b) => mx.linalg.solve(shift(a), b), [[3, 3], [3, 2]]);
    // Symmetric input by construction (the factor reads one triangle).
    const spd = (m: mx.Array): mx.Array => shift(mx.matmul(m, mx.swapaxes(m, -1, -2)));
    checkGrads((m) => mx.linalg.cholesky(spd(m)), [[3, 3]]);
    checkGrads((m) => mx.linalg.cholesky(spd(m), true), [[2, 3, 3]]);
  });

  it('inv and cholesky batch under vmap like their batched forms', () => {
    mx.tidy(() => {
      const a = mx.add(mx.multiply(mx.arange(18, mx.float32).reshape(2, 3, 3), 0.1), mx.multiply(mx.eye(3), 4));
      const spd = mx.matmul(a, mx.swapaxes(a, -1, -2));
      expectClose(flat(mx.vmap((m: mx.Array) => mx.linalg.inv(m))(a) as mx.Array), flat(mx.linalg.inv(a)), 1e-6);
      // Mapped along the last axis: the matrices are a[:, :, i].
      const t = mx.moveaxis(spd, 0, 2);
      expectClose(flat(mx.vmap((m: mx.Array) => mx.linalg.cholesky(m), 2)(t) as mx.Array), flat(mx.linalg.cholesky(spd)), 1e-5);
      expectClose(flat(mx.vmap((m: mx.Array) => mx.linalg.norm(m, 1))(a) as mx.Array), flat(mx.linalg.norm(a, 1, [1, 2])), 1e-6);
    });
  });
});
