// MLX's python/tests/test_blas.py, ported test by test (same names, shapes, dtypes, scales
// and tolerances). MLX draws its operands with np.random and compares with NumPy's matmul;
// here they are drawn with mx.random (same distributions, a different generator), read back,
// and NumPy's product is recomputed on the host in float64 (test/helpers/host_nd.ts), then
// rounded to the dtype NumPy's result has. Tests whose reference is itself MLX code (vjp
// against a composition of ops) are ported as they are. MLX's dtypes are float32 and float16.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import * as h from './helpers/host_nd.js';

const run = (fn: () => void) => (): void => {
  mx.tidy(() => {
    fn();
    return undefined;
  });
};
const DTYPES = [mx.float32, mx.float16];
const sum = (s: readonly number[]): number => s.reduce((p, v) => p + v, 0);
const T3 = [0, 2, 1];

/** np.random.normal(0, std, shape).astype(dtype), with mx.random. */
const normal = (shape: number[], std: number, dtype: mx.Dtype = mx.float32): mx.Array =>
  mx.random.normal(shape, mx.float32, 0, std).astype(dtype);

const expectClose = (actual: mx.Array, expected: h.Host, atol: number, rtol = 1e-5, what = ''): void => {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  expect(h.closeness(actual, expected, rtol, atol), what).toBe('');
};
const allclose = (a: mx.Array, b: mx.Array, atol = 1e-8, rtol = 1e-5): boolean =>
  mx.tidy(() => mx.allclose(a, b, rtol, atol).item() as boolean);

/** Host twin of an operand: the values read back, then the same transpose / broadcast. */
type Fn = { mx: (x: mx.Array) => mx.Array; np: (x: h.Host) => h.Host };
const ID: Fn = { mx: (x) => x, np: (x) => x };
const transposeFn = (perm: number[]): Fn => ({ mx: (x) => mx.transpose(x, perm), np: (x) => h.transpose(x, perm) });
const broadcastFn = (shape: number[]): Fn => ({ mx: (x) => mx.broadcastTo(x, shape), np: (x) => h.broadcastTo(x, shape) });

