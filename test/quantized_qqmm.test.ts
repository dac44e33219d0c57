// mx.qqmm and nvfp4's global scale beyond MLX's own tests (test/quantized_mlx.test.ts):
// values against test/fixtures/quant_fp.json (NumPy, test/fixtures/gen_quant_fp.py: the
// global-scale bit patterns and qqmm products with a floating and a quantized weight),
// MLX's errors, the gradient rule of MLX's examples/python/qqmm.py (the vjp with respect
// to x is qqmm(g, w.T)), the shapes qqmm accepts (a vector, more axes) and vmap.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import quantFp from './fixtures/quant_fp.json';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';

interface GlobalCase { w_bits: number[][]; global_scale: number; wq: number[][]; scales: number[][]; dequantized_bits: number[][] }
interface QqmmCase {
  mode: 'nvfp4' | 'mxfp8'; x: number[][]; w: number[][]; wq: number[][]; scales: number[][];
  global_scale_x: number | null; global_scale_w: number | null; y: number[][];
}
const fixtures = quantFp as unknown as { nvfp4_global: GlobalCase; qqmm: QqmmCase[] };

const maxAbs = (a: mx.Array): number => mx.tidy(() => mx.max(mx.abs(a.astype(mx.float32))).item() as number);
const maxDiff = (a: mx.Array, b: mx.Array): number => maxAbs(mx.subtract(a.astype(mx.float32), b.astype(mx.float32)));
const relDiff = (a: mx.Array, b: mx.Array): number => maxDiff(a, b) / Math.max(1, maxAbs(b));

