// GGUF reading and writing (pure functions over bytes): files written by the reference writer
// (the `gguf` package, test/fixtures/gen_gguf.py) with metadata of every value type and tensors
// of every supported type; quantized blocks built by hand against the formats' definitions;
// files we write, byte for byte against the reference writer; bad input, crafted and fuzzed.
import { describe, expect, it } from 'vitest';
import { gguf as parseWithHf } from '@huggingface/gguf';
import { readGguf, writeGguf, type GgufValue } from '../packages/core/src/io/gguf.js';
import type { RawTensor } from '../packages/core/src/io/raw-tensor.js';
import { float16Bits, float16Value } from '../packages/core/src/half.js';
import ggufFixture from './fixtures/gguf.json';

interface MetaEntry { kind: 'string' | 'strings' | 'tensor'; value?: string | string[]; dtype?: string; shape?: number[]; data?: string }
interface TensorEntry { name: string; type: string; dtype?: string; shape: number[]; data?: string; blocks?: string; dequantized?: string }
const fixture = ggufFixture as unknown as {
  main: { file: string; metadata: Record<string, MetaEntry>; tensors: TensorEntry[] };
  plain: { file: string };
  aligned: { file: string; tensors: TensorEntry[] };
};

const unbase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
const f32 = (b: Uint8Array): Float32Array => new Float32Array(b.slice().buffer);
const u16 = (b: Uint8Array): Uint16Array => new Uint16Array(b.slice().buffer);
const u32 = (b: Uint8Array): Uint32Array => new Uint32Array(b.slice().buffer);
/** NumPy's dtype names as mlxjs spells them. */
const npDtype = (d: string): string => ({ bool: 'bool', float16: 'float16' } as Record<string, string>)[d] ?? d;
const mainFile = unbase64(fixture.main.file);
const byName = (tensors: Array<[string, RawTensor]>): Map<string, RawTensor> => new Map(tensors);

function expectLoadError(f: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/^\[load\] /);
  expect((error as Error).message).toMatch(pattern);
}

