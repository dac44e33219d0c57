// MLX's python/tests/test_einsum.py, ported test by test (same subscripts, shapes and
// tolerances). MLX draws operands with mx.random.uniform and compares with np.einsum; here
// operand k of case i is a fixed uniform [0, 1) sequence (uniform01, a linear congruential
// generator that test/fixtures/gen_mlx_einsum.py reproduces), so NumPy's outputs and
// einsum_path's paths come from test/fixtures/mlx_einsum.json.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixture from './fixtures/mlx_einsum.json';
import { describeEachBackend } from './helpers/backends.js';
import * as h from './helpers/host_nd.js';

const SIZES: Record<string, number> = Object.fromEntries([...'abcdefghij'].map((c, i) => [c, [2, 3, 4, 5, 2, 3, 4, 5, 2, 3][i]!]));

/** n values in [0, 1), each k / 2^24: exact in float32 (the generator's Python twin is uniform01). */
function uniform01(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24);
  }
  return out;
}

/** MLX's inputs_for_case: one uniform operand per input subscript, sized by SIZES. */
function inputsForCase(testCase: string, i: number): mx.Array[] {
  return testCase.split('->')[0]!.split(',').map((sub, k) => {
    const shape = [...sub].map((c) => SIZES[c]!);
    return mx.array(uniform01(h.sizeOf(shape), 1000 * i + k), shape);
  });
}

type Out = { shape: number[]; values: number[] };
const expectNp = (actual: mx.Array, expected: Out, rtol: number, atol: number, what: string): void => {
  expect(h.closeness(actual, h.hostOf(expected.shape, expected.values), rtol, atol), what).toBe('');
};
const run = (fn: () => void) => (): void => {
  mx.tidy(() => {
    fn();
    return undefined;
  });
};

describeEachBackend('MLX test_einsum.py', () => {
  it('test_simple_path', run(() => {
    let a = mx.zeros([5, 5]);
    expect(mx.einsumPath('ii', a)[0]).toEqual([[0]]);
    expect(mx.einsumPath('ij->i', a)[0]).toEqual([[0]]);
    expect(mx.einsumPath('ii->i', a)[0]).toEqual([[0]]);

    a = mx.zeros([5, 8]);
    let b = mx.zeros([8, 3]);
    expect(mx.einsumPath('ij,jk', a, b)[0]).toEqual([[0, 1]]);
    expect(mx.einsumPath('ij,jk -> ijk', a, b)[0]).toEqual([[0, 1]]);

    a = mx.zeros([5, 8]);
    b = mx.zeros([8, 3]);
    let c = mx.zeros([3, 7]);
    expect(mx.einsumPath('ij,jk,kl', a, b, c)[0]).toEqual([[0, 1], [0, 1]]);

    a = mx.zeros([5, 8]);
    b = mx.zeros([8, 10]);
    c = mx.zeros([10, 7]);
    expect(mx.einsumPath('ij,jk,kl', a, b, c)[0]).toEqual([[1, 2], [0, 1]]);
  }));

  it('test_longer_paths', run(() => {
    const sizes: Record<string, number> = Object.fromEntries(
      [...'abcdefghijklmopqABC'].map((c, i) => [c, [2, 3, 4, 5, 4, 3, 2, 6, 5, 4, 3, 2, 5, 7, 4, 3, 2, 3, 4][i]!]),
    );
    for (const { case: testCase, path } of fixture.longer_paths) {
      const inputs = testCase.slice(0, testCase.indexOf('->')).split(',').map((s) => mx.ones([...s].map((ch) => sizes[ch]!)));
      expect(mx.einsumPath(testCase, ...inputs)[0], testCase).toEqual(path);
    }
  }));

  it('test_simple_einsum', run(() => {
    for (const { case: testCase, shape, out } of fixture.simple) {
      const a = mx.reshape(mx.arange(h.sizeOf(shape), mx.int32), shape);
      const r = mx.einsum(testCase, a);
      expectNp(r, out, 0, 0, testCase); // np.array_equal
    }
  }));

  it('test_two_input_einsum and test_sum_first', run(() => {
    for (const { case: testCase, a, b, out } of fixture.two_input) {
      const [sa, va] = a as [number[], number];
      const [sb, vb] = b as [number[], number];
      expectNp(mx.einsum(testCase, mx.full(sa, va), mx.full(sb, vb)), out, 0, 0, testCase); // np.array_equal
    }
  }));

  it('test_broadcasting', run(() => {
    // MLX's test returns right after this call: a size-1 axis broadcasts against the other operand.
    const a = mx.full([5, 1], 1.0);
    const b = mx.full([8, 2], 1.0);
    mx.eval(mx.einsum('ab,bc->c', a, b));
  }));

  it('test_attention', run(() => {
    const [q, k, v] = inputsForCase('abcd,abcd,abcd', 900);
    const s = mx.einsum('itjk,iujk->ijtu', q!, k!);
    const outMx = mx.einsum('ijtu,iujk->itjk', s, v!);
    // NumPy on the host: out[i,t,j,k] = sum_u (sum_k' q[i,t,j,k'] k[i,u,j,k']) v[i,u,j,k].
    const [Q, K, V] = [q!, k!, v!].map((x) => h.host(x).data);
    const [I, T, Jn, Kn] = [2, 3, 4, 5];
    const U = T;
    const at = (i: number, t: number, j: number, kk: number): number => ((i * T + t) * Jn + j) * Kn + kk;
    const ref = new Float64Array(I * T * Jn * Kn);
    for (let i = 0; i < I; i++) for (let t = 0; t < T; t++) for (let j = 0; j < Jn; j++) {
      for (let u = 0; u < U; u++) {
        let sc = 0;
        for (let kk = 0; kk < Kn; kk++) sc += Q[at(i, t, j, kk)]! * K[at(i, u, j, kk)]!;
        for (let kk = 0; kk < Kn; kk++) ref[at(i, t, j, kk)]! += sc * V[at(i, u, j, kk)]!;
      }
    }
    expect(h.closeness(outMx, { shape: [I, T, Jn, Kn], data: ref })).toBe('');
  }));

  it('test_multi_input_einsum', run(() => {
    const a = mx.ones([3, 4, 5]);
    // Every term is 1: out[l, f] counts i, j, k, m = 3 * 4 * 5 * 4.
    const out = mx.einsum('ijk,lmk,ijf->lf', a, a, a);
    expect(h.closeness(out, h.hostOf([3, 5], new Array<number>(15).fill(240)))).toBe('');
  }));

  it('test_opt_einsum_test_cases', run(() => {
    fixture.opt_einsum.forEach(({ case: testCase, out }, i) => {
      mx.tidy(() => expectNp(mx.einsum(testCase, ...inputsForCase(testCase, i)), out, 1e-4, 1e-4, testCase));
    });
  }));

  it('test_ellipses', run(() => {
    fixture.ellipses.forEach(({ shapes_from: shapes, case: testCase, out }, i) => {
      mx.tidy(() => expectNp(mx.einsum(testCase, ...inputsForCase(shapes, 500 + i)), out, 1e-4, 1e-4, testCase));
    });
    for (const [shapes, testCase] of [['abc,abc->ab', 'a...b...c,a...b...c->abc']]) {
      const inputs = inputsForCase(shapes!, 0);
      expect(() => mx.einsum(testCase!, ...inputs), testCase).toThrow(/^\[einsum\] /);
    }
  }));
});
