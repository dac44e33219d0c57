// The benchmark cases and their inputs, shared by every peer so that all of them compute
// the same thing on the same numbers. Inputs come from a seeded generator (each child
// process regenerates them; nothing is read from disk).

/** Deterministic float32 values in [lo, hi). */
export function uniform(n, seed, lo = -1, hi = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

export const OVERHEAD_OPS = 10000;
export const MLP = { batch: 64, inp: 256, hidden: 256, out: 16, lr: 0.1 };

/**
 * Each case: id, label, unit of its headline number, `work` (flops for GFLOP/s, when
 * meaningful), a time budget for the timing loop, and a tolerance for the check against
 * mlxjs (|peer - mlxjs| <= atol + rtol * |mlxjs| on the sampled values).
 */
export const CASES = [
  ...[256, 512, 1024].map((n) => ({
    id: `matmul${n}`, label: `matmul ${n}×${n} fp32`, unit: 'ms', flops: 2 * n ** 3,
    budget: n === 1024 ? 4 : 2, reps: n === 1024 ? 7 : 15, atol: 1e-3, rtol: 1e-3,
  })),
  { id: 'add', label: 'add, 4M fp32', unit: 'ms', budget: 2, reps: 15, atol: 1e-6, rtol: 1e-6 },
  { id: 'sum', label: 'sum of 4M fp32', unit: 'ms', budget: 2, reps: 15, atol: 5, rtol: 1e-4 },
  { id: 'softmax', label: 'softmax, 4096 rows of 1024', unit: 'ms', budget: 2, reps: 15, atol: 1e-6, rtol: 1e-3 },
  { id: 'overhead', label: `${OVERHEAD_OPS.toLocaleString('en')} chained adds on [16]`, unit: 'µs/op', budget: 4, reps: 9, atol: 1e-2, rtol: 1e-5 },
  { id: 'mlp', label: 'MLP step 64×256→256→16 (fwd+grad+SGD)', unit: 'ms', budget: 3, reps: 15, atol: 1e-5, rtol: 1e-3 },
];

/** The inputs of every case (Float32Arrays, row-major) and their shapes. */
export function inputs() {
  const mm = {};
  for (const n of [256, 512, 1024]) mm[n] = { a: uniform(n * n, 11 + n), b: uniform(n * n, 13 + n), n };
  const N4 = 4 * 1024 * 1024;
  const { batch, inp, hidden, out } = MLP;
  return {
    mm,
    x4: uniform(N4, 101),
    y4: uniform(N4, 103),
    soft: { data: uniform(N4, 107, -4, 4), rows: 4096, cols: 1024 },
    small: uniform(16, 109, 0, 1e-3),
    mlp: {
      x: uniform(batch * inp, 201),
      t: uniform(batch * out, 203),
      w1: uniform(inp * hidden, 205, -0.1, 0.1),
      b1: uniform(hidden, 207, -0.1, 0.1),
      w2: uniform(hidden * out, 209, -0.1, 0.1),
      b2: uniform(out, 211, -0.1, 0.1),
    },
  };
}

/** At most 64 values taken evenly from a flat result: what the cross-check compares. */
export function sample(values) {
  const v = Array.from(values, Number);
  if (v.length <= 64) return v;
  const out = [];
  for (let i = 0; i < 64; i++) out.push(v[Math.floor((i * (v.length - 1)) / 63)]);
  return out;
}

/** What the MLP check compares: the loss and samples of every updated parameter. */
export function mlpValues([loss, w1, b1, w2, b2]) {
  const pick = (v, k) => Array.from({ length: k }, (_, i) => Number(v[Math.floor((i * (v.length - 1)) / Math.max(1, k - 1))]));
  return [Number(loss[0]), ...pick(w1, 16), ...pick(b1, 8), ...pick(w2, 16), ...pick(b2, 8)];
}