describe('readGguf on files from the reference writer', () => {
  it('returns every metadata value type as MLX maps it', () => {
    const { metadata } = readGguf(mainFile);
    expect(Object.keys(metadata).sort()).toEqual(Object.keys(fixture.main.metadata).sort());
    for (const [key, want] of Object.entries(fixture.main.metadata)) {
      const got = metadata[key];
      if (want.kind !== 'tensor') {
        expect(got, key).toEqual(want.value);
        continue;
      }
      const t = got as RawTensor;
      expect(t.dtype, key).toBe(npDtype(want.dtype!));
      expect(t.shape, key).toEqual(want.shape);
      expect(Array.from(t.bytes), key).toEqual(Array.from(unbase64(want.data!)));
    }
    // Spot checks of the decoding, independent of the fixture encoding.
    const m = metadata as Record<string, RawTensor>;
    expect(new DataView(m['test.u64']!.bytes.buffer, m['test.u64']!.bytes.byteOffset).getBigUint64(0, true)).toBe(2n ** 63n + 5n);
    expect(new DataView(m['test.f64']!.bytes.buffer, m['test.f64']!.bytes.byteOffset).getFloat64(0, true)).toBe(0.1);
    expect(Array.from(m['test.arr.bool']!.bytes)).toEqual([1, 0, 1]);
    expect(metadata['test.unicode']).toBe('héllo ✓ 模型');
  });

  it('returns plain tensors with their dtype, row-major shape and bytes', () => {
    const tensors = byName(readGguf(mainFile).tensors);
    for (const want of fixture.main.tensors.filter((t) => t.data !== undefined)) {
      const t = tensors.get(want.name)!;
      expect(t, want.name).toBeDefined();
      expect(t.dtype, want.name).toBe(npDtype(want.dtype!));
      expect(t.shape, want.name).toEqual(want.shape);
      expect(Array.from(t.bytes), want.name).toEqual(Array.from(unbase64(want.data!)));
    }
  });

  it('keeps the file order, with quantized tensors as MLX triplets in place', () => {
    const names = readGguf(mainFile).tensors.map(([n]) => n);
    expect(names.slice(0, 12)).toEqual(['f32', 'f16', 'bf16', 'i8', 'i16', 'i32', 'i64', 'f64', 'cube',
      'blk.0.attn_q.weight', 'blk.0.attn_q.scales', 'blk.0.attn_q.biases']);
    expect(names).toContain('output.weight');
    expect(names).not.toContain('output.scales'); // Q6_K has no MLX triplet: float16
  });

  it('dequantizes every quantized type to float32 exactly as gguf does', () => {
    const tensors = byName(readGguf(mainFile, { dequantize: true }).tensors);
    for (const want of fixture.main.tensors.filter((t) => t.blocks !== undefined)) {
      const t = tensors.get(want.name)!;
      expect(t.dtype, want.name).toBe('float32');
      expect(t.shape, want.name).toEqual(want.shape);
      expect(Array.from(f32(t.bytes)), want.name).toEqual(Array.from(f32(unbase64(want.dequantized!))));
    }
    expect(tensors.has('blk.0.attn_q.scales')).toBe(false);
  });

  it('gives Q4_0, Q4_1, Q8_0 and Q4_K as weights/scales/biases whose affine groups are the dequantized values', () => {
    const tensors = byName(readGguf(mainFile).tensors);
    const bits: Record<string, number> = { Q4_0: 4, Q4_1: 4, Q8_0: 8, Q4_K: 4 };
    for (const want of fixture.main.tensors.filter((t) => bits[t.type] !== undefined)) {
      const b = bits[want.type]!;
      const prefix = want.name.replace(/\.weight$/, '');
      const w = tensors.get(want.name)!;
      const s = tensors.get(`${prefix}.scales`)!;
      const z = tensors.get(`${prefix}.biases`)!;
      const lead = want.shape.slice(0, -1);
      const cols = want.shape[want.shape.length - 1]!;
      expect([w.dtype, s.dtype, z.dtype]).toEqual(['uint32', 'float16', 'float16']);
      expect(w.shape).toEqual([...lead, (cols * b) / 32]);
      expect(s.shape).toEqual([...lead, cols / 32]);
      expect(z.shape).toEqual([...lead, cols / 32]);
      const words = u32(w.bytes);
      const scales = Array.from(u16(s.bytes), float16Value);
      const biases = Array.from(u16(z.bytes), float16Value);
      const expected = f32(unbase64(want.dequantized!));
      const perWord = 32 / b;
      for (let i = 0; i < expected.length; i++) {
        const q = (words[Math.floor(i / perWord)]! >>> (b * (i % perWord))) & ((1 << b) - 1);
        const g = Math.floor(i / 32);
        const value = Math.fround(Math.fround(scales[g]! * q) + biases[g]!);
        if (want.type === 'Q4_K') {
          // MLX rounds Q4_K's sub-block scales d * sc and mins dmin * m to float16: close, not exact.
          expect(Math.abs(value - expected[i]!), `${want.name}[${i}]`).toBeLessThanOrEqual(2 ** -10 * (16 * Math.abs(scales[g]!) + Math.abs(biases[g]!)));
        } else {
          expect(value - expected[i]!, `${want.name}[${i}]`).toBe(0); // numerically: the triplet gives +0 where gguf has -0
        }
      }
    }
  });

  it('loads Q6_K and Q2_K as float16 without dequantize (as MLX does), the rounded gguf values', () => {
    const tensors = byName(readGguf(mainFile).tensors);
    for (const want of fixture.main.tensors.filter((t) => t.type === 'Q6_K' || t.type === 'Q2_K')) {
      const t = tensors.get(want.name)!;
      expect(t.dtype).toBe('float16');
      expect(t.shape).toEqual(want.shape);
      expect(Array.from(u16(t.bytes))).toEqual(Array.from(f32(unbase64(want.dequantized!)), float16Bits));
    }
  });

  it('follows general.alignment (64 here) for the data section and offsets', () => {
    const { tensors, metadata } = readGguf(unbase64(fixture.aligned.file));
    expect(Array.from((metadata['general.alignment'] as RawTensor).bytes)).toEqual([64, 0, 0, 0]);
    expect(tensors.map(([n, t]) => [n, t.dtype, t.shape])).toEqual(fixture.aligned.tensors.map((t) => [t.name, t.dtype, t.shape]));
    tensors.forEach(([, t], i) => expect(Array.from(t.bytes)).toEqual(Array.from(unbase64(fixture.aligned.tensors[i]!.data!))));
  });

  it('reads GGUF v2 (the same layout) and takes a Uint8Array view at any offset', () => {
    const v2 = mainFile.slice();
    v2[4] = 2;
    expect(readGguf(v2).tensors.length).toBe(readGguf(mainFile).tensors.length);
    const padded = new Uint8Array(mainFile.length + 3);
    padded.set(mainFile, 3);
    const view = readGguf(padded.subarray(3));
    expect(Array.from(view.tensors[0]![1].bytes)).toEqual(Array.from(readGguf(mainFile).tensors[0]![1].bytes));
  });
});

