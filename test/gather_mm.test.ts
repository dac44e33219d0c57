// mx.gatherMm, mx.segmentedMm and mx.blockMaskedMm against NumPy references computed from
// their definitions (test/fixtures/gen_gather_mm.py), in float32 and float64; MLX's output
// shapes, index broadcasting and errors; vjp/jvp by finite differences; vmap against a loop.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkGrads } from './helpers/gradcheck.js';
import gatherFixture from './fixtures/gather_mm.json';

interface Enc { shape: number[]; values: number[]; kind: 'int' | 'float' }
interface GatherCase { a: Enc; b: Enc; lhs: Enc | null; rhs: Enc | null; sorted: boolean; out: Enc }
interface SegCase { a: Enc; b: Enc; segments: Enc; out: Enc }
interface MaskCase { a: Enc; b: Enc; block_size: number; mask_out: Enc | null; mask_lhs: Enc | null; mask_rhs: Enc | null; out: Enc }
const fixture = gatherFixture as unknown as { gather_mm: GatherCase[]; segmented_mm: SegCase[]; block_masked_mm: MaskCase[] };

const input = (e: Enc, dtype: mx.Dtype): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const idx = (e: Enc | null): mx.Array | null => (e === null ? null : mx.array(e.values, mx.int32).reshape(e.shape));
const mask = (e: Enc | null, dtype: mx.Dtype): mx.Array | null =>
  e === null ? null : e.values.every((v) => v === 0 || v === 1) && e.kind === 'int' ? input(e, mx.bool) : input(e, dtype);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

