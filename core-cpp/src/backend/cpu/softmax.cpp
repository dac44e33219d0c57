#include "softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "allocator.h"
#include "threading/parallel.h"
#include "dispatch.h"
#include "vec_exp.h"

namespace mlx {

namespace {

// float32 rows: the vectorised max, exp-and-sum and scale passes of vec_exp.
void softmax_row_f32(const float* x, float* y, size_t n) {
  // Shifting by the maximum keeps exp in range; rows with infinities or NaN give NaN as
  // exp(x - max(x)) / sum(...) does.
  float m = max_span(x, n);
  float sum = exp_shift_sum(x, y, n, m);
  scale_span(y, n, 1.0f / sum);
}

// Rows [r0, r1) of x into y; `row` is n floats of scratch for the 16-bit floats.
template <typename T>
void softmax_rows(const T* x, T* y, size_t r0, size_t r1, size_t n, float* row) {
  x += r0 * n;
  y += r0 * n;
  if constexpr (std::is_same_v<T, float>) {
    for (size_t r = r0; r < r1; ++r, x += n, y += n) softmax_row_f32(x, y, n);
  } else if constexpr (std::is_same_v<compute_t<T>, float>) {
    // 16-bit floats: each row widened to float32, computed there, rounded once.
    for (size_t r = r0; r < r1; ++r, x += n, y += n) {
      for (size_t i = 0; i < n; ++i) row[i] = float(x[i]);
      softmax_row_f32(row, row, n);
      for (size_t i = 0; i < n; ++i) y[i] = T(row[i]);
    }
  } else {
    using C = compute_t<T>;
    for (size_t r = r0; r < r1; ++r, x += n, y += n) {
      C m = -std::numeric_limits<C>::infinity();
      for (size_t i = 0; i < n; ++i) {
        C v = C(x[i]);
        m = (v > m || std::isnan(v)) ? v : m;
      }
      C sum = 0;
      for (size_t i = 0; i < n; ++i) {
        C e = std::exp(C(x[i]) - m);
        y[i] = T(e);
        sum += e;
      }
      C inv = C(1) / sum;
      for (size_t i = 0; i < n; ++i) y[i] *= inv;
    }
  }
}

}  // namespace

void softmax_eval(const array& in_, array& out) {
  array in = in_.flags().row_contiguous ? in_ : in_.converted(in_.dtype());
  out.set_data(allocator::malloc(out.nbytes()));
  size_t n = in.ndim() == 0 ? 1 : static_cast<size_t>(in.shape(-1));
  size_t rows = n == 0 ? 0 : in.size() / n;
  // Rows are independent: split over the thread pool, each row computed by one thread
  // whole (so results do not depend on the thread count). The 16-bit floats get a row of
  // float32 scratch per thread, allocated here (chunks must not allocate).
  int threads = threading::usable_threads();
  dispatch_floating(out.dtype(), "softmax", [&](auto t) {
    using T = typename decltype(t)::type;
    constexpr bool widen = !std::is_same_v<T, float> && std::is_same_v<compute_t<T>, float>;
    // (A nested call runs inline on its thread, whose id may exceed `threads`.)
    std::vector<float> scratch(widen ? n * size_t(std::max(threads, threading::current_tid() + 1)) : 0);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    parallel_for(
        // e^x costs about ten additions: a quarter of the element-wise grain per chunk.
        int64_t(rows), std::max<int64_t>(1, (kElementwiseGrain / 4) / int64_t(std::max<size_t>(n, 1))),
        [&](int64_t r0, int64_t r1, int tid) {
          softmax_rows(x, y, size_t(r0), size_t(r1), n, widen ? scratch.data() + size_t(tid) * n : nullptr);
        },
        threads);
  });
}

}  // namespace mlx
