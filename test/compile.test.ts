// compile: eager results, one trace per signature, a fused element-wise chain as one kernel,
// and composition with grad and vmap.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

/** Eight element-wise ops on two arrays of one shape. */
const chain = (x: mx.Array, y: mx.Array): mx.Array => {
  let z = mx.exp(x);
  z = mx.multiply(z, y);
  z = mx.add(z, x);
  z = mx.tanh(z);
  z = mx.subtract(z, y);
  z = mx.negative(z);
  z = mx.log(mx.add(mx.multiply(z, z), y));
  return z;
};

describeEachBackend('compile', () => {
  it('gives the eager results and fuses an 8-op chain into one kernel', () => {
    mx.tidy(() => {
      const x = mx.array([0.1, -0.5, 2, 1.5, 0.25]);
      const y = mx.array([1, 2, 0.5, 3, 4]);
      mx.eval(x, y);
      const expected = chain(x, y).tolist();
      const f = mx.compile(chain);
      const out = f(x, y) as mx.Array;
      f.dispose();
      const before = mx.kernelCount();
      mx.eval(out);
      expect(mx.kernelCount() - before).toBe(1);
      expectClose(out.tolist(), expected as number[]);
      // Eager, the same chain launches one kernel per op.
      const eager = chain(x, y);
      const b2 = mx.kernelCount();
      mx.eval(eager);
      expect(mx.kernelCount() - b2).toBeGreaterThanOrEqual(8);
    });
  });

  it('traces once per signature; shapeless only on ndim or dtype changes', () => {
    mx.tidy(() => {
      let calls = 0;
      const fn = (x: mx.Array) => {
        calls++;
        return mx.sum(mx.multiply(mx.exp(x), x), 0, true);
      };
      const f = mx.compile(fn);
      const a = mx.array([1, 2, 3]);
      expectClose((f(a) as mx.Array).tolist(), [Math.exp(1) + 2 * Math.exp(2) + 3 * Math.exp(3)], 1e-4);
      f(mx.array([4, 5, 6]));
      expect(calls).toBe(1);
      f(mx.array([1, 2]));
      expect(calls).toBe(2);
      f(mx.array([1, 2], mx.float64));
      expect(calls).toBe(3);

      calls = 0;
      const g = mx.compile(fn, { shapeless: true });
      g(a);
      const five = g(mx.array([1, 2, 3, 4, 5])) as mx.Array;
      expect(calls).toBe(1);
      expect(five.shape).toEqual([1]);
      expectClose(five.item(), [1, 2, 3, 4, 5].reduce((s, v) => s + v * Math.exp(v), 0), 1e-2);
      g(mx.array([[1], [2]]));
      expect(calls).toBe(2);
      f.dispose();
      g.dispose();
    });
  });

  it('non-array arguments are part of the signature', () => {
    mx.tidy(() => {
      let calls = 0;
      const f = mx.compile((x: mx.Array, k: number) => {
        calls++;
        return mx.multiply(x, k);
      });
      const x = mx.array([1, 2]);
      expect((f(x, 2) as mx.Array).tolist()).toEqual([2, 4]);
      expect((f(x, 3) as mx.Array).tolist()).toEqual([3, 6]);
      expect((f(x, 2) as mx.Array).tolist()).toEqual([2, 4]);
      expect(calls).toBe(2);
      f.dispose(); // frees the traced graphs and the constants they captured (k)
    });
  });

  it('composes with grad and vmap in both orders', () => {
    mx.tidy(() => {
      const x = mx.array([0.1, -0.5, 2], mx.float64);
      const y = mx.array([1, 2, 0.5], mx.float64);
      const loss = (f: typeof chain) => (a: mx.Array, b: mx.Array) => mx.sum(f(a, b));
      const eager = mx.grad(loss(chain), [0, 1])(x, y) as mx.Array[];
      const c1 = mx.compile(chain);
      const c2 = mx.compile(mx.grad(loss(chain), [0, 1]) as (a: mx.Array, b: mx.Array) => mx.Array[]);
      const c3 = mx.compile(chain);
      const viaCompile = mx.grad(loss(c1 as typeof chain), [0, 1])(x, y) as mx.Array[];
      const compiledGrad = c2(x, y) as mx.Array[];
      for (let k = 0; k < 2; k++) {
        expectClose(viaCompile[k]!.tolist(), eager[k]!.tolist() as number[], 1e-12);
        expectClose(compiledGrad[k]!.tolist(), eager[k]!.tolist() as number[], 1e-12);
      }
      const xb = mx.reshape(mx.arange(6, undefined, undefined, mx.float64), [2, 3]);
      const mapped = mx.vmap(chain, [0, null])(xb, y) as mx.Array;
      const mappedCompiled = mx.vmap(c3 as typeof chain, [0, null])(xb, y) as mx.Array;
      expectClose(mappedCompiled.tolist(), mapped.tolist() as number[][], 1e-12);
      for (const c of [c1, c2, c3]) c.dispose();
    });
  });
});
