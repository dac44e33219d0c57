/** Helpers for tests that compare results on 1 and 2 threads (they must be bit-identical). */
import { expect } from 'vitest';
import * as mx from 'mlxjs';

/** Runs `fn` with 1 thread, then with 2, and returns both results as Float32Arrays. */
export async function withOneAndTwo(fn: () => mx.Array): Promise<[Float32Array, Float32Array]> {
  await mx.setNumThreads(1);
  const one = mx.tidy(() => fn().toTypedArray()) as Float32Array;
  await mx.setNumThreads(2);
  const two = mx.tidy(() => fn().toTypedArray()) as Float32Array;
  return [one, two];
}

/** How many elements of a and b differ bit for bit (Object.is: -0 differs from 0, NaN equals NaN). */
export function mismatches(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}
