// MLX's python/tests/test_reduce.py, ported test by test (same names, shapes, dtypes, axes
// and tolerances). MLX draws its inputs with np.random and compares with NumPy; here the
// inputs are drawn with mx.random (a different generator, same distributions), read back,
// and NumPy's result is recomputed on the host (test/helpers/host_nd.ts: exact for the
// integer cases, float64 for the float ones). The complex NaN case, whose NumPy rule is
// not obvious, is checked against test/fixtures/mlx_reduce.json (gen_mlx_reduce.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mx from 'mlxjs';
import fixture from './fixtures/mlx_reduce.json';
import { describeEachBackend } from './helpers/backends.js';
import * as h from './helpers/host_nd.js';

const run = (fn: () => void) => (): void => {
  mx.tidy(() => {
    fn();
    return undefined;
  });
};

/** itertools.combinations(range(n) or list, k). */
function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([x, ...rest]);
  });
  return out;
}

/** itertools.permutations(range(n)). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  }
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const flipped = (x: mx.Array): mx.Array => x.index(mx.Slice(null, null, -1)); // x[::-1]
const expectClose = (actual: mx.Array, expected: h.Host, rtol = 1e-5, atol = 1e-8, what = ''): void => {
  expect(h.closeness(actual, expected, rtol, atol), what).toBe('');
};
const expectEqual = (actual: mx.Array, expected: h.Host, what = ''): void => expectClose(actual, expected, 0, 0, what);

type RedFn = (x: mx.Array, axis?: number | number[] | null, keepdims?: boolean) => mx.Array;
const RED: Record<string, RedFn> = {
  sum: mx.sum, prod: mx.prod, max: mx.max, min: mx.min, mean: mx.mean, var: mx.var as RedFn, all: mx.all, any: mx.any,
};

describeEachBackend('MLX test_reduce.py', (backend) => {
  for (const shape of [[5, 5, 1, 5, 5], [65, 65, 1, 65]]) {
    it(`test_axis_permutation_sums shape=[${shape}]`, run(() => {
      mx.random.seed(0);
      const xMlx = mx.multiply(mx.random.normal(shape), 128).astype(mx.int32);
      const xNpy = h.host(xMlx);
      for (const t of permutations(shape.length)) {
        const yNpy = h.transpose(xNpy, t);
        const yMlx = mx.transpose(xMlx, t);
        for (let n = 1; n <= shape.length; n++) {
          for (const a of combinations(range(shape.length), n)) {
            mx.tidy(() => expectEqual(mx.sum(yMlx, a), h.reduce(yNpy, 'sum', a), `t=${t} a=${a}`));
          }
        }
      }
    }));
  }

  it('test_expand_sums', run(() => {
    mx.random.seed(1);
    const xMlx = mx.random.normal([5, 1, 5, 1, 5, 1]);
    const xNpy = h.host(xMlx);
    for (let m = 1; m < 4; m++) {
      for (const ax of combinations([1, 3, 5], m)) {
        const shape = [5, 1, 5, 1, 5, 1].map((d, i) => (ax.includes(i) ? 5 : d));
        const yNpy = h.broadcastTo(xNpy, shape);
        const yMlx = mx.broadcastTo(xMlx, shape);
        for (let n = 1; n < 7; n++) {
          for (const a of combinations(range(6), n)) {
            mx.tidy(() => {
              const z = h.reduce(yNpy, 'sum', a);
              expectClose(mx.divide(mx.sum(yMlx, a), 1000), { shape: z.shape, data: z.data.map((v) => v / 1000) }, 1e-5, 1e-4, `shape=${shape} a=${a}`);
            });
          }
        }
      }
    }
  }));

  it('test_row_reduce_negative_stride', run(() => {
    const xNpy = h.flip0(h.hostOf([2, 65], range(130).map((i) => i + 1)));
    const xMlx = flipped(mx.reshape(mx.arange(1, 131), [2, 65]));
    for (const op of ['sum', 'max', 'min', 'mean', 'var'] as const) {
      expectClose(RED[op]!(xMlx, -1), h.reduce(xNpy, op, [-1]), 1e-5, 1e-8, op);
    }
  }));

  it('test_col_reduce_negative_stride', run(() => {
    // Exercises each of MLX's Metal column-reduction kernels on a negative-stride view.
    const cases: [number[], number[]][] = [
      [[2, 1024, 16], [1]],
      [[2, 2, 1024, 16], [2]],
      [[2, 512, 2, 2, 16], [1, 3]],
      [[2, 512, 64], [1]],
      [[2, 64, 512], [1]],
      [[2, 16, 16], [1]],
    ];
    for (const [shape, axis] of cases) {
      const size = h.sizeOf(shape);
      const xNpy = h.flip0(h.hostOf(shape, range(size).map((i) => i + 1)));
      const xMlx = flipped(mx.reshape(mx.arange(1, size + 1), shape));
      for (const op of ['sum', 'max', 'min', 'mean', 'var'] as const) {
        mx.tidy(() => expectClose(RED[op]!(xMlx, axis), h.reduce(xNpy, op, axis), 1e-5, 1e-8, `${shape} ${axis} ${op}`));
      }
      mx.tidy(() => {
        const xOnes = flipped(mx.ones(shape, mx.float32));
        expect(mx.all(mx.equal(mx.prod(xOnes, axis), 1)).item(), `${shape} prod`).toBe(true);
        const xBool = flipped(mx.ones(shape, mx.bool));
        for (const op of ['all', 'any'] as const) expect(mx.all(RED[op]!(xBool, axis)).item(), `${shape} ${op}`).toBe(true);
      });
    }
  }));

  it('test_dtypes', run(() => {
    mx.random.seed(2);
    const intDtypes = ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'int64', 'uint64', 'complex64'] as const;
    for (const dtype of [...intDtypes, 'float32'] as const) {
      // np.random.uniform(0, 2).astype(dtype): 0/1 for the integers, [0, 2) otherwise.
      const y = mx.random.uniform(0, 2, [3, 3, 3]).astype(mx[dtype]);
      const complex = dtype === 'complex64';
      const x = h.host(complex ? mx.real(y) : y);
      for (const op of ['sum', 'prod', 'min', 'max'] as const) {
        for (const axes of [null, 0, 1, 2, [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
          mx.tidy(() => {
            const rNp = h.reduce(x, op, axes === null ? null : typeof axes === 'number' ? [axes] : axes);
            const rMlx = RED[op]!(y, axes);
            const what = `${dtype} ${op} ${JSON.stringify(axes)}`;
            if (complex) {
              expect(rMlx.dtype, what).toBe(mx.complex64);
              // The imaginary parts are all 0, so NumPy's complex result is the real one.
              expectClose(mx.real(rMlx), rNp, 1e-5, 1e-4, what);
              expect(mx.all(mx.equal(mx.imag(rMlx), 0)).item(), what).toBe(true);
            } else {
              expectClose(rMlx, rNp, 1e-5, 1e-4, what);
            }
          });
        }
      }
    }
  }));

  it('test_arg_reduce', run(() => {
    mx.random.seed(3);
    const dtypes = ['uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32'] as const;
    for (const dtype of dtypes) {
      // np.random.rand(...).astype(dtype): all zeros for the integers.
      const x = mx.random.uniform(0, 1, [10, 12, 13]).astype(mx[dtype]);
      const data = h.host(x);
      for (const op of ['argmin', 'argmax'] as const) {
        for (let axis = 0; axis < 3; axis++) {
          for (const kd of [true, false]) {
            mx.tidy(() => expectEqual(mx[op](x, axis, kd), h.argReduce(data, op, axis, kd), `${dtype} ${op} ${axis} ${kd}`));
          }
        }
      }
      for (const op of ['argmin', 'argmax'] as const) {
        mx.tidy(() => {
          expectEqual(mx[op](x, { keepdims: true }), h.argReduce(data, op, null, true), `${dtype} ${op} keepdims`);
          expect(mx[op](x).item(), `${dtype} ${op}`).toBe(h.argReduce(data, op, null).data[0]);
        });
      }
    }
  }));

  it('test_edge_case', run(() => {
    mx.random.seed(4);
    const x = mx.transpose(mx.multiply(mx.random.normal([100, 1, 100, 100]), 128).astype(mx.int32), [0, 3, 1, 2]);
    const y = mx.sum(x, [0, 2, 3]);
    expectEqual(y, h.reduce(h.host(x), 'sum', [0, 2, 3]));
  }));

  it('test_zero_size', run(() => {
    // max and min have no identity, so they are only undefined when an axis being reduced
    // is itself empty; an array that is empty because of another axis reduces to an empty result.
    const cases: [number[], number | number[], number[]][] = [
      [[0, 2], -1, [0]],
      [[2, 0], 0, [0]],
      [[3, 0, 2], -1, [3, 0]],
      [[0, 3, 2], [1, 2], [0]],
    ];
    for (const [shape, axis, npShape] of cases) {
      const a = mx.zeros(shape, mx.float32);
      for (const op of ['max', 'min'] as const) {
        const out = RED[op]!(a, axis);
        mx.eval(out);
        expect(out.shape, `${op} ${shape} ${axis}`).toEqual(npShape);
      }
    }
    // Reducing an empty axis still raises, like NumPy.
    for (const [shape, axis] of [[[2, 0], -1], [[0, 2], 0], [[0, 0], -1]] as [number[], number][]) {
      const a = mx.zeros(shape);
      for (const op of ['max', 'min'] as const) {
        expect(() => mx.eval(RED[op]!(a, axis)), `${op} ${shape} ${axis}`).toThrow(new RegExp(`^\\[${op}\\] `));
      }
    }
    // sum and prod have identities, so an empty reduction returns them for every dtype.
    const dtypes = ['bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32'] as const;
    for (const dtype of dtypes) {
      const a = mx.zeros([0], mx[dtype]);
      for (const [op, identity] of [['sum', 0], ['prod', 1]] as const) {
        expect(Number(RED[op]!(a).item()), `${op} of empty ${dtype}`).toBe(identity);
      }
      // Empty because of another axis, reduced over a non-empty one.
      const b = mx.zeros([0, 3], mx[dtype]);
      for (const op of ['sum', 'prod'] as const) {
        const out = RED[op]!(b, -1);
        mx.eval(out);
        expect(out.shape, `${op} ${dtype}`).toEqual([0]);
      }
    }
  }));

  it('test_sum_bool', run(() => {
    mx.random.seed(5);
    const y = mx.greater(mx.random.uniform(0, 1, [10, 10, 10]), 0.5);
    const npsum = h.host(y).data.reduce((p, v) => p + v, 0);
    expect(mx.sum(y).item()).toBe(npsum);
  }));

  it('test_many_reduction_axes', run(() => {
    mx.random.seed(6);
    const check = (x: mx.Array, axes: number[]): void => {
      mx.tidy(() => {
        let expected = x;
        for (const ax of axes) expected = mx.sum(expected, ax, true);
        expect(mx.arrayEqual(mx.sum(x, axes, true), expected).item(), `${x.shape} ${axes}`).toBe(true);
      });
    };
    check(mx.random.randint(0, 10, [4, 4, 4, 4, 4]), [0, 2, 4]);
    check(mx.random.randint(0, 10, [4, 4, 4, 4, 4, 4, 4]), [0, 2, 4, 6]);
    check(mx.random.randint(0, 10, [4, 4, 4, 4, 4, 4, 4, 4, 4]), [0, 2, 4, 6, 8]);
    const x = mx.transpose(mx.random.randint(0, 10, [4, 4, 4, 4, 4, 4, 4, 4, 4, 128]), [1, 0, 2, 3, 4, 5, 6, 7, 8, 9]);
    check(x, [1, 3, 5, 7, 9]);
  }));

  it('test_nan_propagation', run(() => {
    mx.random.seed(7);
    const dtypes = ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float16', 'float32'] as const;
    for (const dtype of dtypes) {
      let x = mx.multiply(mx.random.normal([4, 4]), 10).astype(mx[dtype]);
      const indices = mx.reshape(mx.random.randint(0, 4, [6]), [3, 2]).tolist() as number[][];
      // x[i, j] = mx.nan (for the integer dtypes NaN becomes whatever the cast makes of it).
      for (const [i, j] of indices) x = x.at(i!, j!).set(NaN);
      const xNp = h.host(x);
      for (const op of ['max', 'min'] as const) {
        for (const axis of [0, 1]) {
          mx.tidy(() => expect(h.closeness(RED[op]!(x, axis), h.reduce(xNp, op, [axis]), 0, 0, true), `${dtype} ${op} ${axis}`).toBe(''));
        }
      }
    }
  }));

  it('test_nan_propagation_complex64', run(() => {
    // The four 2x2 arrays of MLX's test and NumPy's max/min of them along each axis.
    for (const c of fixture.complex_nan) {
      const pairs = c.input.map((v) => v.map((p) => (p === 'nan' ? NaN : (p as number))));
      const arr = mx.reshape(mx.view(mx.array(Float32Array.from(pairs.flat()), [4, 2]), mx.complex64), [2, 2]);
      for (const r of c.results) {
        const out = RED[r.op]!(arr, r.axis);
        const got = Array.from(out.toTypedArray() as Float32Array);
        const expected = r.value.map((v) => v.map((p) => (p === 'nan' ? NaN : (p as number))));
        // np.array_equal(equal_nan=True): the NaN positions (either part NaN) match, the rest are equal.
        expected.forEach(([re, im], k) => {
          const gotNan = Number.isNaN(got[2 * k]!) || Number.isNaN(got[2 * k + 1]!);
          const refNan = Number.isNaN(re!) || Number.isNaN(im!);
          const what = `${JSON.stringify(c.input)} ${r.op} axis=${r.axis} [${k}]`;
          expect(gotNan, what).toBe(refNan);
          if (!refNan) expect([got[2 * k], got[2 * k + 1]], what).toEqual([re, im]);
        });
      }
    }
  }));

  it('test_long_column', run(() => {
    mx.random.seed(8);
    const b = mx.multiply(mx.random.normal([8192, 64]), 32).astype(mx.int32);
    expectEqual(mx.sum(b, 0), h.reduce(h.host(b), 'sum', [0]));
  }));

  it('test_and_or_negative_zero', run(() => {
    // -0.0 equals zero but has its sign bit set, so it must not count as true.
    for (const dtype of ['float32', 'float16', 'float64', 'complex64'] as const) {
      for (const vals of [[0.0, -0.0], [-0.0, -0.0], new Array<number>(70).fill(-0.0), [-0.0, 0.0, 1.0], [0.5, 0.0]]) {
        const a = mx.array(vals, mx.float32).astype(mx[dtype]);
        expect(a.dtype).toBe(mx[dtype]);
        expect(mx.any(a).item(), `any ${dtype} ${vals}`).toBe(vals.some((v) => v !== 0));
        expect(mx.all(a).item(), `all ${dtype} ${vals}`).toBe(vals.every((v) => v !== 0));
      }
    }
    const x = mx.array([[0.0, -0.0], [1.0, 0.0], [-0.0, -0.0]], mx.float32);
    expect(mx.any(x, 1).tolist()).toEqual([false, true, false]);
    expect(mx.all(x, 1).tolist()).toEqual([false, false, false]);
  }));

  // Row r holds r % 251 and row 2**15 starts at offset 2**31, so a reduction that narrows
  // offsets or sizes to 32 bits reads the wrong rows. wasm32 cannot hold an array of more
  // than 2**31 elements at all (mlxjs raises "[array] ... more elements than this platform
  // can address"), so the test runs on the native backend only.
  // The 2 GiB array is made once and each check is its own test, so no single synchronous
  // test blocks vitest's worker for long.
  describe('test_large_offsets', () => {
    const rows = 2 ** 15 + 1;
    const cols = 2 ** 16;
    let rowMax: mx.Array;
    let x: mx.Array;
    const eq = (a: mx.Array, b: mx.Array): boolean => mx.tidy(() => mx.arrayEqual(a, b).item() as boolean);
    const onNative = backend === 'wasm' ? it.skip : it;
    beforeAll(() => {
      if (backend === 'wasm') return;
      // In a tidy: the intermediate arrays are freed, so the next backend can be switched to.
      [rowMax, x] = mx.tidy(() => {
        const r = mx.remainder(mx.arange(rows), 251).astype(mx.uint8);
        return [r, mx.contiguous(mx.broadcastTo(mx.expandDims(r, 1), [rows, cols]))];
      });
      mx.eval(x);
    });
    afterAll(() => {
      if (backend !== 'wasm') mx.dispose([x, rowMax]);
    });
    onNative('x[:, 7:].max(-1) and .min(-1)', run(() => {
      const tail = x.index(':', mx.Slice(7));
      expect(eq(mx.max(tail, -1), rowMax)).toBe(true);
      expect(eq(mx.min(tail, -1), rowMax)).toBe(true);
    }));
    onNative('x.reshape(rows, 256, 256)[:, 1:, 1:].max((1, 2))', run(() => {
      const y = mx.reshape(x, [rows, 256, 256]).index(':', mx.Slice(1), mx.Slice(1));
      expect(eq(mx.max(y, [1, 2]), rowMax)).toBe(true);
    }));
    onNative('x.reshape(rows, 16, 16, 256)[:, 1:, :, 1:].max((1, 3))', run(() => {
      const y = mx.reshape(x, [rows, 16, 16, 256]).index(':', mx.Slice(1), ':', mx.Slice(1));
      expect(eq(mx.max(y, [1, 3]), mx.broadcastTo(mx.expandDims(rowMax, 1), [rows, 16]))).toBe(true);
    }));
    // Reducing all 2**31 + 2**16 elements at once.
    onNative('x.max()', run(() => expect(mx.max(x).item()).toBe(250)));
    onNative('x.any()', run(() => expect(mx.any(x).item()).toBe(true)));
    onNative('x.all()', run(() => expect(mx.all(x).item()).toBe(false)));
  });

  // MLX runs this one only with Metal (@unittest.skipIf(not mx.metal.is_available())).
  it.skip('test_init_reduce_large_output: requires Metal in MLX; mlxjs has no Metal device here', () => undefined);
});
