// conv1d / conv2d (channels-last, MLX's argument order) against a direct-loop reference,
// in float32, float16 and float64, with strided views, 0-size batches, errors and gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import convFixture from './fixtures/conv.json';

interface Enc { shape: number[]; values: number[] }
interface Args { stride: number | number[]; padding: number | number[]; dilation: number | number[]; groups: number }
interface Case { op: 'conv1d' | 'conv2d'; inputs: Enc[]; args: Args; out: Enc }
const fixture = convFixture as unknown as { cases: Case[] };

const input = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

describeEachBackend('conv', () => {
  it('matches the direct loop on every fixture case, positionally and with options', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float16, 0.05], [mx.float64, 1e-12]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const [x, w] = c.inputs.map((e) => input(e, dtype)) as [mx.Array, mx.Array];
          const { stride, padding, dilation, groups } = c.args;
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const y = c.op === 'conv1d'
            ? mx.conv1d(x, w, stride as number, padding as number, dilation as number, groups)
            : mx.conv2d(x, w, stride, padding, dilation, groups);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          expectClose(flat(y), c.out.values, tol);
          const z = c.op === 'conv1d'
            ? mx.conv1d(x, w, { stride: stride as number, padding: padding as number, dilation: dilation as number, groups })
            : mx.conv2d(x, w, { stride, padding, dilation, groups });
          expectClose(flat(z), c.out.values, tol);
        });
      }
    }
  });

  it('accepts non-contiguous inputs and promotes mixed dtypes', () => {
    mx.tidy(() => {
      // x given as the transpose of a [N, C, L] array; weight as a broadcast view.
      const xNcl = mx.arange(12, mx.float32).reshape(1, 2, 6);
      const x = mx.swapaxes(xNcl, 1, 2); // [1, 6, 2]
      const w = mx.broadcastTo(mx.array([[[1, -1]]]), [1, 2, 2]); // sum of (c0 - c1) over two taps
      const y = mx.conv1d(x, w);
      // x[l] = (l, 6 + l): each tap gives -6, two taps -12.
      expect(y.shape).toEqual([1, 5, 1]);
      expect(y.tolist()).toEqual([[[-12], [-12], [-12], [-12], [-12]]]);
      const h = mx.conv1d(x.astype(mx.float16), mx.ones([1, 1, 2], mx.float64));
      expect(h.dtype).toBe(mx.float64);
      expect(flat(h)).toEqual([6, 8, 10, 12, 14, 16]);
      // conv2d identity kernel with stride 2 picks every other pixel; padding as a pair.
      const img = mx.arange(16, mx.float32).reshape(1, 4, 4, 1);
      expect(mx.conv2d(img, mx.ones([1, 1, 1, 1]), 2).reshape([-1]).tolist()).toEqual([0, 2, 8, 10]);
      expect(mx.conv2d(img, mx.ones([1, 1, 1, 1]), 1, [1, 0]).shape).toEqual([1, 6, 4, 1]);
      // NaN in one pixel spreads to the outputs whose window covers it.
      const n = mx.conv1d(mx.array([1, NaN, 1, 1]).reshape(1, 4, 1), mx.ones([1, 2, 1])).reshape([-1]).tolist() as number[];
      expect(n.map((v) => Number.isNaN(v))).toEqual([true, true, false]);
    });
  });

  it("rejects bad shapes, groups and arguments with MLX's messages", () => {
    mx.tidy(() => {
      const x = mx.ones([1, 5, 4]);
      expect(() => mx.conv1d(mx.ones([5, 4]), mx.ones([2, 3, 4]))).toThrow(
        '[conv1d] Invalid input array with 2 dimensions for 1D convolution. Expected an array with 3 dimensions following the format [N, ..., C_in].',
      );
      expect(() => mx.conv1d(x, mx.ones([2, 4]))).toThrow('[conv1d] Invalid weight array with 2 dimensions');
      expect(() => mx.conv1d(x, mx.ones([2, 3, 3]))).toThrow(
        '[conv1d] Expect the input channels in the input and weight array to match but got shapes - input: (1,5,4) and weight: (2,3,3)',
      );
      expect(() => mx.conv1d(x, mx.ones([2, 3, 1]), 1, 0, 1, 3)).toThrow('[conv1d] The input channels must be divisible by the number of groups.');
      expect(() => mx.conv1d(x, mx.ones([3, 3, 2]), 1, 0, 1, 2)).toThrow('[conv1d] If groups > 1, the output channels must be divisible by the number of groups.');
      expect(() => mx.conv1d(x, mx.ones([2, 6, 4]))).toThrow('[conv1d] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions.');
      expect(() => mx.conv1d(x, mx.ones([2, 3, 4]), 0)).toThrow('[conv1d] Invalid stride');
      expect(() => mx.conv1d(x, mx.ones([2, 3, 4]), 1, -1)).toThrow('[conv1d] Invalid padding');
      expect(() => mx.conv1d(x, mx.ones([2, 3, 4]), { groups: 0 })).toThrow('[conv1d] Invalid groups');
      expect(() => mx.conv1d(x.astype(mx.int32), mx.ones([2, 3, 4]))).toThrow('[conv1d] Invalid input array with type int32.');
      expect(() => mx.conv2d(mx.ones([1, 4, 4, 2]), mx.ones([1, 2, 2, 2]), [1, 1, 1])).toThrow('[conv2d] Invalid stride');
      expect(() => mx.conv2d(mx.ones([1, 4, 4]), mx.ones([1, 2, 2]))).toThrow('[conv2d] Invalid input array with 3 dimensions for 2D convolution.');
    });
  });

  it('handles 0-size batches', () => {
    mx.tidy(() => {
      expect(mx.conv2d(mx.zeros([0, 3, 3, 2]), mx.ones([4, 2, 2, 2])).shape).toEqual([0, 2, 2, 4]);
    });
  });

  it('has vjp and jvp w.r.t. input and weight that match finite differences', () => {
    checkGrads((x, w) => mx.conv1d(x, w), [[2, 6, 3], [4, 3, 3]]);
    checkGrads((x, w) => mx.conv1d(x, w, 2, 1, 2, 2), [[1, 9, 4], [4, 2, 2]]);
    checkGrads((x, w) => mx.conv2d(x, w, [2, 1], 1), [[1, 5, 4, 2], [3, 2, 3, 2]]);
    checkGrads((x, w) => mx.conv2d(x, w, 1, [0, 1], [2, 1], 2), [[1, 6, 4, 4], [2, 2, 2, 2]]);
  });

  it('batches under vmap like a larger batch', () => {
    mx.tidy(() => {
      const x = mx.multiply(mx.arange(2 * 3 * 6 * 2, mx.float32).reshape(2, 3, 6, 2), 0.01);
      const w = mx.multiply(mx.arange(3 * 3 * 2, mx.float32).reshape(3, 3, 2), 0.1);
      const mapped = mx.vmap((xi: mx.Array) => mx.conv1d(xi, w, 2, 1))(x) as mx.Array;
      const direct = mx.conv1d(x.reshape(6, 6, 2), w, 2, 1).reshape(2, 3, 3, 3);
      expect(mapped.shape).toEqual([2, 3, 3, 3]);
      expectClose(flat(mapped), flat(direct), 1e-5);
    });
  });
});
