// mx.load / mx.save / savez / savezCompressed / saveSafetensors: files written by NumPy and
// the safetensors reference writer (fixtures/gen_io.py) load with their values; what mlxjs
// writes is byte-identical to NumPy's .npy; every dtype round-trips through every format;
// bad files are `[load]` Errors; sources (bytes, Blob, Response, paths) and extensions.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { decodeValues, fixture, nodeModules, type Holds } from './helpers/io-fixtures.js';

const DTYPES = [
  'bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64',
  'bfloat16',
] as const;

/** [dtype, shape, values] of an array, then frees it. */
const take = (a: mx.Array): [string, number[], unknown] => {
  const r: [string, number[], unknown] = [String(a.dtype), a.shape, a.tolist()];
  a.dispose();
  return r;
};
const expected = (h: Holds): [string, number[], unknown] => [h.dtype, h.shape, decodeValues(h.values)];
const takeAll = (d: Record<string, mx.Array>): Record<string, [string, number[], unknown]> =>
  Object.fromEntries(Object.entries(d).map(([k, a]) => [k, take(a)]));

/** A sample array of each dtype: values exact in it (and negative ones for signed types). */
function sample(dtype: (typeof DTYPES)[number]): mx.Array {
  const base = mx.array([[0, 1, 2], [3, 100, 7]]);
  const signed = dtype.startsWith('int') || dtype.startsWith('float') || dtype === 'bfloat16';
  const v = signed ? mx.subtract(base, 3) : base;
  const out = dtype === 'bool' ? mx.greater(v, 1) : mx.astype(v, mx.toDtype(dtype));
  if (v !== base) v.dispose();
  base.dispose();
  return out;
}

describeEachBackend('io: NumPy and safetensors fixtures', () => {
  for (const name of [
    'bool', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64',
    'bfloat16', 'bfloat16_mlx', 'uint16_be', 'int32_be', 'int64_be', 'float16_be', 'float32_be', 'float64_be',
    'uint64_be', 'float32_fortran', 'int16_fortran', 'float64_be_fortran', 'scalar', 'scalar_int', 'empty', 'vector',
    'v2', 'v3',
  ]) {
    it(`loads ${name}.npy as NumPy wrote it`, () => {
      const f = fixture(`${name}.npy`);
      expect(take(mx.load(f.bytes) as mx.Array)).toEqual(expected(f.holds as unknown as Holds));
    });
  }

  for (const name of ['plain.npz', 'compressed.npz', 'positional.npz']) {
    it(`loads ${name} (np.savez / np.savez_compressed)`, () => {
      const f = fixture(name);
      const want = Object.fromEntries(Object.entries(f.holds).map(([k, h]) => [k, expected(h as Holds)]));
      expect(takeAll(mx.load(f.bytes, { format: 'npz' }) as Record<string, mx.Array>)).toEqual(want);
    });
  }

  for (const name of ['all.safetensors', 'bf16.safetensors', 'reordered.safetensors']) {
    it(`loads ${name} with its metadata`, () => {
      const f = fixture(name);
      const holds = f.holds as { tensors: Record<string, Holds>; metadata: Record<string, string> };
      const [arrays, metadata] = mx.load(f.bytes, { returnMetadata: true });
      expect(metadata).toEqual(holds.metadata);
      const want = Object.fromEntries(Object.entries(holds.tensors).map(([k, h]) => [k, expected(h)]));
      expect(takeAll(arrays)).toEqual(want);
    });
  }

  for (const [name, message] of [
    ['bad_object.npy', /^\[load\] .*object arrays/],
    ['bad_unicode.npy', /^\[load\] Unsupported \.npy dtype descr '<U2'/],
    ['bad_complex.npy', /^\[load\] Complex/],
    ['bad_structured.npy', /^\[load\] Structured/],
    ['bad_truncated.npy', /^\[load\] .*truncated/],
    ['bad_header.npy', /^\[load\] .*corrupt header \(no 'shape'\)/],
    ['bad_entry.npz', /^\[load\] The \.npz entry 'readme\.txt' is not a \.npy file/],
    ['bad_truncated.safetensors', /^\[load\] .*past the end of the data/],
    ['bad_header_size.safetensors', /^\[load\] The safetensors header size \d+ is implausible/],
    ['bad_json.safetensors', /^\[load\] The safetensors header is not valid JSON/],
    ['bad_offsets.safetensors', /^\[load\] .*data_offsets \[0, 48\]/],
    ['bad_overlap.safetensors', /^\[load\] .*overlapping or gapped/],
    ['bad_dtype.safetensors', /^\[load\] Unsupported safetensors dtype "F8_E4M3"/],
    ['bad_metadata.safetensors', /^\[load\] .*__metadata__ value of 'n' is not a string/],
  ] as const) {
    it(`refuses ${name} with a [load] Error, leaving no array`, () => {
      const ext = name.split('.').pop() as 'npy' | 'npz' | 'safetensors';
      expect(() => mx.load(fixture(name).bytes, { format: ext })).toThrow(message);
    });
  }
});

