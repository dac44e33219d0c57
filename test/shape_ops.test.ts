// The shape family (flatten ... trace, concatenate, split, pad ...) against NumPy fixtures,
// every dtype through concatenate and pad, strided and 0-size inputs, errors and gradients.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import shapeFixture from './fixtures/shape.json';

interface Input { shape: number[]; T: boolean }
interface Result { shape: number[]; values: unknown }
interface Case { op: string; inputs: Input[]; args: Record<string, unknown>; out: Result | Result[] }
const fixture = shapeFixture as unknown as { cases: Case[] };

/** arange(prod(shape)) reshaped (and transposed when T): the generator's inputs. */
function input(s: Input): mx.Array {
  const n = s.shape.reduce((a, b) => a * b, 1);
  const x = mx.arange(n, mx.float32).reshape(s.shape);
  return s.T ? x.T : x;
}

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const run: Record<string, (xs: mx.Array[], a: Args) => mx.Array | mx.Array[]> = {
  concatenate: (xs, a) => mx.concatenate(xs, a.axis),
  stack: (xs, a) => mx.stack(xs, a.axis),
  split: (xs, a) => mx.split(xs[0]!, a.indices, a.axis),
  tile: (xs, a) => mx.tile(xs[0]!, a.reps),
  repeat: (xs, a) => mx.repeat(xs[0]!, a.repeats, a.axis),
  pad: (xs, a) => mx.pad(xs[0]!, a.width, a.mode, a.value),
  roll: (xs, a) => mx.roll(xs[0]!, a.shift, a.axis),
  flip: (xs, a) => mx.flip(xs[0]!, a.axis),
  diag: (xs, a) => mx.diag(xs[0]!, a.k),
  diagonal: (xs, a) => mx.diagonal(xs[0]!, a.offset, a.axis1, a.axis2),
  trace: (xs, a) => mx.trace(xs[0]!, a.offset, a.axis1, a.axis2),
  flatten: (xs, a) => mx.flatten(xs[0]!, a.start, a.end),
  unflatten: (xs, a) => mx.unflatten(xs[0]!, a.axis, a.shape),
  squeeze: (xs, a) => mx.squeeze(xs[0]!, a.axis),
  expand_dims: (xs, a) => mx.expandDims(xs[0]!, a.axis),
  swapaxes: (xs, a) => mx.swapaxes(xs[0]!, a.axis1, a.axis2),
  moveaxis: (xs, a) => mx.moveaxis(xs[0]!, a.source, a.destination),
  atleast1d: (xs) => mx.atleast1d(xs[0]!),
  atleast2d: (xs) => mx.atleast2d(xs[0]!),
  atleast3d: (xs) => mx.atleast3d(xs[0]!),
  broadcast_arrays: (xs) => mx.broadcastArrays(...xs),
};

const DTYPES = [mx.bool, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32, mx.int64,
  mx.float16, mx.bfloat16, mx.float32, mx.float64];

/** Values as plain numbers (bool as 0/1, 64-bit integers without bigint). */
const nums = (x: mx.Array): unknown => x.astype(mx.float64).tolist();

