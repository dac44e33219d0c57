// mx.fast (rmsNorm, layerNorm, rope, scaledDotProductAttention) against NumPy versions of
// MLX's reference definitions, in float32, float16 and float64, with errors and gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import fastFixture from './fixtures/fast.json';

interface Enc { shape: number[]; values: number[] }
interface Case { op: string; inputs: (Enc | null)[]; args: Record<string, any>; out: Enc } // eslint-disable-line @typescript-eslint/no-explicit-any
const fixture = fastFixture as unknown as { cases: Case[] };

const input = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

const run: Record<string, (xs: (mx.Array | null)[], a: Case['args']) => mx.Array> = {
  rms_norm: ([x, w], a) => mx.fast.rmsNorm(x!, w, a.eps),
  layer_norm: ([x, w, b], a) => mx.fast.layerNorm(x!, w, b, a.eps),
  rope: ([x], a) => mx.fast.rope(x!, a.dims, { traditional: a.traditional, base: a.base, scale: a.scale, offset: a.offset }),
  sdpa: ([q, k, v, m], a) => {
    let mask: mx.Array | 'causal' | null = null;
    if (a.mask === 'causal') mask = 'causal';
    else if (a.mask === 'bool') mask = m!.astype(mx.bool);
    else if (a.mask !== null) mask = m!;
    return mx.fast.scaledDotProductAttention(q!, k!, v!, { scale: a.scale ?? undefined, mask });
  },
};