function expectClose(got: mx.Array, want: Enc, tol: number, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const g = flat(got);
  want.values.forEach((w, i) => expect(Math.abs(g[i]! - w), `${label} at ${i}: ${g[i]} vs ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w))));
}

const rand = (shape: number[], seed: number): mx.Array => mx.random.uniform(-1, 1, shape, mx.float64, { key: mx.random.key(seed) });

describeEachBackend('gatherMm', () => {
  it('matches the definition on every fixture case in float32 and float64', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-12]] as const) {
      fixture.gather_mm.forEach((c, k) => mx.tidy(() => {
        const out = mx.gatherMm(input(c.a, dtype), input(c.b, dtype), { lhsIndices: idx(c.lhs), rhsIndices: idx(c.rhs), sortedIndices: c.sorted });
        expect(out.dtype).toBe(dtype);
        expectClose(out, c.out, tol, `gather_mm case ${k} ${dtype}`);
      }));
    }
  });

  it('is matmul without indices and promotes like matmul', () => mx.tidy(() => {
    const a = rand([2, 3, 4], 1), b = rand([4, 5], 2);
    expect(flat(mx.gatherMm(a, b))).toEqual(flat(mx.matmul(a, b)));
    const out = mx.gatherMm(a.astype(mx.float16), b.astype(mx.float32), { rhsIndices: mx.array([0, 0], mx.int32) });
    expect(out.dtype).toBe(mx.float32);
    expect(out.shape).toEqual([2, 3, 5]);
  }));

  it('broadcasts the two index arrays together', () => mx.tidy(() => {
    const a = rand([3, 2, 4], 3), b = rand([5, 4, 2], 4);
    const out = mx.gatherMm(a, b, { lhsIndices: mx.array([[0], [2]], mx.int32), rhsIndices: mx.array([1, 4, 3], mx.int32) });
    expect(out.shape).toEqual([2, 3, 2, 2]);
    const want = mx.matmul(mx.take(a, mx.array([2], mx.int32), 0), mx.take(b, mx.array([3], mx.int32), 0));
    const got = flat(mx.take(out.reshape([6, 2, 2]), mx.array([5], mx.int32), 0));
    flat(want).forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-12));
  }));

  it('has MLX vjps for a and b (repeated indices accumulate) and a jvp, by finite differences', () => {
    const lhs = mx.array([1, 0, 1, 1], mx.int32);
    const rhs = mx.array([2, 2, 0, 1], mx.int32);
    checkGrads((a, b) => mx.gatherMm(a, b, { lhsIndices: lhs, rhsIndices: rhs }), [[2, 3, 4], [3, 4, 2]]);
    checkGrads((a, b) => mx.gatherMm(a, b, { rhsIndices: mx.array([[0], [2]], mx.int32) }), [[2, 3, 4], [3, 4, 5]]);
    checkGrads((a, b) => mx.gatherMm(a, b, { rhsIndices: mx.array([1, 0, 1], mx.int32) }), [[4], [2, 4, 3]]);
    mx.dispose([lhs, rhs]);
  });

  it('refuses a gradient with respect to the indices', () => mx.tidy(() => {
    const a = rand([2, 2, 2], 5), b = rand([2, 2, 2], 6);
    const f = (i: mx.Array): mx.Array => mx.sum(mx.gatherMm(a, b, { lhsIndices: i.astype(mx.uint32) }));
    expect(() => mx.grad(f)(mx.array([0, 1], mx.float32))).toThrow(/\[gather_mm\] Cannot calculate VJP with respect to indices/);
  }));

  it('vmaps like a loop over the batch', () => mx.tidy(() => {
    const a = rand([3, 2, 2, 4], 7), b = rand([3, 4, 2], 8);
    const rhs = mx.array([2, 0], mx.int32);
    const f = (x: mx.Array): mx.Array => mx.gatherMm(x, b, { rhsIndices: rhs });
    const got = mx.vmap(f)(a) as mx.Array;
    const want = mx.stack([0, 1, 2].map((i) => f(mx.take(a, mx.array(i, mx.int32), 0))));
    expect(flat(got)).toEqual(flat(want));
  }));

  it('raises MLX errors', () => mx.tidy(() => {
    const a = rand([2, 2, 3], 9), b = rand([2, 3, 2], 10);
    expect(() => mx.gatherMm(a, rand([2, 4, 2], 11), { rhsIndices: mx.array([0], mx.int32) })).toThrow(/\[gather_mm\] Last dimension of first input with shape \(2,2,3\) must match/);
    expect(() => mx.gatherMm(a, b, { rhsIndices: mx.array([0.5]) })).toThrow(/\[gather_mm\] Got rhs_indices with invalid dtype. Indices must be integral./);
    expect(() => mx.gatherMm(a.astype(mx.int32), b.astype(mx.int32), { rhsIndices: mx.array([0], mx.int32) })).toThrow(/\[gather_mm\] Only real floating point types are supported/);
    expect(() => mx.gatherMm(mx.array(1), b, { rhsIndices: mx.array([0], mx.int32) })).toThrow(/\[gather_mm\] Got 0 dimension input/);
    expect(() => mx.gatherMm(a, b, { rhsIndices: mx.array([5], mx.int32) }).tolist()).toThrow(/\[gather_mm\] Index 5 is out of range/);
  }));
});

describeEachBackend('segmentedMm', () => {
  it('matches the definition on every fixture case', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-12]] as const) {
      fixture.segmented_mm.forEach((c, k) => mx.tidy(() => {
        const out = mx.segmentedMm(input(c.a, dtype), input(c.b, dtype), idx(c.segments)!);
        expectClose(out, c.out, tol, `segmented_mm case ${k} ${dtype}`);
      }));
    }
  });

  it('differentiates in a and b (finite differences)', () => {
    const segs = mx.array([[0, 2], [1, 5], [3, 3]], mx.int32);
    checkGrads((a, b) => mx.segmentedMm(a, b, segs), [[2, 5], [5, 3]]);
    segs.dispose();
  });

  it('raises MLX errors', () => mx.tidy(() => {
    const a = rand([2, 4], 12), b = rand([4, 3], 13);
    expect(() => mx.segmentedMm(rand([1, 2, 4], 14), b, mx.array([[0, 4]], mx.int32))).toThrow(/\[segmented_mm\] Batched matmul not supported/);
    expect(() => mx.segmentedMm(a, b, mx.array([0, 4, 2], mx.int32))).toThrow(/\[segmented_mm\] The segments should have shape \(\.\.\., 2\) but \(3\) was provided./);
    expect(() => mx.segmentedMm(a, b, mx.array([[0, 4]], mx.float32))).toThrow(/\[segmented_mm\] Got segments with invalid dtype/);
  }));
});

describeEachBackend('blockMaskedMm', () => {
  it('matches the definition on every fixture case (bool and float masks, partial tiles)', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-12]] as const) {
      fixture.block_masked_mm.forEach((c, k) => mx.tidy(() => {
        const out = mx.blockMaskedMm(input(c.a, dtype), input(c.b, dtype), {
          blockSize: c.block_size, maskOut: mask(c.mask_out, dtype), maskLhs: mask(c.mask_lhs, dtype), maskRhs: mask(c.mask_rhs, dtype),
        });
        expectClose(out, c.out, tol, `block_masked_mm case ${k} ${dtype}`);
      }));
    }
  });

  it('keeps NaNs of a masked-out block out of the product, as a skipped block', () => mx.tidy(() => {
    const a = mx.concatenate([mx.full([32, 32], NaN), mx.ones([32, 32])], 1);
    const b = mx.ones([64, 32]);
    const out = mx.blockMaskedMm(a, b, { blockSize: 32, maskLhs: mx.array([[false, true]]) });
    expect(flat(out).every((v) => v === 32)).toBe(true);
  }));

  it('differentiates in a, b and float masks (finite differences)', () => {
    const mo = mx.array([[true, false], [true, true]]);
    checkGrads((a, b) => mx.blockMaskedMm(a, b, { blockSize: 32, maskOut: mo }), [[40, 33], [33, 34]], { rtol: 1e-4 });
    checkGrads(
      (a, b, ml, mr) => mx.blockMaskedMm(a, b, { blockSize: 32, maskLhs: ml, maskRhs: mr }),
      [[33, 40], [40, 2], [2, 2], [2, 1]],
      { rtol: 1e-4 },
    );
    mo.dispose();
  });

  it('raises MLX errors', () => mx.tidy(() => {
    const a = rand([40, 40], 15), b = rand([40, 40], 16);
    expect(() => mx.blockMaskedMm(a, b, { blockSize: 16, maskOut: mx.ones([3, 3], mx.bool) })).toThrow(/\[block_masked_mm\] Only block_sizes 32, 64 are supported/);
    expect(() => mx.blockMaskedMm(a.astype(mx.int32), b, { maskOut: mx.ones([2, 2], mx.bool) })).not.toThrow();
    expect(() => mx.blockMaskedMm(a.astype(mx.int32), b.astype(mx.int32), { maskOut: mx.ones([2, 2], mx.bool) })).toThrow(/\[block_masked_mm\] Only real floating point types/);
  }));
});
