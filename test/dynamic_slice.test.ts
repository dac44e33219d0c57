// MLX's dynamic slicing: mx.slice(a, start: Array, axes, sliceSize) and
// mx.sliceUpdate(src, update, start: Array, axes) (DynamicSlice / DynamicSliceUpdate), beside
// the static forms mx.slice(a, start, stop, strides) / mx.sliceUpdate(src, update, start, stop).
// Values against the static slices they equal; starts clamped into range; MLX's update
// broadcasting; gradients by finite differences; vmap against a loop; compile with a start
// computed in the graph; MLX's errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';

const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
const grid = (shape: number[]): mx.Array => mx.arange(shape.reduce((p, d) => p * d, 1)).reshape(shape).astype(mx.float32);

describeEachBackend('dynamic slice', () => {
  it('equals the static slice at the same start', () => mx.tidy(() => {
    const a = grid([4, 5, 6]);
    const got = mx.slice(a, mx.array([1, 2], mx.int32), [0, 2], [2, 5, 3]);
    expect(got.shape).toEqual([2, 5, 3]);
    expect(flat(got)).toEqual(flat(mx.slice(a, [1, 0, 2], [3, 5, 5])));
    // A 0-d start for one axis, other integer dtypes.
    expect(flat(mx.slice(a, mx.array(3, mx.uint8), [-1], [4, 5, 2]))).toEqual(flat(mx.slice(a, [0, 0, 3], [4, 5, 5])));
    expect(flat(mx.slice(a, mx.array([2], mx.int64), [1], [1, 2, 6]))).toEqual(flat(mx.slice(a, [0, 2, 0], [1, 4, 6])));
  }));

  it('keeps the static form working (start/stop/strides lists)', () => mx.tidy(() => {
    const a = grid([5]);
    expect(mx.slice(a, [4], [0], [-2]).tolist()).toEqual([4, 2]);
    expect(mx.sliceUpdate(a, mx.array([9, 9], mx.int32), [1], [3]).tolist()).toEqual([0, 9, 9, 3, 4]);
  }));

  it('clamps starts so the region stays inside the array', () => mx.tidy(() => {
    const a = grid([6]);
    expect(mx.slice(a, mx.array([5], mx.int32), [0], [3]).tolist()).toEqual([3, 4, 5]);
    expect(mx.slice(a, mx.array([-4], mx.int32), [0], [2]).tolist()).toEqual([0, 1]);
    expect(mx.sliceUpdate(a, mx.array([7, 7], mx.int32), mx.array([10], mx.int32), [0]).tolist()).toEqual([0, 1, 2, 3, 7, 7]);
  }));

  it('updates a region, broadcasting the update as MLX does', () => mx.tidy(() => {
    const src = mx.zeros([3, 4]);
    const got = mx.sliceUpdate(src, mx.array([[1, 2]], mx.int32), mx.array([1, 2], mx.int32), [0, 1]);
    expect(got.tolist()).toEqual([[0, 0, 0, 0], [0, 0, 1, 2], [0, 0, 0, 0]]);
    // A 1-D update on a 2-D array: the missing leading axis is 1 on the sliced axis 0.
    const row = mx.sliceUpdate(src, mx.array([5, 6, 7, 8], mx.int32), mx.array([2], mx.int32), [0]);
    expect(row.tolist()).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [5, 6, 7, 8]]);
    // ... and src's extent on an unsliced leading axis.
    const col = mx.sliceUpdate(src, mx.array([4], mx.int32), mx.array([3], mx.int32), [1]);
    expect(col.tolist()).toEqual([[0, 0, 0, 4], [0, 0, 0, 4], [0, 0, 0, 4]]);
    expect(mx.sliceUpdate(mx.zeros([2], mx.int32), mx.array([1.7]), mx.array([0], mx.int32), [0]).dtype).toBe(mx.int32);
  }));

  it('has vjps and jvps (finite differences)', () => {
    const start = mx.array([1, 0], mx.int32);
    checkGrads((x) => mx.slice(x, start, [0, 2], [2, 3, 2]), [[4, 3, 3]]);
    checkGrads((s, u) => mx.sliceUpdate(s, u, start, [0, 1]), [[4, 3], [2, 2]]);
    start.dispose();
  });

  it('refuses gradients with respect to the start indices', () => mx.tidy(() => {
    const a = grid([4]);
    expect(() => mx.grad((s: mx.Array) => mx.sum(mx.slice(a, s.astype(mx.int32), [0], [2])))(mx.array([1]))).toThrow(
      /\[slice\] Cannot calculate VJP with respect to the start indices/,
    );
  }));

  it('vmaps like a loop, with shared or batched starts', () => mx.tidy(() => {
    const a = grid([3, 5, 4]);
    const s = mx.array([2], mx.int32);
    const f = (x: mx.Array): mx.Array => mx.slice(x, s, [0], [2, 3]);
    const want = mx.stack([0, 1, 2].map((i) => f(mx.take(a, mx.array(i, mx.int32), 0))));
    expect(flat(mx.vmap(f)(a) as mx.Array)).toEqual(flat(want));
    const starts = mx.array([[0], [3], [1]], mx.int32);
    const g = (x: mx.Array, st: mx.Array): mx.Array => mx.slice(x, st, [0], [2, 4]);
    const want2 = mx.stack([0, 1, 2].map((i) => g(mx.take(a, mx.array(i, mx.int32), 0), mx.take(starts, mx.array(i, mx.int32), 0))));
    expect(flat(mx.vmap(g)(a, starts) as mx.Array)).toEqual(flat(want2));
    const u = (x: mx.Array, st: mx.Array): mx.Array => mx.sliceUpdate(x, mx.ones([1, 4]), st, [0]);
    const want3 = mx.stack([0, 1, 2].map((i) => u(mx.take(a, mx.array(i, mx.int32), 0), mx.take(starts, mx.array(i, mx.int32), 0))));
    expect(flat(mx.vmap(u)(a, starts) as mx.Array)).toEqual(flat(want3));
    expect(flat(mx.vmap((x: mx.Array) => u(x, s))(a) as mx.Array)).toEqual(
      flat(mx.stack([0, 1, 2].map((i) => u(mx.take(a, mx.array(i, mx.int32), 0), s)))),
    );
  }));

  it('reads a start computed inside a compiled function each call', () => mx.tidy(() => {
    const a = grid([8]);
    const f = mx.compile((x: mx.Array, i: mx.Array) => mx.slice(x, mx.multiply(i, 2), [0], [2]));
    expect((f(a, mx.array(1, mx.int32)) as mx.Array).tolist()).toEqual([2, 3]);
    expect((f(a, mx.array(3, mx.int32)) as mx.Array).tolist()).toEqual([6, 7]);
    f.dispose();
  }));

  it('raises MLX errors', () => mx.tidy(() => {
    const a = grid([3, 4]);
    expect(() => mx.slice(a, mx.array([0, 1, 2], mx.int32), [0, 1, 1], [1, 1])).toThrow(/\[slice\] Invalid number of starting positions for array with dimension 2/);
    expect(() => mx.slice(a, mx.array([[0]], mx.int32), [0], [1, 1])).toThrow(/\[slice\] array of starting indices must be zero or one dimensional but has dimension 2/);
    expect(() => mx.slice(a, mx.array([0, 1], mx.int32), [0], [1, 1])).toThrow(/\[slice\] Number of starting indices 2 does not match number of axes 1/);
    expect(() => mx.slice(a, mx.array([0.5]), [0], [1, 1])).toThrow(/\[slice\] Start indices must be integers, got type float32/);
    expect(() => mx.slice(a, mx.array([0], mx.int32), [2], [1, 1])).toThrow(/\[slice\] Invalid axis 2 for array with dimension 2/);
    expect(() => mx.slice(a, mx.array([0, 0], mx.int32), [0, -2], [1, 1])).toThrow(/\[slice\] Repeat axes not allowed/);
    expect(() => mx.slice(a, mx.array([0], mx.int32), [0], [1])).toThrow(/\[slice\] Invalid slice size for array with 2 dimensions/);
    expect(() => mx.slice(a, mx.array([0], mx.int32), [0], [4, 1])).toThrow(/\[slice\] Invalid slice size \(4,1\) for array with shape \(3,4\)/);
    expect(() => mx.sliceUpdate(a, mx.ones([2]), mx.array([0.5]), [0])).toThrow(/\[slice_update\] Start indices must be integers/);
  }));
});
