// The comparison family: equal, notEqual, greater, greaterEqual, less, lessEqual against
// NumPy (fixtures/compare.json from fixtures/gen_compare.py) across promoted dtype pairs,
// broadcasting and NaN; where (broadcasting, promotion, gradients); isclose, allclose,
// arrayEqual; errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeArray, describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import compareFixture from './fixtures/compare.json';

type Encoded = number | boolean | string | Encoded[];
interface CompareCase {
  op: string;
  a: Encoded;
  a_dtype: string;
  b: Encoded;
  b_dtype: string;
  shape: number[];
  values: Encoded;
}
interface CloseCase {
  a: Encoded;
  b: Encoded;
  options: { rtol?: number; atol?: number; equalNan?: boolean };
  shape: number[];
  values: Encoded;
  all: boolean;
}
const fixture = compareFixture as unknown as {
  compare: CompareCase[];
  isclose: CloseCase[];
};

function decode(v: Encoded): mx.NestedInput {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number | boolean;
}

type Binary = (a: mx.Array, b: mx.Array) => mx.Array;
const opOf = (name: string): Binary => (mx as unknown as Record<string, Binary>)[name]!;

describeEachBackend('comparisons', () => {
  it('match NumPy across promoted dtype pairs, broadcasting and NaN', () => {
    for (const c of fixture.compare) {
      const label = `${c.op}(${JSON.stringify(c.a)} ${c.a_dtype}, ${JSON.stringify(c.b)} ${c.b_dtype})`;
      const got = describeArray(() =>
        opOf(c.op)(mx.array(decode(c.a), c.a_dtype as mx.DtypeName), mx.array(decode(c.b), c.b_dtype as mx.DtypeName)),
      );
      expect(got, label).toEqual([c.shape, 'bool', decode(c.values)]);
    }
  });

  it('take JS numbers (weak scalars), non-contiguous views, 0-d and empty inputs; Array methods', () => {
    const m = () => mx.array([[1, 2], [3, 4]], mx.int32);
    expect(describeArray(() => mx.greater(m(), 2))).toEqual([[2, 2], 'bool', [[false, false], [true, true]]]);
    expect(describeArray(() => mx.less(2.5, m()))).toEqual([[2, 2], 'bool', [[false, false], [true, true]]]);
    expect(describeArray(() => mx.equal(mx.transpose(m()), m()))).toEqual([[2, 2], 'bool', [[true, false], [false, true]]]);
    expect(describeArray(() => m().lessEqual(mx.transpose(m())))).toEqual([[2, 2], 'bool', [[true, true], [false, true]]]);
    expect(describeArray(() => m().notEqual(mx.broadcastTo(mx.array([1], mx.int32), [2, 2])))).toEqual([
      [2, 2], 'bool', [[false, true], [true, true]],
    ]);
    expect(describeArray(() => m().greaterEqual(3))).toEqual([[2, 2], 'bool', [[false, false], [true, true]]]);
    expect(describeArray(() => m().equal(4))).toEqual([[2, 2], 'bool', [[false, false], [false, true]]]);
    expect(describeArray(() => m().greater(m()))).toEqual([[2, 2], 'bool', [[false, false], [false, false]]]);
    expect(describeArray(() => m().less(10))).toEqual([[2, 2], 'bool', [[true, true], [true, true]]]);
    expect(describeArray(() => mx.equal(mx.array(3), 3))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.less(mx.zeros([0, 2]), mx.zeros([2])))).toEqual([[0, 2], 'bool', []]);
  });

  it('reject shapes that do not broadcast', () => {
    mx.tidy(() => {
      const a = mx.zeros([2, 3]);
      const b = mx.zeros([4]);
      for (const name of ['equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal']) {
        const camel = name.replace(/_(.)/g, (_, ch: string) => ch.toUpperCase());
        expect(() => opOf(camel)(a, b)).toThrow(`[${name}] Shapes (2,3) and (4) cannot be broadcast.`);
      }
      expect(() => mx.isclose(a, b)).toThrow('[isclose]');
      expect(() => mx.allclose(a, b)).toThrow('[isclose]');
      expect(() => mx.where(mx.array([true, false]), a, 1)).toThrow('[where]');
    });
  });

  it('have zero gradients', () => {
    mx.tidy(() => {
      const g = mx.grad((a: mx.Array) => mx.sum(mx.multiply(mx.astype(mx.greater(a, 0), mx.float32), a)))(mx.array([-1, 2]));
      expectClose((g as mx.Array).tolist(), [0, 1]);
    });
  });
});

