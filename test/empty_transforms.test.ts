// Transforms of empty arrays, found by the program fuzzer (test/fuzz_programs.test.ts):
// re-slicing an empty slice (vmap, jvp) must stay empty, and sort's vjp and jvp (a
// putAlongAxis / takeAlongAxis, which refuse empty arrays) of an empty input are empty.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('transforms of empty arrays', () => {
  it('vmap of an empty slice is empty on every batch element', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(12), [3, 2, 2]);
      expect((mx.vmap((a: mx.Array) => mx.slice(a, [1, 1], [1, 1], [1, 1]))(x) as mx.Array).shape).toEqual([3, 0, 0]);
      expect((mx.vmap((a: mx.Array) => mx.slice(a, [0, 2], [2, 2], [1, 1]), 2)(mx.reshape(x, [2, 2, 3])) as mx.Array).shape).toEqual([3, 2, 0]);
      // A negative step that selects nothing.
      expect((mx.vmap((a: mx.Array) => mx.slice(a, [0], [2], [-1]))(mx.ones([3, 4])) as mx.Array).shape).toEqual([3, 0]);
    });
  });

  it('jvp through an empty slice: an empty tangent, and concatenating it changes nothing', () => {
    mx.tidy(() => {
      const [, [t]] = mx.jvp((a: mx.Array) => mx.slice(a, [2], [2], [1]), [mx.ones([4])], [mx.ones([4])]);
      expect(t!.shape).toEqual([0]);
      const f = (a: mx.Array, b: mx.Array): mx.Array => mx.concatenate([mx.slice(a, [0, 4], [1, 4], [1, 1]), b], 1);
      const [, [u]] = mx.jvp(f, [mx.ones([1, 4]), mx.ones([1, 2])], [mx.full([1, 4], 5), mx.array([[2, 3]])]);
      expect(u!.tolist()).toEqual([[2, 3]]);
    });
  });

  it('the gradient and the jvp of sort of an empty array are empty', () => {
    mx.tidy(() => {
      const g = mx.grad((a: mx.Array) => mx.sum(mx.sort(a, -1)))(mx.zeros([2, 0])) as mx.Array;
      expect(g.shape).toEqual([2, 0]);
      const [, [t]] = mx.jvp((a: mx.Array) => mx.sort(a, null), [mx.zeros([0, 3])], [mx.ones([0, 3])]);
      expect(t!.shape).toEqual([0]);
      expect(t!.dtype).toBe(mx.float32);
    });
  });
});
