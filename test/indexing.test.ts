// take, takeAlongAxis, putAlongAxis, the scatter family, x.index(...) and x.at(...)
// against NumPy (fixtures/indexing.json from fixtures/gen_indexing.py) and hand-derived values.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import indexingFixture from './fixtures/indexing.json';

type Entry = number | string | null | unknown[];
interface Fixture {
  take_input: number[][][];
  take: { indices: mx.IntList; axis: number | null; shape: number[]; values: unknown }[];
  along_input: number[][];
  take_along_axis: { indices: number[][]; axis: number; values: unknown }[];
  put_along_axis: { indices: number[][]; values: number | number[][]; axis: number; result: unknown }[];
  index_input_shape: number[];
  index: { index: Entry[]; shape: number[]; values: unknown }[];
  at_input: number[][];
  at: { op: string; index: Entry[]; update: number | unknown[]; update_shape: number[]; result: unknown }[];
}
const fx = indexingFixture as unknown as Fixture;

/** JSON index entries as the API takes them (lists become JS integer arrays). */
const entries = (e: Entry[]): mx.ArrayIndex[] => e as mx.ArrayIndex[];

const INT_DTYPES = [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32, mx.uint64];

describeEachBackend('take', () => {
  it('matches np.take for every axis, negative indices, no axis (flattened) and 0-d/empty indices', () => {
    mx.tidy(() => {
      const a = mx.array(fx.take_input, mx.float64);
      for (const c of fx.take) {
        const r = c.axis === null ? mx.take(a, c.indices) : mx.take(a, c.indices, c.axis);
        expect(r.shape, JSON.stringify(c)).toEqual(c.shape);
        expect(r.dtype).toBe(mx.float64);
        expect(r.tolist()).toEqual(c.values);
      }
      // The options-object form.
      expect(mx.take(a, [1], { axis: 0 }).shape).toEqual([1, 3, 4]);
    });
  });

  it('accepts every integer index dtype and keeps every value dtype', () => {
    mx.tidy(() => {
      for (const it of INT_DTYPES) {
        const idx = mx.array([2, 0, 2], it);
        expect(mx.take(mx.array([10, 20, 30], mx.int32), idx).tolist(), it.name).toEqual([30, 10, 30]);
      }
      expect(mx.take(mx.array([10, 20, 30], mx.int32), mx.array([-1, -3], mx.int8)).tolist()).toEqual([30, 10]);
      for (const dt of [mx.bool, mx.uint8, mx.int16, mx.uint64, mx.float16, mx.bfloat16, mx.float32, mx.float64]) {
        const r = mx.take(mx.array([1, 0, 3], dt), [2, 1]);
        expect(r.dtype).toBe(dt);
        expect(r.tolist()).toEqual(dt === mx.bool ? [true, false] : [3, 0]);
      }
    });
  });

  it('reads non-contiguous inputs and index arrays (transposes and broadcasts)', () => {
    mx.tidy(() => {
      const a = mx.reshape(mx.arange(12), [3, 4]);
      expect(mx.take(mx.transpose(a), [3, 0], 0).tolist()).toEqual([[3, 7, 11], [0, 4, 8]]);
      expect(mx.take(mx.broadcastTo(mx.array([1, 2]), [3, 2]), [1], 1).tolist()).toEqual([[2], [2], [2]]);
      const idx = mx.transpose(mx.array([[0, 1], [2, 3]], mx.int32));
      expect(mx.take(mx.arange(4), idx).tolist()).toEqual([[0, 2], [1, 3]]);
      const bidx = mx.broadcastTo(mx.array([2], mx.int32), [2, 3]);
      expect(mx.take(a, bidx, 1).shape).toEqual([3, 2, 3]);
      // 0-size arrays: an empty index list, and an empty source axis that is not indexed.
      expect(mx.take(mx.zeros([0, 3]), [2, 0], 1).shape).toEqual([0, 2]);
      expect(mx.take(mx.zeros([2, 3]), [], 1).shape).toEqual([2, 0]);
    });
  });

  it('errors name the op: out-of-range index, float indices, bad axis', () => {
    mx.tidy(() => {
      const a = mx.reshape(mx.arange(6), [2, 3]);
      expect(() => mx.take(a, [3], 1).tolist()).toThrow('[take] Index 3 is out of bounds for axis 1 with size 3.');
      expect(() => mx.take(a, [-3], 0).tolist()).toThrow('[take] Index -3 is out of bounds for axis 0 with size 2.');
      expect(() => mx.take(a, mx.array([7], mx.uint8)).tolist()).toThrow('[take] Index 7 is out of bounds');
      expect(() => mx.take(mx.zeros([0]), [0]).tolist()).toThrow('[take]');
      expect(() => mx.take(a, mx.array([0.5]))).toThrow('[take] Got indices with invalid dtype float32');
      expect(() => mx.take(a, mx.array([true]))).toThrow('[take] Got indices with invalid dtype bool');
      expect(() => mx.take(a, [0.5])).toThrow('[take] Indices must be integers');
      expect(() => mx.take(a, [0], 2)).toThrow('[take] Received invalid axis 2 for array with 2 dimensions.');
    });
  });

  it('vjp and jvp match finite differences (repeated indices accumulate)', () => {
    checkGrads((a) => mx.take(a, [2, 0, 2, -1], 1), [[2, 3]]);
    checkGrads((a) => mx.take(a, [[1, 1], [0, 3]]), [[2, 2]]);
    checkGrads((a) => mx.take(a, 1, 0), [[3, 2]]);
  });

  it('asks for stopGradient when differentiating with respect to the indices', () => {
    mx.tidy(() => {
      const x = mx.array([1, 2, 3]);
      const i = mx.array([0, 2], mx.int32);
      expect(() => mx.vjp((a, b) => mx.take(a, b), [x, i], [mx.ones([2])])).toThrow('stopGradient');
      expect(() => mx.jvp((a, b) => mx.take(a, b), [x, i], [mx.ones([3]), mx.zeros([2], mx.int32)])).toThrow(
        'stopGradient',
      );
    });
  });
});

