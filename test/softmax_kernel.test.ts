// The last-axis softmax kernel (with its vectorised float32 exp) against float64 softmax.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('softmax kernel', () => {
  it('float32 rows match float64 to 1e-6, across a wide range of logits', () => {
    mx.tidy(() => {
      const x = mx.multiply(mx.random.normal([64, 257], undefined, undefined, undefined, mx.random.key(3)), 30);
      const y32 = mx.softmax(x, -1);
      const y64 = mx.softmax(mx.astype(x, mx.float64), -1);
      const err = mx.max(mx.abs(mx.subtract(mx.astype(y32, mx.float64), y64))).item() as number;
      expect(err).toBeLessThan(1e-6);
      const rowSums = mx.sum(mx.astype(y32, mx.float64), -1);
      expect(mx.max(mx.abs(mx.subtract(rowSums, 1))).item() as number).toBeLessThan(1e-5);
    });
  });

  it('masked (-inf) positions are exactly 0; NaN rows stay NaN', () => {
    mx.tidy(() => {
      const y = mx.softmax(mx.array([[0, -Infinity, 0, -Infinity], [1, 2, NaN, 3]]), -1).tolist() as number[][];
      expect(y[0]).toEqual([0.5, 0, 0.5, 0]);
      expect(y[1]!.every((v) => Number.isNaN(v))).toBe(true);
    });
  });
});
