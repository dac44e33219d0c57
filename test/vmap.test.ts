// vmap: values against explicit loops, axes placement, composition with grad, errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

describeEachBackend('vmap', () => {
  it('maps a function over a batch axis like a loop would', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(24, undefined, undefined, mx.float32), [4, 2, 3]);
      const w = mx.array([[0.5, -1], [2, 0.25], [1, 1]]);
      const f = (xi: mx.Array, wi: mx.Array) => mx.sum(mx.tanh(mx.divide(mx.matmul(xi, wi), 10)), 1);
      const batched = mx.vmap(f, [0, null])(x, w) as mx.Array;
      expect(batched.shape).toEqual([4, 2]);
      for (let b = 0; b < 4; b++) {
        const xb = mx.reshape(mx.slice(x, [b, 0, 0], [b + 1, 2, 3]), [2, 3]);
        expectClose(mx.slice(batched, [b, 0], [b + 1, 2]).tolist(), [f(xb, w).tolist()]);
      }
    });
  });

  it('in_axes and out_axes place the batch axis; unmapped outputs are broadcast', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(6), [2, 3]);
      // Map over columns (axis 1): each column has 2 values; put the batch last.
      const colSums = mx.vmap((c: mx.Array) => mx.sum(c), 1)(x) as mx.Array;
      expect(colSums.tolist()).toEqual([3, 5, 7]);
      const scaled = mx.vmap((c: mx.Array) => mx.multiply(c, 10), 1, 1)(x) as mx.Array;
      expect(scaled.tolist()).toEqual([[0, 10, 20], [30, 40, 50]]);
      const [same, konst] = mx.vmap((r: mx.Array) => [mx.negative(r), mx.array(7)], 0)(x) as mx.Array[];
      expect(same!.tolist()).toEqual([[0, -1, -2], [-3, -4, -5]]);
      expect(konst!.tolist()).toEqual([7, 7]);
      // Tree inputs: a dict argument whose entries have different axes.
      const out = mx.vmap((p: { a: mx.Array; b: mx.Array }) => mx.add(p.a, p.b), [{ a: 0, b: 1 }])({
        a: mx.array([[1, 2], [3, 4]]),
        b: mx.array([[10, 30], [20, 40]]),
      }) as mx.Array;
      expect(out.tolist()).toEqual([[11, 22], [33, 44]]);
    });
  });

  it('composes: per-example gradients, grad of vmap, vmap of vmap', () => {
    mx.tidy(() => {
      const x = mx.array([[1, 2], [3, 4]]);
      const cube = (v: mx.Array) => mx.sum(mx.multiply(mx.multiply(v, v), v));
      const perRow = mx.vmap(mx.grad(cube))(x) as mx.Array;
      expect(perRow.tolist()).toEqual([[3, 12], [27, 48]]);
      const g = mx.grad((m: mx.Array) => mx.sum(mx.vmap(cube)(m) as mx.Array))(x) as mx.Array;
      expect(g.tolist()).toEqual([[3, 12], [27, 48]]);
      const outer = mx.vmap(mx.vmap((a: mx.Array, b: mx.Array) => mx.multiply(a, b), [0, null]), [null, 0])(
        mx.array([1, 2, 3]),
        mx.array([10, 100]),
      ) as mx.Array;
      expect(outer.tolist()).toEqual([[10, 20, 30], [100, 200, 300]]);
    });
  });

  it('works through slices, reshapes, broadcasts and reductions', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(12, undefined, undefined, mx.float32), [3, 4]);
      const f = (r: mx.Array) => {
        const head = mx.slice(r, [0], [2]);
        const tail = mx.slice(r, [3], [1], [-1]);
        return mx.max(mx.add(mx.reshape(head, [2, 1]), mx.broadcastTo(tail, [2, 2])), 0);
      };
      const got = mx.vmap(f)(x) as mx.Array;
      const rows = [0, 1, 2].map((b) => f(mx.reshape(mx.slice(x, [b, 0], [b + 1, 4]), [4])).tolist());
      expect(got.tolist()).toEqual(rows);
    });
  });

  it('errors follow MLX', () => {
    mx.tidy(() => {
      const x = mx.array([[1, 2], [3, 4]]);
      const f = (a: mx.Array) => mx.negative(a);
      expect(() => mx.vmap(f, null)(x)).toThrow('[vmap] At least one of in_axes');
      expect(() => mx.vmap(f, 2)(x)).toThrow('[vmap] Axis 2 is out of bounds');
      expect(() => mx.vmap(f, 0)(mx.array(1))).toThrow('[vmap] Axis 0 is out of bounds');
      expect(() => mx.vmap((a: mx.Array, b: mx.Array) => mx.add(a, b))(x, mx.array([1, 2, 3]))).toThrow(
        '[vmap] Inconsistent sizes',
      );
      expect(() => mx.vmap(f, [0, 0])(x)).toThrow('[vmap] in_axes has 2 entries');
      expect(() => mx.vmap((a: mx.Array) => mx.array(mx.sum(a).item() as number))(x)).toThrow('[eval] Attempting to evaluate');
    });
  });
});