describeEachBackend('takeAlongAxis / putAlongAxis', () => {
  it('takeAlongAxis matches NumPy (broadcast index axes, negative axis and indices)', () => {
    mx.tidy(() => {
      const b = mx.array(fx.along_input, mx.float64);
      for (const c of fx.take_along_axis) {
        const r = mx.takeAlongAxis(b, mx.array(c.indices, mx.int32), c.axis);
        expect(r.tolist(), JSON.stringify(c)).toEqual(c.values);
      }
      // Index dtypes other than int32, and a transposed source.
      const r = mx.takeAlongAxis(mx.transpose(b), mx.array([[2, 0, 1]], mx.uint16), 1);
      const b0 = fx.along_input;
      expect(r.tolist()).toEqual([0, 1, 2, 3].map((i) => [b0[2]![i], b0[0]![i], b0[1]![i]]));
    });
  });

  it('putAlongAxis matches NumPy (broadcast values, negative indices) and keeps the source', () => {
    mx.tidy(() => {
      const b = mx.array(fx.along_input, mx.float64);
      for (const c of fx.put_along_axis) {
        const v = typeof c.values === 'number' ? c.values : mx.array(c.values, mx.float64);
        const r = mx.putAlongAxis(b, c.indices, v, c.axis);
        expect(r.tolist(), JSON.stringify(c)).toEqual(c.result);
      }
      expect(b.tolist()).toEqual(fx.along_input);
      // Values are cast to the array's dtype.
      const z = mx.putAlongAxis(mx.zeros([2, 2], mx.int32), [[1], [0]], 3.7, 1);
      expect(z.dtype).toBe(mx.int32);
      expect(z.tolist()).toEqual([[0, 3], [3, 0]]);
    });
  });

  it('errors name the op', () => {
    mx.tidy(() => {
      const b = mx.zeros([2, 3]);
      expect(() => mx.takeAlongAxis(b, [1, 2], 1)).toThrow('[take_along_axis] Indices of dimension 1');
      expect(() => mx.takeAlongAxis(b, [[3]], 1).tolist()).toThrow('[take_along_axis] Index 3 is out of bounds');
      expect(() => mx.takeAlongAxis(b, [[0]], -3)).toThrow('[take_along_axis] Received invalid axis -3');
      expect(() => mx.takeAlongAxis(b, mx.array([[0.0]]), 0)).toThrow('[take_along_axis] Got indices with invalid dtype');
      expect(() => mx.putAlongAxis(b, [[5]], 1, 1).tolist()).toThrow('[put_along_axis] Index 5 is out of bounds');
      expect(() => mx.putAlongAxis(b, [[0], [1]], mx.zeros([2, 2]), 1)).toThrow('[put_along_axis] Values of shape');
    });
  });

  it('vjp and jvp match finite differences', () => {
    checkGrads((a) => mx.takeAlongAxis(a, [[0, 2, 2], [1, 0, -1]], 1), [[2, 3]]);
    checkGrads((a) => mx.takeAlongAxis(a, [[1, 0, 1]], 0), [[2, 3]]);
    checkGrads((a, v) => mx.putAlongAxis(a, [[2], [0]], v, 1), [[2, 3], [2, 1]]);
  });
});

