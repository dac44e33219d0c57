// Issue #18's small core ops against NumPy (fixtures/core_ops.json from
// fixtures/gen_core_ops.py): diff, kron, vecdot, countNonzero, logicalXor, convolve,
// searchsorted, the window functions and broadcastShapes; the aliases (concat, permuteDims,
// asarray, positive, fullLike) and unstack; errors naming the op; finite-difference vjp/jvp
// and vmap against a loop for the differentiable / batchable ones.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import coreOpsFixture from './fixtures/core_ops.json';
import { expectValues, flat, num } from './helpers/encoded.js';

interface Enc { shape: number[]; kind: 'bool' | 'int' | 'float'; values: (number | string)[] }
const fixture = coreOpsFixture as unknown as {
  diff: { x: Enc; n: number; axis: number; prepend?: Enc | number; append?: Enc; out: Enc }[];
  kron: { a: Enc; b: Enc; out: Enc }[];
  vecdot: { a: Enc; b: Enc; axis: number; out: Enc }[];
  count_nonzero: { x: Enc; axis: number | number[] | null; keepdims: boolean; out: Enc }[];
  logical_xor: { a: Enc; b: Enc; out: Enc }[];
  convolve: { a: Enc; v: Enc; mode: mx.ConvolveMode; out: Enc }[];
  searchsorted: { a: Enc; v: Enc; side: mx.SearchSide; sorter?: Enc; out: Enc }[];
  windows: { name: 'bartlett' | 'blackman' | 'hamming' | 'hanning'; M: number; out: Enc }[];
  broadcast_shapes: { shapes: number[][]; out: number[] }[];
};

const defaultDtype = (e: Enc): mx.Dtype => (e.kind === 'bool' ? mx.bool : e.kind === 'int' ? mx.int32 : mx.float32);
const input = (e: Enc, dtype: mx.Dtype = defaultDtype(e)): mx.Array => {
  const vals = e.values.map(num);
  const x = dtype === mx.bool ? mx.array(vals.map((v) => v !== 0)) : mx.array(vals, dtype);
  return x.reshape(e.shape);
};

/** vmap(fn) over axis 0 of `x` equals stacking fn of each slice. */
function expectVmapLikeLoop(fn: (x: mx.Array) => mx.Array, x: mx.Array, label: string): void {
  mx.tidy(() => {
    const mapped = mx.vmap(fn)(x) as mx.Array;
    const looped = mx.stack(Array.from({ length: x.shape[0]! }, (_, i) => fn(mx.take(x, i, 0))));
    expect(mapped.shape, label).toEqual(looped.shape);
    expect(mx.allclose(mapped, looped, 1e-5, 1e-6).item(), label).toBe(true);
  });
}

