// mx.fft: every function against numpy.fft fixtures (test/fixtures/gen_fft.py), MLX's
// python/tests/test_fft.py ported (its shapes, axes and tolerances; the reference is a
// float64 DFT computed here, on every output for short lines and on sampled bins for long
// ones), errors and dtypes, gradients against central differences (real and imaginary
// parts), jvp, vmap against a loop, and docs/fft.md's examples.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixtures from './fixtures/fft.json';
import { describeEachBackend } from './helpers/backends.js';
import { jsBlocks, runDocExample } from './helpers/doc-examples.js';

interface Enc {
  shape: number[];
  data: number[];
  complex?: boolean;
}
type Kwargs = Record<string, unknown>;

/** A fixture array: complex64 from interleaved pairs, or float32. */
function decode(e: Enc): mx.Array {
  return mx.tidy(() => {
    if (!e.complex) return mx.array(Float32Array.from(e.data), e.shape);
    const pairs = mx.array(Float32Array.from(e.data), [...e.shape, 2]);
    return mx.reshape(mx.view(pairs, mx.complex64), e.shape);
  });
}

/** numpy.testing.assert_allclose: |got - want| <= atol + rtol |want| (moduli for complex). */
function expectAllclose(got: mx.Array, want: { shape: number[]; re: ArrayLike<number>; im?: ArrayLike<number> }, atol: number, rtol: number, label = ''): void {
  expect(got.shape, label).toEqual(want.shape);
  const isComplex = String(got.dtype) === 'complex64';
  const g = Array.from(got.toTypedArray() as Float32Array);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.re.length; i++) {
    const wr = want.re[i]!;
    const wi = want.im ? want.im[i]! : 0;
    const gr = isComplex ? g[2 * i]! : g[i]!;
    const gi = isComplex ? g[2 * i + 1]! : 0;
    const excess = Math.hypot(gr - wr, gi - wi) - (atol + rtol * Math.hypot(wr, wi));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  expect(worst, `${label} worst element ${at}`).toBeLessThanOrEqual(0);
}

const fromEnc = (e: Enc): { shape: number[]; re: number[]; im?: number[] } =>
  e.complex
    ? { shape: e.shape, re: e.data.filter((_, i) => i % 2 === 0), im: e.data.filter((_, i) => i % 2 === 1) }
    : { shape: e.shape, re: e.data };

type FftFn = (a: mx.Array, options?: Kwargs) => mx.Array;
const fn = (name: string): FftFn => (mx.fft as unknown as Record<string, FftFn>)[name]!;

// ---------------------------------------------------------------- float64 reference DFT

/** Deterministic uniform [0, 1) values (xorshift), so failures reproduce. */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
const f32 = (xs: Float64Array): Float64Array => Float64Array.from(Float32Array.from(xs));
function rand(n: number, seed: number): Float64Array {
  const r = uniform(seed);
  return f32(Float64Array.from({ length: n }, r));
}
function randn(n: number, seed: number): Float64Array {
  const r = uniform(seed);
  return f32(Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())));
}

interface Cx {
  shape: number[];
  re: Float64Array;
  im: Float64Array;
}
const complexArray = (c: Cx): mx.Array =>
  mx.tidy(() => mx.add(mx.array(Float32Array.from(c.re), c.shape), mx.multiply(mx.array(Float32Array.from(c.im), c.shape), mx.array({ re: 0, im: 1 }))));
const realArray = (shape: number[], re: Float64Array): mx.Array => mx.array(Float32Array.from(re), shape);

const roots = new Map<number, [Float64Array, Float64Array]>();
function unitRoots(n: number): [Float64Array, Float64Array] {
  let r = roots.get(n);
  if (!r) {
    const c = new Float64Array(n);
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      c[k] = Math.cos((2 * Math.PI * k) / n);
      s[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    r = [c, s];
    if (roots.size > 8) roots.clear();
    roots.set(n, r);
  }
  return r;
}

/**
 * The DFT of every line along `axis` of x (row order), cut or zero-padded to n first, in
 * float64: all n bins, or only `bins` (the other outputs left NaN and skipped by checks).
 */
function dftAxis(x: Cx, axis: number, n: number, inverse: boolean, bins?: number[]): Cx {
  const shape = x.shape.slice();
  const len = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const oshape = shape.slice();
  oshape[axis] = n;
  const size = outer * n * inner;
  const re = new Float64Array(size).fill(NaN);
  const im = new Float64Array(size).fill(NaN);
  const [c, s] = unitRoots(n);
  const m = Math.min(n, len);
  const ks = bins ?? Array.from({ length: n }, (_, k) => k);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (const k of ks) {
        let ar = 0;
        let ai = 0;
        for (let j = 0; j < m; j++) {
          const t = (j * k) % n;
          const wr = c[t]!;
          const wi = inverse ? -s[t]! : s[t]!;
          const idx = (o * len + j) * inner + i;
          const xr = x.re[idx]!;
          const xi = x.im[idx]!;
          ar += xr * wr - xi * wi;
          ai += xr * wi + xi * wr;
        }
        const oi = (o * n + k) * inner + i;
        re[oi] = inverse ? ar / n : ar;
        im[oi] = inverse ? ai / n : ai;
      }
    }
  }
  return { shape: oshape, re, im };
}

