// view: the same bytes read as another dtype (values derived by hand from IEEE 754 and
// little-endian layouts).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('view', () => {
  it('reinterprets bytes, scaling the last axis', () => {
    mx.tidy(() => {
      expect(mx.view(mx.array([1, -2]), mx.uint32).tolist()).toEqual([0x3f800000, 0xc0000000]);
      const halves = mx.view(mx.array([[1, 0x10000]], mx.int32), mx.int16);
      expect(halves.shape).toEqual([1, 4]);
      expect(halves.tolist()).toEqual([[1, 0, 0, 1]]);
      const wide = mx.view(mx.array([0, 0, 128, 63, 0, 0, 0, 64], mx.uint8), mx.float32);
      expect(wide.tolist()).toEqual([1, 2]);
      expect(mx.array([1.5], mx.float16).view(mx.uint16).tolist()).toEqual([0x3e00]);
      expect(mx.view(mx.array(1, mx.int32), mx.float32).shape).toEqual([]); // same size, 0-d
      // A transposed (strided) input is read in row order.
      const t = mx.transpose(mx.array([[1, 2], [3, 4]], mx.int32));
      expect(mx.view(t, mx.uint32).tolist()).toEqual([[1, 3], [2, 4]]);
      // vmap: the batch axis moves out of the way of the last axis.
      const v = mx.vmap((r: mx.Array) => mx.view(r, mx.int16), 1)(mx.array([[1, 2], [3, 4]], mx.int32)) as mx.Array;
      expect(v.tolist()).toEqual([[1, 0, 3, 0], [2, 0, 4, 0]]);
    });
  });

  it('errors name the op', () => {
    mx.tidy(() => {
      expect(() => mx.view(mx.array(1, mx.int32), mx.int16)).toThrow('[view] Cannot view a 0-dimensional array');
      expect(() => mx.view(mx.array([1, 2, 3], mx.uint8), mx.int16)).toThrow('[view] The last axis of 3 bytes');
    });
  });
});
