// The affine quantization primitives (docs/quantization.md): QuantizedMatmul and Dequantize.
// A weight row is one little-endian stream of BITS-wide codes in uint words (code j at bits
// j*BITS ... j*BITS+BITS-1; 3, 5 and 6-bit codes straddle words), with a scale and a bias
// per group of group_size (32, 64, 128) consecutive values; value = scale * q + bias.
// Arithmetic in float for float and half. Operands row-contiguous (the host declines others).
//
// - qmv_<dtype>_<bits> (transpose, few rows of x): out[m, n] = x[m] . W[n]. One threadgroup
//   of QMV_THREADS threads per (block of QMV_ROWS weight rows, row m of x, batch); thread t
//   takes the 32-code chunks t, t + QMV_THREADS, ... of K (a chunk is BITS whole words and
//   lies inside one group), sums scale * (x . q) + bias * sum(x) per chunk into one partial
//   per weight row, and the partials are added as a tree in threadgroup memory.
// - qmm_t_<dtype>_<bits> / qmm_n_<dtype>_<bits> (W [N, K] quantized along K / W [K, N]
//   quantized along N): a TILE x TILE threadgroup computes a TILE x TILE block of out; each
//   step stages x[rows, k0:k0+QMM_BK] and the dequantized W[k0:k0+QMM_BK, cols] (decoded by
//   the threads, two values each) in threadgroup memory between two barriers. Edges are
//   zero-padded, so M, N, K need not be multiples of the tile.
// - dequantize_<dtype>: one thread per output value, rounded as the CPU kernel does
//   (scale * q rounded to the dtype, then + bias rounded).
// Grids: qmv (ceil(N / QMV_ROWS), M, batches); qmm (ceil(N / TILE), ceil(M / TILE),
// batches); dequantize 1-D over the output. A batch of weights advances w, scales and
// biases by their batch strides (0 with one weight matrix, whose batch the host folds into
// M). GatherQMM runs the same kernels with output matrix z reading x matrix lhs[z] and W
// matrix rhs[z].

// Code j of the stream starting at `row`.
inline uint qcode(device const uint* row, uint j, int bits) {
  uint bit = j * uint(bits);
  uint w = bit >> 5, s = bit & 31u;
  uint v = row[w] >> s;
  if (s + uint(bits) > 32u) v |= row[w + 1] << (32u - s);
  return v & ((1u << uint(bits)) - 1u);
}

// Code j of a chunk of whole words held in registers (followed by a zero pad word).
template <int BITS>
inline uint chunk_code(thread const uint* wd, int j) {
  int bit = j * BITS;
  int i = bit >> 5, s = bit & 31;
  uint v = wd[i] >> s;
  if (s + BITS > 32) v |= wd[i + 1] << (32 - s);
  return v & ((1u << BITS) - 1u);
}

// The x or W matrix of output matrix z: z itself, or its gathered index (GatherQMM; the
// host checked the indices and binds x in their place when not gathering).
inline long batch_of(device const uint* index, uint z, int gather) { return gather ? long(index[z]) : long(z); }

template <typename T, int BITS>
[[kernel]] void qmv_t(device const T* x [[buffer(0)]], device const uint* w [[buffer(1)]],
                      device const T* scales [[buffer(2)]], device const T* biases [[buffer(3)]],
                      device const uint* lhs [[buffer(4)]], device const uint* rhs [[buffer(5)]],
                      device T* out [[buffer(6)]], constant QuantParams& p [[buffer(7)]],
                      uint3 group [[threadgroup_position_in_grid]],
                      uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float partial[MLX_METAL_QMV_ROWS][MLX_METAL_QMV_THREADS];
  const int n0 = int(group.x) * MLX_METAL_QMV_ROWS;
  const int m = int(group.y);
  const long words = long(p.K) * BITS / 32;
  const int G = p.K / p.group_size;
  const long xz = batch_of(lhs, group.z, p.gather), wz = batch_of(rhs, group.z, p.gather);
  device const T* xr = x + xz * p.x_batch + long(m) * p.K;
  device const uint* wb = w + wz * p.w_batch;
  device const T* sb = scales + wz * p.s_batch;
  device const T* bb = biases + wz * p.s_batch;
  float acc[MLX_METAL_QMV_ROWS];
  for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) acc[r] = 0.0f;
  const int chunks = p.K / 32;
  for (int c = int(lid); c < chunks; c += MLX_METAL_QMV_THREADS) {
    float xv[32];
    float xs = 0.0f;
    for (int j = 0; j < 32; ++j) {
      xv[j] = float(xr[c * 32 + j]);
      xs += xv[j];
    }
    const int g = (c * 32) / p.group_size;
    for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) {
      const int n = n0 + r;
      if (n >= p.N) break;
      device const uint* wr = wb + long(n) * words + long(c) * BITS;
      uint wd[BITS + 1];
      for (int i = 0; i < BITS; ++i) wd[i] = wr[i];
      wd[BITS] = 0u;
      float d = 0.0f;
      for (int j = 0; j < 32; ++j) d += xv[j] * float(chunk_code<BITS>(wd, j));
      acc[r] += float(sb[long(n) * G + g]) * d + float(bb[long(n) * G + g]) * xs;
    }
  }
  for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) partial[r][lid] = acc[r];
  threadgroup_barrier(mem_flags::mem_threadgroup);
  for (uint s = MLX_METAL_QMV_THREADS / 2; s > 0; s >>= 1) {
    if (lid < s) {
      for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) partial[r][lid] += partial[r][lid + s];
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
  }
  if (lid < uint(MLX_METAL_QMV_ROWS) && n0 + int(lid) < p.N) {
    out[long(group.z) * p.M * p.N + long(m) * p.N + n0 + int(lid)] = T(partial[lid][0]);
  }
}

