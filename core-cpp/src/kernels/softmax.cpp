#include "softmax.h"

#include <cmath>
#include <limits>
#include <vector>

#include "../allocator.h"
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

template <typename T>
void softmax_rows(const T* x, T* y, size_t rows, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    for (size_t r = 0; r < rows; ++r) softmax_row_f32(x + r * n, y + r * n, n);
  } else if constexpr (std::is_same_v<compute_t<T>, float>) {
    // 16-bit floats: each row widened to float32, computed there, rounded once.
    std::vector<float> row(n);
    for (size_t r = 0; r < rows; ++r, x += n, y += n) {
      for (size_t i = 0; i < n; ++i) row[i] = float(x[i]);
      softmax_row_f32(row.data(), row.data(), n);
      for (size_t i = 0; i < n; ++i) y[i] = T(row[i]);
    }
  } else {
    using C = compute_t<T>;
    for (size_t r = 0; r < rows; ++r, x += n, y += n) {
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
  dispatch_floating(out.dtype(), "softmax", [&](auto t) {
    using T = typename decltype(t)::type;
    softmax_rows(in.data<T>(), out.data<T>(), rows, n);
  });
}

}  // namespace mlx
