#include "quantized.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "dispatch.h"
#include "quantized_qmm.h"
#include "quantized_qmv.h"
#include "simd128.h"
#include "threading/parallel.h"

// scale * q + bias must round twice, as MLX's separate multiply and add do (no fused
// multiply-add; GCC targets here have none without -march flags).
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace mlx {

namespace {

array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

inline uint32_t code_mask(int bits) { return bits >= 32 ? 0xffffffffu : ((1u << bits) - 1u); }

// The arithmetic type of the kernels: float32, or float64 for float64 data.
template <typename T>
using acc_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

// Decodes n codes of a packed bit stream starting at element j0; j0 * bits is a multiple
// of 32 (a group or row start), so the codes start on a word boundary.
template <typename C>
void unpack(const uint32_t* row, int64_t j0, int64_t n, int bits, C* out) {
  const uint32_t mask = code_mask(bits);
  const uint32_t* p = row + (j0 * bits) / 32;
  if (bits == 2 || bits == 4 || bits == 8) {
    const int per = 32 / bits;  // n is a multiple of it: whole groups or rows
    for (int64_t i = 0; i < n; i += per) {
      uint32_t w = *p++;
      for (int k = 0; k < per; ++k) {
        out[i + k] = C(w & mask);
        w >>= bits;
      }
    }
    return;
  }
  uint64_t acc = 0;
  int have = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (have < bits) {
      acc |= uint64_t(*p++) << have;
      have += 32;
    }
    out[i] = C(uint32_t(acc) & mask);
    acc >>= bits;
    have -= bits;
  }
}

template <typename C>
C dot(const C* a, const C* b, int64_t n) {
  C s = 0;
  for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

inline float dot(const float* a, const float* b, int64_t n) {
  int64_t i = 0;
#if MLX_SIMD128
  v128_t s0 = wasm_f32x4_splat(0.f), s1 = wasm_f32x4_splat(0.f);
  for (; i + 8 <= n; i += 8) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
  }
  s0 = wasm_f32x4_add(s0, s1);
  float s = (wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1)) +
            (wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3));
#else
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // independent lanes the vectoriser maps to registers
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
#endif
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

// y[0:n] += a * x[0:n]
template <typename C>
void axpy(C a, const C* x, C* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

inline void axpy(float a, const float* x, float* y, int64_t n) {
  int64_t i = 0;
#if MLX_SIMD128
  v128_t va = wasm_f32x4_splat(a);
  for (; i + 4 <= n; i += 4) {
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(y + i), wasm_f32x4_mul(va, wasm_v128_load(x + i))));
  }
#endif
  for (; i < n; ++i) y[i] += a * x[i];
}

template <typename C, typename T>
std::vector<C> to_compute(const T* x, int64_t n) {
  std::vector<C> out(static_cast<size_t>(std::max<int64_t>(n, 0)));
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<C>(x[i]);
  return out;
}

// ---- quantize ------------------------------------------------------------------------

template <typename T>
void quantize_groups(const T* w, uint32_t* wq, T* scales, T* biases, int64_t n_groups, int gs, int bits) {
  const float n_bins = float((1 << bits) - 1);
  const float eps = 1e-7f;
  const int64_t words = int64_t(gs) * bits / 32;
  parallel_for(n_groups, std::max<int64_t>(1, kElementwiseGrain / gs), [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
      const T* x = w + g * gs;
      float mn = std::numeric_limits<float>::infinity(), mx = -mn;
      for (int j = 0; j < gs; ++j) {
        float v = static_cast<float>(x[j]);
        mx = std::max(mx, v);
        mn = std::min(mn, v);
      }
      // The end of larger magnitude is the edge, represented exactly: the scale is
      // negative when it is the maximum, and the bias is the edge (0 when the edge
      // rounds to code 0, keeping the plain scale).
      bool min_is_edge = std::abs(mn) > std::abs(mx);
      float scale = std::max((mx - mn) / n_bins, eps);
      scale = min_is_edge ? scale : -scale;
      float edge = min_is_edge ? mn : mx;
      float q0 = std::rint(edge / scale);
      float bias = 0;
      if (q0 != 0) {
        scale = edge / q0;
        bias = edge;
      }
      uint32_t* out = wq + g * words;
      uint64_t acc = 0;
      int have = 0;
      for (int j = 0; j < gs; ++j) {
        float c = std::rint((static_cast<float>(x[j]) - bias) / scale);
        c = std::min(std::max(c, 0.0f), n_bins);
        if (!(c >= 0)) c = 0;  // NaN input: code 0 rather than an undefined conversion
        acc |= uint64_t(c) << have;
        have += bits;
        if (have >= 32) {
          *out++ = uint32_t(acc);
          acc >>= 32;
          have -= 32;
        }
      }
      scales[g] = T(scale);
      biases[g] = T(bias);
    }
  });
}

