#include "quantized_fp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "backend/cpu/fp_formats.h"
#include "backend/cpu/qmm_rows.h"
#include "dispatch.h"
#include "threading/parallel.h"

namespace mlx {

namespace {

array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

template <typename T>
using qcompute_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

// x rounded to T and back: MLX computes the floating-point quantization as array ops in
// w's dtype, so its intermediate values are T values.
template <typename T>
inline float in_t(float x) {
  if constexpr (std::is_same_v<T, double>) return x;
  else return static_cast<float>(T(x));
}

// MLX's rule per group: the scale is max|w| / (6 for fp4, 448 for fp8), stored as e4m3
// (groups of 16, nvfp4) or as the smallest e8m0 power of two not below it (mx modes);
// each value divided by the decoded scale becomes the nearest e2m1 code (ties to the
// lower code) or its e4m3 code. A zero scale gives codes 0.
template <typename T>
void quantize_groups(const T* w, uint32_t* wq, uint8_t* scales, int64_t n_groups, int gs, int bits) {
  const float maxval = bits == 4 ? 6.0f : 448.0f;
  const int64_t words = int64_t(gs) * bits / 32;
  parallel_for(n_groups, std::max<int64_t>(1, kElementwiseGrain / gs), [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
      const T* x = w + g * gs;
      float amax = 0;
      for (int j = 0; j < gs; ++j) amax = std::max(amax, std::abs(static_cast<float>(x[j])));
      const float raw = in_t<T>(amax / maxval);
      uint8_t code;
      float scale;
      if (gs == 16) {
        code = fp_formats::e4m3_code(raw);
        scale = fp_formats::e4m3_value(code);
      } else {
        code = fp_formats::e8m0_scale_code(raw);
        scale = fp_formats::e8m0_value(code);
      }
      scales[g] = code;
      uint32_t* out = wq + g * words;
      std::fill(out, out + words, 0u);
      for (int j = 0; j < gs; ++j) {
        float v = scale == 0.0f ? 0.0f : in_t<T>(static_cast<float>(x[j]) / scale);
        uint32_t c = bits == 4 ? fp_formats::e2m1_nearest(v, [](float d) { return in_t<T>(d); })
                               : fp_formats::e4m3_code(v);
        const int64_t bit = int64_t(j) * bits;
        out[bit >> 5] |= c << (bit & 31);
      }
    }
  });
}

}  // namespace

void fp_quantize_eval(const array& w_, int group_size, int bits, array& wq, array& scales) {
  array w = contiguous(w_);
  wq.set_data(allocator::malloc(wq.nbytes()));
  scales.set_data(allocator::malloc(scales.nbytes()));
  const int64_t n_groups = int64_t(w.size()) / group_size;
  dispatch_floating(w.dtype(), "quantize", [&](auto t) {
    using T = typename decltype(t)::type;
    quantize_groups(w.data<T>(), wq.data<uint32_t>(), scales.data<uint8_t>(), n_groups, group_size, bits);
  });
}

void fp_dequantize_eval(const array& wq_, const array& s_, int group_size, int bits, array& out) {
  array wq = contiguous(wq_), s = contiguous(s_);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int64_t n = out.shape(-1), rows = int64_t(out.size()) / n;
  qmm_rows::FpDecoder<float> dec{wq.data<uint32_t>(), s.data<uint8_t>(), wq.shape(-1), s.shape(-1), group_size, bits};
  dispatch_floating(out.dtype(), "dequantize", [&](auto t) {
    using T = typename decltype(t)::type;
    T* o = out.data<T>();
    parallel_for(rows, std::max<int64_t>(1, kElementwiseGrain / n), [&](int64_t r0, int64_t r1) {
      std::vector<float> row(static_cast<size_t>(n));
      for (int64_t r = r0; r < r1; ++r) {
        // value * scale in T, as MLX multiplies the T-typed values by the T-typed scale
        const uint8_t* sr = s.data<uint8_t>() + r * s.shape(-1);
        const uint32_t* wr = wq.data<uint32_t>() + r * wq.shape(-1);
        for (int64_t j = 0; j < n; ++j) {
          uint32_t c = qmm_rows::code_at(wr, j, bits);
          float v = bits == 4 ? fp_formats::e2m1_value(c) : fp_formats::e4m3_value(c);
          float sc = in_t<T>(dec.scale(sr[j / group_size]));
          o[r * n + j] = T(v * sc);
        }
      }
    });
  });
}

void fp_quantized_matmul_eval(const array& x_, const array& w_, const array& s_, int group_size, int bits,
                              bool transpose, array& out) {
  array x = contiguous(x_), w = contiguous(w_), s = contiguous(s_);
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int64_t K = x.shape(-1), N = out.shape(-1);
  int64_t M = x.ndim() > 1 ? x.shape(-2) : 1;
  const int64_t w_mat = int64_t(w.shape(-1)) * w.shape(-2), s_mat = int64_t(s.shape(-1)) * s.shape(-2);
  const int64_t w_batches = int64_t(w.size()) / std::max<int64_t>(w_mat, 1);
  int64_t batches = int64_t(out.size()) / (M * N);
  if (w_batches == 1) {  // one weight matrix: every row of x is one row of a single product
    M *= batches;
    batches = 1;
  }
  dispatch_floating(out.dtype(), "quantized_matmul", [&](auto t) {
    using T = typename decltype(t)::type;
    using C = qcompute_t<T>;
    T* o = out.data<T>();
    if (K == 0) {
      std::fill(o, o + out.size(), T(0.f));
      return;
    }
    std::vector<C> xf(static_cast<size_t>(M * K));
    for (int64_t bi = 0; bi < batches; ++bi) {
      const T* xb = x.data<T>() + bi * M * K;
      for (int64_t i = 0; i < M * K; ++i) xf[i] = C(static_cast<qcompute_t<T>>(xb[i]));
      qmm_rows::FpDecoder<C> dec{w.data<uint32_t>() + bi * w_mat, s.data<uint8_t>() + bi * s_mat, w.shape(-1),
                                 s.shape(-1), group_size, bits};
      if (transpose) {
        qmm_rows::matmul_t(xf.data(), M, K, N, dec, o + bi * M * N);
      } else {
        qmm_rows::matmul_n(xf.data(), M, K, N, group_size, dec, o + bi * M * N);
      }
    }
  });
}

}  // namespace mlx
