// Memory management: tidy (sync, async, nested), keep, dispose(tree), long lazy chains,
// memory() counters and the memory limit.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const MB4 = 4 * 1024 * 1024;

describeEachBackend('memory', () => {
  it('tidy frees what it made except the result', () => {
    let a!: mx.Array;
    let b!: mx.Array;
    const c = mx.tidy(() => {
      a = mx.array([1, 2]);
      b = mx.array([10, 20]);
      return mx.add(a, b);
    });
    expect(a.isDisposed).toBe(true);
    expect(b.isDisposed).toBe(true);
    expect(c.tolist()).toEqual([11, 22]);
    c.dispose();
  });

  it('tidy keeps every array of a returned tree', () => {
    let temp!: mx.Array;
    const out = mx.tidy(() => {
      temp = mx.ones([2]);
      return { x: [temp.add(1)], y: { z: temp.multiply(3) }, label: 'kept as is', n: 1 };
    });
    expect(temp.isDisposed).toBe(true);
    expect(out.label).toBe('kept as is');
    expect(out.x[0]!.tolist()).toEqual([2, 2]);
    expect(out.y.z.tolist()).toEqual([3, 3]);
    mx.dispose(out);
    expect(out.x[0]!.isDisposed && out.y.z.isDisposed).toBe(true);
  });

  it('nested tidy hands its result to the outer scope', () => {
    let inner!: mx.Array;
    let innerTemp!: mx.Array;
    const outer = mx.tidy(() => {
      inner = mx.tidy(() => {
        innerTemp = mx.array([1]);
        return innerTemp.add(1);
      });
      expect(innerTemp.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(false);
      return inner.multiply(10);
    });
    expect(inner.isDisposed).toBe(true); // owned by the outer scope, which did not return it
    expect(outer.tolist()).toEqual([20]);
    outer.dispose();
  });

  it('tidy works with async functions', async () => {
    let temp!: mx.Array;
    const result = await mx.tidy(async () => {
      temp = mx.array([3]);
      await new Promise((r) => setTimeout(r, 1));
      return temp.multiply(temp);
    });
    expect(temp.isDisposed).toBe(true);
    expect(result.tolist()).toEqual([9]);
    result.dispose();
  });

  it('tidy disposes on exceptions, sync and async', async () => {
    let temp!: mx.Array;
    expect(() =>
      mx.tidy(() => {
        temp = mx.array([1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(temp.isDisposed).toBe(true);
    await expect(
      mx.tidy(async () => {
        temp = mx.array([1]);
        await Promise.resolve();
        throw new Error('async boom');
      }),
    ).rejects.toThrow('async boom');
    expect(temp.isDisposed).toBe(true);
  });

  it('keep() protects an array from tidy', () => {
    let kept!: mx.Array;
    mx.tidy(() => {
      kept = mx.keep(mx.array([5]));
      mx.array([6]);
    });
    expect(kept.tolist()).toEqual([5]);
    kept.dispose();
  });

  it('evaluates a 100,000-op chain and frees it all', () => {
    const start = mx.memory().liveArrays;
    const value = mx.tidy(() => {
      let x = mx.array(0, mx.int32);
      for (let i = 0; i < 100_000; i++) x = x.add(1);
      mx.eval(x);
      return x.item();
    });
    expect(value).toBe(100_000);
    expect(mx.memory().liveArrays).toBe(start);
  });

  it('counts live arrays, graph nodes included, and frees them on eval', () => {
    const start = mx.memory().liveArrays;
    const a = mx.array([1]);
    const mid = a.add(1);
    const b = mid.add(2);
    const built = mx.memory().liveArrays;
    expect(built).toBeGreaterThanOrEqual(start + 3);
    // Without JS names, a and mid still live as inputs of b's graph.
    a.dispose();
    mid.dispose();
    expect(mx.memory().liveArrays).toBe(built);
    // Evaluating b detaches its graph: only b remains.
    expect(b.item()).toBe(4);
    expect(mx.memory().liveArrays).toBe(start + 1);
    b.dispose();
  });

  it('moves activeBytes and peakBytes as arrays are materialised and freed', () => {
    mx.resetPeakMemory();
    const before = mx.memory();
    expect(before.peakBytes).toBeGreaterThanOrEqual(before.activeBytes);
    const x = mx.tidy(() => mx.add(mx.zeros([1024, 1024]), 1)); // 4 MB once evaluated
    mx.eval(x);
    const during = mx.memory();
    expect(during.activeBytes).toBeGreaterThanOrEqual(before.activeBytes + MB4);
    expect(during.peakBytes).toBeGreaterThanOrEqual(during.activeBytes);
    x.dispose();
    const after = mx.memory();
    expect(after.activeBytes).toBeLessThanOrEqual(during.activeBytes - MB4);
    expect(after.peakBytes).toBeGreaterThanOrEqual(during.activeBytes);
    mx.clearCache();
    expect(mx.memory().cacheBytes).toBe(0);
    mx.resetPeakMemory();
    expect(mx.memory().peakBytes).toBeLessThan(during.peakBytes);
  });

  it('enforces the memory limit and recovers after it is raised', () => {
    const previous = mx.setMemoryLimit(1024 * 1024);
    expect(previous).toBeGreaterThan(1024 * 1024);
    try {
      expect(() =>
        mx.tidy(() => {
          const big = mx.add(mx.zeros([1024, 1024]), 1); // needs 4 MB
          mx.eval(big);
        }),
      ).toThrow(/limit/);
    } finally {
      mx.setMemoryLimit(previous);
    }
    mx.tidy(() => {
      const big = mx.add(mx.zeros([1024, 1024]), 1);
      expect(mx.sum(big).item()).toBe(1024 * 1024);
      expect(mx.add(mx.array([[1, 2], [3, 4]]), 1).tolist()).toEqual([[2, 3], [4, 5]]);
    });
  });

  it('asyncEval resolves with the values computed', async () => {
    const x = mx.tidy(() => mx.arange(4).multiply(2));
    await mx.asyncEval(x);
    expect(x.tolist()).toEqual([0, 2, 4, 6]);
    x.dispose();
  });

  it('eval accepts trees', () => {
    mx.tidy(() => {
      const tree = { a: [mx.array([1]).add(1)], b: mx.array([2]).add(2), other: 'x' };
      mx.eval(tree, 3, null);
      expect([tree.a[0]!.item(), tree.b.item()]).toEqual([2, 4]);
    });
  });
});