/** x cut to `len` entries along axis. */
function cutAxis(x: Cx, axis: number, len: number): Cx {
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = x.shape[axis]!;
  const shape = x.shape.slice();
  shape[axis] = len;
  const re = new Float64Array(outer * len * inner);
  const im = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < len; k++) {
      for (let i = 0; i < inner; i++) {
        re[(o * len + k) * inner + i] = x.re[(o * n + k) * inner + i]!;
        im[(o * len + k) * inner + i] = x.im[(o * n + k) * inner + i]!;
      }
    }
  }
  return { shape, re, im };
}

/** irfft's input along `axis` extended to n entries by Hermitian symmetry (NumPy's rules). */
function hermitian(x: Cx, axis: number, n: number): Cx {
  const half = Math.floor(n / 2) + 1;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const len = x.shape[axis]!;
  const shape = x.shape.slice();
  shape[axis] = n;
  const re = new Float64Array(outer * n * inner);
  const im = new Float64Array(outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number): number => (o * n + k) * inner + i;
      for (let k = 0; k < half; k++) {
        if (k < len) {
          re[at(k)] = x.re[(o * len + k) * inner + i]!;
          im[at(k)] = x.im[(o * len + k) * inner + i]!;
        }
      }
      im[at(0)] = 0;
      if (n % 2 === 0) im[at(n / 2)] = 0;
      for (let k = half; k < n; k++) {
        re[at(k)] = re[at(n - k)]!;
        im[at(k)] = -im[at(n - k)]!;
      }
    }
  }
  return { shape, re, im };
}

/** Bins to check: every one for short lines, else the edges, the middle and random ones. */
function binsFor(n: number, seed: number): number[] | undefined {
  if (n <= 512) return undefined;
  const r = uniform(seed);
  const set = new Set([0, 1, n - 1, Math.floor(n / 2), Math.floor(n / 2) + 1]);
  const count = n > 1 << 15 ? 6 : 20;
  while (set.size < count) set.add(Math.floor(r() * n));
  return [...set];
}

/** The 1-D reference along the last axis of a [batch, n] input, as _run_ffts uses it. */
function reference1d(op: 'fft' | 'ifft' | 'rfft' | 'irfft', x: Cx, n: number | undefined, bins?: number[]): Cx {
  const axis = x.shape.length - 1;
  const len = x.shape[axis]!;
  if (op === 'fft' || op === 'ifft') return dftAxis(x, axis, n ?? len, op === 'ifft', bins);
  if (op === 'rfft') {
    const nn = n ?? len;
    const half = Math.floor(nn / 2) + 1;
    return cutAxis(dftAxis(x, axis, nn, false, bins?.filter((k) => k < half) ?? Array.from({ length: half }, (_, k) => k)), axis, half);
  }
  const nn = n ?? 2 * (len - 1);
  const full = dftAxis(hermitian(x, axis, nn), axis, nn, true, bins);
  full.im.fill(0);
  return full;
}

