// gguf-arrays.ts: what mx.load / mx.saveGguf make of the GGUF reader's and writer's
// RawTensors (the byte-level GGUF code is tested on its own). The reader and writer are
// replaced here by stand-ins that return and record fixed values.
import { expect, it, vi } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';

const f32 = (xs: number[]): Uint8Array => new Uint8Array(new Float32Array(xs).buffer);
const written: { tensors: unknown; metadata: unknown }[] = [];
let shortTensor = false;

vi.mock('../packages/core/src/io/gguf.js', () => ({
  readGguf: (_bytes: Uint8Array, opts?: { dequantize?: boolean }) => ({
    tensors: [
      ['blk.0.w', { dtype: 'float32', shape: [2, 2], bytes: f32(opts?.dequantize ? [9, 9, 9, 9] : [1, 2, 3, 4]) }],
      ['bad', { dtype: 'float32', shape: [2], bytes: f32(shortTensor ? [1] : [5, 6]) }],
    ],
    metadata: {
      'general.name': 'tiny',
      'tokenizer.tokens': ['a', 'b'],
      ctx: { dtype: 'uint32', shape: [], bytes: new Uint8Array(new Uint32Array([4096]).buffer) },
      scores: { dtype: 'float32', shape: [3], bytes: f32([0.5, -1, 2]) },
    },
  }),
  writeGguf: (tensors: unknown, metadata: unknown) => {
    written.push({ tensors, metadata });
    return new Uint8Array([0x47, 0x47, 0x55, 0x46]);
  },
}));

describeEachBackend('io: GGUF through mx.load / mx.saveGguf', () => {
  it('tensors as arrays; metadata as strings, string lists and 0-d / 1-d arrays', () => {
    const gguf = new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]);
    const d = mx.load(gguf) as Record<string, mx.Array>;
    expect(Object.keys(d)).toEqual(['blk.0.w', 'bad']);
    expect(d['blk.0.w']!.tolist()).toEqual([[1, 2], [3, 4]]);
    mx.dispose(d);
    const deq = mx.load(gguf, { format: 'gguf', dequantize: true }) as Record<string, mx.Array>;
    expect(deq['blk.0.w']!.tolist()).toEqual([[9, 9], [9, 9]]);
    mx.dispose(deq);
    const [arrays, meta] = mx.load(gguf, { returnMetadata: true });
    expect(meta['general.name']).toBe('tiny');
    expect(meta['tokenizer.tokens']).toEqual(['a', 'b']);
    const ctx = meta.ctx as mx.Array;
    expect([ctx.shape, String(ctx.dtype), ctx.item()]).toEqual([[], 'uint32', 4096]);
    expect((meta.scores as mx.Array).tolist()).toEqual([0.5, -1, 2]);
    mx.dispose([arrays, ctx, meta.scores as mx.Array]);
  });

  it('a tensor whose bytes do not match its shape fails the whole load, leaving no array', () => {
    shortTensor = true;
    try {
      expect(() => mx.load(new Uint8Array([0x47, 0x47, 0x55, 0x46]), { returnMetadata: true })).toThrow(
        /^\[load\] A float32 tensor of shape \[2\] needs 8 bytes, got 4\./,
      );
    } finally {
      shortTensor = false;
    }
  });

  it('saveGguf hands the writer RawTensors and converted metadata; bad metadata names save_gguf', () => {
    mx.tidy(() => {
      written.length = 0;
      const w = mx.array([[1, 2]], mx.float16);
      const out = mx.saveGguf(null, { w }, { metadata: { name: 'x', toks: ['a'], ctx: mx.array(4, mx.int32) } });
      expect(Array.from(out)).toEqual([0x47, 0x47, 0x55, 0x46]);
      const { tensors, metadata } = written[0] as { tensors: [string, { dtype: string; shape: number[]; bytes: Uint8Array }][]; metadata: Record<string, unknown> };
      expect(tensors.map(([n, t]) => [n, t.dtype, t.shape, t.bytes.length])).toEqual([['w', 'float16', [1, 2], 4]]);
      expect(metadata.name).toBe('x');
      expect(metadata.toks).toEqual(['a']);
      const ctx = metadata.ctx as { dtype: string; shape: number[]; bytes: Uint8Array };
      expect([ctx.dtype, ctx.shape, Array.from(new Int32Array(ctx.bytes.slice().buffer))]).toEqual(['int32', [], [4]]);
      expect(() => mx.saveGguf(null, { w }, { metadata: { n: 3 as unknown as string } })).toThrow(/^\[save_gguf\] Metadata value 'n' must be/);
      expect(() => mx.saveGguf(null, { w }, { metadata: { m: mx.zeros([2, 2]) } })).toThrow(/^\[save_gguf\] Metadata array 'm' must be 0-d or 1-d/);
    });
  });
});