// ---- dequantize ----------------------------------------------------------------------

template <typename T>
void dequantize_rows(const uint32_t* wq, const T* s, const T* b, T* out, int64_t rows, int64_t words, int64_t n,
                     int gs, int bits) {
  const int64_t groups = n / gs;
  parallel_for(rows, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(n, 1)), [&](int64_t r0, int64_t r1) {
    std::vector<float> q(static_cast<size_t>(n));
    for (int64_t r = r0; r < r1; ++r) {
      unpack(wq + r * words, 0, n, bits, q.data());
      const T* sr = s + r * groups;
      const T* br = b + r * groups;
      T* o = out + r * n;
      for (int64_t j = 0; j < n; ++j) {
        if constexpr (is_half<T>::value) {
          T p = T(q[j] * static_cast<float>(sr[j / gs]));  // q * scale rounded to T, then + bias
          o[j] = T(static_cast<float>(p) + static_cast<float>(br[j / gs]));
        } else {
          T p = T(q[j]) * sr[j / gs];
          o[j] = p + br[j / gs];
        }
      }
    }
  });
}

// ---- quantized matmul ----------------------------------------------------------------

// out [M, N] = x [M, K] @ W.T, W [N, K] packed along K. Blocks of kRows weight rows are
// decoded to float codes (a kRows x K buffer per thread) and dotted with every x row, so x
// is read once per block: sum over groups of scale * (x . q) + bias * sum(x) (the group
// sums of x are computed once).
template <typename T, typename C = acc_t<T>>
void qmm_t(const C* x, const C* xsum, const uint32_t* w, const T* s, const T* b, T* out, int64_t M,
           int64_t N, int64_t K, int gs, int bits) {
  constexpr int64_t kRows = 8;
  const int64_t words = K * bits / 32, G = K / gs;
  const int64_t blocks = (N + kRows - 1) / kRows;
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, M * K * kRows));
  parallel_for(blocks, grain, [&](int64_t i0, int64_t i1) {
    std::vector<C> q(static_cast<size_t>(kRows * K));
    std::vector<C> sc(static_cast<size_t>(kRows * G)), bc(static_cast<size_t>(kRows * G));
    for (int64_t blk = i0; blk < i1; ++blk) {
      const int64_t n0 = blk * kRows, nb = std::min(kRows, N - n0);
      for (int64_t t = 0; t < nb; ++t) {
        unpack(w + (n0 + t) * words, 0, K, bits, q.data() + t * K);
        for (int64_t g = 0; g < G; ++g) {
          sc[t * G + g] = static_cast<C>(s[(n0 + t) * G + g]);
          bc[t * G + g] = static_cast<C>(b[(n0 + t) * G + g]);
        }
      }
      for (int64_t m = 0; m < M; ++m) {
        const C* xr = x + m * K;
        const C* xs = xsum + m * G;
        for (int64_t t = 0; t < nb; ++t) {
          const C* qr = q.data() + t * K;
          C acc = 0;
          for (int64_t g = 0; g < G; ++g) {
            acc += sc[t * G + g] * dot(xr + g * gs, qr + g * gs, gs) + bc[t * G + g] * xs[g];
          }
          out[m * N + n0 + t] = T(acc);
        }
      }
    }
  });
}

// out [M, N] = x [M, K] @ W, W [K, N] packed along N. Threads own runs of whole groups of
// output columns; each decodes its slice of one weight row at a time and accumulates
// x[m, k] * row into float sums.
template <typename T, typename C = acc_t<T>>
void qmm_n(const C* x, const uint32_t* w, const T* s, const T* b, T* out, int64_t M, int64_t N, int64_t K, int gs,
           int bits) {
  const int64_t words = N * bits / 32, G = N / gs;
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, M * K * gs));
  parallel_for(G, grain, [&](int64_t g0, int64_t g1) {
    const int64_t c0 = g0 * gs, cols = (g1 - g0) * gs;
    std::vector<C> row(static_cast<size_t>(cols)), acc(static_cast<size_t>(M * cols), C(0));
    for (int64_t k = 0; k < K; ++k) {
      unpack(w + k * words, c0, cols, bits, row.data());
      for (int64_t g = g0; g < g1; ++g) {
        C sc = static_cast<C>(s[k * G + g]), bc = static_cast<C>(b[k * G + g]);
        C* r = row.data() + (g - g0) * gs;
        for (int j = 0; j < gs; ++j) r[j] = sc * r[j] + bc;
      }
      for (int64_t m = 0; m < M; ++m) axpy(x[m * K + k], row.data(), acc.data() + m * cols, cols);
    }
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t j = 0; j < cols; ++j) out[m * N + c0 + j] = T(acc[m * cols + j]);
    }
  });
}

}  // namespace

