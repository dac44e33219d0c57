// mx.gatherQmm beyond MLX's own tests (test/quantized_mlx.test.ts): the index broadcasting
// and output shape against a loop of quantizedMatmul over the selected matrices, vmap over
// each operand against a loop, the vjp with respect to x for transpose false against the
// dequantized reference, and what is refused (out-of-range indices, bad index dtypes).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { lcgData } from './helpers/data.js';

const maxDiff = (a: mx.Array, b: mx.Array): number =>
  mx.tidy(() => mx.max(mx.abs(mx.subtract(a, b))).item() as number);

describeEachBackend('gatherQmm', () => {
  for (const mode of ['affine', 'mxfp4', 'nvfp4', 'mxfp8'] as const) {
    it(`${mode}: broadcast indices select the matrices, as quantizedMatmul per pair`, () => {
      mx.tidy(() => {
        const x = mx.array(lcgData(3 * 2 * 64, 1), [3, 2, 64]);
        const q = mx.quantize(mx.array(lcgData(4 * 8 * 64, 2), [4, 8, 64]), { mode });
        const [wq, s, b] = [q[0]!, q[1]!, q[2] ?? null];
        const lhs = mx.array([[2], [0]], mx.int32); // [2, 1]
        const rhs = mx.array([3, 1, 0], mx.uint32); // [3] -> broadcast [2, 3]
        const y = mx.gatherQmm(x, wq, s, b, { lhsIndices: lhs, rhsIndices: rhs, mode });
        expect(y.shape).toEqual([2, 3, 2, 8]);
        const parts: mx.Array[] = [];
        for (const i of [2, 0]) {
          for (const j of [3, 1, 0]) {
            parts.push(mx.quantizedMatmul(mx.take(x, i, 0), mx.take(wq, j, 0), mx.take(s, j, 0), b && mx.take(b, j, 0), { mode }));
          }
        }
        // the same products; affine sums in another order than quantizedMatmul's kernel
        expect(maxDiff(y, mx.reshape(mx.stack(parts), [2, 3, 2, 8]))).toBeLessThan(1e-5);
      });
    });
  }

  it('vmap over x, over the weights, and over the indices equals a loop', () => {
    mx.tidy(() => {
      const xs = mx.array(lcgData(2 * 3 * 1 * 32, 3), [2, 3, 1, 32]); // mapped axis 0, per element [3, 1, 32]
      const [wq, s, b] = mx.quantize(mx.array(lcgData(2 * 4 * 8 * 32, 4), [2, 4, 8, 32]), { groupSize: 32, bits: 4 });
      const rhs = mx.array([[1, 3, 0], [2, 2, 1]], mx.uint32);
      const op = (x: mx.Array, w: mx.Array, sc: mx.Array, bi: mx.Array, r: mx.Array): mx.Array =>
        mx.gatherQmm(x, w, sc, bi, { rhsIndices: r, groupSize: 32, bits: 4 });
      const at = (a: mx.Array, i: number): mx.Array => mx.take(a, i, 0);
      // everything mapped
      const got = mx.vmap(op)(xs, wq, s, b, rhs) as mx.Array;
      const loop = mx.stack([0, 1].map((i) => op(at(xs, i), at(wq, i), at(s, i), at(b, i), at(rhs, i))));
      expect(got.shape).toEqual(loop.shape);
      expect(maxDiff(got, loop)).toBeLessThan(1e-6);
      // only x mapped
      const w0 = at(wq, 0), s0 = at(s, 0), b0 = at(b, 0), r0 = at(rhs, 0);
      const gotX = mx.vmap((x: mx.Array) => op(x, w0, s0, b0, r0))(xs) as mx.Array;
      const loopX = mx.stack([0, 1].map((i) => op(at(xs, i), w0, s0, b0, r0)));
      expect(maxDiff(gotX, loopX)).toBeLessThan(1e-6);
      // only the indices mapped
      const x0 = at(xs, 0);
      const gotR = mx.vmap((r: mx.Array) => op(x0, w0, s0, b0, r))(rhs) as mx.Array;
      const loopR = mx.stack([0, 1].map((i) => op(x0, w0, s0, b0, at(rhs, i))));
      expect(maxDiff(gotR, loopR)).toBeLessThan(1e-6);
      // only the weights mapped
      const gotW = mx.vmap((w: mx.Array, sc: mx.Array, bi: mx.Array) => op(x0, w, sc, bi, r0))(wq, s, b) as mx.Array;
      const loopW = mx.stack([0, 1].map((i) => op(x0, at(wq, i), at(s, i), at(b, i), r0)));
      expect(maxDiff(gotW, loopW)).toBeLessThan(1e-6);
    });
  });

  it('vjp with respect to x, transpose false, matches the dequantized reference', () => {
    mx.tidy(() => {
      const x = mx.array(lcgData(3 * 2 * 64, 5), [3, 2, 64]);
      const [wq, s] = mx.quantize(mx.array(lcgData(2 * 64 * 32, 6), [2, 64, 32]), { mode: 'mxfp8' });
      const wHat = mx.dequantize(wq!, s!, null, { mode: 'mxfp8', dtype: mx.float32 });
      const lhs = mx.array([0, 2, 2, 1], mx.uint32), rhs = mx.array([1, 0, 1, 1], mx.uint32);
      const cot = mx.array(lcgData(4 * 2 * 32, 7), [4, 2, 32]);
      const [, [dx]] = mx.vjp((xx) => mx.gatherQmm(xx, wq!, s!, null, { lhsIndices: lhs, rhsIndices: rhs, transpose: false, mode: 'mxfp8' }),
        [x], [cot]);
      // dx[l] += cot[i] @ W[r]^T over the pairs (i: l = lhs[i], r = rhs[i])
      const rows = [0, 1, 2].map((l) => {
        let acc = mx.zeros([2, 64]);
        [0, 2, 2, 1].forEach((li, i) => {
          if (li === l) acc = mx.add(acc, mx.matmul(mx.take(cot, i, 0), mx.take(wHat, [1, 0, 1, 1][i]!, 0).T));
        });
        return acc;
      });
      expect(maxDiff(dx!, mx.stack(rows))).toBeLessThan(1e-4);
    });
  });

  it('refuses out-of-range and non-integer indices', () => {
    mx.tidy(() => {
      const x = mx.ones([2, 1, 32]);
      const [wq, s, b] = mx.quantize(mx.ones([3, 4, 32]), { groupSize: 32, bits: 4 });
      expect(() => mx.eval(mx.gatherQmm(x, wq, s, b, { rhsIndices: mx.array([3], mx.uint32), groupSize: 32 })))
        .toThrow(/\[gather_qmm\] Index 3 is out of range/);
      expect(() => mx.eval(mx.gatherQmm(x, wq, s, b, { lhsIndices: mx.array([2], mx.uint32), rhsIndices: mx.array([0], mx.uint32), groupSize: 32 })))
        .toThrow(/\[gather_qmm\] Index 2 is out of range/);
      expect(() => mx.gatherQmm(x, wq, s, b, { rhsIndices: mx.array([0.5]), groupSize: 32 }))
        .toThrow('[gather_qmm] Got rhs_indices with invalid dtype. Indices must be integral.');
      expect(() => mx.gatherQmm(mx.ones([32]), wq, s, b, { rhsIndices: mx.array([0], mx.uint32), groupSize: 32 }))
        .toThrow('[gather_qmm] Non-quantized input must have at least two dimensions but got input with shape (32).');
      expect(() => mx.gatherQmm(x, wq, s, b, { rhsIndices: mx.array([0], mx.uint32), groupSize: 32, mode: 'mxfp4' }))
        .toThrow("[gather_qmm] Biases must be null for quantization mode 'mxfp4'.");
    });
  });
});
