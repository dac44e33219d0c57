#include "softmax.h"

#include <cmath>
#include <limits>

#include "../allocator.h"
#include "dispatch.h"

namespace mlx {

namespace {

template <typename T>
void softmax_rows(const T* x, T* y, size_t rows, size_t n) {
  using C = compute_t<T>;
  for (size_t r = 0; r < rows; ++r, x += n, y += n) {
    C m = -std::numeric_limits<C>::infinity();
    for (size_t i = 0; i < n; ++i) {
      C v = C(x[i]);
      m = (v > m || std::isnan(v)) ? v : m;
    }
    // Shifting by the maximum keeps exp in range; rows with infinities or NaN give NaN as
    // exp(x - max(x)) / sum(...) does.
    C shift = m;
    C sum = 0;
    for (size_t i = 0; i < n; ++i) {
      C e = std::exp(C(x[i]) - shift);
      y[i] = T(e);
      sum += e;
    }
    C inv = C(1) / sum;
    if constexpr (std::is_same_v<T, C>) {
      for (size_t i = 0; i < n; ++i) y[i] *= inv;
    } else {
      // Recompute rather than read back the rounded 16-bit exponentials.
      for (size_t i = 0; i < n; ++i) y[i] = T(std::exp(C(x[i]) - shift) * inv);
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
