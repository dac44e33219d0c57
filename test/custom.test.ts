// customFunction, customVjp and checkpoint: the user's rules are used, missing rules fall
// back to differentiating the function, closures are released, checkpoint recomputes.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

const hostFunctions = (): number => mx.currentBackend().memoryStats().hostFunctions;

describeEachBackend('custom transforms', () => {
  it('customVjp replaces reverse mode; forward mode differentiates the function', () => {
    mx.tidy(() => {
      const seen: unknown[] = [];
      const f = mx.customVjp(
        (x: mx.Array) => mx.multiply(x, x),
        (primals, cotangents, outputs) => {
          seen.push((primals as mx.Array).item(), (cotangents as mx.Array).item(), (outputs as mx.Array).item());
          return mx.multiply(cotangents as mx.Array, 10);
        },
      );
      const [v, g] = mx.valueAndGrad((x: mx.Array) => f(x) as mx.Array)(mx.array(3)) as [mx.Array, mx.Array];
      expectClose(v.item(), 9);
      expectClose(g.item(), 10);
      expect(seen).toEqual([3, 1, 9]);
      const [, t] = mx.jvp((x) => f(x) as mx.Array, [mx.array(3)], [mx.array(1)]);
      expectClose(t[0]!.item(), 6);
    });
  });

  it('customFunction with several inputs and outputs, jvp rule set', () => {
    mx.tidy(() => {
      const f = mx
        .customFunction((a: mx.Array, b: mx.Array) => [mx.add(a, b), mx.multiply(a, b)])
        .vjp((primals, cots) => {
          const [a, b] = primals as mx.Array[];
          const [ca, cb] = cots as mx.Array[];
          // The true rule, written out: d(a+b) = (1, 1); d(ab) = (b, a).
          return [mx.add(ca!, mx.multiply(cb!, b!)), mx.add(ca!, mx.multiply(cb!, a!))];
        })
        .jvp((primals, tangents) => {
          const [a, b] = primals as mx.Array[];
          const [ta, tb] = tangents as mx.Array[];
          return [mx.add(ta!, tb!), mx.multiply(mx.add(mx.multiply(ta!, b!), mx.multiply(a!, tb!)), -1)];
        });
      const loss = (a: mx.Array, b: mx.Array) => {
        const [s, p] = f(a, b) as mx.Array[];
        return mx.sum(mx.add(s!, mx.multiply(p!, 2)));
      };
      const [ga, gb] = mx.grad(loss, [0, 1])(mx.array([1, 2]), mx.array([3, 4])) as mx.Array[];
      expectClose(ga!.tolist(), [7, 9]); // 1 + 2b
      expectClose(gb!.tolist(), [3, 5]); // 1 + 2a
      const [outs, tans] = mx.jvp((a, b) => f(a, b) as mx.Array[], [mx.array(2), mx.array(5)], [mx.array(1), mx.array(0)]);
      expectClose(outs[1]!.item(), 10);
      expectClose(tans[0]!.item(), 1);
      expectClose(tans[1]!.item(), -5); // the rule's sign, not the true derivative
    });
  });

  it('the core keeps rule closures while a graph needs them and releases them after', () => {
    const before = hostFunctions();
    const g = mx.tidy(() => {
      const f = mx.customVjp((x: mx.Array) => mx.exp(x), (_p, c) => mx.multiply(c as mx.Array, 2));
      return mx.grad((x: mx.Array) => mx.sum(f(x) as mx.Array))(mx.array([0, 1])) as mx.Array;
    });
    expectClose(g.tolist(), [2, 2]);
    g.dispose();
    expect(hostFunctions()).toBe(before);
  });

  it('an Error thrown by a rule propagates as the same object', () => {
    const boom = new Error('rule failed');
    const x = mx.array(1);
    const f = mx.customVjp((a: mx.Array) => mx.multiply(a, 2), () => {
      throw boom;
    });
    expect(() => mx.grad((a: mx.Array) => f(a) as mx.Array)(x)).toThrow(boom);
    x.dispose();
  });

  it('a rule returning the wrong number of arrays is an error naming customFunction', () => {
    mx.tidy(() => {
      const f = mx.customVjp((a: mx.Array, b: mx.Array) => mx.multiply(a, b), (_p, c) => c);
      expect(() => mx.grad((a: mx.Array) => f(a, mx.array(2)) as mx.Array)(mx.array(1))).toThrow(
        '[custom_function] The vjp function returned 1 arrays where 2 were expected.',
      );
    });
  });

  it('a custom vmap rule replaces batching; without one the function itself is batched', () => {
    mx.tidy(() => {
      const seen: unknown[] = [];
      // The rule's result is deliberately not sin (cos), so using it is visible.
      const f = mx
        .customFunction((x: mx.Array, y: mx.Array) => mx.add(mx.sin(x), y))
        .vmap((inputs, axes) => {
          const [x, y] = inputs as mx.Array[];
          seen.push(axes);
          // Batch axis of x to the front; y (unbatched) broadcasts along it.
          return [mx.add(mx.cos(mx.moveaxis(x!, (axes as number[])[0]!, 0)), y!), 0];
        });
      const xs = mx.array([[0, 1], [2, 3]]);
      const ys = mx.array([10, 20]);
      const out = mx.vmap((x: mx.Array, y: mx.Array) => f(x, y) as mx.Array, [1, null])(xs, ys) as mx.Array;
      expect(seen).toEqual([[1, null]]);
      expectClose(out.tolist(), [
        [Math.cos(0) + 10, Math.cos(2) + 20],
        [Math.cos(1) + 10, Math.cos(3) + 20],
      ]);
      const plain = mx.customFunction((x: mx.Array) => mx.sin(x));
      expectClose((mx.vmap((x: mx.Array) => plain(x) as mx.Array)(mx.array([0, 1])) as mx.Array).tolist(), [0, Math.sin(1)]);
    });
  });

  it('checkpoint: identical values and gradients, fn runs twice, lower peak memory', () => {
    // A deep chain in 4 blocks of 4 layers; checkpointing each block keeps only the block
    // boundaries from the forward pass and recomputes one block at a time going back.
    let calls = 0;
    const block = (y: mx.Array, w: mx.Array) => {
      calls++;
      for (let i = 0; i < 4; i++) y = mx.tanh(mx.matmul(y, w));
      return y;
    };
    const network = (blockFn: (y: mx.Array, w: mx.Array) => mx.Array) => (x: mx.Array, w: mx.Array) => {
      let y = x;
      for (let b = 0; b < 4; b++) y = blockFn(y, w);
      return mx.sum(y);
    };
    const measure = (fn: (x: mx.Array, w: mx.Array) => mx.Array): [number, number[], number] =>
      mx.tidy(() => {
        const x = mx.multiply(mx.ones([256, 64]), 0.01);
        const w = mx.multiply(mx.ones([64, 64]), 0.02);
        mx.eval(x, w);
        mx.clearCache();
        mx.resetPeakMemory();
        const base = mx.memory().activeBytes;
        const [v, g] = mx.valueAndGrad(fn, 1)(x, w) as [mx.Array, mx.Array];
        mx.eval(v, g);
        const peak = mx.memory().peakBytes - base;
        return [v.item() as number, Array.from(g.toTypedArray() as Float32Array).slice(0, 4), peak];
      });
    const [v0, g0, peakPlain] = measure(network(block));
    expect(calls).toBe(4);
    calls = 0;
    const [v1, g1, peakCheckpoint] = measure(network((y, w) => mx.checkpoint(block)(y, w) as mx.Array));
    expect(calls).toBe(8); // each block once forward, once more in the backward pass
    expect(v1).toBe(v0);
    // Equal up to float32 rounding: the per-layer contributions to dw are summed in another
    // association (block by block).
    g1.forEach((g, i) => expect(Math.abs(g - g0[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(g0[i]!)));
    expect(peakCheckpoint).toBeLessThan(peakPlain);
  });
});
