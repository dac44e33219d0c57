// MLX's python/tests/test_conv.py, ported test by test (same names, shapes, strides,
// paddings, dilations, groups and tolerances), so far its 1-D and 2-D tests: test_numpy_conv,
// test_conv_1d_groups_flipped, test_torch_conv_1D(_grad) and test_torch_conv_2D(_grad).
// MLX compares with np.convolve and PyTorch; here the operands are drawn with mx.random (same
// distributions), read back, and the same sums are done on the host in float64
// (test/helpers/host_conv.ts: the direct convolution and its input and weight gradients).
// Not ported yet: the 3-D, conv_general, transpose and remaining tests of the file.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { conv, convGrads, type ConvParams } from './helpers/host_conv.js';
import * as h from './helpers/host_nd.js';

const run = (fn: () => void) => (): void => {
  mx.tidy(() => {
    fn();
    return undefined;
  });
};
const normal = (shape: number[], std: number, dtype: mx.Dtype = mx.float32): mx.Array =>
  mx.random.normal(shape, mx.float32, 0, std).astype(dtype);
const expectClose = (actual: mx.Array, expected: h.Host, atol: number, what: string, rtol = 1e-5): void => {
  expect(actual.shape, what).toEqual(expected.shape);
  expect(h.closeness(actual.astype(mx.float32), expected, rtol, atol), what).toBe('');
};

/** np.convolve: the full discrete convolution, then its centred ('same') or overlap ('valid') part. */
function npConvolve(a: Float64Array, v: Float64Array, mode: 'full' | 'same' | 'valid'): number[] {
  const full = new Array<number>(a.length + v.length - 1).fill(0);
  a.forEach((x, i) => v.forEach((y, j) => (full[i + j]! += x * y)));
  const [long, short] = a.length >= v.length ? [a.length, v.length] : [v.length, a.length];
  if (mode === 'full') return full;
  if (mode === 'same') {
    const start = Math.floor((short - 1) / 2);
    return full.slice(start, start + long);
  }
  return full.slice(short - 1, long);
}

