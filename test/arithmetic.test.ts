// Element-wise ops: values, broadcasting, MLX's type promotion and the weak-scalar rule.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

/** The result dtype of a + b for arrays of the given dtypes. */
const addDtype = (a: mx.Dtype, b: mx.Dtype): string =>
  mx.tidy(() => String(mx.add(mx.zeros([1], a), mx.zeros([1], b)).dtype));

describeEachBackend('arithmetic', () => {
  it('adds a scalar (acceptance example)', () => {
    expect(values(() => mx.add(mx.array([[1, 2], [3, 4]]), 1))).toEqual([[2, 3], [4, 5]]);
  });

  it('computes the four binary ops', () => {
    const a = [6, 8, -3];
    const b = [4, 2, 2];
    expect(values(() => mx.add(mx.array(a), mx.array(b)))).toEqual([10, 10, -1]);
    expect(values(() => mx.subtract(mx.array(a), mx.array(b)))).toEqual([2, 6, -5]);
    expect(values(() => mx.multiply(mx.array(a), mx.array(b)))).toEqual([24, 16, -6]);
    expect(values(() => mx.divide(mx.array(a), mx.array(b)))).toEqual([1.5, 4, -1.5]);
    expect(values(() => mx.array(a).subtract(mx.array(b)).multiply(2))).toEqual([4, 12, -10]);
  });

  it('divides integers into float32, as MLX does', () => {
    expect(describeArray(() => mx.divide(mx.array([7, 8], mx.int32), mx.array([2, 4], mx.int32)))).toEqual([[2], 'float32', [3.5, 2]]);
  });

  it('broadcasts with NumPy rules', () => {
    expect(describeArray(() => mx.add(mx.array([[1], [2], [3]]), mx.array([10, 20])))).toEqual([
      [3, 2], 'float32', [[11, 21], [12, 22], [13, 23]],
    ]);
    expect(describeArray(() => mx.multiply(mx.ones([2, 1, 3]), mx.array([[1], [2]])))).toEqual([
      [2, 2, 3], 'float32', [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]],
    ]);
    expect(describeArray(() => mx.add(mx.array(5), mx.array([1, 2])))).toEqual([[2], 'float32', [6, 7]]);
  });

  it('promotes array dtypes like MLX', () => {
    expect(addDtype(mx.int32, mx.float32)).toBe('float32');
    expect(addDtype(mx.bool, mx.int8)).toBe('int8');
    expect(addDtype(mx.float16, mx.float32)).toBe('float32');
    expect(addDtype(mx.uint8, mx.int8)).toBe('int16');
    expect(addDtype(mx.uint32, mx.int32)).toBe('int64');
    expect(addDtype(mx.int16, mx.int64)).toBe('int64');
    expect(addDtype(mx.bfloat16, mx.float16)).toBe('float32');
    expect(addDtype(mx.uint8, mx.uint16)).toBe('uint16');
    expect(addDtype(mx.int8, mx.float16)).toBe('float16');
  });

  it('keeps the array dtype for JS scalars (weak scalars)', () => {
    expect(describeArray(() => mx.add(mx.array([1, 2], mx.float16), 1))).toEqual([[2], 'float16', [2, 3]]);
    expect(describeArray(() => mx.add(mx.array([1, 2], mx.float16), 0.5))).toEqual([[2], 'float16', [1.5, 2.5]]);
    expect(describeArray(() => mx.add(mx.array([1, 2], mx.int8), 1))).toEqual([[2], 'int8', [2, 3]]);
    expect(describeArray(() => mx.multiply(mx.array([1, 2], mx.uint16), 3))).toEqual([[2], 'uint16', [3, 6]]);
    expect(describeArray(() => mx.subtract(10, mx.array([1, 2], mx.int16)))).toEqual([[2], 'int16', [9, 8]]);
    expect(describeArray(() => mx.add(mx.array([1, 2], mx.bfloat16), 2))).toEqual([[2], 'bfloat16', [3, 4]]);
  });

  it('applies the weak-scalar rule across kinds', () => {
    // Non-integer scalar with integer or bool arrays: float32.
    expect(describeArray(() => mx.add(mx.array([1, 2], mx.int32), 0.5))).toEqual([[2], 'float32', [1.5, 2.5]]);
    expect(describeArray(() => mx.add(mx.array([true, false]), 0.5))).toEqual([[2], 'float32', [1.5, 0.5]]);
    // Integer scalar with a bool array: int32.
    expect(describeArray(() => mx.add(mx.array([true, false]), 1))).toEqual([[2], 'int32', [2, 1]]);
    // Two JS numbers: float32.
    expect(describeArray(() => mx.add(1, 2))).toEqual([[], 'float32', 3]);
    expect(describeArray(() => mx.multiply(mx.array([1.5], mx.float64), 2))).toEqual([[1], 'float64', [3]]);
  });

  it('computes the unary ops', () => {
    expect(values(() => mx.negative(mx.array([1, -2, 3])))).toEqual([-1, 2, -3]);
    expect(describeArray(() => mx.negative(mx.array([3], mx.int32)))).toEqual([[1], 'int32', [-3]]);
    expectClose(values(() => mx.exp(mx.array([0, 1, -1]))), [1, Math.E, 1 / Math.E]);
    expectClose(values(() => mx.log(mx.array([1, Math.E, 10]))), [0, 1, Math.LN10]);
    expectClose(values(() => mx.tanh(mx.array([0, 1, -20]))), [0, 0.7615941559557649, -1]);
    expect(values(() => mx.log(mx.array([0, -1])))).toEqual([-Infinity, NaN]);
    expectClose(values(() => mx.array([0.5]).exp().log().tanh()), [Math.tanh(0.5)]);
  });

  it('makes integer inputs of exp/log/tanh float32', () => {
    expect(mx.tidy(() => String(mx.exp(mx.array([0, 1], mx.int32)).dtype))).toBe('float32');
  });
});
