#include "gather_qmm.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "backend/cpu/qmm_rows.h"
#include "dispatch.h"

namespace mlx {

namespace {

array contiguous(const array& a) { return a.flags().row_contiguous ? a : a.converted(a.dtype()); }

template <typename T>
using qcompute_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

}  // namespace

void gather_qmm_eval(const array& x_, const array& w_, const array& s_, const array* b_, const array& lhs_,
                     const array& rhs_, int group_size, int bits, bool affine, bool transpose, array& out) {
  array x = contiguous(x_), w = contiguous(w_), s = contiguous(s_), lhs = contiguous(lhs_), rhs = contiguous(rhs_);
  array b = b_ ? contiguous(*b_) : s;
  out.set_data(allocator::malloc(out.nbytes()));
  if (out.size() == 0) return;
  const int64_t M = x.shape(-2), K = x.shape(-1), N = out.shape(-1);
  const int64_t x_mat = M * K;
  const int64_t w_mat = int64_t(w.shape(-2)) * w.shape(-1), s_mat = int64_t(s.shape(-2)) * s.shape(-1);
  const int64_t x_batches = x_mat ? int64_t(x.size()) / x_mat : 0;
  const int64_t w_batches = w_mat ? int64_t(w.size()) / w_mat : 0;
  const int64_t pairs = int64_t(lhs.size());
  const uint32_t* li = lhs.data<uint32_t>();
  const uint32_t* ri = rhs.data<uint32_t>();
  for (int64_t i = 0; i < pairs; ++i) {
    if (li[i] >= x_batches || ri[i] >= w_batches) {
      throw std::out_of_range("[gather_qmm] Index " + std::to_string(li[i] >= x_batches ? li[i] : ri[i]) +
                              " is out of range for the " + std::to_string(li[i] >= x_batches ? x_batches : w_batches) +
                              (li[i] >= x_batches ? " matrices of x." : " quantized matrices."));
    }
  }
  dispatch_floating(out.dtype(), "gather_qmm", [&](auto t) {
    using T = typename decltype(t)::type;
    using C = qcompute_t<T>;
    T* o = out.data<T>();
    if (K == 0) {
      std::fill(o, o + out.size(), T(0.f));
      return;
    }
    std::vector<C> xf(static_cast<size_t>(x_mat));
    for (int64_t i = 0; i < pairs; ++i) {
      const T* xb = x.data<T>() + int64_t(li[i]) * x_mat;
      for (int64_t j = 0; j < x_mat; ++j) xf[j] = static_cast<C>(xb[j]);
      const uint32_t* wb = w.data<uint32_t>() + int64_t(ri[i]) * w_mat;
      T* ob = o + i * M * N;
      auto run = [&](const auto& dec) {
        if (transpose) qmm_rows::matmul_t(xf.data(), M, K, N, dec, ob);
        else qmm_rows::matmul_n(xf.data(), M, K, N, group_size, dec, ob);
      };
      if (affine) {
        qmm_rows::AffineDecoder<C, T> dec{wb, s.data<T>() + int64_t(ri[i]) * s_mat, b.data<T>() + int64_t(ri[i]) * s_mat,
                                          w.shape(-1), s.shape(-1), group_size, bits};
        run(dec);
      } else {
        qmm_rows::FpDecoder<C> dec{wb, s.data<uint8_t>() + int64_t(ri[i]) * s_mat, w.shape(-1), s.shape(-1),
                                   group_size, bits};
        run(dec);
      }
    }
  });
}

}  // namespace mlx