describeEachBackend('scatter family', () => {
  it('scatter, scatterAdd, scatterProd, scatterMax, scatterMin with repeated indices', () => {
    mx.tidy(() => {
      const a = mx.array([1, 2, 3, 4], mx.float32);
      const idx = [0, 2, 0];
      const u = mx.reshape(mx.array([10, 20, 30]), [3, 1]);
      expect(mx.scatterAdd(a, idx, u, 0).tolist()).toEqual([41, 2, 23, 4]);
      expect(mx.scatterProd(a, idx, u, 0).tolist()).toEqual([300, 2, 60, 4]);
      expect(mx.scatterMax(a, idx, mx.reshape(mx.array([-1, 2, 0.5]), [3, 1]), 0).tolist()).toEqual([1, 2, 3, 4]);
      expect(mx.scatterMin(a, idx, mx.reshape(mx.array([-1, 2, 0.5]), [3, 1]), 0).tolist()).toEqual([-1, 2, 2, 4]);
      expect(mx.scatter(a, [3, 1], mx.reshape(mx.array([7, 8]), [2, 1]), 0).tolist()).toEqual([1, 8, 3, 7]);
      // Slices of several elements per index, two index arrays, integer dtype kept.
      const m = mx.zeros([3, 4], mx.int32);
      const rows = mx.scatterAdd(m, [[2], [0]], mx.ones([2, 1, 1, 4]), 0);
      expect(rows.tolist()).toEqual([[1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]]);
      const two = mx.scatterAdd(m, [[1, 1, 2], [3, 3, 0]], mx.reshape(mx.array([1, 2, 3], mx.int32), [3, 1, 1]), [0, 1]);
      expect(two.dtype).toBe(mx.int32);
      expect(two.tolist()).toEqual([[0, 0, 0, 0], [0, 0, 0, 3], [3, 0, 0, 0]]);
      // NaN updates propagate through max/min, as np.maximum.at does.
      const nan = mx.scatterMax(a, [1], mx.reshape(mx.array([NaN]), [1, 1]), 0).tolist() as number[];
      expect(Number.isNaN(nan[1])).toBe(true);
      // Half precision computes in float32.
      expect(mx.scatterAdd(mx.zeros([2], mx.float16), [1, 1], mx.reshape(mx.array([0.5, 0.25]), [2, 1]), 0).tolist())
        .toEqual([0, 0.75]);
    });
  });

  it('keeps every value dtype, reads broadcast updates, and handles 0-d and empty cases', () => {
    mx.tidy(() => {
      for (const dt of [mx.bool, mx.uint8, mx.uint32, mx.int8, mx.int64, mx.float16, mx.bfloat16, mx.float32, mx.float64]) {
        const r = mx.scatterAdd(mx.zeros([3], dt), mx.array([1, 1], mx.int16), mx.ones([2, 1], dt), 0);
        expect(r.dtype, dt.name).toBe(dt);
        expect(r.tolist(), dt.name).toEqual(dt === mx.bool ? [false, true, false] : [0, 2, 0]);
      }
      // A bool product is a logical and.
      expect(mx.scatterProd(mx.array([true, true]), [0], mx.array([[false]]), 0).tolist()).toEqual([false, true]);
      // Updates given as a broadcast view (stride 0) and a transposed source.
      const src = mx.transpose(mx.reshape(mx.arange(6, mx.float32), [2, 3]));
      const upd = mx.broadcastTo(mx.array([[[10, 20]]]), [2, 1, 2]);
      expect(mx.scatterAdd(src, [2, 2], upd, 0).tolist()).toEqual([[0, 3], [1, 4], [22, 45]]);
      // 0-d source through take (flattened), and no positions at all.
      expect(mx.take(mx.array(5), [0, -1, 0]).tolist()).toEqual([5, 5, 5]);
      expect(mx.scatterAdd(mx.ones([2]), mx.zeros([0], mx.int32), mx.zeros([0, 1]), 0).tolist()).toEqual([1, 1]);
    });
  });

  it('errors name the op', () => {
    mx.tidy(() => {
      const a = mx.zeros([3]);
      expect(() => mx.scatterAdd(a, [3], mx.zeros([1, 1]), 0).tolist()).toThrow('[scatter_add] Index 3 is out of bounds for axis 0 with size 3.');
      expect(() => mx.scatter(a, [-4], mx.zeros([1, 1]), 0).tolist()).toThrow('[scatter] Index -4 is out of bounds');
      expect(() => mx.scatterMax(a, [0], mx.zeros([1]), 0)).toThrow('[scatter_max] Updates with 1 dimensions');
      expect(() => mx.scatterMin(a, mx.array([0.0]), mx.zeros([1, 1]), 0)).toThrow('[scatter_min] Got indices with invalid dtype');
      expect(() => mx.scatterProd(a, [0], mx.zeros([1, 1]), 1)).toThrow('[scatter_prod] Received invalid axis 1');
    });
  });

  it('scatterAdd and scatter vjp/jvp match finite differences', () => {
    checkGrads((a, u) => mx.scatterAdd(a, [[0, 2, 0]], u, [1]), [[2, 3], [3, 2, 1]]);
    checkGrads((a, u) => mx.scatter(a, [2, 0], u, 0), [[3, 2], [2, 1, 2]]);
  });

  it('scatterMax and scatterMin vjp/jvp follow the surviving value (MLX rule)', () => {
    checkGrads((a, u) => mx.scatterMax(a, [[0, 2, 0]], u, [1]), [[2, 3], [3, 2, 1]]);
    checkGrads((a, u) => mx.scatterMin(a, [1, 1, 0], u, 0), [[2, 3], [3, 1, 3]]);
    checkGrads((a, v) => a.at(':', [2, 0, 2]).maximum(v), [[3, 4], [3, 3]]);
  });
  // scatterProd's vjp and jvp: test/mlx_behaviour.test.ts (finite differences, zero updates).
});

