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
