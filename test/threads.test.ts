// Threads: kernels split over the pool give the same results with 1 and 2 threads
// (matmul and element-wise ops bit for bit; reductions too, since each path computes the
// same way on any thread count), checked against float64 references computed here; the
// thread-count API validates its argument (test/threads-node.test.ts: processes exit by themselves).
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';
import { mismatches, withOneAndTwo } from './helpers/threads.js';

describeEachBackend('threads', (backend) => {
  let before = 1;
  beforeAll(() => {
    before = mx.getNumThreads();
  });
  afterAll(async () => {
    await mx.setNumThreads(before);
  });

  it('reports a threaded mode (Node, isolated pages) and uses 2 threads when asked', async () => {
    await mx.setNumThreads(2);
    const info = mx.threadingInfo();
    if (typeof SharedArrayBuffer === 'undefined') {
      // A browser page without COOP/COEP: the single-thread module, and it says why.
      expect([info.mode, info.threads, mx.getNumThreads()]).toEqual(['single', 1, 1]);
      expect(info.reason).toMatch(/isolat|SharedArrayBuffer/i);
      return;
    }
    expect(info.mode).toBe(backend === 'native' ? 'native-threads' : 'wasm-threads');
    expect(info.threads).toBe(2);
    expect(mx.getNumThreads()).toBe(2);
    if (backend === 'wasm') expect(info.workers, info.reason).toBeGreaterThanOrEqual(1);
    await mx.setNumThreads(1);
    expect(mx.getNumThreads()).toBe(1);
  });

  it('rejects thread counts that are not integers from 1 to 64', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 65, Infinity]) {
      expect(() => mx.setNumThreads(bad)).toThrow(/\[setNumThreads\] The thread count must be an integer from 1 to 64/);
    }
    expect(() => mx.setNumThreads('2' as unknown as number)).toThrow(/\[setNumThreads\]/);
  });

  it('matmul: odd sizes, a transposed operand and a batch match a float64 reference on 1 and 2 threads', async () => {
    const [M, K, N] = [301, 517, 263];
    const a = lcgData(M * K, 1);
    const b = lcgData(K * N, 2);
    const cases: [string, () => mx.Array][] = [
      ['plain', () => mx.matmul(mx.array(a, [M, K]), mx.array(b, [K, N]))],
      ['transposed b', () => mx.matmul(mx.array(a, [M, K]), mx.transpose(mx.array(b, [N, K])))],
      ['batched', () => mx.matmul(mx.array(a.subarray(0, 2 * 37 * K), [2, 37, K]), mx.array(b, [K, N]))],
    ];
    for (const [name, fn] of cases) {
      const [one, two] = await withOneAndTwo(fn);
      expect(mismatches(one, two), name).toBe(0);
    }
    // The plain product against float64.
    const [, two] = await withOneAndTwo(cases[0]![1]);
    let worst = 0;
    for (let i = 0; i < M; i += 7) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let m = 0;
        for (let k = 0; k < K; k++) {
          s += a[i * K + k]! * b[k * N + j]!;
          m += Math.abs(a[i * K + k]! * b[k * N + j]!);
        }
        worst = Math.max(worst, Math.abs(two[i * N + j]! - s) / (m * 1e-7 * (K + 4)));
      }
    }
    expect(worst).toBeLessThan(4);
  });

  it('element-wise ops on 300,001 elements match on 1 and 2 threads', async () => {
    const n = 300_001;
    const x = lcgData(n, 3);
    const y = lcgData(n, 4);
    const [sum1, sum2] = await withOneAndTwo(() => mx.add(mx.array(x), mx.array(y)));
    expect(mismatches(sum1, sum2)).toBe(0);
    for (let i = 0; i < n; i += 997) expect(sum2[i]).toBe(Math.fround(x[i]! + y[i]!));
    const [sc1, sc2] = await withOneAndTwo(() => mx.multiply(mx.array(x), 3));
    expect(mismatches(sc1, sc2)).toBe(0);
    expect(sc2[n - 1]).toBe(Math.fround(x[n - 1]! * 3));
    const [t1, t2] = await withOneAndTwo(() => mx.tanh(mx.array(x)));
    expect(mismatches(t1, t2)).toBe(0);
    for (let i = 0; i < n; i += 997) expect(Math.abs(t2[i]! - Math.tanh(x[i]!))).toBeLessThan(1e-6);
  });

  it('reductions (whole array, rows, columns) match on 1 and 2 threads and a float64 sum', async () => {
    const [R, C] = [1031, 513];
    const x = lcgData(R * C, 5);
    const all = await withOneAndTwo(() => mx.sum(mx.array(x, [R, C])));
    expect(mismatches(...all)).toBe(0);
    let exact = 0;
    for (const v of x) exact += v;
    expect(Math.abs(all[1][0]! - exact)).toBeLessThan(1e-3);

    const rows = await withOneAndTwo(() => mx.sum(mx.array(x, [R, C]), -1));
    expect(mismatches(...rows)).toBe(0);
    const cols = await withOneAndTwo(() => mx.max(mx.array(x, [R, C]), 0));
    expect(mismatches(...cols)).toBe(0);
    for (const r of [0, 500, R - 1]) {
      let s = 0;
      for (let c = 0; c < C; c++) s += x[r * C + c]!;
      expect(Math.abs(rows[1][r]! - s)).toBeLessThan(1e-4);
    }
    for (const c of [0, 256, C - 1]) {
      let m = -Infinity;
      for (let r = 0; r < R; r++) m = Math.max(m, x[r * C + c]!);
      expect(cols[1][c]).toBe(m);
    }
  });
});
