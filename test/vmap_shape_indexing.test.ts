// vmap rules of the shape, indexing, sort, creation and random primitives: each vmapped op
// (mapped over a non-zero axis, with unbatched operands where it has several) equals a JS
// loop over the batch; vmap composes with grad (checkGrads of vmapped ops).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';

type Fn = (...xs: mx.Array[]) => mx.Array;

/** Element b of x along axis (the axis removed). */
const at = (x: mx.Array, b: number, axis: number): mx.Array => mx.take(x, mx.array(b, mx.int32), axis);

/** vmap(f, inAxes)(...xs) against f applied to each batch element (output batch axis 0). */
function checkVmap(f: Fn, xs: mx.Array[], inAxes: (number | null)[]): void {
  mx.tidy(() => {
    const got = mx.vmap(f, inAxes)(...xs) as mx.Array;
    const first = inAxes.findIndex((a) => a !== null);
    const n = xs[first]!.shape[inAxes[first]!]!;
    expect(got.shape[0]).toBe(n);
    for (let b = 0; b < n; b++) {
      const want = f(...xs.map((x, i) => (inAxes[i] === null ? x : at(x, b, inAxes[i]!))));
      const g = at(got, b, 0);
      expect(g.dtype).toBe(want.dtype);
      expect(g.shape).toEqual(want.shape);
      expect(g.tolist()).toEqual(want.tolist());
    }
  });
}

const iota = (shape: number[], dtype = mx.float32): mx.Array =>
  mx.reshape(mx.arange(shape.reduce((a, b) => a * b, 1), undefined, undefined, dtype), shape);

