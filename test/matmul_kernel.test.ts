// The packed float32 GEMM behind matmul: odd sizes (partial register tiles), sizes that
// cross the cache blocks, transposed / batched / broadcast operands, against a float64
// reference computed here from the same float32 inputs.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';

/**
 * Reference product of row-major matrices given as flat arrays with element accessors, and
 * a bound on the float32 rounding error of each entry (relative to sum |a||b|).
 */
function reference(M: number, N: number, K: number, A: (i: number, k: number) => number, B: (k: number, j: number) => number) {
  const value = new Float64Array(M * N);
  const bound = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const p = A(i, k) * B(k, j);
        s += p;
        m += Math.abs(p);
      }
      value[i * N + j] = s;
      bound[i * N + j] = 4e-7 * (K + 4) * m + 1e-30;
    }
  }
  return { value, bound };
}

function expectClose(got: Float32Array, ref: { value: Float64Array; bound: Float64Array }, what: string) {
  expect(got.length, what).toBe(ref.value.length);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i]! - ref.value[i]!);
    if (!(err <= ref.bound[i]!)) {
      throw new Error(`${what}: entry ${i} is ${got[i]}, expected ${ref.value[i]} (error ${err} > ${ref.bound[i]})`);
    }
  }
}

const read = (x: mx.Array) => x.toTypedArray() as Float32Array;

describeEachBackend('matmul float32 kernel', () => {
  const sizes = [1, 3, 5, 17, 63, 65, 129];

  it('matches the reference at odd sizes (all M x N, several K)', () => {
    let seed = 1;
    for (const K of [1, 5, 65, 129]) {
      for (const M of sizes) {
        for (const N of sizes) {
          const a = lcgData(M * K, seed++);
          const b = lcgData(K * N, seed++);
          const ref = reference(M, N, K, (i, k) => a[i * K + k]!, (k, j) => b[k * N + j]!);
          mx.tidy(() => {
            const out = mx.matmul(mx.array(a, [M, K]), mx.array(b, [K, N]));
            expect(out.shape).toEqual([M, N]);
            expectClose(read(out), ref, `${M}x${K} @ ${K}x${N}`);
          });
        }
      }
    }
  });

  it('crosses the K, M and N cache blocks', () => {
    for (const [M, K, N] of [
      [130, 600, 9],
      [5, 1030, 1100],
      [67, 513, 1025],
    ] as const) {
      const a = lcgData(M * K, M + K);
      const b = lcgData(K * N, K + N);
      const ref = reference(M, N, K, (i, k) => a[i * K + k]!, (k, j) => b[k * N + j]!);
      mx.tidy(() => expectClose(read(mx.matmul(mx.array(a, [M, K]), mx.array(b, [K, N]))), ref, `${M}x${K}x${N}`));
    }
  });

  it('reads transposed operands through their strides', () => {
    for (const [M, K, N] of [
      [17, 63, 5],
      [65, 3, 129],
      [1, 65, 17],
      [129, 129, 1],
    ] as const) {
      const at = lcgData(K * M, 7 * M + K); // stored [K, M]
      const bt = lcgData(N * K, 11 * N + K); // stored [N, K]
      const a = lcgData(M * K, 3 * M + K);
      const b = lcgData(K * N, 5 * K + N);
      mx.tidy(() => {
        const A = mx.transpose(mx.array(at, [K, M]));
        const B = mx.transpose(mx.array(bt, [N, K]));
        const Ar = (i: number, k: number) => at[k * M + i]!;
        const Br = (k: number, j: number) => bt[j * K + k]!;
        expectClose(read(mx.matmul(A, mx.array(b, [K, N]))), reference(M, N, K, Ar, (k, j) => b[k * N + j]!), `Aᵀ ${M},${K},${N}`);
        expectClose(read(mx.matmul(mx.array(a, [M, K]), B)), reference(M, N, K, (i, k) => a[i * K + k]!, Br), `Bᵀ ${M},${K},${N}`);
        expectClose(read(mx.matmul(A, B)), reference(M, N, K, Ar, Br), `AᵀBᵀ ${M},${K},${N}`);
      });
    }
  });

  it('batches, broadcasts batch axes and reads broadcast rows', () => {
    const [M, K, N] = [5, 17, 63];
    const a = lcgData(3 * M * K, 91);
    const b = lcgData(2 * 3 * K * N, 92);
    mx.tidy(() => {
      // [3, M, K] @ [2, 3, K, N] -> [2, 3, M, N]: the batch of a is broadcast over the leading 2.
      const out = mx.matmul(mx.array(a, [3, M, K]), mx.array(b, [2, 3, K, N]));
      expect(out.shape).toEqual([2, 3, M, N]);
      const got = read(out);
      for (let p = 0; p < 2; p++) {
        for (let q = 0; q < 3; q++) {
          const ref = reference(M, N, K, (i, k) => a[(q * M + i) * K + k]!, (k, j) => b[((p * 3 + q) * K + k) * N + j]!);
          const off = (p * 3 + q) * M * N;
          expectClose(got.subarray(off, off + M * N), ref, `batch ${p},${q}`);
        }
      }
      // A transposed batch: swap the matrix axes of a [3, K, M] array.
      const at = lcgData(3 * K * M, 93);
      const bt = mx.array(b.subarray(0, 3 * K * N), [3, K, N]);
      const tb = read(mx.matmul(mx.swapaxes(mx.array(at, [3, K, M]), 1, 2), bt));
      for (let q = 0; q < 3; q++) {
        const ref = reference(M, N, K, (i, k) => at[(q * K + k) * M + i]!, (k, j) => b[(q * K + k) * N + j]!);
        expectClose(tb.subarray(q * M * N, (q + 1) * M * N), ref, `transposed batch ${q}`);
      }
      // Rows of a broadcast from one row (stride 0 along M) times a sliced view (an offset).
      const row = lcgData(K, 94);
      const br = read(mx.matmul(mx.broadcastTo(mx.array(row, [1, K]), [M, K]), mx.squeeze(mx.slice(bt, [1, 0, 0], [2, K, N]), 0)));
      const ref = reference(M, N, K, (_i, k) => row[k]!, (k, j) => b[(K + k) * N + j]!);
      expectClose(br, ref, 'broadcast rows');
    });
  });

  it('gives zeros when the inner dimension is 0 and empty results for empty outer ones', () => {
    mx.tidy(() => {
      expect(mx.matmul(mx.zeros([3, 0]), mx.zeros([0, 4])).tolist()).toEqual([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]);
      expect(mx.matmul(mx.zeros([0, 5]), mx.zeros([5, 4])).shape).toEqual([0, 4]);
    });
  });
});
