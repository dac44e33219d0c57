// GGUF end to end: mx.load on files the reference writer made (test/fixtures/gen_gguf.py),
// through the real reader and the array conversion, on every backend. Quantized tensors come
// back as MLX's triplet; unpacking the words and applying scales * q + biases per group of 32
// must give the gguf package's own dequantized values, and { dequantize: true } gives them
// directly. What mx.saveGguf writes loads back the same.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import ggufFixture from './fixtures/gguf.json';
import { describeEachBackend } from './helpers/backends.js';

interface TensorEntry { name: string; type: string; dtype?: string; shape: number[]; data?: string; dequantized?: string }
const fixture = ggufFixture as unknown as { main: { file: string; tensors: TensorEntry[] } };
const unbase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
const file = unbase64(fixture.main.file);
const f32 = (b: Uint8Array): number[] => Array.from(new Float32Array(b.slice().buffer));
const byName = new Map(fixture.main.tensors.map((t) => [t.name, t]));

/** scales * q + biases over groups of 32, q unpacked from uint32 words (element 0 lowest). */
function dequantizeTriplet(w: mx.Array, scales: mx.Array, biases: mx.Array, bits: number): number[] {
  const words = Array.from(w.toTypedArray() as Uint32Array);
  const [s, b] = mx.tidy(() => [scales, biases].map((x) => Array.from(x.astype(mx.float32).toTypedArray() as Float32Array)));
  const perWord = 32 / bits;
  const out: number[] = [];
  for (let i = 0; i < words.length * perWord; i++) {
    const q = (words[Math.floor(i / perWord)]! >>> ((i % perWord) * bits)) & ((1 << bits) - 1);
    const g = Math.floor(i / 32);
    out.push(Math.fround(s![g]! * q + b![g]!));
  }
  return out;
}

describeEachBackend('mx.load of GGUF files', () => {
  it('loads plain tensors with their dtype, shape and values', () => {
    const d = mx.load(file, { format: 'gguf' }) as Record<string, mx.Array>;
    for (const name of ['f32', 'f16', 'bf16', 'i8', 'i16', 'i32', 'i64', 'f64', 'cube']) {
      const want = byName.get(name)!;
      const a = d[name]!;
      expect(a.dtype.name, name).toBe(want.dtype);
      expect(a.shape, name).toEqual(want.shape);
      const bytes = new Uint8Array(a.toTypedArray().buffer);
      // float16/bfloat16 read back as float32: compare the raw bits through astype-free views.
      if (want.dtype === 'float16' || want.dtype === 'bfloat16') {
        const back = mx.view(a, mx.uint16);
        expect(Array.from(back.toTypedArray() as Uint16Array), name).toEqual(Array.from(new Uint16Array(unbase64(want.data!).slice().buffer)));
        back.dispose();
      } else {
        expect(Array.from(bytes), name).toEqual(Array.from(unbase64(want.data!)));
      }
    }
    mx.dispose(d);
  });

  it('loads Q4_0, Q4_1 and Q8_0 as (weight, scales, biases) equal to gguf dequantize', () => {
    const d = mx.load(file, { format: 'gguf' }) as Record<string, mx.Array>;
    for (const [name, bits] of [['blk.0.attn_q', 4], ['blk.0.attn_k', 4], ['blk.0.ffn_down', 8]] as const) {
      const want = byName.get(`${name}.weight`)!;
      const w = d[`${name}.weight`]!;
      const scales = d[`${name}.scales`]!;
      const biases = d[`${name}.biases`]!;
      const cols = want.shape.at(-1)!;
      expect(w.dtype, name).toBe(mx.uint32);
      expect(w.shape, name).toEqual([...want.shape.slice(0, -1), (cols * bits) / 32]);
      expect(scales.shape, name).toEqual([...want.shape.slice(0, -1), cols / 32]);
      expect(biases.shape, name).toEqual(scales.shape);
      const got = dequantizeTriplet(w, scales, biases, bits);
      // Equal values (gguf may write -0 where the triplet gives +0).
      expect(got.map((v) => v + 0), name).toEqual(f32(unbase64(want.dequantized!)).map((v) => v + 0));
    }
    mx.dispose(d);
  });

  it('{ dequantize: true } gives float32 tensors equal to gguf dequantize, and metadata on request', () => {
    const [d, meta] = mx.load(file, { format: 'gguf', dequantize: true, returnMetadata: true });
    for (const name of ['blk.0.attn_q.weight', 'blk.0.attn_k.weight', 'blk.0.ffn_down.weight', 'blk.0.ffn_up.weight']) {
      const want = byName.get(name)!;
      expect(d[name]!.dtype, name).toBe(mx.float32);
      expect(d[name]!.shape, name).toEqual(want.shape);
      expect(Array.from(d[name]!.toTypedArray() as Float32Array).map((v) => v + 0), name).toEqual(f32(unbase64(want.dequantized!)).map((v) => v + 0));
    }
    expect(d['blk.0.attn_q.scales']).toBeUndefined();
    expect(typeof meta['general.architecture'] === 'string' || Object.keys(meta).length > 0).toBe(true);
    for (const v of Object.values(meta)) if (v instanceof mx.Array) v.dispose();
    mx.dispose(d);
  });

  it('saveGguf writes what load reads back, with metadata', () => {
    const a = mx.array([[1.5, -2], [3, 4.25]]);
    const b = mx.array([1, 2, 3], mx.int32);
    const n = mx.array(7, mx.uint32);
    const bytes = mx.saveGguf(null, { a, b }, { metadata: { 'general.name': 'tiny', tags: ['x', 'y'], n } });
    const [d, meta] = mx.load(bytes, { format: 'gguf', returnMetadata: true });
    expect(d['a']!.tolist()).toEqual([[1.5, -2], [3, 4.25]]);
    expect(d['b']!.dtype).toBe(mx.int32);
    expect(d['b']!.tolist()).toEqual([1, 2, 3]);
    expect(meta['general.name']).toBe('tiny');
    expect(meta['tags']).toEqual(['x', 'y']);
    expect((meta['n'] as mx.Array).item()).toBe(7);
    (meta['n'] as mx.Array).dispose();
    mx.dispose([a, b, n, d]);
  });
});
