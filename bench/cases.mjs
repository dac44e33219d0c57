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
/** conv2d: NHWC input [1, 64, 64, 32], 3×3 kernel to 64 channels, stride 1, 'same' padding. */
export const CONV = { n: 1, h: 64, w: 64, cin: 32, k: 3, cout: 64 };
/** conv3d: NDHWC input [1, 16, 32, 32, 16], 3×3×3 kernel to 32 channels, stride 1, 'same' padding. */
export const CONV3D = { n: 1, d: 16, h: 32, w: 32, cin: 16, k: 3, cout: 32 };
/** The grad case of issue #5: grad over W of sum(tanh(x @ W)), x [64, 256], W [256, 256]. */
export const GRAD = { m: 64, k: 256, n: 256 };
export const COLSUM = 2048;
/**
 * The 4-bit quantized matmul cases (issue #22): x [rows, k] times the transpose of a weight
 * [n, k] in MLX's affine layout (groups of 64 along k; packed words, scales, biases), for
 * one row (decode) and 512 (a prompt), each next to the float32 matmul of the same shape.
 */
export const QMM = { k: 4096, n: 4096, groupSize: 64, bits: 4, promptRows: 512 };
/** The bandwidth probe: a copy-like op over this many float32 (64 MiB read, 64 MiB written). */
export const COPY_ELEMS = 16 * 1024 * 1024;

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
  { id: 'addScalar', label: 'add scalar, 4M fp32', unit: 'ms', budget: 2, reps: 15, atol: 1e-6, rtol: 1e-6 },
  { id: 'addRow', label: 'add row [2048] to 2048×2048 fp32', unit: 'ms', budget: 2, reps: 15, atol: 1e-6, rtol: 1e-6 },
  { id: 'sumAxis0', label: 'sum over axis 0 of 2048×2048 fp32', unit: 'ms', budget: 2, reps: 15, atol: 1e-3, rtol: 1e-4 },
  {
    id: 'conv2d', label: 'conv2d 1×64×64×32, 3×3→64, same', unit: 'ms', budget: 3, reps: 15, atol: 1e-3, rtol: 1e-3,
    flops: 2 * CONV.n * CONV.h * CONV.w * CONV.cout * CONV.k * CONV.k * CONV.cin,
  },
  {
    id: 'conv3d', label: 'conv3d 1×16×32×32×16, 3×3×3→32, same', unit: 'ms', budget: 3, reps: 9, atol: 1e-3, rtol: 1e-3,
    flops: 2 * CONV3D.n * CONV3D.d * CONV3D.h * CONV3D.w * CONV3D.cout * CONV3D.k ** 3 * CONV3D.cin,
  },
  { id: 'overhead', label: `${OVERHEAD_OPS.toLocaleString('en')} chained adds on [16]`, unit: 'µs/op', budget: 4, reps: 9, atol: 1e-2, rtol: 1e-5 },
  { id: 'gradTanh', label: 'grad of sum(tanh(x@W)), x 64×256, W 256×256', unit: 'ms', budget: 3, reps: 15, atol: 1e-4, rtol: 1e-3 },
  { id: 'mlp', label: 'MLP step 64×256→256→16 (fwd+grad+SGD)', unit: 'ms', budget: 3, reps: 15, atol: 1e-5, rtol: 1e-3 },
  // Quantized matmul (issue #22). Bytes: what the op must read at least (the weight in its
  // own format, x, the output), for the fraction of memory bandwidth in bench/run.mjs.
  ...[['Decode', 1], ['Prompt', QMM.promptRows]].flatMap(([name, rows]) => {
    const flops = 2 * rows * QMM.k * QMM.n;
    const io = 4 * rows * (QMM.k + QMM.n);
    const groups = (QMM.k / QMM.groupSize) * QMM.n;
    return [
      {
        id: `qmm4${name}`, label: `quantizedMatmul 4-bit [${rows},${QMM.k}]×[${QMM.n},${QMM.k}]ᵀ`, unit: 'ms', flops,
        bytes: (QMM.k * QMM.n * QMM.bits) / 8 + 8 * groups + io,
        budget: rows === 1 ? 2 : 6, reps: rows === 1 ? 30 : 5, atol: 2e-3, rtol: 1e-3,
      },
      {
        id: `f32mm${name}`, label: `matmul fp32 [${rows},${QMM.k}]×[${QMM.k},${QMM.n}]`, unit: 'ms', flops,
        bytes: 4 * QMM.k * QMM.n + io, budget: rows === 1 ? 2 : 6, reps: rows === 1 ? 30 : 5, atol: 2e-3, rtol: 1e-3,
      },
    ];
  }),
  { id: 'copy', label: 'copy 64 MiB fp32 (memory bandwidth probe)', unit: 'ms', bytes: 8 * COPY_ELEMS, budget: 2, reps: 15, atol: 1e-6, rtol: 1e-6 },
];

