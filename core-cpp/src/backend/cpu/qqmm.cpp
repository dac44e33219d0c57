#include "qqmm.h"

#include <algorithm>
#include <vector>

#include "allocator.h"
#include "backend/cpu/fp_group.h"
#include "backend/cpu/qmm_rows.h"
#include "dispatch.h"
#include "threading/parallel.h"

namespace mlx {

namespace {

array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

const float* global_value(const std::optional<array>& g, array& keep) {
  if (!g) return nullptr;
  keep = contiguous(*g);
  return keep.data<float>();
}

// Rows of a floating weight, quantized and decoded again when read (qmm_rows' decoder form).
template <typename T>
struct QuantizeDecodeRows {
  const T* w;
  int64_t K;
  fp_group::Rule rule;
  void operator()(int64_t r, int64_t c0, int64_t n, float* out) const {
    for (int64_t j = 0; j < n; j += rule.gs) fp_group::quantize_decode(w + r * K + c0 + j, rule, out + j);
  }
};

// Rows of a quantized weight: codes and scale codes decoded (nvfp4's global scale applied).
struct CodeRows {
  const uint32_t* w;
  const uint8_t* s;
  int64_t words, groups;
  fp_group::Rule rule;
  void operator()(int64_t r, int64_t c0, int64_t n, float* out) const {
    const uint32_t* row = w + r * words;
    for (int64_t j = 0; j < n; j += rule.gs) {
      const float sc = rule.scale_value(s[r * groups + (c0 + j) / rule.gs]);
      for (int i = 0; i < rule.gs; ++i) out[j + i] = rule.value(qmm_rows::code_at(row, c0 + j + i, rule.bits)) * sc;
    }
  }
};

}  // namespace

void qqmm_eval(const array& x_, const array& w_, const std::optional<array>& scales,
               const std::optional<array>& global_scale_x, const std::optional<array>& global_scale_w, int group_size,
               int bits, array& out) {
  array x = contiguous(x_), w = contiguous(w_), gx, gw;
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int64_t M = x.shape(0), K = x.shape(1), N = out.shape(1);
  const fp_group::Rule rule_x = fp_group::Rule::make(group_size, bits, global_value(global_scale_x, gx));
  const fp_group::Rule rule_w = fp_group::Rule::make(group_size, bits, global_value(global_scale_w, gw));

  // x quantized and decoded again, one group at a time (rows are independent).
  std::vector<float> xhat(static_cast<size_t>(M * K));
  const int64_t groups = M * (K / group_size);
  dispatch_floating(x.dtype(), "qqmm", [&](auto t) {
    using T = typename decltype(t)::type;
    const T* xp = x.data<T>();
    parallel_for(groups, std::max<int64_t>(1, kElementwiseGrain / group_size), [&](int64_t g0, int64_t g1) {
      for (int64_t g = g0; g < g1; ++g) fp_group::quantize_decode(xp + g * group_size, rule_x, xhat.data() + g * group_size);
    });
  });

  dispatch_floating(out.dtype(), "qqmm", [&](auto t) {
    using T = typename decltype(t)::type;
    T* o = out.data<T>();
    if (K == 0) {
      std::fill(o, o + out.size(), T(0.f));
      return;
    }
    if (w.dtype() == Dtype::uint32) {
      array s = contiguous(*scales);
      CodeRows dec{w.data<uint32_t>(), s.data<uint8_t>(), w.shape(-1), s.shape(-1), rule_w};
      qmm_rows::matmul_t(xhat.data(), M, K, N, dec, o);
      return;
    }
    dispatch_floating(w.dtype(), "qqmm", [&](auto tw) {
      using W = typename decltype(tw)::type;
      QuantizeDecodeRows<W> dec{w.data<W>(), K, rule_w};
      qmm_rows::matmul_t(xhat.data(), M, K, N, dec, o);
    });
  });
}

}  // namespace mlx