/** One quantized tensor of the given type and blocks, with the row-major shape given. */
function quantFile(type: number, shape: number[], blocks: Uint8Array, name = 'w.weight'): Uint8Array {
  return new GgufBuilder().header(1, 0).tensorInfo(name, shape, type, 0).data(blocks).bytes();
}

describe('quantized blocks built by the formats definitions', () => {
  // 32 nibbles 0..15, 15..0: element j is in the low nibble of byte j, element j + 16 in its high nibble.
  const nibbles = Array.from({ length: 32 }, (_, i) => (i < 16 ? i : 31 - i));
  const packedNibbles = Array.from({ length: 16 }, (_, j) => nibbles[j]! | (nibbles[j + 16]! << 4));
  // MLX packs element 0 in the lowest bits: 0..7 in word 0, 8..15 in word 1, 15..8, 7..0.
  const nibbleWords = [0x76543210, 0xfedcba98, 0x89abcdef, 0x01234567];
  const half = (v: number): number[] => [float16Bits(v) & 0xff, float16Bits(v) >> 8];

  it('Q4_0: d = 0.5, q = nibble - 8', () => {
    const block = Uint8Array.from([...half(0.5), ...packedNibbles]);
    const { tensors } = readGguf(quantFile(2, [1, 32], block));
    const [w, s, b] = tensors.map(([, t]) => t);
    expect(tensors.map(([n]) => n)).toEqual(['w.weight', 'w.scales', 'w.biases']);
    expect(Array.from(u32(w!.bytes))).toEqual(nibbleWords);
    expect(Array.from(u16(s!.bytes))).toEqual([float16Bits(0.5)]);
    expect(Array.from(u16(b!.bytes))).toEqual([float16Bits(-4)]);
    const deq = f32(readGguf(quantFile(2, [1, 32], block), { dequantize: true }).tensors[0]![1].bytes);
    expect(Array.from(deq)).toEqual(nibbles.map((q) => 0.5 * (q - 8)));
  });

  it('Q4_1: d = 0.25, m = -1.5, value = d * nibble + m', () => {
    const block = Uint8Array.from([...half(0.25), ...half(-1.5), ...packedNibbles]);
    const [w, s, b] = readGguf(quantFile(3, [1, 32], block)).tensors.map(([, t]) => t);
    expect(Array.from(u32(w!.bytes))).toEqual(nibbleWords);
    expect(Array.from(u16(s!.bytes))).toEqual([float16Bits(0.25)]);
    expect(Array.from(u16(b!.bytes))).toEqual([float16Bits(-1.5)]);
    const deq = f32(readGguf(quantFile(3, [1, 32], block), { dequantize: true }).tensors[0]![1].bytes);
    expect(Array.from(deq)).toEqual(nibbles.map((q) => 0.25 * q - 1.5));
  });

  it('Q8_0: d = 2, int8 values -128..127; MLX stores q + 128 bytewise and bias -128 d', () => {
    const q = Array.from({ length: 32 }, (_, i) => [-128, -1, 0, 1, 127][i % 5]! + (i % 5 === 2 ? i : 0));
    const block = Uint8Array.from([...half(2), ...q.map((v) => v & 0xff)]);
    const [w, s, b] = readGguf(quantFile(8, [1, 32], block, 'ffn')).tensors.map(([, t]) => t);
    expect(readGguf(quantFile(8, [1, 32], block, 'ffn')).tensors.map(([n]) => n)).toEqual(['ffn', 'ffn.scales', 'ffn.biases']);
    // bytes q + 128, four per word, element 0 lowest: [-128, -1, 2, 1] -> 0x81827f00
    expect(u32(w!.bytes)[0]).toBe(0x81827f00);
    expect(Array.from(w!.bytes)).toEqual(q.map((v) => v + 128));
    expect(Array.from(u16(s!.bytes))).toEqual([float16Bits(2)]);
    expect(Array.from(u16(b!.bytes))).toEqual([float16Bits(-256)]);
    const deq = f32(readGguf(quantFile(8, [1, 32], block), { dequantize: true }).tensors[0]![1].bytes);
    expect(Array.from(deq)).toEqual(q.map((v) => 2 * v));
  });

  it('Q4_K: 6-bit scales and mins unpacked as ggml packs them', () => {
    // sc_j = j + 1, m_j = 2j + 3 (6-bit each): j < 4 in the low 6 bits of bytes j and j + 4;
    // j >= 4 split: low 4 bits in byte j + 4 (sc low nibble, m high nibble), top 2 bits in bytes j - 4 / j.
    const sc = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v * 7);
    const mn = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => 2 * j + 3 + (j >= 4 ? 40 : 0));
    const scales = new Uint8Array(12);
    for (let j = 0; j < 4; j++) {
      scales[j] = sc[j]! | ((sc[j + 4]! >> 4) << 6);
      scales[j + 4] = mn[j]! | ((mn[j + 4]! >> 4) << 6);
      scales[j + 8] = (sc[j + 4]! & 0xf) | ((mn[j + 4]! & 0xf) << 4);
    }
    const qs = Uint8Array.from({ length: 128 }, (_, i) => (i * 37) & 0xff);
    const d = 0.125;
    const dmin = 0.0625;
    const block = Uint8Array.from([...half(d), ...half(dmin), ...scales, ...qs]);
    const deq = f32(readGguf(quantFile(12, [1, 256], block), { dequantize: true }).tensors[0]![1].bytes);
    for (let i = 0; i < 256; i++) {
      const chunk = Math.floor(i / 64);
      const l = i % 32;
      const high = i % 64 >= 32;
      const q = high ? qs[32 * chunk + l]! >> 4 : qs[32 * chunk + l]! & 0xf;
      const j = Math.floor(i / 32);
      expect(deq[i], `element ${i}`).toBe(d * sc[j]! * q - dmin * mn[j]!);
    }
    const [w, s, b] = readGguf(quantFile(12, [1, 256], block)).tensors.map(([, t]) => t);
    const words = u32(w!.bytes);
    expect(words.length).toBe(32);
    for (let i = 0; i < 256; i++) {
      const chunk = Math.floor(i / 64);
      const byte = qs[32 * chunk + (i % 32)]!;
      expect((words[i >> 3]! >>> (4 * (i & 7))) & 15, `packed element ${i}`).toBe(i % 64 >= 32 ? byte >> 4 : byte & 0xf);
    }
    expect(Array.from(u16(s!.bytes))).toEqual(sc.map((v) => float16Bits(d * v)));
    expect(Array.from(u16(b!.bytes))).toEqual(mn.map((v) => float16Bits(-dmin * v)));
  });

  it('rejects a quantized tensor whose rows are not whole blocks, as MLX does', () => {
    expectLoadError(() => readGguf(quantFile(2, [2, 16], new Uint8Array(36))), /incompatible last dim shape: 16/);
    expectLoadError(() => readGguf(quantFile(12, [1, 32], new Uint8Array(144))), /Q4_K.*incompatible last dim shape: 32/);
  });
});

