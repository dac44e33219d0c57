// matmul with NumPy semantics: 2-D, 1-D promotion, batching with broadcast.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend } from './helpers/backends.js';

type M = number[][];
/** Reference 2-D product for building expected values. */
const mm = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));

describeEachBackend('matmul', () => {
  it('multiplies 2-D matrices', () => {
    expect(describeArray(() => mx.matmul(mx.array([[1, 2], [3, 4]]), mx.array([[5, 6], [7, 8]])))).toEqual([
      [2, 2], 'float32', [[19, 22], [43, 50]],
    ]);
    expect(describeArray(() => mx.array([[1, 2, 3], [4, 5, 6]]).matmul(mx.array([[7, 8], [9, 10], [11, 12]])))).toEqual([
      [2, 2], 'float32', [[58, 64], [139, 154]],
    ]);
  });

  it('promotes 1-D operands like NumPy', () => {
    expect(describeArray(() => mx.matmul(mx.array([1, 2, 3]), mx.array([4, 5, 6])))).toEqual([[], 'float32', 32]);
    expect(describeArray(() => mx.matmul(mx.array([1, 2]), mx.array([[1, 2, 3], [4, 5, 6]])))).toEqual([[3], 'float32', [9, 12, 15]]);
    expect(describeArray(() => mx.matmul(mx.array([[1, 2, 3], [4, 5, 6]]), mx.array([1, 0, -1])))).toEqual([[2], 'float32', [-2, -2]]);
    // 1-D with a batch: [1, 1] @ x[b] sums the rows of each matrix.
    expect(describeArray(() => mx.matmul(mx.array([1, 1]), mx.arange(8, mx.float32).reshape(2, 2, 2)))).toEqual([
      [2, 2], 'float32', [[2, 4], [10, 12]],
    ]);
  });

  it('batches and broadcasts the batch dimensions', () => {
    const a: M[] = [[[0, 1], [2, 3]], [[4, 5], [6, 7]]];
    const ones: M = [[1, 1], [1, 1]];
    expect(describeArray(() => mx.matmul(mx.array(a), mx.array(ones)))).toEqual([
      [2, 2, 2], 'float32', [[[1, 1], [5, 5]], [[9, 9], [13, 13]]],
    ]);
    // (2,1,2,2) @ (3,2,2) -> (2,3,2,2): out[i][j] = a[i] @ b[j].
    const b: M[] = [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[2, 0], [1, 3]]];
    const expected = a.map((ai) => b.map((bj) => mm(ai, bj)));
    expect(describeArray(() => mx.matmul(mx.array(a).reshape(2, 1, 2, 2), mx.array(b)))).toEqual([[2, 3, 2, 2], 'float32', expected]);
  });

  it('works in float16 and float64', () => {
    expect(describeArray(() => mx.matmul(mx.array([[1, 2]], mx.float16), mx.array([[3], [4]], mx.float16)))).toEqual([[1, 1], 'float16', [[11]]]);
    expect(describeArray(() => mx.matmul(mx.array([[0.1, 0.2]], mx.float64), mx.array([[1], [1]], mx.float64)))).toEqual([
      [1, 1], 'float64', [[0.30000000000000004]],
    ]);
  });

  it('promotes operand dtypes', () => {
    expect(describeArray(() => mx.matmul(mx.array([[1, 2]], mx.float16), mx.array([[3], [4]])))).toEqual([[1, 1], 'float32', [[11]]]);
  });

  it('rejects mismatched inner dimensions naming matmul', () => {
    mx.tidy(() => {
      expect(() => mx.matmul(mx.ones([2, 3]), mx.ones([2, 3]))).toThrow(/\[matmul\]/);
    });
  });
});
