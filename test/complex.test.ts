// complex64: the dtype and its promotion, creation (view of interleaved float32 pairs and
// the { re, im } literal form), reading back, printing, element-wise ops, comparisons,
// reductions and matmul against NumPy fixtures (test/fixtures/gen_complex.py), the ops
// that reject complex64, gradients against finite differences, and vmap against a loop.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixtures from './fixtures/complex.json';
import { describeEachBackend } from './helpers/backends.js';

type Real = number | string | Real[];
interface ComplexFixture {
  shape: number[];
  data: number[];
}
type Out = ComplexFixture | { real: Real };

const decode = (v: Real): unknown => {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
};

/** A complex64 array from interleaved pairs: float32 [..., 2] viewed as complex64 [..., 1]. */
function fromPairs(f: ComplexFixture): mx.Array {
  return mx.tidy(() => {
    const pairs = mx.array(Float32Array.from(f.data), [...f.shape, 2]);
    return mx.reshape(mx.view(pairs, mx.complex64), f.shape);
  });
}

const inputs = fixtures.inputs as Record<string, ComplexFixture | Real>;
function input(name: string): mx.Array {
  if (name === 'R_T') return mx.transpose(mx.array(decode(inputs['R'] as Real) as number[][]));
  const v = inputs[name]!;
  if (typeof v === 'object' && !Array.isArray(v)) return fromPairs(v);
  return name === 'I' ? mx.array(decode(v) as number[], mx.int32) : mx.array(decode(v) as number[][]);
}