describeEachBackend('MLX test_blas.py', () => {
  /** MLX's __gemm_test: NumPy multiplies the float32 values and rounds to the dtype; atol 1e-5. */
  function gemmTest(shapeA: number[], shapeB: number[], dtype: mx.Dtype, fA = ID, fB = ID, what = ''): void {
    mx.tidy(() => {
      mx.random.seed(42);
      const scale = Math.max(sum(shapeA), 128);
      const aMx = normal(shapeA, 1 / scale, dtype);
      const bMx = normal(shapeB, 1 / scale, dtype);
      const outNp = h.matmul(fA.np(h.host(aMx)), fB.np(h.host(bMx)));
      const outMx = mx.matmul(fA.mx(aMx), fB.mx(bMx));
      expectClose(outMx, h.roundTo(outNp, dtype), 1e-5, 1e-5, `${what} ${dtype} ${shapeA} @ ${shapeB}`);
    });
  }

  // MLX returns early from this test without a GPU; it runs on mlxjs's CPU kernels here.
  it('test_matmul_unaligned', run(() => {
    for (const dtype of DTYPES) {
      for (const dim of [4, 8, 16, 32, 64, 128]) {
        for (const p of [-2, -1, 0, 1, 2]) gemmTest([dim + p, dim + p], [dim + p, dim + p], dtype);
      }
    }
  }));

  it('test_matvec_unaligned', run(() => {
    mx.random.seed(0);
    const a = mx.random.normal([4, 128]);
    const b = mx.random.normal([129]).index(mx.Slice(1));
    expectClose(mx.matmul(a, b), h.matmul(h.host(a), h.host(b)), 1e-8);
  }));

  // MLX returns early without a GPU; the CPU shapes of its list run here (its GPU-only
  // (16, 768, 768, 128) and (1, 64, 64, 4096) are left out, as MLX leaves them out on the CPU).
  it('test_matmul_shapes', run(() => {
    for (const dtype of DTYPES) {
      for (const [B, M, N, K] of [[1, 2, 1, 1], [1, 1, 2, 1], [3, 23, 457, 3]] as const) {
        gemmTest([B, M, K], [B, K, N], dtype, ID, ID, 'nn');
        gemmTest([B, M, K], [B, N, K], dtype, ID, transposeFn(T3), 'nt');
        gemmTest([B, K, M], [B, K, N], dtype, transposeFn(T3), ID, 'tn');
        gemmTest([B, K, M], [B, N, K], dtype, transposeFn(T3), transposeFn(T3), 'tt');
      }
    }
  }));

  it('test_matmul', run(() => {
    const a = mx.array([[1.0, 2.0], [3.0, 4.0]]);
    const b = mx.array([[0.0, -1.0], [-3.0, 3.0]]);
    const expected = [[-6.0, 5.0], [-12.0, 9.0]];
    expect(a.matmul(b).tolist()).toEqual(expected);
    expect(mx.matmul(a, b).tolist()).toEqual(expected);
    // Transposed matmul.
    mx.random.seed(0);
    const aMx = normal([128, 16], 1 / 128);
    const bMx = normal([128, 16], 1 / 128);
    const [aNp, bNp] = [h.host(aMx), h.host(bMx)];
    expectClose(mx.matmul(aMx, mx.transpose(bMx, [1, 0])), h.matmul(aNp, h.transpose(bNp, [1, 0])), 1e-6);
    expectClose(mx.matmul(mx.transpose(aMx, [1, 0]), bMx), h.matmul(h.transpose(aNp, [1, 0]), bNp), 1e-6);
  }));

  it('test_matmul_dtypes', run(() => {
    mx.random.seed(1);
    for (const dt of DTYPES) {
      const a = normal([16, 16, 16], 1 / 256, dt);
      const b = normal([16, 16, 16], 1 / 256, dt);
      // np.matmul(a, b, dtype=dt): the product rounded to dt.
      expectClose(mx.matmul(a, b), h.roundTo(h.matmul(h.host(a), h.host(b)), dt), 1e-6, 1e-5, String(dt));
    }
  }));

  it('test_matmul_batched', run(() => {
    mx.random.seed(0);
    const check = (aMx: mx.Array, bMx: mx.Array, fA = ID, fB = ID, what = ''): void =>
      mx.tidy(() => expectClose(mx.matmul(fA.mx(aMx), fB.mx(bMx)), h.matmul(fA.np(h.host(aMx)), fB.np(h.host(bMx))), 1e-6, 1e-5, what));
    // Batched matmul.
    let a = normal([32, 128, 16], 1 / 128);
    let b = normal([32, 16, 16], 1 / 128);
    check(a, b, ID, ID, 'batched');
    // Batched and transposed matmul.
    b = normal([32, 128, 16], 1 / 128);
    check(a, b, ID, transposeFn(T3), 'batched transposed');
    // Batched matmul with simple broadcast.
    a = normal([32, 128, 16], 1 / 128);
    b = normal([16, 16], 1 / 128);
    check(a, b, ID, ID, 'broadcast');
    // Both operands broadcast.
    check(b, b, broadcastFn([5, 16, 16]), broadcastFn([5, 16, 16]), 'both broadcast');
    // Batched and transposed matmul with simple broadcast.
    a = normal([32, 128, 16], 1 / 128);
    b = normal([128, 16], 1 / 128);
    check(a, b, ID, transposeFn([1, 0]), 'broadcast transposed');
    // Matmul with vector.
    a = normal([32, 128, 16], 1 / 128);
    b = normal([16], 1 / 128);
    check(a, b, ID, ID, 'vector');
    // Multi-headed attention style matmul.
    a = normal([64, 16, 4, 32], 1 / 128);
    b = normal([64, 16, 4, 32], 1 / 128);
    const heads = transposeFn([0, 2, 1, 3]);
    const headsT: Fn = { mx: (x) => mx.transpose(heads.mx(x), [0, 1, 3, 2]), np: (x) => h.transpose(heads.np(x), [0, 1, 3, 2]) };
    check(a, b, heads, headsT, 'attention');
  }));

  /** MLX's __gemv_test: NumPy multiplies in the dtype itself; atol 1e-5. */
  function gemvTest(shapeMat: number[], shapeVec: number[], dtype: mx.Dtype, matFirst: boolean, fMat = ID, fVec = ID): void {
    mx.tidy(() => {
      mx.random.seed(42);
      const scale = Math.max(sum(shapeMat), 32);
      const matMx = normal(shapeMat, 1 / scale, dtype);
      const vecMx = normal(shapeVec, 1 / scale, dtype);
      const [m, v] = [fMat.np(h.host(matMx)), fVec.np(h.host(vecMx))];
      const outNp = h.roundTo(matFirst ? h.matmul(m, v) : h.matmul(v, m), dtype);
      const outMx = matFirst ? mx.matmul(fMat.mx(matMx), fVec.mx(vecMx)) : mx.matmul(fVec.mx(vecMx), fMat.mx(matMx));
      expectClose(outMx, outNp, 1e-5, 1e-5, `${dtype} mat ${shapeMat} vec ${shapeVec} matFirst=${matFirst}`);
    });
  }

  // One test per dtype and size (the 2048 ones are large), so none blocks vitest's worker long.
  for (const dtype of DTYPES) {
    it(`test_matrix_vector ${dtype} square`, run(() => {
      gemvTest([64, 64], [64, 1], dtype, true);
      gemvTest([64, 64], [64, 1], dtype, false, ID, transposeFn([1, 0]));
    }));
    // Vector-matrix and matrix-vector products with aligned and unaligned shapes. MLX's
    // largest base is 2048; here it is 1024 (still past every kernel's tile and unaligned
    // by one either way): drawing and reading back eighteen 2048x2048 operands per dtype
    // took ~50 s, more than this whole file may take per backend.
    for (const [inLen, outLen] of [[2, 2], [32, 32], [64, 64], [1024, 1024]] as const) {
      it(`test_matrix_vector ${dtype} ${inLen}x${outLen}`, run(() => {
        for (const mi of [-1, 0, 1]) {
          for (const mj of [-1, 0, 1]) {
            gemvTest([inLen + mi, outLen + mj], [1, inLen + mi], dtype, false);
            gemvTest([outLen + mj, inLen + mi], [inLen + mi, 1], dtype, true);
          }
        }
      }));
    }
  }

  it('test_matrix_vector_batched', run(() => {
    for (const dtype of DTYPES) {
      for (const [shapeMat, shapeVec] of [
        [[32, 128, 64], [32, 64, 1]],
        [[128, 64], [32, 64, 1]],
        [[32, 128, 64], [64, 1]],
        [[2, 1, 8, 1, 6, 128], [2, 1, 8, 4, 128, 1]],
      ]) gemvTest(shapeMat!, shapeVec!, dtype, true);
      for (const [shapeVec, shapeMat] of [
        [[32, 1, 128], [32, 128, 64]],
        [[32, 1, 128], [128, 64]],
        [[1, 128], [32, 128, 64]],
        [[1, 8, 4, 1, 128], [1, 8, 1, 128, 6]],
      ]) gemvTest(shapeMat!, shapeVec!, dtype, false);
    }
  }));

  it('test_matrix_vector_broadcast', run(() => {
    for (const dtype of DTYPES) {
      for (const [shapeMat, shapeVec] of [
        [[32, 64, 64], [32, 64, 1]],
        [[64, 64], [32, 64, 1]],
        [[32, 64, 64], [64, 1]],
      ]) gemvTest([64, 64], [64, 1], dtype, true, broadcastFn(shapeMat!), broadcastFn(shapeVec!));
      for (const [shapeVec, shapeMat] of [
        [[32, 1, 64], [32, 64, 64]],
        [[32, 1, 64], [64, 64]],
        [[1, 64], [32, 64, 64]],
      ]) gemvTest([64, 64], [1, 64], dtype, false, broadcastFn(shapeMat!), broadcastFn(shapeVec!));
    }
  }));

  it('test_matrix_vector_attn', run(() => {
    // Multi-query style attention.
    mx.random.seed(3);
    for (const dtype of DTYPES) {
      for (const [B, D, nKvHeads, factor, qsl, ksl] of [
        [1, 16, 8, 4, 1, 256],
        [1, 16, 8, 4, 32, 256],
        [1, 16, 8, 4, 256, 1],
        [4, 16, 8, 4, 1, 256],
        [4, 16, 8, 4, 256, 1],
      ] as const) {
        mx.tidy(() => {
          const nQHeads = nKvHeads * factor;
          const Dk = D * nKvHeads;
          const Dq = D * nQHeads;
          const scale = 1 / Math.sqrt(Dk);
          const uni = (shape: number[]): mx.Array => mx.random.uniform(-scale, scale, shape).astype(dtype);
          const q = uni([B, qsl, Dq]);
          const k = uni([B, ksl, Dk]);
          const v = uni([B, ksl, Dk]);
          // Rearranged to move the heads up, as MLX's test does on both sides.
          const qR = mx.transpose(mx.reshape(q, [B, qsl, nKvHeads, factor, -1]), [0, 2, 3, 1, 4]);
          const kR = mx.transpose(mx.reshape(k, [B, ksl, nKvHeads, 1, -1]), [0, 2, 3, 4, 1]);
          const vR = mx.transpose(mx.reshape(v, [B, ksl, nKvHeads, 1, -1]), [0, 2, 3, 1, 4]);
          const sMx = mx.matmul(qR, kR);
          const oMx = mx.reshape(mx.transpose(mx.matmul(sMx, vR), [0, 3, 1, 2, 4]), [B, qsl, -1]);
          const qN = h.transpose(h.reshape(h.host(q), [B, qsl, nKvHeads, factor, D]), [0, 2, 3, 1, 4]);
          const kN = h.transpose(h.reshape(h.host(k), [B, ksl, nKvHeads, 1, D]), [0, 2, 3, 4, 1]);
          const vN = h.transpose(h.reshape(h.host(v), [B, ksl, nKvHeads, 1, D]), [0, 2, 3, 1, 4]);
          // NumPy computes in the dtype: each product is rounded to it.
          const sN = h.roundTo(h.matmul(qN, kN), dtype);
          const oN = h.transpose(h.roundTo(h.matmul(sN, vN), dtype), [0, 3, 1, 2, 4]);
          const what = `${dtype} B=${B} qsl=${qsl} ksl=${ksl}`;
          expectClose(sMx, sN, 1e-4, 1e-5, what);
          expectClose(oMx, h.reshape(oN, [B, qsl, oN.data.length / (B * qsl)]), 1e-4, 1e-5, what);
        });
      }
    }
  }));

  it('test_matrix_vector_edgecases', run(() => {
    for (const dtype of DTYPES) {
      for (let inLen = 1; inLen < 5; inLen++) {
        for (let outLen = 1; outLen < 5; outLen++) {
          for (let batch = 1; batch < 5; batch++) {
            mx.tidy(() => {
              const scaleRows = mx.reshape(mx.arange(1, batch + 1, dtype), [batch, 1, 1]); // b[i] *= i + 1
              const a = mx.ones([batch, outLen, inLen], dtype);
              const what = `${dtype} ${batch} ${inLen} ${outLen}`;
              // Matrix-vector: every row of a sums inLen copies of (i + 1).
              let b = mx.multiply(mx.ones([batch, inLen, 1], dtype), scaleRows);
              let c = mx.matmul(a, b);
              expect(c.shape, what).toEqual([batch, outLen, 1]);
              expect(c.tolist(), what).toEqual(Array.from({ length: batch }, (_, i) => Array.from({ length: outLen }, () => [inLen * (i + 1)])));
              // Vector-matrix.
              b = mx.multiply(mx.ones([batch, 1, outLen], dtype), scaleRows);
              c = mx.matmul(b, a);
              expect(c.shape, what).toEqual([batch, 1, inLen]);
              expect(c.tolist(), what).toEqual(Array.from({ length: batch }, (_, i) => [new Array<number>(inLen).fill(outLen * (i + 1))]));
            });
          }
        }
      }
    }
  }));

  it('test_mismatch_stride_mm', run(() => {
    mx.random.seed(0);
    const aMx = normal([4, 16, 16], 1 / 128);
    const bMx = normal([4, 16, 16], 1 / 128);
    const [aNp, bNp] = [h.host(aMx), h.host(bMx)];
    type Spec = ([number, number, number] | null)[];
    const S = mx.Slice;
    const cases: [mx.Array, Spec, mx.Array, Spec, boolean][] = [
      // Matmul with batches: a[::2] @ b[1::2]
      [aMx.index(S(null, null, 2)), [[0, 4, 2]], bMx.index(S(1, null, 2)), [[1, 4, 2]], false],
      // Matvec with batches: a[::2] @ b[1::2, :, 2:3]
      [aMx.index(S(null, null, 2)), [[0, 4, 2]], bMx.index(S(1, null, 2), ':', S(2, 3)), [[1, 4, 2], null, [2, 3, 1]], false],
      // Matmul with slices: a[:, :8, :] @ b[:, :, :8] and a[:, :, :8] @ b[:, :8, :]
      [aMx.index(':', S(null, 8)), [null, [0, 8, 1]], bMx.index(':', ':', S(null, 8)), [null, null, [0, 8, 1]], false],
      [aMx.index(':', ':', S(null, 8)), [null, null, [0, 8, 1]], bMx.index(':', S(null, 8)), [null, [0, 8, 1]], false],
      // Matmul transposed with slices: a[:, :8, :] @ b[:, :8, :].swapaxes(-1, -2), ...
      [aMx.index(':', S(null, 8)), [null, [0, 8, 1]], bMx.index(':', S(null, 8)), [null, [0, 8, 1]], true],
      [aMx.index(':', ':', S(null, 8)), [null, null, [0, 8, 1]], bMx.index(':', ':', S(null, 8)), [null, null, [0, 8, 1]], true],
      // Matvec with slices: a[:, :8, :] @ b[:, :, 6:7] and a[:, :, :8] @ b[:, 3:11, 2:3]
      [aMx.index(':', S(null, 8)), [null, [0, 8, 1]], bMx.index(':', ':', S(6, 7)), [null, null, [6, 7, 1]], false],
      [aMx.index(':', ':', S(null, 8)), [null, null, [0, 8, 1]], bMx.index(':', S(3, 11), S(2, 3)), [null, [3, 11, 1], [2, 3, 1]], false],
    ];
    cases.forEach(([a, sa, b, sb, swap], i) => {
      const bN = h.slice(bNp, sb);
      const cMx = mx.matmul(a, swap ? mx.swapaxes(b, -1, -2) : b);
      expectClose(cMx, h.matmul(h.slice(aNp, sa), swap ? h.transpose(bN, [0, 2, 1]) : bN), 1e-5, 1e-5, `case ${i}`);
    });
  }));

  it('test_addmm', run(() => {
    mx.random.seed(0);
    const alpha = 0.5;
    const ref = (a: mx.Array, b: mx.Array, c: mx.Array, beta: number, fB = ID): h.Host => {
      const p = h.matmul(h.host(a), fB.np(h.host(b)));
      const cc = h.broadcastTo(h.host(c), h.broadcastShapes(p.shape, c.shape));
      const pp = h.broadcastTo(p, cc.shape);
      return { shape: cc.shape, data: pp.data.map((v, i) => alpha * v + beta * cc.data[i]!) };
    };
    const check = (a: mx.Array, b: mx.Array, cShapes: number[][], beta: number, fB = ID): void => {
      for (const cShape of cShapes) {
        mx.tidy(() => {
          const c = mx.ones(cShape);
          expectClose(mx.addmm(c, a, fB.mx(b), alpha, beta), ref(a, b, c, beta, fB), 1e-5, 1e-5, `c ${cShape} a ${a.shape} b ${b.shape}`);
        });
      }
    };
    for (const beta of [1.0, 2.0]) {
      // c must broadcast to the output shape.
      expect(() => mx.addmm(mx.zeros([2, 2, 2]), mx.zeros([2, 2]), mx.zeros([2, 2]))).toThrow(/^\[addmm\] /);
      // Regular batched case.
      const a = normal([32, 128, 16], 1 / 128);
      let b = normal([32, 16, 16], 1 / 128);
      check(a, b, [[1], [1, 16], [32, 1, 16], [1, 128, 16]], beta);
      // Batched and transposed.
      b = normal([32, 128, 16], 1 / 128);
      check(a, b, [[1], [32, 1, 128], [1, 128]], beta, transposeFn(T3));
      // Batched with simple broadcast.
      check(normal([32, 128, 16], 1 / 128), normal([16, 16], 1 / 128), [[1], [1, 16], [32, 1, 16], [1, 128, 16]], beta);
      // Matmul with vector.
      check(normal([16], 1 / 128), normal([32, 16, 128], 1 / 128), [[1], [128], [32, 128]], beta);
      check(normal([32, 128, 16], 1 / 128), normal([16], 1 / 128), [[1], [32, 128]], beta);
      // Split-K specialization.
      check(normal([64, 4096], 1 / 128), normal([4096, 32], 1 / 128), [[1], [1, 32], [64, 1], [64, 32]], beta);
      mx.tidy(() => {
        // Transposed c.
        const at = mx.transpose(mx.ones([10, 5]));
        const bb = mx.ones([5, 5]);
        const out = mx.addmm(at, bb, at, { beta, alpha });
        expect(allclose(mx.add(mx.multiply(beta, at), mx.multiply(alpha, mx.matmul(bb, at))), out)).toBe(true);
        // Broadcast c.
        const c = mx.ones([1, 5]);
        const out2 = mx.addmm(c, bb, bb, { beta, alpha });
        expect(allclose(mx.add(mx.multiply(beta, c), mx.multiply(alpha, mx.matmul(bb, bb))), out2)).toBe(true);
      });
    }
  }));

  it('test_addmm_grad', run(() => {
    mx.random.seed(1);
    const alpha = 2.0;
    for (const beta of [1.0, 0.5]) {
      const fRef = (c: mx.Array, a: mx.Array, b: mx.Array): mx.Array => mx.add(mx.multiply(alpha, mx.matmul(a, b)), mx.multiply(beta, c));
      const fTest = (c: mx.Array, a: mx.Array, b: mx.Array): mx.Array => mx.addmm(c, a, b, alpha, beta);
      for (const [B, M, N, K] of [[1, 64, 32, 128], [4, 28, 24, 47], [1, 1, 24, 47]] as const) {
        mx.tidy(() => {
          const cotan = mx.ones([B, M, N]);
          const c = mx.random.normal([B, M, N]);
          const a = mx.random.normal([B, M, K]);
          const b = mx.random.normal([B, K, N]);
          const [outRef, doutRef] = mx.vjp(fRef, [c, a, b], [cotan]);
          const [outTest, doutTest] = mx.vjp(fTest, [c, a, b], [cotan]);
          expect(allclose(outRef[0]!, outTest[0]!, 1e-4)).toBe(true);
          doutRef.forEach((r, i) => {
            expect(r.shape).toEqual(doutTest[i]!.shape);
            expect(allclose(r, doutTest[i]!, 1e-4), `beta=${beta} ${B},${M},${N},${K} d${i}`).toBe(true);
          });
        });
      }
    }
  }));

  it('test_empty_matmul', run(() => {
    let a = mx.transpose(mx.array([[], []]));
    let b = mx.array([[1.0, 2.0], [2.0, 3.0]]);
    let c = mx.matmul(a, b);
    mx.eval(c);
    expect(c.shape).toEqual([0, 2]);
    a = mx.array([[1.0, 2.0], [2.0, 3.0]]);
    b = mx.array([[], []]);
    c = mx.matmul(a, b);
    mx.eval(c);
    expect(c.shape).toEqual([2, 0]);
    a = mx.transpose(mx.array([[], []]));
    b = mx.array([[], []]);
    c = mx.matmul(a, b);
    mx.eval(c);
    expect(c.shape).toEqual([0, 0]);

    c = mx.array(1.0, mx.float32);
    a = mx.array([], mx.float32);
    b = mx.array([], mx.float32);
    const out = mx.addmm(c, a, b);
    expect(out.item()).toBe(1.0);
    expect(out.shape).toEqual([]);

    a = mx.zeros([5, 0]);
    b = mx.zeros([0, 5]);
    c = mx.random.uniform(0, 1, [5, 5]);
    expect(allclose(mx.addmm(c, a, b), c)).toBe(true);
  }));

  describeBlockMasked();

  it('test_gather_matmul', run(() => {
    mx.random.seed(5);
    /** NumPy's a[lhs] @ b[rhs] over the flattened batches (default: every matrix in turn). */
    const npGatherMm = (a: h.Host, b: h.Host, lhs: number[][] | number[] | null, rhs: number[][] | number[] | null): h.Host => {
      const flat = (x: h.Host): h.Host => {
        const [r, c] = x.shape.slice(-2) as [number, number];
        return h.reshape(x, [x.data.length / (r * c), r, c]);
      };
      // x[idx] with idx of any shape: [...idx.shape, rows, cols].
      const take = (x: h.Host, idx: number[][] | number[]): h.Host => {
        const flatIdx = idx.flat();
        const idxShape = Array.isArray(idx[0]) ? [idx.length, (idx[0] as number[]).length] : [idx.length];
        const m = x.shape[1]! * x.shape[2]!;
        const data = new Float64Array(flatIdx.length * m);
        flatIdx.forEach((q, i) => data.set(x.data.subarray(q * m, (q + 1) * m), i * m));
        return { shape: [...idxShape, x.shape[1]!, x.shape[2]!], data };
      };
      const fa = flat(a);
      const fb = flat(b);
      const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
      return h.matmul(take(fa, lhs ?? all(fa.shape[0]!)), take(fb, rhs ?? all(fb.shape[0]!)));
    };
    const testShape = (M: number, N: number, K: number, batchA: number[], batchB: number[], lhs: number[][] | number[] | null, rhs: number[][] | number[] | null): void => {
      mx.tidy(() => {
        const a = mx.random.normal([...batchA, M, K]);
        const b = mx.random.normal([...batchB, K, N]);
        const outNp = npGatherMm(h.host(a), h.host(b), lhs, rhs);
        // mx.array of Python ints is int32; JS numbers make float32, so the dtype is given.
        const outMx = mx.gatherMm(a, b, { lhsIndices: lhs ? mx.array(lhs, mx.int32) : null, rhsIndices: rhs ? mx.array(rhs, mx.int32) : null });
        expect(h.closeness(outMx, outNp, 1e-5, 1e-5), `${batchA} ${lhs} ${batchB} ${rhs} ${M},${N},${K}`).toBe('');
      });
    };
    const inputs: [number[], number[][] | number[] | null, number[], number[][] | number[] | null][] = [
      [[1], [0], [3], [2, 1]],
      [[1], null, [3], [2, 1]],
      [[2], null, [3], [2, 1]],
      [[3], [0, 2], [1], [0]],
      [[5], [0, 2], [3], [2, 1]],
      [[4, 2], [[7, 6], [5, 4], [1, 2]], [4, 1], [[2], [0], [1]]],
    ];
    for (const [batchA, lhs, batchB, rhs] of inputs) {
      testShape(32, 32, 32, batchA, batchB, lhs, rhs);
      testShape(16, 1, 16, batchA, batchB, lhs, rhs);
    }
    // Broadcasting.
    const a0 = mx.random.normal([5, 32, 32]);
    const b0 = mx.random.normal([3, 32, 32]);
    const aNp = h.broadcastTo(h.reshape(h.host(a0), [5, 1, 32, 32]), [5, 4, 32, 32]);
    const bNp = h.transpose(h.broadcastTo(h.reshape(h.host(b0), [1, 3, 32, 32]), [2, 3, 32, 32]), [1, 0, 2, 3]);
    const lhsIdx = [0, 13, 12];
    const rhsIdx = [0, 3, 5];
    const outNp = npGatherMm(aNp, bNp, lhsIdx, rhsIdx);
    const aMx = mx.broadcastTo(mx.reshape(a0, [5, 1, 32, 32]), [5, 4, 32, 32]);
    const bMx = mx.swapaxes(mx.broadcastTo(mx.reshape(b0, [1, 3, 32, 32]), [2, 3, 32, 32]), 1, 0);
    const outMx = mx.gatherMm(aMx, bMx, { lhsIndices: mx.array(lhsIdx, mx.int32), rhsIndices: mx.array(rhsIdx, mx.int32) });
    expect(h.closeness(outMx, outNp, 1e-5, 1e-5), 'broadcast').toBe('');
    // Gemv.
    const a1 = mx.random.normal([5, 1, 32]);
    const b1 = mx.random.normal([3, 16, 32]);
    const outNp1 = npGatherMm(h.host(a1), h.transpose(h.host(b1), [0, 2, 1]), [3, 1], [0, 2]);
    const outMx1 = mx.gatherMm(a1, mx.swapaxes(b1, -1, -2), { lhsIndices: mx.array([3, 1], mx.int32), rhsIndices: mx.array([0, 2], mx.int32) });
    expect(h.closeness(outMx1, outNp1, 1e-5, 1e-5), 'gemv').toBe('');
  }));

  it('test_gather_matmul_grad', run(() => {
    mx.random.seed(6);
    const lhsIndices = mx.array([[7, 6], [4, 1], [0, 2]], mx.uint32);
    const rhsIndices = mx.array([[2], [0], [1]], mx.uint32);
    const fRef = (a: mx.Array, b: mx.Array): mx.Array => {
      const l = mx.broadcastTo(lhsIndices, [3, 2]);
      const r = mx.broadcastTo(rhsIndices, [3, 2]);
      const [M, K] = a.shape.slice(-2) as [number, number];
      const N = b.shape.at(-1)!;
      const aa = mx.take(mx.reshape(a, [-1, M, K]), l, 0);
      const bb = mx.take(mx.reshape(b, [-1, K, N]), r, 0);
      return mx.matmul(aa, bb);
    };
    const fTest = (a: mx.Array, b: mx.Array): mx.Array => mx.gatherMm(a, b, { lhsIndices, rhsIndices });
    const a = mx.random.normal([4, 2, 32, 32]);
    const b = mx.random.normal([4, 1, 32, 32]);
    const outTest = fTest(a, b);
    expect(allclose(outTest, fRef(a, b), 1e-5)).toBe(true);
    const cotan = mx.onesLike(outTest);
    const [, doutRef] = mx.vjp(fRef, [a, b], [cotan]);
    const [, doutTest] = mx.vjp(fTest, [a, b], [cotan]);
    doutRef.forEach((r, i) => {
      expect(r.shape).toEqual(doutTest[i]!.shape);
      expect(allclose(r, doutTest[i]!, 1e-4)).toBe(true);
    });
  }));

  it('test_gather_mm_sorted', run(() => {
    mx.random.seed(7);
    const ref = (a: mx.Array, b: mx.Array, rhs: mx.Array): mx.Array => mx.matmul(a, mx.take(b, rhs, 0));
    const test = (a: mx.Array, b: mx.Array, rhs: mx.Array): mx.Array => mx.gatherMm(a, b, { rhsIndices: rhs, sortedIndices: true });
    const a = mx.random.normal([100, 1, 100]);
    const b = mx.random.normal([8, 100, 100]);
    const rhs = mx.sort(mx.random.randint(0, 8, [100]));
    const c1 = ref(a, b, rhs);
    expect(allclose(c1, test(a, b, rhs), 1e-4)).toBe(true);
    const cotan = mx.random.normal(c1.shape);
    const [o1, d1] = mx.vjp((x: mx.Array, y: mx.Array) => ref(x, y, rhs), [a, b], [cotan]);
    const [o2, d2] = mx.vjp((x: mx.Array, y: mx.Array) => test(x, y, rhs), [a, b], [cotan]);
    expect(allclose(o1[0]!, o2[0]!, 1e-4)).toBe(true);
    expect(allclose(d1[0]!, d2[0]!, 1e-4)).toBe(true);
    expect(allclose(d1[1]!, d2[1]!, 1e-4)).toBe(true);
  }));

  for (const [M, N, K] of [[10, 10, 10], [10, 10, 1000], [1000, 1000, 1000]] as const) {
    it(`test_segmented_mm M=${M} N=${N} K=${K}`, run(() => {
      mx.random.seed(8);
      const ref = (a: mx.Array, b: mx.Array, s: mx.Array): mx.Array =>
        mx.stack((s.tolist() as number[][]).map(([s1, s2]) => mx.matmul(a.index(':', mx.Slice(s1, s2)), b.index(mx.Slice(s1, s2)))), 0);
      for (const s of [[0, 0, 1.0], [0, 0.5, 1.0], Array.from({ length: 10 }, (_, r) => r / 9)]) {
        mx.tidy(() => {
          const pairs = s.slice(0, -1).map((v, i) => [v, s[i + 1]!]);
          const segments = mx.minimum(K - 1, mx.multiply(K, mx.array(pairs)).astype(mx.uint32));
          for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
            mx.tidy(() => {
              const a0 = mx.random.normal(ta ? [K, M] : [M, K]);
              const b0 = mx.random.normal(tb ? [N, K] : [K, N]);
              const a = ta ? mx.transpose(a0) : a0;
              const b = tb ? mx.transpose(b0) : b0;
              expect(allclose(ref(a, b, segments), mx.segmentedMm(a, b, segments), 1e-4), `${s} ${ta} ${tb}`).toBe(true);
            });
          }
        });
      }
    }));
  }

  it('test_segmented_mm errors and batched segments', run(() => {
    mx.random.seed(9);
    const a = mx.ones([2, 10, 10]);
    expect(() => mx.segmentedMm(a, a, mx.array([[0, 5], [5, 10]]).astype(mx.uint32))).toThrow(/^\[segmented_mm\] /);
    const a2 = mx.ones([10, 1000]);
    const idx = mx.random.randint(0, 16, [1000]);
    let s = mx.zeros([16], idx.dtype).at(idx).add(1);
    s = mx.cumsum(mx.sort(s));
    s = mx.concatenate([mx.array([0], mx.int32), s]);
    s = mx.reshape(mx.asStrided(s, [16, 2], [1, 1]), [2, 2, 4, 2]);
    expect(mx.segmentedMm(a2, mx.transpose(a2), s).shape).toEqual([2, 2, 4, 10, 10]);
  }));

  // MLX runs this body only with a GPU (bfloat16 gemv and gemm must agree); mlxjs's CPU
  // kernels must agree too, so it runs here.
  it('test_gemv_gemm_same_precision', run(() => {
    mx.random.seed(0);
    const N = 256;
    const t = mx.bfloat16;
    const a = mx.random.normal([1, N]).astype(t);
    const b = mx.concatenate([a, a], 0).astype(t);
    const c = mx.random.normal([N, 64]).astype(t);
    expect(allclose(mx.matmul(a, c), mx.matmul(b, c).index(0))).toBe(true);
  }));

  /** Complex helpers: rand(shape) = uniform + 1j * uniform, and NumPy's complex matmul on the host. */
  const J = (): mx.Array => mx.array([{ re: 0, im: 1 }]);
  const crand = (shape: number[]): mx.Array => mx.add(mx.random.uniform(0, 1, shape), mx.multiply(J(), mx.random.uniform(0, 1, shape)));
  type CHost = { shape: number[]; re: Float64Array; im: Float64Array };
  const chost = (a: mx.Array): CHost => {
    const t = a.dtype === mx.complex64 ? (a.toTypedArray() as Float32Array) : null;
    const n = a.size;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const r = t ? null : h.host(a).data;
    for (let i = 0; i < n; i++) {
      re[i] = t ? t[2 * i]! : r![i]!;
      im[i] = t ? t[2 * i + 1]! : 0;
    }
    return { shape: [...a.shape], re, im };
  };
  const cmatmul = (a: CHost, b: CHost): CHost => {
    const part = (x: Float64Array, y: Float64Array): Float64Array => h.matmul({ shape: a.shape, data: x }, { shape: b.shape, data: y }).data;
    const rr = part(a.re, b.re);
    const ii = part(a.im, b.im);
    const ri = part(a.re, b.im);
    const ir = part(a.im, b.re);
    const shape = h.matmul({ shape: a.shape, data: a.re }, { shape: b.shape, data: b.re }).shape;
    return { shape, re: rr.map((v, i) => v - ii[i]!), im: ri.map((v, i) => v + ir[i]!) };
  };
  /** np.allclose for complex: |x - y| <= atol + rtol * |y| with the modulus. */
  const callclose = (x: mx.Array, y: CHost, rtol = 1e-5, atol = 1e-8): boolean => {
    const g = chost(x);
    if (g.shape.join() !== y.shape.join()) return false;
    return Array.from(g.re).every((_, i) =>
      Math.hypot(g.re[i]! - y.re[i]!, g.im[i]! - y.im[i]!) <= atol + rtol * Math.hypot(y.re[i]!, y.im[i]!));
  };
  const transposeC = (x: CHost): CHost => {
    const t = (d: Float64Array): Float64Array => h.transpose({ shape: x.shape, data: d }).data;
    return { shape: [...x.shape].reverse(), re: t(x.re), im: t(x.im) };
  };

  it('test_complex_gemv', run(() => {
    mx.random.seed(10);
    const [M, N] = [16, 50];
    let a = crand([M, N]);
    let b = crand([N, 1]);
    expect(callclose(mx.matmul(a, b), cmatmul(chost(a), chost(b)))).toBe(true);
    // Transposed.
    a = crand([N, M]);
    b = crand([N, 1]);
    expect(callclose(mx.matmul(mx.transpose(a), b), cmatmul(transposeC(chost(a)), chost(b)))).toBe(true);
    // Shapes.
    a = mx.random.normal([2, 3]).astype(mx.complex64);
    b = mx.random.normal([3]);
    expect(mx.matmul(a, b).shape).toEqual([2]);
    const c = mx.random.normal([2]);
    expect(mx.addmm(c, a, b).shape).toEqual([2]);
  }));

  it('test_complex_gemm', run(() => {
    mx.random.seed(11);
    const [M, K, N] = [16, 50, 32];
    let a = crand([M, K]);
    let b = crand([K, N]);
    expect(callclose(mx.matmul(a, b), cmatmul(chost(a), chost(b)))).toBe(true);
    // addmm.
    a = crand([M, K]);
    b = crand([K, N]);
    const c = crand([M, N]);
    const out = mx.addmm(c, a, b, 2.0, 2.0);
    const p = cmatmul(chost(a), chost(b));
    const ch = chost(c);
    const outNp: CHost = { shape: p.shape, re: p.re.map((v, i) => 2 * v + 2 * ch.re[i]!), im: p.im.map((v, i) => 2 * v + 2 * ch.im[i]!) };
    expect(callclose(out, outNp)).toBe(true);
    // Complex with real (MLX's test re-checks `out` here; the real-by-complex product is checked too).
    const ar = mx.real(crand([M, K]));
    b = crand([K, N]);
    expect(callclose(mx.matmul(ar, b), cmatmul(chost(ar), chost(b)))).toBe(true);
    expect(callclose(out, outNp)).toBe(true);
  }));

  function describeBlockMasked(): void {
    /** MLX's ref_block_masked_mm: the masks expanded to blocks and multiplied in. */
    const refBlockMaskedMm = (a: mx.Array, b: mx.Array, bs: number, outMask: mx.Array | null, lhsMask: mx.Array | null, rhsMask: mx.Array | null): mx.Array => {
      const M = a.shape.at(-2)!;
      const N = b.shape.at(-1)!;
      const K = a.shape.at(-1)!;
      const bsx = h.broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const expand = (mask: mx.Array, Y: number, X: number): mx.Array => {
        const m = mx.expandDims(mask, [-3, -1]);
        const shape = [...bsx, ...m.shape.slice(-4)];
        shape[shape.length - 1] = bs;
        const x = shape[shape.length - 2]! * bs;
        shape[shape.length - 3] = bs;
        const y = shape[shape.length - 4]! * bs;
        const full = mx.reshape(mx.broadcastTo(m, shape), [...shape.slice(0, -4), y, x]);
        return full.index('...', mx.Slice(null, Y), mx.Slice(null, X));
      };
      let am = a;
      let bm = b;
      if (lhsMask) am = mx.multiply(expand(lhsMask, M, K).astype(mx.float32), am);
      if (rhsMask) bm = mx.multiply(expand(rhsMask, K, N).astype(mx.float32), bm);
      let out = mx.matmul(am, bm);
      if (outMask) out = mx.multiply(out, expand(outMask, M, N).astype(mx.float32));
      return out;
    };
    const masked = (a: mx.Array, b: mx.Array, bs: number, o: mx.Array | null, l: mx.Array | null, r: mx.Array | null): mx.Array =>
      mx.blockMaskedMm(a, b, { blockSize: bs, maskOut: o, maskLhs: l, maskRhs: r });
    const compare = (refOut: [mx.Array[], mx.Array[]], testOut: [mx.Array[], mx.Array[]], what: string): void => {
      expect(allclose(refOut[0][0]!, testOut[0][0]!, 1e-5), `${what} out`).toBe(true);
      refOut[1].forEach((r, i) => {
        expect(r.shape, what).toEqual(testOut[1][i]!.shape);
        expect(allclose(r, testOut[1][i]!, 1e-4), `${what} d${i}`).toBe(true);
      });
    };
    const runTest = (a: mx.Array, b: mx.Array, bs: number, o: mx.Array | null, l: mx.Array | null, r: mx.Array | null, cotan: mx.Array, what: string): void =>
      mx.tidy(() => compare(
        mx.vjp((x: mx.Array, y: mx.Array) => refBlockMaskedMm(x, y, bs, o, l, r), [a, b], [cotan]),
        mx.vjp((x: mx.Array, y: mx.Array) => masked(x, y, bs, o, l, r), [a, b], [cotan]), what));
    const runTestMaskVjp = (a: mx.Array, b: mx.Array, bs: number, o: mx.Array | null, l: mx.Array, r: mx.Array, cotan: mx.Array, what: string): void =>
      mx.tidy(() => compare(
        mx.vjp((x: mx.Array, y: mx.Array, lm: mx.Array, rm: mx.Array) => refBlockMaskedMm(x, y, bs, o, lm, rm), [a, b, l, r], [cotan]),
        mx.vjp((x: mx.Array, y: mx.Array, lm: mx.Array, rm: mx.Array) => masked(x, y, bs, o, lm, rm), [a, b, l, r], [cotan]), `${what} mask vjp`));
    /** MLX's make_mask: normal draws; the bool mask is (x < 0), the float one has those set to 0. */
    const makeMask = (tm: number, tn: number, batch: number[]): [mx.Array, mx.Array] => {
      const x = mx.random.normal([...batch, tm, tn]);
      const neg = mx.less(x, 0);
      return [neg, mx.where(neg, 0, x)];
    };
    const testShape = (M: number, N: number, K: number, bs: number, batchA: number[] = [], batchB: number[] = []): void => {
      const what = `M=${M} N=${N} K=${K} bs=${bs} batchA=${batchA} batchB=${batchB}`;
      it(`test_block_masked_matmul ${what}`, run(() => {
        mx.random.seed(M * 7 + N * 3 + K + bs);
        const batchOut = h.broadcastShapes(batchA, batchB);
        const cotan = mx.ones([...batchOut, M, N]);
        const a = mx.random.normal([...batchA, M, K]);
        const b = mx.random.normal([...batchB, K, N]);
        const tiles = (d: number): number => Math.ceil(d / bs);
        const [aBool, aMask] = makeMask(tiles(M), tiles(K), batchA);
        const [bBool, bMask] = makeMask(tiles(K), tiles(N), batchB);
        const [oBool, oMask] = makeMask(tiles(M), tiles(N), batchOut);
        // Boolean block masks.
        runTest(a, b, bs, oBool, aBool, bBool, cotan, `${what} bool all`);
        runTest(a, b, bs, oBool, null, null, cotan, `${what} bool out`);
        runTest(a, b, bs, null, aBool, bBool, cotan, `${what} bool operands`);
        // Float block masks.
        runTest(a, b, bs, oMask, aMask, bMask, cotan, `${what} float all`);
        runTest(a, b, bs, null, aMask, bMask, cotan, `${what} float operands`);
        runTestMaskVjp(a, b, bs, oMask, aMask, bMask, cotan, `${what} float all`);
        runTestMaskVjp(a, b, bs, null, aMask, bMask, cotan, `${what} float operands`);
      }));
    };
    for (const [M, N, K, bs] of [[16, 16, 16, 32], [64, 64, 16, 32], [128, 128, 128, 32], [256, 256, 128, 64], [1, 128, 128, 32], [256, 1, 128, 64]]) {
      testShape(M!, N!, K!, bs!);
    }
    // Broadcasting.
    testShape(64, 64, 64, 32, [1, 2], [2, 2]);
    testShape(1, 128, 128, 32, [1, 2], [2, 2]);
    testShape(128, 1, 128, 32, [1, 2], [2, 2]);

    it('test_block_masked_matmul transposed operands and vector shapes', run(() => {
      mx.random.seed(12);
      const relu = (x: mx.Array): mx.Array => mx.where(mx.less(x, 0), 0, x);
      const aMaskMx = relu(mx.random.normal([4, 8]));
      const cMaskMx = relu(mx.random.normal([8, 1]));
      const eMaskMx = relu(mx.random.normal([1, 4]));
      const aMx = mx.ones([128, 256]);
      const bMx = mx.ones([128, 1]);
      const dMx = mx.ones([1, 256]);
      const bMaskMx = mx.ones([4, 1], mx.bool);
      const dMaskMx = mx.ones([1, 8], mx.bool);
      const cMx = masked(mx.transpose(aMx), bMx, 32, cMaskMx, mx.transpose(aMaskMx), bMaskMx);
      const eMx = masked(dMx, mx.transpose(aMx), 32, eMaskMx, dMaskMx, mx.transpose(aMaskMx));
      // NumPy: a (all ones) scaled by its block mask, then the products, then the output masks.
      const am = h.reshape(h.broadcastTo(h.reshape(h.host(aMaskMx), [4, 1, 8, 1]), [4, 32, 8, 32]), [128, 256]);
      const aT = h.transpose(am);
      const cNp = h.matmul(aT, h.hostOf([128, 1], new Array<number>(128).fill(1)));
      const eNp = h.matmul(h.hostOf([1, 256], new Array<number>(256).fill(1)), aT);
      const cm = h.reshape(h.broadcastTo(h.reshape(h.host(cMaskMx), [8, 1, 1]), [8, 32, 1]), [256, 1]);
      const em = h.reshape(h.broadcastTo(h.reshape(h.host(eMaskMx), [1, 4, 1]), [1, 4, 32]), [1, 128]);
      expect(h.closeness(cMx, { shape: cNp.shape, data: cNp.data.map((v, i) => v * cm.data[i]!) }, 1e-5, 1e-5)).toBe('');
      expect(h.closeness(eMx, { shape: eNp.shape, data: eNp.data.map((v, i) => v * em.data[i]!) }, 1e-5, 1e-5)).toBe('');
    }));
  }
});
