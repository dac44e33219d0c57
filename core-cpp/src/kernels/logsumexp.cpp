#include "logsumexp.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "../allocator.h"
#include "../threading/parallel.h"
#include "dispatch.h"
#include "vec_exp.h"

namespace mlx {

namespace {

template <typename C>
C exp_nonpos(C v) {
  if constexpr (std::is_same_v<C, float>) {
    return exp_nonpos_f32(v);  // the vectorisable exp softmax uses
  } else {
    return std::exp(v);
  }
}

template <typename T>
void logsumexp_rows(const T* x, T* y, size_t rows, size_t n) {
  using C = compute_t<T>;
  int64_t grain = std::max<int64_t>(1, kElementwiseGrain / int64_t(std::max<size_t>(n, 1)));
  parallel_for(int64_t(rows), grain, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + size_t(r) * n;
      C m = -std::numeric_limits<C>::infinity();
      for (size_t i = 0; i < n; ++i) {
        C v = C(xr[i]);
        m = (v > m || std::isnan(v)) ? v : m;
      }
      if (!std::isfinite(m)) {
        y[r] = T(m);
        continue;
      }
      C a0 = 0, a1 = 0;
      size_t i = 0;
      for (; i + 2 <= n; i += 2) {
        a0 += exp_nonpos(C(xr[i]) - m);
        a1 += exp_nonpos(C(xr[i + 1]) - m);
      }
      if (i < n) a0 += exp_nonpos(C(xr[i]) - m);
      y[r] = T(m + std::log(a0 + a1));
    }
  });
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
