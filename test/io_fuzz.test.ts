// Random byte mutations of valid files (seeded, so a failure reproduces): every load either
// returns arrays of a consistent shape or throws an Error whose message starts `[load]`:
// never another exception type, a crash or a hang; a failed load leaves no array behind
// (describeEachBackend checks the live array count after each test).
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { fixture } from './helpers/io-fixtures.js';

/** mulberry32: a small seeded PRNG with good enough spread for picking bytes. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutation: overwrite 1-4 bytes (header-biased), truncate, or duplicate a run. */
function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const pick = rand();
  if (pick < 0.1) return src.slice(0, Math.floor(rand() * src.length));
  if (pick < 0.15) {
    const at = Math.floor(rand() * src.length);
    const run = src.slice(at, at + 1 + Math.floor(rand() * 16));
    const out = new Uint8Array(src.length + run.length);
    out.set(src.subarray(0, at));
    out.set(run, at);
    out.set(src.subarray(at), at + run.length);
    return out;
  }
  const out = src.slice();
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    // Half the mutations land in the first 128 bytes, where the headers are.
    const span = rand() < 0.5 ? Math.min(128, out.length) : out.length;
    const at = Math.floor(rand() * span);
    const r = rand();
    out[at] = r < 0.3 ? 0 : r < 0.4 ? 0xff : Math.floor(rand() * 256);
  }
  return out;
}

function checkResult(r: unknown): void {
  const arrays = r instanceof mx.Array ? [r] : Object.values(r as Record<string, mx.Array>);
  for (const a of arrays) {
    expect(a).toBeInstanceOf(mx.Array);
    const shape = a.shape;
    expect(shape.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
    // Reading checks the bytes exist: the core holds exactly size * itemsize of them
    // (complex64 reads back as interleaved float32 pairs).
    const perElement = a.dtype === mx.complex64 ? 2 : 1;
    expect(a.toTypedArray().length).toBe(shape.reduce((x, y) => x * y, 1) * perElement);
  }
  mx.dispose(arrays);
}

const CASES: [string, 'npy' | 'npz' | 'safetensors'][] = [
  ['float32.npy', 'npy'], ['float64_be_fortran.npy', 'npy'], ['bool.npy', 'npy'], ['v2.npy', 'npy'],
  ['plain.npz', 'npz'], ['compressed.npz', 'npz'],
  ['all.safetensors', 'safetensors'], ['bf16.safetensors', 'safetensors'],
];
const MUTATIONS = 300;

describeEachBackend('io fuzz', () => {
  for (const [name, format] of CASES) {
    it(`${MUTATIONS} mutations of ${name}: arrays or a [load] Error`, () => {
      const src = fixture(name).bytes;
      const rand = prng(0x5eed ^ name.length * 7919 ^ src.length);
      let loaded = 0;
      let refused = 0;
      for (let i = 0; i < MUTATIONS; i++) {
        const bytes = mutate(src, rand);
        // With the format given, and sniffed (a mutated magic is then a [load] Error too).
        for (const opts of [{ format }, {}]) {
          let r: unknown;
          try {
            r = mx.load(bytes, opts);
          } catch (e) {
            expect(e, `mutation ${i}`).toBeInstanceOf(Error);
            expect((e as Error).message, `mutation ${i}`).toMatch(/^\[load\] /);
            refused++;
            continue;
          }
          checkResult(r);
          loaded++;
        }
      }
      // Both outcomes occur (values-only mutations load; header mutations are refused).
      expect(loaded).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    });
  }
});
