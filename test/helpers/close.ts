import { expect } from 'vitest';

/** Asserts nested numeric lists are equal within `tol` (absolute), shape included. */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-5): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `expected a list, got ${String(actual)}`).toBe(true);
    const a = actual as unknown[];
    expect(a.length).toBe(expected.length);
    expected.forEach((e, i) => expectClose(a[i], e, tol));
    return;
  }
  expect(typeof actual).toBe('number');
  if (Number.isNaN(expected)) expect(Number.isNaN(actual)).toBe(true);
  else expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(tol);
}