describeEachBackend('core ops (issue #18)', () => {
  // ---- diff, kron, vecdot, countNonzero, logicalXor -----------------------------------------
  it('diff matches NumPy (n, axis, prepend/append, int and bool inputs)', () => {
    mx.tidy(() => {
      fixture.diff.forEach((c, i) => {
        const pre = c.prepend === undefined ? undefined : typeof c.prepend === 'number' ? c.prepend : input(c.prepend);
        const app = c.append === undefined ? undefined : input(c.append);
        const out = mx.diff(input(c.x), { n: c.n, axis: c.axis, prepend: pre, append: app });
        expectValues(out, c.out, 1e-6, `diff case ${i}`);
        if (c.x.kind !== 'float') expect(String(out.dtype), `diff case ${i} dtype`).toBe(c.x.kind === 'bool' ? 'bool' : 'int32');
      });
      // Positional n and axis, as MLX.
      expectValues(mx.diff(input(fixture.diff[2]!.x), 1, 0), fixture.diff[2]!.out, 1e-6, 'positional');
    });
  });

  it('kron and vecdot match NumPy', () => {
    mx.tidy(() => {
      for (const [i, c] of fixture.kron.entries()) expectValues(mx.kron(input(c.a), input(c.b)), c.out, 1e-6, `kron ${i}`);
      for (const [i, c] of fixture.vecdot.entries()) {
        expectValues(mx.vecdot(input(c.a), input(c.b), { axis: c.axis }), c.out, 1e-6, `vecdot ${i}`);
      }
    });
  });

  it('countNonzero and logicalXor match NumPy', () => {
    mx.tidy(() => {
      for (const [i, c] of fixture.count_nonzero.entries()) {
        const out = mx.countNonzero(input(c.x), { axis: c.axis, keepdims: c.keepdims });
        expect(String(out.dtype)).toBe('int32');
        expectValues(out, c.out, 0, `countNonzero ${i}`);
      }
      expectValues(mx.countNonzero(input(fixture.count_nonzero[1]!.x), 0), fixture.count_nonzero[1]!.out, 0, 'positional axis');
      for (const [i, c] of fixture.logical_xor.entries()) {
        const out = mx.logicalXor(input(c.a), input(c.b));
        expect(String(out.dtype)).toBe('bool');
        expectValues(out, c.out, 0, `logicalXor ${i}`);
      }
      expect(mx.logicalXor(mx.array([0, 3]), 1).tolist()).toEqual([true, false]);
    });
  });

  // ---- convolve, windows, searchsorted ------------------------------------------------------
  it('convolve matches NumPy in every mode, in either argument order', () => {
    mx.tidy(() => {
      for (const [i, c] of fixture.convolve.entries()) {
        expectValues(mx.convolve(input(c.a), input(c.v), c.mode), c.out, 1e-5, `convolve ${i} (${c.mode})`);
        expectValues(mx.convolve(input(c.a), input(c.v), { mode: c.mode }), c.out, 1e-5, `convolve ${i} options`);
      }
      const c = fixture.convolve[0]!;
      expectValues(mx.convolve(input(c.a), input(c.v)), c.out, 1e-5, 'default mode full');
    });
  });

  it('the window functions match NumPy (float32)', () => {
    mx.tidy(() => {
      for (const c of fixture.windows) {
        const w = mx[c.name](c.M);
        expect(String(w.dtype), `${c.name}(${c.M})`).toBe('float32');
        expectValues(w, c.out, 1e-6, `${c.name}(${c.M})`);
      }
    });
  });

  it('searchsorted matches NumPy (left/right, repeats, NaN, ints, sorter) and returns uint32', () => {
    mx.tidy(() => {
      for (const [i, c] of fixture.searchsorted.entries()) {
        const out = mx.searchsorted(input(c.a), input(c.v), { side: c.side, sorter: c.sorter ? input(c.sorter, mx.int32) : null });
        expect(String(out.dtype)).toBe('uint32');
        expectValues(out, c.out, 0, `searchsorted ${i} (${c.side})`);
      }
      const a = mx.array([1, 2, 2, 4]);
      // MLX's documented example.
      expect(mx.searchsorted(a, mx.array([0, 2, 3, 5])).tolist()).toEqual([0, 1, 3, 4]);
      expect(mx.searchsorted(a, mx.array([0, 2, 3, 5]), 'right').tolist()).toEqual([0, 3, 3, 4]);
      expect(mx.searchsorted(a, 2.5).tolist()).toBe(3);
      expect(mx.searchsorted(mx.array([], mx.float32), mx.array([1, 2])).tolist()).toEqual([0, 0]);
    });
  });

  it('broadcastShapes matches NumPy and names both shapes when it fails', () => {
    for (const c of fixture.broadcast_shapes) expect(mx.broadcastShapes(...c.shapes)).toEqual(c.out);
    expect(mx.broadcastShapes(3, [2, 1])).toEqual([2, 3]);
    expect(() => mx.broadcastShapes([2, 3], [4, 3])).toThrow('[broadcast_shapes] Shapes (2,3) and (4,3) cannot be broadcast.');
  });

  // ---- aliases and unstack ------------------------------------------------------------------
  it('concat, permuteDims, asarray, positive and fullLike are MLX\'s aliases', () => {
    mx.tidy(() => {
      const a = mx.arange(6).reshape([2, 3]);
      const b = mx.arange(6, 12).reshape([2, 3]);
      expect(mx.concat([a, b], 1).tolist()).toEqual(mx.concatenate([a, b], 1).tolist());
      expect(mx.concat([a, b]).shape).toEqual([4, 3]);
      expect(mx.concat([a, b], { axis: null }).shape).toEqual([12]);
      const c = mx.arange(24).reshape([2, 3, 4]);
      expect(mx.permuteDims(c, [2, 0, 1]).tolist()).toEqual(mx.transpose(c, [2, 0, 1]).tolist());
      expect(mx.permuteDims(c).shape).toEqual([4, 3, 2]);
      expect(mx.asarray([1, 2]).tolist()).toEqual([1, 2]);
      expect(String(mx.asarray([1, 2], mx.int32).dtype)).toBe('int32');
      expect(String(mx.asarray(a, { dtype: mx.float32 }).dtype)).toBe('float32');
      expect(mx.asarray(a).tolist()).toEqual(a.tolist());
      const p = mx.positive(mx.array([-1, 2], mx.int16));
      expect([p.tolist(), String(p.dtype)]).toEqual([[-1, 2], 'int16']);
      const f = mx.fullLike(a, 7);
      expect([f.shape, String(f.dtype), f.tolist()]).toEqual([[2, 3], 'int32', [[7, 7, 7], [7, 7, 7]]]);
      expect(String(mx.fullLike(a, 0.5, mx.float16).dtype)).toBe('float16');
      expect(mx.fullLike(a, mx.array([1, 2, 3])).tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
      // positive passes gradients straight through.
      const g = mx.grad((x: mx.Array) => mx.sum(mx.multiply(mx.positive(x), 3)))(mx.array([1, 2]));
      expect((g as mx.Array).tolist()).toEqual([3, 3]);
    });
  });

  it('unstack splits along an axis and drops it (the inverse of stack)', () => {
    mx.tidy(() => {
      const x = mx.arange(24).reshape([2, 3, 4]);
      const parts = mx.unstack(x, 1);
      expect(parts.length).toBe(3);
      parts.forEach((p, i) => expect(p.tolist()).toEqual(mx.take(x, i, 1).tolist()));
      expect(mx.stack(mx.unstack(x, { axis: -1 }), -1).tolist()).toEqual(x.tolist());
      expect(mx.unstack(mx.array([5]))[0]!.tolist()).toBe(5);
      expect(mx.unstack(mx.zeros([0, 2]))).toEqual([]);
      expect(() => mx.unstack(mx.array(1))).toThrow(/^\[unstack\]/);
      expect(() => mx.unstack(x, 3)).toThrow(/^\[unstack\] Invalid axis 3/);
    });
  });

  // ---- errors -------------------------------------------------------------------------------
  it('errors name the op', () => {
    mx.tidy(() => {
      const v = mx.array([1, 2, 3]);
      expect(() => mx.diff(mx.array(1))).toThrow(/^\[diff\]/);
      expect(() => mx.diff(v, -1)).toThrow(/^\[diff\] Order n must be a non-negative integer/);
      expect(() => mx.diff(v, 1, 2)).toThrow(/^\[diff\] Invalid axis 2/);
      expect(() => mx.kron(v, mx.zeros([0]))).toThrow('[kron] Input arrays cannot be empty.');
      expect(() => mx.convolve(mx.ones([2, 2]), v)).toThrow(/^\[convolve\] Inputs must be 1-D/);
      expect(() => mx.convolve(v, mx.zeros([0]))).toThrow('[convolve] Inputs cannot be empty.');
      expect(() => mx.convolve(v, v, 'wide' as mx.ConvolveMode)).toThrow(/^\[convolve\] Invalid mode/);
      expect(() => mx.searchsorted(mx.ones([2, 2]), v)).toThrow(/^\[searchsorted\] The sorted sequence must be 1-dimensional/);
      expect(() => mx.searchsorted(v, v, 'middle' as mx.SearchSide)).toThrow(/^\[searchsorted\] side must be/);
      expect(() => mx.hanning(2.5)).toThrow(/^\[hanning\] M must be an integer/);
      expect(() => mx.vecdot(mx.ones([2]), mx.ones([3]))).toThrow(/cannot be broadcast/);
    });
  });

  // ---- gradients and vmap -------------------------------------------------------------------
  it('diff, kron, vecdot and convolve: vjp and jvp match finite differences', () => {
    checkGrads((x) => mx.diff(x, 2, 0), [[5, 3]]);
    checkGrads((x, p) => mx.diff(x, { axis: 1, prepend: p }), [[3, 4], [3, 1]]);
    checkGrads((a, b) => mx.kron(a, b), [[2, 3], [3, 2]]);
    checkGrads((a, b) => mx.vecdot(a, b), [[3, 4], [4]]);
    for (const mode of ['full', 'same', 'valid'] as const) {
      checkGrads((a, v) => mx.convolve(a, v, mode), [[7], [4]]);
      checkGrads((a, v) => mx.convolve(a, v, mode), [[3], [6]]);
    }
  });

  it('diff, kron, vecdot, convolve, countNonzero and searchsorted vmap like a loop', () => {
    mx.tidy(() => {
      const x = mx.array(Float32Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i * 1.3)), [4, 6]);
      const w = mx.array([0.5, -1, 2]);
      const sorted = mx.sort(mx.array([3, -1, 2, 2, 7, 0.5]));
      expectVmapLikeLoop((r) => mx.diff(r, 2), x, 'diff');
      expectVmapLikeLoop((r) => mx.kron(r, w), x, 'kron');
      expectVmapLikeLoop((r) => mx.vecdot(r, mx.flip(r)), x, 'vecdot');
      expectVmapLikeLoop((r) => mx.convolve(r, w, 'same'), x, 'convolve same');
      expectVmapLikeLoop((r) => mx.convolve(w, r, 'full'), x, 'convolve swapped');
      expectVmapLikeLoop((r) => mx.countNonzero(mx.greater(r, 0)), x, 'countNonzero');
      expectVmapLikeLoop((r) => mx.searchsorted(sorted, r.multiply(4)), x, 'searchsorted');
    });
  });
});
