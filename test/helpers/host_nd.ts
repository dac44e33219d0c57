/**
 * A minimal host-side n-d array in float64 for the ported MLX tests: where MLX's Python tests
 * compare against NumPy on random inputs, the inputs are read back from mlxjs and the NumPy
 * result is recomputed here (transpose, broadcast, reductions, matmul), exactly for integers
 * and in float64 for floats, which NumPy's float32 results approximate.
 */
import * as mx from 'mlxjs';

export interface Host {
  shape: number[];
  data: Float64Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** The values of a real array as float64, in row-major order of its logical shape. */
export function host(a: mx.Array): Host {
  const t = a.toTypedArray() as ArrayLike<number | bigint>;
  const data = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) data[i] = Number(t[i]!);
  return { shape: [...a.shape], data };
}

export const hostOf = (shape: number[], data: ArrayLike<number>): Host => ({ shape, data: Float64Array.from(data) });

/** Visits every multi-index of `shape` in row-major order with the flat offset into `strides`. */
function forEachOffset(shape: readonly number[], strides: readonly number[], f: (i: number, off: number) => void): void {
  const n = sizeOf(shape);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    f(i, off);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= idx[d]! * strides[d]!;
      idx[d] = 0;
    }
  }
}

/** Copies a strided view of x (offset, shape, element strides) into a new contiguous Host. */
export function stridedView(x: Host, shape: number[], strides: number[], offset = 0): Host {
  const out = new Float64Array(sizeOf(shape));
  forEachOffset(shape, strides, (i, off) => {
    out[i] = x.data[offset + off]!;
  });
  return { shape, data: out };
}

export function transpose(x: Host, perm?: readonly number[]): Host {
  const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const st = stridesOf(x.shape);
  return stridedView(x, p.map((a) => x.shape[a]!), p.map((a) => st[a]!));
}

export function broadcastTo(x: Host, shape: number[]): Host {
  if (shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i])) return x;
  const st = stridesOf(x.shape);
  const lead = shape.length - x.shape.length;
  const strides = shape.map((d, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : st[i - lead]!));
  return stridedView(x, shape, strides);
}

export const reshape = (x: Host, shape: number[]): Host => ({ shape, data: x.data });

/** x[::-1] along axis 0 (NumPy's negative-stride view). */
export function flip0(x: Host): Host {
  const st = stridesOf(x.shape);
  const strides = [-st[0]!, ...st.slice(1)];
  return stridedView(x, x.shape, strides, (x.shape[0]! - 1) * st[0]!);
}

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'mean' | 'var' | 'all' | 'any';

/** NumPy's reduction over `axes` (all when null); max/min propagate NaN as NumPy's do. */
export function reduce(x: Host, op: ReduceOp, axes: readonly number[] | null, keepdims = false): Host {
  const nd = x.shape.length;
  const ax = new Set((axes ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + nd : a)));
  const keptAxes = x.shape.map((_, i) => i).filter((i) => !ax.has(i));
  const redAxes = [...ax].sort((a, b) => a - b);
  const st = stridesOf(x.shape);
  const outShape = keptAxes.map((a) => x.shape[a]!);
  const redShape = redAxes.map((a) => x.shape[a]!);
  const redStrides = redAxes.map((a) => st[a]!);
  const count = sizeOf(redShape);
  const out = new Float64Array(sizeOf(outShape));
  forEachOffset(outShape, keptAxes.map((a) => st[a]!), (o, base) => {
    const vals: number[] = [];
    forEachOffset(redShape, redStrides, (_, off) => vals.push(x.data[base + off]!));
    out[o] = reduceValues(vals, op, count);
  });
  const shape = keepdims ? x.shape.map((d, i) => (ax.has(i) ? 1 : d)) : outShape;
  return { shape, data: out };
}

function reduceValues(v: number[], op: ReduceOp, n: number): number {
  switch (op) {
    case 'sum':
      return v.reduce((a, b) => a + b, 0);
    case 'prod':
      return v.reduce((a, b) => a * b, 1);
    case 'max':
      return v.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), -Infinity);
    case 'min':
      return v.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)), Infinity);
    case 'mean':
      return v.reduce((a, b) => a + b, 0) / n;
    case 'var': {
      const m = v.reduce((a, b) => a + b, 0) / n;
      return v.reduce((a, b) => a + (b - m) * (b - m), 0) / n;
    }
    case 'all':
      return v.every((a) => a !== 0) ? 1 : 0;
    case 'any':
      return v.some((a) => a !== 0) ? 1 : 0;
  }
}