const t = (dtype: RawTensor['dtype'], shape: number[], bytes: number[] | Uint8Array): RawTensor => ({ dtype, shape, bytes: Uint8Array.from(bytes) });

describe('writeGguf', () => {
  it('writes the reference writer\'s file byte for byte from what readGguf returns', () => {
    const plain = unbase64(fixture.plain.file);
    const { tensors, metadata } = readGguf(plain);
    expect(Array.from(writeGguf(tensors, metadata))).toEqual(Array.from(plain));
  });

  it('follows general.alignment from the metadata (64), byte for byte as the reference writer', () => {
    const aligned = unbase64(fixture.aligned.file);
    const { tensors, metadata } = readGguf(aligned);
    expect(Array.from(writeGguf(tensors, metadata))).toEqual(Array.from(aligned));
    const bad = (v: RawTensor): unknown => writeGguf([], { 'general.alignment': v });
    expect(() => bad(t('uint32', [], [48, 0, 0, 0]))).toThrow(/^\[save_gguf\] general.alignment 48 is not a power of two/);
    expect(() => bad(t('int32', [], [64, 0, 0, 0]))).toThrow(/^\[save_gguf\] metadata "general.alignment" must be a uint32/);
  });

  it('round-trips 0-d, 5-D and empty tensors and metadata of every form', () => {
    const tensors: Array<[string, RawTensor]> = [
      ['scalar', t('float32', [], new Uint8Array(new Float32Array([2.5]).buffer))],
      ['five', t('int16', [1, 2, 1, 3, 1], new Uint8Array(12).map((_, i) => i))],
      ['empty', t('bfloat16', [0, 4], [])],
      ['odd', t('int8', [3], [1, 2, 3])],
      ['f64', t('float64', [1], new Uint8Array(new Float64Array([Math.PI]).buffer))],
      ['i64', t('int64', [1], new Uint8Array(8).fill(0xff))],
    ];
    const metadata: Record<string, GgufValue> = {
      s: 'text', list: ['a', '', 'ü'], none: [],
      b: t('bool', [], [1]), bools: t('bool', [2], [0, 1]), u64: t('uint64', [], new Uint8Array(8).fill(0xff)),
      f64: t('float64', [2], new Uint8Array(new Float64Array([0.1, -3]).buffer)),
    };
    Object.defineProperty(metadata, '__proto__', { value: 'own key', enumerable: true });
    const bytes = writeGguf(tensors, metadata);
    expect(bytes.length % 32).toBe(0);
    const back = readGguf(bytes);
    expect(back.tensors).toEqual(tensors);
    expect(Object.keys(back.metadata)).toEqual(Object.keys(metadata));
    expect(back.metadata).toEqual(metadata);
    expect(Object.getPrototypeOf(back.metadata)).toBe(Object.prototype);
  });

  it('rejects what GGUF cannot hold, with [save_gguf] errors as MLX names them', () => {
    const ok = t('float32', [1], [0, 0, 0, 0]);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => writeGguf([['x', t('uint32', [1], [0, 0, 0, 0])]], {}), /dtype uint32 is not supported/],
      [() => writeGguf([['x', t('bool', [1], [1])]], {}), /dtype bool is not supported/],
      [() => writeGguf([['x', ok], ['x', ok]], {}), /duplicate tensor name "x"/],
      [() => writeGguf([['x', t('float32', [2], [0, 0, 0, 0])]], {}), /holds 4 bytes, but float32 \[2\] needs 8/],
      [() => writeGguf([['x', t('float32', [-1], [])]], {}), /invalid shape/],
      [() => writeGguf([], { m: t('float16', [], [0, 0]) }), /array type float16 not supported for metadata/],
      [() => writeGguf([], { m: t('int8', [1, 1], [0]) }), /more than one dimension/],
      [() => writeGguf([], { m: t('int8', [0], []) }), /Cannot save empty arrays/],
      [() => writeGguf([], { m: 3 as unknown as GgufValue }), /unexpected type in metadata "m"/],
      [() => writeGguf([], { m: ['a', 1] as unknown as GgufValue }), /only strings/],
    ];
    for (const [f, pattern] of cases) expect(f).toThrow(pattern);
    for (const [f] of cases) expect(f).toThrow(/^\[save_gguf\] /);
  });
});

