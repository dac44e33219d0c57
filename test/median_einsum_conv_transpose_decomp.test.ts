// The later-tier ops against NumPy (fixtures/gen_ops_extra.py): median, einsum,
// convTranspose1d/2d (a direct scatter loop), linalg.qr / svd and the singular-value norms;
// with dtypes, options, errors naming the op, finite-difference gradients and vmap.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import opsExtraFixture from './fixtures/ops_extra.json';
import { expectValues, flat, num } from './helpers/encoded.js';

interface Enc { shape: number[]; values: (number | string)[] }
interface MedianCase { x: Enc; axis: number | number[] | null; keepdims: boolean; out: Enc }
interface EinsumCase { spec: string; inputs: Enc[]; out: Enc }
interface ConvArgs { stride: number | number[]; padding: number | number[]; dilation: number | number[]; outputPadding: number | number[]; groups: number }
interface ConvCase { op: 'convTranspose1d' | 'convTranspose2d'; inputs: Enc[]; args: ConvArgs; out: Enc }
interface DecompCase { a: Enc; q: Enc; r: Enc; s: Enc }
interface NormCase { x: Enc; ord: number | 'nuc'; axis: number[] | null; keepdims: boolean; out: Enc }
const fixture = opsExtraFixture as unknown as {
  median: MedianCase[]; einsum: EinsumCase[]; conv: ConvCase[]; decomp: DecompCase[]; norms: NormCase[];
};

const input = (e: Enc, dtype: mx.Dtype = mx.float32): mx.Array => mx.array(e.values.map(num), dtype).reshape(e.shape);

const DTYPES = [[mx.float32, 1e-5], [mx.float64, 1e-12], [mx.float16, 2e-2]] as const;

