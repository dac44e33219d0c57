// Reductions along a leading (strided) axis take the kernel's element-wise accumulation path
// (a contiguous run of outputs per input row). Checked against sums computed here, on odd
// sizes, every float dtype and int32, with NaN for max, and on a transposed (strided) input.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const R = 37;
const C = 53; // odd: no multiple of the vector width

/** Small integers (exact in every dtype, sums included: |sum| <= 3 * 37 < 256). */
function data(): number[] {
  const v: number[] = [];
  for (let i = 0; i < R * C; i++) v.push(((i * 7919) % 7) - 3);
  return v;
}

/** A row-major array of the given shape from plain numbers (float32 unless a dtype is given). */
function mat(v: number[], shape: number[], dtype: mx.Dtype = mx.float32): mx.Array {
  return mx.astype(mx.array(Float32Array.from(v), shape), dtype);
}

function columnSums(v: number[], rows: number, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += v[r * cols + c]!;
  return out;
}

describeEachBackend('reduction along a leading axis', () => {
  it('sum over axis 0 matches the column sums for every float dtype and int32', () => {
    const v = data();
    const want = columnSums(v, R, C);
    for (const dtype of [mx.float32, mx.float16, mx.bfloat16, mx.float64, mx.int32]) {
      const got = mx.tidy(() => mx.astype(mx.sum(mat(v, [R, C], dtype), 0), mx.float64).tolist());
      expect(got, String(dtype)).toEqual(want);
    }
  });

  it('sum over axis 0 of a 3-D array, and over axes 0 and 1', () => {
    const v = data().slice(0, 36 * C);
    const got = mx.tidy(() => mx.sum(mat(v, [4, 9, C]), 0).tolist()) as number[][];
    const want = columnSums(v, 4, 9 * C);
    expect(got.flat()).toEqual(want);
    const both = mx.tidy(() => mx.sum(mat(v, [4, 9, C]), [0, 1]).tolist());
    expect(both).toEqual(columnSums(v, 36, C));
  });

  it('max over axis 0 propagates NaN per column', () => {
    const v = data();
    v[5 * C + 2] = NaN;
    const got = mx.tidy(() => mx.max(mat(v, [R, C]), 0).tolist()) as number[];
    expect(got[2]).toBeNaN();
    for (let c = 0; c < C; c++) {
      if (c === 2) continue;
      let m = -Infinity;
      for (let r = 0; r < R; r++) m = Math.max(m, v[r * C + c]!);
      expect(got[c]).toBe(m);
    }
  });

  it('a transposed (strided) input reduces to the same values', () => {
    const v = data();
    const got = mx.tidy(() => mx.sum(mx.transpose(mat(v, [R, C])), 1).tolist());
    expect(got).toEqual(columnSums(v, R, C));
    const got0 = mx.tidy(() => mx.sum(mx.transpose(mat(v, [R, C])), 0).tolist()) as number[];
    const rowSums = Array.from({ length: R }, (_, r) => v.slice(r * C, (r + 1) * C).reduce((a, b) => a + b, 0));
    expect(got0).toEqual(rowSums);
  });
});