void quantize_eval(const array& w_, int group_size, int bits, array& wq, array& scales, array& biases) {
  array w = contiguous(w_);
  wq.set_data(allocator::malloc(wq.nbytes()));
  scales.set_data(allocator::malloc(scales.nbytes()));
  biases.set_data(allocator::malloc(biases.nbytes()));
  int64_t n_groups = int64_t(w.size()) / group_size;
  dispatch_floating(w.dtype(), "quantize", [&](auto t) {
    using T = typename decltype(t)::type;
    quantize_groups(w.data<T>(), wq.data<uint32_t>(), scales.data<T>(), biases.data<T>(), n_groups, group_size, bits);
  });
}

void dequantize_eval(const array& wq_, const array& s_, const array& b_, int group_size, int bits, array& out) {
  array wq = contiguous(wq_), s = contiguous(s_), b = contiguous(b_);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  int64_t n = out.shape(-1), words = wq.shape(-1);
  int64_t rows = int64_t(out.size()) / n;
  dispatch_floating(out.dtype(), "dequantize", [&](auto t) {
    using T = typename decltype(t)::type;
    dequantize_rows(wq.data<uint32_t>(), s.data<T>(), b.data<T>(), out.data<T>(), rows, words, n, group_size, bits);
  });
}

void quantized_matmul_eval(const array& x_, const array& w_, const array& s_, const array& b_, int group_size,
                           int bits, bool transpose, array& out) {
  array x = contiguous(x_), w = contiguous(w_), s = contiguous(s_), b = contiguous(b_);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int64_t K = x.shape(-1), N = out.shape(-1);
  int64_t M = x.ndim() > 1 ? x.shape(-2) : 1;
  const int64_t w_mat = int64_t(w.shape(-1)) * w.shape(-2), s_mat = int64_t(s.shape(-1)) * s.shape(-2);
  const int64_t w_batches = int64_t(w.size()) / w_mat;
  int64_t batches = int64_t(out.size()) / (M * N);
  if (w_batches == 1) {  // one weight matrix: every row of x is one row of a single product
    M *= batches;
    batches = 1;
  }
  dispatch_floating(out.dtype(), "quantized_matmul", [&](auto t) {
    using T = typename decltype(t)::type;
    T* o = out.data<T>();
    if (K == 0) {
      std::fill(o, o + out.size(), T(0.f));
      return;
    }
    const int64_t G = K / group_size;
    for (int64_t bi = 0; bi < batches; ++bi) {
      using C = acc_t<T>;
      std::vector<C> xf = to_compute<C>(x.data<T>() + bi * M * K, M * K);
      const uint32_t* wb = w.data<uint32_t>() + bi * w_mat;
      const T* sb = s.data<T>() + bi * s_mat;
      const T* bb = b.data<T>() + bi * s_mat;
      T* ob = o + bi * M * N;
      if constexpr (std::is_same_v<C, float>) {
        // float32 arithmetic: few rows take the matrix-vector kernels, many the tiled GEMM;
        // the loops below remain for float64 and the layouts the fast kernels skip.
        if (M > kQmvMaxRows) {
          qmm_tiled(xf.data(), wb, sb, bb, ob, M, N, K, group_size, bits, transpose);
          continue;
        }
        if (qmv_supported(bits, group_size, transpose)) {
          if (transpose) {
            qmv_t(xf.data(), wb, sb, bb, ob, M, N, K, group_size, bits);
          } else {
            qmv_n(xf.data(), wb, sb, bb, ob, M, N, K, group_size, bits);
          }
          continue;
        }
      }
      if (transpose) {
        std::vector<C> xsum(static_cast<size_t>(M * G));
        for (int64_t m = 0; m < M; ++m) {
          for (int64_t g = 0; g < G; ++g) {
            C a = 0;
            for (int j = 0; j < group_size; ++j) a += xf[m * K + g * group_size + j];
            xsum[m * G + g] = a;
          }
        }
        qmm_t(xf.data(), xsum.data(), wb, sb, bb, ob, M, N, K, group_size, bits);
      } else {
        qmm_n(xf.data(), wb, sb, bb, ob, M, N, K, group_size, bits);
      }
    }
  });
}

}  // namespace mlx
