// The reduce family: prod, min, all, any, var, std, argmin, argmax, logsumexp, softmax and
// the scans, against NumPy (fixtures/reduce.json from fixtures/gen_reduce.py): every dtype,
// axes, keepdims, negative axes, transposed views, NaN, 0-d and empty inputs; errors; and
// vjp/jvp against finite differences (max/min/prod included).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend, describeArray } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import reduceFixture from './fixtures/reduce.json';

// No Node typings in the test project: a non-literal specifier keeps `fs` untyped.
type Encoded = number | boolean | string | Encoded[];
interface Case {
  op: string;
  input: string;
  dtype: string;
  transpose: boolean;
  args: unknown[];
  shape: number[];
  out_dtype: string;
  values: Encoded;
}
const fixture = reduceFixture as unknown as {
  inputs: Record<string, Encoded>;
  shapes: Record<string, number[]>;
  cases: Case[];
};

export function decode(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

const tolerance: Record<string, number> = { float16: 1e-2, bfloat16: 2e-2, float32: 2e-5, float64: 1e-10 };

/** Compares nested values: relative tolerance for floats, exact otherwise; NaN equals NaN. */
export function expectValues(actual: unknown, expected: unknown, dtype: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((e, i) => expectValues((actual as unknown[])[i], e, dtype));
    return;
  }
  if (dtype === 'bool') {
    expect(actual).toBe(typeof expected === 'boolean' ? expected : expected !== 0);
    return;
  }
  const a = Number(actual);
  const e = expected as number;
  if (Number.isNaN(e)) expect(Number.isNaN(a), `expected NaN, got ${a}`).toBe(true);
  else if (!Number.isFinite(e)) expect(a).toBe(e);
  else {
    const tol = tolerance[dtype] ?? 0;
    expect(Math.abs(a - e), `${a} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

function input(c: Case): mx.Array {
  const shape = fixture.shapes[c.input];
  let x = shape ? mx.zeros(shape, c.dtype as mx.DtypeName) : mx.array(decode(fixture.inputs[c.input]!) as mx.NestedInput, c.dtype as mx.DtypeName);
  if (c.transpose) x = mx.transpose(x);
  return x;
}

type AnyOp = (x: mx.Array, ...args: unknown[]) => mx.Array;
const opOf = (name: string): AnyOp => (mx as unknown as Record<string, AnyOp>)[name]!;

describeEachBackend('reduce family', () => {
  it('matches NumPy on every fixture case', () => {
    for (const c of fixture.cases) {
      const label = `${c.op}(${c.input} ${c.dtype}${c.transpose ? ' .T' : ''}, ${JSON.stringify(c.args)})`;
      const [shape, dtype, values] = describeArray(() => opOf(c.op)(input(c), ...c.args.map((a) => a ?? null)));
      expect([shape, dtype], label).toEqual([c.shape, c.out_dtype]);
      try {
        expectValues(values, decode(c.values), c.out_dtype);
      } catch (e) {
        throw new Error(`${label}: ${(e as Error).message}`);
      }
    }
  });

  it('accepts options objects and has Array methods', () => {
    const x = () => mx.array([[1, 5, 2], [7, 0, 3]]);
    expect(describeArray(() => mx.prod(x(), { axis: 1, keepdims: true }))).toEqual([[2, 1], 'float32', [[10], [0]]]);
    expect(describeArray(() => x().min(-1))).toEqual([[2], 'float32', [1, 0]]);
    expect(describeArray(() => x().all({ axis: 0 }))).toEqual([[3], 'bool', [true, false, true]]);
    expect(describeArray(() => x().any())).toEqual([[], 'bool', true]);
    expect(describeArray(() => mx.var(x(), { axis: 1, ddof: 1 }))[0]).toEqual([2]);
    expectClose(mx.tidy(() => x().var(1, false, 1).tolist()), [13 / 3, 37 / 3]);
    expectClose(mx.tidy(() => x().std({ axis: 1, keepdims: true }).tolist()), [[Math.sqrt(26 / 9)], [Math.sqrt(74 / 9)]]);
    expect(describeArray(() => x().argmax({ axis: 1, keepdims: true }))).toEqual([[2, 1], 'uint32', [[1], [0]]]);
    expect(describeArray(() => x().argmin())).toEqual([[], 'uint32', 4]);
    expectClose(mx.tidy(() => x().logsumexp(0).tolist()), [7.0024726, 5.0067153, 3.3132617]);
    expectClose(mx.tidy(() => mx.softmax(x(), { axis: 0 }).tolist()), [[0.0024726, 0.9933071, 0.2689414], [0.9975274, 0.0066929, 0.7310586]]);
    expect(describeArray(() => x().cumsum({ axis: 1, reverse: true, inclusive: false }))).toEqual([[2, 3], 'float32', [[7, 2, 0], [3, 3, 0]]]);
    expect(describeArray(() => x().cumprod(0))).toEqual([[2, 3], 'float32', [[1, 5, 2], [7, 0, 6]]]);
    expect(describeArray(() => x().cummax(1))).toEqual([[2, 3], 'float32', [[1, 5, 5], [7, 7, 7]]]);
    expect(describeArray(() => x().cummin(1, true))).toEqual([[2, 3], 'float32', [[1, 2, 2], [0, 0, 3]]]);
    expectClose(mx.tidy(() => x().logcumsumexp(0).tolist()), [[1, 5, 2], [7.0024726, 5.0067153, 3.3132617]]);
  });

  it('reduces broadcast views and size-1 axes', () => {
    expect(describeArray(() => mx.prod(mx.broadcastTo(mx.array([[2], [3]]), [2, 3]), 1))).toEqual([[2], 'float32', [8, 27]]);
    expect(describeArray(() => mx.min(mx.broadcastTo(mx.array([4, -1, 2]), [5, 3]), 0, true))).toEqual([[1, 3], 'float32', [[4, -1, 2]]]);
    expect(describeArray(() => mx.argmax(mx.broadcastTo(mx.array([4, 9, 2]), [2, 3]), 1))).toEqual([[2], 'uint32', [1, 1]]);
    expect(describeArray(() => mx.cumsum(mx.broadcastTo(mx.array([1, 2]), [3, 2]), 0))).toEqual([[3, 2], 'float32', [[1, 2], [2, 4], [3, 6]]]);
  });

  it('argmax and argmin take the first index on ties', () => {
    expect(describeArray(() => mx.argmax(mx.array([3, 7, 7, 1, 7])))).toEqual([[], 'uint32', 1]);
    expect(describeArray(() => mx.argmin(mx.array([[2, 0, 0], [5, 5, 5]], mx.int32), 1))).toEqual([[2], 'uint32', [1, 0]]);
  });

  it('logsumexp of infinite inputs is the infinity itself', () => {
    expect(mx.tidy(() => mx.logsumexp(mx.array([-Infinity, -Infinity])).item())).toBe(-Infinity);
    expect(mx.tidy(() => mx.logsumexp(mx.array([1, Infinity])).item())).toBe(Infinity);
    expectClose(mx.tidy(() => mx.logsumexp(mx.array([-Infinity, 0])).item()), 0);
  });

  it('softmax precise keeps 16-bit dtypes and is accurate', () => {
    for (const d of [mx.float16, mx.bfloat16]) {
      const [shape, dtype, v] = describeArray(() => mx.softmax(mx.array([1, 2, 3], d), -1, true));
      expect([shape, dtype]).toEqual([[3], String(d)]);
      expectClose(v, [0.09003057, 0.24472847, 0.66524096], 4e-3);
    }
  });

  it('var with ddof >= N gives inf or NaN as NumPy', () => {
    expect(mx.tidy(() => mx.var(mx.array([1, 2]), null, false, 2).item())).toBe(Infinity);
    expect(Number.isNaN(mx.tidy(() => mx.var(mx.array([1]), null, false, 1).item()))).toBe(true);
  });

  it('rejects bad input with errors naming the op', () => {
    mx.tidy(() => {
      const x = mx.array([[1, 2], [3, 4]]);
      const empty = mx.zeros([0, 2]);
      expect(() => mx.min(empty)).toThrow('[min] Cannot min reduce zero size array.');
      expect(() => mx.max(empty, 0)).toThrow('[max]');
      expect(() => mx.argmax(empty, 1)).toThrow('[argmax] Cannot argmax reduce zero size array.');
      expect(() => mx.argmin(empty)).toThrow('[argmin]');
      expect(() => mx.logsumexp(empty)).toThrow('[logsumexp]');
      expect(() => mx.prod(x, 2)).toThrow('[prod] Invalid axis 2');
      expect(() => mx.all(x, [0, 0])).toThrow('[all]');
      expect(() => mx.any(x, -3)).toThrow('[any]');
      expect(() => mx.var(x, 5)).toThrow('[var]');
      expect(() => mx.std(x, -3)).toThrow('[std]');
      expect(() => mx.softmax(x, 2)).toThrow('[softmax]');
      expect(() => mx.argmax(x, 2)).toThrow('[argmax] Axis 2 is out of bounds');
      expect(() => mx.cumsum(x, -3)).toThrow('[cumsum] Axis -3 is out of bounds');
      expect(() => mx.cumprod(x, 2)).toThrow('[cumprod]');
      expect(() => mx.cummax(mx.array(1), 0)).toThrow('[cummax]');
      expect(() => mx.cummin(x, 9)).toThrow('[cummin]');
      expect(() => mx.logcumsumexp(x, 2)).toThrow('[logcumsumexp]');
    });
  });

  it('integer outputs have zero gradients', () => {
    mx.tidy(() => {
      const g = mx.grad((a: mx.Array) => mx.sum(mx.multiply(mx.astype(mx.argmax(a, 0), mx.float32), a)))(mx.array([1, 3, 2]));
      expectClose((g as mx.Array).tolist(), [1, 1, 1]);
    });
  });

  it('cummax routes each output cotangent to the element that set it', () => {
    mx.tidy(() => {
      const c = mx.array([1, 2, 3, 4]);
      const g = (fn: (a: mx.Array) => mx.Array, x: number[]) =>
        (mx.grad((a: mx.Array) => mx.sum(mx.multiply(fn(a), c)))(mx.array(x)) as mx.Array).tolist();
      expectClose(g((a) => mx.cummax(a), [1, 3, 2, 4]), [1, 5, 0, 4]);
      expectClose(g((a) => mx.cummax(a, 0, true), [1, 3, 2, 4]), [1, 2, 3, 4].map((_, i) => (i === 3 ? 10 : 0)));
      expectClose(g((a) => mx.cummin(a, 0, false, false), [1, 3, 0, 4]), [5, 0, 4, 0]);
    });
  });

  it('logcumsumexp gradients stay finite where exp(x) overflows float32', () => {
    mx.tidy(() => {
      const x = mx.array([100, 101, 102]);
      const [, vj] = mx.vjp((a: mx.Array) => mx.logcumsumexp(a), [x], [mx.array([1, -2, 0.5])]);
      expectClose(vj[0]!.tolist(), [0.5071324438, -1.3397529217, 0.3326204779], 1e-5);
      const [, jv] = mx.jvp((a: mx.Array) => mx.logcumsumexp(a), [x], [mx.array([1, -2, 0.5])]);
      // d y_i = sum_{j <= i} t_j exp(x_j - y_i)
      const y = [100, 100 + Math.log1p(Math.exp(1)), 100 + Math.log(1 + Math.E + Math.E ** 2)];
      const t = [1, -2, 0.5];
      const expected = y.map((yi, i) => t.slice(0, i + 1).reduce((acc, tj, j) => acc + tj * Math.exp(100 + j - yi), 0));
      expectClose(jv[0]!.tolist(), expected, 1e-5);
    });
  });

  it('the constant first output of an exclusive logcumsumexp has tangent 0', () => {
    mx.tidy(() => {
      const [outs, tans] = mx.jvp((a: mx.Array) => mx.logcumsumexp(a, 0, false, false), [mx.array([0.5, -1, 2])], [mx.array([1, 1, 1])]);
      expect(outs[0]!.tolist()).toEqual([-Infinity, 0.5, expect.closeTo(Math.log(Math.exp(0.5) + Math.exp(-1)), 6)]);
      expectClose(tans[0]!.tolist(), [0, 1, 1]);
    });
  });

  it('max/min split the cotangent among ties', () => {
    mx.tidy(() => {
      expectClose((mx.grad((a: mx.Array) => mx.max(a))(mx.array([1, 3, 3, 2])) as mx.Array).tolist(), [0, 0.5, 0.5, 0]);
      expectClose((mx.grad((a: mx.Array) => mx.sum(mx.min(a, 1)))(mx.array([[4, 1, 1, 1], [2, 5, 6, 7]])) as mx.Array).tolist(), [
        [0, 1 / 3, 1 / 3, 1 / 3],
        [1, 0, 0, 0],
      ]);
      // prod's gradient is exact at zeros (no division).
      expectClose((mx.grad((a: mx.Array) => mx.prod(a))(mx.array([1, 0, 3, 2])) as mx.Array).tolist(), [0, 6, 0, 0]);
      expectClose((mx.grad((a: mx.Array) => mx.prod(a))(mx.array([1, 0, 3, 0])) as mx.Array).tolist(), [0, 0, 0, 0]);
      expectClose((mx.grad((a: mx.Array) => mx.sum(mx.cumprod(a)))(mx.array([2, 0, 3, 0])) as mx.Array).tolist(), [1, 8, 0, 0]);
    });
  });

  it('finite differences: reductions', () => {
    checkGrads((a) => mx.max(a, 1), [[2, 3, 2]]);
    checkGrads((a) => mx.max(a, [0, 2], true), [[2, 3, 2]]);
    checkGrads((a) => mx.min(a), [[3, 4]]);
    checkGrads((a) => mx.min(mx.transpose(a), -1), [[3, 4]]);
    checkGrads((a) => mx.prod(a, 1), [[2, 3, 2]]);
    checkGrads((a) => mx.prod(a, [0, 2], true), [[2, 3, 2]]);
    checkGrads((a) => mx.prod(a), [[2, 3]]);
    checkGrads((a) => mx.var(a, 1), [[3, 4]]);
    checkGrads((a) => mx.var(a, null, true, 1), [[2, 3]]);
    checkGrads((a) => mx.std(a, [0, 2]), [[2, 3, 2]]);
    checkGrads((a) => mx.logsumexp(a, -1), [[3, 4]]);
    checkGrads((a) => mx.logsumexp(a), [[2, 3]]);
    checkGrads((a) => mx.softmax(a, -1), [[3, 4]]);
    checkGrads((a) => mx.softmax(a, [0, 1]), [[2, 3]]);
  });

  it('finite differences: scans', () => {
    const finite = (y: mx.Array): mx.Array => mx.where(mx.equal(y, Infinity), 0, mx.where(mx.equal(y, -Infinity), 0, y));
    for (const [reverse, inclusive] of [[false, true], [true, true], [false, false], [true, false]] as const) {
      checkGrads((a) => mx.cumsum(a, 1, reverse, inclusive), [[2, 4]]);
      checkGrads((a) => mx.cumprod(a, 0, reverse, inclusive), [[4, 2]], { range: [0.5, 1.5] });
      // Exclusive cummax/cummin/logcumsumexp start with a constant infinity, which finite
      // differences cannot take: `finite` replaces it by 0 (where passes no gradient there).
      checkGrads((a) => finite(mx.cummax(a, -1, reverse, inclusive)), [[2, 5]]);
      checkGrads((a) => finite(mx.cummin(a, 0, reverse, inclusive)), [[5, 2]]);
      checkGrads((a) => finite(mx.logcumsumexp(a, 1, reverse, inclusive)), [[2, 4]]);
    }
    checkGrads((a) => mx.cumsum(a), [[2, 3]]);
    // cumprod's derivatives are exact at zeros (no division by them).
    const withZeros = () => mx.array([[0.5, 0, 1.2, -0.7, 0], [0, 0.3, 0, 1.1, 0.9]]);
    for (const [reverse, inclusive] of [[false, true], [true, true], [false, false], [true, false]] as const) {
      mx.tidy(() => checkGrads((a) => mx.cumprod(a, 1, reverse, inclusive), [withZeros()]));
    }
    checkGrads((a) => mx.cummax(mx.transpose(a), 1), [[4, 3]]);
  });
});