describeEachBackend('shape family', () => {
  it('matches NumPy on every fixture case', () => {
    for (const c of fixture.cases) {
      mx.tidy(() => {
        const got = run[c.op]!(c.inputs.map(input), c.args);
        const outs = Array.isArray(got) ? got : [got];
        const want = Array.isArray(c.out) ? c.out : [c.out];
        const label = `${c.op} ${JSON.stringify(c.inputs)} ${JSON.stringify(c.args)}`;
        expect(outs.length, label).toBe(want.length);
        outs.forEach((y, i) => {
          expect(y.shape, label).toEqual(want[i]!.shape);
          expect(y.dtype, label).toBe(mx.float32);
          expect(y.tolist(), label).toEqual(want[i]!.values);
        });
      });
    }
  });

  it('concatenates and pads every dtype, keeping it', () => {
    for (const dt of DTYPES) {
      mx.tidy(() => {
        const a = mx.array([[0, 1], [2, 3]]).astype(dt);
        const b = mx.array([[1, 0]]).astype(dt);
        const c = mx.concatenate([a, b]);
        expect(c.dtype, String(dt)).toBe(dt);
        expect(nums(c), String(dt)).toEqual(dt === mx.bool ? [[0, 1], [1, 1], [1, 0]] : [[0, 1], [2, 3], [1, 0]]);
        // Along the last axis, with one input strided (a transposed).
        const d = mx.concatenate([a.T, mx.array([[1], [1]]).astype(dt)], 1);
        expect(d.dtype).toBe(dt);
        const t = dt === mx.bool ? [[0, 1, 1], [1, 1, 1]] : [[0, 2, 1], [1, 3, 1]];
        expect(nums(d), String(dt)).toEqual(t);
        const p = mx.pad(a, 1, 'constant', 1);
        expect(p.dtype).toBe(dt);
        const v = dt === mx.bool ? [0, 1, 1, 1] : [0, 1, 2, 3];
        expect(nums(p), String(dt)).toEqual([[1, 1, 1, 1], [1, v[0], v[1], 1], [1, v[2], v[3], 1], [1, 1, 1, 1]]);
        expect(nums(mx.pad(a, [[0, 0], [0, 1]], 'edge')), String(dt)).toEqual([[v[0], v[1], v[1]], [v[2], v[3], v[3]]]);
      });
    }
  });

  it('promotes dtypes across concatenated inputs', () => {
    mx.tidy(() => {
      const c = mx.concatenate([mx.array([-1], mx.int8), mx.array([200], mx.uint8)]);
      expect(c.dtype).toBe(mx.int16);
      expect(c.tolist()).toEqual([-1, 200]);
      const d = mx.concatenate([mx.array([true]), mx.array([1.5])]);
      expect(d.dtype).toBe(mx.float32);
      expect(d.tolist()).toEqual([1, 1.5]);
      expect(mx.concatenate([mx.array([1], mx.float16), mx.array([2], mx.bfloat16)]).dtype).toBe(mx.float32);
      expect(mx.stack([mx.array(1, mx.int32), mx.array(2.5, mx.float32)]).tolist()).toEqual([1, 2.5]);
      // pad's constant is cast to the input's dtype.
      expect(mx.pad(mx.array([1, 2], mx.int32), 1, 'constant', 2.7).tolist()).toEqual([2, 1, 2, 2]);
      expect(mx.pad(mx.array([1, 2], mx.int32), 1, { constantValues: 2.7 }).dtype).toBe(mx.int32);
      // NaN passes through as a value and as a pad constant.
      const n = mx.pad(mx.concatenate([mx.array([NaN]), mx.array([1])]), [0, 1], 'constant', NaN).tolist() as number[];
      expect(n.map((v) => Number.isNaN(v))).toEqual([true, false, true]);
      // trace keeps the input's dtype unless one is given.
      const m = mx.array([[1, 2], [3, 4]], mx.int32);
      expect(mx.trace(m).dtype).toBe(mx.int32);
      expect(mx.trace(m).item()).toBe(5);
      expect(mx.trace(m, { dtype: mx.float32 }).dtype).toBe(mx.float32);
      expect(mx.trace(m, 0, 0, 1, 'float64').item()).toBe(5);
      // As MLX, the diagonal is cast first and sum's accumulation rule follows: int8 sums in int32.
      const big = mx.array([[100, 0], [0, 100]], mx.int8);
      expect(mx.trace(big).dtype).toBe(mx.int32);
      expect(mx.trace(big).item()).toBe(200);
      expect(mx.trace(big, { dtype: mx.uint8 }).dtype).toBe(mx.uint32);
      expect(mx.trace(mx.array([[1.5, 0], [0, 2.5]], mx.float16)).dtype).toBe(mx.float16);
    });
  });

  it('handles 0-size inputs', () => {
    mx.tidy(() => {
      const e = mx.zeros([0, 3]);
      expect(mx.concatenate([e, mx.ones([2, 3])]).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
      expect(mx.concatenate([e, e]).shape).toEqual([0, 3]);
      expect(mx.stack([e, e], 1).shape).toEqual([0, 2, 3]);
      expect(mx.split(e, 3, 1).map((x) => x.shape)).toEqual([[0, 1], [0, 1], [0, 1]]);
      expect(mx.tile(e, [2, 2]).shape).toEqual([0, 6]);
      expect(mx.repeat(e, 2, 1).shape).toEqual([0, 6]);
      expect(mx.pad(e, 1).tolist()).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
      expect(mx.roll(e, 1).shape).toEqual([0, 3]);
      expect(mx.diagonal(e).shape).toEqual([0]);
      expect(mx.trace(e).item()).toBe(0);
      expect(mx.diag(mx.zeros([0])).shape).toEqual([0, 0]);
      expect(mx.flatten(e).shape).toEqual([0]);
      expect(mx.squeeze(mx.zeros([1, 0])).shape).toEqual([0]);
    });
  });

  it('reads through broadcast views and feeds other ops', () => {
    mx.tidy(() => {
      const b = mx.broadcastTo(mx.array([1, 2]), [3, 2]);
      expect(mx.concatenate([b, mx.zeros([1, 2])]).tolist()).toEqual([[1, 2], [1, 2], [1, 2], [0, 0]]);
      expect(mx.pad(b, [[0, 0], [1, 0]], 'edge').tolist()).toEqual([[1, 1, 2], [1, 1, 2], [1, 1, 2]]);
      const f = mx.flip(mx.arange(6).reshape(2, 3));
      expect(mx.add(f, 10).tolist()).toEqual([[15, 14, 13], [12, 11, 10]]);
      expect(mx.concatenate([f, f], 1).tolist()).toEqual([[5, 4, 3, 5, 4, 3], [2, 1, 0, 2, 1, 0]]);
      // diagonal is a view: of a flipped (negative-stride) and of a broadcast input.
      const m = mx.arange(9).reshape(3, 3);
      expect(mx.diagonal(mx.flip(m)).tolist()).toEqual([8, 4, 0]);
      expect(mx.add(mx.diagonal(mx.flip(m, 0), 1), 1).tolist()).toEqual([8, 6]);
      expect(mx.diagonal(mx.broadcastTo(mx.array([1, 2, 3]), [3, 3])).tolist()).toEqual([1, 2, 3]);
      expect(mx.trace(mx.flip(m, 1)).item()).toBe(12);
      // A non-contiguous region of the output (concatenation along the last axis of a 3-D array).
      const x = mx.arange(8).reshape(2, 2, 2);
      expect(mx.concatenate([x, mx.negative(x)], 2).tolist()).toEqual([
        [[0, 1, 0, -1], [2, 3, -2, -3]],
        [[4, 5, -4, -5], [6, 7, -6, -7]],
      ]);
    });
  });

  it('offers Array methods and options objects', () => {
    mx.tidy(() => {
      const x = mx.arange(6).reshape(1, 2, 3);
      expect(x.flatten().shape).toEqual([6]);
      expect(x.flatten(1).shape).toEqual([1, 6]);
      expect(mx.flatten(x, { startAxis: 0, endAxis: 1 }).shape).toEqual([2, 3]);
      expect(x.squeeze().shape).toEqual([2, 3]);
      expect(x.squeeze(0).shape).toEqual([2, 3]);
      expect(x.swapaxes(0, 2).shape).toEqual([3, 2, 1]);
      expect(x.moveaxis(2, 0).shape).toEqual([3, 1, 2]);
      expect(x.split(3, 2).map((p) => p.tolist())).toEqual([[[[0], [3]]], [[[1], [4]]], [[[2], [5]]]]);
      expect(mx.split(x, [1], { axis: 1 }).map((p) => p.shape)).toEqual([[1, 1, 3], [1, 1, 3]]);
      const m = mx.arange(9).reshape(3, 3);
      expect(m.diag().tolist()).toEqual([0, 4, 8]);
      expect(m.diag(-1).tolist()).toEqual([3, 7]);
      expect(m.diagonal(1).tolist()).toEqual([1, 5]);
      expect(mx.diagonal(m, { offset: -2 }).tolist()).toEqual([6]);
      expect(mx.diag(mx.array([1, 2]), { k: -1 }).tolist()).toEqual([[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
      expect(mx.concatenate([m, m], { axis: null }).shape).toEqual([18]);
      expect(mx.stack([m, m], { axis: 2 }).shape).toEqual([3, 3, 2]);
      expect(mx.repeat(mx.array([1, 2]), 2, { axis: 0 }).tolist()).toEqual([1, 1, 2, 2]);
      expect(mx.pad(mx.array([1, 2]), [1, 0], { mode: 'edge' }).tolist()).toEqual([1, 1, 2]);
      const [p, q] = mx.atleast2d(mx.array(1), mx.array([1, 2])) as mx.Array[];
      expect([p!.shape, q!.shape]).toEqual([[1, 1], [1, 2]]);
      const [r, s] = mx.broadcastArrays([mx.array([1, 2]), 3]);
      expect([r!.tolist(), s!.tolist()]).toEqual([[1, 2], [3, 3]]);
      expect(mx.expandDims(5, 0).tolist()).toEqual([5]);
      // Views share the input: flipping twice gives it back.
      expect(mx.flip(mx.flip(m, 0), [0]).tolist()).toEqual(m.tolist());
      expect(mx.roll(m, [1, 1], [0, 1]).tolist()).toEqual([[8, 6, 7], [2, 0, 1], [5, 3, 4]]);
    });
  });

  it('joins and splits more arrays than one core call carries', () => {
    mx.tidy(() => {
      const xs = Array.from({ length: 250 }, (_, i) => mx.array([[i, -i]], i % 2 === 0 ? mx.int8 : mx.uint8));
      const c = mx.concatenate(xs);
      expect(c.shape).toEqual([250, 2]);
      expect(c.dtype).toBe(mx.int16);
      expect((c.tolist() as number[][])[249]).toEqual([249, (256 - 249) % 256]);
      expect(mx.concatenate(xs, null).shape).toEqual([500]);
      const s = mx.stack(xs.map((x) => x.reshape(2)), 1);
      expect(s.shape).toEqual([2, 250]);
      expect((s.tolist() as number[][])[0]!.slice(0, 3)).toEqual([0, 1, 2]);
      expect(() => mx.stack([...xs, mx.zeros([3])])).toThrow('[stack] All arrays must have the same shape');
      const bs = mx.broadcastArrays([...Array.from({ length: 150 }, (_, i) => mx.array([i])), mx.zeros([3, 1])]);
      expect(bs.length).toBe(151);
      expect(bs[149]!.tolist()).toEqual([[149], [149], [149]]);
      expect(() => mx.broadcastArrays([...xs.map((x) => x.reshape(2)), mx.zeros([3])])).toThrow('[broadcast_arrays]');
      const a = mx.arange(400).reshape(200, 2);
      const parts = mx.split(a, 200);
      expect(parts.length).toBe(200);
      expect(parts[199]!.tolist()).toEqual([[398, 399]]);
      const cuts = [...Array.from({ length: 150 }, (_, i) => i + 1), 500, 3];
      const byIndex = mx.split(mx.arange(200), cuts);
      expect(byIndex.length).toBe(153);
      expect(byIndex.map((p) => p.size).slice(148)).toEqual([1, 1, 50, 0, 197]);
      expect(() => mx.split(a, 150)).toThrow('[split] Array split does not result in sub arrays with equal size');
      expect(() => mx.split(a, 200, 2)).toThrow('[split] Invalid axis 2');
    });
    checkGrads((a) => mx.concatenate(Array.from({ length: 120 }, (_, i) => mx.multiply(a!, i + 1)), 1), [[2, 1]]);
  });

  it('takes and returns 1000 arrays in one op call (lists travel as core vectors)', () => {
    mx.tidy(() => {
      // split into 1000 outputs, then concatenate and stack 1000 inputs, each one core op.
      const parts = mx.split(mx.arange(3000).reshape(1000, 3), 1000);
      expect(parts.length).toBe(1000);
      expect(parts[0]!.tolist()).toEqual([[0, 1, 2]]);
      expect(parts[999]!.tolist()).toEqual([[2997, 2998, 2999]]);
      const joined = mx.concatenate(parts, 1);
      expect(joined.shape).toEqual([1, 3000]);
      expect((joined.tolist() as number[][])[0]!.slice(2995)).toEqual([2995, 2996, 2997, 2998, 2999]);
      const rows = mx.stack(parts.map((p) => p.reshape(3)));
      expect(rows.shape).toEqual([1000, 3]);
      expect(mx.sum(rows).item()).toBe((2999 * 3000) / 2);
      const bs = mx.broadcastArrays([...parts.slice(0, 999), mx.zeros([2, 1])]);
      expect(bs.length).toBe(1000);
      expect(bs[998]!.tolist()).toEqual([[2994, 2995, 2996], [2994, 2995, 2996]]);
    });
  });

  it('rejects bad input with errors naming the op', () => {
    mx.tidy(() => {
      const x = mx.arange(6).reshape(2, 3);
      expect(() => mx.flatten(x, 2, 0)).toThrow('[flatten]');
      expect(() => mx.flatten(x, 5)).toThrow('[flatten] start_axis must be less than or equal to end_axis.');
      expect(() => mx.flatten(mx.zeros([100000, 100000, 0]), 0, 1)).toThrow('[flatten] The flattened axis would be too large.');
      expect(() => mx.unflatten(x, 1, [2, 2])).toThrow('[unflatten] Cannot unflatten axis 1 with size 3');
      expect(() => mx.unflatten(x, 1, [-1, -1])).toThrow('[unflatten]');
      expect(() => mx.unflatten(x, 1, [])).toThrow('[unflatten] Shape to unflatten to cannot be empty.');
      expect(() => mx.unflatten(x, 3, [3])).toThrow('[unflatten] Invalid axis');
      expect(() => mx.squeeze(x, 0)).toThrow('[squeeze] Cannot squeeze axis 0 with size 2');
      expect(() => mx.squeeze(x, 2)).toThrow('[squeeze] Invalid axis 2');
      expect(() => mx.expandDims(x, 3)).toThrow('[expand_dims] Invalid axis 3');
      expect(() => mx.expandDims(x, [0, 0])).toThrow('[expand_dims] Received duplicate axes.');
      expect(() => mx.swapaxes(x, 0, 2)).toThrow('[swapaxes] Invalid axis 2 for array with 2 dimensions.');
      expect(() => mx.moveaxis(x, -3, 0)).toThrow('[moveaxis] Invalid axis -3');
      expect(() => mx.broadcastArrays(x, mx.zeros([3, 3]))).toThrow('[broadcast_arrays]');
      expect(() => mx.concatenate([])).toThrow('[concatenate] No arrays provided');
      expect(() => mx.concatenate([x, mx.zeros([2, 2])])).toThrow('[concatenate] All the input array dimensions must match');
      expect(() => mx.concatenate([x, mx.zeros([6])])).toThrow('[concatenate] All the input arrays must have the same number of dimensions');
      expect(() => mx.concatenate([x, x], 2)).toThrow('[concatenate] Invalid axis (2)');
      expect(() => mx.concatenate([mx.array(1), mx.array(2)])).toThrow('[concatenate] Invalid axis');
      expect(() => mx.stack([x, x.T])).toThrow('[stack] All arrays must have the same shape');
      expect(() => mx.stack([])).toThrow('[stack] No arrays provided');
      expect(() => mx.stack([x], 3)).toThrow('[stack] Invalid axis 3');
      expect(() => mx.split(x, 2, 1)).toThrow('[split] Array split does not result in sub arrays with equal size');
      expect(() => mx.split(x, 0)).toThrow('[split]');
      expect(() => mx.split(x, 1, 2)).toThrow('[split] Invalid axis 2 passed to split for array with shape (2,3).');
      expect(() => mx.tile(x, [-1])).toThrow('[tile]');
      expect(() => mx.repeat(x, -1)).toThrow('[repeat] Number of repeats cannot be negative.');
      expect(() => mx.repeat(x, 2, 2)).toThrow('[repeat] Invalid axis 2');
      expect(() => mx.pad(x, -1)).toThrow('[pad] Invalid low padding size (-1) passed to pad for axis 0.');
      expect(() => mx.pad(x, [[0, 1], [1, -2]])).toThrow('[pad] Invalid high padding size (-2) passed to pad for axis 1.');
      expect(() => mx.pad(x, [[1, 1], [1, 1], [1, 1]])).toThrow('[pad] Invalid number of padding sizes');
      expect(() => mx.pad(x, 1, 'constant', mx.zeros([2]))).toThrow('[pad] Constant value must be a scalar');
      expect(() => mx.pad(x, 1, 'reflect' as 'edge')).toThrow("[pad] Parameter 'mode' must be one of 'constant', 'edge', got \"reflect\".");
      expect(() => mx.pad(mx.zeros([0]), 1, 'edge')).toThrow('[pad] Cannot pad an empty axis');
      expect(() => mx.roll(x, [1, 2], 0)).toThrow('[roll] The shift and axes must have the same size');
      expect(() => mx.roll(x, 1, 2)).toThrow('[roll] Invalid axis 2');
      expect(() => mx.roll(x, [1, 2])).toThrow('[roll]');
      expect(() => mx.flip(x, 2)).toThrow('[flip] Invalid axis 2');
      expect(() => mx.diag(mx.zeros([2, 2, 2]))).toThrow('[diag] array must be 1-D or 2-D, got array with 3 dimensions.');
      expect(() => mx.diagonal(mx.zeros([2]))).toThrow('[diagonal] Array must have at least two dimensions');
      expect(() => mx.diagonal(x, 0, 1, 1)).toThrow('[diagonal] axis1 and axis2 cannot be the same axis.');
      expect(() => mx.diagonal(x, 0, 0, 2)).toThrow('[diagonal] Invalid axis2 2');
      expect(() => mx.trace(mx.zeros([3]))).toThrow('[trace] Array must have at least two dimensions, but got 1 dimensions.');
      expect(() => mx.trace(x, 0, 0, 2)).toThrow('[trace] Invalid axis2 2');
      expect(() => mx.trace(x, 0, 1, -1)).toThrow('[trace] axis1 and axis2 cannot be the same axis.');
    });
  });

  it('has correct vjp and jvp for every differentiable op', () => {
    checkGrads((a, b, c) => mx.concatenate([a!, b!, c!], 1), [[2, 3], [2, 1], [2, 2]]);
    checkGrads((a, b) => mx.concatenate([a!, b!.T]), [[1, 3], [3, 2]]);
    checkGrads((a, b) => mx.concatenate([a!, b!], { axis: null }), [[2, 2], [3]]);
    checkGrads((a, b) => mx.concatenate([a!, b!]), [[2, 2], [1, 2]], { argnums: [1] });
    checkGrads((a, b) => mx.stack([a!, b!], -1), [[2, 3], [2, 3]]);
    checkGrads((a) => mx.split(a!, 3, 1)[1]!, [[2, 6]]);
    checkGrads((a) => mx.multiply(mx.split(a!, [1, 3])[2]!, 2), [[5, 2]]);
    checkGrads((a) => mx.tile(a!, [2, 3]), [[2, 2]]);
    checkGrads((a) => mx.repeat(a!, 3, 1), [[2, 2]]);
    checkGrads((a) => mx.repeat(a!, 2), [[2, 2]]);
    checkGrads((a) => mx.pad(a!, [[1, 2], [0, 1]], 'constant', 3), [[2, 3]]);
    checkGrads((a) => mx.pad(a!, [[1, 2], [2, 1]], 'edge'), [[2, 3]]);
    checkGrads((a) => mx.roll(a!, [1, -2], [0, 1]), [[3, 4]]);
    checkGrads((a) => mx.roll(a!, 5), [[2, 3]]);
    checkGrads((a) => mx.flip(a!, 1), [[2, 3]]);
    checkGrads((a) => mx.diag(a!, 1), [[3]]);
    checkGrads((a) => mx.diag(a!, -1), [[3, 4]]);
    checkGrads((a) => mx.diagonal(a!, 1, 2, 0), [[3, 2, 4]]);
    checkGrads((a) => mx.trace(a!, -1), [[3, 3]]);
    checkGrads((a) => mx.flatten(a!, 1), [[2, 3, 2]]);
    checkGrads((a) => mx.unflatten(a!, 0, [2, 3]), [[6, 2]]);
    checkGrads((a) => mx.squeeze(a!), [[1, 3, 1]]);
    checkGrads((a) => mx.expandDims(a!, [0, 2]), [[2, 3]]);
    checkGrads((a) => mx.swapaxes(a!, 0, 2), [[2, 3, 2]]);
    checkGrads((a) => mx.moveaxis(a!, 0, 2), [[2, 3, 2]]);
    checkGrads((a) => mx.atleast3d(a!), [[3]]);
    checkGrads((a, b) => { const [p, q] = mx.broadcastArrays(a!, b!); return mx.multiply(p!, q!); }, [[2, 1], [3]]);
  });
});