/** NumPy's argmin/argmax along one axis (first index of the extreme; NaN wins as NumPy's). */
export function argReduce(x: Host, op: 'argmin' | 'argmax', axis: number | null, keepdims = false): Host {
  if (axis === null) {
    const r = argReduce(reshape(x, [x.data.length]), op, 0);
    return keepdims ? { shape: x.shape.map(() => 1), data: r.data } : r;
  }
  const nd = x.shape.length;
  const a = axis < 0 ? axis + nd : axis;
  const st = stridesOf(x.shape);
  const outShape = x.shape.filter((_, i) => i !== a);
  const out = new Float64Array(sizeOf(outShape));
  const better = op === 'argmin' ? (u: number, w: number) => u < w : (u: number, w: number) => u > w;
  forEachOffset(outShape, st.filter((_, i) => i !== a), (o, base) => {
    let best = 0;
    let bv = x.data[base]!;
    for (let k = 1; k < x.shape[a]! && !Number.isNaN(bv); k++) {
      const v = x.data[base + k * st[a]!]!;
      if (Number.isNaN(v) || better(v, bv)) {
        best = k;
        bv = v;
      }
    }
    out[o] = best;
  });
  return { shape: keepdims ? x.shape.map((d, i) => (i === a ? 1 : d)) : outShape, data: out };
}

/** NumPy's broadcast of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes ${a} and ${b} do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** NumPy's `a @ b` in float64: 1-D operands promoted and the batch axes broadcast. */
export function matmul(a: Host, b: Host): Host {
  const av = a.shape.length === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const bv = b.shape.length === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const [M, K] = av.shape.slice(-2) as [number, number];
  const [K2, N] = bv.shape.slice(-2) as [number, number];
  if (K !== K2) throw new Error(`matmul: inner dimensions ${K} and ${K2} differ`);
  const batch = broadcastShapes(av.shape.slice(0, -2), bv.shape.slice(0, -2));
  const A = broadcastTo(av, [...batch, M, K]).data;
  const B = broadcastTo(bv, [...batch, K, N]).data;
  const nb = sizeOf(batch);
  const out = new Float64Array(nb * M * N);
  for (let q = 0; q < nb; q++) {
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        const aik = A[q * M * K + i * K + k]!;
        const bo = q * K * N + k * N;
        const oo = q * M * N + i * N;
        for (let j = 0; j < N; j++) out[oo + j]! += aik * B[bo + j]!;
      }
    }
  }
  let shape = [...batch, M, N];
  if (a.shape.length === 1) shape = shape.filter((_, i) => i !== shape.length - 2);
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { shape, data: out };
}

/**
 * NumPy's allclose(actual, expected, rtol, atol), shapes included: |a - e| <= atol + rtol * |e|,
 * NaN equal to NaN when equalNan. Returns a message naming the worst element, or '' when close.
 */
export function closeness(actual: mx.Array, expected: Host, rtol = 1e-5, atol = 1e-8, equalNan = false): string {
  if (actual.shape.join(',') !== expected.shape.join(',')) return `shape [${actual.shape}] vs [${expected.shape}]`;
  const got = host(actual).data;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const e = expected.data[i]!;
    if (Number.isNaN(g) || Number.isNaN(e)) {
      if (equalNan && Number.isNaN(g) && Number.isNaN(e)) continue;
      return `element ${i}: ${g} vs ${e}`;
    }
    if (g === e) continue; // infinities of the same sign
    const excess = Math.abs(g - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  return worst < 0 ? '' : `element ${worst}: ${got[worst]} vs ${expected.data[worst]} (off by ${worstExcess} beyond tolerance)`;
}

/** NumPy basic slicing: one [start, stop, step] (non-negative start/stop) or null (all) per leading axis. */
export function slice(x: Host, specs: readonly ([number, number, number] | null)[]): Host {
  const st = stridesOf(x.shape);
  let offset = 0;
  const shape: number[] = [];
  const strides: number[] = [];
  x.shape.forEach((d, i) => {
    const [start, stop, step] = specs[i] ?? [0, d, 1];
    const end = Math.min(stop, d);
    offset += start * st[i]!;
    shape.push(Math.max(0, Math.ceil((end - start) / step)));
    strides.push(step * st[i]!);
  });
  return stridedView(x, shape, strides, offset);
}

/** Rounds every value to float32 or float16 (through mlxjs's own cast for float16). */
export function roundTo(x: Host, dtype: mx.Dtype): Host {
  if (dtype === mx.float32) return { shape: x.shape, data: Float64Array.from(Float32Array.from(x.data)) };
  return mx.tidy(() => host(mx.array(Float32Array.from(x.data), x.shape).astype(dtype)));
}
