// MLX's python/tests/test_quantized.py, ported test by test (same names, shapes, modes and
// tolerances; `mx.random` draws differ from MLX's, so values are compared against the
// dequantize-then-matmul references the MLX tests use, never against MLX's numbers). What
// MLX itself skips on the CPU, or runs only on a GPU, is skipped here with its reason; what
// mlxjs does not have yet (1-bit affine codes, gather_qqmm) is skipped with that reason; what
// MLX runs only on a GPU but mlxjs's CPU kernels do (qqmm for any M, global scales) runs
// here. The packing of the floating-point modes (with nvfp4's global scale) and qqmm are
// checked against test/fixtures/quant_fp.json (written by test/fixtures/gen_quant_fp.py).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import quantFp from './fixtures/quant_fp.json';
import { describeEachBackend } from './helpers/backends.js';

type Mode = 'affine' | 'mxfp4' | 'mxfp8' | 'nvfp4';
const FP_MODES: Mode[] = ['mxfp4', 'mxfp8', 'nvfp4'];
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/** All combinations of the given lists (Python's itertools.product). */
function product<T extends unknown[]>(...lists: { [K in keyof T]: readonly T[K][] }): T[] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((p) => (l as unknown[]).map((v) => [...p, v]));
  return out as T[];
}

const normal = (shape: number[], key?: mx.Array, dtype: mx.DtypeLike = mx.float32): mx.Array =>
  mx.random.normal({ shape, key, dtype });
const maxAbs = (a: mx.Array): number => mx.tidy(() => mx.max(mx.abs(a.astype(mx.float32))).item() as number);
const maxDiff = (a: mx.Array, b: mx.Array): number => maxAbs(mx.subtract(a.astype(mx.float32), b.astype(mx.float32)));
const allclose = (a: mx.Array, b: mx.Array, rtol = 1e-5, atol = 1e-8): boolean =>
  mx.tidy(() => mx.allclose(a, b, rtol, atol).item() as boolean);
const keys = (seed: number, n = 2): mx.Array[] => {
  const k = mx.random.split(mx.random.key(seed), n);
  return Array.from({ length: n }, (_, i) => mx.take(k, i, 0));
};
const run = (fn: () => void) => (): void => {
  mx.tidy(() => {
    fn();
    return undefined;
  });
};

/** quantize -> [wq, scales, biases | null] for any mode. */
function quant(w: mx.Array, o: { groupSize?: number; bits?: number; mode?: Mode; globalScale?: mx.Array | null } = {}): [mx.Array, mx.Array, mx.Array | null] {
  const q = mx.quantize(w, o);
  return [q[0]!, q[1]!, q[2] ?? null];
}

/** MLX's gather_mm as its definition: a[lhs[i]] @ b[rhs[i]] over the broadcast indices. */
function gatherMm(a: mx.Array, b: mx.Array, lhs: mx.Array | null, rhs: mx.Array | null): mx.Array {
  const [M, K] = a.shape.slice(-2) as [number, number];
  const [K2, N] = b.shape.slice(-2) as [number, number];
  const batch = (x: mx.Array): number[] => x.shape.slice(0, -2);
  const count = (s: number[]): number => s.reduce((p, v) => p * v, 1);
  const l = lhs ?? mx.reshape(mx.arange(count(batch(a)), mx.uint32), batch(a));
  const r = rhs ?? mx.reshape(mx.arange(count(batch(b)), mx.uint32), batch(b));
  const [lb, rb] = mx.broadcastArrays(l, r) as [mx.Array, mx.Array];
  const xa = mx.take(mx.reshape(a, [-1, M, K]), mx.flatten(lb), 0);
  const xb = mx.take(mx.reshape(b, [-1, K2, N]), mx.flatten(rb), 0);
  return mx.reshape(mx.matmul(xa, xb), [...lb.shape, M, N]);
}

/** a[..., lo:hi, ...] along one axis. */
function sliceAxis(a: mx.Array, axis: number, lo: number, hi: number): mx.Array {
  const ax = axis < 0 ? axis + a.ndim : axis;
  const start = a.shape.map((_, i) => (i === ax ? lo : 0));
  const stop = a.shape.map((d, i) => (i === ax ? hi : d));
  return mx.slice(a, start, stop);
}

const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