describeEachBackend('io: writing', () => {
  // NumPy's header is deterministic: mlxjs must write the very same bytes.
  for (const name of [...DTYPES.filter((d) => d !== 'bfloat16'), 'bfloat16_mlx', 'scalar', 'scalar_int', 'empty', 'vector']) {
    it(`mx.save writes ${name}.npy byte-identical to NumPy`, () => {
      const f = fixture(`${name}.npy`);
      const a = mx.load(f.bytes) as mx.Array;
      const out = mx.save(null, a);
      a.dispose();
      expect(out).toEqual(f.bytes);
    });
  }

  it('a Fortran-order or big-endian file is written back as NumPy writes the C-order little-endian array', () => {
    const a = mx.load(fixture('float64_be_fortran.npy').bytes) as mx.Array;
    const b = mx.load(fixture('float64.npy').bytes) as mx.Array;
    const wantShape = a.shape;
    const back = mx.load(mx.save(null, a)) as mx.Array;
    expect(back.shape).toEqual(wantShape);
    expect(back.tolist()).toEqual([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]]);
    mx.dispose([a, b, back]);
  });

  for (const dtype of DTYPES) {
    it(`${dtype} round-trips through .npy, .npz (both), .safetensors`, () => {
      const a = sample(dtype);
      const want = [String(a.dtype), a.shape, a.tolist()];
      expect(take(mx.load(mx.save(null, a)) as mx.Array)).toEqual(want);
      for (const bytes of [mx.savez(null, { a }), mx.savezCompressed(null, { a })]) {
        expect(takeAll(mx.load(bytes) as Record<string, mx.Array>)).toEqual({ a: want });
      }
      expect(takeAll(mx.load(mx.saveSafetensors(null, { a })) as Record<string, mx.Array>)).toEqual({ a: want });
      a.dispose();
    });
  }

  it('saves views and lazy results (transposed, sliced, computed) by their values', () => {
    mx.tidy(() => {
      const x = mx.transpose(mx.reshape(mx.arange(6, mx.float32), [2, 3]));
      const y = mx.add(x, 1);
      const d = mx.load(mx.saveSafetensors(null, { x, y })) as Record<string, mx.Array>;
      expect(d.x!.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(d.y!.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
      expect((mx.load(mx.save(null, x)) as mx.Array).tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    });
  });

  it('savez takes a list (arr_0, arr_1, ...) and safetensors keeps metadata; .npz entries are stored or deflated', () => {
    mx.tidy(() => {
      const z = mx.arange(1000, mx.int32);
      const plain = mx.savez(null, [z, mx.array([1.5])]);
      const packed = mx.savezCompressed(null, [z, mx.array([1.5])]);
      expect(packed.length).toBeLessThan(plain.length / 2);
      const d = mx.load(plain) as Record<string, mx.Array>;
      expect(Object.keys(d)).toEqual(['arr_0', 'arr_1']);
      expect(d.arr_1!.tolist()).toEqual([1.5]);
      const [, meta] = mx.load(mx.saveSafetensors(null, { z }, { metadata: { format: 'mlx', k: 'v' } }), { returnMetadata: true });
      expect(meta).toEqual({ format: 'mlx', k: 'v' });
    });
  });

  it('saver errors name the function', () => {
    mx.tidy(() => {
      const a = mx.array([1]);
      expect(() => mx.saveSafetensors(null, { a }, { metadata: { n: 1 as unknown as string } })).toThrow(/^\[save_safetensors\] Metadata values must be strings/);
      expect(() => mx.saveSafetensors(null, { __metadata__: a })).toThrow(/^\[save_safetensors\] '__metadata__' is reserved/);
      expect(() => mx.saveSafetensors(null, { a: 3 as unknown as mx.Array })).toThrow(/^\[save_safetensors\] 'a' is not an mx.Array/);
      expect(() => mx.savez(null, a as unknown as mx.Array[])).toThrow(/^\[savez\] arrays must be an object/);
      expect(() => mx.save(null, [1] as unknown as mx.Array)).toThrow(/^\[save\] 'arr' is not an mx.Array/);
      expect(() => mx.save(42 as unknown as null, a)).toThrow(/^\[save\] file must be a path/);
    });
  });
});

describeEachBackend('io: sources and formats', () => {
  it('bytes in any view: ArrayBuffer, Uint8Array (offset), DataView', () => {
    const f = fixture('int32.npy');
    const padded = new Uint8Array(f.bytes.length + 5);
    padded.set(f.bytes, 5);
    const want = expected(f.holds as unknown as Holds);
    expect(take(mx.load(padded.slice(5).buffer) as mx.Array)).toEqual(want);
    expect(take(mx.load(padded.subarray(5)) as mx.Array)).toEqual(want);
    expect(take(mx.load(new DataView(padded.buffer, 5)) as mx.Array)).toEqual(want);
  });

  it('the format comes from { format }, else the magic bytes', () => {
    for (const name of ['float32.npy', 'plain.npz', 'all.safetensors']) {
      const r = mx.load(fixture(name).bytes);
      mx.dispose(r);
    }
    expect(() => mx.load(new Uint8Array([1, 2, 3, 4]))).toThrow(/^\[load\] Cannot tell the format of the data/);
    expect(() => mx.load(fixture('float32.npy').bytes, { format: 'pickle' as 'npy' })).toThrow(/^\[load\] Unknown file format "pickle"/);
    expect(() => mx.load(fixture('float32.npy').bytes, { format: 'safetensors' })).toThrow(/^\[load\] /);
    expect(() => mx.load(fixture('float32.npy').bytes, { returnMetadata: true })).toThrow(/^\[load\] returnMetadata is only supported for \.safetensors and \.gguf/);
    expect(() => mx.load(fixture('float32.npy').bytes, { format: 'gguf' })).toThrow(/^\[load\] /);
  });

  it('loadAsync reads a Blob, a File (its name gives the format) and a Response', async () => {
    const f = fixture('all.safetensors');
    const count = Object.keys((f.holds as { tensors: object }).tensors).length;
    const fromBlob = await mx.loadAsync(new Blob([f.bytes]));
    expect(Object.keys(fromBlob).length).toBe(count);
    mx.dispose(fromBlob);
    const file = new File([fixture('float32.npy').bytes], 'weights.npy');
    const a = await mx.loadAsync(file);
    expect((a as mx.Array).shape).toEqual([2, 3]);
    mx.dispose(a);
    const [d, meta] = await mx.loadAsync(new Response(f.bytes), { returnMetadata: true });
    expect(meta).toEqual({ format: 'np', note: 'written by safetensors.numpy' });
    mx.dispose(d);
    const b = await mx.loadAsync(fixture('compressed.npz').bytes.buffer);
    expect(Object.keys(b)).toEqual(['weights', 'ids', 'mask', 'half']);
    mx.dispose(b);
    await expect(mx.loadAsync(new Response('nope', { status: 404 }))).rejects.toThrow(/^\[load\] The response .*HTTP 404/);
    expect(() => mx.load(new Blob([f.bytes]) as unknown as Uint8Array)).toThrow(/^\[load\] Reading a Blob is asynchronous: use await mx.loadAsync/);
  });

  if (nodeModules === null) {
    it('a path in a browser is an Error saying what to pass', () => {
      expect(() => mx.load('weights.safetensors')).toThrow(/^\[load\] Loading from a path needs Node\.js/);
      mx.tidy(() => {
        expect(() => mx.save('x.npy', mx.array([1]))).toThrow(/^\[save\] Saving to a path needs Node\.js/);
      });
    });
  } else {
    const { fs, tmpdir } = nodeModules;
    it('Node paths and file: URLs; extensions added as MLX adds them', () => {
      const dir = fs.mkdtempSync(`${tmpdir}/mlxjs-io-`);
      try {
        mx.tidy(() => {
          const a = mx.array([[1, 2], [3, 4]], mx.float16);
          mx.save(`${dir}/a`, a);
          mx.savez(`${dir}/b`, { a });
          mx.savezCompressed(`${dir}/c.npz`, { a });
          mx.saveSafetensors(new URL(`file://${dir}/d`), { a }, { metadata: { m: '1' } });
          for (const f of ['a.npy', 'b.npz', 'c.npz', 'd.safetensors']) expect(fs.existsSync(`${dir}/${f}`)).toBe(true);
          expect(fs.existsSync(`${dir}/c.npz.npz`)).toBe(false);
          expect((mx.load(`${dir}/a.npy`) as mx.Array).tolist()).toEqual([[1, 2], [3, 4]]);
          expect((mx.load(`file://${dir}/b.npz`) as Record<string, mx.Array>).a!.tolist()).toEqual([[1, 2], [3, 4]]);
          expect((mx.load(new URL(`file://${dir}/c.npz`)) as Record<string, mx.Array>).a!.dtype).toBe(mx.float16);
          const [d, meta] = mx.load(`${dir}/d.safetensors`, { returnMetadata: true });
          expect(d.a!.tolist()).toEqual([[1, 2], [3, 4]]);
          expect(meta).toEqual({ m: '1' });
          // No extension: the magic bytes tell.
          fs.writeFileSync(`${dir}/noext`, fs.readFileSync(`${dir}/d.safetensors`));
          expect((mx.load(`${dir}/noext`) as Record<string, mx.Array>).a!.shape).toEqual([2, 2]);
          // The NumPy fixture files from disk, both the streamed (safetensors) and whole-file paths.
          fs.writeFileSync(`${dir}/all.safetensors`, fixture('all.safetensors').bytes);
          const all = mx.load(`${dir}/all.safetensors`) as Record<string, mx.Array>;
          const holds = (fixture('all.safetensors').holds as { tensors: Record<string, Holds> }).tensors;
          for (const [k, h] of Object.entries(holds)) expect([String(all[k]!.dtype), all[k]!.shape, all[k]!.tolist()]).toEqual(expected(h));
        });
        expect(() => mx.load(`${dir}/missing.npy`)).toThrow(/^\[load\] Cannot read '.*missing\.npy' \(ENOENT\)/);
        expect(() => mx.load(`${dir}/missing.safetensors`)).toThrow(/^\[load\] Cannot read '.*missing\.safetensors' \(ENOENT\)/);
        for (const bad of ['bad_truncated.safetensors', 'bad_overlap.safetensors', 'bad_header_size.safetensors']) {
          fs.writeFileSync(`${dir}/${bad}`, fixture(bad).bytes);
          expect(() => mx.load(`${dir}/${bad}`)).toThrow(/^\[load\] /);
        }
        mx.tidy(() => {
          expect(() => mx.save(`${dir}/no/such/dir/x`, mx.array([1]))).toThrow(/^\[save\] Cannot write '.*x\.npy' \(ENOENT\)/);
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describeEachBackend('io: Backend.empty / writeBytes (what chunked loading uses)', () => {
  it('fills an array piece by piece at byte offsets; a piece that does not fit is an Error', () => {
    const backend = mx.currentBackend();
    const a = new mx.Array(backend, backend.empty([2, 3], mx.int16.code));
    const bytes = new Uint8Array(new Int16Array([1, -2, 3, -4, 5, -6]).buffer);
    backend.writeBytes(a.handle, 8, bytes.subarray(8));
    backend.writeBytes(a.handle, 0, bytes.subarray(0, 8));
    expect(a.tolist()).toEqual([[1, -2, 3], [-4, 5, -6]]);
    expect(() => backend.writeBytes(a.handle, 10, bytes.subarray(0, 4))).toThrow(/do not fit/);
    expect(() => backend.writeBytes(a.handle, -1, bytes.subarray(0, 1))).toThrow(/do not fit/);
    if (backend.bytesView !== undefined) expect(backend.bytesView(a.handle)).toEqual(bytes);
    a.dispose();
  });
});
