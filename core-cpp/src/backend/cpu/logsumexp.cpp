#include "logsumexp.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "allocator.h"
#include "threading/parallel.h"
#include "dispatch.h"
#include "vec_exp.h"

namespace mlx {

namespace {

// max and sum of exp(x - max) of one row; the answer is max + log(sum), or max itself when
// it is not finite.
template <typename C>
C finish(C m, C sum) {
  return std::isfinite(m) ? m + std::log(sum) : m;
}

template <typename T>
void logsumexp_rows(const T* x, T* y, size_t rows, size_t n) {
  using C = compute_t<T>;
  int64_t grain = std::max<int64_t>(1, kElementwiseGrain / int64_t(std::max<size_t>(n, 1)));
  if constexpr (std::is_same_v<T, float>) {
    // float32 rows through vec_exp's vectorised max and exp-sum passes.
    parallel_for(int64_t(rows), grain, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const float* xr = x + size_t(r) * n;
        float m = max_span(xr, n);
        // exp_shift_total needs x - m <= 0 (or NaN): true for a finite maximum.
        y[r] = std::isfinite(m) ? finish(m, exp_shift_total(xr, n, m)) : m;
      }
    });
  } else if constexpr (std::is_same_v<C, float>) {
    // 16-bit rows: widened block by block into a stack buffer (chunks must not allocate).
    constexpr size_t kBlock = 256;
    parallel_for(int64_t(rows), grain, [&](int64_t r0, int64_t r1) {
      float buf[kBlock];
      for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + size_t(r) * n;
        float m = -std::numeric_limits<float>::infinity();
        for (size_t i = 0; i < n; i += kBlock) {
          size_t len = std::min(kBlock, n - i);
          for (size_t j = 0; j < len; ++j) buf[j] = float(xr[i + j]);
          float bm = max_span(buf, len);
          if (!std::isnan(m) && (bm > m || std::isnan(bm))) m = bm;  // NaN wins
        }
        float sum = 0;
        if (std::isfinite(m)) {
          for (size_t i = 0; i < n; i += kBlock) {
            size_t len = std::min(kBlock, n - i);
            for (size_t j = 0; j < len; ++j) buf[j] = float(xr[i + j]);
            sum += exp_shift_total(buf, len, m);
          }
        }
        y[r] = T(finish(m, sum));
      }
    });
  } else {
    parallel_for(int64_t(rows), grain, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + size_t(r) * n;
        C m = -std::numeric_limits<C>::infinity();
        for (size_t i = 0; i < n; ++i) {
          C v = C(xr[i]);
          m = (v > m || std::isnan(v)) ? v : m;
        }
        C sum = 0;
        if (std::isfinite(m)) {
          for (size_t i = 0; i < n; ++i) sum += std::exp(C(xr[i]) - m);
        }
        y[r] = T(finish(m, sum));
      }
    });
  }
}

}  // namespace

void logsumexp_eval(const array& in_, array& out) {
  array in = in_.flags().row_contiguous ? in_ : in_.converted(in_.dtype());
  out.set_data(allocator::malloc(out.nbytes()));
  size_t n = in.ndim() == 0 ? 1 : size_t(in.shape(-1));
  size_t rows = out.size();
  dispatch_floating(out.dtype(), "logsumexp", [&](auto t) {
    using T = typename decltype(t)::type;
    logsumexp_rows(in.data<T>(), out.data<T>(), rows, n);
  });
}

}  // namespace mlx
