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
