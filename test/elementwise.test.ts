// The element-wise family: values against NumPy fixtures (test/fixtures/gen_elementwise.py)
// for every op and the dtypes it accepts, MLX's output dtypes, the defined results of
// integer edge cases (division by zero, negative powers, shift counts), layouts (0-d,
// 0-size, broadcast, transposed views), errors, and vjp/jvp against finite differences.
import { describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixtures from './fixtures/elementwise.json';
import { describeArray, describeEachBackend, values } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';

type Fixture = number | boolean | string | Fixture[];
interface Case {
  op: string;
  dtypes: string[];
  inputs: Fixture[];
  out: string;
  expected: Fixture;
}

const decode = (v: Fixture): unknown => {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
};

type Op = (...xs: mx.Array[]) => mx.Array;
const ops: Record<string, Op> = {
  abs: mx.abs, sign: mx.sign, square: mx.square, sqrt: mx.sqrt, rsqrt: mx.rsqrt, expm1: mx.expm1,
  log2: mx.log2, log10: mx.log10, log1p: mx.log1p, sin: mx.sin, cos: mx.cos, tan: mx.tan,
  arcsin: mx.arcsin, arccos: mx.arccos, arctan: mx.arctan, sinh: mx.sinh, cosh: mx.cosh,
  arcsinh: mx.arcsinh, arccosh: mx.arccosh, arctanh: mx.arctanh, sigmoid: mx.sigmoid, erf: mx.erf,
  erfinv: mx.erfinv, degrees: mx.degrees, radians: mx.radians, ceil: mx.ceil, floor: mx.floor, trunc: mx.trunc,
  round: (x) => mx.round(x), floor_divide: mx.floorDivide, remainder: mx.remainder, power: mx.power,
  maximum: mx.maximum, minimum: mx.minimum, logaddexp: mx.logaddexp, arctan2: mx.arctan2,
  logical_not: mx.logicalNot, logical_and: mx.logicalAnd, logical_or: mx.logicalOr, isnan: mx.isnan,
  isinf: mx.isinf, isfinite: mx.isfinite, isposinf: mx.isposinf, isneginf: mx.isneginf,
  bitwise_and: mx.bitwiseAnd, bitwise_or: mx.bitwiseOr, bitwise_xor: mx.bitwiseXor,
  bitwise_invert: mx.bitwiseInvert, left_shift: mx.leftShift, right_shift: mx.rightShift,
};

/** |actual - expected| <= atol + rtol |expected| elementwise; NaN and infinities must match exactly. */
function expectNear(actual: unknown, expected: unknown, rtol: number, atol: number, where: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect((actual as unknown[]).length, where).toBe(expected.length);
    expected.forEach((e, i) => expectNear((actual as unknown[])[i], e, rtol, atol, `${where}[${i}]`));
    return;
  }
  const a = actual as number;
  const e = expected as number;
  if (Number.isNaN(e)) expect(Number.isNaN(a), `${where}: ${a} should be NaN`).toBe(true);
  else if (!Number.isFinite(e)) expect(a, where).toBe(e);
  else expect(Math.abs(a - e), `${where}: ${a} vs ${e}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e));
}

const tolerance: Record<string, [number, number]> = {
  float64: [1e-12, 1e-300],
  float32: [3e-6, 1e-6],
  float16: [2e-3, 1e-3],
  bfloat16: [1e-2, 1e-2],
};

describeEachBackend('elementwise', () => {
  describe('values against NumPy, per dtype', () => {
    for (const c of (fixtures as { cases: Case[] }).cases) {
      it(`${c.op}(${c.dtypes.join(', ')}) -> ${c.out}`, () => {
        const [shape, dtype, got] = describeArray(() => {
          const xs = c.inputs.map((v, i) => mx.array(decode(v) as number[], c.dtypes[i] as mx.DtypeName));
          return ops[c.op]!(...xs);
        });
        const expected = decode(c.expected) as unknown[];
        expect(dtype).toBe(c.out);
        expect(shape).toEqual([expected.length]);
        const tol = tolerance[c.out];
        if (tol) expectNear(got, expected, tol[0], tol[1], c.op);
        else expect(got).toEqual(expected);
      });
    }
  });

  it('integer division: floors, and x // 0, x % 0 and INT_MIN // -1 are defined', () => {
    const i32 = (v: number[]) => mx.array(v, mx.int32);
    expect(values(() => mx.floorDivide(i32([-7, 7, 5, -5, 0]), i32([2, -2, 0, 0, 0])))).toEqual([-4, -4, 0, 0, 0]);
    expect(values(() => mx.remainder(i32([-7, 7, 5, -5]), i32([2, -2, 0, 0])))).toEqual([1, -1, 0, 0]);
    expect(values(() => mx.floorDivide(i32([-(2 ** 31)]), -1))).toEqual([-(2 ** 31)]);
    expect(values(() => mx.remainder(i32([-(2 ** 31)]), -1))).toEqual([0]);
    expect(values(() => mx.floorDivide(mx.array([-128], mx.int8), -1))).toEqual([-128]);
    expect(values(() => mx.floorDivide(mx.array([-(2 ** 40)], mx.int64), mx.array([0], mx.int64)))).toEqual([0]);
    expect(values(() => mx.remainder(mx.array([7], mx.uint32), mx.array([0], mx.uint32)))).toEqual([0]);
    // Floats: x // 0 is ±inf or NaN, x % 0 is NaN.
    expect(values(() => mx.floorDivide(mx.array([1, -1, 0]), 0))).toEqual([Infinity, -Infinity, NaN]);
  });

  it('divmod returns [floorDivide, remainder] with one dtype', () => {
    mx.tidy(() => {
      const [q, r] = mx.divmod(mx.array([-7, 7, 9], mx.int32), mx.array([2, -2, 4], mx.int32));
      expect([String(q.dtype), String(r.dtype)]).toEqual(['int32', 'int32']);
      expect(q.tolist()).toEqual([-4, -4, 2]);
      expect(r.tolist()).toEqual([1, -1, 1]);
      const [fq, fr] = mx.divmod(mx.array([[-7.5], [7.5]]), mx.array([2, -2]));
      expect(fq.shape).toEqual([2, 2]);
      expect(fq.tolist()).toEqual([[-4, 3], [3, -4]]);
      expect(fr.tolist()).toEqual([[0.5, -1.5], [1.5, -0.5]]);
      const [zq, zr] = mx.divmod(mx.array([5], mx.int8), 0);
      expect([zq.tolist(), zr.tolist()]).toEqual([[0], [0]]);
    });
  });

  it('integer power: negative exponents are defined (1, ±1 or 0) and overflow wraps', () => {
    const i32 = (v: number[]) => mx.array(v, mx.int32);
    expect(values(() => mx.power(i32([1, -1, -1, 2, 0, -5]), i32([-3, -3, -2, -1, -1, -2])))).toEqual([1, -1, 1, 0, 0, 0]);
    expect(values(() => mx.power(i32([2]), 32))).toEqual([0]);
    expect(describeArray(() => mx.power(mx.array([2, 3], mx.int16), 2))).toEqual([[2], 'int16', [4, 9]]);
    expect(describeArray(() => mx.power(mx.array([2, 3], mx.int32), 0.5))).toEqual([[2], 'float32', [Math.fround(Math.SQRT2), Math.fround(Math.sqrt(3))]]);
  });

  it('shifts: bool operands shift as uint8; counts out of range are defined', () => {
    expect(describeArray(() => mx.leftShift(mx.array([true, false]), mx.array([true, true])))).toEqual([[2], 'uint8', [2, 0]]);
    expect(describeArray(() => mx.rightShift(mx.array([true]), mx.array([false])))).toEqual([[1], 'uint8', [1]]);
    expect(values(() => mx.leftShift(mx.array([1, 1], mx.int8), mx.array([7, 8], mx.int8)))).toEqual([-128, 0]);
    expect(values(() => mx.rightShift(mx.array([-100, 100], mx.int8), mx.array([-1, -1], mx.int8)))).toEqual([-1, 0]);
    expect(values(() => mx.leftShift(mx.array([1], mx.uint64), mx.array([63], mx.uint64)))).toEqual([2 ** 63]);
  });

  it('keeps or promotes dtypes like MLX', () => {
    expect(describeArray(() => mx.abs(mx.array([200], mx.uint8)))).toEqual([[1], 'uint8', [200]]);
    expect(describeArray(() => mx.abs(mx.array([true, false])))).toEqual([[2], 'bool', [true, false]]);
    expect(describeArray(() => mx.sign(mx.array([true, false])))).toEqual([[2], 'bool', [true, false]]);
    expect(describeArray(() => mx.square(mx.array([true, false])))).toEqual([[2], 'bool', [true, false]]);
    expect(describeArray(() => mx.abs(mx.array([-(2 ** 31)], mx.int32)))).toEqual([[1], 'int32', [-(2 ** 31)]]);
    expect(describeArray(() => mx.sqrt(mx.array([4], mx.int64)))).toEqual([[1], 'float32', [2]]);
    expect(describeArray(() => mx.reciprocal(mx.array([4], mx.int32)))).toEqual([[1], 'float32', [0.25]]);
    expect(describeArray(() => mx.reciprocal(mx.array([4], mx.float64)))).toEqual([[1], 'float64', [0.25]]);
    expect(describeArray(() => mx.degrees(mx.array([0], mx.int32)))).toEqual([[1], 'float32', [0]]);
    expect(describeArray(() => mx.floor(mx.array([true])))).toEqual([[1], 'bool', [true]]);
    expect(describeArray(() => mx.sin(mx.array([0], mx.bfloat16)))).toEqual([[1], 'bfloat16', [0]]);
    // Weak scalars: an integer-valued JS number keeps the array's dtype, a fraction -> float32.
    expect(describeArray(() => mx.floorDivide(mx.array([7], mx.int16), 2))).toEqual([[1], 'int16', [3]]);
    expect(describeArray(() => mx.floorDivide(mx.array([7], mx.int16), 2.5))).toEqual([[1], 'float32', [2]]);
    expect(describeArray(() => mx.maximum(mx.array([1, 5], mx.uint8), 3))).toEqual([[2], 'uint8', [3, 5]]);
    expect(describeArray(() => mx.maximum(mx.array([1, 5], mx.int32), mx.array([2, 2], mx.float16)))).toEqual([[2], 'float16', [2, 5]]);
    expect(describeArray(() => mx.logaddexp(mx.array([0], mx.int32), 0))).toEqual([[1], 'float32', [Math.fround(Math.LN2)]]);
    expect(describeArray(() => mx.arctan2(mx.array([0], mx.bfloat16), 1))).toEqual([[1], 'bfloat16', [0]]);
    expect(describeArray(() => mx.bitwiseAnd(mx.array([6], mx.uint8), mx.array([3], mx.int8)))).toEqual([[1], 'int16', [2]]);
  });

  it('round: half to even, with decimals (NumPy scaling), dtype kept', () => {
    expect(values(() => mx.round(mx.array([0.5, 1.5, 2.5, -2.5, 3.7])))).toEqual([0, 2, 2, -2, 4]);
    expectClose(values(() => mx.round(mx.array([1.2345, -2.6751, 0.125], mx.float64), 2)), [1.23, -2.68, 0.12], 1e-12);
    expect(values(() => mx.round(mx.array([155, 145, -155], mx.float64), -1))).toEqual([160, 140, -160]);
    expect(describeArray(() => mx.round(mx.array([155, 145, 7], mx.int32), { decimals: -1 }))).toEqual([[3], 'int32', [160, 140, 10]]);
    expect(describeArray(() => mx.array([1.25, 2.5], mx.float16).round(1))).toEqual([[2], 'float16', [1.2001953125, 2.5]]);
    expect(() => mx.tidy(() => mx.round(mx.array([1]), 0.5))).toThrow('[round]');
  });

  it('clip: either bound may be missing; bounds broadcast and promote', () => {
    const x = () => mx.array([-2, -0.5, 0, 0.5, 2]);
    expect(values(() => mx.clip(x(), -1, 1))).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(values(() => mx.clip(x(), 0, null))).toEqual([0, 0, 0, 0.5, 2]);
    expect(values(() => mx.clip(x(), undefined, 0))).toEqual([-2, -0.5, 0, 0, 0]);
    expect(values(() => mx.clip(mx.array([[-2], [2]]), mx.array([-1, 0, 1]), 1.5))).toEqual([[-1, 0, 1], [1.5, 1.5, 1.5]]);
    expect(describeArray(() => mx.clip(mx.array([1, 9], mx.int32), 2, 5))).toEqual([[2], 'int32', [2, 5]]);
    expect(describeArray(() => mx.clip(mx.array([1, 9], mx.int32), 2.5, null))).toEqual([[2], 'float32', [2.5, 9]]);
    expect(values(() => mx.clip(mx.array([NaN, 3]), 0, 1))).toEqual([NaN, 1]);
    expect(() => mx.tidy(() => mx.clip(x(), null, null))).toThrow('[clip] At most one of a_min and a_max may be None');
  });

  it('nanToNum: defaults to 0 and the dtype max/lowest; custom values; other dtypes unchanged', () => {
    const special = [NaN, Infinity, -Infinity, 1.5];
    expect(values(() => mx.nanToNum(mx.array(special)))).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special, mx.float64)))).toEqual([0, Number.MAX_VALUE, -Number.MAX_VALUE, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special, mx.float16)))).toEqual([0, 65504, -65504, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special, mx.bfloat16)))).toEqual([0, 3.3895313892515355e38, -3.3895313892515355e38, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special), 7, 8, -9))).toEqual([7, 8, -9, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special), { posinf: 100 }))).toEqual([0, 100, -3.4028234663852886e38, 1.5]);
    expect(values(() => mx.nanToNum(mx.array(special), { nan: -1, neginf: -5 }))).toEqual([-1, 3.4028234663852886e38, -5, 1.5]);
    expect(describeArray(() => mx.nanToNum(mx.array([3], mx.int32)))).toEqual([[1], 'int32', [3]]);
  });

  it('handles 0-d, 0-size, size-1 broadcast axes and non-contiguous views', () => {
    expect(describeArray(() => mx.abs(mx.array(-3)))).toEqual([[], 'float32', 3]);
    expect(describeArray(() => mx.power(mx.array(2, mx.int32), mx.array([[3]], mx.int32)))).toEqual([[1, 1], 'int32', [[8]]]);
    expect(describeArray(() => mx.sin(mx.zeros([0, 3])))).toEqual([[0, 3], 'float32', []]);
    expect(describeArray(() => mx.maximum(mx.zeros([2, 0]), mx.zeros([1, 0])))).toEqual([[2, 0], 'float32', [[], []]]);
    expect(describeArray(() => mx.isnan(mx.zeros([0], mx.int32)))).toEqual([[0], 'bool', []]);
    expect(values(() => mx.maximum(mx.array([[1], [5]]), mx.array([2, 3, 4])))).toEqual([[2, 3, 4], [5, 5, 5]]);
    expect(values(() => mx.logicalAnd(mx.array([[true], [false]]), mx.array([true, false])))).toEqual([[true, false], [false, false]]);
    // Transposed views (strided kernels), also in the 16-bit floats.
    const m = () => mx.reshape(mx.arange(6), [2, 3]);
    expect(values(() => mx.square(mx.transpose(m())))).toEqual([[0, 9], [1, 16], [4, 25]]);
    expect(values(() => mx.remainder(mx.transpose(m()), mx.array([[4, 2]])))).toEqual([[0, 1], [1, 0], [2, 1]]);
    expect(values(() => mx.floor(mx.transpose(mx.divide(m(), 2)).astype(mx.float16)))).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(values(() => mx.isfinite(mx.transpose(mx.log(m()))))).toEqual([[false, true], [true, true], [true, true]]);
    expect(values(() => mx.bitwiseXor(mx.transpose(m().astype(mx.int32)), mx.broadcastTo(mx.array([1], mx.int32), [3, 2])))).toEqual([[1, 2], [0, 5], [3, 4]]);
    expect(values(() => mx.divmod(mx.transpose(m()), 4)[0])).toEqual([[0, 0], [0, 1], [0, 1]]);
  });

  it('Array methods mirror the ops', () => {
    const x = () => mx.array([-4, 9], mx.int32);
    expect(values(() => x().abs())).toEqual([4, 9]);
    expect(values(() => x().square())).toEqual([16, 81]);
    expect(values(() => x().abs().sqrt())).toEqual([2, 3]);
    expect(values(() => mx.array([4]).rsqrt())).toEqual([0.5]);
    expect(values(() => mx.array([4]).reciprocal())).toEqual([0.25]);
    expect(values(() => mx.array([8]).log2())).toEqual([3]);
    expect(values(() => mx.array([100]).log10())).toEqual([2]);
    expect(values(() => mx.array([0]).log1p())).toEqual([0]);
    expect(values(() => mx.array([0]).sin())).toEqual([0]);
    expect(values(() => mx.array([0]).cos())).toEqual([1]);
    expect(values(() => mx.array([2.5]).round())).toEqual([2]);
    expect(values(() => x().floorDivide(3))).toEqual([-2, 3]);
    expect(values(() => x().remainder(5))).toEqual([1, 4]);
    expect(values(() => x().power(2))).toEqual([16, 81]);
    expect(values(() => x().bitwiseAnd(6))).toEqual([4, 0]);
    expect(values(() => x().bitwiseOr(6))).toEqual([-2, 15]);
    expect(values(() => x().bitwiseXor(1))).toEqual([-3, 8]);
    expect(values(() => x().bitwiseInvert())).toEqual([3, -10]);
    expect(values(() => x().leftShift(1))).toEqual([-8, 18]);
    expect(values(() => x().rightShift(1))).toEqual([-2, 4]);
  });

  it('bad input is an Error naming the op', () => {
    mx.tidy(() => {
      const b = mx.array([true]);
      const f = mx.array([1.5]);
      expect(() => mx.floorDivide(b, b)).toThrow('[floor_divide]');
      expect(() => mx.remainder(b, b)).toThrow('[remainder]');
      expect(() => mx.divmod(b, b)).toThrow('[divmod]');
      expect(() => mx.power(b, b)).toThrow('[power]');
      expect(() => mx.bitwiseAnd(f, 1)).toThrow('[bitwise_and] Bitwise operations are only allowed on integer types.');
      expect(() => mx.bitwiseOr(mx.array([1], mx.int32), f)).toThrow('[bitwise_or]');
      expect(() => mx.bitwiseXor(f, f)).toThrow('[bitwise_xor]');
      expect(() => mx.leftShift(f, 1)).toThrow('[left_shift]');
      expect(() => mx.rightShift(f, 1)).toThrow('[right_shift]');
      expect(() => mx.bitwiseInvert(f)).toThrow('[bitwise_invert] Bitwise inverse only allowed on integer types.');
      expect(() => mx.maximum(mx.zeros([2]), mx.zeros([3]))).toThrow('[maximum] Shapes (2) and (3) cannot be broadcast.');
      expect(() => mx.arctan2(mx.zeros([2]), mx.zeros([3]))).toThrow('[arctan2]');
      expect(() => mx.logicalAnd(mx.zeros([2]), mx.zeros([3]))).toThrow('[logical_and]');
      expect(() => mx.divmod(mx.zeros([2]), mx.zeros([3]))).toThrow('[divmod]');
      expect(() => mx.sin('x' as unknown as mx.Array)).toThrow('[sin]');
    });
  });

  it('gradients at special points follow MLX', () => {
    mx.tidy(() => {
      // Ties of maximum/minimum send the gradient to the second operand.
      const [, g] = mx.vjp((a, b) => mx.maximum(a!, b!), [mx.array([1, 2, 3]), mx.array([1, 1, 4])], [mx.array([1, 1, 1])]);
      expect(g[0]!.tolist()).toEqual([0, 1, 0]);
      expect(g[1]!.tolist()).toEqual([1, 0, 1]);
      const [, h] = mx.vjp((a, b) => mx.minimum(a!, b!), [mx.array([1, 2, 3]), mx.array([1, 1, 4])], [mx.array([1, 1, 1])]);
      expect(h[0]!.tolist()).toEqual([0, 0, 1]);
      expect(h[1]!.tolist()).toEqual([1, 1, 0]);
      // d(0^b)/db = 0 for b > 0 (not 0 * log 0).
      const db = mx.grad((b: mx.Array) => mx.sum(mx.power(mx.array([0, 2]), b)))(mx.array([2, 3])) as mx.Array;
      expectClose(db.tolist(), [0, 8 * Math.LN2], 1e-5);
      // nanToNum passes gradients only where the input is finite.
      const gn = mx.grad((x: mx.Array) => mx.sum(mx.multiply(mx.nanToNum(x), 3)))(mx.array([1, Infinity, NaN])) as mx.Array;
      expect(gn.tolist()).toEqual([3, 0, 0]);
      // Integer and bool outputs carry no gradient.
      const gz = mx.grad((x: mx.Array) => mx.sum(mx.add(mx.multiply(x, mx.isfinite(x)), mx.floor(x))))(mx.array([1.5, 2])) as mx.Array;
      expect(gz.tolist()).toEqual([1, 1]);
    });
  });

  describe('finite differences (vjp and jvp)', () => {
    const u = (f: (x: mx.Array) => mx.Array, range: [number, number] = [-1, 1]) => checkGrads(f, [[2, 3]], { range });
    it('unary math', () => {
      u(mx.abs);
      u(mx.square);
      u(mx.sqrt, [0.2, 2]);
      u(mx.rsqrt, [0.2, 2]);
      u(mx.reciprocal, [0.5, 2]);
      u(mx.expm1);
      u(mx.log2, [0.2, 2]);
      u(mx.log10, [0.2, 2]);
      u(mx.log1p, [-0.5, 2]);
      u(mx.degrees);
      u(mx.radians);
    });
    it('trigonometric and hyperbolic', () => {
      u(mx.sin, [-3, 3]);
      u(mx.cos, [-3, 3]);
      u(mx.tan);
      u(mx.arcsin, [-0.8, 0.8]);
      u(mx.arccos, [-0.8, 0.8]);
      u(mx.arctan, [-3, 3]);
      u(mx.sinh);
      u(mx.cosh);
      u(mx.arcsinh, [-3, 3]);
      u(mx.arccosh, [1.2, 3]);
      u(mx.arctanh, [-0.8, 0.8]);
    });
    it('sigmoid, erf, erfinv', () => {
      u(mx.sigmoid, [-4, 4]);
      u(mx.erf, [-2, 2]);
      u(mx.erfinv, [-0.9, 0.9]);
    });
    it('piecewise constant ops have zero gradients', () => {
      u(mx.sign, [0.1, 0.9]);
      u(mx.floor, [0.1, 0.9]);
      u(mx.ceil, [0.1, 0.9]);
      u(mx.round, [0.1, 0.4]);
      u((x) => mx.round(x, 1), [0.11, 0.14]);
      checkGrads((a, b) => mx.floorDivide(a!, b!), [[2, 3], [3]], { range: [0.5, 2] });
    });
    it('power in both arguments, with broadcasting', () => {
      checkGrads((a, b) => mx.power(a!, b!), [[2, 3], [3]], { range: [0.5, 2] });
      checkGrads((a) => mx.power(a!, 3), [[4]]);
      checkGrads((b) => mx.power(2, b!), [[4]]);
    });
    it('remainder', () => {
      // Explicit inputs (away from the jumps of floor), freed by the tidy.
      mx.tidy(() => {
        checkGrads((a, b) => mx.remainder(a!, b!), [mx.array([[2.3, -1.7, 5.2]]), mx.array([[1.1], [-0.7]])]);
        // divmod has zero derivatives in both directions, as in MLX: test/mlx_behaviour.test.ts.
      });
    });
    it('maximum, minimum, clip', () => {
      checkGrads((a, b) => mx.maximum(a!, b!), [[2, 3], [2, 1]]);
      checkGrads((a, b) => mx.minimum(a!, b!), [[3], [2, 3]]);
      checkGrads((a) => mx.clip(a!, -0.5, 0.5), [[2, 4]]);
      checkGrads((a, lo, hi) => mx.clip(a!, lo!, hi!), [[3, 2], [2], [3, 1]], { seed: 3 });
      checkGrads((a) => mx.clip(a!, null, 0.2), [[5]]);
    });
    it('logaddexp, arctan2', () => {
      checkGrads((a, b) => mx.logaddexp(a!, b!), [[2, 3], [3]], { range: [-3, 3] });
      checkGrads((a, b) => mx.arctan2(a!, b!), [[2, 3], [2, 3]]);
    });
    it('second derivatives (the rules are built from differentiable ops)', () => {
      const d2 = (f: (x: mx.Array) => mx.Array, x: number): number =>
        mx.tidy(() => {
          const g = (y: mx.Array) => mx.grad((z: mx.Array) => mx.sum(f(z)))(y) as mx.Array;
          return (mx.grad((y: mx.Array) => mx.sum(g(y)))(mx.array(x, mx.float64)) as mx.Array).item() as number;
        });
      expectClose(d2(mx.sin, 0.7), -Math.sin(0.7), 1e-12);
      expectClose(d2(mx.sigmoid, 0.3), ((s) => s * (1 - s) * (1 - 2 * s))(1 / (1 + Math.exp(-0.3))), 1e-12);
      expectClose(d2(mx.sqrt, 4), -0.25 * 4 ** -1.5, 1e-12);
      expectClose(d2((x) => mx.power(2, x), 1.5), 2 ** 1.5 * Math.LN2 ** 2, 1e-12);
      expectClose(d2((x) => mx.power(x, 3), 1.5), 6 * 1.5, 1e-12);
      expectClose(d2(mx.arctan, 2), -4 / 25, 1e-12);
    });
    it('nanToNum on finite inputs is the identity', () => {
      checkGrads((a) => mx.nanToNum(mx.multiply(a!, a!)), [[4]]);
    });
  });
});

// trunc was added by following docs/ARCHITECTURE.md's recipe for an element-wise op (a table
// line, a functor, the TS export); values against NumPy are in the fixture cases above.
describeEachBackend('trunc', () => {
  it('rounds towards zero, keeps integers and bool, has a zero gradient, batches under vmap', () => {
    expect(values(() => mx.trunc(mx.array([-1.7, -1.5, -0.2, 0.2, 1.5, 1.7, 2.0])))).toEqual([-1, -1, -0, 0, 1, 1, 2]);
    expect(describeArray(() => mx.trunc(mx.array([-3, 7], mx.int32)))).toEqual([[2], 'int32', [-3, 7]]);
    expect(describeArray(() => mx.trunc(mx.array([true])))).toEqual([[1], 'bool', [true]]);
    expect(values(() => mx.grad((x: mx.Array) => mx.sum(mx.trunc(x)))(mx.array([0.5, -2.5])) as mx.Array)).toEqual([0, 0]);
    const xs = mx.array([[1.5, -1.5], [2.9, -0.1]]);
    expect(values(() => mx.vmap(mx.trunc)(xs) as mx.Array)).toEqual([[1, -1], [2, -0]]);
    const twiceTruncated = mx.compile((x: mx.Array) => mx.trunc(mx.multiply(x, 2)));
    expect(values(() => twiceTruncated(xs) as mx.Array)).toEqual([[3, -3], [5, -0]]);
    twiceTruncated.dispose();
    xs.dispose();
    expect(() => mx.trunc('a' as unknown as mx.Array)).toThrow(/^\[trunc\]/);
  });
});