describeEachBackend('index', () => {
  const input = (): mx.Array => mx.reshape(mx.arange(120, mx.float64), fx.index_input_shape);

  it('matches NumPy basic, advanced and mixed indexing', () => {
    mx.tidy(() => {
      const x = input();
      for (const c of fx.index) {
        const r = x.index(...entries(c.index));
        expect(r.shape, JSON.stringify(c.index)).toEqual(c.shape);
        if (r.size > 0) expect(r.tolist(), JSON.stringify(c.index)).toEqual(c.values);
      }
    });
  });

  it('takes Slice objects, mx index arrays of any integer dtype, and reads views', () => {
    mx.tidy(() => {
      const x = mx.reshape(mx.arange(12), [3, 4]);
      expect(x.index(mx.Slice(1), mx.Slice(null, null, -2)).tolist()).toEqual([[7, 5], [11, 9]]);
      expect(x.index(mx.Slice(-1, -4, -1), 0).tolist()).toEqual([8, 4, 0]);
      for (const it of INT_DTYPES) {
        expect(x.index(':', mx.array([3, 1], it)).tolist(), it.name).toEqual([[3, 1], [7, 5], [11, 9]]);
      }
      expect(x.T.index(mx.array([[0, -1]], mx.int32)).tolist()).toEqual([[[0, 4, 8], [3, 7, 11]]]);
      expect(mx.array(5).index().tolist()).toEqual(5);
      expect(mx.array(5).index(null, '...').shape).toEqual([1]);
      expect(x.index(1, 2).tolist()).toEqual(6);
    });
  });

  it('errors name the op', () => {
    mx.tidy(() => {
      const x = mx.zeros([2, 3]);
      expect(() => x.index(2)).toThrow('[index] Index 2 is out of bounds for axis 0 with size 2.');
      expect(() => x.index(0, 0, 0)).toThrow('[index] Too many indices');
      expect(() => x.index('...', '...')).toThrow('[index] An index can only have a single ellipsis');
      expect(() => x.index('::0')).toThrow('[index] Slice step cannot be zero.');
      expect(() => x.index('a:b')).toThrow('[index] Invalid slice');
      expect(() => x.index(mx.array([0.5]))).toThrow('Got indices with invalid dtype float32');
      expect(() => x.index(':', [3]).tolist()).toThrow('Index 3 is out of bounds for axis 1 with size 3.');
    });
  });

  it('vjp and jvp match finite differences (basic, advanced, mixed)', () => {
    checkGrads((a) => a.index('1:', '::-2'), [[3, 4]]);
    checkGrads((a) => a.index(-1, null, '...'), [[3, 4]]);
    checkGrads((a) => a.index([0, 2, 0], '1:3'), [[3, 4]]);
    checkGrads((a) => a.index([[1], [0]], 1, [2, 0]), [[2, 2, 3]]);
  });
});

