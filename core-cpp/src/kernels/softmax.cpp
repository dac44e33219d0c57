#include "softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "../allocator.h"
#include "dispatch.h"

namespace mlx {

namespace {

// e^x for float32 written with plain arithmetic so the row loops vectorise (std::exp is a
// library call per element): x = n ln2 + r with |r| <= ln2/2, e^r by a degree-6
// polynomial (Cephes' expf coefficients), 2^n assembled in the exponent bits. Relative
// error about 1e-7; exactly 0 below -87.3 (masked positions stay 0), NaN stays NaN.
inline float exp_vec(float x) {
  float c = std::min(std::max(x, -87.3f), 88.7f);
  float fn = std::floor(c * 1.44269504088896341f + 0.5f);
  float r = c - fn * 0.693359375f + fn * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float er = p * r * r + r + 1.0f;
  uint32_t bits = static_cast<uint32_t>(static_cast<int32_t>(fn) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  float y = er * scale;
  return x < -87.3f ? 0.0f : (x != x ? x : y);
}

template <typename C>
inline C exp_of(C x) {
  if constexpr (std::is_same_v<C, float>) {
    return exp_vec(x);
  } else {
    return std::exp(x);
  }
}

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
      C e = exp_of(C(x[i]) - shift);
      y[i] = T(e);
      sum += e;
    }
    C inv = C(1) / sum;
    if constexpr (std::is_same_v<T, C>) {
      for (size_t i = 0; i < n; ++i) y[i] *= inv;
    } else {
      // Recompute rather than read back the rounded 16-bit exponentials.
      for (size_t i = 0; i < n; ++i) y[i] = T(exp_of(C(x[i]) - shift) * inv);
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