describe('files writeGguf writes, read by @huggingface/gguf', () => {
  it('parses metadata of every type, tensor infos and data offsets as we wrote them', async () => {
    const tensors: Array<[string, RawTensor]> = [
      ['w', t('float32', [2, 3], new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer))],
      ['h', t('float16', [5], new Uint8Array(10).fill(0x3c))],
      ['b', t('bfloat16', [1, 2, 1], [0x80, 0x3f, 0x00, 0xc0])],
      ['i', t('int64', [1], new Uint8Array(new BigInt64Array([-(2n ** 40n)]).buffer))],
    ];
    const metadata: Record<string, GgufValue> = {
      'general.name': 'mlxjs', tokens: ['a', '', 'ü'],
      u8: t('uint8', [], [200]), i16: t('int16', [], new Uint8Array(new Int16Array([-300]).buffer)),
      u32: t('uint32', [], new Uint8Array(new Uint32Array([4e9]).buffer)), f32: t('float32', [], new Uint8Array(new Float32Array([0.25]).buffer)),
      flag: t('bool', [], [1]), i64: t('int64', [], new Uint8Array(new BigInt64Array([-(2n ** 63n)]).buffer)),
      f64: t('float64', [], new Uint8Array(new Float64Array([0.1]).buffer)),
      ints: t('int32', [3], new Uint8Array(new Int32Array([1, -2, 3]).buffer)), bools: t('bool', [2], [0, 1]),
    };
    const bytes = writeGguf(tensors, metadata);
    // The parser reads through fetch with Range requests; serve it our bytes.
    const fetchBytes = async (_url: unknown, init?: RequestInit): Promise<Response> => {
      const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get('Range') ?? '');
      const body = range ? bytes.slice(Number(range[1]), Number(range[2]) + 1) : bytes.slice();
      return new Response(body, { status: range ? 206 : 200 });
    };
    const parsed = await parseWithHf('https://example.invalid/model.gguf', { fetch: fetchBytes as typeof fetch });
    const m = parsed.metadata as Record<string, unknown>;
    expect(m['version']).toBe(3);
    expect([m['tensor_count'], m['kv_count']]).toEqual([4n, 11n]);
    expect([m['general.name'], m['tokens'], m['u8'], m['i16'], m['u32'], m['f32'], m['flag'], m['i64'], m['f64'], m['ints'], m['bools']])
      .toEqual(['mlxjs', ['a', '', 'ü'], 200, -300, 4e9, 0.25, true, -(2n ** 63n), 0.1, [1, -2, 3], [false, true]]);
    expect(parsed.tensorInfos.map((i) => [i.name, i.shape.map(Number), i.dtype])).toEqual([
      ['w', [3, 2], 0], ['h', [5], 1], ['b', [1, 2, 1], 30], ['i', [1], 27],
    ]);
    tensors.forEach(([, tensor], k) => {
      const start = Number(parsed.tensorDataOffset + parsed.tensorInfos[k]!.offset);
      expect(Array.from(bytes.subarray(start, start + tensor.bytes.length))).toEqual(Array.from(tensor.bytes));
    });
  });
});

