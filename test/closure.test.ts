// Closures through the C ABI: the core calls a JS function back, a JS exception comes out
// of the outer call as the same Error object, and the core releases the function.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('closures', () => {
  it('calls the JS function from the core with the inputs and returns its outputs', () => {
    let calls = 0;
    let seen: unknown[] = [];
    mx.tidy(() => {
      const outs = mx._closureApply(
        ([a, b]) => {
          calls++;
          seen = [a!.tolist(), b!.tolist()];
          return [mx.add(a!, b!), mx.multiply(a!, b!)];
        },
        [mx.array([1, 2]), mx.array([3, 4])],
      );
      expect(outs.map((o) => o.tolist())).toEqual([[4, 6], [3, 8]]);
    });
    expect(calls).toBe(1);
    expect(seen).toEqual([[1, 2], [3, 4]]);
    expect(mx._liveClosureCount()).toBe(0); // released once the closure handle is freed
  });

  it('lets a closure return a closed-over array without disposing it', () => {
    const constant = mx.array([7, 8]);
    mx.tidy(() => {
      const [out] = mx._closureApply(() => [constant], []);
      expect(out!.tolist()).toEqual([7, 8]);
    });
    expect(constant.isDisposed).toBe(false);
    expect(constant.tolist()).toEqual([7, 8]);
    constant.dispose();
  });

  it('propagates a thrown JS error as the same object and releases the closure', () => {
    const boom = new Error('boom from JS');
    let caught: unknown;
    mx.tidy(() => {
      try {
        mx._closureApply(() => {
          throw boom;
        }, [mx.array([1])]);
      } catch (e) {
        caught = e;
      }
    });
    expect(caught).toBe(boom);
    expect(mx._liveClosureCount()).toBe(0);
    // The stored error does not leak into later failures: those carry the core's message.
    mx.tidy(() => {
      expect(() => mx.add(mx.ones([2]), mx.ones([3]))).toThrow(/^\[add\]/);
    });
  });

  it('frees the arrays the JS function creates', () => {
    const start = mx.memory().liveArrays;
    mx.tidy(() => {
      mx._closureApply(([x]) => {
        const t = x!.multiply(2);
        return [t.add(1)];
      }, [mx.array([1])]);
    });
    expect(mx.memory().liveArrays).toBe(start);
  });
});