describeEachBackend('vmap rules (shape, indexing, sort, creation, random)', () => {
  it('concatenate and diagonal', () => {
    mx.tidy(() => {
      const x = iota([2, 3, 4]);
      checkVmap((a, b) => mx.concatenate([a, b], 1), [x, iota([2, 5])], [2, null]);
      checkVmap((a, b) => mx.concatenate([b, a, b], 0), [x, iota([1, 4])], [1, null]);
      checkVmap((a, b) => mx.stack([a, b], 1), [mx.transpose(x), iota([4, 2, 3])], [2, 1]);
      checkVmap((a) => mx.diagonal(a, 1, 1, 0), [iota([3, 5, 4])], [1]);
      checkVmap((a) => mx.diagonal(a, -1, 0, 1), [iota([3, 5, 4])], [2]);
      checkVmap((a) => mx.trace(a), [iota([3, 3, 2])], [2]);
    });
  });

  it('gather: take, takeAlongAxis and indexing with batched source and/or indices', () => {
    mx.tidy(() => {
      const x = iota([4, 5, 3]);
      const idx = mx.array([[2, 0], [-1, 1], [1, 0], [2, 1]], mx.int32);
      const take = (a: mx.Array, i: mx.Array) => mx.take(a, i, 1);
      checkVmap(take, [x, idx], [2, null]); // source only
      checkVmap(take, [x, idx], [null, 1]); // indices only
      checkVmap(take, [x, idx], [0, 0]); // both
      checkVmap(take, [mx.transpose(x, [2, 1, 0]), mx.transpose(idx)], [2, 1]);
      const along = (a: mx.Array, i: mx.Array) => mx.takeAlongAxis(a, i, 0);
      checkVmap(along, [iota([3, 4]), mx.array([[2, 0], [1, 3], [0, 0]], mx.uint32)], [0, 0]);
      checkVmap(along, [iota([4, 3]), mx.array([2, 0], mx.int32)], [1, null]);
      checkVmap((a, i) => mx.index(a, i, mx.Slice(null, null, 2)), [iota([3, 4, 5]), idx], [1, 0]);
    });
  });

  it('scatter family and putAlongAxis with any operand batched', () => {
    mx.tidy(() => {
      const x = iota([3, 4]);
      const idx = mx.array([[1, 1], [3, 0], [2, 0]], mx.int32);
      const upd = mx.negative(iota([3, 2, 1]));
      // One batch element of each (the operands left unbatched).
      const [x1, i1, u1] = [iota([4]), mx.array([2, -1], mx.int32), iota([2, 1])];
      const ops = [mx.scatter, mx.scatterAdd, mx.scatterProd, mx.scatterMax, mx.scatterMin];
      for (const op of ops) {
        const f = (a: mx.Array, i: mx.Array, u: mx.Array) => op(a, i, u, 0);
        checkVmap(f, [mx.transpose(x), i1, u1], [1, null, null]);
        checkVmap(f, [x1, idx, u1], [null, 0, null]);
        checkVmap(f, [x1, i1, upd], [null, null, 0]);
        checkVmap(f, [mx.transpose(x), mx.transpose(idx), upd], [1, 1, 0]);
      }
      const put = (a: mx.Array, i: mx.Array, v: mx.Array) => mx.putAlongAxis(a, i, v, 1);
      checkVmap(put, [iota([3, 4, 2]), mx.array([[3], [0], [1]], mx.int32), iota([2, 3, 1])], [2, null, 0]);
    });
  });

  it('sort, argsort, partition, argpartition, topk shift their axis past the batch axis', () => {
    mx.tidy(() => {
      const x = mx.array([[3, 1, 2, 9], [-1, 4, 0, 7], [5, 5, 8, 6]], mx.float32);
      checkVmap((a) => mx.sort(a, 0), [x], [1]);
      checkVmap((a) => mx.sort(a), [iota([2, 3, 4])], [1]);
      checkVmap((a) => mx.argsort(a, -1), [x], [0]);
      checkVmap((a) => mx.argsort(a, 0), [x], [1]);
      checkVmap((a) => mx.partition(a, 1, 0), [x], [1]);
      checkVmap((a) => mx.argpartition(a, -1, 0), [x], [1]);
      checkVmap((a) => mx.topk(a, 2, 0), [x], [1]);
      checkVmap((a) => mx.topk(a, 2), [mx.transpose(iota([2, 3, 4]))], [2]);
    });
  });

  it('tril and triu (the batch leaves the last two axes)', () => {
    mx.tidy(() => {
      const x = iota([3, 4, 2]);
      checkVmap((a) => mx.tril(a), [x], [2]);
      checkVmap((a) => mx.triu(a, -1), [x], [1]);
      checkVmap((a) => mx.add(mx.tril(a, 1), mx.eye(4, 2)), [x], [0]);
    });
  });

  it('random: a batch of keys gives each element its own stream (as MLX)', () => {
    mx.tidy(() => {
      const keys = mx.random.split(mx.random.key(7), 3); // (3, 2)
      const kT = mx.transpose(keys); // batch along axis 1
      checkVmap((k) => mx.random.bits([5], 4, k), [kT], [1]);
      checkVmap((k) => mx.random.bits([2, 3], 1, k), [keys], [0]);
      checkVmap((k) => mx.random.uniform(0, 1, [4], mx.float16, k), [kT], [1]);
      checkVmap((k) => mx.random.normal([2, 2], mx.float32, 0, 1, k), [keys], [0]);
      checkVmap((k) => mx.random.split(k, 4), [kT], [1]);
      checkVmap((k) => mx.random.gumbel([3], mx.float32, k), [keys], [0]);
      checkVmap((k) => mx.random.permutation(5, 0, k), [keys], [0]);
      checkVmap((l, k) => mx.random.categorical(l, -1, null, 4, k), [iota([3, 4]), keys], [0, 0]);
      // Batched parameters with one unbatched key: the same bits, a different transform each.
      const k = mx.random.key(3);
      checkVmap((lo, kk) => mx.random.uniform(lo, 10, [2], mx.float32, kk), [mx.array([0, 5, 9]), k], [0, null]);
      checkVmap((p, kk) => mx.random.bernoulli(p, null, kk), [mx.array([[0.1, 0.9, 0.5], [0.3, 0.7, 0.2]]), keys], [1, 0]);
      checkVmap((lo, kk) => mx.random.randint(lo, 100, [3], mx.int32, kk), [mx.array([0, 50, 90], mx.int32), keys], [0, 0]);
      checkVmap((lo, kk) => mx.random.truncatedNormal(lo, 1, null, mx.float32, kk), [mx.array([-1, 0, 0.5]), keys], [0, 0]);
    });
  });

  it('vmap of vmap over a grid of keys', () => {
    mx.tidy(() => {
      const grid = mx.reshape(mx.random.split(mx.random.key(1), 6), [2, 3, 2]);
      const draw = (k: mx.Array) => mx.random.bits([4], 4, k);
      const both = mx.vmap(mx.vmap(draw)) (grid) as mx.Array;
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++) expect(at(at(both, i, 0), j, 0).tolist()).toEqual(draw(at(at(grid, i, 0), j, 0)).tolist());
    });
  });

  it('vmapped ops compose with grad (checkGrads)', () => {
    mx.tidy(() => {
      const idx = mx.array([[1, 0], [2, 2], [0, 1]], mx.int32);
      const vmapped = (f: Fn, inAxes: (number | null)[]) => (...xs: mx.Array[]) => mx.vmap(f, inAxes)(...xs) as mx.Array;
      checkGrads(vmapped((a, b) => mx.concatenate([a, b], 0), [1, null]), [[2, 3], [2]]);
      checkGrads(vmapped((a) => mx.diagonal(a, 0, 0, 1), [2]), [[3, 3, 2]]);
      checkGrads(vmapped((a) => mx.take(a, idx, 0), [1]), [[3, 2]]);
      checkGrads(vmapped((a, u) => mx.scatterAdd(a, mx.array([0, 2, 0], mx.int32), u, 0), [0, 1]), [[2, 4], [3, 2, 1]]);
      checkGrads(vmapped((a, u) => mx.scatter(a, mx.array([1, 3], mx.int32), u, 0), [1, null]), [[4, 3], [2, 1]]);
      checkGrads(vmapped((a) => mx.sort(a, 0), [1]), [[4, 3]]);
      checkGrads(vmapped((a) => mx.topk(a, 2, 0), [1]), [[4, 3]]);
      checkGrads(vmapped((a) => mx.triu(a, 1), [0]), [[2, 3, 3]]);
      checkGrads(
        vmapped((lo, hi) => mx.random.truncatedNormal(lo, hi, null, mx.float64, mx.random.key(2)), [0, null]),
        [mx.array([-1, -0.5, 0], mx.float64), mx.array(1.5, mx.float64)],
        { atol: 1e-5, rtol: 1e-4 },
      );
    });
  });
});
