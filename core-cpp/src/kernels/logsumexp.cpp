#include "logsumexp.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "../allocator.h"
#include "../threading/parallel.h"
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
  if constexpr (std::is_same_v<C, float>) {
    // float32 math through vec_exp's vectorised passes, on a per-thread row buffer (16-bit
    // rows are widened into it first; chunks must not allocate).
    int slots = std::max(threading::usable_threads(), threading::current_tid() + 1);
    std::vector<float> scratch(size_t(slots) * n);
    parallel_for(
        int64_t(rows), grain,
        [&](int64_t r0, int64_t r1, int tid) {
          float* buf = scratch.data() + size_t(tid) * n;
          for (int64_t r = r0; r < r1; ++r) {
            const T* xr = x + size_t(r) * n;
            const float* row = reinterpret_cast<const float*>(xr);
            if constexpr (!std::is_same_v<T, float>) {
              for (size_t i = 0; i < n; ++i) buf[i] = float(xr[i]);
              row = buf;
            }
            float m = max_span(row, n);
            // exp_shift_sum needs x - m <= 0 (or NaN): true for a finite maximum.
            y[r] = T(std::isfinite(m) ? finish(m, exp_shift_sum(row, buf, n, m)) : m);
          }
        },
        threading::usable_threads());
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
