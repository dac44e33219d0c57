// The element-wise binary fast paths (dense, one broadcast value, broadcast along rows,
// columns or middle axes, transposed operands) and the last-axis softmax, on 1 and 2
// threads: results match bit for bit and equal the float32-rounded value of each single
// IEEE operation (float64 references for softmax). Run lengths cover the vector loop
// tails (not multiples of 16 or 4).
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';
import { mismatches, withOneAndTwo } from './helpers/threads.js';

/** lcgData with 0 replaced by 0.5, so every value can be a divisor. */
const data = (n: number, seed: number): Float32Array => lcgData(n, seed).map((v) => v || 0.5);

type F = (a: number, b: number) => number;
const OPS: [string, (a: mx.Array, b: mx.Array | number) => mx.Array, F][] = [
  ['add', mx.add, (a, b) => a + b],
  ['subtract', mx.subtract, (a, b) => a - b],
  ['multiply', mx.multiply, (a, b) => a * b],
  ['divide', mx.divide, (a, b) => a / b],
];


describeEachBackend('element-wise broadcasts and softmax on threads', () => {
  let before = 1;
  beforeAll(() => {
    before = mx.getNumThreads();
  });
  afterAll(async () => {
    await mx.setNumThreads(before);
  });

  it('dense runs of every length up to 40: vector-vector, value-vector, vector-value', () => {
    const x = data(40, 11);
    const y = data(40, 12);
    for (const [name, op, f] of OPS) {
      for (let n = 1; n <= 40; n++) {
        const xs = x.subarray(0, n);
        const ys = y.subarray(0, n);
        const [vv, sv, vs] = mx.tidy(() => [
          op(mx.array(xs), mx.array(ys)).toTypedArray() as Float32Array,
          op(mx.array(0.375), mx.array(ys)).toTypedArray() as Float32Array,
          op(mx.array(xs), -1.25).toTypedArray() as Float32Array,
        ]);
        for (let i = 0; i < n; i++) {
          expect(vv[i], `${name} vv n=${n} i=${i}`).toBe(Math.fround(f(xs[i]!, ys[i]!)));
          expect(sv[i], `${name} sv n=${n} i=${i}`).toBe(Math.fround(f(0.375, ys[i]!)));
          expect(vs[i], `${name} vs n=${n} i=${i}`).toBe(Math.fround(f(xs[i]!, -1.25)));
        }
      }
    }
  });

  it('two single values broadcast to a shape fill it', () => {
    const out = mx.tidy(() => mx.add(mx.broadcastTo(mx.array(1.5), [3, 5]), mx.array(0.25)).tolist()) as number[][];
    expect(out).toEqual(Array.from({ length: 3 }, () => Array(5).fill(1.75)));
  });

  it('a row, a column, a middle axis and a transposed operand: exact, and the same on 1 and 2 threads', async () => {
    const [R, C] = [1031, 517];
    const x = data(R * C, 1);
    const row = data(C, 2);
    const col = data(R, 3);
    const xt = data(C * R, 4); // [C, R], used transposed
    const mid = data(7 * 1 * 263, 5); // [7, 1, 263] against [7, 301, 263]
    const x3 = data(7 * 301 * 263, 6);
    for (const [name, op, f] of OPS) {
      const cases: [string, () => mx.Array, (i: number) => number][] = [
        ['x + row', () => op(mx.array(x, [R, C]), mx.array(row)), (i) => f(x[i]!, row[i % C]!)],
        ['row + x', () => op(mx.array(row), mx.array(x, [R, C])), (i) => f(row[i % C]!, x[i]!)],
        ['x + col', () => op(mx.array(x, [R, C]), mx.array(col, [R, 1])), (i) => f(x[i]!, col[Math.floor(i / C)]!)],
        [
          'x + xt.T',
          () => op(mx.array(x, [R, C]), mx.transpose(mx.array(xt, [C, R]))),
          (i) => f(x[i]!, xt[(i % C) * R + Math.floor(i / C)]!),
        ],
        [
          'x3 + mid',
          () => op(mx.array(x3, [7, 301, 263]), mx.array(mid, [7, 1, 263])),
          (i) => f(x3[i]!, mid[Math.floor(i / (301 * 263)) * 263 + (i % 263)]!),
        ],
      ];
      for (const [label, fn, ref] of cases) {
        const [one, two] = await withOneAndTwo(fn);
        expect(mismatches(one, two), `${name} ${label}`).toBe(0);
        for (let i = 0; i < two.length; i += 613) expect(two[i], `${name} ${label} at ${i}`).toBe(Math.fround(ref(i)));
        expect(two[two.length - 1], `${name} ${label} last`).toBe(Math.fround(ref(two.length - 1)));
      }
    }
  });

  it('x + 0.5 on 300,001 elements in place of a temporary (donated) input', async () => {
    const n = 300_001;
    const x = data(n, 7);
    // mx.multiply's result is a temporary the add may reuse; the values must not change.
    const [one, two] = await withOneAndTwo(() => mx.add(mx.multiply(mx.array(x), 2), 0.5));
    expect(mismatches(one, two)).toBe(0);
    for (let i = 0; i < n; i += 997) expect(two[i]).toBe(Math.fround(Math.fround(x[i]! * 2) + 0.5));
  });

  it('softmax over the last axis: the same on 1 and 2 threads, within 1e-6 of float64', async () => {
    const [R, C] = [300, 1031];
    const x = data(R * C, 8).map((v) => v * 20);
    const [one, two] = await withOneAndTwo(() => mx.softmax(mx.array(x, [R, C]), -1));
    expect(mismatches(one, two)).toBe(0);
    let worst = 0;
    for (let r = 0; r < R; r += 13) {
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, x[r * C + c]!);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(x[r * C + c]! - m);
      for (let c = 0; c < C; c++) worst = Math.max(worst, Math.abs(two[r * C + c]! - Math.exp(x[r * C + c]! - m) / s));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('softmax rows of 40: a NaN anywhere gives a NaN row; huge values of both signs keep the exact max', () => {
    const nanRow = Array.from({ length: 40 }, (_, i) => (i === 21 ? NaN : i / 10));
    // Sums of these overflow to +inf and -inf (the maximum's NaN check then rescans the row).
    const big = Array.from({ length: 40 }, (_, i) => (i % 16 < 8 ? 3e38 : -3e38));
    const [a, b] = mx.tidy(() => [mx.softmax(mx.array([nanRow]), -1).tolist(), mx.softmax(mx.array([big]), -1).tolist()]) as number[][][];
    expect(a![0]!.every((v) => Number.isNaN(v))).toBe(true);
    const top = big.filter((v) => v === 3e38).length;
    expect(b![0]).toEqual(big.map((v) => (v === 3e38 ? Math.fround(1 / top) : 0)));
  });

  it('float16 softmax (widened per row on each thread): the same on 1 and 2 threads, within float16 rounding', async () => {
    const [R, C] = [300, 515];
    const x = data(R * C, 9).map((v) => v * 4);
    const [one, two] = await withOneAndTwo(() => mx.astype(mx.softmax(mx.astype(mx.array(x, [R, C]), mx.float16), -1), mx.float32));
    expect(mismatches(one, two)).toBe(0);
    for (const r of [0, 150, R - 1]) {
      // The reference from the float16-rounded inputs, in float64.
      const xr = Array.from({ length: C }, (_, c) => mx.tidy(() => mx.astype(mx.array(x[r * C + c]!), mx.float16).item() as number));
      const m = Math.max(...xr);
      const s = xr.reduce((a, v) => a + Math.exp(v - m), 0);
      for (let c = 0; c < C; c += 7) {
        const ref = Math.exp(xr[c]! - m) / s;
        expect(Math.abs(two[r * C + c]! - ref)).toBeLessThanOrEqual(ref * 2 ** -10 + 1e-7);
      }
    }
  });
});
