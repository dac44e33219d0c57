/**
 * The conformance suite is written once and runs against every backend that can load
 * here. MLXJS_BACKENDS (comma-separated) narrows the list, e.g. to debug one backend.
 */
import { afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import * as mx from 'mlxjs';

export function backendsUnderTest(): string[] {
  // Read through globalThis so the suite type-checks without Node's type definitions.
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  const forced = env?.['MLXJS_BACKENDS'];
  if (forced) return forced.split(',').map((s) => s.trim()).filter(Boolean);
  return mx.availableBackends();
}

/**
 * Lets the event loop run between tests. The tests are synchronous, and vitest's worker
 * answers its own progress messages only when the loop turns: a file of many long tests
 * (quantized_mlx: ~140 s) otherwise blocks it past vitest's 60 s RPC timeout
 * ("Timeout calling onTaskUpdate"), an unhandled error that fails the run.
 */
function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Runs `body` once per backend, inside a describe block that initialises that backend and
 * checks around EVERY test that the core's live array count returns to where it started:
 * tests must dispose what they create (tidy, dispose) so leaks show up as failures.
 */
export function describeEachBackend(title: string, body: (backend: string) => void): void {
  for (const name of backendsUnderTest()) {
    describe(`${title} [${name}]`, () => {
      let liveBefore = 0;
      beforeAll(async () => {
        await mx.init({ backend: name });
      });
      beforeEach(() => {
        liveBefore = mx.memory().liveArrays;
      });
      afterEach(async () => {
        expect(mx.memory().liveArrays, 'core arrays leaked by this test').toBe(liveBefore);
        await yieldToEventLoop();
      });
      body(name);
    });
  }
}

/** Builds an array inside tidy, reads it with tolist() and frees everything. */
export function values(fn: () => mx.Array): unknown {
  return mx.tidy(() => fn().tolist());
}

/** Like values() but returns [shape, dtype name, list]. */
export function describeArray(fn: () => mx.Array): [number[], string, unknown] {
  return mx.tidy(() => {
    const x = fn();
    return [x.shape, String(x.dtype), x.tolist()];
  });
}
