// mx.linalg.eig / eigvals of real square matrices against numpy.linalg.eig (LAPACK geev;
// fixtures from test/fixtures/gen_linalg_eig.py): eigenvalues (complex64) as numbers,
// eigenvectors compared up to each vector's phase and checked for geev's normalisation
// (unit 2-norm, largest component real); A v = lambda v residuals; batching and vmap;
// MLX's errors and the missing gradient.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import eigFixture from './fixtures/linalg_eig.json';

interface Enc { shape: number[]; values: number[] }
interface Case { label: string; a: Enc; w_re: Enc; w_im: Enc; v_re: Enc; v_im: Enc }
const fixture = eigFixture as unknown as { cases: Case[] };

type C = [number, number];
const input = (e: Enc, dtype: mx.Dtype): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
/** A complex64 array's elements as [re, im] pairs, row order. */
const complexes = (x: mx.Array): C[] => {
  const re = flat(mx.real(x)), im = flat(mx.imag(x));
  return re.map((r, i) => [r, im[i]!]);
};
const abs2 = ([r, i]: C): number => r * r + i * i;
const mul = ([a, b]: C, [c, d]: C): C => [a * c - b * d, a * d + b * c];
const conj = ([a, b]: C): C => [a, -b];

describeEachBackend('linalg.eig', () => {
  it('matches numpy.linalg.eig: eigenvalues, and eigenvectors up to phase', () => {
    for (const [dtype, tol] of [[mx.float32, 2e-4], [mx.float64, 2e-5]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const label = `${c.label} ${dtype}`;
          const [w, v] = mx.linalg.eig(input(c.a, dtype));
          expect(w.dtype, label).toBe(mx.complex64);
          expect(v.dtype, label).toBe(mx.complex64);
          expect(w.shape, label).toEqual(c.w_re.shape);
          expect(v.shape, label).toEqual(c.a.shape);
          // Eigenvalues: NumPy's order is LAPACK's Schur-form order, which this kernel (no
          // balancing) usually but not always shares; each NumPy eigenvalue is matched to the
          // nearest unused one of ours, and the matching gives the vector to compare.
          const n = c.a.shape[c.a.shape.length - 1]!;
          const gw = complexes(w);
          const perm: number[] = [];
          for (let b = 0; b < gw.length / n; ++b) {
            const used = new Set<number>();
            for (let k = 0; k < n; ++k) {
              const ref: C = [c.w_re.values[b * n + k]!, c.w_im.values[b * n + k]!];
              let best = -1;
              for (let j = 0; j < n; ++j) {
                if (used.has(j)) continue;
                const d = abs2([gw[b * n + j]![0] - ref[0], gw[b * n + j]![1] - ref[1]]);
                if (best < 0 || d < abs2([gw[b * n + best]![0] - ref[0], gw[b * n + best]![1] - ref[1]])) best = j;
              }
              used.add(best);
              perm.push(best);
              const [r, i] = gw[b * n + best]!;
              expect(Math.abs(r - ref[0]), `${label} w[${b}:${k}].re`).toBeLessThan(tol * (1 + Math.abs(ref[0])));
              expect(Math.abs(i - ref[1]), `${label} w[${b}:${k}].im`).toBeLessThan(tol * (1 + Math.abs(ref[1])));
            }
          }
          const gv = complexes(v);
          const batch = gv.length / (n * n);
          for (let b = 0; b < batch; ++b) {
            for (let j = 0; j < n; ++j) {
              if (c.label.startsWith('triangular') && j < 2) continue;
              const col = (k: number): C => gv[b * n * n + k * n + perm[b * n + j]!]!;
              const ref = (k: number): C => [c.v_re.values[b * n * n + k * n + j]!, c.v_im.values[b * n * n + k * n + j]!];
              let dot: C = [0, 0];
              for (let k = 0; k < n; ++k) dot = [dot[0] + mul(conj(ref(k)), col(k))[0], dot[1] + mul(conj(ref(k)), col(k))[1]];
              expect(Math.abs(Math.sqrt(abs2(dot)) - 1), `${label} |<ref, v>| for vector ${b}:${j}`).toBeLessThan(20 * tol);
              // geev's normalisation: unit norm, largest component real.
              let norm = 0, big = 0;
              for (let k = 0; k < n; ++k) {
                norm += abs2(col(k));
                if (abs2(col(k)) > abs2(col(big)) + 1e-6) big = k;
              }
              expect(Math.abs(norm - 1), `${label} norm ${b}:${j}`).toBeLessThan(10 * tol);
              expect(Math.abs(col(big)[1]), `${label} largest component real ${b}:${j}`).toBeLessThan(10 * tol);
            }
          }
        });
      }
    }
  });

  it('satisfies A v = lambda v on random matrices (float64 input, complex64 results)', () => mx.tidy(() => {
    for (const n of [3, 6, 12]) {
      const a = mx.random.normal([2, n, n], mx.float64, { key: mx.random.key(n) });
      const [w, v] = mx.linalg.eig(a);
      const av = mx.matmul(a.astype(mx.complex64), v);
      const lv = mx.multiply(v, mx.expandDims(w, -2));
      const r = flat(mx.abs(mx.subtract(av, lv)));
      expect(Math.max(...r), `residual n=${n}`).toBeLessThan(1e-4 * n);
    }
  }));

  it('eigvals equals eig()[0] and vmaps like a loop', () => mx.tidy(() => {
    const a = mx.random.normal([3, 4, 4], mx.float32, { key: mx.random.key(5) });
    expect(flat(mx.real(mx.linalg.eigvals(a)))).toEqual(flat(mx.real(mx.linalg.eig(a)[0])));
    expect(flat(mx.imag(mx.linalg.eigvals(a)))).toEqual(flat(mx.imag(mx.linalg.eig(a)[0])));
    const t = mx.transpose(a, [1, 2, 0]);
    const got = mx.vmap((m: mx.Array) => mx.linalg.eigvals(m), 2)(t) as mx.Array;
    const want = mx.stack([0, 1, 2].map((i) => mx.linalg.eigvals(mx.take(a, mx.array(i, mx.int32), 0))));
    expect(flat(mx.real(got))).toEqual(flat(mx.real(want)));
    expect(flat(mx.imag(got))).toEqual(flat(mx.imag(want)));
  }));

  it('raises MLX errors and has no gradient', () => mx.tidy(() => {
    expect(() => mx.linalg.eig(mx.zeros([2, 3]))).toThrow(/\[linalg::eig\] Only defined for square matrices/);
    expect(() => mx.linalg.eigvals(mx.zeros([3]))).toThrow(/\[linalg::eigvals\] Arrays must have >= 2 dimensions. Received array with 1 dimensions/);
    expect(() => mx.linalg.eig(mx.zeros([2, 2], mx.int32))).toThrow(/\[linalg::eig\] Arrays must have type float32 or float64/);
    expect(() => mx.grad((m: mx.Array) => mx.sum(mx.real(mx.linalg.eigvals(m))))(mx.eye(2))).toThrow(/\[linalg::eig\] The vjp of the eigendecomposition is not implemented/);
  }));
});
