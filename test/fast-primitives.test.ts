// The fused primitives behind mx.fast.rmsNorm / layerNorm / rope / scaledDotProductAttention
// and last-axis logsumexp
// (core-cpp/src/primitives_fast.h): their kernels against the NumPy fixtures in bfloat16 and
// against the reference compositions computed in float64 (many rows, so the kernels run
// threaded), their gradients by finite differences, vmap against a loop, errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import fastFixture from './fixtures/fast.json';

interface Enc { shape: number[]; values: number[] }
interface Case { op: string; inputs: (Enc | null)[]; args: Record<string, number | boolean | string | null>; out: Enc }
const fixture = fastFixture as unknown as { cases: Case[] };

const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
const f64 = (x: mx.Array): mx.Array => x.astype(mx.float64);
/** A row-contiguous array with x's values (built from host data). */
const contig = (x: mx.Array): mx.Array => mx.array(x.tolist() as number[], x.dtype);

// The reference compositions (MLX's definitions), in whatever dtype their inputs have.
const refRms = (x: mx.Array, w: mx.Array | null, eps: number): mx.Array => {
  const y = mx.multiply(x, mx.rsqrt(mx.add(mx.mean(mx.square(x), -1, true), eps)));
  return w ? mx.multiply(y, w) : y;
};
const refLayer = (x: mx.Array, w: mx.Array | null, b: mx.Array | null, eps: number): mx.Array => {
  const xc = mx.subtract(x, mx.mean(x, -1, true));
  let y = mx.multiply(xc, mx.rsqrt(mx.add(mx.mean(mx.square(xc), -1, true), eps)));
  if (w) y = mx.multiply(y, w);
  if (b) y = mx.add(y, b);
  return y;
};
const refLogsumexp = (x: mx.Array): mx.Array => {
  const m = mx.max(x, -1, true);
  return mx.add(mx.log(mx.sum(mx.exp(mx.subtract(x, m)), -1, true)), m);
};

/** max |a - b| / (1 + |b|) over the elements, in float64. */
const relErr = (a: mx.Array, b: mx.Array): number =>
  mx.max(mx.divide(mx.abs(mx.subtract(f64(a), f64(b))), mx.add(mx.abs(f64(b)), 1))).item() as number;

const rand = (shape: number[], seed: number, lo = -2, hi = 2): mx.Array =>
  mx.random.uniform(lo, hi, shape, mx.float32, mx.random.key(seed));