describeEachBackend('at', () => {
  it('matches NumPy ufunc.at (repeated indices accumulate) and assignment', () => {
    mx.tidy(() => {
      const base = mx.array(fx.at_input, mx.float64);
      for (const c of fx.at) {
        const v = c.update_shape.length === 0 ? (c.update as number) : mx.array(c.update as number[], mx.float64);
        const at = base.at(...entries(c.index));
        const r = (at as unknown as Record<string, (v: mx.Operand) => mx.Array>)[c.op]!.call(at, v);
        expect(r.dtype).toBe(mx.float64);
        expectClose(r.tolist(), c.result, 1e-12);
      }
      expect(base.tolist()).toEqual(fx.at_input);
    });
  });

  it('keeps the array dtype and works on views', () => {
    mx.tidy(() => {
      const x = mx.zeros([2, 3], mx.int32);
      const y = x.at([0, 0, 1], [2, 2, 0]).add(1.9);
      expect(y.dtype).toBe(mx.int32);
      expect(y.tolist()).toEqual([[0, 0, 2], [1, 0, 0]]);
      const t = mx.reshape(mx.arange(6), [2, 3]).T;
      expect(t.at(1).set(-1).tolist()).toEqual([[0, 3], [-1, -1], [2, 5]]);
      expect(t.at('...', 0).maximum(mx.array([2, 2, 2])).tolist()).toEqual([[2, 3], [2, 4], [2, 5]]);
    });
  });

  it('add is differentiable with respect to the source and the updates', () => {
    checkGrads((a, v) => a.at([0, 2, 0]).add(v), [[3, 2], [3, 2]]);
    checkGrads((a, v) => a.at(':', [1, 1]).add(v), [[2, 3], [2, 1]]);
    checkGrads((a, v) => a.at('1:', -1).add(v), [[3, 2], [2]]);
    checkGrads((a, v) => a.at([1, 0], '::2').set(v), [[2, 3], [2, 2]]);
  });
});
