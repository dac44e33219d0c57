// vmap rules of the element-wise, compare and reduce families (issue #4): every op vmapped
// over a non-zero in-axis, with one operand unbatched, equals a JS loop over the batch; the
// rules run as a few kernels (the per-element fallback would run several per element);
// vmap composes with grad; the float element-wise ops fuse under compile.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';

const B = 8; // batch size: the mapped axis (axis 1) of every batched input

/** Nested lists equal within `tol`; NaN equals NaN, infinities and booleans exactly. */
function expectSame(actual: unknown, expected: unknown, tol: number, where = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where}: expected a list`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, where).toBe(expected.length);
    expected.forEach((e, i) => expectSame(a[i], e, tol, `${where}[${i}]`));
    return;
  }
  if (typeof expected !== 'number' || !Number.isFinite(expected)) {
    expect(actual, where).toEqual(expected);
    return;
  }
  expect(typeof actual, where).toBe('number');
  expect(Math.abs((actual as number) - expected), where).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

/** An array of `shape` from flat values. */
function arr(v: number[], shape: number[], dtype: mx.Dtype): mx.Array {
  const data = dtype === mx.float64 ? Float64Array.from(v) : dtype === mx.int32 ? Int32Array.from(v) : Float32Array.from(v);
  return mx.array(data, shape, dtype);
}

/** Element b of x along `axis`. */
function pick(x: mx.Array, axis: number, b: number): mx.Array {
  const m = mx.moveaxis(x, axis, 0);
  const rest = m.shape.slice(1);
  return mx.reshape(mx.slice(m, [b, ...rest.map(() => 0)], [b + 1, ...rest]), rest);
}

/** [3, B] float32 values spread over [lo, hi], no two equal. */
function grid(lo: number, hi: number): mx.Array {
  const n = 3 * B;
  const v = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * ((i * 7) % n + 0.5)) / n);
  return arr(v, [3, B], mx.float32);
}
/** Three unbatched float32 values in [lo, hi]. */
const row = (lo: number, hi: number): mx.Array => arr([lo, (lo + hi) / 2 + 0.013, hi], [3], mx.float32);
/** [3, B] with NaN and infinities among finite values. */
function special(): mx.Array {
  const v = Array.from({ length: 3 * B }, (_, i) => (i % 5) - 2.25);
  v[1] = NaN;
  v[4] = Infinity;
  v[9] = -Infinity;
  v[14] = 0;
  return arr(v, [3, B], mx.float32);
}
const ints = (): mx.Array => arr(Array.from({ length: 3 * B }, (_, i) => ((i * 5) % 11) - 5), [3, B], mx.int32);
const bools = (): mx.Array => mx.greater(grid(-1, 1), 0);

type Case = {
  name: string;
  fn: (...xs: mx.Array[]) => mx.Array | mx.Array[];
  inputs: () => mx.Array[];
  axes: (number | null)[];
};

const unary = (name: string, fn: (x: mx.Array) => mx.Array, input: () => mx.Array): Case => ({
  name,
  fn,
  inputs: () => [input()],
  axes: [1],
});
/** Batched first operand at axis 1, unbatched second; and the other way round. */
const binary = (
  name: string,
  fn: (a: mx.Array, b: mx.Array) => mx.Array | mx.Array[],
  a: () => mx.Array,
  b: () => mx.Array,
): Case[] => [
  { name: `${name}(batched, unbatched)`, fn, inputs: () => [a(), pick(b(), 1, 0)], axes: [1, null] },
  {
    name: `${name}(unbatched, batched)`,
    fn,
    inputs: () => [pick(a(), 1, 2), mx.transpose(b())],
    axes: [null, 0],
  },
];

const cases: Case[] = [
  // ---- element-wise unary
  unary('abs', mx.abs, special),
  unary('abs int', mx.abs, ints),
  unary('sign', mx.sign, special),
  unary('square', mx.square, special),
  unary('sqrt', mx.sqrt, () => grid(0, 4)),
  unary('rsqrt', mx.rsqrt, () => grid(0.1, 4)),
  unary('expm1', mx.expm1, () => grid(-2, 2)),
  unary('log2', mx.log2, () => grid(0.1, 4)),
  unary('log10', mx.log10, () => grid(0.1, 4)),
  unary('log1p', mx.log1p, () => grid(-0.9, 4)),
  unary('sin', mx.sin, () => grid(-3, 3)),
  unary('cos', mx.cos, () => grid(-3, 3)),
  unary('tan', mx.tan, () => grid(-1.2, 1.2)),
  unary('arcsin', mx.arcsin, () => grid(-1, 1)),
  unary('arccos', mx.arccos, () => grid(-1, 1)),
  unary('arctan', mx.arctan, () => grid(-3, 3)),
  unary('sinh', mx.sinh, () => grid(-3, 3)),
  unary('cosh', mx.cosh, () => grid(-3, 3)),
  unary('arcsinh', mx.arcsinh, () => grid(-3, 3)),
  unary('arccosh', mx.arccosh, () => grid(1, 4)),
  unary('arctanh', mx.arctanh, () => grid(-0.95, 0.95)),
  unary('sigmoid', mx.sigmoid, () => grid(-5, 5)),
  unary('erf', mx.erf, () => grid(-2, 2)),
  unary('erfinv', mx.erfinv, () => grid(-0.99, 0.99)),
  unary('ceil', mx.ceil, () => grid(-3, 3)),
  unary('floor', mx.floor, () => grid(-3, 3)),
  unary('round', (x) => mx.round(x), () => grid(-3, 3)),
  unary('isnan', mx.isnan, special),
  unary('isinf', mx.isinf, special),
  unary('isfinite', mx.isfinite, special),
  unary('isposinf', mx.isposinf, special),
  unary('isneginf', mx.isneginf, special),
  unary('nanToNum', (x) => mx.nanToNum(x, 7, 100, -100), special),
  unary('logicalNot', mx.logicalNot, bools),
  unary('bitwiseInvert', mx.bitwiseInvert, ints),
  // ---- element-wise binary (and divmod)
  ...binary('floorDivide', mx.floorDivide, () => grid(-4, 4), () => grid(0.5, 2)),
  ...binary('remainder', mx.remainder, () => grid(-4, 4), () => grid(-2, -0.5)),
  ...binary('power', mx.power, () => grid(0.1, 3), () => grid(-2, 2)),
  ...binary('maximum', mx.maximum, special, () => grid(-1, 1)),
  ...binary('minimum', mx.minimum, special, () => grid(-1, 1)),
  ...binary('logaddexp', mx.logaddexp, () => grid(-3, 3), special),
  ...binary('arctan2', mx.arctan2, () => grid(-3, 3), () => grid(-2, 2)),
  ...binary('logicalAnd', mx.logicalAnd, bools, () => mx.less(grid(-1, 1), 0.3)),
  ...binary('logicalOr', mx.logicalOr, bools, () => mx.less(grid(-1, 1), 0.3)),
  ...binary('bitwiseAnd', mx.bitwiseAnd, ints, () => mx.add(ints(), 3)),
  ...binary('bitwiseOr', mx.bitwiseOr, ints, () => mx.add(ints(), 3)),
  ...binary('bitwiseXor', mx.bitwiseXor, ints, () => mx.add(ints(), 3)),
  ...binary('leftShift', mx.leftShift, ints, () => mx.abs(ints())),
  ...binary('rightShift', mx.rightShift, ints, () => mx.abs(ints())),
  ...binary('divmod', (a, b) => mx.divmod(a, b), () => grid(-4, 4), () => grid(0.5, 2)),
  // ---- comparisons
  ...binary('equal', mx.equal, () => mx.floor(grid(-2, 2)), () => mx.floor(grid(-1, 1))),
  ...binary('notEqual', mx.notEqual, () => mx.floor(grid(-2, 2)), () => mx.floor(grid(-1, 1))),
  ...binary('greater', mx.greater, special, () => grid(-1, 1)),
  ...binary('greaterEqual', mx.greaterEqual, special, () => grid(-1, 1)),
  ...binary('less', mx.less, special, () => grid(-1, 1)),
  ...binary('lessEqual', mx.lessEqual, special, () => grid(-1, 1)),
  ...binary('isclose', (a, b) => mx.isclose(a, b, 0.1, 0.2, true), special, () => grid(-2, 2)),
  {
    name: 'where(unbatched cond, batched x, unbatched y)',
    fn: mx.where,
    inputs: () => [mx.array([true, false, true]), grid(-1, 1), row(5, 6)],
    axes: [null, 1, null],
  },
  {
    name: 'where(batched cond, unbatched x, batched y)',
    fn: mx.where,
    inputs: () => [bools(), row(5, 6), mx.transpose(grid(-1, 1))],
    axes: [1, null, 0],
  },
];

// ---- reductions and scans: inputs [2, B, 4] mapped at axis 1 (elements [2, 4]), each
// op over axis 0 (before the batch axis), -1 (after it) and all axes.
function cube(): mx.Array {
  const v = Array.from({ length: 2 * B * 4 }, (_, i) => Math.sin(i * 1.7) * 2);
  return arr(v, [2, B, 4], mx.float32);
}
const reduceOps: [string, (x: mx.Array, axis?: number) => mx.Array][] = [
  ['sum', (x, a) => mx.sum(x, a)],
  ['prod', (x, a) => mx.prod(x, a, true)],
  ['max', (x, a) => mx.max(x, a, true)],
  ['min', (x, a) => mx.min(x, a, true)],
  ['all', (x, a) => mx.all(mx.greater(x, -1.5), a, true)],
  ['any', (x, a) => mx.any(mx.greater(x, 1.5), a, true)],
  ['argmax', (x, a) => mx.argmax(x, a, true)],
  ['argmin', (x, a) => mx.argmin(x, a, true)],
  ['cumsum', (x, a) => mx.cumsum(x, a, true, false)],
  ['cumprod', (x, a) => mx.cumprod(x, a)],
  ['cummax', (x, a) => mx.cummax(x, a)],
  ['cummin', (x, a) => mx.cummin(x, a, true)],
  ['logcumsumexp', (x, a) => mx.logcumsumexp(x, a)],
  ['mean', (x, a) => mx.mean(x, a)],
  ['var', (x, a) => mx.var(x, a, false, 1)],
  ['std', (x, a) => mx.std(x, a)],
  ['logsumexp', (x, a) => mx.logsumexp(x, a)],
  ['softmax', (x, a) => mx.softmax(x, a)],
];
for (const [name, op] of reduceOps) {
  for (const axis of [0, -1, undefined]) {
    // The axis-less forms flatten first (a reshape node before the op).
    cases.push({ name: `${name}(axis ${axis})`, fn: (x) => op(x, axis), inputs: () => [cube()], axes: [1] });
  }
}

describeEachBackend('vmap rules of the element-wise, compare and reduce families', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: vmap equals a loop over the batch', (_, c) => {
    mx.tidy(() => {
      const xs = c.inputs();
      const element = (b: number) => xs.map((x, i) => (c.axes[i] === null ? x : pick(x, c.axes[i]!, b)));
      const first = element(0);
      mx.eval(...xs, ...first);
      const b0 = mx.kernelCount();
      const one = c.fn(...first);
      mx.eval(...(Array.isArray(one) ? one : [one]));
      const perElement = mx.kernelCount() - b0;
      const before = mx.kernelCount();
      const out = mx.vmap(c.fn, c.axes)(...xs) as mx.Array | mx.Array[];
      const outs = Array.isArray(out) ? out : [out];
      mx.eval(...outs);
      // The per-element fallback runs the function's kernels (and more) for every batch
      // element; with rules each primitive runs once, plus a few views moving axes.
      expect(mx.kernelCount() - before).toBeLessThan(perElement + B);
      for (let b = 0; b < B; b++) {
        const want = c.fn(...element(b));
        const wants = Array.isArray(want) ? want : [want];
        expect(outs.length).toBe(wants.length);
        outs.forEach((o, k) => {
          expect(o.dtype).toBe(wants[k]!.dtype);
          expectSame(pick(o, 0, b).tolist(), wants[k]!.tolist(), 1e-6, `${c.name} b=${b}`);
        });
      }
    });
  });

  it('vmap of vmap of a binary op and a scan', () => {
    mx.tidy(() => {
      const x = cube(); // [2, B, 4]
      const y = arr(Array.from({ length: B }, (_, i) => i * 0.3 - 1), [B], mx.float32);
      const f = (a: mx.Array, b: mx.Array) => mx.cumsum(mx.maximum(a, b), 0);
      // Outer over x's axis 0, inner over the (remaining) last axis: out[i, j] = f(x[i, :, j], y).
      const out = mx.vmap(mx.vmap(f, [1, null]), [0, null])(x, y) as mx.Array;
      expect(out.shape).toEqual([2, 4, B]);
      const xl = x.tolist() as number[][][];
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 4; j++) {
          const col = arr(xl[i]!.map((r) => r[j]!), [B], mx.float32);
          expectSame((pick(pick(out, 0, i), 0, j)).tolist(), f(col, y).tolist(), 1e-6);
        }
      }
    });
  });
});

describeEachBackend('vmap rules compose with grad', () => {
  const opts = { atol: 1e-6, rtol: 1e-5 };
  it('binary ops with an unbatched operand', () => {
    checkGrads((x, y) => mx.vmap((a: mx.Array, b: mx.Array) => mx.maximum(mx.sin(a), b), [1, null])(x, y) as mx.Array, [[3, 4], [3]], opts);
    checkGrads((x, y) => mx.vmap((a: mx.Array, b: mx.Array) => mx.power(a, b), [0, null])(x, y) as mx.Array, [[4, 3], [3]], {
      ...opts,
      range: [0.5, 2],
    });
    checkGrads((x, y) => mx.vmap((a: mx.Array, b: mx.Array) => mx.arctan2(mx.logaddexp(a, b), b), [null, 1])(x, y) as mx.Array, [[3], [3, 5]], opts);
  });
  it('where, scans and reductions', () => {
    checkGrads(
      (x, y) => mx.vmap((a: mx.Array, b: mx.Array) => mx.where(mx.greater(a, b), mx.square(a), mx.multiply(b, 3)), [1, null])(x, y) as mx.Array,
      [[3, 4], [3]],
      opts,
    );
    checkGrads((x) => mx.vmap((a: mx.Array) => mx.cumprod(mx.logcumsumexp(a, 0), 1), 1)(x) as mx.Array, [[3, 4, 2]], opts);
    checkGrads((x) => mx.vmap((a: mx.Array) => mx.std(mx.softmax(a, 0), -1), 2)(x) as mx.Array, [[3, 2, 4]], opts);
    checkGrads((x) => mx.vmap((a: mx.Array) => mx.add(mx.logsumexp(a, 0), mx.max(a, 0)), 1)(x) as mx.Array, [[3, 4, 2]], opts);
  });
  it('per-example gradients (vmap of grad) equal grads taken one by one', () => {
    mx.tidy(() => {
      const x = grid(0.2, 2);
      const y = row(0.5, 1.5);
      const loss = (a: mx.Array, b: mx.Array) => mx.sum(mx.add(mx.minimum(mx.sqrt(a), b), mx.logsumexp(mx.multiply(a, b))));
      const g = mx.vmap(mx.grad(loss), [1, null])(x, y) as mx.Array;
      for (let b = 0; b < B; b++) {
        expectSame(pick(g, 0, b).tolist(), (mx.grad(loss)(pick(x, 1, b), y) as mx.Array).tolist(), 1e-5);
      }
    });
  });
});

describeEachBackend('compile fuses the float element-wise ops', () => {
  const chain = (x: mx.Array, y: mx.Array): mx.Array => {
    let z = mx.sqrt(mx.add(mx.square(x), y));
    z = mx.maximum(mx.sin(z), mx.cos(x));
    z = mx.power(mx.add(mx.abs(z), y), mx.sigmoid(x));
    z = mx.logaddexp(z, mx.minimum(mx.erf(x), mx.tanh(y)));
    z = mx.arctan2(z, mx.add(mx.expm1(x), mx.log1p(y)));
    z = mx.add(z, mx.remainder(mx.floorDivide(mx.exp(x), mx.rsqrt(y)), mx.sign(x)));
    z = mx.add(z, mx.multiply(mx.floor(x), mx.ceil(y)));
    z = mx.add(z, mx.multiply(mx.round(x), mx.log2(y)));
    z = mx.add(z, mx.multiply(mx.arctan(x), mx.arcsinh(mx.log10(y))));
    z = mx.add(z, mx.multiply(mx.arcsin(x), mx.arccos(x)));
    z = mx.add(z, mx.multiply(mx.sinh(x), mx.cosh(mx.arctanh(x))));
    z = mx.add(z, mx.multiply(mx.tan(x), mx.erfinv(x)));
    return mx.add(z, mx.arccosh(mx.add(y, y)));
  };
  for (const dtype of [mx.float32, mx.float64]) {
    it(`a chain of every fusable op runs as one kernel and equals eager (${dtype})`, () => {
      mx.tidy(() => {
        const x = arr([0.1, -0.5, 0.7, 0.3, -0.9], [5], dtype);
        const y = arr([1, 2, 0.5, 3, 1.5], [5], dtype);
        mx.eval(x, y);
        const eager = chain(x, y);
        const b0 = mx.kernelCount();
        mx.eval(eager);
        expect(mx.kernelCount() - b0).toBeGreaterThan(40);
        const f = mx.compile(chain);
        const out = f(x, y) as mx.Array;
        f.dispose();
        const b1 = mx.kernelCount();
        mx.eval(out);
        expect(mx.kernelCount() - b1).toBe(1);
        expect(out.dtype).toBe(dtype);
        expectSame(out.tolist(), eager.tolist(), dtype === mx.float32 ? 1e-5 : 1e-12);
      });
    });
  }
  it('comparisons and integer ops stay out of the fused kernel, with eager values', () => {
    mx.tidy(() => {
      const f = (x: mx.Array, y: mx.Array) => {
        const a = mx.sin(x);
        const z = mx.where(mx.greater(a, y), mx.exp(a), mx.sqrt(y));
        return mx.add(z, mx.floorDivide(x.astype(mx.int32), 2).astype(mx.float32));
      };
      const x = mx.array([0.5, 3, -4]);
      const y = mx.array([0.1, 0.9, 2]);
      const c = mx.compile(f);
      expectSame((c(x, y) as mx.Array).tolist(), f(x, y).tolist(), 1e-6);
      c.dispose();
    });
  });
  it('shapeless compile replays the new ops on a new length', () => {
    mx.tidy(() => {
      const f = mx.compile(chain, { shapeless: true });
      const x1 = mx.array([0.1, -0.5, 0.7]);
      const y1 = mx.array([1, 2, 0.5]);
      expectSame((f(x1, y1) as mx.Array).tolist(), chain(x1, y1).tolist(), 1e-5);
      const x2 = mx.array([0.2, -0.3, 0.4, 0.6, -0.1]);
      const y2 = mx.array([0.9, 4, 1, 2, 3]);
      expectSame((f(x2, y2) as mx.Array).tolist(), chain(x2, y2).tolist(), 1e-5);
      f.dispose();
    });
  });
});

describeEachBackend('maximum/minimum gradients route by comparison', () => {
  it('equal infinities and NaN give no NaN gradient; ties go to the second operand', () => {
    mx.tidy(() => {
      const a = mx.array([Infinity, 1, 2, NaN, -Infinity]);
      const b = mx.array([Infinity, 1, -3, 0, -Infinity]);
      const [gaMax, gbMax] = mx.grad((x: mx.Array, y: mx.Array) => mx.sum(mx.maximum(x, y)), [0, 1])(a, b) as mx.Array[];
      expect(gaMax!.tolist()).toEqual([0, 0, 1, 0, 0]);
      expect(gbMax!.tolist()).toEqual([1, 1, 0, 0, 1]);
      const [gaMin, gbMin] = mx.grad((x: mx.Array, y: mx.Array) => mx.sum(mx.minimum(x, y)), [0, 1])(a, b) as mx.Array[];
      expect(gaMin!.tolist()).toEqual([0, 0, 0, 0, 0]);
      expect(gbMin!.tolist()).toEqual([1, 1, 1, 0, 1]);
    });
  });
});
