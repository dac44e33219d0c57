// The direct float32 convolution primitive (conv_direct, 1 to 3 spatial axes: input patches
// packed straight into the GEMM) against the composition (pad + strided slices + matmul),
// which float64 still takes and which the fixtures and finite differences in conv.test.ts
// and conv3d.test.ts check: values, vjp, jvp, second order gradients and vmap, on odd sizes,
// strides, dilation, groups, padding, batches, strided views and blocks larger than the
// GEMM's cache blocks.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

type Opts = { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; groups?: number };
interface Case { x: number[]; w: number[]; o: Opts }

const cases2d: Case[] = [
  { x: [1, 7, 5, 3], w: [4, 3, 3, 3], o: { padding: 1 } },
  { x: [2, 9, 8, 4], w: [5, 3, 2, 4], o: { stride: 2 } },
  { x: [1, 10, 9, 2], w: [3, 3, 3, 2], o: { dilation: 2, padding: 2 } },
  { x: [3, 6, 7, 4], w: [6, 2, 3, 2], o: { groups: 2, padding: [1, 2], stride: [2, 1] } },
  { x: [1, 4, 4, 3], w: [2, 1, 1, 3], o: { padding: 2 } },
  { x: [1, 5, 5, 6], w: [9, 2, 2, 2], o: { groups: 3, dilation: [1, 2], padding: [0, 1] } },
  // K = 3*3*70 = 630 > 512 (two K blocks), 312 output rows (several row blocks, threads),
  // 9 output channels (a partial column panel).
  { x: [2, 12, 13, 70], w: [9, 3, 3, 70], o: { padding: 1 } },
];
const cases3d: Case[] = [
  { x: [1, 5, 6, 4, 3], w: [4, 3, 3, 2, 3], o: { padding: 1 } },
  { x: [2, 7, 5, 6, 4], w: [6, 2, 3, 3, 2], o: { stride: [2, 1, 2], groups: 2 } },
  { x: [1, 8, 7, 7, 2], w: [3, 3, 2, 3, 2], o: { dilation: [2, 1, 2], padding: [2, 0, 1] } },
  // K = 27 * 40 = 1080 (several K blocks), 360 output rows.
  { x: [2, 6, 6, 5, 40], w: [7, 3, 3, 3, 40], o: { padding: 1 } },
];
const cases1d: Case[] = [
  { x: [2, 11, 3], w: [4, 3, 3], o: { stride: 2, padding: 1, dilation: 2 } },
  { x: [1, 9, 4], w: [4, 2, 2], o: { groups: 2, padding: 1 } },
];

/** Deterministic values in [-1, 1]. */
function values(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  return Float64Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2147483648 - 1;
  });
}
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const make = (shape: number[], seed: number): mx.Array => mx.array(values(size(shape), seed), shape, mx.float64);
const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).reshape([-1]).toTypedArray() as Float64Array);
const conv = (c: Case) => (x: mx.Array, w: mx.Array): mx.Array =>
  c.x.length === 3 ? mx.conv1d(x, w, c.o as { stride?: number }) : c.x.length === 4 ? mx.conv2d(x, w, c.o) : mx.conv3d(x, w, c.o);

