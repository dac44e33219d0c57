// Creation extras: linspace, eye, identity, tri, tril, triu, meshgrid against NumPy
// (fixtures/gen_creation.py), dtypes, views, errors, tril/triu gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import creationFixture from './fixtures/creation.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const F: any = creationFixture;

const f32 = (v: number): number => Math.fround(v);

describeEachBackend('creation extras', () => {
  it('linspace matches NumPy, endpoints exact', () => {
    mx.tidy(() => {
      for (const c of F.linspace) {
        const x = mx.linspace(c.start, c.stop, c.num, c.dtype);
        expect(String(x.dtype)).toBe(c.dtype);
        expect(x.shape).toEqual([c.num]);
        const v = x.astype(mx.float64).tolist() as number[];
        const want = (c.values as number[]).map((w) => (c.dtype === 'float32' ? f32(w) : w));
        expect(v).toEqual(want);
        if (c.num > 1) expect(v[c.num - 1]).toBe(c.dtype === 'float32' ? f32(c.stop) : c.stop);
      }
      expect(mx.linspace(0, 1).shape).toEqual([50]);
      expect(mx.linspace(0, 1, 3, mx.float16).tolist()).toEqual([0, 0.5, 1]);
      expect(() => mx.linspace(0, 1, -1)).toThrow('[linspace]');
    });
  });

  it('eye, identity and tri match NumPy', () => {
    mx.tidy(() => {
      for (const c of F.patterns) {
        expect(mx.eye(c.n, c.m, c.k).tolist()).toEqual(c.eye);
        expect(mx.tri(c.n, c.m, c.k).tolist()).toEqual(c.tri);
      }
      const e = mx.eye(3, null, 0, mx.int32);
      expect(e.dtype).toBe(mx.int32);
      expect(mx.identity(2, mx.bool).tolist()).toEqual([[true, false], [false, true]]);
      expect(mx.identity(3).dtype).toBe(mx.float32);
      expect(mx.tri(2, 3, 0, mx.uint8).tolist()).toEqual([[1, 0, 0], [1, 1, 0]]);
      expect(() => mx.eye(-1)).toThrow('[eye]');
      expect(() => mx.tri(2, -2)).toThrow('[tri]');
      expect(() => mx.identity(-2)).toThrow('[identity]');
    });
  });

  it('tril and triu match NumPy (batched, rectangular, any k)', () => {
    mx.tidy(() => {
      for (const c of F.triMasks) {
        const x = mx.array(c.x, mx.float32);
        expectClose(mx.tril(x, c.k).tolist(), c.tril, 1e-6);
        expectClose(mx.triu(x, c.k).tolist(), c.triu, 1e-6);
      }
      // Integer dtypes, a transposed view, NaN above the diagonal is zeroed.
      const i = mx.reshape(mx.arange(9), [3, 3]);
      expect(mx.tril(i).dtype).toBe(mx.int32);
      expect(mx.tril(i.T).tolist()).toEqual([[0, 0, 0], [1, 4, 0], [2, 5, 8]]);
      expect(mx.triu(mx.array([[1, NaN], [NaN, 2]])).tolist()).toEqual([[1, NaN], [0, 2]]);
      expect(mx.tril(mx.broadcastTo(mx.array([1, 2]), [2, 2, 2])).tolist()).toEqual([[[1, 0], [1, 2]], [[1, 0], [1, 2]]]);
      expect(mx.tril(mx.zeros([0, 3])).shape).toEqual([0, 3]);
      expect(() => mx.tril(mx.zeros([3]))).toThrow('[tril]');
      expect(() => mx.triu(mx.array(1))).toThrow('[triu]');
    });
  });

  it('meshgrid matches NumPy (xy / ij, sparse)', () => {
    mx.tidy(() => {
      for (const c of F.meshgrids) {
        const ins = (c.inputs as number[][]).map((v) => mx.array(v));
        const outs = mx.meshgrid(...ins, { indexing: c.indexing, sparse: c.sparse });
        expect(outs.length).toBe(c.outputs.length);
        outs.forEach((o, i) => {
          expect(o.shape).toEqual(c.outputs[i].shape);
          expect(o.tolist()).toEqual(c.outputs[i].values);
        });
      }
      // Default xy; dtypes kept; inputs are flattened.
      const [a, b] = mx.meshgrid(mx.array([1, 2], mx.int32), mx.array([[0.5], [1.5], [2.5]]));
      expect(a!.dtype).toBe(mx.int32);
      expect(a!.shape).toEqual([3, 2]);
      expect(b!.tolist()).toEqual([[0.5, 0.5], [1.5, 1.5], [2.5, 2.5]]);
      expect(mx.meshgrid().length).toBe(0);
      expect(() => mx.meshgrid(mx.zeros([2]), { indexing: 'yx' as 'xy' })).toThrow('[meshgrid]');
    });
  });

  it('optional arguments in a trailing options object', () => {
    mx.tidy(() => {
      expect(mx.linspace(0, 1, { num: 3 }).tolist()).toEqual([0, 0.5, 1]);
      expect(mx.linspace(0, 4, 3, { dtype: mx.int32 }).dtype).toBe(mx.int32);
      expect(mx.eye(2, { k: 1 }).tolist()).toEqual([[0, 1], [0, 0]]);
      expect(mx.eye(2, 3, { dtype: mx.int8 }).dtype).toBe(mx.int8);
      expect(mx.tri(2, { m: 3, k: 1 }).tolist()).toEqual([[1, 1, 0], [1, 1, 1]]);
      expect(mx.identity(2, { dtype: mx.int32 }).tolist()).toEqual([[1, 0], [0, 1]]);
      expect(mx.tril(mx.ones([2, 2]), { k: -1 }).tolist()).toEqual([[0, 0], [1, 0]]);
      expect(mx.triu(mx.ones([2, 2]), { k: 1 }).tolist()).toEqual([[0, 1], [0, 0]]);
    });
  });

  it('tril/triu gradients are the same mask', () => {
    checkGrads((x) => mx.tril(x), [[3, 3]]);
    checkGrads((x) => mx.triu(x, 1), [[2, 3, 4]]);
    checkGrads((x) => mx.tril(x, -1), [[4, 2]]);
  });
});