/** Asserts x (evaluated) matches a fixture: complex values within tol (relative), or reals. */
function expectMatches(x: mx.Array, out: Out, tol = 2e-6): void {
  if ('data' in out) {
    expect(String(x.dtype)).toBe('complex64');
    expect(x.shape).toEqual(out.shape);
    const got = x.toTypedArray() as Float32Array;
    expect(got.length).toBe(out.data.length);
    out.data.forEach((e, i) => {
      expect(Math.abs(got[i]! - e), `element ${i}: ${got[i]} vs ${e}`).toBeLessThanOrEqual(tol * (1 + Math.abs(e)));
    });
    return;
  }
  const expected = decode(out.real);
  const check = (a: unknown, e: unknown): void => {
    if (Array.isArray(e)) {
      (e as unknown[]).forEach((v, i) => check((a as unknown[])[i], v));
    } else if (typeof e === 'boolean') {
      expect(a).toBe(e);
    } else {
      expect(Math.abs((a as number) - (e as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(e as number)));
    }
  };
  check(x.tolist(), expected);
}

type Op = (...xs: mx.Array[]) => mx.Array;
const ops: Record<string, Op> = {
  add: mx.add, subtract: mx.subtract, multiply: mx.multiply, divide: mx.divide, equal: mx.equal,
  notEqual: mx.notEqual, less: mx.less, greaterEqual: mx.greaterEqual, maximum: mx.maximum, minimum: mx.minimum,
  negative: mx.negative, square: mx.square, abs: mx.abs, exp: mx.exp, log: mx.log, sqrt: mx.sqrt, sin: mx.sin,
  cos: mx.cos, tan: mx.tan, sinh: mx.sinh, cosh: mx.cosh, tanh: mx.tanh, conjugate: mx.conjugate, real: mx.real,
  imag: mx.imag, sign: mx.sign, rsqrt: mx.rsqrt,
};

describe('complex64 dtype (no backend)', () => {
  it('is an 8-byte complexfloating dtype', () => {
    expect(mx.complex64.size).toBe(8);
    expect(String(mx.complex64)).toBe('complex64');
    expect(mx.toDtype('complex64')).toBe(mx.complex64);
    expect(mx.issubdtype(mx.complex64, mx.complexfloating)).toBe(true);
    expect(mx.issubdtype(mx.complex64, mx.inexact)).toBe(true);
    expect(mx.issubdtype(mx.complex64, mx.floating)).toBe(false);
    expect(mx.isComplex(mx.complex64) && !mx.isFloating(mx.complex64)).toBe(true);
  });
  it('formats values as MLX prints complex', () => {
    expect(mx.formatComplex(1, -2)).toBe('1-2j');
  });
});

describeEachBackend('complex64', () => {
  describe('creation and reading back', () => {
    it('views interleaved float32 pairs (MLX\'s way) and reads them back', () => {
      mx.tidy(() => {
        const z = mx.view(mx.array(Float32Array.from([1, 2, 3, -4]), [2, 2]), mx.complex64);
        expect(z.shape).toEqual([2, 1]);
        expect(z.tolist()).toEqual([[{ re: 1, im: 2 }], [{ re: 3, im: -4 }]]);
        expect(Array.from(z.toTypedArray() as Float32Array)).toEqual([1, 2, 3, -4]);
        // And back: complex64 [n] viewed as float32 is [2n].
        expect(mx.view(mx.reshape(z, [2]), mx.float32).tolist()).toEqual([1, 2, 3, -4]);
      });
    });
    it('builds from { re, im } literals, mixed with numbers', () => {
      mx.tidy(() => {
        const z = mx.array([[{ re: 1, im: 2 }, 3], [-1, { re: 0, im: -0.5 }]]);
        expect(String(z.dtype)).toBe('complex64');
        expect(z.shape).toEqual([2, 2]);
        expect(z.tolist()).toEqual([[{ re: 1, im: 2 }, { re: 3, im: 0 }], [{ re: -1, im: 0 }, { re: 0, im: -0.5 }]]);
        expect(mx.array([{ re: 2.5, im: -1 }]).item).toBeDefined();
        expect(mx.sum(z).item()).toEqual({ re: 3, im: 1.5 });
        expect(mx.array([1, 2], mx.complex64).tolist()).toEqual([{ re: 1, im: 0 }, { re: 2, im: 0 }]);
      });
    });
    it('prints as MLX prints complex64', () => {
      mx.tidy(() => {
        const z = mx.array([{ re: 1, im: 2 }, { re: -3.5, im: -4 }, { re: 0, im: 0 }]);
        expect(String(z)).toBe('array([1+2j, -3.5-4j, 0+0j], dtype=complex64)');
      });
    });
    it('casts: real part into real dtypes, nonzero-ness into bool, (x, 0) from reals', () => {
      mx.tidy(() => {
        const z = mx.array([{ re: 1.5, im: -2 }, { re: 0, im: 3 }, { re: 0, im: 0 }, { re: -7.75, im: 0.5 }]);
        expect(mx.astype(z, mx.float32).tolist()).toEqual([1.5, 0, 0, -7.75]);
        expect(mx.astype(z, mx.int32).tolist()).toEqual([1, 0, 0, -7]);
        expect(mx.astype(z, mx.bool).tolist()).toEqual([true, true, false, true]);
        expect(mx.astype(mx.array([3, -4], mx.int32), mx.complex64).tolist()).toEqual([{ re: 3, im: 0 }, { re: -4, im: 0 }]);
      });
    });
  });

  describe('promotion', () => {
    it('complex64 wins over every dtype, and JS numbers take the complex dtype', () => {
      mx.tidy(() => {
        const z = mx.array([{ re: 1, im: 1 }]);
        for (const d of mx.dtypes) {
          expect(String(mx.add(z, mx.array([1], d)).dtype), String(d)).toBe('complex64');
        }
        expect(String(mx.multiply(z, 2).dtype)).toBe('complex64');
        expect(mx.multiply(z, 2).tolist()).toEqual([{ re: 2, im: 2 }]);
        expect(String(mx.divide(z, mx.array([2], mx.int32)).dtype)).toBe('complex64');
      });
    });
  });

  describe('against NumPy', () => {
    for (const c of fixtures.binary as { op: string; a: string; b: string; out: Out }[]) {
      it(`${c.op}(${c.a}, ${c.b})`, () => {
        mx.tidy(() => expectMatches(ops[c.op]!(input(c.a), input(c.b)), c.out));
      });
    }
    for (const c of fixtures.unary as { op: string; out: Out }[]) {
      it(`${c.op}(A)`, () => {
        mx.tidy(() => expectMatches(ops[c.op]!(input('A')), c.out, 1e-5));
      });
    }
    for (const c of fixtures.reduce as { op: string; axis: number | null; out: Out }[]) {
      it(`${c.op}(A, axis ${c.axis})`, () => {
        const f = (mx as unknown as Record<string, (x: mx.Array, axes?: number[]) => mx.Array>)[c.op]!;
        mx.tidy(() => expectMatches(c.axis === null ? f(input('A')) : f(input('A'), [c.axis]), c.out, 1e-5));
      });
    }
    for (const c of fixtures.matmul as { a: string; b: string; out: Out }[]) {
      it(`matmul(${c.a}, ${c.b})`, () => {
        mx.tidy(() => expectMatches(mx.matmul(input(c.a), input(c.b)), c.out, 1e-5));
      });
    }
    it('power(A, B)', () => {
      mx.tidy(() => expectMatches(mx.power(input('A'), input('B')), fixtures.power.out as Out, 1e-4));
    });
    it('abs gives float32; real and imag of real arrays are the array and zeros', () => {
      mx.tidy(() => {
        expect(String(mx.abs(input('A')).dtype)).toBe('float32');
        const r = mx.array([1.5, -2]);
        expect(mx.real(r).tolist()).toEqual([1.5, -2]);
        expect(mx.imag(r).tolist()).toEqual([0, 0]);
        expect(mx.conj(r).tolist()).toEqual([1.5, -2]);
      });
    });
    it('isnan / isfinite look at both parts', () => {
      mx.tidy(() => {
        const z = fromPairs({ shape: [3], data: [1, NaN, Infinity, 0, 1, 2] });
        expect(mx.isnan(z).tolist()).toEqual([true, false, false]);
        expect(mx.isinf(z).tolist()).toEqual([false, true, false]);
        expect(mx.isfinite(z).tolist()).toEqual([false, false, true]);
      });
    });
  });

  describe('ordering, scans and moving data', () => {
    // MLX (and NumPy) order complex values by real part, then imaginary part.
    const z = (): mx.Array => mx.array([{ re: 1, im: 5 }, { re: -2, im: 0 }, { re: 1, im: -3 }, { re: 0.5, im: 9 }]);
    it('sort, argmax, argmin', () => {
      mx.tidy(() => {
        expect(mx.sort(z()).tolist()).toEqual([{ re: -2, im: 0 }, { re: 0.5, im: 9 }, { re: 1, im: -3 }, { re: 1, im: 5 }]);
        expect(mx.argmax(z()).item()).toBe(0);
        expect(mx.argmin(z()).item()).toBe(1);
      });
    });
    it('cumsum and cumprod', () => {
      mx.tidy(() => {
        const x = mx.array([{ re: 1, im: 1 }, { re: 0, im: 2 }, { re: -1, im: 0 }]);
        expect(mx.cumsum(x).tolist()).toEqual([{ re: 1, im: 1 }, { re: 1, im: 3 }, { re: 0, im: 3 }]);
        // (1+i)(2i) = -2+2i; (-2+2i)(-1) = 2-2i
        expect(mx.cumprod(x).tolist()).toEqual([{ re: 1, im: 1 }, { re: -2, im: 2 }, { re: 2, im: -2 }]);
      });
    });
    it('where, concatenate, transpose, slicing and take keep the pairs together', () => {
      mx.tidy(() => {
        const x = z();
        const picked = mx.where(mx.array([true, false, true, false]), x, mx.zerosLike(x));
        expect(picked.tolist()).toEqual([{ re: 1, im: 5 }, { re: 0, im: 0 }, { re: 1, im: -3 }, { re: 0, im: 0 }]);
        const m = mx.reshape(mx.concatenate([x, mx.conj(x)]), [2, 4]);
        expect(mx.transpose(m).tolist()).toEqual([
          [{ re: 1, im: 5 }, { re: 1, im: -5 }], [{ re: -2, im: 0 }, { re: -2, im: -0 }],
          [{ re: 1, im: -3 }, { re: 1, im: 3 }], [{ re: 0.5, im: 9 }, { re: 0.5, im: -9 }],
        ]);
        expect(mx.take(x, mx.array([3, 0], mx.int32)).tolist()).toEqual([{ re: 0.5, im: 9 }, { re: 1, im: 5 }]);
      });
    });
    it('isclose compares the modulus of the difference', () => {
      mx.tidy(() => {
        const a = mx.array([{ re: 1, im: 1 }, { re: 1, im: 1 }]);
        const b = mx.array([{ re: 1, im: 1.000001 }, { re: 1, im: 1.1 }]);
        expect(mx.isclose(a, b).tolist()).toEqual([true, false]);
      });
    });
  });

  describe('errors', () => {
    it('ops without a complex meaning raise [op] errors when built', () => {
      mx.tidy(() => {
        const z = mx.array([{ re: 1, im: 1 }]);
        const cases: [string, () => unknown][] = [
          ['floor', () => mx.floor(z)], ['ceil', () => mx.ceil(z)], ['round', () => mx.round(z)],
          ['floor_divide', () => mx.floorDivide(z, 2)], ['remainder', () => mx.remainder(z, 2)],
          ['divmod', () => mx.divmod(z, z)], ['logaddexp', () => mx.logaddexp(z, z)],
          ['arctan2', () => mx.arctan2(z, z)], ['erf', () => mx.erf(z)], ['sigmoid', () => mx.sigmoid(z)],
          ['arcsin', () => mx.arcsin(z)], ['log2', () => mx.log2(z)], ['nan_to_num', () => mx.nanToNum(z)],
        ];
        for (const [name, f] of cases) expect(f, name).toThrow(new RegExp(`^\\[${name}\\] .*complex64`));
        expect(() => mx.bitwiseAnd(z, z)).toThrow(/^\[bitwise_and\]/);
      });
    });
  });

  describe('gradients (grad of a real loss is dL/dx - i dL/dy, as MLX)', () => {
    const w = (): mx.Array => mx.array([{ re: 0.5, im: -1 }, { re: 2, im: 0.25 }, { re: -1.5, im: 0.75 }]);
    const losses: [string, (z: mx.Array) => mx.Array][] = [
      ['sum(real(z * w))', (z) => mx.sum(mx.real(mx.multiply(z, w())))],
      ['sum(imag(z * w + z))', (z) => mx.sum(mx.imag(mx.add(mx.multiply(z, w()), z)))],
      ['sum(abs(z))', (z) => mx.sum(mx.abs(z))],
      ['sum(real(conj(z) * z))', (z) => mx.sum(mx.real(mx.multiply(mx.conj(z), z)))],
      ['sum(imag(exp(z)) + real(sqrt(z)))', (z) => mx.sum(mx.add(mx.imag(mx.exp(z)), mx.real(mx.sqrt(z))))],
      ['sum(real(log(z) / (z - w)))', (z) => mx.sum(mx.real(mx.divide(mx.log(z), mx.subtract(z, w()))))],
      ['sum(abs(square(z) * sin(z) - cos(z)))', (z) => mx.sum(mx.abs(mx.subtract(mx.multiply(mx.square(z), mx.sin(z)), mx.cos(z))))],
      ['real(sum(z) * prod(z))', (z) => mx.real(mx.multiply(mx.sum(z), mx.prod(z)))],
      ['abs(matmul(z, w))', (z) => mx.abs(mx.matmul(z, w()))],
    ];
    const z0 = [0.75, -0.5, 1.25, 0.5, -0.25, 1.5];
    const lossAt = (f: (z: mx.Array) => mx.Array, data: number[]): number =>
      mx.tidy(() => f(fromPairs({ shape: [3], data })).item() as number);
    for (const [name, f] of losses) {
      it(`vjp and jvp of ${name} against central differences`, () => {
        const h = 1e-2;
        const numeric = z0.map((_, k) => {
          const up = z0.slice();
          const down = z0.slice();
          up[k]! += h;
          down[k]! -= h;
          return (lossAt(f, up) - lossAt(f, down)) / (2 * h);
        });
        mx.tidy(() => {
          const z = fromPairs({ shape: [3], data: z0 });
          const g = mx.grad(f)(z) as mx.Array;
          expect(String(g.dtype)).toBe('complex64');
          const gv = Array.from(g.toTypedArray() as Float32Array);
          for (let i = 0; i < 3; i++) {
            // grad = dL/dx - i dL/dy
            expect(Math.abs(gv[2 * i]! - numeric[2 * i]!), `re ${i}`).toBeLessThan(2e-3 * (1 + Math.abs(numeric[2 * i]!)));
            expect(Math.abs(-gv[2 * i + 1]! - numeric[2 * i + 1]!), `im ${i}`).toBeLessThan(2e-3 * (1 + Math.abs(numeric[2 * i + 1]!)));
          }
          // jvp along t: dL = sum(dL/dx Re t + dL/dy Im t).
          const t = [0.5, -1, 0.25, 2, -0.75, 0.125];
          const [, [tan]] = mx.jvp((x: mx.Array) => f(x), [z], [fromPairs({ shape: [3], data: t })]);
          const expected = numeric.reduce((s, d, k) => s + d * t[k]!, 0);
          expect(Math.abs((tan!.item() as number) - expected)).toBeLessThan(3e-3 * (1 + Math.abs(expected)));
        });
      });
    }
  });

  describe('vmap', () => {
    it('maps complex ops over a batch axis like a loop', () => {
      mx.tidy(() => {
        const zs = input('MB'); // [2, 2, 3]
        const f = (z: mx.Array): mx.Array => mx.sum(mx.multiply(mx.conj(z), mx.exp(z)), [1]);
        const mapped = mx.vmap(f, 1)(zs) as mx.Array; // over axis 1
        const loop = mx.stack([0, 1].map((i) => f(mx.take(zs, i, 1))), 0);
        expect(mapped.shape).toEqual(loop.shape);
        const a = Array.from(mapped.toTypedArray() as Float32Array);
        const b = Array.from(loop.toTypedArray() as Float32Array);
        a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(b[i]!))));
      });
    });
  });
});
