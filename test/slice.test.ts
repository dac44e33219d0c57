// slice and sliceUpdate against NumPy's basic slicing and slice assignment.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import sliceFixture from './fixtures/slice.json';

interface SliceCase { start: number[]; stop: number[]; strides: number[]; shape: number[]; values: unknown }
interface UpdateCase { start: number[]; stop: number[]; strides: number[]; update: unknown; update_shape: number[]; result: unknown }
const fixture = sliceFixture as unknown as {
  input: unknown;
  slices: SliceCase[];
  updates: UpdateCase[];
};

describeEachBackend('slice', () => {
  it('matches NumPy slicing, negative steps and clamping included', () => {
    mx.tidy(() => {
      const x = mx.array(fixture.input as number[][][], mx.float64);
      for (const c of fixture.slices) {
        const s = mx.slice(x, c.start, c.stop, c.strides);
        expect(s.shape).toEqual(c.shape);
        if (s.size > 0) expect(s.tolist()).toEqual(c.values);
      }
    });
  });

  it('is a view that other ops read through its strides', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(12), [3, 4]);
      const reversed = mx.slice(x, [2, 3], [-4, -5], [-1, -1]); // x[::-1, ::-1]
      expect(mx.add(reversed, 100).tolist()).toEqual([[111, 110, 109, 108], [107, 106, 105, 104], [103, 102, 101, 100]]);
      expect(mx.sum(reversed, 1).tolist()).toEqual([38, 22, 6]);
      expectClose(mx.exp(mx.slice(mx.astype(x, mx.float64), [0, 3], [3, 4])).tolist(), [[Math.exp(3)], [Math.exp(7)], [Math.exp(11)]], 1e-9);
      // A slice of a transposed (strided) input.
      expect(mx.slice(mx.transpose(x), [1, 0], [3, 3], [1, 2]).tolist()).toEqual([[1, 9], [2, 10]]);
      expect(mx.reshape(mx.slice(x, [0, 1], [3, 3]), [6]).tolist()).toEqual([1, 2, 5, 6, 9, 10]);
    });
  });

  it('sliceUpdate matches NumPy slice assignment, with broadcasting and casting', () => {
    mx.tidy(() => {
      const x = mx.array(fixture.input as number[][][], mx.float64);
      for (const c of fixture.updates) {
        const u = mx.array(c.update as number[], mx.float64);
        const y = mx.sliceUpdate(x, mx.reshape(u, c.update_shape), c.start, c.stop, c.strides);
        expect(y.tolist()).toEqual(c.result);
      }
      // The source is unchanged (a new array is returned), and scalars broadcast.
      const z = mx.zeros([2, 3], mx.int32);
      const w = mx.sliceUpdate(z, 7.9, [0, 1], [2, 3]);
      expect(w.dtype).toBe(mx.int32);
      expect(w.tolist()).toEqual([[0, 7, 7], [0, 7, 7]]);
      expect(z.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    });
  });

  it('errors name the op', () => {
    mx.tidy(() => {
      const x = mx.zeros([2, 3]);
      expect(() => mx.slice(x, [0], [1])).toThrow('[slice] Invalid number of indices or strides');
      expect(() => mx.slice(x, [0, 0], [1, 1], [1, 0])).toThrow('[slice] Slice step cannot be zero.');
      expect(() => mx.sliceUpdate(x, mx.zeros([3]), [0, 0], [2, 2])).toThrow('[slice_update]');
    });
  });

  it('vjp and jvp match finite differences', () => {
    checkGrads((a) => mx.slice(a, [1, -1], [3, -4], [1, -2]), [[3, 4]]);
    checkGrads((a, u) => mx.sliceUpdate(a, u, [0, 1], [3, 4], [2, 2]), [[3, 4], [2, 2]]);
    checkGrads((a, u) => mx.sliceUpdate(a, u, [0, 1], [3, 4], [2, 2]), [[3, 4], [1]]);
  });
});