/** Compares got with a reference where the reference is not NaN (unchecked bins). */
function expectNearReference(got: mx.Array, want: Cx, atol: number, rtol: number, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const isComplex = String(got.dtype) === 'complex64';
  const g = Array.from(got.toTypedArray() as Float32Array);
  let worst = 0;
  let at = -1;
  let checked = 0;
  for (let i = 0; i < want.re.length; i++) {
    if (Number.isNaN(want.re[i]!)) continue;
    checked++;
    const gr = isComplex ? g[2 * i]! : g[i]!;
    const gi = isComplex ? g[2 * i + 1]! : 0;
    const wi = isComplex ? want.im[i]! : 0;
    const excess = Math.hypot(gr - want.re[i]!, gi - wi) - (atol + rtol * Math.hypot(want.re[i]!, wi));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  expect(checked, label).toBeGreaterThan(0);
  expect(worst, `${label}: worst element ${at}`).toBeLessThanOrEqual(0);
}

/** MLX's _run_ffts: fft, ifft and rfft of a [batch, num] input, irfft with and without n. */
function runFfts(shape: [number, number], atol = 1e-4, rtol = 1e-4, seed = 9): void {
  const [batch, num] = shape;
  const size = batch * num;
  const a: Cx = { shape, re: rand(size, seed), im: rand(size, seed + 1) };
  const r: Cx = { shape, re: a.re, im: new Float64Array(size) };
  const bins = binsFor(num, seed);
  mx.tidy(() => {
    const am = complexArray(a);
    const rm = realArray(shape, r.re);
    expectNearReference(mx.fft.fft(am), reference1d('fft', a, undefined, bins), atol, rtol, `fft ${shape}`);
    expectNearReference(mx.fft.ifft(am), reference1d('ifft', a, undefined, bins), atol, rtol, `ifft ${shape}`);
    expectNearReference(mx.fft.rfft(rm), reference1d('rfft', r, undefined, bins), atol, rtol, `rfft ${shape}`);
    // irfft's input is a half spectrum (MLX uses NumPy's rfft of r; here the rfft just
    // checked, read back): the reference irfft is computed from the same complex64 values.
    const iam = mx.fft.rfft(rm);
    const v = Array.from(iam.toTypedArray() as Float32Array);
    const ia: Cx = {
      shape: iam.shape,
      re: Float64Array.from(v.filter((_, i) => i % 2 === 0)),
      im: Float64Array.from(v.filter((_, i) => i % 2 === 1)),
    };
    expectNearReference(mx.fft.irfft(iam, { n: num }), reference1d('irfft', ia, num, bins), atol, rtol, `irfft n ${shape}`);
    const defaultN = 2 * (ia.shape[1]! - 1);
    expectNearReference(mx.fft.irfft(iam), reference1d('irfft', ia, defaultN, binsFor(defaultN, seed)), atol, rtol, `irfft ${shape}`);
  });
}

// ------------------------------------------------------------------------------- tests

describeEachBackend('mx.fft', () => {
  describe('numpy.fft fixtures', () => {
    const cases = fixtures.cases as { op: string; input: Enc; kwargs: Kwargs; output: Enc }[];
    cases.forEach((c, i) => {
      it(`${i}: ${c.op}(${c.input.complex ? 'complex' : 'real'} ${JSON.stringify(c.input.shape)}, ${JSON.stringify(c.kwargs)})`, () => {
        mx.tidy(() => {
          const out = fn(c.op)(decode(c.input), c.kwargs);
          expect(String(out.dtype)).toBe(c.output.complex ? 'complex64' : 'float32');
          // MLX's check_mx_np defaults.
          expectAllclose(out, fromEnc(c.output), 1e-5, 1e-6, c.op);
        });
      });
    });

    it('fftshift and ifftshift (every axis, one axis, a negative axis, an int axis)', () => {
      for (const s of fixtures.shifts as { input: Enc; axes: number[] | number | null; fftshift: Enc; ifftshift: Enc }[]) {
        mx.tidy(() => {
          const x = decode(s.input);
          // rtol 1e-7: the fixture's shortest float32 texts read as float64 differ from the
          // float32 values by less than that.
          expectAllclose(mx.fft.fftshift(x, s.axes), fromEnc(s.fftshift), 0, 1e-7, `fftshift ${JSON.stringify(s.axes)}`);
          expectAllclose(mx.fft.ifftshift(x, { axes: s.axes }), fromEnc(s.ifftshift), 0, 1e-7, `ifftshift ${JSON.stringify(s.axes)}`);
        });
      }
    });

    it('fftfreq and rfftfreq', () => {
      for (const f of fixtures.freqs as { n: number; d: number; fftfreq: Enc; rfftfreq: Enc }[]) {
        mx.tidy(() => {
          const a = mx.fft.fftfreq(f.n, f.d);
          const b = mx.fft.rfftfreq(f.n, { d: f.d });
          expect(String(a.dtype)).toBe('float32');
          expectAllclose(a, fromEnc(f.fftfreq), 0, 1e-7, `fftfreq ${f.n}`);
          expectAllclose(b, fromEnc(f.rfftfreq), 0, 1e-7, `rfftfreq ${f.n}`);
        });
      }
      mx.tidy(() => expect(mx.fft.fftfreq(4).tolist()).toEqual([0, 0.25, -0.5, -0.25]));
    });
  });

  describe('dtypes and argument forms', () => {
    it('promotes real input to complex64; rfft casts complex input to real; irfft gives float32', () => {
      mx.tidy(() => {
        expect(String(mx.fft.fft(mx.array([1, 2, 3], mx.int32)).dtype)).toBe('complex64');
        expect(String(mx.fft.fft(mx.array([1, 2, 3], mx.float16)).dtype)).toBe('complex64');
        expect(String(mx.fft.irfft(mx.array([1, 2, 3])).dtype)).toBe('float32');
        const z = mx.array([{ re: 1, im: 5 }, { re: -2, im: 1 }, { re: 0.5, im: -3 }]);
        // The real parts [1, -2, 0.5]: X0 = -0.5, X1 = 1.75 + (5 sqrt(3) / 4) i.
        expectAllclose(mx.fft.rfft(z), { shape: [2], re: [-0.5, 1.75], im: [0, (5 * Math.sqrt(3)) / 4] }, 1e-6, 1e-6);
        // fft of [1, 2, 3, 4]: [10, -2+2j, -2, -2-2j].
        const f = mx.fft.fft(mx.array([1, 2, 3, 4]));
        expect(f.tolist()).toEqual([{ re: 10, im: 0 }, { re: -2, im: 2 }, { re: -2, im: 0 }, { re: -2, im: -2 }]);
      });
    });

    it('takes n, axis and norm positionally or as options; axes: null is every axis', () => {
      mx.tidy(() => {
        const x = mx.reshape(mx.arange(12), [3, 4]);
        const a = mx.fft.fft(x, 6, 0, 'ortho');
        const b = mx.fft.fft(x, { n: 6, axis: 0, norm: 'ortho' });
        expect(mx.allclose(a, b).item()).toBe(true);
        expect(a.shape).toEqual([6, 4]);
        expect(mx.fft.fft2(mx.zeros([2, 3, 4])).shape).toEqual([2, 3, 4]);
        expect(mx.fft.rfft2(mx.zeros([2, 3, 4]), [5, 6]).shape).toEqual([2, 5, 4]);
        const all = mx.fft.fft2(x, { axes: null });
        expect(mx.allclose(all, mx.fft.fftn(x)).item()).toBe(true);
        expect(mx.allclose(mx.fft.fftn(x, null, [1]), mx.fft.fft(x)).item()).toBe(true);
      });
    });
  });

  describe('errors (MLX messages)', () => {
    it('rejects bad arrays, axes, sizes and norms', () => {
      mx.tidy(() => {
        const x = mx.ones([4, 4]);
        // MLX's test_fft_throws.
        expect(() => mx.fft.irfftn(mx.array(3))).toThrow(/^\[fftn\] Requires array with at least one dimension\.$/);
        expect(() => mx.fft.fft(mx.array(3))).toThrow(/^\[fftn\] Requires array with at least one dimension/);
        expect(() => mx.fft.fftn(x, { s: [4, 4], axes: [0, 0] })).toThrow(/^\[fftn\] Duplicated axis received/);
        expect(() => mx.fft.fft(x, { axis: 2 })).toThrow(/^\[fftn\] Invalid axis received for array with 2 dimensions\.$/);
        expect(() => mx.fft.fft(x, { n: 0 })).toThrow(/^\[fftn\] Invalid FFT output size requested/);
        expect(() => mx.fft.irfft(mx.ones([1]))).toThrow(/^\[fftn\] Invalid FFT output size requested/);
        expect(() => mx.fft.fftn(x, { s: [4, 4, 4], axes: [0, 1] })).toThrow(/^\[fftn\] Shape and axes have different sizes\.$/);
        expect(() => mx.fft.fft2(x, { s: [2, 2], axes: null })).toThrow(/^\[fft2\] `axes` should not be null if `s` is not null\.$/);
        expect(() => mx.fft.rfftn(x, { s: [2, 2] })).toThrow(/^\[rfftn\] `axes` should not be null/);
        expect(() => mx.fft.fft(x, { norm: 'unitary' as mx.FFTNorm })).toThrow(/^\[fft\] Invalid norm "unitary"/);
        // MLX's test_fftshift_errors.
        expect(() => mx.fft.fftshift(x, [2])).toThrow(/^\[fftshift\] Invalid axis 2 for array with 2 dimensions\.$/);
        expect(() => mx.fft.fftshift(x, [-3])).toThrow(/^\[fftshift\] Invalid axis -3/);
        expect(() => mx.fft.ifftshift(x, 5)).toThrow(/^\[ifftshift\] Invalid axis 5/);
        expect(() => mx.fft.fftfreq(0)).toThrow(/^\[fftfreq\] n must be positive/);
        expect(() => mx.fft.fft(3 as unknown as mx.Array)).toThrow(/^\[fft\] Expected an array/);
        const empty = mx.array([]);
        expect(mx.arrayEqual(mx.fft.fftshift(empty), empty).item()).toBe(true);
      });
    });
  });

  describe("MLX's test_fft.py", () => {
    it('test_fft: lengths 100, cut to 80 and padded to 120, both axes of 100x100, rfft, ifft, irfft', () => {
      const one = (op: 'fft' | 'ifft' | 'rfft' | 'irfft', x: Cx, n?: number, axis?: number): void => {
        mx.tidy(() => {
          const isReal = op === 'rfft';
          const arr = isReal ? realArray(x.shape, x.re) : complexArray(x);
          const opts: Kwargs = {};
          if (n !== undefined) opts['n'] = n;
          if (axis !== undefined) opts['axis'] = axis;
          const got = fn(op)(arr, opts);
          let want: Cx;
          const ax = axis ?? x.shape.length - 1;
          if (ax === x.shape.length - 1) {
            want = reference1d(op, isReal ? { ...x, im: new Float64Array(x.re.length) } : x, n);
          } else {
            want = dftAxis(x, ax, n ?? x.shape[ax]!, op === 'ifft');
          }
          expectNearReference(got, want, 1e-5, 1e-6, `${op} ${x.shape} n=${n} axis=${axis}`);
        });
      };
      const c100: Cx = { shape: [100], re: rand(100, 1), im: rand(100, 2) };
      one('fft', c100);
      one('fft', c100, 80);
      one('fft', c100, 120);
      const c2: Cx = { shape: [100, 100], re: rand(10000, 3), im: rand(10000, 4) };
      one('fft', c2, undefined, 0);
      one('fft', c2, undefined, 1);
      const r100: Cx = { shape: [100], re: rand(100, 5), im: new Float64Array(100) };
      one('rfft', r100);
      one('rfft', r100, 80);
      one('rfft', r100, 120);
      one('ifft', c2);
      one('ifft', c2, 80);
      one('ifft', c2, 120);
      const x = reference1d('rfft', { ...c2, im: new Float64Array(10000) }, undefined);
      one('irfft', { shape: x.shape, re: f32(x.re), im: f32(x.im) });
    });

    it('test_fftn: fft2/ifft2/rfft2/irfft2/fftn/ifftn/rfftn/irfftn of 8x8x8 over axes None, (1,2), (2,1), (0,2) and s None, (10,5), (5,10)', () => {
      const r: Cx = { shape: [8, 8, 8], re: randn(512, 11), im: new Float64Array(512) };
      const a: Cx = { shape: [8, 8, 8], re: r.re, im: randn(512, 12) };
      const axesList: (number[] | null)[] = [null, [1, 2], [2, 1], [0, 2]];
      const shapes: (number[] | null)[] = [null, [10, 5], [5, 10]];
      // The reference n-D transforms: per-axis DFTs (NumPy's order: the real axis last for
      // rfftn, first for irfftn).
      const nd = (op: string, x: Cx, axes: number[] | null, s: number[] | null): Cx => {
        const real = op.startsWith('r') || op.startsWith('ir');
        const inverse = op.startsWith('i');
        const ax = axes ?? [0, 1, 2]; // axes=None: every axis, for fft2 too (MLX and NumPy)
        let sizes = s ?? ax.map((k) => x.shape[k]!);
        if (!s && real && inverse) sizes = sizes.map((v, i) => (i === sizes.length - 1 ? 2 * (v - 1) : v));
        let y = x;
        if (!real) {
          ax.forEach((k, i) => (y = dftAxis(y, k, sizes[i]!, inverse)));
          return y;
        }
        const last = ax[ax.length - 1]!;
        const nLast = sizes[sizes.length - 1]!;
        if (!inverse) {
          y = dftAxis(y, last, nLast, false);
          y = cutAxis(y, last, Math.floor(nLast / 2) + 1);
          ax.slice(0, -1).forEach((k, i) => (y = dftAxis(y, k, sizes[i]!, false)));
          return y;
        }
        ax.slice(0, -1).forEach((k, i) => (y = dftAxis(y, k, sizes[i]!, true)));
        y = dftAxis(hermitian(y, last, nLast), last, nLast, true);
        y.im.fill(0);
        return y;
      };
      for (const op of ['fft2', 'ifft2', 'rfft2', 'irfft2', 'fftn', 'ifftn', 'rfftn', 'irfftn']) {
        for (const ax of axesList) {
          for (const s of shapes) {
            if (ax === null && s !== null) continue;
            let x = a;
            if (op === 'rfft2' || op === 'rfftn') x = r;
            else if (op === 'irfft2' || op === 'irfftn') {
              const h = nd(op.slice(1), r, ax, s);
              x = { shape: h.shape, re: f32(h.re), im: f32(h.im) };
            }
            mx.tidy(() => {
              const arr = op === 'rfft2' || op === 'rfftn' ? realArray(x.shape, x.re) : complexArray(x);
              const got = fn(op)(arr, { axes: ax, s });
              expectNearReference(got, nd(op, x, ax, s), 1e-5, 1e-6, `${op} axes=${JSON.stringify(ax)} s=${JSON.stringify(s)}`);
            });
          }
        }
      }
    });

    it('test_fft_shared_mem: small radix, powers of 2, stockham, rader and bluestein lengths, batch 1, 3 and 32', () => {
      const nums = [
        ...Array.from({ length: 12 }, (_, i) => i + 2),
        ...Array.from({ length: 9 }, (_, i) => 2 ** (i + 4)),
        3 * 3 * 3, 3 * 11, 11 * 13 * 2, 7 * 4 * 13 * 11, 13 * 13 * 11,
        17, 23, 29, 17 * 8 * 3, 23 * 2, 1153, 1982,
        47, 83, 17 * 17,
        3159, 3645, 3969, 4004,
      ];
      for (const batch of [1, 3, 32]) {
        for (const num of nums) runFfts([batch, num], num < 1025 ? 1e-4 : 1e-3);
      }
    }, 120_000);

    it('test_fft_big_powers_of_two: 2^12 .. 2^19 (batch 3)', () => {
      for (let k = 12; k < 17; k++) runFfts([3, 2 ** k], 1e-3);
      for (let k = 17; k < 20; k++) runFfts([3, 2 ** k], 1e-2);
    }, 120_000);

    it('test_fft_large_numbers: 1037, 18247, 1259 * 11, 7883, 3^8, 3109, 4006', () => {
      for (const n of [1037, 18247, 1259 * 11, 7883, 3 ** 8, 3109, 4006]) runFfts([1, n], 1e-3);
    }, 120_000);

    it('test_fft_contiguity: strided inputs along and across the transformed axis, broadcasts', () => {
      const a: Cx = { shape: [4, 8], re: rand(32, 21), im: rand(32, 22) };
      mx.tidy(() => {
        const am = complexArray(a);
        const col = (x: mx.Array): Cx => {
          const v = Array.from(x.toTypedArray() as Float32Array);
          return { shape: x.shape, re: Float64Array.from(v.filter((_, i) => i % 2 === 0)), im: Float64Array.from(v.filter((_, i) => i % 2 === 1)) };
        };
        const strided = mx.slice(am, [0, 0], [4, 8], [1, 2]); // a[:, ::2]
        expectNearReference(mx.fft.fft(strided), dftAxis(col(mx.contiguous(strided)), 1, 4, false), 1e-5, 1e-5, 'a[:, ::2]');
        const rows = mx.slice(am, [0, 0], [4, 8], [2, 1]); // a[::2]
        expectNearReference(mx.fft.fft(rows), dftAxis(col(mx.contiguous(rows)), 1, 8, false), 1e-5, 1e-5, 'a[::2]');
        const b = mx.broadcastTo(mx.reshape(mx.transpose(am), [8, 4, 1]), [8, 4, 16]);
        const shifted = mx.add(mx.abs(b), 4);
        const ref = col(mx.astype(mx.contiguous(shifted), mx.complex64));
        expectNearReference(mx.fft.fft(shifted), dftAxis(ref, 2, 16, false), 1e-5, 1e-5, 'fft(abs(broadcast) + 4)');
        const tiled = mx.tile(mx.reshape(mx.array([0, 1, 2, 3]), [1, 4]), [4, 1]);
        const absf = mx.abs(mx.fft.fft(tiled));
        const row = [6, Math.SQRT2 * 2, 2, Math.SQRT2 * 2];
        expectAllclose(absf, { shape: [4, 4], re: [...row, ...row, ...row, ...row] }, 1e-5, 1e-5, 'abs(fft(tile))');
      });
    });

    it('test_fft_into_ifft: fft then ifft of 8193 points (n given)', () => {
      const n = 8193;
      const seg: Cx = { shape: [1, n], re: randn(n, 31), im: randn(n, 32) };
      mx.tidy(() => {
        const f = mx.fft.fft(complexArray(seg), { n });
        const r = mx.fft.ifft(f, { n });
        const v = Array.from(f.toTypedArray() as Float32Array);
        const fx: Cx = { shape: [1, n], re: Float64Array.from(v.filter((_, i) => i % 2 === 0)), im: Float64Array.from(v.filter((_, i) => i % 2 === 1)) };
        expectNearReference(r, dftAxis(fx, 1, n, true, binsFor(n, 3)), 1e-5, 1e-5, 'ifft(fft(x))');
        // and the round trip gives the input back.
        expectNearReference(r, seg, 1e-5, 1e-5, 'round trip');
      });
    });

    it('test_fftshift / test_ifftshift: 1-D, axes [0], [1], [0, 1], [-1], odd lengths, complex input', () => {
      const roll = (x: Cx, axes: number[], inverse: boolean): Cx => {
        let y = x;
        for (const ax of axes.map((a) => (a < 0 ? a + x.shape.length : a))) {
          const n = y.shape[ax]!;
          const shift = inverse ? Math.floor((n + 1) / 2) : Math.floor(n / 2);
          const idx = Array.from({ length: n }, (_, k) => (k - shift + n) % n);
          const inner = y.shape.slice(ax + 1).reduce((p, q) => p * q, 1);
          const outer = y.shape.slice(0, ax).reduce((p, q) => p * q, 1);
          const re = new Float64Array(y.re.length);
          const im = new Float64Array(y.re.length);
          for (let o = 0; o < outer; o++) {
            for (let k = 0; k < n; k++) {
              for (let i = 0; i < inner; i++) {
                re[(o * n + k) * inner + i] = y.re[(o * n + idx[k]!) * inner + i]!;
                im[(o * n + k) * inner + i] = y.im[(o * n + idx[k]!) * inner + i]!;
              }
            }
          }
          y = { shape: y.shape, re, im };
        }
        return y;
      };
      const cases: [Cx, (number[] | null)[]][] = [
        [{ shape: [100], re: rand(100, 41), im: new Float64Array(100) }, [null]],
        [{ shape: [4, 6], re: rand(24, 42), im: new Float64Array(24) }, [[0], [1], [0, 1], [-1]]],
        [{ shape: [5, 7], re: rand(35, 43), im: new Float64Array(35) }, [null, [0]]],
        [{ shape: [8, 8], re: rand(64, 44), im: rand(64, 45) }, [null]],
      ];
      mx.tidy(() => {
        for (const [x, axesList] of cases) {
          const complex = x.im.some((v) => v !== 0);
          const arr = complex ? complexArray(x) : realArray(x.shape, x.re);
          for (const axes of axesList) {
            const all = axes ?? x.shape.map((_, i) => i);
            expectNearReference(mx.fft.fftshift(arr, axes), roll(x, all, false), 0, 1e-7, `fftshift ${x.shape} ${axes}`);
            expectNearReference(mx.fft.ifftshift(arr, axes), roll(x, all, true), 0, 1e-7, `ifftshift ${x.shape} ${axes}`);
          }
        }
      });
    });
  });

  describe('gradients', () => {
    // A real loss of a complex (or real) input through an fft function: sum(re(op(z) * w))
    // + sum(im(op(z) * v)) for complex outputs, sum(op(z) * w_re) for real ones. Checked:
    // grad = dL/dx - i dL/dy (docs/complex.md) against central differences of every real
    // component, and jvp along a tangent against the same differences.
    const rnd = uniform(5);
    const weights = (shape: number[], complex: boolean): mx.Array => {
      const n = shape.reduce((p, q) => p * q, 1);
      const re = Float32Array.from({ length: n }, () => rnd() * 2 - 1);
      if (!complex) return mx.array(re, shape);
      const im = Float32Array.from({ length: n }, () => rnd() * 2 - 1);
      return mx.add(mx.array(re, shape), mx.multiply(mx.array(im, shape), mx.array({ re: 0, im: 1 })));
    };
    const cases: [string, number[], boolean, (z: mx.Array) => mx.Array][] = [
      ['fft', [6], true, (z) => mx.fft.fft(z)],
      ['fft prime length, padded', [7], true, (z) => mx.fft.fft(z, { n: 9 })],
      ['ifft, cut', [8], true, (z) => mx.fft.ifft(z, { n: 5 })],
      ['fft2 over axes (0, 2), ortho', [3, 2, 4], true, (z) => mx.fft.fft2(z, { axes: [0, 2], norm: 'ortho' })],
      ['rfft (odd n)', [7], false, (z) => mx.fft.rfft(z)],
      ['rfft (even n, padded)', [6], false, (z) => mx.fft.rfft(z, { n: 8 })],
      ['rfftn', [3, 4], false, (z) => mx.fft.rfftn(z)],
      ['irfft (even n)', [5], true, (z) => mx.fft.irfft(z)],
      ['irfft (odd n)', [4], true, (z) => mx.fft.irfft(z, { n: 7 })],
      ['irfftn, forward norm', [3, 3], true, (z) => mx.fft.irfftn(z, { norm: 'forward' })],
      ['irfft2 over axes (1, 0)', [4, 3], true, (z) => mx.fft.irfft2(z, { axes: [1, 0] })],
    ];
    for (const [name, shape, complexIn, op] of cases) {
      it(`vjp and jvp of ${name} against central differences`, () => {
        mx.tidy(() => {
          const n = shape.reduce((p, q) => p * q, 1);
          const comps = complexIn ? 2 * n : n;
          const x0 = Array.from({ length: comps }, () => rnd() * 2 - 1);
          const make = (v: number[]): mx.Array => {
            if (!complexIn) return mx.array(Float32Array.from(v), shape);
            return mx.reshape(mx.view(mx.array(Float32Array.from(v), [...shape, 2]), mx.complex64), shape);
          };
          const outShape = op(make(x0)).shape;
          const outComplex = String(op(make(x0)).dtype) === 'complex64';
          const w = weights(outShape, outComplex);
          const v = weights(outShape, outComplex);
          const loss = (z: mx.Array): mx.Array => {
            const y = op(z);
            if (!outComplex) return mx.sum(mx.multiply(y, w));
            return mx.add(mx.sum(mx.real(mx.multiply(y, w))), mx.sum(mx.imag(mx.multiply(y, v))));
          };
          const at = (vals: number[]): number => mx.tidy(() => loss(make(vals)).item() as number);
          const h = 1e-2;
          const numeric = x0.map((_, k) => {
            const up = x0.slice();
            const down = x0.slice();
            up[k]! += h;
            down[k]! -= h;
            return (at(up) - at(down)) / (2 * h);
          });
          const g = mx.grad(loss)(make(x0)) as mx.Array;
          expect(String(g.dtype)).toBe(complexIn ? 'complex64' : 'float32');
          const gv = Array.from(g.toTypedArray() as Float32Array);
          const scale = 1 + Math.max(...numeric.map(Math.abs));
          numeric.forEach((d, k) => {
            // complex: grad = dL/dx - i dL/dy
            const got = complexIn && k % 2 === 1 ? -gv[k]! : gv[k]!;
            expect(Math.abs(got - d), `${name} component ${k}: ${got} vs ${d}`).toBeLessThan(2e-3 * scale);
          });
          const t = Array.from({ length: comps }, () => rnd() * 2 - 1);
          const [, [tan]] = mx.jvp(loss, [make(x0)], [make(t)]);
          const expected = numeric.reduce((s, d, k) => s + d * t[k]!, 0);
          expect(Math.abs((tan!.item() as number) - expected)).toBeLessThan(3e-3 * (1 + Math.abs(expected)) * Math.sqrt(comps));
        });
      });
    }

    it('grad of sum(abs(rfft(x))) against central differences', () => {
      mx.tidy(() => {
        const x0 = [0.5, -1.25, 2, 0.75, -0.5, 1.5, -2, 0.25, 1];
        const f = (x: mx.Array): mx.Array => mx.sum(mx.abs(mx.fft.rfft(x)));
        const at = (v: number[]): number => mx.tidy(() => f(mx.array(Float32Array.from(v))).item() as number);
        const g = Array.from((mx.grad(f)(mx.array(Float32Array.from(x0))) as mx.Array).toTypedArray() as Float32Array);
        x0.forEach((_, k) => {
          const up = x0.slice();
          const down = x0.slice();
          up[k]! += 1e-2;
          down[k]! -= 1e-2;
          const d = (at(up) - at(down)) / 2e-2;
          expect(Math.abs(g[k]! - d), `component ${k}`).toBeLessThan(5e-3 * (1 + Math.abs(d)));
        });
      });
    });
  });

  describe('vmap', () => {
    const loopCheck = (f: (x: mx.Array) => mx.Array, x: mx.Array, inAxis: number): void => {
      const mapped = mx.vmap(f, inAxis)(x) as mx.Array;
      const loop = mx.stack(Array.from({ length: x.shape[inAxis]! }, (_, i) => f(mx.take(x, i, inAxis))), 0);
      expect(mapped.shape).toEqual(loop.shape);
      expect(String(mapped.dtype)).toBe(String(loop.dtype));
      expect(mx.allclose(mapped, loop, { rtol: 1e-5, atol: 1e-5 }).item()).toBe(true);
    };
    it('fft, rfft, irfft (odd n), fft2 and rfftn over a batch axis match a loop', () => {
      mx.tidy(() => {
        const z = mx.add(mx.random.normal([3, 4, 5], { key: mx.random.key(1) }), mx.multiply(mx.random.normal([3, 4, 5], { key: mx.random.key(2) }), mx.array({ re: 0, im: 1 })));
        const r = mx.random.normal([3, 4, 5], { key: mx.random.key(3) });
        for (const ax of [0, 1, 2]) {
          loopCheck((x) => mx.fft.fft(x, { axis: 0 }), z, ax);
          loopCheck((x) => mx.fft.ifft(x, { n: 7 }), z, ax);
          loopCheck((x) => mx.fft.rfft(x, { axis: 0 }), r, ax);
          loopCheck((x) => mx.fft.irfft(x, { n: 5 }), z, ax);
          loopCheck((x) => mx.fft.fft2(x), z, ax);
          loopCheck((x) => mx.fft.rfftn(x, { axes: [1, 0] }), r, ax);
          loopCheck((x) => mx.fft.irfft2(x, { s: [3, 6], axes: [0, 1] }), z, ax);
        }
      });
    });
  });

  describe('docs/fft.md', () => {
    type Glob = (pattern: string, options: { query: string; import: string; eager: true }) => Record<string, string>;
    const texts = (import.meta as ImportMeta & { glob: Glob }).glob('../docs/fft.md', { query: '?raw', import: 'default', eager: true });
    const blocks = jsBlocks(texts['../docs/fft.md'] ?? '');
    it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(1));
    blocks.forEach((code, i) => it(`example ${i + 1} runs and its checks hold`, () => runDocExample(code)));
  });
});
