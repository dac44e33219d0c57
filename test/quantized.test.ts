// mx.quantize / mx.dequantize / mx.quantizedMatmul (affine), on every backend, against the
// definition written out here: MLX's per-group rule in float32 (Math.fround after each
// operation, round half to even), the codes packed into words bit by bit (element 0 in the
// lowest bits; 3, 5 and 6-bit codes straddle words), dequantize as scale * q + bias, the
// GGUF triplets of test/fixtures/gguf.json (groups of 32, docs/io.md) against the gguf
// package's own dequantized values, and quantizedMatmul against matmul with the dequantized
// weights; finite differences for vjp/jvp, vmap against a loop, and MLX's errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import ggufFixture from './fixtures/gguf.json';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';
import { checkGrads } from './helpers/gradcheck.js';

const f = Math.fround;

/** Round half to even (C's rint in the default mode). */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface Reference { words: number[]; scales: number[]; biases: number[]; codes: number[] }

/** MLX's affine rule over rows of k float32 values, packed one bit at a time. */
function affineReference(w: Float32Array, k: number, gs: number, bits: number): Reference {
  const nBins = (1 << bits) - 1;
  const wordsPerRow = (k * bits) / 32;
  const words = new Array<number>((w.length / k) * wordsPerRow).fill(0);
  const scales: number[] = [], biases: number[] = [], codes: number[] = [];
  for (let g = 0; g < w.length / gs; g++) {
    const grp = Array.from(w.subarray(g * gs, (g + 1) * gs));
    const mn = Math.min(...grp), mx_ = Math.max(...grp);
    const minIsEdge = Math.abs(mn) > Math.abs(mx_);
    let scale = Math.max(f(f(mx_ - mn) / nBins), f(1e-7));
    if (!minIsEdge) scale = -scale;
    const edge = minIsEdge ? mn : mx_;
    const q0 = rint(f(edge / scale));
    let bias = 0;
    if (q0 !== 0) {
      scale = f(edge / q0);
      bias = edge;
    }
    scales.push(scale);
    biases.push(bias);
    for (let j = 0; j < gs; j++) {
      const q = Math.min(Math.max(rint(f(f(grp[j]! - bias) / scale)), 0), nBins);
      codes.push(q);
      const elem = g * gs + j, row = Math.floor(elem / k), col = elem % k;
      for (let t = 0; t < bits; t++) {
        const bit = col * bits + t;
        if ((q >> t) & 1) words[row * wordsPerRow + (bit >> 5)] = (words[row * wordsPerRow + (bit >> 5)]! | (1 << (bit & 31))) >>> 0;
      }
    }
  }
  return { words, scales, biases, codes };
}

const list = (x: mx.Array): number[] => Array.from(x.toTypedArray() as ArrayLike<number>);

/** max |a - b| relative to max |b|. */
function relErr(a: mx.Array, b: mx.Array): number {
  return mx.tidy(() => {
    const d = mx.max(mx.abs(mx.subtract(a.astype(mx.float32), b.astype(mx.float32)))).item() as number;
    const m = mx.max(mx.abs(b.astype(mx.float32))).item() as number;
    return d / Math.max(m, 1e-30);
  });
}

interface TensorEntry { name: string; shape: number[]; dequantized?: string }
const fixture = ggufFixture as unknown as { main: { file: string; tensors: TensorEntry[] } };
const unbase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

