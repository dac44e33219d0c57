// Bad arguments at the API boundary (issue #20, items 1, 2, 4, 5 and the limits of 6): every
// backend gives the same "[op] ..." Error, integers never wrap on the way into the core, and
// a failed call leaves the arrays that existed before it intact.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

/** The message of the Error fn throws (fails when it returns or throws a non-Error). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error('expected the call to throw');
}

describeEachBackend('argument validation', () => {
  it('integers beyond int32 are errors naming the op and the argument, not wrapped values', () => {
    expect(messageOf(() => mx.zeros([2 ** 32 + 2]))).toBe(
      '[zeros] shape[0] = 4294967298 is larger than the largest size, 2147483647.',
    );
    expect(messageOf(() => mx.ones([3, 2 ** 31]))).toBe('[ones] shape[1] = 2147483648 is larger than the largest size, 2147483647.');
    expect(messageOf(() => mx.full([2 ** 32 + 2], 1))).toBe('[full] shape[0] = 4294967298 is larger than the largest size, 2147483647.');
    expect(messageOf(() => mx.linspace(0, 1, 2 ** 32 + 3))).toBe('[linspace] num = 4294967299 is larger than the largest size, 2147483647.');
    mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      expect(messageOf(() => mx.sum(x, 2 ** 32))).toBe('[sum] axes[0] = 4294967296 is larger than the largest int32, 2147483647.');
      expect(messageOf(() => mx.sum(x, -(2 ** 32)))).toBe('[sum] axes[0] = -4294967296 is smaller than the smallest int32, -2147483648.');
      expect(messageOf(() => mx.triu(mx.zeros([2, 2]), 2 ** 32 + 1))).toBe('[triu] k = 4294967297 is larger than the largest int32, 2147483647.');
      expect(messageOf(() => mx.zeros([2.5]))).toBe('[zeros] shape[0] = 2.5 is not an integer.');
      expect(messageOf(() => mx.zeros([NaN]))).toBe('[zeros] shape[0] = NaN is not a finite integer.');
      expect(messageOf(() => mx.zeros([Infinity]))).toBe('[zeros] shape[0] = Infinity is not a finite integer.');
      expect(messageOf(() => mx.reshape(x, [3, 2 ** 32 + 1]))).toBe('[reshape] shape[1] = 4294967297 is larger than the largest size, 2147483647.');
    });
  });

  it('one scalar rule: strings and bigints are never numbers (same error on every backend)', () => {
    mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      expect(messageOf(() => mx.moveaxis(x, '1' as never, 0))).toBe('[moveaxis] source must be an integer, got a string ("1").');
      expect(messageOf(() => mx.moveaxis(x, 1n as never, 0))).toBe('[moveaxis] source must be an integer, got a bigint (1n).');
      expect(messageOf(() => mx.add(x, '1' as never))).toBe('[add] Expected an array, number or boolean, got a string ("1").');
      expect(messageOf(() => mx.add(x, 1n as never))).toBe(
        '[add] Expected an array, number or boolean, got a bigint (1n) (64-bit integer data comes as a BigInt64Array or BigUint64Array to mx.array).',
      );
      expect(messageOf(() => mx.full([2], 'a' as never))).toBe('[full] Expected an array, number or boolean, got a string ("a").');
      // Booleans are scalars where MLX takes them: bool arrays that promote normally.
      expect(mx.add(x, true).tolist()).toEqual([2, 3, 4]);
      expect(x.tolist()).toEqual([1, 2, 3]); // the failed calls left x intact
    });
  });

  it('a negative integer scalar wraps to an unsigned array dtype, as a C++ integer conversion (one rule on every backend)', () => {
    mx.tidy(() => {
      const u8 = mx.array([0, 7, 255], mx.uint8);
      // -2 as uint8 is 254, -3 is 253 (MLX converts the Python int to the array's dtype).
      expect(mx.greater(u8, -2).tolist()).toEqual([false, false, true]);
      expect(mx.bitwiseOr(u8, -3).tolist()).toEqual([253, 255, 255]);
      expect(mx.add(mx.array([1], mx.int8), 300).tolist()).toEqual([45]); // 300 wraps to 44
    });
  });

  it('an array where a number belongs fails at once, without reading the array', () => {
    mx.tidy(() => {
      const x = mx.array([3, 4]);
      // A large array: stringifying it (what made this take ~50 s) would read every element.
      const big = mx.zeros([4096, 4096]);
      expect(messageOf(() => mx.linalg.norm(x, big as never))).toBe("[linalg::norm] ord must be a number, 'fro' or 'nuc', got an mx.Array.");
      expect(messageOf(() => mx.sum(x, big as never))).toMatch(/^\[sum\] .*got an mx\.Array/);
      expect(messageOf(() => mx.round(x, big as never))).toBe('[round] decimals must be an integer, got an mx.Array.');
      expect(mx.linalg.norm(x).item()).toBeCloseTo(5, 6);
    });
  });

  it('memory and cache limits reject NaN, negative and fractional byte counts', () => {
    const limit = mx.setMemoryLimit(0); // 0 restores the default and returns the previous limit
    expect(mx.setMemoryLimit(limit)).toBe(limit);
    for (const bad of [NaN, -1, 1.5, Infinity, 2 ** 60]) {
      expect(messageOf(() => mx.setMemoryLimit(bad))).toBe(
        `[set_memory_limit] The limit must be a whole number of bytes >= 0, got ${bad}.`,
      );
      expect(messageOf(() => mx.setCacheLimit(bad))).toBe(`[set_cache_limit] The limit must be a whole number of bytes >= 0, got ${bad}.`);
    }
    expect(messageOf(() => mx.setMemoryLimit('1' as never))).toBe(
      '[set_memory_limit] The limit must be a whole number of bytes >= 0, got a string ("1").',
    );
    // A refused call changes nothing.
    expect(mx.setMemoryLimit(limit)).toBe(limit);
  });
});
