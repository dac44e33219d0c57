// reshape, transpose, broadcastTo, astype, and non-contiguous (transposed, broadcast)
// inputs flowing through every op.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

const m = () => mx.array([[1, 2, 3], [4, 5, 6]]);
/** m transposed: [[1, 4], [2, 5], [3, 6]], a strided view of m. */
const t = () => m().T;

describeEachBackend('shape ops', () => {
  it('reshapes, including -1', () => {
    expect(describeArray(() => mx.reshape(mx.arange(6), [2, 3]))).toEqual([[2, 3], 'int32', [[0, 1, 2], [3, 4, 5]]]);
    expect(describeArray(() => mx.arange(6).reshape(3, -1))).toEqual([[3, 2], 'int32', [[0, 1], [2, 3], [4, 5]]]);
    expect(describeArray(() => m().reshape([-1]))).toEqual([[6], 'float32', [1, 2, 3, 4, 5, 6]]);
    expect(describeArray(() => mx.array([7]).reshape([]))).toEqual([[], 'float32', 7]);
  });

  it('transposes', () => {
    expect(describeArray(() => mx.transpose(m()))).toEqual([[3, 2], 'float32', [[1, 4], [2, 5], [3, 6]]]);
    expect(values(() => t())).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(values(() => m().transpose(1, 0))).toEqual([[1, 4], [2, 5], [3, 6]]);
    // y[j][i][k] = x[i][j][k] = 12i + 4j + k.
    mx.tidy(() => {
      const y = mx.transpose(mx.arange(24).reshape(2, 3, 4), [1, 0, 2]);
      expect(y.shape).toEqual([3, 2, 4]);
      expect(y.tolist()).toEqual([
        [[0, 1, 2, 3], [12, 13, 14, 15]],
        [[4, 5, 6, 7], [16, 17, 18, 19]],
        [[8, 9, 10, 11], [20, 21, 22, 23]],
      ]);
      // Default transpose reverses all axes: z[k][j][i] = 12i + 4j + k.
      const z = mx.arange(24).reshape(2, 3, 4).transpose();
      expect(z.shape).toEqual([4, 3, 2]);
      expect((z.tolist() as number[][][])[3]![2]).toEqual([11, 23]);
    });
  });

  it('broadcasts to a shape', () => {
    expect(describeArray(() => mx.broadcastTo(mx.array([1, 2, 3]), [2, 3]))).toEqual([[2, 3], 'float32', [[1, 2, 3], [1, 2, 3]]]);
    expect(describeArray(() => mx.broadcastTo(5, [2]))).toEqual([[2], 'float32', [5, 5]]);
    expect(describeArray(() => mx.array([[1], [2]], mx.int32).broadcastTo([2, 2]))).toEqual([[2, 2], 'int32', [[1, 1], [2, 2]]]);
  });

  it('converts dtypes with astype', () => {
    expect(describeArray(() => mx.array([1.7, -1.7, 2.5]).astype(mx.int32))).toEqual([[3], 'int32', [1, -1, 2]]);
    expect(describeArray(() => mx.astype(mx.array([0, 2, -1], mx.int32), mx.bool))).toEqual([[3], 'bool', [false, true, true]]);
    expect(describeArray(() => mx.array([true, false]).astype('float32'))).toEqual([[2], 'float32', [1, 0]]);
    expect(describeArray(() => mx.array([300], mx.int32).astype(mx.uint8))).toEqual([[1], 'uint8', [44]]);
    expect(describeArray(() => mx.array([-1], mx.int32).astype(mx.int64))).toEqual([[1], 'int64', [-1]]);
  });

  it('accepts transposed (non-contiguous) inputs in every op', () => {
    expect(values(() => mx.add(t(), 1))).toEqual([[2, 5], [3, 6], [4, 7]]);
    expect(values(() => mx.add(t(), t()))).toEqual([[2, 8], [4, 10], [6, 12]]);
    expect(values(() => mx.subtract(t(), mx.array([1, 2])))).toEqual([[0, 2], [1, 3], [2, 4]]);
    expect(values(() => mx.multiply(t(), t()))).toEqual([[1, 16], [4, 25], [9, 36]]);
    expect(values(() => mx.divide(t(), 2))).toEqual([[0.5, 2], [1, 2.5], [1.5, 3]]);
    expect(values(() => mx.negative(t()))).toEqual([[-1, -4], [-2, -5], [-3, -6]]);
    expectClose(values(() => mx.exp(t())), [[1, 4], [2, 5], [3, 6]].map((r) => r.map(Math.exp)), 1e-3);
    expectClose(values(() => mx.log(t())), [[1, 4], [2, 5], [3, 6]].map((r) => r.map(Math.log)));
    expectClose(values(() => mx.tanh(t())), [[1, 4], [2, 5], [3, 6]].map((r) => r.map(Math.tanh)));
    expect(values(() => mx.sum(t(), 0))).toEqual([6, 15]);
    expect(values(() => mx.sum(t(), 1))).toEqual([5, 7, 9]);
    expect(values(() => mx.mean(t(), 1))).toEqual([2.5, 3.5, 4.5]);
    expect(values(() => mx.max(t(), 0))).toEqual([3, 6]);
    expect(values(() => mx.reshape(t(), [6]))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(values(() => mx.reshape(t(), [2, 3]))).toEqual([[1, 4, 2], [5, 3, 6]]);
    expect(values(() => t().T)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(values(() => mx.astype(t(), mx.int32))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(values(() => mx.broadcastTo(t().reshape(3, 1, 2), [3, 2, 2]))).toEqual([
      [[1, 4], [1, 4]], [[2, 5], [2, 5]], [[3, 6], [3, 6]],
    ]);
    // t (3x2) @ m (2x3): entry [i][j] = m[0][i] m[0][j] + m[1][i] m[1][j].
    expect(values(() => mx.matmul(t(), m()))).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
    expect(values(() => mx.matmul(m(), t()))).toEqual([[14, 32], [32, 77]]);
    expect(mx.tidy(() => globalThis.Array.from(t().toTypedArray() as Float32Array))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('accepts broadcast (stride 0) inputs', () => {
    const b = () => mx.broadcastTo(mx.array([1, 2, 3]), [2, 3]);
    expect(values(() => b().T)).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(values(() => mx.add(b(), m()))).toEqual([[2, 4, 6], [5, 7, 9]]);
    expect(values(() => mx.sum(b(), 0))).toEqual([2, 4, 6]);
    expect(values(() => mx.reshape(b(), [3, 2]))).toEqual([[1, 2], [3, 1], [2, 3]]);
  });
});