describeEachBackend('MLX test_quantized.py', () => {
  it('packs mxfp4, mxfp8 and nvfp4 as the NumPy reference (bit patterns, scale codes, values)', run(() => {
    for (const mode of FP_MODES) {
      const ref = (quantFp as unknown as Record<string, { w_bits: number[][]; wq: number[][]; scales: number[][]; dequantized_bits: number[][]; x: number[][]; y: number[][] }>)[mode]!;
      const w = mx.view(mx.array(ref.w_bits, mx.uint32), mx.float32);
      const [wq, scales] = quant(w, { mode });
      expect(wq.dtype).toBe(mx.uint32);
      expect(scales.dtype).toBe(mx.uint8);
      expect(wq.tolist(), mode).toEqual(ref.wq);
      expect(scales.tolist(), mode).toEqual(ref.scales);
      const deq = mx.dequantize(wq, scales, null, { mode, dtype: mx.float32 });
      expect(mx.view(deq, mx.uint32).tolist(), mode).toEqual(ref.dequantized_bits); // bit for bit: -0.0 included
      const y = mx.quantizedMatmul(mx.array(ref.x, mx.float32), wq, scales, null, { mode });
      const yRef = mx.array(ref.y, mx.float32);
      expect(maxDiff(y, yRef) / Math.max(1, maxAbs(yRef)), mode).toBeLessThan(1e-6); // float32 sums of float64 products

    }
  }));

  it('test_quantize_dequantize', run(() => {
    const w = normal([128, 512]);
    for (const gs of [32, 64, 128]) {
      for (const b of [2, 3, 5, 6, 4, 8]) { // MLX also runs bits=1: mlxjs has no 1-bit codes yet
        const [wq, scales, biases] = quant(w, { groupSize: gs, bits: b });
        const wHat = mx.dequantize(wq, scales, biases, { groupSize: gs, bits: b });
        const errors = mx.reshape(mx.abs(mx.subtract(w, wHat)), [...scales.shape, -1]);
        const eps = 1e-6;
        expect(mx.all(mx.lessEqual(errors, mx.abs(mx.add(mx.expandDims(scales, -1), eps)))).item(), `gs=${gs} b=${b}`).toBe(true);
      }
    }
    const a = mx.zeros([256, 512]);
    for (const gs of [32, 64, 128]) {
      for (const b of [2, 3, 4, 5, 6, 8]) {
        const [wq, scales, biases] = quant(a, { groupSize: gs, bits: b });
        expect(mx.all(mx.equal(mx.dequantize(wq, scales, biases, { groupSize: gs, bits: b }), 0)).item()).toBe(true);
      }
    }
  }));

  /** w drawn from the e2m1 values, each group's first value 6, shifted by 3e-6, as bfloat16. */
  function lutWeights(gs: number): mx.Array {
    const lut = mx.array(E2M1);
    let w = mx.reshape(mx.take(lut, mx.random.randint(0, 16, [128, 512])), [-1, gs]);
    const first = mx.equal(mx.arange(gs), 0);
    w = mx.where(first, 6, w);
    return mx.add(w, 3e-6).astype(mx.bfloat16);
  }

  it('test_mxfp4_quantize_dequantize', run(() => {
    const w = lutWeights(32);
    expect(() => mx.quantize(w, { bits: 3, mode: 'mxfp4' })).toThrow(/\[quantize\] mxfp4 quantization requires bits to be 4/);
    expect(() => mx.quantize(w, { groupSize: 64, mode: 'mxfp4' })).toThrow(/\[quantize\]/);
    const [wq, scales] = quant(w, { mode: 'mxfp4' });
    expect(() => mx.dequantize(wq, scales, null, { bits: 3, mode: 'mxfp4' })).toThrow(/\[dequantize\]/);
    expect(() => mx.dequantize(wq, scales, null, { groupSize: 64, mode: 'mxfp4' })).toThrow(/\[dequantize\]/);
    expect(() => mx.dequantize(wq, scales, null, { groupSize: 32, bits: 4, mode: 'mxfp4', dtype: mx.int32 }))
      .toThrow(/Only real floating types are supported but output dtype == int32/);
    const wHat = mx.dequantize(wq, scales, null, { mode: 'mxfp4' });
    expect(allclose(w, wHat, 1e-5, 1e-5)).toBe(true);
    const a = mx.zeros([256, 512]);
    const [aq, as] = quant(a, { mode: 'mxfp4' });
    expect(mx.all(mx.equal(mx.dequantize(aq, as, null, { mode: 'mxfp4' }), 0)).item()).toBe(true);
  }));

  it('test_mxfp8_quantize_dequantize', run(() => {
    const w = mx.subtract(mx.multiply(2, mx.random.uniform({ shape: [512, 32] })), 1).astype(mx.bfloat16);
    expect(() => mx.quantize(w, { bits: 3, mode: 'mxfp8' })).toThrow(/\[quantize\]/);
    expect(() => mx.quantize(w, { groupSize: 32, bits: 7, mode: 'mxfp8' })).toThrow(/\[quantize\]/);
    const [wq, scales] = quant(w, { groupSize: 32, mode: 'mxfp8' });
    expect(() => mx.dequantize(wq, scales, null, { groupSize: 16, mode: 'mxfp8' })).toThrow(/\[dequantize\]/);
    expect(() => mx.dequantize(wq, scales, null, { bits: 4, mode: 'mxfp8' })).toThrow(/\[dequantize\]/);
    const wHat = mx.dequantize(wq, scales, null, { mode: 'mxfp8' });
    expect(allclose(w, wHat, 1e-1, 1e-1)).toBe(true);
    const a = mx.zeros([256, 512]);
    const [aq, as] = quant(a, { mode: 'mxfp8' });
    expect(mx.all(mx.equal(mx.dequantize(aq, as, null, { mode: 'mxfp8' }), 0)).item()).toBe(true);
  }));

  it('test_mxfp8_block_scale_does_not_saturate', run(() => {
    mx.random.seed(0);
    const groupSize = 32, nBlocks = 512;
    let w = normal([nBlocks, groupSize]);
    w = mx.multiply(w, mx.reshape(mx.exp(mx.multiply(mx.divide(mx.arange(nBlocks), nBlocks), Math.log(2))), [-1, 1]));
    const [wq, scales] = quant(w, { groupSize, mode: 'mxfp8' });
    const wHat = mx.dequantize(wq, scales, null, { groupSize, mode: 'mxfp8' });
    const amax = mx.max(mx.abs(w), 1);
    const rel = mx.divide(mx.abs(mx.subtract(amax, mx.max(mx.abs(wHat), 1))), amax);
    expect(mx.max(rel).item() as number).toBeLessThan(0.0626);
  }));

  it('test_nvfp4_quantize_dequantize', run(() => {
    const w = lutWeights(16);
    expect(() => mx.quantize(w, { bits: 3, mode: 'nvfp4' })).toThrow(/\[quantize\]/);
    expect(() => mx.quantize(w, { groupSize: 64, mode: 'nvfp4' })).toThrow(/\[quantize\]/);
    const [wq, scales] = quant(w, { mode: 'nvfp4' });
    expect(() => mx.dequantize(wq, scales, null, { bits: 3, mode: 'nvfp4' })).toThrow(/\[dequantize\]/);
    expect(() => mx.dequantize(wq, scales, null, { groupSize: 32, mode: 'nvfp4' })).toThrow(/\[dequantize\]/);
    const wHat = mx.dequantize(wq, scales, null, { mode: 'nvfp4' });
    expect(allclose(w, wHat, 1e-5, 1e-5)).toBe(true);
    // A scale shared across 32 values instead of per 16 cannot represent the small groups.
    const rows = mx.reshape(mx.arange(64), [64, 1]);
    const alternating = mx.broadcastTo(mx.where(mx.equal(mx.remainder(rows, 2), 0), 6 * 2 ** -9, 6), [64, 16]).astype(mx.bfloat16);
    const [aq, as] = quant(alternating, { mode: 'nvfp4' });
    const aHat = mx.dequantize(aq, as, null, { mode: 'nvfp4', dtype: mx.bfloat16 });
    expect(allclose(alternating, aHat, 1e-5, 1e-6)).toBe(true);
    const z = mx.zeros([256, 512]);
    const [zq, zs] = quant(z, { mode: 'nvfp4' });
    expect(mx.all(mx.equal(mx.dequantize(zq, zs, null, { mode: 'nvfp4' }), 0)).item()).toBe(true);
    // nvfp4 with a tensor-scale global_scale
    const globalScale = mx.max(mx.abs(w)).astype(mx.float32);
    const [gq, gs] = quant(w, { mode: 'nvfp4', globalScale });
    const gHat = mx.dequantize(gq, gs, null, { groupSize: 16, bits: 4, mode: 'nvfp4', globalScale });
    expect(allclose(w, gHat, 1e-5, 1e-5)).toBe(true);
  }));

  it.skip('test_1bit_quantize_dequantize (1-bit affine quantization is not in mlxjs yet)', () => {});
  /** dequantize(quantize(a)) in float32, as MLX's qqmm tests build their references. */
  function qdq(a: mx.Array, mode: Mode, globalScale: mx.Array | null, dtype: mx.Dtype = mx.float32): mx.Array {
    const [q, s] = quant(a, { mode, globalScale });
    return mx.dequantize(q, s, null, { mode, dtype, globalScale });
  }

  // MLX runs the global scales only on a GPU ("TODO: Fix qmv with global scale in CPU
  // backend"); mlxjs's CPU kernel has them, so the nvfp4 cases run both ways.
  it('test_qqmv', run(() => {
    const [k1, k2] = keys(0);
    for (const [M, N, mode, global] of product<[number, number, Mode, boolean]>(
      [256, 512, 67], [64, 256, 512], ['nvfp4', 'mxfp8'], [false, true])) {
      if (global && mode !== 'nvfp4') continue;
      mx.tidy(() => {
        const x = normal([1, N], k1);
        const gx = global ? mx.max(mx.abs(x)) : null;
        const xHat = qdq(x, mode, gx);
        const w = normal([M, N], k2);
        const gw = global ? mx.max(mx.abs(w)) : null;
        const [wq, scales] = quant(w, { mode, globalScale: gw });
        const wHat = mx.dequantize(wq, scales, null, { mode, globalScale: gw, dtype: mx.float32 });
        const yq = mx.qqmm(x, wq, scales, { mode, globalScaleX: gx, globalScaleW: gw });
        const yHat = mx.matmul(xHat, mx.swapaxes(wHat, -1, -2));
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat), JSON.stringify({ M, N, mode, global })).toBeLessThan(1e-3);
      });
    }
  }));

  // MLX skips this on the CPU ("Not implemented for CPU": its CPU path is the M = 1 case);
  // mlxjs's kernel runs every M, so the test runs here with MLX's CPU tolerance.
  it('test_qqmm', run(() => {
    const tol = 1e-3;
    const [k1, k2] = keys(0);
    for (const [M, N, K, mode] of product<[number, number, number, Mode]>(
      [8, 32, 33, 64], [128, 256], [128, 256], ['nvfp4', 'mxfp8'])) {
      mx.tidy(() => {
        const x = normal([M, K], k1);
        const gx = mode === 'nvfp4' ? mx.max(mx.abs(x)) : null;
        const xHat = qdq(x, mode, gx);
        const w = normal([N, K], k2);
        const gw = mode === 'nvfp4' ? mx.max(mx.abs(w)) : null;
        const [wq, scales] = quant(w, { mode, globalScale: gw });
        const wHat = mx.dequantize(wq, scales, null, { mode, globalScale: gw, dtype: mx.float32 });
        const yq = mx.qqmm(x, wq, scales, { mode, globalScaleX: gx, globalScaleW: gw });
        const yHat = mx.matmul(xHat, mx.swapaxes(wHat, -1, -2));
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat), JSON.stringify({ M, N, K, mode })).toBeLessThan(tol);
      });
    }
  }));

  // MLX: "Global scale is only supported on Metal backend"; mlxjs's CPU kernel has it.
  it('test_qqmm_global_scale_matrix_kernels', run(() => {
    mx.random.seed(0);
    const dtype = mx.bfloat16;
    for (const [M, N, K] of product<[number, number, number]>([32, 64], [128, 130], [96, 128])) {
      mx.tidy(() => {
        const x = normal([M, K]).astype(dtype);
        const w = normal([N, K]).astype(dtype);
        const gx = mx.max(mx.abs(x)).astype(mx.float32);
        const gw = mx.max(mx.abs(w)).astype(mx.float32);
        const xHat = qdq(x, 'nvfp4', gx, dtype);
        const [wq, scales] = quant(w, { mode: 'nvfp4', globalScale: gw });
        const wHat = mx.dequantize(wq, scales, null, { mode: 'nvfp4', dtype, globalScale: gw });
        const expected = mx.matmul(xHat, mx.swapaxes(wHat, -1, -2));
        const actual = mx.qqmm(x, wq, scales, { mode: 'nvfp4', globalScaleX: gx, globalScaleW: gw });
        const delta = maxDiff(actual, expected);
        const rel = delta / Math.max(maxAbs(expected), 1e-20);
        expect(rel, JSON.stringify({ M, N, K })).toBeLessThan(3e-2);
      });
    }
  }));

  it('test_qmm', run(() => {
    const [k1, k2] = keys(0);
    const tests = product<[number, number, number, number, number, boolean]>(
      [128, 64, 32], [2, 4, 8], [8, 32, 33, 64], [128, 256], [128, 256], [true, false]); // MLX: bits 1 too
    for (const [gs, bits, M, N, K, transposed] of tests) {
      mx.tidy(() => {
        const x = mx.divide(normal([M, K], k1), K ** 0.5);
        const w = mx.divide(normal(transposed ? [N, K] : [K, N], k2), K ** 0.5);
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: transposed, groupSize: gs, bits });
        const yHat = transposed ? mx.matmul(x, wHat.T) : mx.matmul(x, wHat);
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat), JSON.stringify({ gs, bits, M, N, K, transposed })).toBeLessThan(1e-3);
      });
    }
  }));

  it('test_qmm_large_dims', run(() => {
    const [k1, k2] = keys(0);
    const gs = 64, bits = 4, K = 128;
    for (const [M, N] of [[16, 32840], [32, 32840], [33, 32840], [33000, 64]] as const) {
      mx.tidy(() => {
        const x = mx.divide(normal([M, K], k1), K ** 0.5);
        const w = mx.divide(normal([N, K], k2), K ** 0.5);
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits });
        const yHat = mx.matmul(x, wHat.T);
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat)).toBeLessThan(1e-3);
      });
    }
  }));

  // MLX skips it when CI is set ("too slow in CI"); here it runs only when asked for, as the
  // wasm backend takes minutes over its transformer-sized shapes.
  it.runIf(env['MLXJS_SLOW_TESTS'] !== undefined && env['CI'] === undefined)('test_qmm_non_transposed', run(() => {
    const [k1, k2] = keys(0);
    const checkAffine = (M: number, K: number, N: number, gs: number, bits: number, batch: number[] = []): void => {
      mx.tidy(() => {
        const x = mx.divide(normal([...batch, M, K], k1), K ** 0.5);
        const w = mx.divide(normal([K, N], k2), K ** 0.5);
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
        expect(maxDiff(yq, mx.matmul(x, wHat))).toBeLessThan(1e-3);
      });
    };
    const checkFp = (M: number, K: number, N: number, mode: Mode, batch: number[] = []): void => {
      mx.tidy(() => {
        const x = mx.divide(normal([...batch, M, K], k1), K ** 0.5);
        const w = mx.divide(normal([K, N], k2), K ** 0.5);
        const [wq, s] = quant(w, { mode });
        const wHat = mx.dequantize(wq, s, null, { mode });
        const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: false, mode });
        expect(maxDiff(yq, mx.matmul(x, wHat))).toBeLessThan(1e-3);
      });
    };
    for (const M of [1, 2, 31, 32, 33, 63, 64, 65, 96, 97, 100, 127, 128, 129]) {
      for (const [gs, bits] of [[64, 4], [128, 4], [64, 8]] as const) checkAffine(M, 512, 1024, gs, bits);
      for (const mode of FP_MODES) checkFp(M, 512, 1024, mode);
    }
    for (const [K, N] of [[2048, 2048], [512, 2048], [2048, 512], [11008, 2048]] as const) {
      for (const M of [100, 256]) checkAffine(M, K, N, 64, 4);
      for (const mode of FP_MODES) checkFp(256, 512, 1024, mode);
    }
    for (const batch of [[2], [2, 3]]) {
      for (const M of [33, 250]) checkAffine(M, 512, 1024, 64, 4, batch);
      for (const mode of FP_MODES) checkFp(250, 512, 1024, mode, batch);
    }
    checkAffine(33000, 128, 64, 64, 4);
    checkFp(33000, 128, 64, 'mxfp8');
    for (const M of [8, 33, 65]) {
      for (const K of [64, 128, 256]) {
        for (const bits of [2, 4, 8]) checkAffine(M, K, 128, 32, bits);
        for (const mode of FP_MODES) checkFp(M, K, 128, mode);
      }
    }
  }));

  it.skip('test_qmm_small_m_block (MLX: "Covers GPU kernels only")', () => {});

  it('test_qmm_vjp', run(() => {
    const [k1, k2] = keys(0);
    const bits = 8, gs = 64, M = 64, N = 1024, K = 512;
    const x = normal([2, M, K], k1);
    const c = mx.ones([2, M, N]);
    for (const transposed of [true, false]) {
      const w = normal(transposed ? [N, K] : [K, N], k2);
      const [wq, s, b] = quant(w, { groupSize: gs, bits });
      const fn = (xx: mx.Array): mx.Array => mx.quantizedMatmul(xx, wq, s, b, { transpose: transposed, groupSize: gs, bits });
      const [, vjpOut] = mx.vjp(fn, [x], [c]);
      const expected = mx.quantizedMatmul(c, wq, s, b, { transpose: !transposed, groupSize: gs, bits });
      expect(allclose(vjpOut[0]!, expected)).toBe(true);
    }
  }));

  it('test_qmm_jvp', run(() => {
    const [k1, k2] = keys(0);
    const bits = 8, gs = 64, M = 64, N = 128, K = 128;
    const x = normal([2, M, K], k1);
    const xTan = mx.ones([2, M, N]);
    for (const transposed of [true, false]) {
      const w = normal(transposed ? [N, K] : [K, N], k2);
      const [wq, s, b] = quant(w, { groupSize: gs, bits });
      const fn = (xx: mx.Array): mx.Array => mx.quantizedMatmul(xx, wq, s, b, { transpose: transposed, groupSize: gs, bits });
      const [, jvpOut] = mx.jvp(fn, [x], [xTan]);
      const expected = mx.quantizedMatmul(xTan, wq, s, b, { transpose: transposed, groupSize: gs, bits });
      expect(allclose(jvpOut[0]!, expected)).toBe(true);
    }
  }));

  it('test_qmm_shapes', run(() => {
    const [k1, k2] = keys(0);
    const gs = 64, bits = 4, tol = 1e-3;
    let w = normal([32, 256], k2);
    let [wq, s, b] = quant(w, { groupSize: gs, bits });
    let wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
    for (const shape of [[3, 256], [2, 1, 7, 256]]) {
      const x = normal(shape, k1);
      const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits });
      const yHat = mx.matmul(x, wHat.T);
      expect(yq.shape).toEqual(yHat.shape);
      expect(maxDiff(yq, yHat)).toBeLessThan(tol);
    }
    w = normal([256, 256], k2);
    [wq, s, b] = quant(w, { groupSize: gs, bits });
    wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
    for (const shape of [[3, 256], [2, 1, 7, 256]]) {
      const x = normal(shape, k1);
      const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
      const yHat = mx.matmul(x, wHat);
      expect(yq.shape).toEqual(yHat.shape);
      expect(maxDiff(yq, yHat)).toBeLessThan(tol);
    }
  }));

  it('test_qmv', run(() => {
    const [k1, k2] = keys(0);
    for (const [gs, bits, M, N, B] of product<[number, number, number, number, number]>(
      [128, 64, 32], [2, 3, 4, 5, 6, 8], [256, 512, 67], [64, 256], [0, 1, 3, 8])) {
      if (gs > N) continue;
      mx.tidy(() => {
        const x = mx.divide(normal(B === 0 ? [3, 1, N] : [B, 1, N], k1), N ** 0.5);
        const w = mx.divide(normal(B === 0 ? [M, N] : [B, M, N], k2), N ** 0.5);
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits });
        const yHat = mx.matmul(x, mx.swapaxes(wHat, -1, -2));
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat)).toBeLessThan(1e-3);
      });
    }
  }));

  it.skip('test_qmv_affine_bias_sum_precision (MLX: "requires Metal")', () => {});
  it.skip('test_qmv_fast_unaligned_n (MLX: "requires Metal")', () => {});
  it.skip('test_fp_qmv_fast_unaligned_n (MLX: "requires Metal")', () => {});
  it.skip('test_fp_qmv_fast_unaligned_n_global_scale (MLX: "requires Metal")', () => {});

  it('test_fp_qmv', run(() => {
    const [k1, k2] = keys(0);
    const tol = 1e-3;
    for (const [M, N, B] of product<[number, number, number]>([256, 512, 67, 5, 7], [64, 256], [0, 1, 3, 8])) {
      for (const mode of FP_MODES) {
        mx.tidy(() => {
          const x = normal(B === 0 ? [3, 1, N] : [B, 1, N], k1);
          const w = normal(B === 0 ? [M, N] : [B, M, N], k2);
          const [wq, s] = quant(w, { mode });
          const wHat = mx.dequantize(wq, s, null, { mode });
          const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: true, mode });
          const yHat = mx.matmul(x, mx.swapaxes(wHat, -1, -2));
          expect(yq.shape).toEqual(yHat.shape);
          expect(maxDiff(yq, yHat), JSON.stringify({ M, N, B, mode })).toBeLessThan(tol);
        });
      }
    }
    // a multiple of 16 but not of 32
    const x = normal([1, 48], k1);
    const w = normal([128, 48], k2);
    const [wq, s] = quant(w, { mode: 'nvfp4' });
    const wHat = mx.dequantize(wq, s, null, { mode: 'nvfp4' });
    const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: true, mode: 'nvfp4' });
    expect(maxDiff(yq, mx.matmul(x, mx.swapaxes(wHat, -1, -2)))).toBeLessThan(tol);
  }));

  it('test_fp_qmv_large_output', run(() => {
    const [k1, k2] = keys(0);
    const K = 512, N = 4096;
    for (const B of [1, 2]) {
      mx.tidy(() => {
        const x = mx.divide(normal(B === 1 ? [1, K] : [B, 1, K], k1), K ** 0.5);
        const w = normal(B === 1 ? [N, K] : [B, N, K], k2);
        const [wq, s] = quant(w, { mode: 'nvfp4' });
        const wHat = mx.dequantize(wq, s, null, { mode: 'nvfp4', dtype: mx.float32 });
        const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: true, mode: 'nvfp4' });
        const yHat = mx.matmul(x, mx.swapaxes(wHat, -1, -2));
        expect(yq.shape).toEqual(yHat.shape);
        expect(allclose(yq, yHat, 1e-3, 1e-3)).toBe(true);
      });
    }
  }));

  it('test_qmv_wide', run(() => {
    const tol = 1e-3;
    const [k1, k2] = keys(0);
    const Ms = [2, 3, 4, 5, 6, 7, 9], Ns = [256, 67], Bs = [1, 3];
    for (const [gs, bits, K] of product<[number, number, number]>([32, 64, 128], [2, 3, 4, 5, 6, 8], [128, 512])) {
      for (const [M, N, B] of product<[number, number, number]>(Ms, Ns, Bs)) {
        mx.tidy(() => {
          const x = normal(B === 1 ? [M, K] : [B, M, K], k1);
          const w = normal(B === 1 ? [N, K] : [B, N, K], k2);
          const [wq, s, b] = quant(w, { groupSize: gs, bits });
          const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
          const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits });
          expect(maxDiff(yq, mx.matmul(x, mx.swapaxes(wHat, -1, -2)))).toBeLessThan(tol);
        });
      }
    }
    for (const [mode, K] of product<[Mode, number]>(FP_MODES, [128, 512])) {
      for (const [M, N, B] of product<[number, number, number]>(Ms, Ns, Bs)) {
        mx.tidy(() => {
          const x = normal(B === 1 ? [M, K] : [B, M, K], k1);
          const w = normal(B === 1 ? [N, K] : [B, N, K], k2);
          const [wq, s] = quant(w, { mode });
          const wHat = mx.dequantize(wq, s, null, { mode });
          const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: true, mode });
          expect(maxDiff(yq, mx.matmul(x, mx.swapaxes(wHat, -1, -2)))).toBeLessThan(tol);
        });
      }
    }
    const tiny = [[2, 32, 10], [4, 32, 7], [3, 64, 5], [5, 64, 3]];
    const settings: [number, number, Mode][] = [[4, 32, 'affine'], [6, 32, 'affine'], [4, 16, 'nvfp4']];
    for (const [M, K, N] of tiny) {
      for (const [bits, gs, mode] of settings) {
        mx.tidy(() => {
          const x = normal([M!, K!], k1);
          const w = normal([N!, K!], k2);
          const [wq, s, b] = quant(w, { groupSize: gs, bits, mode });
          const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits, mode });
          const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits, mode });
          expect(maxDiff(yq, mx.matmul(x, mx.swapaxes(wHat, -1, -2)))).toBeLessThan(tol);
        });
      }
    }
  }));

  it('test_qvm', run(() => {
    const [k1, k2] = keys(0);
    for (const [gs, bits, M, N, B] of product<[number, number, number, number, number]>(
      [128, 64, 32], [2, 3, 4, 5, 6, 8], [32, 128, 256], [128, 256, 67], [0, 1, 3, 8])) {
      if (M < gs) continue;
      mx.tidy(() => {
        const x = normal(B === 0 ? [1, N] : [B, 1, N], k1);
        const w = normal(B === 0 ? [N, M] : [B, N, M], k2);
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
        const yHat = mx.matmul(x, wHat);
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat)).toBeLessThan(1e-3);
      });
    }
  }));

  it('test_qvm_splitk', run(() => {
    const [k1, k2] = keys(0);
    for (const [gs, bits, M, N, B] of product<[number, number, number, number, number]>(
      [128, 64, 32], [2, 4, 8], [128], [16384], [1, 3])) {
      mx.tidy(() => {
        const x = mx.multiply(1e-1, normal(B === 0 ? [1, N] : [B, 1, N], k1));
        const w = mx.multiply(1e-1, normal(B === 0 ? [N, M] : [B, N, M], k2));
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
        expect(maxDiff(yq, mx.matmul(x, wHat))).toBeLessThan(2e-3);
      });
    }
    // a 1-D x
    const gs = 32, bits = 8, N = 2048;
    const x = mx.multiply(1e-1, normal([N], k1));
    const w = mx.multiply(1e-1, normal([N, N], k2));
    const [wq, s, b] = quant(w, { groupSize: gs, bits });
    const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
    const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
    const yHat = mx.matmul(x, wHat);
    expect(yq.shape).toEqual(yHat.shape);
    expect(maxDiff(yq, yHat)).toBeLessThan(2e-3);
  }));

  it('test_qvm_splitk_multi_row', run(() => {
    const [k1, k2] = keys(0);
    for (const [gs, bits, N, K, M] of product<[number, number, number, number, number]>([64, 32], [4, 8], [128], [2048, 4096], [2, 3])) {
      mx.tidy(() => {
        const x = mx.multiply(1e-1, normal([M, K], k1));
        const w = mx.multiply(1e-1, normal([K, N], k2));
        const [wq, s, b] = quant(w, { groupSize: gs, bits });
        const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: false, groupSize: gs, bits });
        expect(maxDiff(yq, mx.matmul(x, wHat))).toBeLessThan(2e-3);
      });
    }
  }));

  it('test_fp_qvm', run(() => {
    const [k1, k2] = keys(0);
    const tests = product<[number, number, number]>([32, 128, 256], [128, 256, 67], [0, 1, 3, 8]);
    tests.push([128, 16384, 0]);
    for (const [M, N, B] of tests) {
      for (const mode of FP_MODES) {
        mx.tidy(() => {
          const x = normal(B === 0 ? [1, N] : [B, 1, N], k1);
          const w = normal(B === 0 ? [N, M] : [B, N, M], k2);
          const [wq, s] = quant(w, { mode });
          const wHat = mx.dequantize(wq, s, null, { mode });
          const yq = mx.quantizedMatmul(x, wq, s, null, { transpose: false, mode });
          const yHat = mx.matmul(x, wHat);
          expect(yq.shape).toEqual(yHat.shape);
          expect(maxDiff(yq, yHat), JSON.stringify({ M, N, B, mode })).toBeLessThan(2e-3);
        });
      }
    }
  }));

  it('test_fp_qmm_non_multiple_of_32', run(() => {
    const [k1, k2] = keys(0);
    const check = (M: number, K: number, N: number, transpose: boolean, mode: Mode): void => {
      mx.tidy(() => {
        const x = mx.divide(normal([M, K], k1), K ** 0.5);
        const w = normal(transpose ? [N, K] : [K, N], k2);
        const [wq, s] = quant(w, { mode });
        const wHat = mx.dequantize(wq, s, null, { mode });
        const yq = mx.quantizedMatmul(x, wq, s, null, { transpose, mode });
        const yq2 = mx.quantizedMatmul(x, wq, s, null, { transpose, mode });
        const yHat = mx.matmul(x, transpose ? mx.swapaxes(wHat, -1, -2) : wHat);
        expect(yq.shape).toEqual(yHat.shape);
        expect(mx.arrayEqual(yq, yq2).item()).toBe(true);
        expect(maxDiff(yq, yHat)).toBeLessThan(2e-3);
      });
    };
    for (const [M, K, N, t] of [[50, 1040, 128, true], [33, 528, 64, true], [50, 512, 1040, false], [50, 1040, 1040, false],
      [50, 16, 128, true]] as const) check(M, K, N, t, 'nvfp4');
    for (const mode of ['mxfp4', 'mxfp8'] as Mode[]) {
      for (const [M, K, N, t] of [[50, 1056, 128, true], [50, 512, 1056, false]] as const) check(M, K, N, t, mode);
    }
  }));

  it('test_fp_qmm_non_multiple_of_32_vjp', run(() => {
    const [k1, k2, k3] = keys(0, 3);
    const M = 50, K = 1040, N = 128;
    for (const transpose of [true, false]) {
      mx.tidy(() => {
        const x = mx.divide(normal([M, K], k1), K ** 0.5);
        const w = normal(transpose ? [N, K] : [K, N], k2);
        const [wq, s] = quant(w, { mode: 'nvfp4' });
        const wHat = mx.dequantize(wq, s, null, { mode: 'nvfp4' });
        const cot = mx.divide(normal([M, N], k3), N ** 0.5);
        const [[out], [grad]] = mx.vjp((xx) => mx.quantizedMatmul(xx, wq, s, null, { transpose, mode: 'nvfp4' }), [x], [cot]);
        const outHat = mx.matmul(x, transpose ? mx.swapaxes(wHat, -1, -2) : wHat);
        expect(maxDiff(out!, outHat)).toBeLessThan(2e-3);
        const gradHat = mx.matmul(cot, transpose ? wHat : mx.swapaxes(wHat, -1, -2));
        expect(grad!.shape).toEqual(gradHat.shape);
        expect(maxDiff(grad!, gradHat)).toBeLessThan(2e-3);
      });
    }
  }));

  it('test_fp_gather_qmm_non_multiple_of_32', run(() => {
    const [k1, k2, k3] = keys(0, 3);
    const E = 4;
    const check = (K: number, N: number, transpose: boolean, sortedIndices: boolean): void => {
      mx.tidy(() => {
        const w = normal(transpose ? [E, N, K] : [E, K, N], k2);
        const [wq, s] = quant(w, { mode: 'nvfp4' });
        const wHat = mx.dequantize(wq, s, null, { mode: 'nvfp4' });
        let x: mx.Array, rhs: mx.Array, lhs: mx.Array | null;
        if (sortedIndices) {
          const T = 64;
          x = mx.divide(normal([T, 1, K], k1), K ** 0.5);
          rhs = mx.sort(mx.random.randint(0, E, [T], mx.int32, k3)).astype(mx.uint32);
          lhs = null;
        } else {
          const B = 8, M = 50;
          x = mx.divide(normal([B, M, K], k1), K ** 0.5);
          rhs = mx.random.randint(0, E, [B], mx.int32, k3).astype(mx.uint32);
          lhs = mx.arange(B, mx.uint32);
        }
        const yq = mx.gatherQmm(x, wq, s, null, { lhsIndices: lhs, rhsIndices: rhs, transpose, mode: 'nvfp4', sortedIndices });
        const wSel = mx.take(wHat, rhs, 0);
        const yHat = mx.matmul(x, transpose ? mx.swapaxes(wSel, -1, -2) : wSel);
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat)).toBeLessThan(2e-3);
      });
    };
    for (const [K, N, t] of [[1040, 128, true], [512, 1040, false]] as const) {
      for (const sortedIndices of [true, false]) check(K, N, t, sortedIndices);
    }
  }));

  it('test_mode_error_cases', run(() => {
    const w = normal([256, 256]);
    let x = normal([1, 256]);
    expect(() => mx.quantize(w, { mode: 'xyz' as Mode })).toThrow(/Invalid quantization mode/);
    const [wq, s0, b0] = quant(w, { bits: 4, groupSize: 32 });
    expect(() => mx.dequantize(wq, s0, b0, { bits: 4, groupSize: 32, mode: 'xyz' as Mode })).toThrow(/\[dequantize\]/);
    expect(() => mx.quantizedMatmul(x, wq, s0, b0, { bits: 4, groupSize: 32, mode: 'xyz' as Mode })).toThrow(/\[quantized_matmul\]/);
    const rhsIndices = mx.array(0);
    expect(() => mx.gatherQmm(x, wq, s0, b0, { rhsIndices, bits: 4, groupSize: 32, mode: 'xyz' as Mode })).toThrow(/\[gather_qmm\]/);
    expect(() => mx.quantize(mx.zeros([128, 128], mx.int32))).toThrow(/Only real floating types can be quantized/);
    expect(() => mx.quantize(mx.zeros([128, 128], mx.int32), { mode: 'mxfp4' })).toThrow(/Only real floating types can be quantized/);
    expect(() => mx.dequantize(wq, s0, null, { bits: 4, groupSize: 32 })).toThrow(/Biases must be provided for affine quantization/);
    expect(() => mx.quantizedMatmul(x, wq, s0, null, { bits: 4, groupSize: 32 })).toThrow(/Biases must be provided/);
    expect(() => mx.gatherQmm(x, wq, s0, null, { rhsIndices, bits: 4, groupSize: 32 })).toThrow(/\[gather_qmm\] Biases must be provided/);
    x = mx.zeros([256], mx.int32);
    const scales = mx.zeros(s0.shape, mx.int32);
    const biases = mx.zeros(s0.shape, mx.int32);
    expect(() => mx.dequantize(wq, scales, biases, { bits: 4, groupSize: 32 })).toThrow(/Only real floating types/);
    expect(() => mx.quantizedMatmul(x, wq, scales, biases, { bits: 4, groupSize: 32 })).toThrow(/Only real floating types/);
    expect(() => mx.gatherQmm(x, wq, scales, biases, { rhsIndices, bits: 4, groupSize: 32 })).toThrow(/Only real floating types/);
  }));

  it('test_throw', run(() => {
    const x = normal([10, 512]);
    const w = normal([32, 512]);
    const [wq, s, b] = quant(w);
    expect(() => mx.quantizedMatmul(x, wq.T, s, b!)).toThrow(/\[quantized_matmul\]/);
    expect(() => mx.quantizedMatmul(x, wq.T, s.T, b!)).toThrow(/\[quantized_matmul\]/);
    expect(() => mx.quantizedMatmul(x, wq, s, b!, { transpose: false })).toThrow(/\[quantized_matmul\]/);
    expect(() => mx.quantizedMatmul(x, wq, s.T, b!.T)).toThrow(/\[quantized_matmul\]/);
    mx.eval(mx.quantizedMatmul(x, wq, s, b!, { transpose: true }));
  }));

  it('test_small_matrix', run(() => {
    const tol = 1e-3;
    for (const wShape of [[8, 256], [1, 8, 256], [3, 8, 256]]) {
      mx.tidy(() => {
        const w = normal(wShape);
        const [wq, s, b] = quant(w);
        const wHat = mx.dequantize(wq, s, b);
        const check = (xShape: number[], transpose: boolean): void => {
          const x = normal(xShape);
          const yq = mx.quantizedMatmul(x, wq, s, b, { transpose });
          const yHat = mx.matmul(x, transpose ? mx.swapaxes(wHat, -1, -2) : wHat);
          expect(yq.shape).toEqual(yHat.shape);
          expect(maxDiff(yq, yHat)).toBeLessThan(tol);
        };
        check([3, 1, 256], true);
        check([3, 4, 256], true);
        check([3, 10, 256], true);
        check([3, 1, 8], false);
        check([3, 10, 8], false);
      });
    }
  }));

  it('test_non_multiples', run(() => {
    const tol = 1e-3;
    const check = (wShape: number[], cases: [number[], boolean][]): void => {
      mx.tidy(() => {
        const w = normal(wShape);
        const [wq, s, b] = quant(w);
        const wHat = mx.dequantize(wq, s, b);
        for (const [xShape, transpose] of cases) {
          const x = normal(xShape);
          const yq = mx.quantizedMatmul(x, wq, s, b, { transpose });
          const yHat = mx.matmul(x, transpose ? wHat.T : wHat);
          expect(yq.shape).toEqual(yHat.shape);
          expect(maxDiff(yq, yHat)).toBeLessThan(tol);
        }
      });
    };
    check([33, 256], [[[1, 256], true], [[10, 256], true], [[1, 33], false], [[10, 33], false]]);
    check([3, 256], [[[1, 256], true], [[10, 256], true], [[1, 3], false], [[10, 3], false]]);
    check([99, 256], [[[129, 256], true]]);
  }));

  it('test_qmv_small_non_multiples', run(() => {
    const cases = [[1, 32, 3], [2, 32, 10], [1, 32, 5], [4, 32, 7]];
    const settings: [number, number, Mode][] = [[4, 32, 'affine'], [6, 32, 'affine'], [4, 16, 'nvfp4']];
    for (const [M, K, N] of cases) {
      for (const [bits, gs, mode] of settings) {
        mx.tidy(() => {
          const w = normal([N!, K!]);
          const [wq, s, b] = quant(w, { groupSize: gs, bits, mode });
          const wHat = mx.dequantize(wq, s, b, { groupSize: gs, bits, mode });
          const x = normal([M!, K!]);
          const yq = mx.quantizedMatmul(x, wq, s, b, { transpose: true, groupSize: gs, bits, mode });
          const yHat = mx.matmul(x, mx.swapaxes(wHat, -1, -2));
          expect(yq.shape).toEqual(yHat.shape);
          expect(maxDiff(yq, yHat)).toBeLessThan(1e-3);
        });
      }
    }
  }));

  it('test_gather_qmm', run(() => {
    interface Shape {
      batchA: number[]; batchB: number[]; lhs: number[] | number[][] | null; rhs: number[] | number[][] | null;
      transpose?: boolean; mode?: Mode; noncontiguousX?: boolean; rtol?: number; atol?: number;
    }
    const testShape = (M: number, N: number, K: number, o: Shape): void => {
      mx.tidy(() => {
        const mode = o.mode ?? 'affine';
        const transpose = o.transpose ?? true;
        let x = normal([...o.batchA, M, K]);
        const w = normal([...o.batchB, ...(transpose ? [N, K] : [K, N])]);
        const [wq, s, b] = quant(w, { mode });
        let wHat = mx.dequantize(wq, s, b, { mode });
        if (transpose) wHat = mx.swapaxes(wHat, -1, -2);
        if (o.noncontiguousX) x = sliceAxis(mx.concatenate([x, x], -1), -1, 0, K);
        const lhs = o.lhs === null ? null : mx.array(o.lhs, mx.int32);
        const rhs = o.rhs === null ? null : mx.array(o.rhs, mx.int32);
        const c1 = gatherMm(x, wHat, lhs, rhs);
        const c2 = mx.gatherQmm(x, wq, s, b, { lhsIndices: lhs, rhsIndices: rhs, transpose, mode });
        expect(c2.shape).toEqual(c1.shape);
        expect(allclose(c1, c2, o.rtol ?? 1e-5, o.atol ?? 1e-4), JSON.stringify({ M, N, K, ...o })).toBe(true);
      });
    };
    const inputs: Shape[] = [
      { batchA: [1], lhs: [0], batchB: [3], rhs: [2, 1] },
      { batchA: [1], lhs: null, batchB: [3], rhs: [2, 1] },
      { batchA: [2], lhs: null, batchB: [3], rhs: [2, 1] },
      { batchA: [3], lhs: [0, 2], batchB: [1], rhs: [0] },
      { batchA: [5], lhs: [0, 2], batchB: [3], rhs: [2, 1] },
      { batchA: [4, 2], lhs: [[7, 6], [5, 4], [1, 2]], batchB: [4, 1], rhs: [[2], [0], [1]] },
      { batchA: [1], lhs: [0], batchB: [3], rhs: [2, 1], mode: 'nvfp4' },
      { batchA: [1], lhs: [0], batchB: [3], rhs: [2, 1], mode: 'mxfp4' },
      { batchA: [1], lhs: [0], batchB: [3], rhs: [2, 1], mode: 'mxfp8' },
    ];
    for (const o of inputs) {
      testShape(1, 32, 128, o);
      testShape(32, 32, 256, o);
      testShape(1, 32, 256, o);
      testShape(32, 256, 32, { ...o, transpose: false });
      testShape(1, 256, 32, { ...o, transpose: false });
      testShape(32, 32, 512, o);
      testShape(1, 32, 512, o);
      testShape(32, 512, 32, { ...o, transpose: false });
      testShape(1, 512, 32, { ...o, transpose: false });
    }
    // On the CPU MLX runs these in float32 (its bf16/f16 are for the GPU).
    const bf16 = { rtol: 1e-2, atol: 1e-2 }, f16 = { rtol: 1e-3, atol: 1e-3 };
    const nine = [2, 1, 0, 2, 1, 0, 2, 1, 0];
    testShape(1, 32, 1024, { batchA: [1], batchB: [3], lhs: [0], rhs: nine, mode: 'nvfp4', ...bf16 });
    testShape(1, 33, 1024, { batchA: [2, 2], batchB: [2], lhs: [[0], [3]], rhs: [[1, 0, 1]], mode: 'nvfp4', noncontiguousX: true, ...f16 });
    testShape(1, 32, 1056, { batchA: [1], batchB: [3], lhs: [0], rhs: nine, mode: 'nvfp4' });
    for (const mode of ['mxfp4', 'mxfp8'] as Mode[]) {
      testShape(1, 33, 1024, { batchA: [1], batchB: [3], lhs: [0], rhs: nine, mode, ...bf16 });
    }
    for (const mode of FP_MODES) {
      for (const [K, tol] of [[448, 1e-1], [512, 1e-2], [704, 1e-2]] as const) {
        testShape(1, 33, K, { batchA: [1], batchB: [3], lhs: [0], rhs: nine, mode, rtol: tol, atol: tol });
      }
    }
  }));

  it.skip('test_gather_qqmm (MLX: "Not implemented for CPU")', () => {});
  it.skip('test_gather_qqmm_global_scale_matrix_paths (MLX: "Not implemented for CPU")', () => {});

  it('test_qmm_fp_type', run(() => {
    const indices = mx.array([[2], [0], [1]], mx.uint32);
    for (const mode of ['mxfp8', 'mxfp4'] as Mode[]) {
      for (const t of [mx.bfloat16, mx.float16, mx.float32]) {
        mx.tidy(() => {
          const x = normal([32, 256]).astype(t);
          let [wq, s] = quant(normal([32, 256]), { mode });
          expect(mx.quantizedMatmul(x, wq, s, null, { mode }).dtype).toBe(t);
          [wq, s] = quant(normal([4, 32, 256]), { mode });
          expect(mx.gatherQmm(x, wq, s, null, { rhsIndices: indices, mode }).dtype).toBe(t);
        });
      }
    }
  }));

  it('test_gather_matmul_grad', run(() => {
    const lhsIndices = mx.array([[7, 6], [4, 1], [0, 2]], mx.uint32);
    const rhsIndices = mx.array([[2], [0], [1]], mx.uint32);
    const x = normal([4, 2, 32, 256]);
    const w = normal([4, 1, 32, 256]);
    const [qw, s, b] = quant(w, { groupSize: 64, bits: 4 });
    const wHat = mx.swapaxes(mx.dequantize(qw, s, b, { groupSize: 64, bits: 4 }), -1, -2);
    const fRef = (xx: mx.Array): mx.Array => mx.sum(gatherMm(xx, wHat, lhsIndices, rhsIndices));
    const fTest = (xx: mx.Array): mx.Array => mx.sum(mx.gatherQmm(xx, qw, s, b, { lhsIndices, rhsIndices, transpose: true }));
    expect(allclose(fRef(x), fTest(x), 1e-5, 1e-4)).toBe(true);
    const g1 = mx.grad(fRef)(x) as mx.Array;
    const g2 = mx.grad(fTest)(x) as mx.Array;
    expect(allclose(g1, g2, 1e-5, 1e-4)).toBe(true);
  }));

  it('test_gather_qmm_matrix_path', run(() => {
    const [k1, k2] = keys(0);
    const E = 4, M = 64, N = 512, K = 512;
    const lhsIndices = mx.array([0, 1, 2], mx.uint32);
    const rhs = [0, 2, 3];
    const rhsIndices = mx.array(rhs, mx.uint32);
    for (const mode of ['affine', 'mxfp4'] as Mode[]) {
      mx.tidy(() => {
        const x = mx.divide(normal([3, M, K], k1), K ** 0.5);
        const w = normal([E, N, K], k2);
        const [wq, s, b] = quant(w, { mode });
        const wHat = mx.dequantize(wq, s, b, { mode });
        const yq = mx.gatherQmm(x, wq, s, b, { lhsIndices, rhsIndices, transpose: true, mode });
        const yHat = mx.stack([0, 1, 2].map((i) => mx.matmul(mx.take(x, i, 0), mx.take(wHat, rhs[i]!, 0).astype(mx.float32).T)));
        expect(yq.shape).toEqual(yHat.shape);
        expect(maxDiff(yq, yHat)).toBeLessThan(1e-1);
      });
    }
  }));

  // One test per parameter set (MLX loops inside one test): each stays short, so a slow
  // backend never blocks vitest's worker long enough to time out its progress messages.
  const gatherSortedParameters: [number, number, number, number, number, boolean, Mode][] = [
      [32, 512, 512, 4, 2, true, 'affine'], [32, 512, 544, 4, 2, true, 'mxfp4'], [32, 512, 544, 4, 2, true, 'nvfp4'],
      [32, 512, 544, 4, 2, true, 'mxfp8'], [39, 512, 512, 4, 2, true, 'affine'], [128, 512, 512, 4, 2, true, 'affine'],
      [133, 512, 512, 4, 2, true, 'affine'], [133, 512, 555, 4, 2, true, 'affine'], [133, 512, 512, 4, 2, true, 'affine'],
      [64, 512, 512, 4, 2, false, 'affine'], [64, 512, 544, 4, 2, false, 'mxfp4'], [64, 512, 544, 4, 2, false, 'nvfp4'],
      [64, 512, 544, 4, 2, false, 'mxfp8'], [133, 512, 512, 4, 2, false, 'affine'], [133, 512, 544, 4, 2, false, 'affine'],
      [133, 512, 555, 4, 2, false, 'affine'], [64, 512, 512, 4, 2, false, 'affine'],
  ];
  gatherSortedParameters.forEach(([L, K0, D0, E, I, transpose, mode], case_) => {
    it(`test_gather_qmm_sorted #${case_} (L=${L}, K=${K0}, D=${D0}, transpose=${transpose}, ${mode})`, run(() => {
      const [k1, k2, k3] = keys(0, 3);
      {
        const groupSize = mode === 'affine' ? 64 : undefined;
        const [K, D] = transpose ? [K0, D0] : [D0, K0];
        const indices = mx.multiply(mx.random.uniform({ shape: [L, I], key: k1 }), E).astype(mx.uint32);
        const x = mx.divide(normal([L, 1, 1, K], k2), K ** 0.5);
        const w = mx.divide(normal(transpose ? [E, D, K] : [E, K, D], k3), K ** 0.5);
        const [wq, s, b] = quant(w, { groupSize, mode });
        let wHat = mx.dequantize(wq, s, b, { groupSize, mode });
        if (transpose) wHat = mx.swapaxes(wHat, -1, -2);
        const y1 = gatherMm(x, wHat, null, indices);
        const y2 = mx.gatherQmm(x, wq, s, b, { groupSize, mode, transpose, rhsIndices: indices });
        // gather_sort: x rows in index order, the sorted indices, and the inverse order
        const flat = mx.flatten(indices);
        const order = mx.argsort(flat);
        const inv = mx.argsort(order);
        const xs = mx.take(mx.flatten(x, 0, -3), mx.floorDivide(order, I), 0);
        const idx = mx.take(flat, order);
        const y3 = mx.unflatten(mx.take(gatherMm(xs, wHat, null, idx), inv, 0), 0, indices.shape);
        const y4 = mx.unflatten(mx.take(mx.gatherQmm(xs, wq, s, b, { groupSize, mode, rhsIndices: idx, transpose, sortedIndices: true }), inv, 0),
          0, indices.shape);
        const tol = 1.5e-5;
        const what = JSON.stringify({ L, K, D, transpose, mode });
        expect(maxDiff(y1, y2), what).toBeLessThan(tol);
        expect(maxDiff(y1, y3), what).toBeLessThan(tol);
        expect(maxDiff(y1, y4), what).toBeLessThan(tol);
      }
    }));
  });

  it.skip('test_gather_qmm_sorted_nax_large_m (MLX: "requires Metal")', () => {});

  it('test_gather_qmm_sorted_sliced_weight', run(() => {
    const E = 8, R = 64, D = 256, N = 64;
    mx.random.seed(0);
    const w = mx.multiply(normal([E, 2 * R, D]), 0.05);
    const [qw, s, b] = quant(w, { groupSize: 64, bits: 4 });
    const x = mx.multiply(normal([N, 1, D]), 0.5);
    const indices = mx.sort(mx.random.randint(0, E, [N]).astype(mx.uint32));
    for (const [lo, hi] of [[0, R], [R, 2 * R]]) {
      const sl = (a: mx.Array): mx.Array => sliceAxis(a, 1, lo!, hi!);
      const view = [sl(qw), sl(s), sl(b!)] as const;
      const copy = view.map((a) => mx.contiguous(a));
      const o = { rhsIndices: indices, transpose: true, groupSize: 64, bits: 4, sortedIndices: true };
      expect(allclose(mx.gatherQmm(x, view[0], view[1], view[2], o), mx.gatherQmm(x, copy[0]!, copy[1]!, copy[2]!, o), 1e-5, 1e-4)).toBe(true);
    }
  }));

  it('test_gather_qmm_sorted_unaligned_k', run(() => {
    const L = 128, D = 256, E = 4;
    const [k1, k2, k3] = keys(0, 3);
    for (const [mode, groupSize] of [['affine', 32], ['mxfp4', undefined], ['mxfp8', undefined], ['nvfp4', undefined]] as [Mode, number | undefined][]) {
      for (const K of [160, 288, 544]) {
        mx.tidy(() => {
          const indices = mx.sort(mx.multiply(mx.random.uniform({ shape: [L], key: k1 }), E).astype(mx.uint32));
          const x = mx.divide(normal([L, 1, K], k2), K ** 0.5);
          const w = mx.divide(normal([E, D, K], k3), K ** 0.5);
          const [wq, s, b] = quant(w, { groupSize, mode });
          const o = { groupSize, mode, transpose: true, rhsIndices: indices };
          const ySorted = mx.gatherQmm(x, wq, s, b, { ...o, sortedIndices: true });
          const yUnsorted = mx.gatherQmm(x, wq, s, b, { ...o, sortedIndices: false });
          expect(maxDiff(ySorted, yUnsorted)).toBeLessThan(1.5e-5);
        });
      }
    }
  }));

  it.skip('test_gather_qmm_sorted_rhs_cuda (MLX: "CUDA kernel path only")', () => {});

  it('test_gather_qmm_grad', run(() => {
    const [k1, k2, k3, k4] = keys(0, 4);
    const x = normal([16, 1, 256], k1);
    const [w, s, b] = quant(normal([4, 256, 256], k2));
    const indices = mx.sort(mx.random.randint(0, 4, [16], mx.int32, k3));
    const cotan = normal([16, 1, 256], k4);
    const ref = (xx: mx.Array, ss: mx.Array, bb: mx.Array): mx.Array =>
      mx.quantizedMatmul(xx, mx.take(w, indices, 0), mx.take(ss, indices, 0), mx.take(bb, indices, 0), { transpose: true });
    const test = (xx: mx.Array, ss: mx.Array, bb: mx.Array): mx.Array =>
      mx.gatherQmm(xx, w, ss, bb, { transpose: true, rhsIndices: indices, sortedIndices: true });
    const [[o1], [dx1, ds1, db1]] = mx.vjp(ref, [x, s, b!], [cotan]);
    const [[o2], [dx2, ds2, db2]] = mx.vjp(test, [x, s, b!], [cotan]);
    expect(maxDiff(o1!, o2!)).toBeLessThan(1e-4);
    expect(allclose(o1!, o2!, 1e-5, 1e-4)).toBe(true);
    expect(allclose(dx1!, dx2!, 1e-5, 1e-4)).toBe(true);
    expect(allclose(ds1!, ds2!, 1e-5, 1e-3)).toBe(true);
    expect(allclose(db1!, db2!, 1e-5, 1e-3)).toBe(true);
  }));

  it('test_vjp_scales_biases', run(() => {
    mx.random.seed(0);
    const x = normal([2, 2, 512]);
    const w = normal([512, 512]);
    const [wq, s, b] = quant(w, { bits: 4, groupSize: 64 });
    const mm = (ss: mx.Array, bb: mx.Array): mx.Array => mx.sum(mx.quantizedMatmul(x, wq, ss, bb, { bits: 4, groupSize: 64 }));
    const [ds, db] = mx.grad(mm, [0, 1])(s, b!) as mx.Array[];
    const eps = 8e-3, delta = 2e-2;
    for (const [i, j] of [[0, 0], [11, 4], [22, 7]] as const) {
      for (const p of [0, 1]) {
        // params[p][idx] += by
        const bump = (a: mx.Array, by: number): mx.Array => {
          const at = mx.logicalAnd(mx.equal(mx.reshape(mx.arange(a.shape[0]!), [-1, 1]), i), mx.equal(mx.arange(a.shape[1]!), j));
          return mx.add(a, mx.where(at, by, 0));
        };
        const up = p === 0 ? mm(bump(s, eps), b!) : mm(s, bump(b!, eps));
        const down = p === 0 ? mm(bump(s, -eps), b!) : mm(s, bump(b!, -eps));
        const num = ((up.item() as number) - (down.item() as number)) / (2 * eps);
        const analytic = (mx.take(mx.take(p === 0 ? ds! : db!, i, 0), j, 0).item() as number);
        expect(Math.abs(analytic - num)).toBeLessThan(delta);
      }
    }
  }));

  it('test_fp_vjp_scales_throws', run(() => {
    mx.random.seed(0);
    const x = normal([2, 512]);
    const w = normal([512, 512]);
    for (const mode of FP_MODES) {
      const [wq, s] = quant(w, { mode });
      const mm = (ss: mx.Array): mx.Array => mx.sum(mx.quantizedMatmul(x, wq, ss, null, { mode }));
      expect(() => mx.grad(mm)(s)).toThrow();
      const rhsIndices = mx.array(0);
      const gmm = (ss: mx.Array): mx.Array => mx.sum(mx.gatherQmm(x, wq, ss, null, { rhsIndices, mode }));
      expect(() => mx.grad(gmm)(s)).toThrow();
    }
  }));

  it.skip('test_gather_qmm_global_scale (MLX: "Global scale is only supported on the GPU")', () => {});

  it('test_quantize_strided', run(() => {
    const N = 64;
    const w = normal([N, N]);
    const [wq, s0] = quant(w, { mode: 'nvfp4' });
    const scales = mx.broadcastTo(mx.array(56, mx.uint8), s0.shape);
    const wHat = mx.dequantize(wq, scales, null, { mode: 'nvfp4' });
    const expected = mx.dequantize(wq, mx.contiguous(scales), null, { mode: 'nvfp4' });
    expect(allclose(wHat, expected)).toBe(true);
  }));
});
