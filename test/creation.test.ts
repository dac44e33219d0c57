// Creating arrays and reading them back: mx.array in all its forms, every dtype, the
// filled constructors and arange.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';

/** Values every dtype can hold exactly, used for the round trips. */
const sample: Record<string, (number | boolean | { re: number; im: number })[]> = {
  bool: [true, false, true],
  uint8: [0, 1, 255],
  uint16: [0, 7, 65535],
  uint32: [0, 9, 4294967295],
  uint64: [0, 11, 2 ** 40],
  int8: [-128, 0, 127],
  int16: [-32768, 3, 32767],
  int32: [-2147483648, 5, 2147483647],
  int64: [-(2 ** 40), 0, 2 ** 40],
  float16: [-1.5, 0.25, 65504],
  bfloat16: [-1.5, 0.25, 2 ** 100],
  float32: [-1.5, 0.25, 2 ** 100],
  float64: [-1.5, 0.1, 1e300],
  complex64: [{ re: -1.5, im: 2 }, { re: 0, im: -0.25 }, { re: 2 ** 100, im: 1 }],
};

describeEachBackend('array creation', () => {
  it('builds from nested JS arrays (float32 by default)', () => {
    expect(describeArray(() => mx.array([[1, 2], [3, 4]]))).toEqual([[2, 2], 'float32', [[1, 2], [3, 4]]]);
    expect(describeArray(() => mx.array([[[1], [2]], [[3], [4]]]))).toEqual([[2, 2, 1], 'float32', [[[1], [2]], [[3], [4]]]]);
  });

  it('builds scalars and booleans', () => {
    expect(describeArray(() => mx.array(3.5))).toEqual([[], 'float32', 3.5]);
    expect(describeArray(() => mx.array(true))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.array([true, false]))).toEqual([[2], 'bool', [true, false]]);
    expect(mx.tidy(() => mx.array(7, mx.int32).item())).toBe(7);
  });

  it('builds from TypedArrays with their own dtype, with shape and options', () => {
    expect(describeArray(() => mx.array(Int32Array.of(1, 2, 3, 4, 5, 6), [2, 3]))).toEqual([[2, 3], 'int32', [[1, 2, 3], [4, 5, 6]]]);
    expect(describeArray(() => mx.array(Uint8Array.of(1, 2)))).toEqual([[2], 'uint8', [1, 2]]);
    expect(describeArray(() => mx.array(Float64Array.of(0.5)))).toEqual([[1], 'float64', [0.5]]);
    expect(describeArray(() => mx.array(BigInt64Array.of(-3n, 4n)))).toEqual([[2], 'int64', [-3, 4]]);
    // A dtype different from the data's converts like astype (floats truncate into ints).
    expect(describeArray(() => mx.array(Float32Array.of(1.7, -1.7, 2, 3), { shape: [2, 2], dtype: mx.int32 }))).toEqual([
      [2, 2], 'int32', [[1, -1], [2, 3]],
    ]);
    expect(describeArray(() => mx.array(Float32Array.of(1, 2), [2], 'int8'))).toEqual([[2], 'int8', [1, 2]]);
  });

  it('rejects data that does not fit the shape', () => {
    expect(() => mx.array(Float32Array.of(1, 2, 3), [2, 2])).toThrow(/\[array\]/);
  });

  it('copies another array, optionally converting it', () => {
    expect(
      mx.tidy(() => {
        const a = mx.array([1.5, 2.5]);
        return [mx.array(a).tolist(), describeArray(() => mx.array(a, mx.int32))];
      }),
    ).toEqual([[1.5, 2.5], [[2], 'int32', [1, 2]]]);
  });

  it('round-trips every dtype through array() and tolist()', () => {
    // MLX's dtypes, in mlxc code order.
    expect(mx.dtypes.map(String)).toEqual([
      'bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32',
      'float64', 'bfloat16', 'complex64',
    ]);
    for (const d of mx.dtypes) {
      const input = sample[d.name]!;
      expect(describeArray(() => mx.array(input, d)), d.name).toEqual([[3], d.name, input]);
    }
  });

  it('reads typed arrays per the documented mapping', () => {
    mx.tidy(() => {
      expect(mx.array([1, 2], mx.float16).toTypedArray()).toEqual(Float32Array.of(1, 2));
      expect(mx.array([1, 2], mx.bfloat16).toTypedArray()).toEqual(Float32Array.of(1, 2));
      expect(mx.array([true, false]).toTypedArray()).toEqual(Uint8Array.of(1, 0));
      expect(mx.array(BigInt64Array.of(2n ** 60n, -1n)).toTypedArray()).toEqual(BigInt64Array.of(2n ** 60n, -1n));
      expect(mx.array([4294967295], mx.uint32).toTypedArray()).toEqual(Uint32Array.of(4294967295));
      expect(mx.array([[1, 2], [3, 4]], mx.int16).toTypedArray()).toEqual(Int16Array.of(1, 2, 3, 4));
    });
  });

  it('reads asynchronously with data()', async () => {
    const x = mx.array([1, 2, 3], mx.int32);
    await expect(x.data()).resolves.toEqual(Int32Array.of(1, 2, 3));
    x.dispose();
  });

  it('rounds float16 and bfloat16 like IEEE round-to-nearest-even (host and core)', () => {
    // Host-side encoding.
    expect(values(() => mx.array([0.1, 1 + 2 ** -11, 65520, 2 ** -25], mx.float16))).toEqual([0.0999755859375, 1, Infinity, 0]);
    expect(values(() => mx.array([0.1, 1 / 3], mx.bfloat16))).toEqual([0.10009765625, 0.333984375]);
    // Core-side conversion from float32.
    expect(values(() => mx.array([0.1, 1 + 3 * 2 ** -11, 70000]).astype(mx.float16))).toEqual([0.0999755859375, 1.001953125, Infinity]);
    expect(values(() => mx.array([0.1, 1 / 3]).astype(mx.bfloat16))).toEqual([0.10009765625, 0.333984375]);
  });

  it('reports shape, dtype and sizes', () => {
    mx.tidy(() => {
      const x = mx.zeros([2, 3, 4], mx.float16);
      expect(x.shape).toEqual([2, 3, 4]);
      expect(x.ndim).toBe(3);
      expect(x.size).toBe(24);
      expect(x.itemsize).toBe(2);
      expect(x.nbytes).toBe(48);
      expect(x.dtype).toBe(mx.float16);
      expect(String(x.dtype)).toBe('float16');
    });
  });

  it('handles empty arrays', () => {
    expect(describeArray(() => mx.array([]))).toEqual([[0], 'float32', []]);
    expect(describeArray(() => mx.zeros([2, 0], mx.int32))).toEqual([[2, 0], 'int32', [[], []]]);
    expect(describeArray(() => mx.sum(mx.zeros([0, 3]), 0))).toEqual([[3], 'float32', [0, 0, 0]]);
  });

  it('rejects ragged nested arrays', () => {
    expect(() => mx.array([[1, 2], [3]])).toThrow(/^\[array\]/);
    expect(() => mx.array([[1, 2], 3] as never)).toThrow(/^\[array\]/);
    expect(() => mx.array([1, [2]] as never)).toThrow(/^\[array\]/);
  });

  it('item() reads one value and refuses larger arrays', () => {
    mx.tidy(() => {
      expect(mx.array([[2.5]]).item()).toBe(2.5);
      expect(() => mx.array([1, 2]).item()).toThrow(/size 1/);
    });
  });

  it('prints like MLX', () => {
    mx.tidy(() => {
      expect(String(mx.array([[1, 2], [3, 4]], mx.int32))).toBe('array([[1, 2],\n       [3, 4]], dtype=int32)');
      expect(String(mx.array([true, false]))).toBe('array([True, False], dtype=bool)');
      expect(String(mx.array(1.5))).toBe('array(1.5, dtype=float32)');
    });
  });

  it('fills with zeros, ones and full', () => {
    expect(describeArray(() => mx.zeros([2, 3]))).toEqual([[2, 3], 'float32', [[0, 0, 0], [0, 0, 0]]]);
    expect(describeArray(() => mx.ones(3, mx.int32))).toEqual([[3], 'int32', [1, 1, 1]]);
    expect(describeArray(() => mx.full([2, 2], 7))).toEqual([[2, 2], 'float32', [[7, 7], [7, 7]]]);
    expect(describeArray(() => mx.full([2], true))).toEqual([[2], 'bool', [true, true]]);
    expect(describeArray(() => mx.full([2, 3], mx.array([1, 2, 3], mx.int32)))).toEqual([[2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]]);
    expect(describeArray(() => mx.full([2], 2.5, mx.int32))).toEqual([[2], 'int32', [2, 2]]);
  });

  it('makes zerosLike and onesLike with the source shape and dtype', () => {
    expect(describeArray(() => mx.zerosLike(mx.array([[1, 2]], mx.int8)))).toEqual([[1, 2], 'int8', [[0, 0]]]);
    expect(describeArray(() => mx.onesLike(mx.array([1, 2], mx.float16)))).toEqual([[2], 'float16', [1, 1]]);
  });

  it('follows MLX arange rules for length and dtype', () => {
    expect(describeArray(() => mx.arange(5))).toEqual([[5], 'int32', [0, 1, 2, 3, 4]]);
    expect(describeArray(() => mx.arange(0, 10, 3))).toEqual([[4], 'int32', [0, 3, 6, 9]]);
    expect(describeArray(() => mx.arange(10, 0, -2))).toEqual([[5], 'int32', [10, 8, 6, 4, 2]]);
    expect(describeArray(() => mx.arange(1, 2, 0.25))).toEqual([[4], 'float32', [1, 1.25, 1.5, 1.75]]);
    expect(describeArray(() => mx.arange(5, mx.float32))).toEqual([[5], 'float32', [0, 1, 2, 3, 4]]);
    expect(describeArray(() => mx.arange(0.5, 3))).toEqual([[3], 'float32', [0.5, 1.5, 2.5]]);
    expect(describeArray(() => mx.arange(3, 0))).toEqual([[0], 'int32', []]);
    expect(mx.tidy(() => mx.arange(0, 1, 0.1).shape)).toEqual([10]);
  });
});
