#include "quantized_qmm.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "dtype.h"
#include "matmul_blas.h"
#include "matmul_f32.h"
#include "quantized_decode.h"
#include "threading/parallel.h"

namespace mlx {

namespace {

template <typename S>
struct Weights {
  const uint32_t* w;
  const S* s;
  const S* b;
  int64_t N, K;
  int gs, bits;
};

// B(k, n) = W[n, k]: each of a panel's columns is a run of one weight row, decoded into a
// stack buffer and spread with stride kSgemmPanelCols.
template <typename S>
void pack_transposed(const void* ctx, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
  const auto& q = *static_cast<const Weights<S>*>(ctx);
  constexpr int NR = kSgemmPanelCols;
  const int64_t words = q.K * q.bits / 32, G = q.K / q.gs;
  alignas(16) float run[kSgemmDepthBlock];
  for (int64_t p0 = 0; p0 < nc; p0 += NR, out += NR * kc) {
    for (int j = 0; j < NR; ++j) {
      const int64_t n = j0 + p0 + j;
      if (p0 + j >= nc) {
        for (int64_t k = 0; k < kc; ++k) out[k * NR + j] = 0.f;
        continue;
      }
      qdecode::dequantize_span(q.w + n * words, k0, kc, q.bits, q.gs, q.s + n * G, q.b + n * G, run);
      for (int64_t k = 0; k < kc; ++k) out[k * NR + j] = run[k];
    }
  }
}

// B(k, n) = W[k, n]: a panel row is kSgemmPanelCols consecutive codes of weight row k.
template <typename S>
void pack_rows_of_w(const void* ctx, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
  const auto& q = *static_cast<const Weights<S>*>(ctx);
  constexpr int NR = kSgemmPanelCols;
  const int64_t words = q.N * q.bits / 32, G = q.N / q.gs;
  alignas(16) float run[NR];
  for (int64_t p0 = 0; p0 < nc; p0 += NR, out += NR * kc) {
    const int64_t cols = std::min<int64_t>(NR, nc - p0);
    for (int64_t k = 0; k < kc; ++k) {
      const int64_t r = k0 + k;
      float* dst = cols == NR ? out + k * NR : run;
      qdecode::dequantize_span(q.w + r * words, j0 + p0, cols, q.bits, q.gs, q.s + r * G, q.b + r * G, dst);
      if (cols < NR) {
        for (int j = 0; j < NR; ++j) out[k * NR + j] = j < cols ? run[j] : 0.f;
      }
    }
  }
}

// With BLAS: blocks of whole 128-column runs of W decoded into one buffer, then one sgemm
// per block writing its columns of out. Returns false without BLAS.
template <typename S>
bool qmm_blas(const float* x, const Weights<S>& q, float* out, int64_t M, bool transpose) {
  const int64_t N = q.N, K = q.K;
  const int64_t nb = std::min(N, std::max<int64_t>(128, (int64_t(1) << 20) / std::max<int64_t>(K, 1) / 128 * 128));
  std::vector<float> wd(static_cast<size_t>(nb * K));
  const int64_t G_row = (transpose ? K : N) / q.gs;
  const int64_t words = (transpose ? K : N) * q.bits / 32;
  for (int64_t n0 = 0; n0 < N; n0 += nb) {
    const int64_t cols = std::min(nb, N - n0);
    if (transpose) {  // wd [cols, K]: rows n0.. of W
      parallel_for(cols, std::max<int64_t>(1, kElementwiseGrain / K), [&](int64_t a, int64_t e) {
        for (int64_t n = a; n < e; ++n) {
          qdecode::dequantize_span(q.w + (n0 + n) * words, 0, K, q.bits, q.gs, q.s + (n0 + n) * G_row,
                                   q.b + (n0 + n) * G_row, wd.data() + n * K);
        }
      });
    } else {  // wd [K, cols]: columns n0.. of every row of W
      parallel_for(K, std::max<int64_t>(1, kElementwiseGrain / cols), [&](int64_t a, int64_t e) {
        for (int64_t k = a; k < e; ++k) {
          qdecode::dequantize_span(q.w + k * words, n0, cols, q.bits, q.gs, q.s + k * G_row, q.b + k * G_row,
                                   wd.data() + k * cols);
        }
      });
    }
    if (!sgemm_blas(M, cols, K, x, K, wd.data(), transpose ? K : cols, transpose, out + n0, N)) return false;
  }
  return true;
}

}  // namespace

template <typename S, typename O>
void qmm_tiled(const float* x, const uint32_t* w, const S* s, const S* b, O* out, int64_t M, int64_t N, int64_t K,
               int gs, int bits, bool transpose) {
  std::vector<float> tmp;
  float* o;
  if constexpr (std::is_same_v<O, float>) {
    o = out;
  } else {
    tmp.resize(static_cast<size_t>(M * N));
    o = tmp.data();
  }
  const Weights<S> q{w, s, b, N, K, gs, bits};
  if (!(sgemm_blas_available() && qmm_blas(x, q, o, M, transpose))) {
    SgemmBPacker packer{transpose ? &pack_transposed<S> : &pack_rows_of_w<S>, &q};
    sgemm_packed_b(M, N, K, x, K, 1, packer, o, N);
  }
  if constexpr (!std::is_same_v<O, float>) {
    for (int64_t i = 0; i < M * N; ++i) out[i] = O(tmp[i]);
  }
}

#define MLX_QMM_INSTANTIATE(T)                                                                                   \
  template void qmm_tiled<T, T>(const float*, const uint32_t*, const T*, const T*, T*, int64_t, int64_t, int64_t, \
                                int, int, bool);
MLX_QMM_INSTANTIATE(float)
MLX_QMM_INSTANTIATE(float16_t)
MLX_QMM_INSTANTIATE(bfloat16_t)
#undef MLX_QMM_INSTANTIATE

}  // namespace mlx