describeEachBackend('ops extra', () => {
  // ---- median -------------------------------------------------------------------------------
  it('median matches np.median (axes, keepdims, even counts, ties, NaN) in float32, float64 and float16', () => {
    for (const [dtype, tol] of DTYPES) {
      for (const c of fixture.median) {
        mx.tidy(() => {
          const label = `median ${JSON.stringify(c.x.shape)} ${JSON.stringify(c.axis)} ${c.keepdims} ${dtype}`;
          const y = mx.median(input(c.x, dtype), c.axis, c.keepdims);
          expect(y.dtype, label).toBe(dtype);
          expectValues(y, c.out, tol, label);
          expectValues(mx.median(input(c.x, dtype), { axis: c.axis, keepdims: c.keepdims }), c.out, tol, `${label} options`);
        });
      }
    }
  });

  it('median of integers is float32; of a transposed view; errors name the op', () => {
    mx.tidy(() => {
      const i = mx.array([[5, 1, 4], [2, 9, 3]], mx.int32);
      const m = mx.median(i, 1);
      expect(m.dtype).toBe(mx.float32);
      expect(m.tolist()).toEqual([4, 3]);
      expect(mx.median(i).item()).toBe(3.5); // 1 2 3 4 5 9
      expect(mx.median(mx.transpose(i), 0).tolist()).toEqual([4, 3]);
      expect(() => mx.median(i, 2)).toThrow('[median] Invalid axis 2');
      expect(() => mx.median(i, [0, -2])).toThrow('[median] Received duplicate axes.');
    });
  });

  it('median has vjp and jvp that match finite differences (odd and even counts)', () => {
    mx.tidy(() => {
      checkGrads((x) => mx.median(x, 1), [[3, 5]]);
      checkGrads((x) => mx.median(x, [0, 2]), [[2, 3, 2]]);
      checkGrads((x) => mx.median(x), [[4, 2]]);
    });
  });

  it('median vmaps like a loop over the batch', () => {
    mx.tidy(() => {
      const x = mx.array([[3, 1, 2, 8], [7, 5, 6, 0]], mx.float32);
      const y = mx.vmap((a: mx.Array) => mx.median(a))(x) as mx.Array;
      expect(y.tolist()).toEqual([2.5, 5.5]);
    });
  });

  // ---- einsum -------------------------------------------------------------------------------
  it('einsum matches np.einsum on every fixture case in float32, float64 and float16', () => {
    for (const [dtype, tol] of DTYPES) {
      for (const c of fixture.einsum) {
        mx.tidy(() => {
          const label = `einsum ${c.spec} ${dtype}`;
          const y = mx.einsum(c.spec, ...c.inputs.map((e) => input(e, dtype)));
          expect(y.dtype, label).toBe(dtype);
          expectValues(y, c.out, tol, label);
        });
      }
    }
  });

  it('einsum on integers, strided views and with spaces', () => {
    mx.tidy(() => {
      const a = mx.array([[1, 2], [3, 4]], mx.int32);
      const b = mx.array([[5, 6], [7, 8]], mx.int32);
      const y = mx.einsum('ij,jk->ik', a, b);
      expect(y.dtype).toBe(mx.int32);
      expect(y.tolist()).toEqual([[19, 22], [43, 50]]);
      expect(mx.einsum('ii', a).item()).toBe(5);
      expect(mx.einsum(' ij , jk -> ki ', mx.transpose(a.astype(mx.float32)), b.astype(mx.float32)).tolist()).toEqual([[26, 38], [30, 44]]);
    });
  });

  it('einsum rejects malformed subscripts with [einsum] errors', () => {
    mx.tidy(() => {
      const a = mx.ones([2, 3]);
      expect(() => mx.einsum('ij,jk', a)).toThrow('[einsum] Number of subscript groups (2) does not match the number of operands (1).');
      expect(() => mx.einsum('ijk', a)).toThrow('[einsum] Operand 0 has 2 dimensions');
      expect(() => mx.einsum('ij->k', a)).toThrow('[einsum] Output subscript "k" does not appear in the inputs.');
      expect(() => mx.einsum('ij->ii', a)).toThrow('[einsum] Output subscript "i" appears more than once.');
      expect(() => mx.einsum('i1', a)).toThrow('[einsum] Invalid character "1"');
      expect(() => mx.einsum('ii', a)).toThrow('[einsum] Size of label "i" (3 in operand 0) does not match its size 2 elsewhere.');
      expect(() => mx.einsum('ii', mx.ones([1, 3]))).toThrow('[einsum] Repeated subscript "i" in operand 0 has sizes 1 and 3.');
      expect(() => mx.einsum('ij,ij', a, mx.ones([2, 4]))).toThrow('[einsum] Size of label "j"');
      expect(() => mx.einsum('...i...', a)).toThrow('[einsum] Subscripts "...i..." contain more than one ellipsis.');
      expect(() => mx.einsum('i->->i', a)).toThrow("[einsum] Subscripts \"i->->i\" contain more than one '->'.");
    });
  });

  it('einsum has vjp and jvp that match finite differences', () => {
    mx.tidy(() => {
      checkGrads((a, b) => mx.einsum('ij,jk->ik', a, b), [[2, 3], [3, 2]]);
      checkGrads((a) => mx.einsum('ii->i', a), [[3, 3]]);
      checkGrads((a, b, c) => mx.einsum('ijk,jl,lk->ki', a, b, c), [[2, 3, 2], [3, 2], [2, 2]]);
      checkGrads((a, b) => mx.einsum('...i,...i', a, b), [[2, 3], [3]]);
    });
  });

  it('einsum vmaps like a loop over the batch', () => {
    mx.tidy(() => {
      const a = mx.array([[[1, 2], [3, 4]], [[0, 1], [1, 0]]], mx.float32);
      const v = mx.array([1, 2], mx.float32);
      const y = mx.vmap((m: mx.Array, x: mx.Array) => mx.einsum('ij,j->i', m, x), [0, null])(a, v) as mx.Array;
      expect(y.tolist()).toEqual([[5, 11], [2, 1]]);
    });
  });

  // ---- convTranspose ------------------------------------------------------------------------
  it('convTranspose1d/2d match the direct scatter loop in float32, float64 and float16', () => {
    for (const [dtype, tol] of DTYPES) {
      for (const c of fixture.conv) {
        mx.tidy(() => {
          const [x, w] = c.inputs.map((e) => input(e, dtype)) as [mx.Array, mx.Array];
          const { stride, padding, dilation, outputPadding, groups } = c.args;
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const y = c.op === 'convTranspose1d'
            ? mx.convTranspose1d(x, w, stride as number, padding as number, dilation as number, outputPadding as number, groups)
            : mx.convTranspose2d(x, w, stride, padding, dilation, outputPadding, groups);
          expect(y.dtype, label).toBe(dtype);
          expectValues(y, c.out, tol, label);
          const z = c.op === 'convTranspose1d' ? mx.convTranspose1d(x, w, c.args as mx.ConvTransposeOptions) : mx.convTranspose2d(x, w, c.args as mx.ConvTransposeOptions);
          expectValues(z, c.out, tol, `${label} options`);
        });
      }
    }
  });

  it('convTranspose errors name the op', () => {
    mx.tidy(() => {
      const x = mx.ones([1, 4, 2]);
      expect(() => mx.convTranspose1d(x, mx.ones([3, 2]))).toThrow('[conv_transpose1d] Invalid weight array with 2 dimensions');
      expect(() => mx.convTranspose1d(mx.ones([4, 2]), mx.ones([3, 2, 2]))).toThrow('[conv_transpose1d] Invalid input array with 2 dimensions');
      expect(() => mx.convTranspose1d(x, mx.ones([3, 2, 3]))).toThrow('[conv_transpose1d] Expect the input channels in the input and weight array to match');
      expect(() => mx.convTranspose1d(x.astype(mx.int32), mx.ones([3, 2, 2]))).toThrow('[conv_transpose1d] Invalid input array with type int32');
      expect(() => mx.convTranspose1d(x, mx.ones([3, 2, 1]), { groups: 2 })).toThrow('[conv_transpose1d] If groups > 1, the output channels must be divisible');
      expect(() => mx.convTranspose1d(x, mx.ones([3, 2, 2]), { padding: 4 })).toThrow('[conv_transpose1d] Invalid output size');
      expect(() => mx.convTranspose2d(mx.ones([1, 2, 2, 1]), mx.ones([1, 2, 2, 1]), [1, 0])).toThrow('[conv_transpose2d] Invalid stride');
      expect(() => mx.convTranspose2d(mx.ones([1, 2, 2, 1]), mx.ones([1, 2, 2, 1]), { outputPadding: -1 })).toThrow('[conv_transpose2d] Invalid outputPadding');
    });
  });

  it('convTranspose1d is the adjoint of conv1d (MLX layouts, weight channels swapped)', () => {
    mx.tidy(() => {
      // <conv1d(x, w), y> = <x, convTranspose1d(y, w')> where w'[o, k, c] = w[c, k, o].
      const x = mx.random.normal({ shape: [2, 7, 3], key: mx.random.key(1) }).astype(mx.float64);
      const w = mx.random.normal({ shape: [4, 3, 3], key: mx.random.key(2) }).astype(mx.float64);
      const y0 = mx.conv1d(x, w, 2, 1);
      const y = mx.random.normal({ shape: y0.shape, key: mx.random.key(3) }).astype(mx.float64);
      const wT = mx.transpose(w, [2, 1, 0]);
      const back = mx.convTranspose1d(y, wT, 2, 1); // length (4 - 1) * 2 - 2 + 2 + 1 = 7
      expect(back.shape).toEqual(x.shape);
      const lhs = mx.sum(mx.multiply(y0, y)).item() as number;
      const rhs = mx.sum(mx.multiply(x, back)).item() as number;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
    });
  });

  it('convTranspose has vjp and jvp that match finite differences', () => {
    mx.tidy(() => {
      checkGrads((x, w) => mx.convTranspose1d(x, w, { stride: 2, padding: 1, dilation: 2, outputPadding: 1 }), [[1, 4, 2], [3, 2, 2]]);
      checkGrads((x, w) => mx.convTranspose2d(x, w, { stride: [2, 1], padding: [0, 1], groups: 2 }), [[1, 3, 2, 4], [2, 2, 2, 2]]);
    });
  });

  it('convTranspose vmaps like a loop over the batch', () => {
    mx.tidy(() => {
      const xs = mx.random.normal({ shape: [3, 1, 4, 2], key: mx.random.key(4) });
      const w = mx.random.normal({ shape: [2, 3, 2], key: mx.random.key(5) });
      const y = mx.vmap((x: mx.Array) => mx.convTranspose1d(x, w, 2), [0])(xs) as mx.Array;
      const loop = mx.stack([0, 1, 2].map((i) => mx.convTranspose1d(mx.take(xs, i, 0), w, 2)));
      expect(Math.abs(mx.max(mx.abs(mx.subtract(y, loop))).item() as number)).toBeLessThan(1e-5);
    });
  });

  // ---- qr / svd ---------------------------------------------------------------------------------
  it('qr matches np.linalg.qr (square, tall, wide, batched, rank-deficient) in float32 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-4], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.decomp) {
        mx.tidy(() => {
          const label = `qr ${JSON.stringify(c.a.shape)} ${dtype}`;
          const [q, r] = mx.linalg.qr(input(c.a, dtype));
          expect(q.dtype, label).toBe(dtype);
          expect(r.dtype, label).toBe(dtype);
          expectValues(q, c.q, tol, `${label} q`);
          expectValues(r, c.r, tol, `${label} r`);
        });
      }
    }
  });

  it('svd: singular values match NumPy; u, vt are orthogonal and reconstruct a', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-4], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.decomp) {
        mx.tidy(() => {
          const label = `svd ${JSON.stringify(c.a.shape)} ${dtype}`;
          const a = input(c.a, dtype);
          const [m, n] = c.a.shape.slice(-2) as [number, number];
          const k = Math.min(m, n);
          const [u, s, vt] = mx.linalg.svd(a);
          expect(u.shape, label).toEqual([...c.a.shape.slice(0, -2), m, m]);
          expect(vt.shape, label).toEqual([...c.a.shape.slice(0, -2), n, n]);
          expectValues(s, c.s, tol, `${label} s`);
          expectValues(mx.linalg.svd(a, false), c.s, tol, `${label} s only`);
          const eye = (d: number): Enc => ({ shape: [d, d], values: Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)) });
          const batchEye = (d: number): Enc => {
            const e = eye(d);
            const reps = c.a.shape.slice(0, -2).reduce((p, v) => p * v, 1);
            return { shape: [...c.a.shape.slice(0, -2), d, d], values: Array.from({ length: reps }, () => e.values).flat() };
          };
          expectValues(mx.matmul(mx.swapaxes(u, -1, -2), u), batchEye(m), tol, `${label} u^T u`);
          expectValues(mx.matmul(vt, mx.swapaxes(vt, -1, -2)), batchEye(n), tol, `${label} vt vt^T`);
          const uk = mx.slice(u, [...u.shape.map(() => 0)], [...u.shape.slice(0, -1), k]);
          const vk = mx.slice(vt, [...vt.shape.map(() => 0)], [...vt.shape.slice(0, -2), k, n]);
          expectValues(mx.matmul(mx.multiply(uk, mx.expandDims(s, -2)), vk), c.a, tol * 10, `${label} u s vt`);
        });
      }
    }
  });

  it('qr and svd of 0-size matrices, and their errors', () => {
    mx.tidy(() => {
      const [q, r] = mx.linalg.qr(mx.zeros([3, 0]));
      expect(q.shape).toEqual([3, 0]);
      expect(r.shape).toEqual([0, 0]);
      const [u, s, vt] = mx.linalg.svd(mx.zeros([2, 0]));
      expect(u.tolist()).toEqual([[1, 0], [0, 1]]);
      expect(s.shape).toEqual([0]);
      expect(vt.shape).toEqual([0, 0]);
      expect(mx.linalg.svd(mx.zeros([0, 3, 2]), false).shape).toEqual([0, 2]);
      expect(() => mx.linalg.qr(mx.ones([3, 3], mx.int32))).toThrow('[linalg::qr] Arrays must have type float32 or float64. Received array with type int32.');
      expect(() => mx.linalg.qr(mx.ones([3]))).toThrow('[linalg::qr] Arrays must have >= 2 dimensions.');
      expect(() => mx.linalg.svd(mx.ones([3, 3], mx.float16))).toThrow('[linalg::svd] Arrays must have type float32 or float64.');
      expect(() => mx.linalg.svd(mx.ones([3]))).toThrow('[linalg::svd] Arrays must have >= 2 dimensions.');
    });
  });

  it('svd(compute_uv=false) has vjp and jvp that match finite differences; qr and uv raise', () => {
    mx.tidy(() => {
      checkGrads((a) => mx.linalg.svd(a, false), [[3, 3]]);
      checkGrads((a) => mx.linalg.svd(a, false), [[2, 4, 3]]);
      checkGrads((a) => mx.linalg.svd(a, false), [[2, 4]]);
      const a = mx.array([[2, 1], [1, 3]], mx.float32);
      expect(() => mx.grad((x: mx.Array) => mx.sum(mx.linalg.qr(x)[1]))(a)).toThrow('[linalg::qr] The vjp of the QR factorization is not implemented.');
      expect(() => mx.grad((x: mx.Array) => mx.sum(mx.linalg.svd(x)[1]))(a)).toThrow('[linalg::svd] The vjp through the singular vectors (compute_uv=true) is not implemented');
    });
  });

  it('qr and svd vmap like a loop over the batch', () => {
    mx.tidy(() => {
      const a = mx.random.normal({ shape: [3, 4, 2], key: mx.random.key(6) });
      const r = mx.vmap((x: mx.Array) => mx.linalg.qr(x)[1], [2])(a) as mx.Array;
      const s = mx.vmap((x: mx.Array) => mx.linalg.svd(x, false), [2])(a) as mx.Array;
      for (let i = 0; i < 2; i++) {
        const col = mx.take(a, i, 2);
        const d1 = mx.max(mx.abs(mx.subtract(mx.take(r, i, 0), mx.linalg.qr(col)[1]))).item() as number;
        const d2 = mx.max(mx.abs(mx.subtract(mx.take(s, i, 0), mx.linalg.svd(col, false)))).item() as number;
        expect(d1).toBeLessThan(1e-6);
        expect(d2).toBeLessThan(1e-6);
      }
    });
  });

  // ---- norms from singular values ---------------------------------------------------------------
  it("linalg.norm with ord 'nuc', 2, -2 matches NumPy", () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.norms) {
        mx.tidy(() => {
          const label = `norm ${JSON.stringify(c.x.shape)} ${c.ord} ${JSON.stringify(c.axis)} ${c.keepdims} ${dtype}`;
          const y = mx.linalg.norm(input(c.x, dtype), c.ord, c.axis, c.keepdims);
          expect(y.dtype, label).toBe(dtype);
          expectValues(y, c.out, tol, label);
        });
      }
    }
  });

  it("linalg.norm 'nuc' and 2 have vjp and jvp that match finite differences", () => {
    mx.tidy(() => {
      checkGrads((x) => mx.linalg.norm(x, 'nuc'), [[3, 2]]);
      checkGrads((x) => mx.linalg.norm(x, 2, [0, 2]), [[2, 2, 3]]);
      checkGrads((x) => mx.linalg.norm(x, -2), [[3, 3]]);
    });
  });
});
