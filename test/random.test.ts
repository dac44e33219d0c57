// mx.random: exact bits and samples for known keys (from an independent Python threefry in
// fixtures/gen_random.py, itself checked against Random123's known answers), the global
// key sequence, distribution moments on 100k samples, ranges, dtypes, errors.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';
import { checkGrads } from './helpers/gradcheck.js';
import randomFixture from './fixtures/random.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const F: any = randomFixture;

const flat = (x: mx.Array): number[] => Array.from(x.astype(mx.float64).toTypedArray() as Float64Array);

/** Mean and variance of a sample (in float64). */
function moments(x: mx.Array): [number, number] {
  return mx.tidy(() => {
    const d = x.astype(mx.float64);
    const m = mx.mean(d).item() as number;
    const c = mx.subtract(d, m);
    return [m, mx.mean(mx.multiply(c, c)).item() as number];
  });
}

describeEachBackend('random', () => {
  it('key(seed) splits the seed into its high and low 32 bits', () => {
    mx.tidy(() => {
      for (const c of F.keys) {
        const k = mx.random.key(c.seed);
        expect(k.dtype).toBe(mx.uint32);
        expect(k.shape).toEqual([2]);
        expect(k.tolist()).toEqual(c.key);
      }
    });
  });

  it('threefry2x32-20: Random123 known answer through bits, and the Python reference', () => {
    mx.tidy(() => {
      // Key (0, 0), counter (0, 0) -> (0x6b200159, 0x99ba4efe); one word of bits uses (0, 0).
      expect(F.kat[0].out[0]).toBe(0x6b200159);
      expect(mx.random.bits([1], 4, mx.random.key(0)).tolist()).toEqual([0x6b200159]);
      for (const c of F.firstWords) {
        const k = mx.array(new Uint32Array(c.key));
        expect(mx.random.bits([1], 4, k).tolist()).toEqual([c.word]);
      }
    });
  });

  it('split gives the reference keys (JAX/MLX layout: split(key(0)) is [[4146024105, 967050713], ...])', () => {
    mx.tidy(() => {
      for (const c of F.splits) {
        const s = mx.random.split(mx.random.key(c.seed), c.num);
        expect(s.shape).toEqual([c.num, 2]);
        expect(s.dtype).toBe(mx.uint32);
        expect(s.tolist()).toEqual(c.keys);
      }
      expect(mx.random.split(mx.random.key(0)).tolist()).toEqual([
        [4146024105, 967050713],
        [2718843009, 1272950319],
      ]);
      expect(mx.random.split(mx.random.key(1), 0).shape).toEqual([0, 2]);
    });
  });

  it('bits match the reference stream for every width, including partial words', () => {
    mx.tidy(() => {
      const dt: Record<number, mx.Dtype> = { 1: mx.uint8, 2: mx.uint16, 4: mx.uint32 };
      for (const c of F.bits) {
        const b = mx.random.bits([c.n], c.width, mx.random.key(c.seed));
        expect(b.dtype).toBe(dt[c.width]);
        expect(b.tolist()).toEqual(c.bits);
      }
      const b64 = mx.random.bits([3], 8, mx.random.key(5));
      expect(b64.dtype).toBe(mx.uint64);
      expect(Array.from(b64.toTypedArray() as BigUint64Array, String)).toEqual(F.bits64[0].bits);
      // Shapes: a 2-D draw is the 1-D stream reshaped.
      const m = mx.random.bits([2, 3], 4, mx.random.key(0));
      expect(m.shape).toEqual([2, 3]);
      expect(mx.random.bits([6], 4, mx.random.key(0)).tolist()).toEqual((m.tolist() as number[][]).flat());
      expect(mx.random.bits([0], 4, mx.random.key(0)).shape).toEqual([0]);
    });
  });

  it('uniform: exact values per dtype, scaling by low/high', () => {
    mx.tidy(() => {
      for (const c of F.uniform) {
        const u = mx.random.uniform(0, 1, [c.n], c.dtype, mx.random.key(c.seed));
        expect(String(u.dtype)).toBe(c.dtype);
        expect(flat(u)).toEqual(c.values);
      }
      const s = F.uniformScaled;
      const v = mx.random.uniform(s.low, s.high, [4], mx.float32, mx.random.key(s.seed));
      expect(flat(v)).toEqual(s.values);
      // The options form and a scalar draw.
      const o = mx.random.uniform({ low: s.low, high: s.high, shape: [4], key: mx.random.key(s.seed) });
      expect(flat(o)).toEqual(s.values);
      expect(mx.random.uniform(0, 1, [], mx.float32, mx.random.key(1)).shape).toEqual([]);
    });
  });

  it('uniform broadcasts array bounds into the shape', () => {
    mx.tidy(() => {
      const low = mx.array([0, 10, 100]);
      const u = mx.random.uniform(low, mx.add(low, 1), [1000, 3], mx.float32, mx.random.key(2));
      expect(u.shape).toEqual([1000, 3]);
      const mins = (mx.negative(mx.max(mx.negative(u), 0)).tolist() as number[]);
      const maxs = mx.max(u, 0).tolist() as number[];
      [0, 10, 100].forEach((lo, i) => {
        expect(mins[i]!).toBeGreaterThanOrEqual(lo);
        expect(maxs[i]!).toBeLessThan(lo + 1);
      });
    });
  });

  it('normal, gumbel, truncatedNormal, randint, bernoulli match the reference for known keys', () => {
    mx.tidy(() => {
      expectClose(flat(mx.random.normal([8], mx.float32, 0, 1, mx.random.key(F.normal.seed))), F.normal.values, 2e-6);
      expectClose(flat(mx.random.normal([4], mx.float64, null, null, mx.random.key(12))), F.normal64.values, 1e-12);
      expectClose(flat(mx.random.gumbel([6], mx.float32, mx.random.key(F.gumbel.seed))), F.gumbel.values, 2e-6);
      const t = F.truncatedNormal;
      expectClose(flat(mx.random.truncatedNormal(t.lower, t.upper, [6], mx.float32, mx.random.key(t.seed))), t.values, 1e-5);
      const r = F.randint;
      const ri = mx.random.randint(r.low, r.high, [10], mx.int32, mx.random.key(r.seed));
      expect(ri.dtype).toBe(mx.int32);
      expect(ri.tolist()).toEqual(r.values);
      const b = F.bernoulli;
      const bb = mx.random.bernoulli(b.p, [12], mx.random.key(b.seed));
      expect(bb.dtype).toBe(mx.bool);
      expect(bb.tolist()).toEqual(b.values);
    });
  });

  it('the global key: seed() makes draws reproducible, each draw advances it', () => {
    mx.tidy(() => {
      mx.random.seed(F.global.seed);
      expect(flat(mx.random.uniform(0, 1, [3]))).toEqual(F.global.first);
      expect(flat(mx.random.uniform(0, 1, [3]))).toEqual(F.global.second);
      mx.random.seed(F.global.seed);
      expect(flat(mx.random.uniform(0, 1, [3]))).toEqual(F.global.first);
      // seed(0) is the documented default: its first key feeds the first draw.
      mx.random.seed(0);
      const k = F.globalDefault.first[0];
      expect(mx.random.bits([2]).tolist()).toEqual(mx.random.bits([2], 4, mx.array(new Uint32Array(k))).tolist());
    });
  });

  it('distribution moments on 100k samples', () => {
    mx.tidy(() => {
      const n = 100_000;
      const [um, uv] = moments(mx.random.uniform(0, 1, [n], mx.float32, mx.random.key(21)));
      expect(Math.abs(um - 0.5)).toBeLessThan(0.005);
      expect(Math.abs(uv - 1 / 12)).toBeLessThan(0.002);
      const [nm, nv] = moments(mx.random.normal([n], mx.float32, 2, 3, mx.random.key(22)));
      expect(Math.abs(nm - 2)).toBeLessThan(0.05);
      expect(Math.abs(nv - 9)).toBeLessThan(0.15);
      const [gm, gv] = moments(mx.random.gumbel([n], mx.float32, mx.random.key(23)));
      expect(Math.abs(gm - 0.5772156649)).toBeLessThan(0.02);
      expect(Math.abs(gv - Math.PI ** 2 / 6)).toBeLessThan(0.05);
      const [bm] = moments(mx.random.bernoulli(0.3, [n], mx.random.key(24)));
      expect(Math.abs(bm - 0.3)).toBeLessThan(0.01);
      const [rm, rv] = moments(mx.random.randint(0, 10, [n], mx.int32, mx.random.key(25)));
      expect(Math.abs(rm - 4.5)).toBeLessThan(0.05);
      expect(Math.abs(rv - 8.25)).toBeLessThan(0.1);
      // Standard normal truncated to [0, inf): mean sqrt(2/pi), variance 1 - 2/pi.
      const tn = mx.random.truncatedNormal(0, Infinity, [n], mx.float32, mx.random.key(26));
      const [tm, tv] = moments(tn);
      expect(Math.abs(tm - Math.sqrt(2 / Math.PI))).toBeLessThan(0.01);
      expect(Math.abs(tv - (1 - 2 / Math.PI))).toBeLessThan(0.01);
      expect(mx.negative(mx.max(mx.negative(tn))).item() as number).toBeGreaterThanOrEqual(0);
      const [n64m, n64v] = moments(mx.random.normal([n], mx.float64, null, null, mx.random.key(27)));
      expect(Math.abs(n64m)).toBeLessThan(0.02);
      expect(Math.abs(n64v - 1)).toBeLessThan(0.02);
    });
  });

  it('ranges: randint stays in [low, high), integer dtypes, 64-bit ranges', () => {
    mx.tidy(() => {
      const r = mx.random.randint(-5, 5, [10000], mx.int8, mx.random.key(3));
      expect(r.dtype).toBe(mx.int8);
      const v = flat(r);
      expect(Math.min(...v)).toBe(-5);
      expect(Math.max(...v)).toBe(4);
      const big = mx.random.randint(0, 2 ** 40, [1000], mx.int64, mx.random.key(4));
      expect(big.dtype).toBe(mx.int64);
      const bv = flat(big);
      expect(Math.max(...bv)).toBeGreaterThan(2 ** 32);
      expect(Math.min(...bv)).toBeGreaterThanOrEqual(0);
      // An empty range gives low.
      expect(mx.random.randint(3, 3, [2], mx.int32, mx.random.key(1)).tolist()).toEqual([3, 3]);
      // bernoulli extremes, array p with default shape.
      expect(mx.random.bernoulli(mx.array([0, 1, 0, 1]), null, mx.random.key(2)).tolist()).toEqual([false, true, false, true]);
      // half-precision uniform stays below 1.
      const h = mx.random.uniform(0, 1, [5000], mx.float16, mx.random.key(5));
      expect(h.dtype).toBe(mx.float16);
      expect(mx.max(h).item() as number).toBeLessThan(1);
    });
  });

  it('every dtype each sampler accepts, and 0-size shapes', () => {
    mx.tidy(() => {
      const k = mx.random.key(40);
      for (const d of [mx.int8, mx.int16, mx.int32, mx.int64, mx.uint8, mx.uint16, mx.uint32, mx.uint64]) {
        const r = mx.random.randint(1, 100, [200], d, k);
        expect(r.dtype).toBe(d);
        const v = flat(r);
        expect(Math.min(...v)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...v)).toBeLessThan(100);
      }
      const rb = mx.random.randint(0, 2, [50], mx.bool, k);
      expect(rb.dtype).toBe(mx.bool);
      for (const d of [mx.float16, mx.bfloat16, mx.float32, mx.float64]) {
        for (const x of [
          mx.random.uniform(-1, 1, [300], d, k),
          mx.random.normal([300], d, null, null, k),
          mx.random.gumbel([300], d, k),
          mx.random.truncatedNormal(-1, 1, [300], d, k),
        ]) {
          expect(x.dtype).toBe(d);
          const v = flat(x);
          expect(v.every(Number.isFinite)).toBe(true);
        }
        const t = flat(mx.random.truncatedNormal(-1, 1, [300], d, k));
        expect(Math.min(...t)).toBeGreaterThanOrEqual(-1);
        expect(Math.max(...t)).toBeLessThanOrEqual(1);
      }
      expect(mx.random.uniform(0, 1, [0], mx.float32, k).shape).toEqual([0]);
      expect(mx.random.normal([2, 0], mx.float32, null, null, k).shape).toEqual([2, 0]);
      expect(mx.random.randint(0, 5, [0, 3], mx.int32, k).shape).toEqual([0, 3]);
      expect(mx.random.categorical(mx.zeros([2, 3]), { numSamples: 0, key: k }).shape).toEqual([2, 0]);
      expect(mx.random.permutation(0, 0, k).shape).toEqual([0]);
      // Without a key every sampler draws from the global sequence.
      mx.random.seed(3);
      const shapes = [
        mx.random.uniform(),
        mx.random.normal(),
        mx.random.gumbel(),
        mx.random.randint(0, 3),
        mx.random.bernoulli(),
        mx.random.truncatedNormal(-1, 1),
        mx.random.categorical(mx.zeros([4])),
        mx.random.permutation(3),
        mx.random.bits(),
      ].map((x) => x.shape);
      expect(shapes).toEqual([[], [], [], [], [], [], [], [3], []]);
    });
  });

  it('categorical samples the Gumbel-max argmax; shape and numSamples forms', () => {
    mx.tidy(() => {
      const c = F.categorical;
      const logits = mx.array(c.logits);
      const s = mx.random.categorical(logits, -1, null, null, mx.random.key(c.seed));
      expect(s.dtype).toBe(mx.uint32);
      expect(s.tolist()).toEqual(c.values);
      const many = mx.random.categorical(logits, { numSamples: 5, key: mx.random.key(1) });
      expect(many.shape).toEqual([2, 5]);
      const shaped = mx.random.categorical(logits, { axis: 1, shape: [3, 2], key: mx.random.key(1) });
      expect(shaped.shape).toEqual([3, 2]);
      // Frequencies follow softmax(logits).
      const p = [0.1, 0.2, 0.7];
      const draws = mx.random.categorical(mx.log(mx.array(p)), { numSamples: 20000, key: mx.random.key(9) });
      const counts = [0, 0, 0];
      for (const i of draws.tolist() as number[]) counts[i]! += 1;
      p.forEach((pi, i) => expect(Math.abs(counts[i]! / 20000 - pi)).toBeLessThan(0.015));
      // A certain category (-inf elsewhere).
      const sure = mx.random.categorical(mx.array([-Infinity, 0, -Infinity]), { numSamples: 10, key: mx.random.key(3) });
      expect(sure.tolist()).toEqual(new Array(10).fill(1));
    });
  });

  it('permutation shuffles arange(n) and arrays along an axis', () => {
    mx.tidy(() => {
      const p = mx.random.permutation(F.permutation.n, 0, mx.random.key(F.permutation.seed));
      expect(p.tolist()).toEqual(F.permutation.values);
      const x = mx.reshape(mx.arange(12), [4, 3]);
      const rows = mx.random.permutation(x, 0, mx.random.key(1)).tolist() as number[][];
      expect(rows.map((r) => r[0]! / 3).sort()).toEqual([0, 1, 2, 3]);
      rows.forEach((r) => expect(r).toEqual([r[0]!, r[0]! + 1, r[0]! + 2]));
      const cols = mx.random.permutation(x, { axis: -1, key: mx.random.key(2) }).tolist() as number[][];
      cols.forEach((r, i) => expect([...r].sort((a, b) => a - b)).toEqual([3 * i, 3 * i + 1, 3 * i + 2]));
      const big = flat(mx.random.permutation(1000, 0, mx.random.key(4)));
      expect([...big].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    });
  });

  it('gradients flow through loc/scale, low/high and truncation bounds', () => {
    const k = () => mx.random.key(31);
    checkGrads((loc, scale) => mx.random.normal([2, 3], mx.float64, loc, scale, k()), [[3], [2, 3]]);
    checkGrads((lo, hi) => mx.random.uniform(lo, hi, [4], mx.float64, k()), [[4], []]);
    checkGrads(
      (lo, hi) => mx.random.truncatedNormal(mx.subtract(lo, 1.5), mx.add(hi, 1.5), [5], mx.float64, k()),
      [[5], [5]],
      { atol: 1e-5, rtol: 1e-4 },
    );
    // permutation gathers along the axis: its gradient scatters back.
    checkGrads((x) => mx.random.permutation(x, 1, k()), [[2, 4]]);
  });

  it('optional arguments positionally or in a trailing options object', () => {
    mx.tidy(() => {
      const k = () => mx.random.key(50);
      const same = (a: mx.Array, b: mx.Array) => expect(a.tolist()).toEqual(b.tolist());
      same(mx.random.normal([3], { key: k() }), mx.random.normal([3], mx.float32, null, null, k()));
      same(mx.random.normal({ shape: [3], loc: 2, key: k() }), mx.random.normal([3], mx.float32, 2, null, k()));
      same(mx.random.uniform(-1, 1, [3], { key: k() }), mx.random.uniform(-1, 1, [3], mx.float32, k()));
      same(mx.random.randint(0, 9, [4], { dtype: mx.int16, key: k() }), mx.random.randint(0, 9, [4], mx.int16, k()));
      same(mx.random.bernoulli(0.4, { shape: [5], key: k() }), mx.random.bernoulli(0.4, [5], k()));
      same(mx.random.gumbel([2], { key: k() }), mx.random.gumbel([2], mx.float32, k()));
      same(mx.random.truncatedNormal(0, 1, { shape: [2], key: k() }), mx.random.truncatedNormal(0, 1, [2], mx.float32, k()));
      same(mx.random.bits([2], { width: 2, key: k() }), mx.random.bits([2], 2, k()));
      same(mx.random.split(k(), { num: 3 }), mx.random.split(k(), 3));
      same(mx.random.permutation(6, { key: k() }), mx.random.permutation(6, 0, k()));
      expect(mx.random.normal([2], { dtype: mx.float16, key: k() }).dtype).toBe(mx.float16);
    });
  });

  it('bad input is an Error naming the op', () => {
    mx.tidy(() => {
      const k = mx.random.key(0);
      expect(() => mx.random.uniform(0, 1, [2], mx.int32, k)).toThrow('[uniform]');
      expect(() => mx.random.uniform(mx.zeros([3]), 1, [2], mx.float32, k)).toThrow('[uniform]');
      expect(() => mx.random.normal([2], mx.int32, null, null, k)).toThrow('[normal]');
      expect(() => mx.random.randint(0, 3, [2], mx.float32, k)).toThrow('[randint]');
      expect(() => mx.random.bernoulli(mx.array([1, 0], mx.int32), null, k)).toThrow('[bernoulli]');
      expect(() => mx.random.bits([2], 3, k)).toThrow('[bits]');
      expect(() => mx.random.bits([2], 4, mx.zeros([2]))).toThrow('[bits]');
      expect(() => mx.random.bits([2], 4, mx.array(new Uint32Array([1, 2, 3])))).toThrow('[bits]');
      expect(() => mx.random.key(-1)).toThrow('[key]');
      expect(() => mx.random.key(1.5)).toThrow('[key]');
      expect(() => mx.random.seed(-3)).toThrow('[seed]');
      expect(() => mx.random.gumbel([-1], mx.float32, k)).toThrow('[gumbel]');
      expect(() => mx.random.categorical(mx.zeros([2, 3]), 2, null, null, k)).toThrow('[categorical]');
      expect(() => mx.random.categorical(mx.zeros([2, 3]), -1, [2], 3, k)).toThrow('[categorical]');
      expect(() => mx.random.categorical(mx.zeros([2, 3]), -1, [4], null, k)).toThrow('[categorical]');
      expect(() => mx.random.permutation(mx.zeros([2]), 1, k)).toThrow('[permutation]');
      expect(() => mx.random.truncatedNormal(mx.zeros([2]), mx.zeros([3]), null, mx.float32, k)).toThrow('[truncated_normal]');
    });
  });
});