describeEachBackend('fast', () => {
  it('matches the reference definitions on every fixture case in float32, float16 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 2e-5], [mx.float16, 2e-2], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i?.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const y = run[c.op]!(c.inputs.map((e) => (e === null ? null : input(e, dtype))), c.args);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          const got = flat(y);
          c.out.values.forEach((v, i) => expect(Math.abs(got[i]! - v), `${label} at ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
        });
      }
    }
  });

  it('promotes dtypes, takes strided inputs and defaults', () => {
    mx.tidy(() => {
      const x = mx.array([[1, 2], [3, 4], [5, 6]]).T; // [2, 3], strided
      const w = mx.array([1, 1, 1], mx.float16);
      const r = mx.fast.rmsNorm(x, w, 0);
      expect(r.dtype).toBe(mx.float32);
      expectClose(r.tolist(), [[1 / Math.sqrt(35 / 3), 3 / Math.sqrt(35 / 3), 5 / Math.sqrt(35 / 3)],
        [2 / Math.sqrt(56 / 3), 4 / Math.sqrt(56 / 3), 6 / Math.sqrt(56 / 3)]], 1e-6);
      // Without weight: rmsNorm keeps x's dtype; layerNorm with a float64 bias promotes.
      expect(mx.fast.rmsNorm(x.astype(mx.float16), null).dtype).toBe(mx.float16);
      const l = mx.fast.layerNorm(x, null, mx.zeros([3], mx.float64));
      expect(l.dtype).toBe(mx.float64);
      expectClose(l.tolist(), [[-1.2247, 0, 1.2247], [-1.2247, 0, 1.2247]], 1e-4);
      // rope defaults (base 10000, not traditional, offset 0): position 0 is unrotated.
      const q = mx.broadcastTo(mx.array([1, 0, 0, 1]), [1, 2, 4]);
      const rq = mx.fast.rope(q, 4).tolist() as number[][][];
      expectClose(rq[0]![0], [1, 0, 0, 1], 1e-6);
      expectClose(rq[0]![1], [Math.cos(1), -Math.sin(0.01), Math.sin(1), Math.cos(0.01)], 1e-6);
      // Default scale is 1/sqrt(D); equal keys give the mean of the values.
      const k = mx.ones([1, 1, 3, 4]);
      const v = mx.arange(6, mx.float32).reshape(1, 1, 3, 2);
      expectClose(mx.fast.scaledDotProductAttention(mx.ones([1, 1, 1, 4]), k, v).tolist(), [[[[2, 3]]]], 1e-6);
      // NaN in one query row poisons that output row only.
      const qn = mx.array([[[[1], [NaN]]]]);
      const o = mx.fast.scaledDotProductAttention(qn, mx.ones([1, 1, 2, 1]), mx.ones([1, 1, 2, 1]));
      expect((o.reshape([-1]).tolist() as number[]).map((t) => Number.isNaN(t))).toEqual([false, true]);
    });
  });

  it('rejects bad input with errors naming the op', () => {
    mx.tidy(() => {
      const x = mx.ones([2, 4]);
      expect(() => mx.fast.rmsNorm(mx.array(1), null)).toThrow('[rms_norm] Input must have at least 1 dimension');
      expect(() => mx.fast.rmsNorm(x, mx.ones([2, 4]))).toThrow('[rms_norm] weight must have 1 dimension but has 2 dimensions.');
      expect(() => mx.fast.rmsNorm(x, mx.ones([3]))).toThrow('[rms_norm] weight must have the same size as the last dimension of x but has 3 elements.');
      expect(() => mx.fast.rmsNorm(x.astype(mx.int32), null)).toThrow('[rms_norm] Received unsupported type');
      expect(() => mx.fast.layerNorm(x, null, mx.ones([5]))).toThrow('[layer_norm] bias must have the same size');
      expect(() => mx.fast.rope(x, 4)).toThrow('[rope] Input must have at least 3 dimensions');
      expect(() => mx.fast.rope(mx.ones([1, 2, 4]), 3)).toThrow('[rope] dims must be');
      expect(() => mx.fast.rope(mx.ones([1, 2, 4]), 6)).toThrow('[rope] dims must be');
      expect(() => mx.fast.rope(mx.ones([1, 2, 4], mx.int32), 4)).toThrow('[rope]');
      const q = mx.ones([1, 4, 2, 3]);
      const sdpa = mx.fast.scaledDotProductAttention;
      expect(() => sdpa(mx.ones([4, 2, 3]), q, q)).toThrow('[scaled_dot_product_attention] input with shape (4,2,3) expected to be rank 4');
      expect(() => sdpa(q, mx.ones([1, 3, 2, 3]), mx.ones([1, 3, 2, 3]))).toThrow('[scaled_dot_product_attention] number of heads');
      expect(() => sdpa(q, mx.ones([1, 4, 2, 2]), q)).toThrow('[scaled_dot_product_attention] query, keys expected to have matching last dimension');
      expect(() => sdpa(q, q, mx.ones([2, 4, 2, 3]))).toThrow('[scaled_dot_product_attention] mismatching batch');
      expect(() => sdpa(q, q, q, { mask: 'upper' as 'causal' })).toThrow('[scaled_dot_product_attention] Invalid mask');
    });
  });

  it('has vjp and jvp that match finite differences', () => {
    checkGrads((x, w) => mx.fast.rmsNorm(x, w, 1e-5), [[3, 4], [4]]);
    checkGrads((x, w, b) => mx.fast.layerNorm(x, w, b, 1e-5), [[2, 5], [5], [5]]);
    checkGrads((x) => mx.fast.rope(x, 4, { offset: 2 }), [[1, 3, 6]]);
    checkGrads((x) => mx.fast.rope(x, 6, { traditional: true, base: 100, scale: 0.5 }), [[2, 3, 6]]);
    checkGrads((q, k, v) => mx.fast.scaledDotProductAttention(q, k, v, { scale: 0.8 }), [[1, 2, 3, 2], [1, 2, 4, 2], [1, 2, 4, 3]]);
    checkGrads((q, k, v, m) => mx.fast.scaledDotProductAttention(q, k, v, { mask: m }), [[1, 4, 2, 2], [1, 2, 3, 2], [1, 2, 3, 2], [2, 3]]);
    checkGrads((q, k, v) => mx.fast.scaledDotProductAttention(q, k, v, { mask: 'causal' }), [[1, 1, 2, 2], [1, 1, 3, 2], [1, 1, 3, 2]]);
  });
});
