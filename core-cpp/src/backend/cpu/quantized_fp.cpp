#include "quantized_fp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "backend/cpu/fp_formats.h"
#include "backend/cpu/fp_group.h"
#include "backend/cpu/qmm_rows.h"
#include "dispatch.h"
#include "threading/parallel.h"

namespace mlx {

namespace {

array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

template <typename T>
using qcompute_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

using fp_group::in_t;

// MLX's rule per group (backend/cpu/fp_group.h), codes packed into the row's words.
template <typename T>
void quantize_groups(const T* w, uint32_t* wq, uint8_t* scales, int64_t n_groups, const fp_group::Rule& rule) {
  const int gs = rule.gs, bits = rule.bits;
  const int64_t words = int64_t(gs) * bits / 32;
  parallel_for(n_groups, std::max<int64_t>(1, kElementwiseGrain / gs), [&](int64_t g0, int64_t g1) {
    uint32_t codes[32];
    for (int64_t g = g0; g < g1; ++g) {
      scales[g] = fp_group::quantize(w + g * gs, rule, codes);
      uint32_t* out = wq + g * words;
      std::fill(out, out + words, 0u);
      for (int j = 0; j < gs; ++j) {
        const int64_t bit = int64_t(j) * bits;
        out[bit >> 5] |= codes[j] << (bit & 31);
      }
    }
  });
}

// The global scale's value (a float32 scalar), or null.
const float* global_of(const std::optional<array>& g, array& keep) {
  if (!g) return nullptr;
  keep = contiguous(*g);
  return keep.data<float>();
}

}  // namespace

void fp_quantize_eval(const array& w_, const std::optional<array>& global_scale, int group_size, int bits, array& wq,
                      array& scales) {
  array w = contiguous(w_), g;
  const fp_group::Rule rule = fp_group::Rule::make(group_size, bits, global_of(global_scale, g));
  wq.set_data(allocator::malloc(wq.nbytes()));
  scales.set_data(allocator::malloc(scales.nbytes()));
  const int64_t n_groups = int64_t(w.size()) / group_size;
  dispatch_floating(w.dtype(), "quantize", [&](auto t) {
    using T = typename decltype(t)::type;
    quantize_groups(w.data<T>(), wq.data<uint32_t>(), scales.data<uint8_t>(), n_groups, rule);
  });
}

void fp_dequantize_eval(const array& wq_, const array& s_, const std::optional<array>& global_scale, int group_size,
                        int bits, array& out) {
  array wq = contiguous(wq_), s = contiguous(s_), g;
  const fp_group::Rule rule = fp_group::Rule::make(group_size, bits, global_of(global_scale, g));
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
          if (rule.global) {
            // MLX: e4m3(code) * (global / 2688) and the product with the value are float32
            o[r * n + j] = T(v * rule.scale_value(sr[j / group_size]));
          } else {
            float sc = in_t<T>(dec.scale(sr[j / group_size]));
            o[r * n + j] = T(v * sc);
          }
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
