// Fixture values as the generators encode them (numbers, or 'nan' / 'inf' / '-inf' strings)
// and the element-wise comparison the op tests make against them.
import { expect } from 'vitest';
import * as mx from 'mlxjs';

/** One encoded array: its shape and row-order values. */
export interface EncodedValues { shape: number[]; values: (number | string)[] }

export const num = (v: number | string): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));

/** The values of `x` in row order, as float64 numbers. */
export const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

/** Element-wise |got - want| <= tol (1 + |want|), NaN matching NaN. */
export function expectValues(got: mx.Array, want: EncodedValues, tol: number, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const g = flat(got);
  want.values.map(num).forEach((v, i) => {
    if (Number.isNaN(v)) expect(Number.isNaN(g[i]!), `${label} at ${i}`).toBe(true);
    else expect(Math.abs(g[i]! - v), `${label} at ${i}: ${g[i]} vs ${v}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v)));
  });
}
