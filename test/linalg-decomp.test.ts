// The rest of mx.linalg against NumPy/SciPy (fixtures from test/fixtures/gen_linalg_decomp.py):
// luFactor, lu, det, slogdet, solveTriangular, triInv, choleskyInv, pinv, cross, eigh and
// eigvalsh, batched, in float32 and float64; reconstructions (a = L[P] @ U, V diag(w) V^T);
// finite-difference gradients; vmap against a loop; MLX's errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import decompFixture from './fixtures/linalg_decomp.json';

type Num = number | string;
interface Enc { shape: number[]; values: Num[] }
interface Case { op: string; inputs: Enc[]; args: { upper?: boolean; axis?: number; UPLO?: 'L' | 'U' }; outs: Enc[] }
const fixture = decompFixture as unknown as { cases: Case[] };

const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));
const input = (e: Enc, dtype: mx.Dtype): mx.Array => mx.array(e.values.map(num), dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

/** |got - want| <= tol (1 + |want|) elementwise, infinities equal. */
function expectValues(got: number[], want: number[], tol: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  want.forEach((w, i) => {
    if (!Number.isFinite(w)) expect(got[i], `${label} at ${i}`).toBe(w);
    else expect(Math.abs(got[i]! - w), `${label} at ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)));
  });
}

function run(c: Case, xs: mx.Array[]): mx.Array[] {
  const a = xs[0]!;
  switch (c.op) {
    case 'lu_factor': return mx.linalg.luFactor(a);
    case 'lu': return mx.linalg.lu(a);
    case 'det': return [mx.linalg.det(a)];
    case 'slogdet': return mx.linalg.slogdet(a);
    case 'solve_triangular': return [mx.linalg.solveTriangular(a, xs[1]!, { upper: c.args.upper })];
    case 'tri_inv': return [mx.linalg.triInv(a, { upper: c.args.upper })];
    case 'cholesky_inv': return [mx.linalg.choleskyInv(a, { upper: c.args.upper })];
    case 'pinv': return [mx.linalg.pinv(a)];
    case 'cross': return [mx.linalg.cross(a, xs[1]!, { axis: c.args.axis })];
    case 'eigh': return mx.linalg.eigh(a, { UPLO: c.args.UPLO });
    case 'eigvalsh': return [mx.linalg.eigvalsh(a, { UPLO: c.args.UPLO })];
    default: throw new Error(`unknown op ${c.op}`);
  }
}

/** a [..., m, n] rebuilt from lu's outputs: L[P] @ U (rows of L taken by P). */
const fromLu = (p: mx.Array, l: mx.Array, u: mx.Array): mx.Array => mx.matmul(mx.takeAlongAxis(l, mx.expandDims(p, -1), -2), u);

const sym = (m: mx.Array): mx.Array => mx.add(m, mx.swapaxes(m, -1, -2));

describeEachBackend('linalg decompositions', () => {
  it('match NumPy/SciPy on every fixture case in float32 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 2e-4], [mx.float64, 1e-10]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const outs = run(c, c.inputs.map((e) => input(e, dtype)));
          expect(outs.length, label).toBe(c.outs.length);
          outs.forEach((o, k) => {
            expect(o.shape, `${label} out ${k}`).toEqual(c.outs[k]!.shape);
            const intOut = (c.op === 'lu_factor' && k === 1) || (c.op === 'lu' && k === 0);
            expect(o.dtype, `${label} out ${k}`).toBe(intOut ? mx.uint32 : dtype);
            expectValues(flat(o), c.outs[k]!.values.map(num), intOut ? 0 : tol, `${label} out ${k}`);
          });
        });
      }
    }
  });

  it('lu and eigh reconstruct their input', () => {
    mx.tidy(() => {
      for (const shape of [[5, 5], [3, 4, 4], [6, 3], [3, 6]]) {
        const a = mx.random.normal(shape, mx.float64, undefined, undefined, mx.random.key(shape.length * 10 + shape[0]!));
        const [p, l, u] = mx.linalg.lu(a);
        expect(mx.allclose(fromLu(p, l, u), a, 1e-12, 1e-12).item(), `lu ${shape}`).toBe(true);
        // L is unit lower triangular, U upper triangular.
        expect(mx.arrayEqual(mx.tril(l), l).item()).toBe(true);
        expect(mx.arrayEqual(mx.triu(u), u).item()).toBe(true);
        const k = Math.min(shape[shape.length - 2]!, shape[shape.length - 1]!);
        expect(flat(mx.diagonal(l, 0, -2, -1)).every((d) => d === 1)).toBe(true);
        expect(l.shape[l.ndim - 1]).toBe(k);
      }
      for (const n of [1, 4, 9]) {
        const m = mx.random.normal([2, n, n], mx.float64, undefined, undefined, mx.random.key(n));
        const s = sym(m);
        const [w, v] = mx.linalg.eigh(s);
        const rebuilt = mx.matmul(mx.multiply(v, mx.expandDims(w, -2)), mx.swapaxes(v, -1, -2));
        expect(mx.allclose(rebuilt, s, 1e-11, 1e-11).item(), `eigh ${n}`).toBe(true);
        expect(mx.allclose(mx.matmul(mx.swapaxes(v, -1, -2), v), mx.broadcastTo(mx.eye(n, undefined, 0, mx.float64), [2, n, n]), 1e-12, 1e-12).item()).toBe(true);
        const ws = w.tolist() as number[][];
        ws.forEach((row) => row.forEach((x, i) => i > 0 && expect(x).toBeGreaterThanOrEqual(row[i - 1]!)));
        // The sign convention: each column's entry of largest magnitude is positive.
        const cols = mx.swapaxes(v, -1, -2).tolist() as number[][][];
        cols.flat().forEach((col) => {
          const big = col.reduce((b, x, i) => (Math.abs(x) > Math.abs(col[b]!) ? i : b), 0);
          expect(col[big]!).toBeGreaterThan(0);
        });
      }
    });
  });

  it('eigh handles repeated eigenvalues, diagonal, zero and non-finite input', () => {
    mx.tidy(() => {
      const [w, v] = mx.linalg.eigh(mx.eye(3, undefined, 0, mx.float64));
      expect(w.tolist()).toEqual([1, 1, 1]);
      expect(v.tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
      expect(mx.linalg.eigvalsh(mx.array([[2, 0], [0, -1]])).tolist()).toEqual([-1, 2]);
      expect(mx.linalg.eigvalsh(mx.zeros([2, 2])).tolist()).toEqual([0, 0]);
      // All-equal matrix: eigenvalues 0, 0, 3.
      const w1 = mx.linalg.eigvalsh(mx.ones([3, 3], mx.float64)).tolist() as number[];
      [0, 0, 3].forEach((x, i) => expect(Math.abs(w1[i]! - x)).toBeLessThan(1e-14));
      const nan = mx.linalg.eigvalsh(mx.array([[NaN, 1], [1, 0]])).tolist() as number[];
      expect(nan.some((x) => Number.isNaN(x))).toBe(true);
      expect(mx.linalg.eigh(mx.zeros([2, 0, 0]))[1].shape).toEqual([2, 0, 0]);
    });
  });

  it('det and slogdet take integers (float32), 0 x 0 matrices and singular input', () => {
    mx.tidy(() => {
      const d = mx.linalg.det(mx.array([[1, 2], [3, 4]], mx.int32));
      expect(d.dtype).toBe(mx.float32);
      expect(d.item()).toBe(-2);
      expect(mx.linalg.det(mx.zeros([3, 0, 0])).tolist()).toEqual([1, 1, 1]);
      const [s, l] = mx.linalg.slogdet(mx.array([[0, 0], [0, 1]]));
      expect([s.item(), l.item()]).toEqual([0, -Infinity]);
      // A 5 x 5 with two equal rows goes through LU: an exact zero pivot.
      const sing = mx.array([[1, 2, 0, 1, 3], [1, 2, 0, 1, 3], [0, 1, 4, 2, 1], [2, 0, 1, 1, 0], [1, 1, 1, 0, 2]]);
      expect(mx.linalg.det(sing).item()).toBe(0);
      expect(mx.linalg.slogdet(sing).map((x) => x.item())).toEqual([0, -Infinity]);
    });
  });

  it('have vjp and jvp matching finite differences', () => {
    const shift = (a: mx.Array): mx.Array => mx.add(a, mx.multiply(mx.eye(a.shape[a.ndim - 1]!, undefined, 0, mx.float64), 3));
    checkGrads((a) => mx.linalg.triInv(shift(a)), [[3, 3]]);
    checkGrads((a) => mx.linalg.triInv(shift(a), { upper: true }), [[2, 3, 3]]);
    checkGrads((a, b) => mx.linalg.solveTriangular(shift(a), b), [[3, 3], [3, 2]]);
    checkGrads((a, b) => mx.linalg.solveTriangular(shift(a), b, true), [[3, 3], [3]]);
    checkGrads((a) => mx.linalg.choleskyInv(shift(a)), [[3, 3]], { range: [0, 1] });
    checkGrads((a, b) => mx.linalg.cross(a, b), [[2, 3], [2, 3]]);
    checkGrads((a, b) => mx.linalg.cross(a, b, { axis: 0 }), [[2, 4], [3, 1]]);
    checkGrads((a) => mx.linalg.det(a), [[2, 2]]);
    checkGrads((a) => mx.linalg.det(a), [[2, 3, 3]]);
    checkGrads((a) => mx.linalg.slogdet(shift(a))[1], [[3, 3]]);
    // eigh of a symmetric matrix built from m (distinct eigenvalues for these random inputs).
    checkGrads((m) => mx.linalg.eigvalsh(sym(m)), [[4, 4]], { rtol: 1e-4 });
    checkGrads((m) => {
      const [w, v] = mx.linalg.eigh(sym(m));
      return mx.concatenate([w.reshape([-1]), v.reshape([-1])]);
    }, [[2, 3, 3]], { rtol: 1e-4, atol: 1e-5 });
    checkGrads((m) => mx.linalg.eigh(sym(m), { UPLO: 'U' })[1], [[4, 4]], { rtol: 1e-4, atol: 1e-5 });
  });

  it('lu and luFactor have no gradient (as MLX), so neither do det beyond 3 x 3 and pinv', () => {
    mx.tidy(() => {
      const a = mx.add(mx.random.normal([4, 4], mx.float32, undefined, undefined, mx.random.key(2)), mx.multiply(mx.eye(4), 4));
      expect(() => mx.grad((x: mx.Array) => mx.sum(mx.linalg.luFactor(x)[0]))(a)).toThrow('[linalg::lu_factor] The vjp of the LU factorization is not implemented.');
      expect(() => mx.grad((x: mx.Array) => mx.sum(mx.linalg.lu(x)[1]))(a)).toThrow('[linalg::lu_factor] The vjp');
      expect(() => mx.grad((x: mx.Array) => mx.linalg.det(x))(a)).toThrow('[linalg::lu_factor] The vjp');
      expect(() => mx.jvp((x: mx.Array) => mx.linalg.luFactor(x)[0], [a], [a])).toThrow('[linalg::lu_factor] The jvp');
      // pinv is built on svd with its vectors, which has no vjp here.
      expect(() => mx.grad((x: mx.Array) => mx.sum(mx.linalg.pinv(x)))(a)).toThrow('[linalg::svd] The vjp through the singular vectors');
    });
  });

  it('batch under vmap like a loop over the matrices', () => {
    mx.tidy(() => {
      const a = mx.random.normal([3, 4, 4], mx.float64, undefined, undefined, mx.random.key(7));
      const t = mx.moveaxis(a, 0, 2); // mapped along the last axis
      const loop = (f: (m: mx.Array) => mx.Array | mx.Array[]): mx.Array[] => {
        const per = [0, 1, 2].map((i) => f(mx.take(a, i, 0)));
        const outs = per.map((p) => (Array.isArray(p) ? p : [p]));
        return outs[0]!.map((_, k) => mx.stack(outs.map((o) => o[k]!)));
      };
      const same = (got: mx.Array | mx.Array[], want: mx.Array[]): void => {
        const g = Array.isArray(got) ? got : [got];
        g.forEach((x, k) => expect(mx.allclose(x.astype(mx.float64), want[k]!.astype(mx.float64), 1e-12, 1e-12).item(), `output ${k}`).toBe(true));
      };
      const fns: Array<(m: mx.Array) => mx.Array | mx.Array[]> = [
        (m) => mx.linalg.luFactor(m),
        (m) => mx.linalg.lu(m),
        (m) => mx.linalg.det(m),
        (m) => mx.linalg.slogdet(m),
        (m) => mx.linalg.triInv(m, true),
        (m) => mx.linalg.pinv(m),
        (m) => mx.linalg.eigh(sym(m)),
        (m) => mx.linalg.eigvalsh(m, 'U'),
        (m) => mx.linalg.solveTriangular(m, mx.ones([4, 2], mx.float64)),
        (m) => mx.linalg.cross(m, mx.ones([4, 3], mx.float64)),
      ];
      fns.forEach((f, i) => {
        const g = i === fns.length - 1 ? (m: mx.Array) => f(mx.slice(m, [0, 0], [4, 3])) : f;
        const want = loop(g);
        same(mx.vmap(g as (m: mx.Array) => mx.Array)(a) as mx.Array | mx.Array[], want);
        same(mx.vmap(g as (m: mx.Array) => mx.Array, 2)(t) as mx.Array | mx.Array[], want);
      });
    });
  });

  it('reject bad input with MLX errors', () => {
    mx.tidy(() => {
      const i2 = mx.ones([2, 2], mx.int32);
      for (const [name, f] of [
        ['lu_factor', (x: mx.Array) => mx.linalg.luFactor(x)], ['lu', (x: mx.Array) => mx.linalg.lu(x)],
        ['tri_inv', (x: mx.Array) => mx.linalg.triInv(x)], ['cholesky_inv', (x: mx.Array) => mx.linalg.choleskyInv(x)],
        ['pinv', (x: mx.Array) => mx.linalg.pinv(x)], ['eigh', (x: mx.Array) => mx.linalg.eigh(x)],
        ['eigvalsh', (x: mx.Array) => mx.linalg.eigvalsh(x)],
      ] as const) {
        expect(() => f(i2), name).toThrow(`[linalg::${name}] Arrays must have type float32 or float64. Received array with type int32.`);
        expect(() => f(mx.ones([3])), name).toThrow(`[linalg::${name}] Arrays must have >= 2 dimensions. Received array with 1 dimensions.`);
      }
      for (const name of ['det', 'slogdet', 'eigh', 'eigvalsh'] as const) {
        const f = { det: mx.linalg.det, slogdet: mx.linalg.slogdet, eigh: mx.linalg.eigh, eigvalsh: mx.linalg.eigvalsh }[name];
        expect(() => f(mx.ones([2, 3])), name).toThrow(`[linalg::${name}] Only defined for square matrices.`);
      }
      expect(() => mx.linalg.det(mx.ones([3]))).toThrow('[linalg::det] Arrays must have >= 2 dimensions.');
      expect(() => mx.linalg.triInv(mx.ones([2, 3]))).toThrow('[linalg::tri_inv] Inverses are only defined for square matrices.');
      expect(() => mx.linalg.choleskyInv(mx.ones([2, 3]))).toThrow('[linalg::cholesky_inv] Cholesky inverse is only defined for square matrices.');
      expect(() => mx.linalg.triInv(mx.array([[1, 0], [5, 0]])).tolist()).toThrow('[linalg::tri_inv] The matrix is singular and cannot be inverted.');
      expect(() => mx.linalg.solveTriangular(mx.eye(3), mx.ones([2]))).toThrow('[linalg::solve_triangular] Last dimension of first input with shape (3,3) must match second to last dimension of second input with shape (2).');
      expect(() => mx.linalg.solveTriangular(mx.ones([3]), mx.ones([3]))).toThrow('[linalg::solve_triangular] First input must have >= 2 dimensions.');
      expect(() => mx.linalg.solveTriangular(mx.ones([2, 3]), mx.ones([3]))).toThrow('[linalg::solve_triangular] First input must be a square matrix.');
      expect(() => mx.linalg.solveTriangular(i2, mx.ones([2], mx.int32))).toThrow('[linalg::solve_triangular] Input arrays must promote to float32 or float64.');
      expect(() => mx.linalg.cross(mx.ones([4]), mx.ones([3]))).toThrow('[linalg::cross] The specified axis must have size 2 or 3.');
      expect(() => mx.linalg.cross(mx.ones([3]), mx.ones([3]), 1)).toThrow('[linalg::cross] axis 1 invalid for array with 1 dimensions.');
      expect(() => mx.linalg.cross(mx.ones([2, 3]), mx.ones([4, 3]))).toThrow('[linalg::cross]');
      expect(() => mx.linalg.eigh(mx.eye(2), 'X' as 'L')).toThrow("[linalg::eigh] UPLO must be 'L' or 'U'");
      expect(() => mx.linalg.det(mx.ones([4, 4], mx.float16))).toThrow('[linalg::lu_factor] Arrays must have type float32 or float64.');
    });
  });
});
