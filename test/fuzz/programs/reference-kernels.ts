// Reference kernels shared by several ops: grouping the elements a reduction or a scan
// combines, NumPy's matmul, and erf (JavaScript has none). Everything is plain float64.
import { forEachIndex, offsetOf, sizeOf, stridesOf, type Tensor } from './tensor.js';

/** Normalises negative axes. */
export const normAxis = (axis: number, ndim: number): number => (axis < 0 ? axis + ndim : axis);

/** The shape after reducing `axes` (all when null). */
export function reducedShape(shape: readonly number[], axes: readonly number[] | null, keepdims: boolean): number[] {
  const set = new Set(axes === null ? shape.map((_, k) => k) : axes.map((a) => normAxis(a, shape.length)));
  const out: number[] = [];
  shape.forEach((d, k) => {
    if (!set.has(k)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/**
 * For each output element of a reduction over `axes` (all when null), the offsets in `t` of
 * the elements it combines, in row-major order of the reduced axes.
 */
export function reduceGroups(shape: readonly number[], axes: readonly number[] | null): number[][] {
  const set = new Set(axes === null ? shape.map((_, k) => k) : axes.map((a) => normAxis(a, shape.length)));
  const kept = shape.filter((_, k) => !set.has(k));
  const groups: number[][] = Array.from({ length: sizeOf(kept) }, () => []);
  forEachIndex(shape, (i, idx) => {
    const keptIdx = idx.filter((_, k) => !set.has(k));
    groups[offsetOf(kept, keptIdx)]!.push(i);
  });
  return groups;
}

/** The offsets of each line along `axis` (the flattened array when null), in order. */
export function lines(shape: readonly number[], axis: number | null): number[][] {
  if (axis === null) return [Array.from({ length: sizeOf(shape) }, (_, i) => i)];
  return reduceGroups(shape, [axis]);
}

/** NumPy's matmul of float64 data (1-D operands promoted and the added axis dropped). */
export function matmulRef(a: Tensor, b: Tensor, outShape: readonly number[]): Float64Array {
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = as[as.length - 2]!;
  const k = as[as.length - 1]!;
  const n = bs[bs.length - 1]!;
  const batchA = as.slice(0, -2);
  const batchB = bs.slice(0, -2);
  const nb = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let q = 0; q < nb; q++) {
    const x = batchA[batchA.length - nb + q] ?? 1;
    const y = batchB[batchB.length - nb + q] ?? 1;
    batch.push(x === 1 ? y : x);
  }
  const out = new Float64Array(sizeOf(outShape));
  const sa = stridesOf(as);
  const sb = stridesOf(bs);
  let o = 0;
  forEachIndex(batch, (_i, bidx) => {
    let offA = 0;
    let offB = 0;
    for (let q = 0; q < batchA.length; q++) if (batchA[q] !== 1) offA += bidx[q + nb - batchA.length]! * sa[q]!;
    for (let q = 0; q < batchB.length; q++) if (batchB[q] !== 1) offB += bidx[q + nb - batchB.length]! * sb[q]!;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a.data[offA + i * k + p]! * b.data[offB + p * n + j]!;
        out[o++] = acc;
      }
    }
  });
  return out;
}

/** erf by its Maclaurin series (|x| < 4: ~1e-9 after cancellation) and 1 beyond (erfc(4) < 2e-8). */
export function erf(x: number): number {
  if (Math.abs(x) >= 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