// TRANSPOSE: W [N, K] quantized along K (out = x W^T); otherwise W [K, N] quantized along N.
template <typename T, int BITS, bool TRANSPOSE>
[[kernel]] void qmm_tiled(device const T* x [[buffer(0)]], device const uint* w [[buffer(1)]],
                          device const T* scales [[buffer(2)]], device const T* biases [[buffer(3)]],
                          device const uint* lhs [[buffer(4)]], device const uint* rhs [[buffer(5)]],
                          device T* out [[buffer(6)]], constant QuantParams& p [[buffer(7)]],
                          uint3 group [[threadgroup_position_in_grid]],
                          uint3 local [[thread_position_in_threadgroup]]) {
  threadgroup float x_tile[MLX_METAL_TILE][MLX_METAL_QMM_BK];  // [row][k]
  threadgroup float w_tile[MLX_METAL_QMM_BK][MLX_METAL_TILE];  // [k][col], dequantized
  const int ly = int(local.y), lx = int(local.x);
  const int row = int(group.y) * MLX_METAL_TILE + ly;
  const int col = int(group.x) * MLX_METAL_TILE + lx;
  // The weight row this thread decodes from: n (transpose) or k (per k step, below).
  const int n_dec = int(group.x) * MLX_METAL_TILE + ly;
  const int packed_len = TRANSPOSE ? p.K : p.N;  // codes per stored weight row
  const long words = long(packed_len) * BITS / 32;
  const int G = packed_len / p.group_size;
  const long xz = batch_of(lhs, group.z, p.gather), wz = batch_of(rhs, group.z, p.gather);
  device const T* xb = x + xz * p.x_batch;
  device const uint* wb = w + wz * p.w_batch;
  device const T* sb = scales + wz * p.s_batch;
  device const T* bb = biases + wz * p.s_batch;
  float acc = 0.0f;
  for (int k0 = 0; k0 < p.K; k0 += MLX_METAL_QMM_BK) {
    for (int h = 0; h < MLX_METAL_QMM_BK; h += MLX_METAL_TILE) {
      const int kx = k0 + lx + h;
      x_tile[ly][lx + h] = (row < p.M && kx < p.K) ? float(xb[long(row) * p.K + kx]) : 0.0f;
      float v = 0.0f;
      if (TRANSPOSE) {
        // (ly, lx) decodes W[n_dec, k0 + lx + h] into w_tile[lx + h][ly].
        if (n_dec < p.N && kx < p.K) {
          long gi = long(n_dec) * G + kx / p.group_size;
          v = float(sb[gi]) * float(qcode(wb + long(n_dec) * words, uint(kx), BITS)) + float(bb[gi]);
        }
        w_tile[lx + h][ly] = v;
      } else {
        // (ly, lx) decodes W[k0 + ly + h, col] into w_tile[ly + h][lx].
        const int kw = k0 + ly + h;
        if (kw < p.K && col < p.N) {
          long gi = long(kw) * G + col / p.group_size;
          v = float(sb[gi]) * float(qcode(wb + long(kw) * words, uint(col), BITS)) + float(bb[gi]);
        }
        w_tile[ly + h][lx] = v;
      }
    }
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (int k = 0; k < MLX_METAL_QMM_BK; ++k) acc += x_tile[ly][k] * w_tile[k][lx];
    threadgroup_barrier(mem_flags::mem_threadgroup);
  }
  if (row < p.M && col < p.N) out[long(group.z) * p.M * p.N + long(row) * p.N + col] = T(acc);
}

// The CPU kernel's rounding: scale * q rounded to T, then + bias rounded to T (for float the
// GPU compiler may fuse the two into one fused multiply-add; the emulation cannot see that).
template <typename T>
[[kernel]] void dequantize_affine(device const uint* w [[buffer(0)]], device const T* scales [[buffer(1)]],
                                  device const T* biases [[buffer(2)]], device T* out [[buffer(3)]],
                                  constant DequantParams& p [[buffer(4)]],
                                  uint gid [[thread_position_in_grid]]) {
  if (gid >= p.total) return;
  const uint r = gid / p.n, j = gid % p.n;
  const long g = long(r) * (p.n / p.group_size) + j / p.group_size;
  const float q = float(qcode(w + long(r) * p.words, j, p.bits));
  const T scaled = T(q * float(scales[g]));
  out[gid] = T(float(scaled) + float(biases[g]));
}

#define MLX_QUANTIZED_INSTANTIATE(T, TN, B)                  \
  INSTANTIATE(qmv_##TN##_##B, qmv_t, T, B)                   \
  INSTANTIATE(qmm_t_##TN##_##B, qmm_tiled, T, B, true)       \
  INSTANTIATE(qmm_n_##TN##_##B, qmm_tiled, T, B, false)
#define MLX_QUANTIZED_INSTANTIATE_BITS(T, TN) \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 2)         \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 3)         \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 4)         \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 5)         \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 6)         \
  MLX_QUANTIZED_INSTANTIATE(T, TN, 8)
MLX_QUANTIZED_INSTANTIATE_BITS(float, float32)
MLX_QUANTIZED_INSTANTIATE_BITS(half, float16)
INSTANTIATE(dequantize_float32, dequantize_affine, float)
INSTANTIATE(dequantize_float16, dequantize_affine, half)