/** Hand-assembled GGUF bytes, for files no honest writer produces. */
class GgufBuilder {
  private readonly parts: number[] = [];
  u8(...v: number[]): this {
    this.parts.push(...v);
    return this;
  }
  u32(v: number): this {
    return this.u8(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }
  u64(v: number | bigint): this {
    const b = BigInt(v);
    for (let i = 0n; i < 8n; i++) this.parts.push(Number((b >> (8n * i)) & 0xffn));
    return this;
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u64(b.length).u8(...b);
  }
  header(tensors: number | bigint, kvs: number | bigint, version = 3): this {
    return this.u8(0x47, 0x47, 0x55, 0x46).u32(version).u64(tensors).u64(kvs);
  }
  tensorInfo(name: string, shape: Array<number | bigint>, type: number, offset: number | bigint): this {
    this.str(name).u32(shape.length);
    for (const n of [...shape].reverse()) this.u64(n);
    return this.u32(type).u64(offset);
  }
  /** Pads to 32 and appends the data section. */
  data(bytes: Uint8Array): this {
    while (this.parts.length % 32 !== 0) this.parts.push(0);
    return this.u8(...bytes);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

describe('readGguf on bad input', () => {
  const B = (): GgufBuilder => new GgufBuilder();
  const f32Tensor = (name = 'x', offset: number | bigint = 0): Uint8Array =>
    B().header(1, 0).tensorInfo(name, [2], 0, offset).data(new Uint8Array(8)).bytes();

  it('names each problem in an [load] Error', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /not a GGUF file/],
      [Uint8Array.from([0x47, 0x47, 0x55, 0x47, 3, 0, 0, 0]), /not a GGUF file/],
      [B().header(0, 0, 1).bytes(), /version 1 is not supported/],
      [B().header(0, 0, 0x03000000).bytes(), /big-endian/],
      [B().header(0, 0).bytes().subarray(0, 20), /truncated: metadata count/],
      [B().header(0, 2n ** 40n).bytes(), /metadata count 1099511627776 is larger than the file could hold/],
      [B().header(2n ** 62n, 0).bytes(), /tensor count is 4611686018427387904, which is not a valid size/],
      [B().header(1000, 0).bytes(), /tensor count 1000 is larger than the file could hold/],
      [B().header(0, 1).u64(2n ** 60n).u8(0, 0, 0, 0, 0).bytes(), /metadata key 0 length is 1152921504606846976/],
      [B().header(0, 1).str('k').u32(8).u64(1000).u8(65).bytes(), /truncated: metadata "k" needs 1000 bytes/],
      [B().header(0, 1).str('k').u32(13).u8(0, 0, 0, 0).bytes(), /metadata "k" has unknown value type 13/],
      [B().header(0, 1).str('k').u32(9).u32(14).u64(0).bytes(), /array of unknown value type 14/],
      [B().header(0, 1).str('k').u32(9).u32(9).u64(1).u32(0).u64(0).bytes(), /nested array/],
      [B().header(0, 1).str('k').u32(9).u32(12).u64(2n ** 50n).u8(0, 0, 0, 0, 0, 0, 0, 0).bytes(), /truncated: metadata "k" has 1125899906842624 values, more than the 8 bytes/],
      [B().header(0, 1).str('k').u32(9).u32(8).u64(2n ** 40n).u64(0).bytes(), /has 1099511627776 strings, more than/],
      [B().header(0, 1).str('general.alignment').u32(5).u32(32).bytes(), /general.alignment" must be a uint32/],
      [B().header(0, 1).str('general.alignment').u32(4).u32(48).bytes(), /48 is not a power of two/],
      [B().header(1, 0).tensorInfo('q5k', [256], 13, 0).data(new Uint8Array(176)).bytes(), /"q5k" has GGUF type Q5_K \(13\), which is not supported/],
      [B().header(1, 0).tensorInfo('u', [1], 99, 0).data(new Uint8Array(8)).bytes(), /unknown type 99/],
      [f32Tensor('x', 4), /offset 4 is not a multiple of the alignment 32/],
      [f32Tensor('x', 32), /"x" data \(bytes 96..104\) lies past the end of the file \(72 bytes\)/],
      [f32Tensor('x', 2n ** 62n), /offset is 4611686018427387904/],
      [B().header(1, 0).tensorInfo('big', [2n ** 31n], 0, 0).bytes(), /dimension 0 is 2147483648/],
      [B().header(1, 0).tensorInfo('neg', [-1n & (2n ** 64n - 1n)], 0, 0).bytes(), /dimension 0 is 18446744073709551615, which is not a valid/],
      [B().header(1, 0).tensorInfo('many', [2 ** 30, 2 ** 30, 2 ** 30], 0, 0).bytes(), /"many" has too many elements/],
      [B().header(1, 0).tensorInfo('huge', [2 ** 30, 2 ** 20], 0, 0).data(new Uint8Array(8)).bytes(), /lies past the end/],
      [B().header(1, 0).str('t').u32(9).u8(...new Uint8Array(100)).bytes(), /"t" has 9 dimensions \(at most 8/],
      [B().header(2, 0).tensorInfo('a', [1], 0, 0).tensorInfo('a', [1], 0, 0).data(new Uint8Array(4)).bytes(), /duplicate tensor name "a"/],
      [B().header(2, 0).tensorInfo('x.weight', [32], 2, 0).tensorInfo('x.scales', [1], 0, 32).data(new Uint8Array(64)).bytes(),
        /duplicate tensor name "x.scales" \(this can happen when loading quantized tensors\)/],
    ];
    for (const [bytes, pattern] of cases) expectLoadError(() => readGguf(bytes), pattern);
  });

  it('rejects every truncation of a real file with an [load] Error', () => {
    const headerEnd = 2200; // past the tensor infos; later cuts only shorten the data section
    for (let n = 0; n < mainFile.length; n += n < headerEnd ? 1 : 97) {
      expectLoadError(() => readGguf(mainFile.subarray(0, n)), /truncated|not a GGUF file|past the end|larger than the file could hold/);
    }
  });

  it('survives seeded random mutations: it returns or throws an [load] Error', () => {
    let seed = 0x9e3779b9;
    const rand = (n: number): number => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const sources = [mainFile, unbase64(fixture.aligned.file), unbase64(fixture.plain.file)];
    let returned = 0;
    for (let i = 0; i < 400; i++) {
      const src = sources[i % sources.length]!;
      const bytes = src.slice(0, rand(4) === 0 ? rand(src.length) : src.length);
      // Mostly in the header and tensor infos, where the structure is.
      for (let k = 1 + rand(6); k > 0; k--) {
        const at = rand(4) === 0 ? rand(bytes.length) : rand(Math.min(bytes.length, 1200));
        bytes[at] = rand(3) === 0 ? 0xff : rand(256);
      }
      for (const dequantize of [false, true]) {
        try {
          readGguf(bytes, { dequantize });
          returned++;
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(/^\[load\] /);
        }
      }
    }
    expect(returned).toBeGreaterThan(0); // some mutations only touch values
  });
});