/**
 * The quantized weight of the qmm cases, built from seeded codes rather than quantized from
 * floats, so every peer gets exactly the same weights: codes [n, k] in 0..15 packed 8 per
 * uint32 (element 0 in the lowest bits, MLX's layout, which read as bytes is also the
 * layout of onnxruntime's MatMulNBits: low nibble first), positive scales, and integer zero
 * points zp in 0..15 given to MLX as biases = -scale * zp (so w = scale * (q - zp) in both).
 */
export function quantizedWeights() {
  const { k, n, groupSize, bits } = QMM;
  // Each word is 8 codes, the words a seeded generator's output.
  const words = new Uint32Array((n * k * bits) / 32);
  let st = 301;
  for (let i = 0; i < words.length; i++) {
    st = (Math.imul(st, 1664525) + 1013904223) >>> 0;
    words[i] = st ^ (st >>> 15);  // the high bits into the low ones, which alone cycle quickly
  }
  const groups = (n * k) / groupSize;
  const scales = uniform(groups, 303, 0.002, 0.02);
  const zp = Uint8Array.from(uniform(groups, 305, 0, 16), (v) => Math.floor(v));
  const biases = Float32Array.from(scales, (s, g) => -s * zp[g]);
  return { words, scales, biases, zp };
}


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
    row: uniform(COLSUM, 113),
    // conv2d operands in MLX's layouts: input NHWC, weight [C_out, KH, KW, C_in]. Peers with
    // other layouts convert them (conv2dLayouts) before timing.
    conv: {
      x: uniform(CONV.n * CONV.h * CONV.w * CONV.cin, 115),
      w: uniform(CONV.cout * CONV.k * CONV.k * CONV.cin, 117, -0.2, 0.2),
    },
    // conv3d operands in MLX's layouts: input NDHWC, weight [C_out, KD, KH, KW, C_in].
    conv3d: {
      x: uniform(CONV3D.n * CONV3D.d * CONV3D.h * CONV3D.w * CONV3D.cin, 123),
      w: uniform(CONV3D.cout * CONV3D.k ** 3 * CONV3D.cin, 125, -0.2, 0.2),
    },
    grad: { x: uniform(GRAD.m * GRAD.k, 119), w: uniform(GRAD.k * GRAD.n, 121, -0.1, 0.1) },
    // Lazily: 64 MiB and more each, built only by the cases that use them.
    get qmm() {
      const value = {
        x: uniform(QMM.promptRows * QMM.k, 307),
        wf: uniform(QMM.k * QMM.n, 309, -0.05, 0.05),
        q: quantizedWeights(),
      };
      Object.defineProperty(this, 'qmm', { value });
      return value;
    },
    get copy() {
      const value = uniform(COPY_ELEMS, 311);
      Object.defineProperty(this, 'copy', { value });
      return value;
    },
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

/** A row-major array's axes permuted: `perm[i]` is the source axis of output axis i. */
export function permute(data, shape, perm) {
  const outShape = perm.map((p) => shape[p]);
  const srcStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i] * srcStrides[perm[i]];
    out[o] = data[src];
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** conv2d operands in the other layouts: NCHW input, [KH, KW, C_in, C_out] and [C_out, C_in, KH, KW] weights. */
export function conv2dLayouts(conv) {
  const { n, h, w, cin, k, cout } = CONV;
  return {
    xNCHW: permute(conv.x, [n, h, w, cin], [0, 3, 1, 2]),
    wHWIO: permute(conv.w, [cout, k, k, cin], [1, 2, 3, 0]),
    wOIHW: permute(conv.w, [cout, k, k, cin], [0, 3, 1, 2]),
  };
}

/** An NCHW result back in NHWC, for the cross-check. */
export const nchwToNhwc = (data, [n, c, h, w]) => permute(data, [n, c, h, w], [0, 2, 3, 1]);
