// The products family (addmm, inner, outer, tensordot) against NumPy fixtures, in float32,
// float16 and float64, with strided and broadcast inputs, 0-size, errors and gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import productsFixture from './fixtures/products.json';

interface Enc { shape: number[]; values: number[] }
interface Case { op: string; inputs: Enc[]; args: Record<string, any>; out: Enc } // eslint-disable-line @typescript-eslint/no-explicit-any
const fixture = productsFixture as unknown as { cases: Case[] };

const input = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

type Args = Case['args'];
const run: Record<string, (xs: mx.Array[], a: Args) => mx.Array> = {
  addmm: ([c, a, b], o) => mx.addmm(c!, a!, b!, o.alpha, o.beta),
  inner: ([a, b]) => mx.inner(a!, b!),
  outer: ([a, b]) => mx.outer(a!, b!),
  tensordot: ([a, b], o) => mx.tensordot(a!, b!, o.axes),
};

describeEachBackend('products', () => {
  it('matches NumPy on every fixture case in float32, float16 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-4], [mx.float16, 0.25], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const y = run[c.op]!(c.inputs.map((e) => input(e, dtype)), c.args);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          expectClose(flat(y), c.out.values, tol);
        });
      }
    }
  });

  it('takes options objects, transposed and broadcast views', () => {
    mx.tidy(() => {
      const a = mx.array([[1, 2], [3, 4]]);
      const b = mx.array([[5, 6], [7, 8]]);
      const c = mx.array([1, 1]);
      expect(mx.addmm(c, a, b, { beta: 2 }).tolist()).toEqual([[21, 24], [45, 52]]);
      expect(mx.addmm(c, a, b, { alpha: 0.5 }).tolist()).toEqual([[10.5, 12], [22.5, 26]]);
      // a.T and a broadcast c.
      expect(mx.addmm(mx.broadcastTo(mx.array(1), [2, 2]), a.T, b).tolist()).toEqual([[27, 31], [39, 45]]);
      expect(mx.tensordot(a.T, b, { axes: 1 }).tolist()).toEqual([[26, 30], [38, 44]]);
      expect(mx.tensordot(a, b).item()).toBe(70);
      expect(mx.tensordot(a, b, [0, 0]).tolist()).toEqual([[26, 30], [38, 44]]);
      expect(mx.inner(a.T, b).tolist()).toEqual([[23, 31], [34, 46]]);
      expect(mx.outer(a.T, mx.array([1, -1])).tolist()).toEqual([[1, -1], [3, -3], [2, -2], [4, -4]]);
      // Integer outer stays integer (a product); a JS number scalar against an array.
      const o = mx.outer(mx.array([1, 2], mx.int32), mx.array([3], mx.int32));
      expect(o.dtype).toBe(mx.int32);
      expect(o.tolist()).toEqual([[3], [6]]);
      expect(mx.inner(mx.array(2), mx.array([1, 2])).tolist()).toEqual([2, 4]);
      // Mixed dtypes promote.
      expect(mx.inner(mx.array([1, 2], mx.float16), mx.array([3, 4])).dtype).toBe(mx.float32);
      expect(mx.addmm(mx.array([1], mx.float64), a, b).dtype).toBe(mx.float64);
    });
  });

  it('propagates NaN', () => {
    mx.tidy(() => {
      const y = mx.inner(mx.array([NaN, 1]), mx.array([1, 1]));
      expect(Number.isNaN(y.item() as number)).toBe(true);
      const t = mx.tensordot(mx.array([[NaN, 0], [0, 1]]), mx.eye(2), 1).tolist() as number[][];
      expect(t.map((r) => r.map((v) => Number.isNaN(v)))).toEqual([[true, true], [false, false]]);
    });
  });

  it('rejects bad input with errors naming the op', () => {
    mx.tidy(() => {
      const a = mx.ones([2, 3]);
      expect(() => mx.addmm(mx.ones([2]), a, mx.ones([2, 3]))).toThrow('[matmul]');
      expect(() => mx.addmm(mx.ones([2]), mx.array(1), a)).toThrow('[addmm]');
      expect(() => mx.addmm(mx.ones([4]), a, mx.ones([3, 2]))).toThrow(/broadcast/i);
      expect(() => mx.inner(a, mx.ones([2]))).toThrow('[inner]');
      expect(() => mx.tensordot(a, mx.ones([2, 3]), 1)).toThrow('[tensordot] a and b must have the same shape on the contracted axes.');
      expect(() => mx.tensordot(a, a, 3)).toThrow('[tensordot]');
      expect(() => mx.tensordot(a, a, -1)).toThrow('[tensordot] axes must be a non-negative integer.');
      expect(() => mx.tensordot(a, a, [[0], [0, 1]])).toThrow('[tensordot]');
      expect(() => mx.tensordot(a, a, [[2], [0]])).toThrow('[tensordot] Invalid axis 2');
      expect(() => mx.tensordot(a, a, [[0, 0], [0, 0]])).toThrow('[tensordot] Repeated axis.');
      expect(() => mx.inner(mx.ones([2], mx.int32), mx.ones([2], mx.int32))).toThrow('[matmul]');
      expect(() => mx.outer(a, [1, 2] as unknown as mx.Array)).toThrow('[outer]');
    });
  });

  it('has vjp and jvp that match finite differences', () => {
    checkGrads((c, a, b) => mx.addmm(c, a, b, 0.5, -2), [[3], [2, 4], [4, 3]]);
    checkGrads((c, a, b) => mx.addmm(c, a, b), [[2, 1, 3], [2, 2, 4], [4, 3]]);
    checkGrads((a, b) => mx.inner(a, b), [[2, 4], [3, 4]]);
    checkGrads((a, b) => mx.outer(a, b), [[2, 2], [3]]);
    checkGrads((a, b) => mx.tensordot(a, b), [[2, 3, 4], [3, 4, 2]]);
    checkGrads((a, b) => mx.tensordot(a, b, [[0, 2], [1, 0]]), [[2, 3, 4], [4, 2]]);
  });
});
