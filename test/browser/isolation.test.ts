// Which of the two browser runs this is: with COOP/COEP the page is cross-origin isolated
// (SharedArrayBuffer exists, wasm threads can run), without them it is not and mlxjs must
// work single-threaded. The assertion about the thread mode mlxjs picked belongs here.
import { expect, inject, it } from 'vitest';
import * as mx from 'mlxjs';

declare module 'vitest' {
  export interface ProvidedContext {
    crossOriginIsolated: boolean;
  }
}

const isolated = inject('crossOriginIsolated');

it(`the page is ${isolated ? '' : 'not '}cross-origin isolated`, () => {
  expect(globalThis.crossOriginIsolated).toBe(isolated);
  expect(typeof SharedArrayBuffer !== 'undefined').toBe(isolated);
});

it('mlxjs runs on wasm here (native is unavailable in browsers)', async () => {
  expect(mx.availableBackends()).toEqual(['wasm']);
  expect(await mx.init()).toBe('wasm');
  const out = mx.tidy(() => mx.matmul(mx.array([[1, 2], [3, 4]]), mx.array([[5, 6], [7, 8]])).tolist());
  expect(out).toEqual([[19, 22], [43, 50]]);
});

it(`mlxjs runs ${isolated ? 'its wasm threads (module workers on a shared memory)' : 'single-threaded, saying why'}`, async () => {
  await mx.init({ backend: 'wasm' });
  if (isolated) {
    await mx.setNumThreads(2);
    const info = mx.threadingInfo();
    expect(info.mode).toBe('wasm-threads');
    expect(info.threads).toBe(2);
    expect(info.workers).toBeGreaterThanOrEqual(1);
    expect([info.asyncEval, info.asyncEvalReason]).toEqual(['thread', 'a worker thread on the shared memory']);
  } else {
    const info = mx.threadingInfo();
    expect(info.mode).toBe('single');
    expect(info.threads).toBe(1);
    expect(info.reason).toMatch(/isolat|SharedArrayBuffer/i);
    expect(info.asyncEval).toBe('steps');
  }
  // A matmul large enough to be split over the pool, against a float64 reference.
  const n = 160;
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
  const got = mx.tidy(() => mx.matmul(mx.array(a, [n, n]), mx.array(b, [n, n])).toTypedArray()) as Float32Array;
  let worst = 0;
  for (let i = 0; i < n; i += 7) {
    for (let j = 0; j < n; j += 5) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      worst = Math.max(worst, Math.abs(got[i * n + j] - s));
    }
  }
  expect(worst).toBeLessThan(1e-4);
});
