// The FinalizationRegistry safety net: an array that is dropped without dispose() has its
// core handle freed once the garbage collector collects it. Needs --expose-gc (set for the
// test workers in vitest.config.ts); skipped where gc() is not exposed.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const gc = (globalThis as { gc?: () => void }).gc;

describeEachBackend('finalization', () => {
  it.skipIf(gc === undefined)('frees the handles of forgotten arrays', async () => {
    const start = mx.memory().liveArrays;
    (() => {
      for (let i = 0; i < 10; i++) mx.array([i, i + 1]);
    })();
    expect(mx.memory().liveArrays).toBe(start + 10);
    // Finalizers run asynchronously after a collection: collect and yield until they have.
    for (let i = 0; i < 50 && mx.memory().liveArrays > start; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(mx.memory().liveArrays).toBe(start);
  });
});

describeEachBackend('finalization of compiled functions', () => {
  it.skipIf(gc === undefined)('frees the traced graph of a compiled function dropped without dispose()', async () => {
    const start = mx.memory().liveArrays;
    const results: number[][] = [];
    (() => {
      // The constant is captured by the trace: only the compiled function keeps it alive.
      const scale = mx.array([2, 3]);
      const f = mx.compile((x: mx.Array) => mx.add(mx.multiply(x, scale), 1));
      const x = mx.array([1, 1]);
      results.push(mx.tidy(() => (f(x) as mx.Array).tolist() as number[]));
      x.dispose();
      scale.dispose();
    })();
    expect(results).toEqual([[3, 4]]);
    expect(mx.memory().liveArrays).toBeGreaterThan(start); // the tape still holds the constant
    for (let i = 0; i < 50 && mx.memory().liveArrays > start; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(mx.memory().liveArrays).toBe(start);
  });
});