describeEachBackend('fast primitives', () => {
  it('match the NumPy fixtures in bfloat16', () => {
    for (const c of fixture.cases) {
      mx.tidy(() => {
        const xs = c.inputs.map((e) => (e === null ? null : mx.array(e.values, mx.bfloat16).reshape(e.shape)));
        const a = c.args;
        const mask = a['mask'] === 'causal' ? 'causal' : a['mask'] === 'bool' ? xs[3]!.astype(mx.bool) : a['mask'] === null ? null : xs[3]!;
        const y = c.op === 'rms_norm' ? mx.fast.rmsNorm(xs[0]!, xs[1], a['eps'] as number)
          : c.op === 'layer_norm' ? mx.fast.layerNorm(xs[0]!, xs[1], xs[2], a['eps'] as number)
            : c.op === 'sdpa' ? mx.fast.scaledDotProductAttention(xs[0]!, xs[1]!, xs[2]!, { scale: (a['scale'] as number | null) ?? undefined, mask })
              : mx.fast.rope(xs[0]!, a['dims'] as number, {
                traditional: a['traditional'] as boolean, base: a['base'] as number, scale: a['scale'] as number, offset: a['offset'] as number,
              });
        const label = `${c.op} ${JSON.stringify(c.args)}`;
        expect(y.dtype, label).toBe(mx.bfloat16);
        expect(y.shape, label).toEqual(c.out.shape);
        // bfloat16 keeps 8 bits: the inputs' rounding (2^-9) and the output's dominate.
        const got = flat(y);
        c.out.values.forEach((v, i) => expect(Math.abs(got[i]! - v), `${label} at ${i}`).toBeLessThanOrEqual(3e-2 * (1 + Math.abs(v))));
      });
    }
  });

  it('match the float64 compositions on many rows in float32, float16 and bfloat16', () => {
    for (const [dtype, tol] of [[mx.float32, 2e-6], [mx.float16, 2e-3], [mx.bfloat16, 1.6e-2]] as const) {
      mx.tidy(() => {
        const x = rand([300, 523], 1).astype(dtype);
        const w = rand([523], 2, 0.5, 1.5).astype(dtype);
        const b = rand([523], 3).astype(dtype);
        expect(relErr(mx.fast.rmsNorm(x, w, 1e-5), refRms(f64(x), f64(w), 1e-5)), `rmsNorm ${dtype}`).toBeLessThan(tol);
        expect(relErr(mx.fast.rmsNorm(x, null, 1e-5), refRms(f64(x), null, 1e-5)), `rmsNorm ${dtype}`).toBeLessThan(tol);
        expect(relErr(mx.fast.layerNorm(x, w, b, 1e-5), refLayer(f64(x), f64(w), f64(b), 1e-5)), `layerNorm ${dtype}`).toBeLessThan(tol);
        // A large mean (10^3 times the spread): the two-pass variance keeps it exact.
        const shifted = mx.add(x.astype(mx.float32), 2000);
        const ln = mx.fast.layerNorm(shifted, null, null, 1e-5);
        expect(relErr(ln, refLayer(f64(shifted), null, null, 1e-5)), `layerNorm shifted ${dtype}`).toBeLessThan(1e-3);
        // rope: against its float64 kernel (checked against the definition in the next test).
        const q = rand([3, 100, 40], 4).astype(dtype);
        for (const traditional of [false, true]) {
          const opts = { traditional, base: 500, scale: 0.75, offset: 7 };
          const want = mx.fast.rope(f64(q), 32, opts);
          expect(relErr(mx.fast.rope(q, 32, opts), want), `rope ${traditional} ${dtype}`).toBeLessThan(tol * 4);
        }
        const lse = mx.logsumexp(mx.multiply(x, 4), -1, true);
        expect(lse.dtype).toBe(dtype);
        expect(relErr(lse, refLogsumexp(f64(mx.multiply(x, 4)))), `logsumexp ${dtype}`).toBeLessThan(tol);
      });
    }
  });

  it('attention matches the float64 composition: grouped heads, masks, many rows', () => {
    // softmax(scale q k^T + mask) v with repeated key/value heads, in float64.
    const reference = (q: mx.Array, k: mx.Array, v: mx.Array, scale: number, mask: mx.Array | 'causal' | null): mx.Array => {
      const rep = q.shape[1]! / k.shape[1]!;
      const kr = mx.repeat(f64(k), rep, 1);
      const vr = mx.repeat(f64(v), rep, 1);
      let s = mx.multiply(mx.matmul(f64(q), mx.swapaxes(kr, -1, -2)), scale);
      const [lq, lk] = [q.shape[2]!, k.shape[2]!];
      if (mask === 'causal') {
        const keep = mx.greaterEqual(mx.reshape(mx.arange(lk - lq, lk), [lq, 1]), mx.reshape(mx.arange(0, lk), [1, lk]));
        s = mx.where(keep, s, -Infinity);
      } else if (mask && mask.dtype === mx.bool) s = mx.where(mask, s, -Infinity);
      else if (mask) s = mx.add(s, f64(mask));
      return mx.matmul(mx.softmax(s, -1), vr);
    };
    for (const [dtype, tol] of [[mx.float32, 3e-6], [mx.float16, 3e-3], [mx.bfloat16, 2e-2]] as const) {
      mx.tidy(() => {
        const q = rand([2, 4, 33, 16], 20, -1, 1).astype(dtype);
        const k = rand([2, 2, 40, 16], 21, -1, 1).astype(dtype);
        const v = rand([2, 2, 40, 24], 22, -1, 1).astype(dtype);
        const additive = rand([4, 1, 40], 23, -3, 1); // float32: promotes 16-bit scores, as the composition does
        const keep = mx.greater(rand([33, 40], 24), -1.5);
        for (const mask of [null, 'causal', additive, keep] as const) {
          const y = mx.fast.scaledDotProductAttention(q, k, v, { scale: 0.3, mask });
          const label = `${dtype} ${mask === null ? 'none' : typeof mask === 'string' ? mask : mask.dtype}`;
          expect(y.shape, label).toEqual([2, 4, 33, 24]);
          expect(y.dtype, label).toBe(mask instanceof mx.Array && mask.dtype === mx.float32 ? mx.float32 : dtype);
          // The inputs as the kernel saw them (rounded to dtype), in float64.
          expect(relErr(y, reference(q, k, v, 0.3, mask)), label).toBeLessThan(tol);
        }
      });
    }
    // No keys: an empty weighted sum.
    mx.tidy(() => {
      const y = mx.fast.scaledDotProductAttention(mx.ones([1, 1, 2, 3]), mx.ones([1, 1, 0, 3]), mx.ones([1, 1, 0, 2]));
      expect(y.tolist()).toEqual([[[[0, 0], [0, 0]]]]);
    });
  });

  it('attention: gradients with a boolean mask, vmap against a loop', () => {
    const keep = mx.array([[true, false, true], [true, true, false]]);
    checkGrads((q, k, v) => mx.fast.scaledDotProductAttention(q, k, v, { mask: keep }), [[1, 2, 2, 3], [1, 1, 3, 3], [1, 1, 3, 2]]);
    keep.dispose();
    mx.tidy(() => {
      const q = rand([3, 1, 2, 4, 8], 30, -1, 1);
      const k = rand([1, 2, 5, 8], 31, -1, 1);
      const v = rand([3, 1, 2, 5, 8], 32, -1, 1);
      const f = (qi: mx.Array, vi: mx.Array): mx.Array => mx.fast.scaledDotProductAttention(qi, k, vi, { mask: 'causal' });
      const mapped = mx.vmap(f, [0, 0])(q, v) as mx.Array;
      const loop = mx.stack([0, 1, 2].map((i) => f(mx.take(q, i, 0), mx.take(v, i, 0))));
      expectClose(mapped.tolist(), loop.tolist(), 1e-6);
    });
  });

  it('float64 rope and norms agree with the compositions to rounding', () => {
    mx.tidy(() => {
      const x = f64(rand([4, 6, 10], 5));
      const w = f64(rand([10], 6));
      expect(relErr(mx.fast.rmsNorm(x, w, 1e-6), refRms(x, w, 1e-6))).toBeLessThan(1e-14);
      expect(relErr(mx.fast.layerNorm(x, w, w, 1e-6), refLayer(x, w, w, 1e-6))).toBeLessThan(1e-14);
      // rope by its definition: position (offset + l) * scale turns pair j by pos * base^(-2j/dims).
      const y = mx.fast.rope(x, 6, { traditional: true, base: 100, scale: 0.5, offset: 2 }).tolist() as number[][][];
      const xv = x.tolist() as number[][][];
      for (const [bi, l, j] of [[0, 0, 0], [1, 3, 2], [3, 5, 1]] as const) {
        const theta = (l + 2) * 0.5 * 100 ** (-2 * j / 6);
        const [a, b] = [xv[bi]![l]![2 * j]!, xv[bi]![l]![2 * j + 1]!];
        expectClose(y[bi]![l]![2 * j], a * Math.cos(theta) - b * Math.sin(theta), 1e-12);
        expectClose(y[bi]![l]![2 * j + 1], a * Math.sin(theta) + b * Math.cos(theta), 1e-12);
      }
      expect(y[2]![4]!.slice(6)).toEqual(xv[2]![4]!.slice(6));
    });
  });

  it('logsumexp over the last axis keeps the special values', () => {
    for (const dtype of [mx.float32, mx.float16, mx.bfloat16, mx.float64]) {
      mx.tidy(() => {
        const x = mx.array([[-Infinity, -Infinity], [1, Infinity], [NaN, 1], [0, 0], [-Infinity, 0]], dtype);
        const y = mx.logsumexp(x, -1).tolist() as number[];
        expect(y[0]).toBe(-Infinity);
        expect(y[1]).toBe(Infinity);
        expect(y[2]).toBeNaN();
        expectClose(y[3], Math.log(2), dtype.size === 2 ? 4e-3 : 1e-7);
        expect(y[4]).toBe(0);
        expect(mx.logsumexp(x, -1, true).shape).toEqual([5, 1]);
        expect(mx.logsumexp(mx.array([1, 2, 3], dtype)).tolist() as number).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 2);
      });
    }
  });

  it('have gradients of the reference compositions (finite differences)', () => {
    checkGrads((x) => mx.fast.rmsNorm(x, null, 1e-5), [[2, 5]]);
    checkGrads((x, b) => mx.fast.layerNorm(x, null, b, 1e-5), [[3, 4], [4]]);
    checkGrads((x, w) => mx.fast.layerNorm(x, w, null, 1e-5), [[3, 4], [4]]);
    checkGrads((x) => mx.fast.rope(x, 4, { scale: 2, offset: 1 }), [[2, 1, 3, 6]]);
    checkGrads((x) => mx.logsumexp(x, -1), [[3, 5]]);
    checkGrads((x) => mx.logsumexp(x, 1, true), [[2, 4]]);
    // Second order: the gradient of the fallback's gradient.
    mx.tidy(() => {
      const x = mx.array([[0.3, -1.2, 0.8]], mx.float64);
      const g = (v: mx.Array): mx.Array => mx.grad((u: mx.Array) => mx.sum(mx.square(mx.fast.rmsNorm(u, null, 0.1))))(v) as mx.Array;
      const gg = mx.grad((v: mx.Array) => mx.sum(g(v)))(x) as mx.Array;
      const h = 1e-6;
      const base = x.tolist() as number[][];
      const num = base[0]!.map((_, k) => {
        const at = (d: number): number => mx.tidy(() => {
          const m = base[0]!.slice();
          m[k]! += d;
          return mx.sum(g(mx.array([m], mx.float64))).item() as number;
        });
        return (at(h) - at(-h)) / (2 * h);
      });
      expectClose((gg.tolist() as number[][])[0], num, 1e-5);
    });
  });

  it('vmap matches a loop, with the batch axis anywhere and batched weights', () => {
    mx.tidy(() => {
      const x = rand([3, 4, 6], 8);
      const w = rand([6], 9);
      const ws = rand([4, 6], 10);
      const loop = (n: number, f: (i: number) => mx.Array): mx.Array => mx.stack(Array.from({ length: n }, (_, i) => f(i)));
      const take = (a: mx.Array, axis: number, i: number): mx.Array => mx.take(a, i, axis);
      // rmsNorm over x mapped along axis 1, w shared.
      const r = mx.vmap((xi: mx.Array) => mx.fast.rmsNorm(xi, w, 1e-5), [1])(x) as mx.Array;
      expectClose(r.tolist(), loop(4, (i) => mx.fast.rmsNorm(take(x, 1, i), w, 1e-5)).tolist(), 1e-6);
      // layerNorm with a batched weight (the fallback is batched).
      const l = mx.vmap((xi: mx.Array, wi: mx.Array) => mx.fast.layerNorm(xi, wi, null, 1e-5), [1, 0])(x, ws) as mx.Array;
      expectClose(l.tolist(), loop(4, (i) => mx.fast.layerNorm(take(x, 1, i), take(ws, 0, i), null, 1e-5)).tolist(), 1e-6);
      // rope over a batch axis at position 2 of [2, 3, 5, 4, 6] (inputs [2, 3, 4, 6]).
      const q = rand([2, 3, 5, 4, 6], 11);
      const rq = mx.vmap((qi: mx.Array) => mx.fast.rope(qi, 4, { traditional: true, offset: 1 }), [2])(q) as mx.Array;
      expectClose(rq.tolist(), loop(5, (i) => mx.fast.rope(take(q, 2, i), 4, { traditional: true, offset: 1 })).tolist(), 1e-6);
      // logsumexp over the last axis, mapped along axis 0.
      const s = mx.vmap((xi: mx.Array) => mx.logsumexp(xi, -1), [0])(x) as mx.Array;
      expectClose(s.tolist(), loop(3, (i) => mx.logsumexp(take(x, 0, i), -1)).tolist(), 1e-6);
    });
  });

  it('take strided and broadcast inputs', () => {
    mx.tidy(() => {
      const x = rand([6, 8], 12);
      const xt = mx.transpose(x); // [8, 6], strided
      const w = mx.broadcastTo(mx.array([2], mx.float32), [6]); // stride 0
      expectClose(mx.fast.rmsNorm(xt, w, 1e-5).tolist(), refRms(contig(xt), mx.full([6], 2), 1e-5).tolist(), 1e-6);
      expectClose(mx.fast.layerNorm(xt, w, w, 1e-5).tolist(), refLayer(contig(xt), mx.full([6], 2), mx.full([6], 2), 1e-5).tolist(), 1e-5);
      const q = mx.transpose(rand([4, 3, 2], 13), [2, 1, 0]); // [2, 3, 4]
      expectClose(mx.fast.rope(q, 4).tolist(), mx.fast.rope(contig(q), 4).tolist(), 0);
      expectClose(mx.logsumexp(xt, -1).tolist(), mx.logsumexp(contig(xt), -1).tolist(), 0);
    });
  });

  it('reject bad arguments with errors naming the op', () => {
    mx.tidy(() => {
      const x = mx.ones([1, 2, 4]);
      expect(() => mx.fast.layerNorm(x.astype(mx.int32), null, null)).toThrow('[layer_norm] Received unsupported type int32.');
      expect(() => mx.fast.layerNorm(x, mx.ones([2, 4]), null)).toThrow('[layer_norm] weight must have 1 dimension but has 2 dimensions.');
      expect(() => mx.fast.rmsNorm(x.astype(mx.bool), null)).toThrow('[rms_norm] Received unsupported type bool.');
      expect(() => mx.fast.rmsNorm(x.astype(mx.int32), mx.ones([4], mx.int32))).toThrow('[rms_norm] Received unsupported type int32.');
      expect(() => mx.fast.rmsNorm(3 as unknown as mx.Array, null)).toThrow('[rms_norm] Expected x to be an array');
      expect(() => mx.fast.rope(x, 2.5)).toThrow('[rope] dims must be a positive even number no larger than the last dimension (4) but got 2.5.');
      expect(() => mx.fast.rope(x, -2)).toThrow('[rope] dims must be a positive even number no larger than the last dimension (4) but got -2.');
      expect(() => mx.fast.rope(x, 4, { offset: 0.5 })).toThrow('[rope] offset must be an integer but got 0.5.');
      expect(() => mx.fast.rope(mx.ones([2, 4]), 4)).toThrow('[rope] Input must have at least 3 dimensions but got input with 2 dimensions.');
      expect(() => mx.fast.rope(x.astype(mx.int32), 4)).toThrow('[rope] Input must be a floating type but got int32.');
      expect(() => mx.logsumexp(mx.zeros([2, 0]), -1)).toThrow('[logsumexp] Received empty array.');
      const q = mx.ones([1, 2, 3, 4]);
      expect(() => mx.fast.scaledDotProductAttention(q, q, q, { mask: mx.ones([2, 4]) }))
        .toThrow('[scaled_dot_product_attention] mask with shape (2,4) cannot be broadcast');
      expect(() => mx.fast.scaledDotProductAttention(q, q, 3 as unknown as mx.Array)).toThrow('[scaled_dot_product_attention] Expected values to be an array');
    });
  });
});
