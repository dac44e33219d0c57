// Reductions: sum, mean, max over axes, negative axes, keepdims, all axes, both call styles.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';

const m = () => mx.array([[1, 2, 3], [4, 5, 6]]);

describeEachBackend('reductions', () => {
  it('sums with positional and options arguments', () => {
    expect(describeArray(() => mx.sum(m(), 1, true))).toEqual([[2, 1], 'float32', [[6], [15]]]);
    expect(describeArray(() => mx.sum(m(), { axis: 1, keepdims: true }))).toEqual([[2, 1], 'float32', [[6], [15]]]);
    expect(describeArray(() => mx.sum(m(), 0))).toEqual([[3], 'float32', [5, 7, 9]]);
    expect(describeArray(() => mx.sum(m(), -1))).toEqual([[2], 'float32', [6, 15]]);
    expect(describeArray(() => mx.sum(m()))).toEqual([[], 'float32', 21]);
    expect(describeArray(() => mx.sum(m(), [0, 1]))).toEqual([[], 'float32', 21]);
    expect(describeArray(() => mx.sum(m(), null, true))).toEqual([[1, 1], 'float32', [[21]]]);
    expect(describeArray(() => m().sum(0, true))).toEqual([[1, 3], 'float32', [[5, 7, 9]]]);
  });

  it('keeps integer dtypes in sum', () => {
    expect(describeArray(() => mx.sum(mx.array([[1, 2], [3, 4]], mx.int32), 0))).toEqual([[2], 'int32', [4, 6]]);
  });

  it('takes means', () => {
    expect(describeArray(() => mx.mean(m(), 0))).toEqual([[3], 'float32', [2.5, 3.5, 4.5]]);
    expect(describeArray(() => mx.mean(m()))).toEqual([[], 'float32', 3.5]);
    expect(describeArray(() => mx.mean(m(), -1, true))).toEqual([[2, 1], 'float32', [[2], [5]]]);
    expect(describeArray(() => mx.mean(mx.array([1, 2], mx.int32)))).toEqual([[], 'float32', 1.5]);
    expect(describeArray(() => m().mean({ axis: [0, 1], keepdims: true }))).toEqual([[1, 1], 'float32', [[3.5]]]);
  });

  it('takes maxima', () => {
    expect(describeArray(() => mx.max(m(), 1))).toEqual([[2], 'float32', [3, 6]]);
    expect(describeArray(() => mx.max(m(), -2, true))).toEqual([[1, 3], 'float32', [[4, 5, 6]]]);
    expect(describeArray(() => mx.max(mx.array([-5, -2, -9])))).toEqual([[], 'float32', -2]);
    expect(describeArray(() => mx.max(mx.array([[1, 9], [7, 3]], mx.int8), 0))).toEqual([[2], 'int8', [7, 9]]);
  });

  it('reduces several axes of a 3-D array', () => {
    // x[i][j][k] = 12i + 4j + k; summing over i and k gives 60 + 32j.
    expect(values(() => mx.sum(mx.arange(24).reshape(2, 3, 4), [0, 2]))).toEqual([60, 92, 124]);
    expect(values(() => mx.max(mx.arange(24).reshape(2, 3, 4), [-1, 0]))).toEqual([15, 19, 23]);
    expect(values(() => mx.mean(mx.arange(24, mx.float32).reshape(2, 3, 4), [1, 2]))).toEqual([5.5, 17.5]);
  });
});
