// The floating-point quantization modes (docs/quantization.md): FpQuantizedMatmul and
// FpDequantize for mxfp4 (e2m1 codes, e8m0 scale codes, groups of 32), mxfp8 (e4m3, e8m0,
// 32) and nvfp4 (e2m1, e4m3 scale codes, 16). Codes are packed as the affine mode packs
// them (quantized.h's qcode and chunk_code read them); one uint8 scale code per group.
// A weight is value(code) * scale(scale code): both are short binary fractions, so their
// product is exact in float and the products match the CPU's decoded weights exactly.
// Same grids and threadgroups as the affine kernels (quantized.h), except that a qmv chunk
// is one group (GS codes: GS * BITS / 32 whole words).

// e2m1: +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}, code c >= 8 the negative of c - 8.
constant float kE2m1Values[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
inline float e2m1_value(uint c) {
  float v = kE2m1Values[c & 7u];
  return (c & 8u) ? -v : v;
}

// e4m3 ("fn"): bias 7, subnormal step 2^-9; code 0x7f reads as 480, as on the CPU.
inline float e4m3_value(uint c) {
  uint e = (c >> 3) & 15u, m = c & 7u;
  float v = e == 0u ? float(m) * (1.0f / 512.0f) : (1.0f + float(m) * 0.125f) * float(1u << e) * (1.0f / 128.0f);
  return (c & 0x80u) ? -v : v;
}

// e8m0: 2^(c - 127) built from its exponent bits; code 0 is 2^-127 (a float32 subnormal,
// which a GPU flushing subnormals reads as 0), code 255 reads as infinity (as ldexp gives).
inline float e8m0_value(uint c) { return c == 0u ? as_type<float>(0x00400000u) : as_type<float>(c << 23); }

template <int BITS>
inline float fp_value(uint code) {
  return BITS == 4 ? e2m1_value(code) : e4m3_value(code);
}
template <int GS>
inline float fp_scale(uchar code) {
  return GS == 16 ? e4m3_value(uint(code)) : e8m0_value(uint(code));
}

template <typename T, int BITS, int GS>
[[kernel]] void qmv_fp_t(device const T* x [[buffer(0)]], device const uint* w [[buffer(1)]],
                         device const uchar* scales [[buffer(2)]], device const uint* lhs [[buffer(3)]],
                         device const uint* rhs [[buffer(4)]], device T* out [[buffer(5)]],
                         constant QuantParams& p [[buffer(6)]], uint3 group [[threadgroup_position_in_grid]],
                         uint lid [[thread_position_in_threadgroup]]) {
  threadgroup float partial[MLX_METAL_QMV_ROWS][MLX_METAL_QMV_THREADS];
  const int n0 = int(group.x) * MLX_METAL_QMV_ROWS;
  const int m = int(group.y);
  const long words = long(p.K) * BITS / 32;
  const int G = p.K / GS;
  const int chunk_words = GS * BITS / 32;
  const long xz = batch_of(lhs, group.z, p.gather), wz = batch_of(rhs, group.z, p.gather);
  device const T* xr = x + xz * p.x_batch + long(m) * p.K;
  device const uint* wb = w + wz * p.w_batch;
  device const uchar* sb = scales + wz * p.s_batch;
  float acc[MLX_METAL_QMV_ROWS];
  for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) acc[r] = 0.0f;
  for (int g = int(lid); g < G; g += MLX_METAL_QMV_THREADS) {
    float xv[GS];
    for (int j = 0; j < GS; ++j) xv[j] = float(xr[g * GS + j]);
    for (int r = 0; r < MLX_METAL_QMV_ROWS; ++r) {
      const int n = n0 + r;
      if (n >= p.N) break;
      device const uint* wr = wb + long(n) * words + long(g) * chunk_words;
      uint wd[GS * BITS / 32 + 1];
      for (int i = 0; i < chunk_words; ++i) wd[i] = wr[i];
      wd[chunk_words] = 0u;
      float d = 0.0f;
      for (int j = 0; j < GS; ++j) d += xv[j] * fp_value<BITS>(chunk_code<BITS>(wd, j));
      acc[r] += fp_scale<GS>(sb[long(n) * G + g]) * d;
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

// As quantized.h's qmm_tiled, with the floating-point decode.
template <typename T, int BITS, int GS, bool TRANSPOSE>
[[kernel]] void qmm_fp_tiled(device const T* x [[buffer(0)]], device const uint* w [[buffer(1)]],
                             device const uchar* scales [[buffer(2)]], device const uint* lhs [[buffer(3)]],
                             device const uint* rhs [[buffer(4)]], device T* out [[buffer(5)]],
                             constant QuantParams& p [[buffer(6)]], uint3 group [[threadgroup_position_in_grid]],
                             uint3 local [[thread_position_in_threadgroup]]) {
  threadgroup float x_tile[MLX_METAL_TILE][MLX_METAL_QMM_BK];
  threadgroup float w_tile[MLX_METAL_QMM_BK][MLX_METAL_TILE];
  const int ly = int(local.y), lx = int(local.x);
  const int row = int(group.y) * MLX_METAL_TILE + ly;
  const int col = int(group.x) * MLX_METAL_TILE + lx;
  const int n_dec = int(group.x) * MLX_METAL_TILE + ly;
  const int packed_len = TRANSPOSE ? p.K : p.N;
  const long words = long(packed_len) * BITS / 32;
  const int G = packed_len / GS;
  const long xz = batch_of(lhs, group.z, p.gather), wz = batch_of(rhs, group.z, p.gather);
  device const T* xb = x + xz * p.x_batch;
  device const uint* wb = w + wz * p.w_batch;
  device const uchar* sb = scales + wz * p.s_batch;
  float acc = 0.0f;
  for (int k0 = 0; k0 < p.K; k0 += MLX_METAL_QMM_BK) {
    for (int h = 0; h < MLX_METAL_QMM_BK; h += MLX_METAL_TILE) {
      const int kx = k0 + lx + h;
      x_tile[ly][lx + h] = (row < p.M && kx < p.K) ? float(xb[long(row) * p.K + kx]) : 0.0f;
      float v = 0.0f;
      if (TRANSPOSE) {
        if (n_dec < p.N && kx < p.K) {
          v = fp_value<BITS>(qcode(wb + long(n_dec) * words, uint(kx), BITS)) *
              fp_scale<GS>(sb[long(n_dec) * G + kx / GS]);
        }
        w_tile[lx + h][ly] = v;
      } else {
        const int kw = k0 + ly + h;
        if (kw < p.K && col < p.N) {
          v = fp_value<BITS>(qcode(wb + long(kw) * words, uint(col), BITS)) * fp_scale<GS>(sb[long(kw) * G + col / GS]);
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

// value * scale in T, the scale first rounded to T (as the CPU kernel, after MLX's T ops).
template <typename T, int BITS, int GS>
[[kernel]] void dequantize_fp(device const uint* w [[buffer(0)]], device const uchar* scales [[buffer(1)]],
                              device T* out [[buffer(2)]], constant DequantParams& p [[buffer(3)]],
                              uint gid [[thread_position_in_grid]]) {
  if (gid >= p.total) return;
  const uint r = gid / p.n, j = gid % p.n;
  const long g = long(r) * (p.n / GS) + j / GS;
  const float v = fp_value<BITS>(qcode(w + long(r) * p.words, j, BITS));
  out[gid] = T(v * float(T(fp_scale<GS>(scales[g]))));
}

// <kernel>_<mode>_<dtype>: mode mxfp4 (4 bits, groups of 32), mxfp8 (8, 32), nvfp4 (4, 16).
#define MLX_QUANTIZED_FP_INSTANTIATE(T, TN, MODE, B, GS)                     \
  INSTANTIATE(qmv_##MODE##_##TN, qmv_fp_t, T, B, GS)                         \
  INSTANTIATE(qmm_t_##MODE##_##TN, qmm_fp_tiled, T, B, GS, true)             \
  INSTANTIATE(qmm_n_##MODE##_##TN, qmm_fp_tiled, T, B, GS, false)            \
  INSTANTIATE(dequantize_##MODE##_##TN, dequantize_fp, T, B, GS)
MLX_QUANTIZED_FP_INSTANTIATE(float, float32, mxfp4, 4, 32)
MLX_QUANTIZED_FP_INSTANTIATE(float, float32, mxfp8, 8, 32)
MLX_QUANTIZED_FP_INSTANTIATE(float, float32, nvfp4, 4, 16)
MLX_QUANTIZED_FP_INSTANTIATE(half, float16, mxfp4, 4, 32)
MLX_QUANTIZED_FP_INSTANTIATE(half, float16, mxfp8, 8, 32)
MLX_QUANTIZED_FP_INSTANTIATE(half, float16, nvfp4, 4, 16)
