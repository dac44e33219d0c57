// Errors carry the core's message, which names the op, and leave nothing behind.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('errors', () => {
  it('names the op in shape errors', () => {
    mx.tidy(() => {
      expect(() => mx.add(mx.ones([2, 3]), mx.ones([4]))).toThrow(/^\[add\]/);
      expect(() => mx.multiply(mx.ones([2, 3]), mx.ones([3, 2]))).toThrow(/^\[multiply\]/);
      expect(() => mx.reshape(mx.arange(6), [4])).toThrow(/^\[reshape\]/);
      expect(() => mx.reshape(mx.arange(6), [-1, -1])).toThrow(/^\[reshape\]/);
      expect(() => mx.sum(mx.ones([2, 3]), 2)).toThrow(/^\[sum\]/);
      expect(() => mx.sum(mx.ones([2, 3]), -3)).toThrow(/^\[sum\]/);
      expect(() => mx.mean(mx.ones([2, 3]), 5)).toThrow(/^\[mean\]/);
      expect(() => mx.max(mx.ones([2, 3]), [0, 0])).toThrow(/^\[max\]/);
      expect(() => mx.matmul(mx.ones([2, 3]), mx.ones([4, 2]))).toThrow(/^\[matmul\]/);
      expect(() => mx.transpose(mx.ones([2, 3]), [0])).toThrow(/^\[transpose\]/);
      expect(() => mx.broadcastTo(mx.ones([3]), [2, 4])).toThrow(/^\[broadcast_to\]/);
    });
  });

  it('uses the core message verbatim, mentioning both shapes', () => {
    mx.tidy(() => {
      let message = '';
      try {
        mx.add(mx.ones([2, 3]), mx.ones([4]));
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        message = (e as Error).message;
      }
      expect(message).toMatch(/\(2,\s?3\)/);
      expect(message).toMatch(/\(4,?\)/);
    });
  });

  it('throws on use of a disposed array', () => {
    const x = mx.array([1, 2]);
    x.dispose();
    expect(x.isDisposed).toBe(true);
    // The message names the call that met the disposed array.
    expect(() => x.add(1)).toThrow('[add] array has been disposed.');
    expect(() => mx.add(1, x)).toThrow('[add] array has been disposed.');
    expect(() => mx.exp(x)).toThrow('[exp] array has been disposed.');
    expect(() => x.tolist()).toThrow('[tolist] array has been disposed.');
    expect(() => x.item()).toThrow('[item] array has been disposed.');
    expect(() => x.shape).toThrow('[shape] array has been disposed.');
    expect(() => mx.eval(x)).toThrow('[eval] array has been disposed.');
    expect(() => x.dispose()).not.toThrow(); // idempotent
  });

  it('disposes through Symbol.dispose', () => {
    const x = mx.array([1]);
    x[Symbol.dispose]();
    expect(x.isDisposed).toBe(true);
  });

  it('rejects non-array operands with a TypeError', () => {
    expect(() => mx.add([1, 2] as never, 1)).toThrow(/\[add\]/);
  });
  it('shapes too large to address are an Error, not a wrapped size or a trap', () => {
    mx.tidy(() => {
      // 88250 x 88251 float32 is 31 GB: beyond wasm32's 4 GiB, and beyond the native limit.
      expect(() => mx.eval(mx.add(mx.zeros([88250, 88251]), 1))).toThrow(/\[(array|malloc)\]/);
      expect(() => mx.eval(mx.add(mx.zeros([65536, 65537]), 1))).toThrow(/\[(array|malloc)\]/);
      // The library still works afterwards.
      expect(mx.add(mx.zeros([2]), 1).tolist()).toEqual([1, 1]);
    });
  });
});
