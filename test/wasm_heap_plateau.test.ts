// wasm memory never shrinks, so what a workload leaves behind is the most it ever grew to.
// It must stay near what the workload needed: its peak of live buffers plus the cache limit
// (issue #20; the allocator frees cached buffers before it lets them grow the heap:
// core-cpp/src/allocator.cpp, make_room_locked). Without that rule this workload of mixed
// sizes grew the heap by ~255 MB for a 127 MB peak and a 64 MB cache.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const MB = 2 ** 20;

describeEachBackend('wasm heap plateau', (name) => {
  it.runIf(name === 'wasm')('a workload of mixed sizes grows the heap by at most its peak plus the cache limit', () => {
    // The wasm backend's linear memory (not public API: the test reads the module's export).
    const memory = (mx.currentBackend() as unknown as { real: { memory: WebAssembly.Memory } }).real.memory;
    mx.clearCache();
    mx.resetPeakMemory();
    const before = memory.buffer.byteLength;
    const activeBefore = mx.memory().activeBytes;
    let seed = 1;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    let check = 0;
    for (let it = 0; it < 300; it++) {
      mx.tidy(() => {
        // Mostly up to 4 MB, one in ten up to 32 MB: buffers of many sizes come and go.
        const n = Math.floor(1 + rand() * 2 ** 20 * (rand() < 0.1 ? 8 : 1));
        const a = mx.random.normal([n]);
        const s = mx.sum(mx.add(mx.exp(mx.multiply(a, 0.5)), a));
        check += s.item() as number;
      });
    }
    expect(Number.isFinite(check)).toBe(true);
    const { peakBytes } = mx.memory();
    const grown = memory.buffer.byteLength - before;
    const allowed = peakBytes - activeBefore + 64 * MB + 16 * MB; // the default cache limit, and slack for the core's own bookkeeping
    expect(grown).toBeLessThanOrEqual(allowed);
    mx.clearCache();
  });
});