describeEachBackend('quantization', () => {
  it('quantize packs MLX\'s codes bit for bit, scales and biases exactly, for every bits and group size', () => {
    const k = 256, rows = 3;
    const data = lcgData(rows * k, 11);
    for (const gs of [32, 64, 128]) {
      for (const bits of [2, 3, 4, 5, 6, 8]) {
        mx.tidy(() => {
          const ref = affineReference(data, k, gs, bits);
          const [wq, scales, biases] = mx.quantize(mx.array(data, [rows, k]), { groupSize: gs, bits });
          const tag = `groupSize ${gs} bits ${bits}`;
          expect(wq.dtype, tag).toBe(mx.uint32);
          expect(wq.shape, tag).toEqual([rows, (k * bits) / 32]);
          expect(scales.shape, tag).toEqual([rows, k / gs]);
          expect(scales.dtype, tag).toBe(mx.float32);
          expect(list(wq), tag).toEqual(ref.words);
          expect(list(scales), tag).toEqual(ref.scales);
          expect(list(biases).map((v) => v + 0), tag).toEqual(ref.biases.map((v) => v + 0));
          // dequantize: scale * q + bias per element, in float32.
          const want = ref.codes.map((q, i) => f(f(q * ref.scales[Math.floor(i / gs)]!) + ref.biases[Math.floor(i / gs)]!));
          expect(list(mx.dequantize(wq, scales, biases, { groupSize: gs, bits })), tag).toEqual(want);
        });
      }
    }
  });

  it('defaults to groupSize 64 and 4 bits, and works over leading axes', () => {
    mx.tidy(() => {
      const data = lcgData(2 * 3 * 128, 5);
      const [wq, scales, biases] = mx.quantize(mx.array(data, [2, 3, 128]));
      expect(wq.shape).toEqual([2, 3, 16]);
      expect(scales.shape).toEqual([2, 3, 2]);
      const ref = affineReference(data, 128, 64, 4);
      expect(list(wq)).toEqual(ref.words);
      expect(list(scales)).toEqual(ref.scales);
      expect(biases.shape).toEqual([2, 3, 2]);
    });
  });

  it('hand-derived groups: a ramp, a negative edge, constant and zero groups', () => {
    mx.tidy(() => {
      // 0..31 at 5 bits: the maximum is the edge: scale -1, bias 31, code 31 - j, so the
      // words hold the codes 31, 30, ... in 5-bit fields from the lowest bit.
      const ramp = Float32Array.from({ length: 32 }, (_, j) => j);
      const [wq, s, b] = mx.quantize(mx.array(ramp, [1, 32]), { groupSize: 32, bits: 5 });
      expect(list(s)).toEqual([-1]);
      expect(list(b)).toEqual([31]);
      let stream = 0n;
      for (let j = 0; j < 32; j++) stream |= BigInt(31 - j) << BigInt(5 * j);
      const words = Array.from({ length: 5 }, (_, i) => Number((stream >> BigInt(32 * i)) & 0xffffffffn));
      expect(list(wq)).toEqual(words);
      expect(list(mx.dequantize(wq, s, b, { groupSize: 32, bits: 5 }))).toEqual(Array.from(ramp));
      // min -2, max 1 at 4 bits: the minimum is the edge: scale 3/15 -> -2 / round(-2 / 0.2) = 0.2, bias -2.
      const neg = Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? -2 : j === 1 ? 1 : 0));
      const [wq2, s2, b2] = mx.quantize(mx.array(neg, [1, 32]), { groupSize: 32, bits: 4 });
      expect(list(s2)).toEqual([f(-2 / -10)]);
      expect(list(b2)).toEqual([-2]);
      expect(list(mx.dequantize(wq2, s2, b2, { groupSize: 32, bits: 4 }))[0]).toBe(-2);
      // A constant group keeps its value as the bias with code 0; a zero group has bias 0.
      const c = mx.concatenate([mx.full([1, 32], 0.5), mx.zeros([1, 32])], 1);
      const [wq3, s3, b3] = mx.quantize(c, { groupSize: 32, bits: 4 });
      expect(list(wq3)).toEqual(new Array(8).fill(0));
      expect(list(b3)).toEqual([0.5, 0]);
      expect(list(s3)).toEqual([f(-1e-7), f(-1e-7)]);
      expect(list(mx.dequantize(wq3, s3, b3, { groupSize: 32, bits: 4 }))).toEqual([...new Array(32).fill(0.5), ...new Array(32).fill(0)]);
    });
  });

  it('16-bit inputs: the codes of their float32 values, scales and biases in the input dtype', () => {
    for (const dt of [mx.float16, mx.bfloat16]) {
      mx.tidy(() => {
        const w = mx.array(lcgData(2 * 64, 3), [2, 64]).astype(dt);
        const asF32 = w.astype(mx.float32).toTypedArray() as Float32Array;
        const [wq, scales, biases] = mx.quantize(w, { groupSize: 32, bits: 4 });
        expect(scales.dtype).toBe(dt);
        expect(biases.dtype).toBe(dt);
        expect(list(wq)).toEqual(affineReference(asF32, 64, 32, 4).words);
        const d = mx.dequantize(wq, scales, biases, { groupSize: 32, bits: 4 });
        expect(d.dtype).toBe(dt);
        expect(mx.dequantize(wq, scales, biases, { groupSize: 32, bits: 4, dtype: mx.float32 }).dtype).toBe(mx.float32);
        expect(relErr(d, w)).toBeLessThan(0.1);
      });
    }
  });

  it('GGUF triplets (groups of 32, 4 and 8 bits): dequantize equals the gguf package, quantizedMatmul uses them', () => {
    const d = mx.load(unbase64(fixture.main.file), { format: 'gguf' }) as Record<string, mx.Array>;
    const byName = new Map(fixture.main.tensors.map((t) => [t.name, t]));
    for (const [name, bits] of [['blk.0.attn_q', 4], ['blk.0.attn_k', 4], ['blk.0.ffn_down', 8]] as const) {
      mx.tidy(() => {
        const want = new Float32Array(unbase64(byName.get(`${name}.weight`)!.dequantized!).slice().buffer);
        const [w, s, b] = [d[`${name}.weight`]!, d[`${name}.scales`]!.astype(mx.float32), d[`${name}.biases`]!.astype(mx.float32)];
        const got = mx.dequantize(w, s, b, { groupSize: 32, bits });
        expect(list(got).map((v) => v + 0), name).toEqual(Array.from(want).map((v) => v + 0));
        const cols = got.shape.at(-1)!;
        const x = mx.array(lcgData(2 * cols, 9), [2, cols]);
        const flat = (a: mx.Array): mx.Array => a.reshape([-1, a.shape.at(-1)!]);
        const y = mx.quantizedMatmul(x, flat(w), flat(s), flat(b), { groupSize: 32, bits });
        expect(relErr(y, mx.matmul(x, mx.transpose(got.reshape([-1, cols]))))).toBeLessThan(1e-5);
      });
    }
    mx.dispose(d);
  });

  it('quantizedMatmul equals matmul with the dequantized weights: decode, prompt, batches, both layouts', () => {
    const cases: [number[], number, number, number, number, boolean][] = [
      // x shape, N, K, bits, groupSize, transpose
      [[1, 256], 40, 256, 4, 64, true],
      [[256], 13, 256, 4, 32, true],
      [[7, 128], 33, 128, 3, 32, true],
      [[2, 3, 128], 17, 128, 8, 128, true],
      [[5, 192], 9, 192, 6, 64, true],
      [[4, 64], 10, 64, 5, 32, true],
      [[4, 64], 64, 64, 2, 32, true],
      [[1, 48], 128, 48, 4, 64, false],
      [[6, 20], 96, 20, 3, 32, false],
      [[2, 2, 24], 128, 24, 8, 128, false],
    ];
    for (const [xs, n, k, bits, gs, transpose] of cases) {
      mx.tidy(() => {
        const tag = `x ${xs} N ${n} K ${k} bits ${bits} gs ${gs} transpose ${transpose}`;
        const wShape = transpose ? [n, k] : [k, n];
        const [wq, s, b] = mx.quantize(mx.array(lcgData(n * k, 4), wShape), { groupSize: gs, bits });
        const x = mx.array(lcgData(xs.reduce((p, q) => p * q, 1), 8), xs);
        const y = mx.quantizedMatmul(x, wq, s, b, { groupSize: gs, bits, transpose });
        const wd = mx.dequantize(wq, s, b, { groupSize: gs, bits });
        const want = mx.matmul(x, transpose ? mx.transpose(wd) : wd);
        expect(y.shape, tag).toEqual(want.shape);
        expect(y.dtype, tag).toBe(mx.float32);
        expect(relErr(y, want), tag).toBeLessThan(1e-5);
      });
    }
  });

  it('quantizedMatmul edge shapes of the vector and tiled kernels: rows 1..9 and 12, K one group or past 512, odd N', () => {
    // Up to 8 rows take the matrix-vector kernels (2, 4 and 8 bits; rows in blocks of 4),
    // more the tiled GEMM (8-column panels, 512-deep blocks); 3 bits the generic path.
    for (const transpose of [true, false]) {
      for (const bits of [2, 3, 4, 8]) {
        for (const gs of [32, 128]) {
          const shapes: [number, number][] = [];  // [rows, K]
          for (let m = 1; m <= 9; m++) shapes.push([m, gs]);
          shapes.push([3, 640], [12, 640]);
          for (const [m, k] of shapes) {
            mx.tidy(() => {
              const n = transpose ? 13 : 3 * gs;
              const tag = `rows ${m} K ${k} N ${n} bits ${bits} gs ${gs} transpose ${transpose}`;
              const [wq, s, b] = mx.quantize(mx.array(lcgData(n * k, 5 + bits), transpose ? [n, k] : [k, n]), { groupSize: gs, bits });
              const x = mx.array(lcgData(m * k, 11 + m), [m, k]);
              const y = mx.quantizedMatmul(x, wq, s, b, { groupSize: gs, bits, transpose });
              const wd = mx.dequantize(wq, s, b, { groupSize: gs, bits });
              expect(relErr(y, mx.matmul(x, transpose ? mx.transpose(wd) : wd)), tag).toBeLessThan(1e-5);
            });
          }
        }
      }
    }
  });

  it('quantizedMatmul: a batch of weights, 16-bit x, and the promoted dtype', () => {
    mx.tidy(() => {
      const [wq, s, b] = mx.quantize(mx.array(lcgData(2 * 24 * 64, 6), [2, 24, 64]), { groupSize: 32, bits: 4 });
      const x = mx.array(lcgData(2 * 3 * 64, 2), [2, 3, 64]);
      const y = mx.quantizedMatmul(x, wq, s, b, { groupSize: 32, bits: 4 });
      const wd = mx.dequantize(wq, s, b, { groupSize: 32, bits: 4 });
      expect(relErr(y, mx.matmul(x, mx.swapaxes(wd, -1, -2)))).toBeLessThan(1e-5);
      const yh = mx.quantizedMatmul(x.astype(mx.float16), wq, s.astype(mx.float16), b.astype(mx.float16), { groupSize: 32, bits: 4 });
      expect(yh.dtype).toBe(mx.float16);
      expect(relErr(yh, y)).toBeLessThan(1e-2);
      expect(mx.quantizedMatmul(x.astype(mx.float16), wq, s, b, { groupSize: 32, bits: 4 }).dtype).toBe(mx.float32);
    });
  });

  it('vjp and jvp of quantizedMatmul with respect to x, scales and biases match finite differences', () => {
    for (const transpose of [true, false]) {
      const [wq, s, b] = mx.tidy(() => mx.quantize(mx.array(lcgData(32 * 64, 12), transpose ? [32, 64] : [64, 32]).astype(mx.float64), { groupSize: 32, bits: 4 }));
      const k = 64;
      checkGrads((x) => mx.quantizedMatmul(x, wq, s, b, { groupSize: 32, bits: 4, transpose }), [[3, k]]);
      const x = mx.tidy(() => mx.array(lcgData(2 * k, 3), [2, k]).astype(mx.float64));
      checkGrads((sc, bi) => mx.quantizedMatmul(x, wq, sc, bi, { groupSize: 32, bits: 4, transpose }), [s, b]);
      mx.dispose([wq, s, b, x]);
    }
  });

  it('vjp and jvp of dequantize with respect to scales and biases match finite differences', () => {
    const [wq, s, b] = mx.tidy(() => mx.quantize(mx.array(lcgData(4 * 64, 13), [4, 64]).astype(mx.float64), { groupSize: 32, bits: 3 }));
    checkGrads((sc, bi) => mx.dequantize(wq, sc, bi, { groupSize: 32, bits: 3 }), [s, b]);
    mx.dispose([wq, s, b]);
  });

  it('no gradient with respect to the packed weights, as in MLX', () => {
    mx.tidy(() => {
      const [wq, s, b] = mx.quantize(mx.array(lcgData(8 * 32, 1), [8, 32]), { groupSize: 32, bits: 4 });
      const x = mx.ones([1, 32]);
      expect(() => mx.vjp((w) => mx.quantizedMatmul(x, w, s, b, { groupSize: 32, bits: 4 }), [wq], [mx.ones([1, 8])]))
        .toThrow(/no gradient wrt the quantized weights/);
    });
  });

  it('vmap over x, and over stacked quantized weights, equals a loop', () => {
    mx.tidy(() => {
      const [wq, s, b] = mx.quantize(mx.array(lcgData(3 * 16 * 64, 21), [3, 16, 64]), { groupSize: 64, bits: 4 });
      const xs = mx.array(lcgData(3 * 64, 22), [3, 64]);
      const op = (x: mx.Array, w: mx.Array, sc: mx.Array, bi: mx.Array): mx.Array =>
        mx.quantizedMatmul(x, w, sc, bi, { groupSize: 64, bits: 4 });
      const w0 = mx.take(wq, 0, 0), s0 = mx.take(s, 0, 0), b0 = mx.take(b, 0, 0);
      // x mapped, one weight matrix
      const got = mx.vmap((x: mx.Array) => op(x, w0, s0, b0))(xs) as mx.Array;
      const loop = mx.stack([0, 1, 2].map((i) => op(mx.take(xs, i, 0), w0, s0, b0)));
      expect(list(got)).toEqual(list(loop));
      // everything mapped (one weight matrix per x vector)
      const got2 = mx.vmap(op)(xs, wq, s, b) as mx.Array;
      const loop2 = mx.stack([0, 1, 2].map((i) => op(mx.take(xs, i, 0), mx.take(wq, i, 0), mx.take(s, i, 0), mx.take(b, i, 0))));
      expect(got2.shape).toEqual([3, 16]);
      expect(list(got2)).toEqual(list(loop2));
      // dequantize and quantize under vmap
      const dq = mx.vmap((w: mx.Array, sc: mx.Array, bi: mx.Array) => mx.dequantize(w, sc, bi, { groupSize: 64, bits: 4 }))(wq, s, b) as mx.Array;
      expect(list(dq)).toEqual(list(mx.dequantize(wq, s, b, { groupSize: 64, bits: 4 })));
      const ws = mx.array(lcgData(2 * 4 * 64, 23), [2, 4, 64]);
      const qv = mx.vmap((w: mx.Array) => mx.quantize(w, { groupSize: 64, bits: 4 })[0]!)(ws) as mx.Array;
      expect(list(qv)).toEqual(list(mx.quantize(ws, { groupSize: 64, bits: 4 })[0]!));
    });
  });

  it('raises MLX\'s errors', () => {
    mx.tidy(() => {
      const w = mx.ones([4, 64]);
      expect(() => mx.quantize(w, { bits: 7 })).toThrow('[quantize] The requested number of bits 7 is not supported. The supported bits are 2, 3, 4, 5, 6 and 8.');
      expect(() => mx.quantize(w, { bits: 1 })).toThrow('[quantize] The requested number of bits 1 is not supported.');
      expect(() => mx.quantize(w, { bits: 9 })).toThrow('[quantize] The requested number of bits 9 is not supported.');
      expect(() => mx.quantize(w, { groupSize: 16 })).toThrow('[quantize] The requested group size 16 is not supported. The supported group sizes are 32, 64, and 128.');
      expect(() => mx.quantize(mx.ones([4, 48]), { groupSize: 32 })).toThrow('[quantize] The last dimension of the matrix needs to be divisible by the quantization group size 32. However the provided  matrix has shape (4,48)');
      expect(() => mx.quantize(mx.ones([64]))).toThrow('[quantize] The matrix to be quantized must have at least 2 dimension but it has only 1.');
      expect(() => mx.quantize(mx.ones([4, 64], mx.int32))).toThrow('[quantize] Only real floating types can be quantized but w has type int32.');
      expect(() => mx.quantize(w, { mode: 'foo' as 'affine' })).toThrow("[quantize] Invalid quantization mode 'foo'.");
      expect(() => mx.quantize(w, { mode: 'mxfp4', groupSize: 64 })).toThrow('[quantize] mxfp4 quantization requires group size 32 but got 64.');
      expect(() => mx.quantize(w, { mode: 'mxfp8', bits: 4 })).toThrow('[quantize] mxfp8 quantization requires bits to be 8 but got 4.');
      const [fq, fs] = mx.quantize(w, { mode: 'nvfp4' });
      expect(() => mx.dequantize(fq!, fs!, fs!, { mode: 'nvfp4' })).toThrow("[dequantize] Biases must be null for quantization mode 'nvfp4'.");
      expect(() => mx.dequantize(fq!, mx.ones([4, 4]), null, { mode: 'nvfp4' }))
        .toThrow("[dequantize] Scales must be uint8 codes for quantization mode 'nvfp4' but got float32.");
      expect(() => mx.dequantize(fq!, mx.take(fs!, [0, 1], 1), null, { mode: 'nvfp4' }))
        .toThrow('[dequantize] Shape of scales does not match the matrix given the quantization parameters. Provided matrix of shape (4,8) and scales of shape (4,2).');
      const [wq, s, b] = mx.quantize(w);
      expect(() => mx.dequantize(wq, s, null)).toThrow('[dequantize] Biases must be provided for affine quantization.');
      expect(() => mx.dequantize(mx.ones([4, 8]), s, b)).toThrow('[dequantize] The matrix should be given as a uint32');
      expect(() => mx.dequantize(wq, s, b, { groupSize: 32 })).toThrow('[dequantize] Shape of scales and biases does not match the matrix given the quantization parameters.');
      expect(() => mx.dequantize(wq, mx.ones([2, 1]), mx.ones([2, 1]))).toThrow('[dequantize] Shape of scales and biases does not match the matrix');
      expect(() => mx.dequantize(wq, s, b, { dtype: mx.int32 })).toThrow('[dequantize] Only real floating types are supported but output dtype == int32.');
      const x = mx.ones([2, 64]);
      expect(() => mx.quantizedMatmul(mx.ones([2, 32]), wq, s, b)).toThrow('[quantized_matmul] Last dimension of first input with shape (..., 32) does not match the expanded quantized matrix (64, 4) computed from shape (4,8) with group_size=64, bits=4 and transpose=true');
      expect(() => mx.quantizedMatmul(x, mx.ones([4, 8]), s, b)).toThrow('[quantized_matmul] The weight matrix should be uint32 but received float32');
      expect(() => mx.quantizedMatmul(x, wq, s, mx.ones([4, 2]))).toThrow('[quantized_matmul] Scales and biases should have the same shape.');
      expect(() => mx.quantizedMatmul(x, wq, s, b, { bits: 8 })).toThrow('[quantized_matmul] The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == (4,8) and scales.shape() == (4,1) with group_size=64 and bits=8');
      expect(() => mx.quantizedMatmul(mx.ones([2, 64], mx.int32), wq, s, b)).not.toThrow();
    });
  });
});
