// conv3d, convTranspose3d and convGeneral (channels last, MLX's argument order and semantics)
// against PyTorch (fixtures/gen_conv3d.py): values and gradients of input and weight, in
// float32 (the direct primitive), float64 and float16 (the composition); finite differences of
// vjp and jvp, vmap against a loop, and MLX's errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import fixtureJson from './fixtures/conv3d.json';

interface Enc { shape: number[]; values: number[] }
type Op = 'conv3d' | 'conv_transpose3d' | 'conv_general';
interface Case { op: Op; inputs: Enc[]; args: Record<string, unknown>; out: Enc; cot: Enc; gx: Enc; gw: Enc }
const fixture = fixtureJson as unknown as { cases: Case[] };

const input = (e: Enc, dtype: mx.Dtype): mx.Array => mx.array(e.values, dtype).reshape(e.shape);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);

/** The case's op on x and w with its arguments as an options object. */
function run(c: Case, x: mx.Array, w: mx.Array): mx.Array {
  const a = c.args as never;
  if (c.op === 'conv3d') return mx.conv3d(x, w, a);
  if (c.op === 'conv_transpose3d') return mx.convTranspose3d(x, w, a);
  return mx.convGeneral(x, w, a);
}

describeEachBackend('conv3d', () => {
  it('matches PyTorch on every fixture case in float32, float64 and float16', () => {
    for (const [dtype, tol] of [[mx.float32, 1e-5], [mx.float64, 1e-9], [mx.float16, 0.05]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const [x, w] = c.inputs.map((e) => input(e, dtype)) as [mx.Array, mx.Array];
          const label = `${c.op} ${JSON.stringify(c.inputs.map((i) => i.shape))} ${JSON.stringify(c.args)} ${dtype}`;
          const y = run(c, x, w);
          expect(y.shape, label).toEqual(c.out.shape);
          expect(y.dtype, label).toBe(dtype);
          expectClose(flat(y), c.out.values, tol);
        });
      }
    }
  });

  it("has PyTorch's gradients w.r.t. input and weight (float32 direct path and float64)", () => {
    for (const [dtype, tol] of [[mx.float32, 1e-4], [mx.float64, 1e-9]] as const) {
      for (const c of fixture.cases) {
        mx.tidy(() => {
          const [x, w] = c.inputs.map((e) => input(e, dtype)) as [mx.Array, mx.Array];
          const [, [gx, gw]] = mx.vjp((a: mx.Array, b: mx.Array) => run(c, a, b), [x, w], [input(c.cot, dtype)]);
          expect(gx!.shape).toEqual(c.gx.shape);
          expectClose(flat(gx!), c.gx.values, tol);
          expectClose(flat(gw!), c.gw.values, tol);
        });
      }
    }
  });

  it('positional arguments mean the same as the options', () => {
    mx.tidy(() => {
      const x = mx.multiply(mx.arange(2 * 4 * 5 * 3 * 2, mx.float32).reshape(2, 4, 5, 3, 2), 0.01);
      const w = mx.multiply(mx.arange(4 * 2 * 3 * 2 * 1, mx.float32).reshape(4, 2, 3, 2, 1), 0.1);
      expectClose(flat(mx.conv3d(x, w, [1, 2, 1], 1, [2, 1, 1], 2)),
        flat(mx.conv3d(x, w, { stride: [1, 2, 1], padding: 1, dilation: [2, 1, 1], groups: 2 })), 1e-6);
      expectClose(flat(mx.convTranspose3d(x, w, 2, 1, 1, 1, 2)),
        flat(mx.convTranspose3d(x, w, { stride: 2, padding: 1, outputPadding: 1, groups: 2 })), 1e-6);
      expectClose(flat(mx.convGeneral(x, w, 1, [[1, 0, 0], [0, 1, 2]], 1, 2, 2, true)),
        flat(mx.convGeneral(x, w, { padding: [[1, 0, 0], [0, 1, 2]], inputDilation: 2, groups: 2, flip: true })), 1e-6);
      // convGeneral with defaults is conv3d; flip of a symmetric kernel changes nothing.
      const ws = mx.ones([3, 2, 2, 2, 2]);
      expectClose(flat(mx.convGeneral(x, ws, { flip: true })), flat(mx.conv3d(x, ws)), 1e-5);
      // 1-D and 2-D inputs go to convGeneral too.
      const x1 = mx.arange(5, mx.float32).reshape(1, 5, 1);
      expect(mx.convGeneral(x1, mx.array([1, 2], mx.float32).reshape(1, 2, 1), { flip: true }).reshape([-1]).tolist())
        .toEqual([1, 4, 7, 10]); // x[i] * 2 + x[i + 1] * 1 (flipped [1, 2])
      expect(mx.convGeneral(x1, mx.ones([1, 1, 1]), { inputDilation: 2 }).reshape([-1]).tolist())
        .toEqual([0, 0, 1, 0, 2, 0, 3, 0, 4]);
    });
  });

  it('has vjp and jvp that match finite differences', () => {
    checkGrads((x, w) => mx.conv3d(x, w, [2, 1, 1], 1, [1, 2, 1], 2), [[1, 4, 5, 4, 2], [2, 2, 2, 2, 1]]);
    checkGrads((x, w) => mx.convTranspose3d(x, w, [2, 1, 2], [1, 0, 1], 1, [1, 0, 0]), [[1, 3, 2, 3, 2], [2, 2, 2, 3, 2]]);
    checkGrads((x, w) => mx.convGeneral(x, w, { padding: [[1, -1, 0], [0, 2, 1]], inputDilation: [1, 2, 1], flip: true }),
      [[1, 3, 4, 3, 2], [2, 2, 2, 2, 2]]);
  });

  it('batches under vmap like a loop over the mapped axis (input, weight, both)', () => {
    mx.tidy(() => {
      const xs = mx.sin(mx.arange(3 * 1 * 4 * 4 * 3 * 2, mx.float32)).reshape(3, 1, 4, 4, 3, 2);
      const ws = mx.cos(mx.arange(3 * 4 * 2 * 2 * 2 * 1, mx.float32)).reshape(3, 4, 2, 2, 2, 1);
      const f = (x: mx.Array, w: mx.Array): mx.Array => mx.conv3d(x, w, { padding: 1, groups: 2, stride: [2, 1, 1] });
      const at = (a: mx.Array, i: number): mx.Array => mx.take(a, i, 0);
      for (const axes of [[0, null], [null, 0], [0, 0]] as const) {
        const mapped = mx.vmap(f, axes as unknown as number[])(axes[0] === 0 ? xs : at(xs, 0), axes[1] === 0 ? ws : at(ws, 0)) as mx.Array;
        for (let i = 0; i < 3; i++) {
          const ref = f(axes[0] === 0 ? at(xs, i) : at(xs, 0), axes[1] === 0 ? at(ws, i) : at(ws, 0));
          expectClose(flat(at(mapped, i)), flat(ref), 1e-5);
        }
      }
      // convTranspose3d under vmap of the input (its dilation and flip are ordinary ops).
      const g = (x: mx.Array): mx.Array => mx.convTranspose3d(x, at(ws, 0), { stride: 2, groups: 2 });
      const mt = mx.vmap(g)(xs) as mx.Array;
      for (let i = 0; i < 3; i++) expectClose(flat(at(mt, i)), flat(g(at(xs, i))), 1e-5);
    });
  });

  it('float16 follows float32 within half precision', () => {
    mx.tidy(() => {
      const x = mx.sin(mx.arange(2 * 5 * 4 * 6 * 4, mx.float32)).reshape(2, 5, 4, 6, 4);
      const w = mx.cos(mx.arange(6 * 3 * 2 * 3 * 2, mx.float32)).reshape(6, 3, 2, 3, 2);
      for (const f of [
        (a: mx.Array, b: mx.Array) => mx.conv3d(a, b, { padding: [1, 0, 1], groups: 2 }),
        (a: mx.Array, b: mx.Array) => mx.convTranspose3d(a, b, { stride: [1, 2, 1], groups: 2 }),
      ]) {
        const y32 = f(x, w);
        const y16 = f(x.astype(mx.float16), w.astype(mx.float16));
        expect(y16.dtype).toBe(mx.float16);
        expectClose(flat(y16), flat(y32), 0.05);
      }
    });
  });

  it("rejects bad shapes, groups and arguments with MLX's messages", () => {
    mx.tidy(() => {
      const x = mx.ones([1, 4, 4, 4, 2]);
      const w = mx.ones([2, 2, 2, 2, 2]);
      expect(() => mx.conv3d(mx.ones([4, 4, 4, 2]), w)).toThrow(
        '[conv3d] Invalid input array with 4 dimensions for 3D convolution. Expected an array with 5 dimensions following the format [N, ..., C_in].',
      );
      expect(() => mx.conv3d(x, mx.ones([2, 2, 2, 2]))).toThrow('[conv3d] Invalid weight array with 4 dimensions for 3D convolution.');
      expect(() => mx.conv3d(x, mx.ones([2, 2, 2, 2, 3]))).toThrow(
        '[conv3d] Expect the input channels in the input and weight array to match but got shapes - input: (1,4,4,4,2) and weight: (2,2,2,2,3)',
      );
      expect(() => mx.conv3d(x, mx.ones([2, 2, 2, 2, 1]), { groups: 3 })).toThrow('[conv3d] The input channels must be divisible by the number of groups.');
      expect(() => mx.conv3d(x, mx.ones([3, 2, 2, 2, 1]), { groups: 2 })).toThrow('[conv3d] If groups > 1, the output channels must be divisible by the number of groups.');
      expect(() => mx.conv3d(x, mx.ones([2, 5, 2, 2, 2]))).toThrow('[conv3d] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions.');
      expect(() => mx.conv3d(x, w, [1, 1])).toThrow('[conv3d] Invalid stride');
      expect(() => mx.conv3d(x, w, 1, -1)).toThrow('[conv3d] Invalid padding');
      expect(() => mx.conv3d(x, w, { dilation: 0 })).toThrow('[conv3d] Invalid dilation');
      expect(() => mx.conv3d(x.astype(mx.int32), w)).toThrow('[conv3d] Invalid input array with type int32.');
      expect(() => mx.convTranspose3d(x, mx.ones([2, 2, 2, 2]))).toThrow('[conv_transpose3d] Invalid weight array with 4 dimensions');
      expect(() => mx.convTranspose3d(x, w, { padding: 3 })).toThrow('[conv_transpose3d] Invalid output size');
      expect(() => mx.convGeneral(mx.ones([1, 2, 2, 2, 2, 2]), mx.ones([1, 1, 1, 1, 1, 2]))).toThrow(
        '[conv_general] Only works for inputs with 1-3 spatial dimensions.',
      );
      expect(() => mx.convGeneral(x, w, { inputDilation: 0 })).toThrow('[conv_general] Invalid inputDilation');
      expect(() => mx.convGeneral(x, w, { kernelDilation: [1, 2] })).toThrow('[conv_general] Invalid kernelDilation');
      expect(() => mx.convGeneral(x, w, { padding: [[-4, 0, 0], [0, 0, 0]] })).toThrow('[conv_general] Spatial dimensions of input after padding');
      expect(() => mx.convGeneral(x, w, { padding: [[0, 0, 0], [-3, 0, 0]] })).toThrow('[conv_general] Spatial dimensions of input after padding');
    });
  });

  it('handles 0-size batches', () => {
    mx.tidy(() => {
      expect(mx.conv3d(mx.zeros([0, 3, 3, 3, 2]), mx.ones([4, 2, 2, 2, 2])).shape).toEqual([0, 2, 2, 2, 4]);
      expect(mx.convTranspose3d(mx.zeros([0, 3, 3, 3, 2]), mx.ones([4, 2, 2, 2, 2])).shape).toEqual([0, 4, 4, 4, 4]);
    });
  });
});