describeEachBackend('qqmm and global scales', () => {
  it('nvfp4 with a global scale packs as the NumPy reference (codes, scale codes, values)', () => {
    mx.tidy(() => {
      const ref = fixtures.nvfp4_global;
      const w = mx.view(mx.array(ref.w_bits, mx.uint32), mx.float32);
      const globalScale = mx.array(ref.global_scale, mx.float32);
      const [wq, scales] = mx.quantize(w, { mode: 'nvfp4', globalScale });
      expect(wq!.tolist()).toEqual(ref.wq);
      expect(scales!.tolist()).toEqual(ref.scales);
      const deq = mx.dequantize(wq!, scales!, null, { mode: 'nvfp4', dtype: mx.float32, globalScale });
      expect(mx.view(deq, mx.uint32).tolist()).toEqual(ref.dequantized_bits);
      // the same codes read without the global scale are off by global / 2688
      const plain = mx.dequantize(wq!, scales!, null, { mode: 'nvfp4', dtype: mx.float32 });
      expect(maxDiff(mx.multiply(plain, ref.global_scale / 2688), deq) / maxAbs(deq)).toBeLessThan(1e-6);
    });
  });

  for (const [i, c] of fixtures.qqmm.entries()) {
    it(`${c.mode}${c.global_scale_x === null ? '' : ' with global scales'} (case ${i}): as the NumPy reference, w floating or quantized`, () => {
      mx.tidy(() => {
        const x = mx.array(c.x, mx.float32);
        const w = mx.array(c.w, mx.float32);
        const gx = c.global_scale_x === null ? null : mx.array(c.global_scale_x, mx.float32);
        const gw = c.global_scale_w === null ? null : mx.array(c.global_scale_w, mx.float32);
        const y = mx.array(c.y, mx.float32);
        const o = { mode: c.mode, globalScaleX: gx, globalScaleW: gw };
        const [wq, scales] = mx.quantize(w, { mode: c.mode, globalScale: gw });
        expect(wq!.tolist()).toEqual(c.wq);
        expect(scales!.tolist()).toEqual(c.scales);
        const fromFloat = mx.qqmm(x, w, null, o);
        const fromCodes = mx.qqmm(x, wq!, scales!, o);
        expect(fromFloat.dtype).toBe(mx.float32);
        expect(relDiff(fromFloat, y)).toBeLessThan(1e-6); // float32 sums of the float64 products
        expect(relDiff(fromCodes, y)).toBeLessThan(1e-6);
      });
    });
  }

  it("has MLX's errors", () => {
    mx.tidy(() => {
      const x = mx.array(lcgData(2 * 64, 1), [2, 64]);
      const w = mx.array(lcgData(8 * 64, 2), [8, 64]);
      const [wq, s] = mx.quantize(w, { mode: 'nvfp4' });
      const g = mx.array(1, mx.float32);
      expect(() => mx.qqmm(x, w, null, { mode: 'mxfp4' })).toThrow("[qqmm] Only 'nvfp4' and 'mxfp8' quantization modes are supported but 'mxfp4'");
      expect(() => mx.qqmm(x, w, null, { mode: 'affine' })).toThrow(/^\[qqmm\] Only 'nvfp4'/);
      expect(() => mx.qqmm(x, w, null, { mode: 'nvfp4', groupSize: 32 })).toThrow('[qqmm] nvfp4 quantization requires group size 16 but got 32.');
      expect(() => mx.qqmm(mx.reshape(x, [1, 2, 64]), mx.reshape(w, [1, 8, 64]))).toThrow('[qqmm] Only 2D inputs are supported but x.ndim() == 3 and w.ndim() == 3.');
      expect(() => mx.qqmm(x, wq!)).toThrow('[qqmm] Scales must be provided if second argument is quantized.');
      expect(() => mx.qqmm(x.astype(mx.int32), w)).toThrow('[qqmm] Only real floating types except float64 are supported but first argument dtype == int32.');
      expect(() => mx.qqmm(x, w.astype(mx.float64))).toThrow(/^\[qqmm\] Only real floating types except float64 are supported but second argument dtype == float64/);
      expect(() => mx.qqmm(x, w, null, { globalScaleX: g })).toThrow('[qqmm] For nvfp4 mode, either both global_scale_x and global_scale_w must be provided, or neither.');
      expect(() => mx.qqmm(x, w, null, { mode: 'mxfp8', globalScaleX: g, globalScaleW: g })).toThrow("[qqmm] Global scale is only supported for 'nvfp4' quantization mode.");
      expect(() => mx.qqmm(x, mx.array(lcgData(8 * 32, 3), [8, 32]))).toThrow(/^\[qqmm\] Last dimension of first input with shape/);
      expect(() => mx.qqmm(mx.ones([2, 8]), mx.ones([3, 8]))).toThrow(/^\[qqmm\] The last dimension of the matrix needs to be divisible by the quantization group size 16/);
      expect(() => mx.quantize(w, { mode: 'mxfp4', globalScale: g })).toThrow("[quantize] Global scale is only supported for 'nvfp4' quantization mode.");
      expect(() => mx.quantize(w, { mode: 'nvfp4', globalScale: mx.ones([2]) })).toThrow('[quantize] Global scale must be a scalar but got shape (2).');
      expect(() => mx.quantize(w, { mode: 'nvfp4', globalScale: g.astype(mx.float16) })).toThrow('[quantize] Global scale must have dtype float32 but got float16.');
      expect(() => mx.dequantize(wq!, s!, null, { mode: 'nvfp4', globalScale: g.astype(mx.bfloat16) })).toThrow('[dequantize] Global scale must have dtype float32 but got bfloat16.');
    });
  });

  it('accepts a vector x and more axes with a 2-D w (rows), result in x dtype', () => {
    mx.tidy(() => {
      const w = mx.array(lcgData(8 * 64, 4), [8, 64]);
      const x = mx.array(lcgData(2 * 3 * 64, 5), [2, 3, 64]);
      const y = mx.qqmm(x, w, null, { mode: 'mxfp8' });
      expect(y.shape).toEqual([2, 3, 8]);
      expect(maxDiff(y, mx.reshape(mx.qqmm(mx.reshape(x, [6, 64]), w, null, { mode: 'mxfp8' }), [2, 3, 8]))).toBe(0);
      const v = mx.qqmm(mx.take(mx.reshape(x, [6, 64]), 4, 0), w);
      expect(v.shape).toEqual([8]);
      expect(maxDiff(v, mx.take(mx.qqmm(mx.reshape(x, [6, 64]), w), 4, 0))).toBe(0);
      expect(mx.qqmm(x.astype(mx.bfloat16), w).dtype).toBe(mx.bfloat16);
    });
  });

  for (const mode of ['nvfp4', 'mxfp8'] as const) {
    it(`${mode}: vjp as MLX's example (dx = qqmm(g, w.T)), dw = qqmm(g.T, x.T), jvp by the same rule`, () => {
      mx.tidy(() => {
        const x = mx.array(lcgData(32 * 64, 6), [32, 64]);
        const w = mx.array(lcgData(64 * 64, 7), [64, 64]); // N, M, K multiples of both group sizes
        const c = mx.array(lcgData(32 * 64, 8), [32, 64]);
        const [, [dx, dw]] = mx.vjp((a: mx.Array, b: mx.Array) => mx.qqmm(a, b, null, { mode }), [x, w], [c]);
        expect(maxDiff(dx!, mx.qqmm(c, w.T, null, { mode }))).toBe(0);
        expect(maxDiff(dw!, mx.qqmm(c.T, x.T, null, { mode }))).toBe(0);
        // a quantized w: the gradient of x uses w decoded, w.T quantized again
        const [wq, s] = mx.quantize(w, { mode });
        const [, [dxq]] = mx.vjp((a: mx.Array) => mx.qqmm(a, wq!, s!, { mode }), [x], [c]);
        const wHat = mx.dequantize(wq!, s!, null, { mode, dtype: mx.float32 });
        expect(maxDiff(dxq!, mx.qqmm(c, wHat.T, null, { mode }))).toBe(0);
        expect(() => mx.vjp((q: mx.Array) => mx.qqmm(x, q, s!, { mode }), [wq!], [c])).toThrow('[QQMatmul::vjp] no gradient wrt the quantized weights.');
        const t = mx.array(lcgData(32 * 64, 9), [32, 64]);
        const [, [jx]] = mx.jvp((a: mx.Array) => mx.qqmm(a, w, null, { mode }), [x], [t]);
        expect(maxDiff(jx!, mx.qqmm(t, w, null, { mode }))).toBe(0);
      });
    });
  }

  it('vmap over x (rows) and over w (one product each) equals a loop', () => {
    mx.tidy(() => {
      const xs = mx.array(lcgData(3 * 2 * 32, 10), [3, 2, 32]);
      const ws = mx.array(lcgData(3 * 4 * 32, 11), [3, 4, 32]);
      const loop = (f: (i: number) => mx.Array): mx.Array => mx.stack([0, 1, 2].map(f));
      const f = (a: mx.Array, b: mx.Array): mx.Array => mx.qqmm(a, b, null, { mode: 'mxfp8' });
      const w0 = mx.take(ws, 0, 0);
      expect(maxDiff(mx.vmap((a: mx.Array) => f(a, w0))(xs) as mx.Array, loop((i) => f(mx.take(xs, i, 0), w0)))).toBe(0);
      expect(maxDiff(mx.vmap(f)(xs, ws) as mx.Array, loop((i) => f(mx.take(xs, i, 0), mx.take(ws, i, 0))))).toBe(0);
    });
  });
});
