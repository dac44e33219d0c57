// asStrided and contiguous (the strided-view family, MLX's as_strided / contiguous): values
// worked by hand from NumPy's as_strided rule (element = flat[offset + sum(i_k * stride_k)]):
// windows, offsets, negative and zero strides, a transposed input read in row order; bounds
// errors instead of MLX's unchecked reads; vjp/jvp against finite differences; vmap against
// a loop; contiguous layouts.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';

describeEachBackend('asStrided and contiguous', () => {
  it('asStrided views the elements in row order with any shape, strides and offset', () => {
    mx.tidy(() => {
      const a = mx.arange(10);
      // Sliding windows of 4, step 3, from element 1.
      expect(mx.asStrided(a, [2, 4], [3, 1], 1).tolist()).toEqual([[1, 2, 3, 4], [4, 5, 6, 7]]);
      expect(mx.asStrided(a, { shape: [4], strides: [-3], offset: 9 }).tolist()).toEqual([9, 6, 3, 0]);
      expect(mx.asStrided(a, [2, 3], [0, 2]).tolist()).toEqual([[0, 2, 4], [0, 2, 4]]);
      // Defaults: a's shape with row-major strides (a copy of the values).
      const m = mx.arange(6).reshape([2, 3]);
      expect(mx.asStrided(m).tolist()).toEqual(m.tolist());
      expect(mx.asStrided(m, [3, 2]).tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
      // A transposed input is taken in its row order: t = [[0, 3], [1, 4], [2, 5]], read as
      // [0, 3, 1, 4, 2, 5]; element (i, j) is flat[1 + i + 2j].
      expect(mx.asStrided(m.T, [2, 2], [1, 2], 1).tolist()).toEqual([[3, 4], [1, 2]]);
      // A broadcast input too.
      expect(mx.asStrided(mx.broadcastTo(mx.array([1, 2]), [3, 2]), [3], [2], 1).tolist()).toEqual([2, 2, 2]);
      expect(mx.asStrided(a, [0, 4], [100, 100], 50).shape).toEqual([0, 4]);
      expect(String(mx.asStrided(mx.arange(4, mx.int16), [2], [2]).dtype)).toBe('int16');
    });
  });

  it('asStrided refuses views outside the input (MLX would read out of bounds)', () => {
    mx.tidy(() => {
      const a = mx.arange(6);
      expect(mx.asStrided(a, [3], [2], 1).tolist()).toEqual([1, 3, 5]);
      expect(() => mx.asStrided(a, [3], [2], 2)).toThrow("[as_strided] The view reaches elements 2 to 6, outside the input's 6 elements.");
      expect(() => mx.asStrided(a, [2], [-1], 0)).toThrow(/^\[as_strided\]/);
      expect(() => mx.asStrided(a, [2, 2], [1], 0)).toThrow(/^\[as_strided\] shape and strides must have the same length/);
      expect(() => mx.asStrided(a, [2], [1], -1)).toThrow(/^\[as_strided\] offset must be non-negative/);
      expect(() => mx.asStrided(a, [-1], [1], 0)).toThrow(/^\[as_strided\] Negative dimensions/);
    });
  });

  it('asStrided: vjp adds the cotangent once per read; vjp/jvp match finite differences', () => {
    mx.tidy(() => {
      const g = mx.grad((x: mx.Array) => mx.sum(mx.asStrided(x, [2, 3], [1, 1], 1)))(mx.arange(5, mx.float32)) as mx.Array;
      expect(g.tolist()).toEqual([0, 1, 2, 2, 1]);
    });
    checkGrads((x) => mx.asStrided(x, [3, 2], [2, 1], 1), [[8]]);
    checkGrads((x) => mx.asStrided(x, [2, 2], [-1, 3], 1), [[2, 3]]);
  });

  it('asStrided vmaps like a loop (each batch element viewed alike)', () => {
    mx.tidy(() => {
      const x = mx.arange(24, mx.float32).reshape([3, 8]);
      const f = (r: mx.Array): mx.Array => mx.asStrided(r, [3, 3], [2, 1], 1);
      const mapped = mx.vmap(f)(x) as mx.Array;
      const looped = mx.stack([0, 1, 2].map((i) => f(mx.take(x, i, 0))));
      expect(mapped.tolist()).toEqual(looped.tolist());
    });
  });

  it('contiguous keeps values and gradients and lays non-dense inputs out in row order', () => {
    mx.tidy(() => {
      const m = mx.arange(6, mx.float32).reshape([2, 3]);
      expect(mx.contiguous(m.T).tolist()).toEqual(m.T.tolist());
      expect(mx.contiguous(m.T, true).tolist()).toEqual(m.T.tolist());
      expect(mx.contiguous(mx.broadcastTo(mx.array([1, 2]), [2, 2])).tolist()).toEqual([[1, 2], [1, 2]]);
      const g = mx.grad((x: mx.Array) => mx.sum(mx.multiply(mx.contiguous(x.T), mx.array([[1, 2], [3, 4], [5, 6]]))))(m) as mx.Array;
      expect(g.tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
      const mapped = mx.vmap((r: mx.Array) => mx.contiguous(r))(m.T) as mx.Array;
      expect(mapped.tolist()).toEqual(m.T.tolist());
    });
    checkGrads((x) => mx.contiguous(mx.transpose(x)), [[2, 3]]);
  });
});