describeEachBackend('where', () => {
  it('selects with broadcasting of all three inputs and promotes x with y', () => {
    const cond = () => mx.array([[true], [false]]);
    expect(describeArray(() => mx.where(cond(), mx.array([1, 2, 3], mx.int32), mx.array(0.5)))).toEqual([
      [2, 3], 'float32', [[1, 2, 3], [0.5, 0.5, 0.5]],
    ]);
    expect(describeArray(() => mx.where(mx.array([1, 0, 2], mx.int32), 7, mx.array([1, 2, 3], mx.int8)))).toEqual([
      [3], 'int8', [7, 2, 7],
    ]);
    expect(describeArray(() => mx.where(mx.array(true), mx.array([1, 2], mx.uint8), mx.array([3, 4], mx.int8)))).toEqual([
      [2], 'int16', [1, 2],
    ]);
    // A transposed condition and NaN passing through.
    expect(describeArray(() => mx.where(mx.transpose(mx.array([[true, false], [false, true]])), mx.array([[NaN, 1], [2, 3]]), -1))).toEqual([
      [2, 2], 'float32', [[NaN, -1], [-1, 3]],
    ]);
    expect(describeArray(() => mx.where(mx.array(false), 1, 2))).toEqual([[], 'float32', 2]);
    expect(describeArray(() => mx.where(mx.zeros([0], mx.bool), mx.zeros([0]), 1))).toEqual([[0], 'float32', []]);
    for (const d of [mx.float16, mx.bfloat16, mx.float64, mx.uint64, mx.int64, mx.bool]) {
      expect(describeArray(() => mx.where(mx.array([true, false]), mx.array([1, 0], d), mx.array([0, 1], d)))).toEqual([
        [2], String(d), d === mx.bool ? [true, true] : [1, 1],
      ]);
    }
  });

  it('sends gradients to x and y by the condition', () => {
    mx.tidy(() => {
      const [gx, gy] = mx.grad((x: mx.Array, y: mx.Array) => mx.sum(mx.where(mx.array([true, false, true]), x, y)), [0, 1])(
        mx.array([1, 2, 3]),
        mx.array(5),
      ) as [mx.Array, mx.Array];
      expectClose(gx.tolist(), [1, 0, 1]);
      expectClose(gy.item(), 1);
    });
    const cond = () => mx.array([[true, false, true], [false, false, true]]);
    checkGrads((x, y) => mx.where(cond(), x, y), [[2, 3], [3]]);
    checkGrads((x, y) => mx.where(mx.greater(x, 0), mx.multiply(x, x), y), [[2, 3], [2, 1]]);
  });
});

describeEachBackend('isclose, allclose, arrayEqual', () => {
  it('isclose and allclose match NumPy (float64 inputs)', () => {
    for (const c of fixture.isclose) {
      const a = () => mx.array(decode(c.a), mx.float64);
      const b = () => mx.array(decode(c.b), mx.float64);
      const label = `${JSON.stringify(c.a)} ~ ${JSON.stringify(c.b)} ${JSON.stringify(c.options)}`;
      expect(describeArray(() => mx.isclose(a(), b(), c.options)), label).toEqual([c.shape, 'bool', decode(c.values)]);
      expect(describeArray(() => mx.allclose(a(), b(), c.options)), label).toEqual([[], 'bool', c.all]);
      const { rtol, atol, equalNan } = c.options;
      expect(describeArray(() => mx.isclose(a(), b(), rtol, atol, equalNan)), label).toEqual([c.shape, 'bool', decode(c.values)]);
    }
  });

  it('isclose works in every dtype family', () => {
    expect(describeArray(() => mx.isclose(mx.array([1, 1.0001], mx.float32), 1))).toEqual([[2], 'bool', [true, false]]);
    expect(describeArray(() => mx.isclose(mx.array([1000, 1001], mx.float16), mx.array(1000, mx.float16), 1e-3))).toEqual([
      [2], 'bool', [true, true],
    ]);
    expect(describeArray(() => mx.isclose(mx.array([5, 6], mx.int32), mx.array([5, 5], mx.uint8)))).toEqual([[2], 'bool', [true, false]]);
    expect(describeArray(() => mx.allclose(mx.array([true, false]), mx.array([1, 0], mx.int8)))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.allclose(mx.zeros([0]), mx.ones([0])))).toEqual([[], 'bool', true]);
  });

  it('arrayEqual compares shapes and values, with equalNan', () => {
    const v = () => mx.array([1, NaN, 3]);
    expect(describeArray(() => mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2], mx.int32)))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.arrayEqual(mx.array([1, 2]), mx.array([[1, 2]])))).toEqual([[], 'bool', false]);
    expect(describeArray(() => mx.arrayEqual(mx.array([1, 2]), mx.array([1, 2, 3])))).toEqual([[], 'bool', false]);
    expect(describeArray(() => mx.arrayEqual(v(), v()))).toEqual([[], 'bool', false]);
    expect(describeArray(() => mx.arrayEqual(v(), v(), true))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.arrayEqual(v(), v(), { equalNan: true }))).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.arrayEqual(mx.array([[1, 2], [3, 4]]), mx.transpose(mx.array([[1, 3], [2, 4]]))))).toEqual([
      [], 'bool', true,
    ]);
    expect(describeArray(() => mx.arrayEqual(mx.zeros([0, 2]), mx.zeros([0, 2])))).toEqual([[], 'bool', true]);
  });
});