describeEachBackend('MLX test_conv.py', () => {
  it('test_numpy_conv', run(() => {
    mx.random.seed(0);
    for (const dtype of [mx.float16, mx.float32]) {
      for (const [M, N, mode] of [
        [1, 1, 'full'], [25, 5, 'full'], [24, 5, 'same'], [24, 4, 'same'],
        [24, 4, 'valid'], [4, 24, 'full'], [5, 25, 'same'], [4, 25, 'valid'],
      ] as const) {
        mx.tidy(() => {
          const atol = dtype === mx.float32 ? 1e-6 : 1e-5;
          const a = mx.random.uniform(0, 1, [M]).astype(dtype);
          const v = mx.random.uniform(0, 1, [N]).astype(dtype);
          const ref = npConvolve(h.host(a).data, h.host(v).data, mode);
          // NumPy convolves float16 in float16: its result is rounded to it.
          const expected = h.roundTo(h.hostOf([ref.length], ref), dtype);
          expectClose(mx.convolve(a, v, mode), expected, atol, `${dtype} ${M} ${N} ${mode}`);
        });
      }
    }
  }));

  it('test_conv_1d_groups_flipped', run(() => {
    const x = mx.transpose(mx.broadcastTo(mx.arange(5).astype(mx.float32), [2, 5]));
    const w = mx.broadcastTo(mx.arange(4).astype(mx.float32), [2, 4]);
    const out = mx.convGeneral(mx.expandDims(x, 0), mx.expandDims(w, -1), { flip: true, groups: 2 });
    const expected = mx.reshape(mx.array([4.0, 4.0, 10.0, 10.0]), [1, 2, 2]);
    expect(mx.allclose(out, expected).item()).toBe(true);
  }));

  /** MLX's run_conv1D: in N(0, 1/C) [N, iH, C], weight N(0, 1/C) [O, kH, C / groups]; atol 1e-5. */
  function runConv1D(N: number, C: number, O: number, iH: number, kH: number, stride: number, padding: number, groups = 1): void {
    mx.tidy(() => {
      mx.random.seed(0);
      const inMx = normal([N, iH, C], 1 / C);
      const wtMx = normal([O, kH, C / groups], 1 / C);
      const p: ConvParams = { stride: [stride], padding: [padding], dilation: [1], groups };
      const out = mx.conv1d(inMx, wtMx, { stride, padding, groups });
      expectClose(out, conv(h.host(inMx), h.host(wtMx), p), 1e-5, `N=${N} C=${C} O=${O} iH=${iH} kH=${kH} s=${stride} p=${padding} g=${groups}`);
    });
  }

  it('test_torch_conv_1D', run(() => {
    for (const [N, C, O] of [[1, 1, 1], [1, 6, 1], [1, 1, 6], [4, 32, 64]] as const) {
      for (const [iH, kH, stride, padding] of [[1, 1, 1, 0], [3, 3, 1, 0], [31, 5, 5, 2]] as const) runConv1D(N, C, O, iH, kH, stride, padding);
    }
    // Groups.
    for (const [iH, kH, stride, padding] of [[1, 1, 1, 0], [3, 3, 1, 0], [31, 5, 5, 2]] as const) {
      for (const group of [1, 2, 4, 8, 16, 32]) runConv1D(4, 32, 64, iH, kH, stride, padding, group);
    }
    // Strided (transposed) inputs.
    for (const [tIn, tWt] of [[[0, 2, 1], [0, 1, 2]], [[0, 2, 1], [0, 2, 1]]]) {
      mx.tidy(() => {
        const inMx = normal([16, 16, 16], 1 / 16);
        const wtMx = normal([16, 16, 16], 1 / 16);
        const out = mx.conv1d(mx.transpose(inMx, tIn!), mx.transpose(wtMx, tWt!));
        const p: ConvParams = { stride: [1], padding: [0], dilation: [1], groups: 1 };
        expectClose(out, conv(h.transpose(h.host(inMx), tIn!), h.transpose(h.host(wtMx), tWt!), p), 1e-5, `strided ${tIn} ${tWt}`);
      });
    }
  }));

  it('test_torch_conv_1D_grad', run(() => {
    for (const [N, C, O] of [[1, 1, 1], [1, 6, 1], [1, 1, 6], [4, 32, 64]] as const) {
      for (const [iH, kH, stride, padding] of [[1, 1, 1, 0], [3, 3, 1, 0], [31, 5, 5, 2]] as const) {
        mx.tidy(() => {
          mx.random.seed(0);
          const oH = 1 + Math.floor((iH + 2 * padding - (kH - 1) - 1) / stride);
          const inMx = normal([N, iH, C], 1 / C);
          const wtMx = normal([O, kH, C], 1 / C);
          const ctMx = normal([N, oH, O], 1 / C);
          const [, [dIn, dWt]] = mx.vjp((a: mx.Array, b: mx.Array) => mx.conv1d(a, b, { stride, padding }), [inMx, wtMx], [ctMx]);
          const p: ConvParams = { stride: [stride], padding: [padding], dilation: [1], groups: 1 };
          const [gIn, gWt] = convGrads(h.host(inMx), h.host(wtMx), h.host(ctMx), p);
          const what = `N=${N} C=${C} O=${O} iH=${iH} kH=${kH} s=${stride} p=${padding}`;
          expectClose(dIn!, gIn, 1e-5, `${what} input`);
          expectClose(dWt!, gWt, 1e-5, `${what} weight`);
        });
      }
    }
  }));

  /** MLX's run_conv2D: in N(0, 1/sqrt(kH kW C)), weight N(0, 1), cast to dtype; bfloat16 atol 1e-1, else 1e-5. */
  function runConv2D(N: number, C: number, O: number, idim: [number, number], kdim: [number, number], stride: [number, number], padding: [number, number], groups: number, dtype: mx.Dtype): void {
    mx.tidy(() => {
      mx.random.seed(0);
      const scale = 1 / Math.sqrt(kdim[0] * kdim[1] * C);
      const inMx = normal([N, ...idim, C], scale, dtype);
      const wtMx = normal([O, ...kdim, C / groups], 1, dtype);
      const out = mx.conv2d(inMx, wtMx, { stride, padding, groups }).astype(mx.float32);
      const p: ConvParams = { stride, padding, dilation: [1, 1], groups };
      const atol = dtype === mx.bfloat16 ? 1e-1 : 1e-5;
      expectClose(out, conv(h.host(inMx), h.host(wtMx), p), atol, `${dtype} N=${N} C=${C} O=${O} ${idim} ${kdim} ${stride} ${padding} g=${groups}`);
    });
  }

  for (const dtype of [mx.float32, mx.bfloat16]) {
    it(`test_torch_conv_2D ${dtype}`, run(() => {
      const cases: [[number, number], [number, number], [number, number], [number, number]][] = [
        [[1, 1], [1, 1], [1, 1], [0, 0]],
        [[3, 3], [3, 1], [1, 1], [0, 0]],
        [[31, 31], [5, 5], [5, 5], [2, 2]],
      ];
      for (const [N, C, O] of [[1, 1, 1], [1, 6, 1], [1, 1, 6], [4, 32, 64]] as const) {
        for (const [idim, kdim, stride, padding] of cases) runConv2D(N, C, O, idim, kdim, stride, padding, 1, dtype);
      }
      // Groups.
      for (const [idim, kdim, stride, padding] of cases) {
        for (const group of [1, 2, 4, 8, 16, 32]) runConv2D(4, 32, 64, idim, kdim, stride, padding, group, dtype);
      }
    }));
  }

  it('test_torch_conv_2D_grad', run(() => {
    const cases: [[number, number], [number, number], [number, number], [number, number], [number, number]][] = [
      [[1, 1], [1, 1], [1, 1], [0, 0], [1, 1]],
      [[3, 3], [3, 1], [1, 1], [0, 0], [1, 1]],
      [[31, 31], [5, 5], [5, 5], [2, 2], [1, 1]],
      [[32, 32], [3, 3], [2, 2], [1, 1], [1, 1]],
      [[31, 31], [5, 5], [5, 5], [2, 2], [3, 2]],
      [[32, 32], [3, 3], [2, 2], [1, 1], [3, 2]],
    ];
    for (const [N, C, O] of [[1, 1, 1], [1, 6, 1], [1, 1, 6], [4, 32, 64], [4, 16, 32]] as const) {
      for (const [idim, kdim, stride, padding, dilation] of cases) {
        mx.tidy(() => {
          mx.random.seed(0);
          const scale = 1 / Math.sqrt(kdim[0] * kdim[1] * C);
          const o = [0, 1].map((i) => 1 + Math.floor((idim[i]! + 2 * padding[i]! - dilation[i]! * (kdim[i]! - 1) - 1) / stride[i]!));
          const inMx = normal([N, ...idim, C], scale);
          const wtMx = normal([O, ...kdim, C], scale);
          const ctMx = normal([N, ...o, O], scale);
          const [, [dIn, dWt]] = mx.vjp((a: mx.Array, b: mx.Array) => mx.conv2d(a, b, { stride, padding, dilation }), [inMx, wtMx], [ctMx]);
          const p: ConvParams = { stride, padding, dilation, groups: 1 };
          const [gIn, gWt] = convGrads(h.host(inMx), h.host(wtMx), h.host(ctMx), p);
          const what = `N=${N} C=${C} O=${O} ${idim} ${kdim} s=${stride} p=${padding} d=${dilation}`;
          expectClose(dIn!, gIn, 1e-5, `${what} input`);
          expectClose(dWt!, gWt, 1e-5, `${what} weight`);
        });
      }
    }
  }));
});
