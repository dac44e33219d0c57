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
      afterEach(() => {
        expect(mx.memory().liveArrays, 'core arrays leaked by this test').toBe(liveBefore);
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