describeEachBackend('conv_direct', () => {
  it('matches the float64 composition on strides, dilation, groups, padding and batches', () => {
    [...cases2d, ...cases1d, ...cases3d].forEach((c, i) => {
      mx.tidy(() => {
        const x = make(c.x, 11 + i);
        const w = make(c.w, 101 + i);
        const ref = conv(c)(x, w);
        const y = conv(c)(x.astype(mx.float32), w.astype(mx.float32));
        expect(y.dtype).toBe(mx.float32);
        expect(y.shape, JSON.stringify(c)).toEqual(ref.shape);
        expectClose(flat(y), flat(ref), 2e-5 * Math.sqrt(size(c.w.slice(1))));
        // float16 keeps the composition path and its precision.
        const h = conv(c)(x.astype(mx.float16), w.astype(mx.float16));
        expect(h.dtype).toBe(mx.float16);
        expectClose(flat(h), flat(ref), 0.02 * Math.sqrt(size(c.w.slice(1))));
      });
    });
  });

  it('reads non-contiguous inputs through their strides', () => {
    mx.tidy(() => {
      const w = make([5, 3, 3, 4], 3);
      const base = make([2, 4, 7, 6], 4); // [N, C, H, W]
      const views = [
        mx.transpose(base, [0, 2, 3, 1]), // channels strided: [2, 7, 6, 4]
        mx.transpose(make([2, 6, 7, 4], 5), [0, 2, 1, 3]), // H and W swapped: [2, 7, 6, 4]
        mx.slice(make([2, 14, 6, 8], 6), [0, 0, 0, 1], [2, 14, 6, 8], [1, 2, 1, 2]), // every other row and channel
      ];
      for (const v of views) {
        const ref = mx.conv2d(v, w, { stride: [1, 2], padding: 1 });
        const y = mx.conv2d(v.astype(mx.float32), w.astype(mx.float32), { stride: [1, 2], padding: 1 });
        const yt = mx.conv2d(mx.transpose(v, [0, 1, 2, 3]).astype(mx.float32), w.astype(mx.float32), { stride: [1, 2], padding: 1 });
        expectClose(flat(y), flat(ref), 1e-4);
        expectClose(flat(yt), flat(ref), 1e-4);
      }
      // A float32 view (no copy before the primitive).
      const v32 = mx.transpose(base.astype(mx.float32), [0, 2, 3, 1]);
      expectClose(flat(mx.conv2d(v32, w.astype(mx.float32), 1, 1)), flat(mx.conv2d(views[0]!, w, 1, 1)), 1e-4);
    });
  });

  it('has the composition\'s vjp and jvp for input and weight', () => {
    [cases2d[1]!, cases2d[2]!, cases2d[3]!, cases1d[0]!, cases1d[1]!, cases3d[1]!, cases3d[2]!].forEach((c, i) => {
      mx.tidy(() => {
        const f = conv(c);
        const x = make(c.x, 21 + i);
        const w = make(c.w, 31 + i);
        const out = f(x, w);
        const cot = make(out.shape, 41 + i);
        const [, ref] = mx.vjp(f, [x, w], [cot]);
        const [, got] = mx.vjp(f, [x.astype(mx.float32), w.astype(mx.float32)], [cot.astype(mx.float32)]);
        expect(got[0]!.dtype).toBe(mx.float32);
        expectClose(flat(got[0]!), flat(ref[0]!), 1e-4);
        expectClose(flat(got[1]!), flat(ref[1]!), 1e-4);
        const tx = make(c.x, 51 + i);
        const tw = make(c.w, 61 + i);
        const [, jref] = mx.jvp(f, [x, w], [tx, tw]);
        const [, jgot] = mx.jvp(f, [x, w].map((a) => a.astype(mx.float32)), [tx, tw].map((a) => a.astype(mx.float32)));
        expectClose(flat(jgot[0]!), flat(jref[0]!), 1e-4);
        // One argument differentiated at a time.
        const [, gx] = mx.jvp((a: mx.Array) => f(a, w.astype(mx.float32)), [x.astype(mx.float32)], [tx.astype(mx.float32)]);
        const [, rx] = mx.jvp((a: mx.Array) => f(a, w), [x], [tx]);
        expectClose(flat(gx[0]!), flat(rx[0]!), 1e-4);
      });
    });
  });

  it('has second order gradients (grad of a loss of grads)', () => {
    const c = cases2d[3]!;
    const f = conv(c);
    const outer = (x: mx.Array, w: mx.Array): mx.Array => {
      const gw = mx.grad((ww: mx.Array) => mx.sum(mx.square(f(x, ww))))(w) as mx.Array;
      return mx.sum(mx.multiply(gw, gw));
    };
    mx.tidy(() => {
      const x = make(c.x, 71);
      const w = make(c.w, 72);
      const ref = mx.grad(outer)(x, w) as mx.Array;
      const got = mx.grad(outer)(x.astype(mx.float32), w.astype(mx.float32)) as mx.Array;
      const scale = Math.max(...flat(ref).map(Math.abs));
      expectClose(flat(got).map((v) => v / scale), flat(ref).map((v) => v / scale), 1e-4);
    });
  });

  it('vmaps over a batched input (folded into N) and a batched weight (per element)', () => {
    for (const c of [cases2d[3]!, cases3d[1]!]) {
      mx.tidy(() => {
        const f = conv(c);
        const at = (a: mx.Array, b: number): mx.Array => mx.take(a, b, 0);
        const xs = make([2, ...c.x], 81).astype(mx.float32);
        const ws = make([2, ...c.w], 82).astype(mx.float32);
        const w0 = at(ws, 0);
        const perm = [1, 0, ...c.x.slice(1).map((_, i) => i + 2)];
        const mappedX = mx.vmap((xi: mx.Array) => f(xi, w0), 1)(mx.transpose(xs, perm)) as mx.Array;
        const mappedW = mx.vmap((wi: mx.Array) => f(at(xs, 0), wi))(ws) as mx.Array;
        for (let b = 0; b < 2; b++) {
          const refX = f(at(xs, b).astype(mx.float64), w0.astype(mx.float64));
          const refW = f(at(xs, 0).astype(mx.float64), at(ws, b).astype(mx.float64));
          expectClose(flat(at(mappedX, b)), flat(refX), 1e-4);
          expectClose(flat(at(mappedW, b)), flat(refW), 1e-4);
        }
      });
    }
  });
});
